"""Appeal pages. Thin: reads from ``appeal_selectors``, writes through ``appeals``.

- ``/quality/appeals/`` the reviewer's queue (programme staff also see unassigned and all open
  appeals); candidates and partner managers get a page saying it is for graders (403).
- ``/quality/appeals/<id>/`` one appeal: the candidate's reason, the decision history, a
  regrade preview on request and the outcome form (the assigned reviewer only); 404 when not
  visible.
- ``POST /quality/appeals/file/<attempt_id>/`` the candidate's form on the results page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from assessments.models import Attempt
from assessments.services.regrades import regrade_preview
from config.errors import DomainError, NotFound

from . import appeal_selectors as selectors
from . import appeals as services
from .appeal_models import Appeal

SIGNIN = "candidate-signin"


def reviewer_required(view):
    @login_required(login_url=SIGNIN)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_grader:
            return render(request, "quality/appeals/not_for_role.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@reviewer_required
@require_http_methods(["GET"])
def queue(request):
    user = request.user
    context = {"mine": selectors.review_queue(user=user)}
    if user.is_programme_admin:
        open_appeals = selectors.appeals_visible_to(user=user).filter(status__in=Appeal.OPEN)
        context["unassigned"] = open_appeals.filter(reviewer__isnull=True).order_by("filed_at")
        context["others"] = open_appeals.exclude(reviewer=user).exclude(reviewer__isnull=True)
        context["decided"] = selectors.appeals_visible_to(user=user).filter(
            status__in=Appeal.OUTCOMES
        )[:50]
    return render(request, "quality/appeals/queue.html", context)


def _appeal(request, appeal_id) -> Appeal:
    try:
        return selectors.appeal_for(user=request.user, appeal_id=appeal_id)
    except NotFound as error:
        raise Http404(error.message) from error


@reviewer_required
@require_http_methods(["GET", "POST"])
def detail(request, appeal_id):
    appeal = _appeal(request, appeal_id)
    mine = appeal.reviewer_id == request.user.pk and appeal.is_open
    context = {
        "appeal": appeal,
        "mine": mine,
        "history": selectors.decision_history(attempt_id=appeal.attempt_id),
        "outcomes": [(s.value, s.label) for s in Appeal.OUTCOMES],
        "error": None,
    }
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "preview" and mine:
                context["preview"] = regrade_preview(attempt=appeal.attempt, to_latest=True)
            elif action == "decide":
                services.appeal_decide(
                    appeal=appeal,
                    reviewer=request.user,
                    outcome=request.POST.get("outcome", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "The appeal is decided and the candidate was told.")
                return redirect("quality-appeal", appeal_id=appeal.pk)
            elif action == "assign":
                reviewer = User.objects.filter(pk=request.POST.get("reviewer") or 0).first()
                if reviewer is None:
                    raise NotFound("Choose a reviewer.", code="reviewer_not_found")
                services.appeal_assign(appeal=appeal, reviewer=reviewer, actor=request.user)
                return redirect("quality-appeal", appeal_id=appeal.pk)
        except DomainError as error:
            context["error"] = error.message
    if request.user.is_programme_admin and appeal.is_open:
        context["reviewers"] = services.eligible_reviewers(attempt=appeal.attempt)[:50]
    return render(request, "quality/appeals/detail.html", context)


@login_required(login_url=SIGNIN)
@require_POST
def file(request, attempt_id):
    """The candidate's appeal form on the results page posts here and returns there."""
    attempt = Attempt.objects.filter(pk=attempt_id, candidate=request.user).first()
    if attempt is None:
        raise Http404("No such attempt.")
    try:
        services.appeal_file(
            attempt=attempt, candidate=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, "Your appeal was received.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("candidate-results", attempt_id=attempt.pk)
