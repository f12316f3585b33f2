"""Playbook pages: the firm's library and one playbook (its members and managers), the
author's own playbooks, and the share and withdraw actions (the author). Thin: who may see what
is ``partners.playbook_selectors``; writes are ``partners.playbooks``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError, NotFound

from . import playbook_selectors as selectors
from . import playbooks

SIGNIN = "candidate-signin"


def _firm(request, slug):
    try:
        return selectors.library_firm(user=request.user, slug=slug)
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
@login_required(login_url=SIGNIN)
def library(request, slug):
    firm = _firm(request, slug)
    query = request.GET.get("q", "")[:200]
    workflow_type = request.GET.get("type", "")[:50]
    found = selectors.library(firm=firm, query=query, workflow_type=workflow_type)
    return render(
        request,
        "partners/playbooks/library.html",
        {
            "firm": firm,
            "playbooks": found[:100],
            "types": selectors.workflow_types(firm=firm),
            "query": query,
            "workflow_type": workflow_type,
            "manages": request.user.memberships.filter(
                organisation=firm, kind="manager", left_at__isnull=True
            ).exists(),
        },
    )


@require_GET
@login_required(login_url=SIGNIN)
def detail(request, slug, playbook_id):
    firm = _firm(request, slug)
    try:
        playbook = selectors.playbook_in_library(firm=firm, playbook_id=playbook_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "partners/playbooks/detail.html",
        {
            "firm": firm,
            "playbook": playbook,
            "diagram": {"design": playbook.design, "resources": playbook.resources},
            "metrics": selectors.comparison(playbook),
        },
    )


@require_GET
@login_required(login_url=SIGNIN)
def mine(request):
    return render(
        request,
        "partners/playbooks/mine.html",
        {"playbooks": selectors.playbooks_of(user=request.user)},
    )


@require_POST
@login_required(login_url=SIGNIN)
def share(request):
    """The results page's share form. Back to the results on refusal (with why); to the
    firm's library on success."""
    attempt_id = request.POST.get("attempt", "")
    try:
        playbook = playbooks.playbook_share(
            user=request.user,
            attempt_id=attempt_id,
            scenario=request.POST.get("scenario", ""),
            organisation_slug=request.POST.get("organisation", ""),
            consent=request.POST.get("consent") == "yes",
            title=request.POST.get("title", ""),
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("candidate-results", attempt_id=attempt_id)
    messages.success(request, f"Shared with {playbook.organisation.name}.")
    return redirect("partner-playbook", slug=playbook.organisation.slug, playbook_id=playbook.pk)


@require_POST
@login_required(login_url=SIGNIN)
def withdraw(request, playbook_id):
    try:
        playbook = playbooks.playbook_withdraw(user=request.user, playbook_id=playbook_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, f"“{playbook.title}” is no longer shared.")
    return redirect("partner-my-playbooks")
