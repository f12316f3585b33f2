"""The grader's workbench (pages): the queue, claim and release, the item with its diagram,
rubric and machine-scored results, score and comment; adjudication for senior graders.

Thin: every write goes through the assessments services the API uses
(assessments/services/human_scoring.py, adjudication.py), so the pages and the API refuse the
same things (own firm, not held, lease expired, points off the rubric's levels)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from assessments.services import adjudication, human_scoring
from config.errors import DomainError, NotFound

from . import workbench
from . import workbench_work as work


def _refuse(request):
    return render(request, "quality/workbench/not_for_role.html", status=403)


def grader_required(view):
    @login_required(login_url="candidate-signin")
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_grader:
            return _refuse(request)
        return view(request, *args, **kwargs)

    return wrapped


def senior_required(view):
    @login_required(login_url="candidate-signin")
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not adjudication.may_adjudicate(request.user):
            return _refuse(request)
        return view(request, *args, **kwargs)

    return wrapped


def _ticket(request, handle):
    """A ticket the signed-in grader holds (404 otherwise: no hint that it exists)."""
    try:
        return work.ticket_for(grader=request.user, handle=handle)
    except NotFound as error:
        raise Http404 from error


def _item_context(ticket, error: str = "") -> dict:
    """The item page: a calibration ticket shows its item exactly as a live one (only a
    calibration the grader knows about, while qualifying, says so)."""
    context = workbench.item_view(work.shown_item(ticket))
    context.update(ticket=ticket, seconds_left=work.seconds_left(ticket), error=error)
    context["lease_until"] = ticket.lease_expires_at or ticket.live_item.lease_expires_at
    return context


@require_GET
@grader_required
def queue(request):
    context = {
        "held": work.held(request.user),
        "waiting": workbench.open_count(request.user),
        "disputed": adjudication.disputed_items().count()
        if adjudication.may_adjudicate(request.user)
        else None,
    }
    return render(request, "quality/workbench/queue.html", context)


@require_POST
@grader_required
def claim_next(request):
    try:
        ticket = work.claim_next(grader=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("quality-workbench")
    if ticket is None:
        messages.info(request, "Nothing is waiting for you right now.")
        return redirect("quality-workbench")
    return redirect("quality-workbench-item", handle=ticket.handle)


@require_GET
@grader_required
def item_page(request, handle):
    return render(request, "quality/workbench/item.html", _item_context(_ticket(request, handle)))


@require_GET
@grader_required
def lease(request, handle):
    """The lease's remaining time (htmx refreshes it)."""
    return render(request, "quality/workbench/_lease.html", _item_context(_ticket(request, handle)))


def _points(request) -> float | None:
    try:
        return float(request.POST.get("points", ""))
    except ValueError:
        return None


@require_POST
@grader_required
def score(request, handle):
    ticket = _ticket(request, handle)
    points = _points(request)
    comment = request.POST.get("comment", "")[:5000]
    if points is None:
        return _item_again(request, ticket, "Choose one of the rubric's levels.")
    try:
        work.score(ticket=ticket, points=points, comment=comment)
    except DomainError as error:
        return _item_again(request, ticket, error.message)
    checkpoint = work.shown_item(ticket).checkpoint_id
    messages.success(request, f"Scored {checkpoint}: {points:g} points.")
    return redirect("quality-workbench")


def _item_again(request, ticket, error: str):
    try:
        ticket = work.ticket_for(grader=request.user, handle=ticket.handle)
    except NotFound:
        messages.error(request, error)
        return redirect("quality-workbench")
    return render(request, "quality/workbench/item.html", _item_context(ticket, error), status=400)


@require_POST
@grader_required
def release(request, handle):
    work.release(ticket=_ticket(request, handle))
    messages.info(request, "Released: the item is back in the queue.")
    return redirect("quality-workbench")


@require_GET
@senior_required
def adjudication_list(request):
    items = adjudication.disputed_items().select_related("report__scenario_version")
    return render(request, "quality/workbench/adjudication_list.html", {"items": items})


@senior_required
def adjudicate(request, item_id: int):
    item = get_object_or_404(adjudication.disputed_items(), pk=item_id)
    if human_scoring._conflicted(request.user, item):
        raise Http404
    if request.method == "POST":
        points = _points(request)
        try:
            if points is None:
                raise DomainError("Choose one of the rubric's levels.")
            adjudication.item_adjudicate(
                item=item,
                adjudicator=request.user,
                points=points,
                comment=request.POST.get("comment", "")[:5000],
            )
        except DomainError as error:
            context = workbench.disputed_view(item)
            context["error"] = error.message
            return render(request, "quality/workbench/adjudicate.html", context, status=400)
        messages.success(request, f"Adjudicated {item.checkpoint_id}: {points:g} points.")
        return redirect("quality-adjudication")
    return render(request, "quality/workbench/adjudicate.html", workbench.disputed_view(item))
