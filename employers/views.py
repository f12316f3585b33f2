"""The employers' pages under /employers/. Thin: who may see what comes from
``employers.selectors``, writes go through ``employers.services``.

Roles: an employer's current members see its pages (another employer's: 404); anyone else
signed in gets a page saying these pages are for employer accounts (403); anonymous visitors
are sent to sign in. The volume page is for programme admins only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification import bulk
from config.api import DOMAIN_STATUS
from config.errors import DomainError, NotFound
from config.page_access import scoped_page

from . import selectors, services, throttling, verification, volume
from .api import csv_response

SIGNIN = "candidate-signin"


def _status_of(error: DomainError) -> int:
    return next(DOMAIN_STATUS[cls] for cls in type(error).__mro__ if cls in DOMAIN_STATUS)


# Signed in and a current member of some employer; ``slug`` (if any) becomes the employer,
# among those the caller belongs to (404 otherwise).
member_required = scoped_page(
    allowed=selectors.is_employer_member,
    resolve=selectors.employer_for_member,
    as_name="employer",
    refusal_template="employers/not_for_role.html",
)


@require_GET
@member_required
def employer_home(request):
    employers = list(selectors.employers_for(user=request.user))
    if len(employers) == 1:
        return redirect("employer-keys", slug=employers[0].slug)
    return render(request, "employers/home.html", {"employers": employers})


def _keys_page(request, employer, *, new_key=None, plaintext=None, error=None, status=200):
    context = {
        "employer": employer,
        "keys": selectors.api_keys_of(employer=employer),
        "new_key": new_key,
        "plaintext": plaintext,
        "error": error,
    }
    response = render(request, "employers/keys.html", context, status=status)
    if plaintext:
        response["Cache-Control"] = "no-store"  # the key is in this page, once
    return response


@require_GET
@member_required
def employer_keys(request, employer):
    return _keys_page(request, employer)


@require_POST
@member_required
def key_create(request, employer):
    """Create a key and show it on the page this once; it is not kept anywhere."""
    try:
        key, plaintext = services.api_key_create(
            actor=request.user, employer=employer, name=request.POST.get("name", "")
        )
    except DomainError as error:
        return _keys_page(request, employer, error=error.message, status=_status_of(error))
    return _keys_page(request, employer, new_key=key, plaintext=plaintext)


@require_POST
@member_required
def key_revoke(request, employer, key_id: int):
    try:
        key = selectors.api_key_of(employer=employer, key_id=key_id)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        services.api_key_revoke(actor=request.user, key=key)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Key {key.prefix} ({key.name}) revoked.")
    return redirect("employer-keys", slug=employer.slug)


@require_http_methods(["GET", "POST"])
@member_required
def employer_verify(request, employer):
    """Upload a CSV of up to BULK_VERIFY_MAX_ITEMS credential IDs or URLs; a results table or
    the results as CSV (the file is read, verified and answered: nothing is kept)."""
    context: dict = {"employer": employer, "max_items": bulk.max_items()}
    if request.method == "POST":
        upload = request.FILES.get("ids")
        try:
            if upload is None:
                raise DomainError("Choose a CSV file of credential IDs or URLs.", code="no_file")
            references = bulk.references_from_csv(upload.read())
            verification.check_items(references)
            throttle = throttling.for_page(employer)
            if not throttle.allow_items(request, len(references)):
                response = HttpResponse(
                    "Your employer account verified too many credentials this hour; try later.",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(int(throttle.wait()) + 1)
                return response
            results = verification.verify_for(employer=employer, items=references)
        except DomainError as error:
            context["error"] = error.message
            return render(request, "employers/verify.html", context, status=_status_of(error))
        if request.POST.get("format") == "csv":
            return csv_response(results)
        context["results"] = [{**r, "why": bulk.why(r)} for r in results]
        context["verified"] = sum(r["verified"] for r in results)
    return render(request, "employers/verify.html", context)


@require_GET
@login_required(login_url=SIGNIN)
def volume_page(request):
    """Verification volume over time, for programme admins."""
    if not request.user.is_programme_admin:
        return render(request, "employers/not_for_role.html", {"admins_only": True}, status=403)
    try:
        days = volume.days_param(request.GET.get("days"))
    except DomainError as error:
        return render(request, "employers/not_for_role.html", {"error": error.message}, status=400)
    figures = volume.figures(days=days)
    context = {"figures": figures, "days": days, "chart": volume.chart_data(figures)}
    return render(request, "employers/volume.html", context)
