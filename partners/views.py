"""The partner pages. Thin: who may see a firm comes from ``partners.selectors``, writes go
through ``partners.services``, figures from ``partners.figures``.

Roles: partner managers see the firms they manage (programme admins see all); a firm they do
not manage is 404. Candidates and graders get a page saying these pages are for managers (403).
Invitation and membership pages are for the invited or member consultant.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership, User
from config.api import DOMAIN_STATUS
from config.errors import DomainError, NotFound
from config.page_access import scoped_page

from . import exports, selectors, services
from .models import Invitation
from .snapshots import figures_for

SIGNIN = "candidate-signin"


def _status_of(error: DomainError) -> int:
    return next(DOMAIN_STATUS[cls] for cls in type(error).__mro__ if cls in DOMAIN_STATUS)


# Signed in as a partner manager or programme admin; ``slug`` (if any) becomes the firm,
# resolved among the firms the caller manages (404 otherwise).
manager_required = scoped_page(
    allowed=selectors.may_manage_firms,
    resolve=selectors.firm_for_manager,
    as_name="firm",
    refusal_template="partners/not_for_role.html",
)


@require_GET
@manager_required
def firm_list(request):
    firms = selectors.firms_for_manager(user=request.user)
    return render(request, "partners/firm_list.html", {"firms": firms})


@require_GET
@manager_required
def firm_dashboard(request, firm):
    figures = figures_for(firm=firm)
    charts = {
        "trend": figures["trend"],
        "by_certification": figures["headcount"]["by_certification"],
        "coverage": figures["coverage"]["domains"],
        "threshold": figures["proficiency_threshold"],
    }
    return render(
        request, "partners/dashboard.html", {"firm": firm, "figures": figures, "charts": charts}
    )


@require_GET
@manager_required
def firm_members(request, firm):
    return render(
        request,
        "partners/members.html",
        {
            "firm": firm,
            "members": selectors.roster(firm=firm)[:200],
            "member_count": selectors.roster(firm=firm).count(),
            "invitations": selectors.pending_invitations(firm=firm),
        },
    )


@require_POST
@manager_required
def invitation_create(request, firm):
    try:
        invitation, _ = services.invitation_create(
            organisation=firm, email=request.POST.get("email", ""), invited_by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Invitation sent to {invitation.email}.")
    return redirect("partner-members", slug=firm.slug)


@require_POST
@manager_required
def invitation_cancel(request, firm, invitation_id):
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=firm)
    try:
        services.invitation_cancel(invitation=invitation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("partner-members", slug=firm.slug)


@require_POST
@manager_required
def membership_end(request, firm, membership_id):
    membership = get_object_or_404(Membership, pk=membership_id, organisation=firm)
    try:
        services.membership_end(membership=membership, organisation=firm, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{membership.user.email} is no longer a member.")
    return redirect("partner-members", slug=firm.slug)


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def roster_csv_response(firm, *, include_former: bool) -> StreamingHttpResponse:
    rows = exports.roster_rows(firm=firm, include_former=include_former)
    return _csv_response(exports.csv_lines(rows), f"{firm.slug}-roster.csv")


def dashboard_csv_response(firm) -> StreamingHttpResponse:
    rows = exports.dashboard_rows(figures_for(firm=firm))
    return _csv_response(exports.csv_lines(rows), f"{firm.slug}-dashboard.csv")


@require_GET
@manager_required
def export_roster(request, firm):
    return roster_csv_response(firm, include_former=request.GET.get("former") == "1")


@require_GET
@manager_required
def export_dashboard(request, firm):
    return dashboard_csv_response(firm)


# The consultant's side: invitations and their own memberships.


def invitation_page(request, token):
    """The link in the email. GET shows the invitation; POST ``action`` = accept / decline /
    register (a new account for an address that has none)."""
    try:
        invitation = services.invitation_for_token(token)
    except NotFound as error:
        return _invitation_problem(request, error, None)
    context = {
        "invitation": invitation,
        "has_account": User.objects.filter(email__iexact=invitation.email).exists(),
        "is_open": True,
        "signed_in_as_invited": request.user.is_authenticated
        and request.user.email.lower() == invitation.email,
    }
    if request.method == "POST":
        try:
            return _answer(request, token, invitation)
        except DomainError as error:
            return _invitation_problem(request, error, invitation, context)
    try:
        services.check_open(invitation)
    except DomainError as error:
        return _invitation_problem(request, error, invitation, context)
    return render(request, "partners/invitation.html", context)


def _answer(request, token, invitation):
    action = request.POST.get("action")
    if action == "decline":
        services.invitation_decline(token=token, user=request.user)
        return render(
            request,
            "partners/invitation_answered.html",
            {"invitation": invitation, "accepted": False},
        )
    if action == "register":
        user = services.invitation_accept_new_account(
            token=token,
            full_name=request.POST.get("full_name", ""),
            password=request.POST.get("password", ""),
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("partner-memberships")
    if action == "accept":
        if not request.user.is_authenticated:
            return redirect(f"/signin/?next={request.path}")
        services.invitation_accept(token=token, user=request.user)
        messages.success(request, f"You joined {invitation.organisation.name}.")
        return redirect("partner-memberships")
    raise Http404("Unknown action.")


def _invitation_problem(request, error, invitation, context=None):
    invitation = invitation and Invitation.objects.get(pk=invitation.pk)  # as it is now
    is_open = bool(invitation) and invitation.status == "pending" and not invitation.is_expired
    context = {**(context or {}), "invitation": invitation, "problem": error.message}
    context["is_open"] = is_open
    return render(request, "partners/invitation.html", context, status=_status_of(error))


@require_GET
@login_required(login_url=SIGNIN)
def my_memberships(request):
    return render(
        request,
        "partners/memberships.html",
        {"memberships": selectors.memberships_of(user=request.user)},
    )


@require_POST
@login_required(login_url=SIGNIN)
def membership_leave(request, membership_id):
    membership = get_object_or_404(Membership, pk=membership_id, user=request.user)
    try:
        services.membership_leave_own(membership=membership, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You left {membership.organisation.name}.")
    return redirect("partner-memberships")
