"""Standard-setting pages (docs/quality/standard-setting.md).

- ``/quality/standard-setting/``: the studies the person may see; programme staff open one.
- ``/quality/standard-setting/<id>/``: the staff page: the panel, each rater's ratings per
  round, the mean, SD and range per checkpoint, facility, the cut score, and the actions.
- ``/quality/standard-setting/<id>/rate/``: a panelist's rating form (and, from round 2, the
  panel's round-1 ratings, anonymised, with the facility).

Graders see only the studies they sit on (another one is a 404); candidates and partner
managers get the not-for-your-role page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import User
from config.errors import DomainError, NotFound
from scenarios.selectors import published_versions

from . import angoff_selectors as selectors
from . import angoff_services as services
from .angoff_adoption import angoff_study_adopt

NOT_FOR_ROLE = "quality/angoff/not_for_role.html"


def _forbidden(request):
    return render(request, NOT_FOR_ROLE, status=403)


def _study_or_404(request, study_id):
    try:
        return selectors.study_for(user=request.user, study_id=study_id)
    except NotFound:
        return None


@login_required(login_url="candidate-signin")
@require_http_methods(["GET", "POST"])
def index(request):
    if not request.user.is_grader:
        return _forbidden(request)
    error = None
    if request.method == "POST":
        if not request.user.is_programme_admin:
            return _forbidden(request)
        version = published_versions().filter(pk=request.POST.get("version") or 0).first()
        try:
            if version is None:
                raise DomainError("Choose a scenario version.")
            study = services.angoff_study_create(
                scenario_version=version, title=request.POST.get("title", ""), actor=request.user
            )
            return redirect("quality-angoff-study", study_id=study.pk)
        except DomainError as failure:
            error = failure.message
    context = {
        "studies": selectors.studies_for(user=request.user)[:200],
        "versions": published_versions().defer("content", "selftest")
        if request.user.is_programme_admin
        else [],
        "error": error,
    }
    return render(request, "quality/angoff/index.html", context)


ACTIONS = {
    "round_two": lambda study, request: services.angoff_round_two_start(
        study=study, actor=request.user
    ),
    "close": lambda study, request: services.angoff_study_close(study=study, actor=request.user),
    "adopt": lambda study, request: angoff_study_adopt(study=study, actor=request.user),
    "discard": lambda study, request: services.angoff_study_discard(
        study=study, actor=request.user, reason=request.POST.get("reason", "")
    ),
    "invite": lambda study, request: _invite(study, request),
}


DONE = {
    "round_two": "Round 2 started: panelists now see the round-1 ratings.",
    "close": "Closed: the final round's ratings are the result.",
    "adopt": "Adopted: the new version is published and its effect is being previewed.",
    "discard": "Discarded.",
    "invite": "Invited.",
}


def _invite(study, request):
    user = User.objects.filter(email__iexact=request.POST.get("email", "").strip()).first()
    if user is None:
        raise DomainError("Nobody has that email address.")
    return services.angoff_panelist_invite(study=study, user=user, actor=request.user)


@login_required(login_url="candidate-signin")
@require_http_methods(["GET", "POST"])
def study_page(request, study_id: int):
    if not request.user.is_grader:
        return _forbidden(request)
    study = _study_or_404(request, study_id)
    if study is None:
        return render(request, "quality/angoff/not_found.html", status=404)
    if not request.user.is_programme_admin:
        return redirect("quality-angoff-rate", study_id=study.pk)
    error = None
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        try:
            if action is None:
                raise DomainError("Unknown action.")
            action(study, request)
            messages.success(request, DONE[request.POST["action"]])
            return redirect("quality-angoff-study", study_id=study.pk)
        except DomainError as failure:
            error = failure.message
            study.refresh_from_db()
    view = selectors.study_view(study=study, user=request.user)
    context = {
        "study": study,
        "view": view,
        "tables": [
            table(summary, view["facility"]) for _, summary in sorted(view["rounds"].items())
        ],
        "preview": selectors.preview_of(study),
        "error": error,
        "min_raters": services.min_raters(),
    }
    return render(request, "quality/angoff/study.html", context)


def table(summary: dict, facility: dict | None) -> dict:
    """One round's figures as a table: a column per rater, a row per checkpoint."""
    raters = sorted(summary["rater_cuts"])
    known = (facility or {}).get("checkpoints", {})
    rows = [
        {
            **row,
            "cells": [row["ratings"].get(r) for r in raters],
            "facility": known.get(row["id"]),
        }
        for row in summary["checkpoints"]
    ]
    cuts = [summary["rater_cuts"][r] for r in raters]
    return {"summary": summary, "raters": raters, "rows": rows, "rater_cuts": cuts}


@login_required(login_url="candidate-signin")
@require_http_methods(["GET", "POST"])
def rate_page(request, study_id: int):
    if not request.user.is_grader:
        return _forbidden(request)
    study = _study_or_404(request, study_id)
    if study is None or selectors.seat_of(study, request.user) is None:
        return render(request, "quality/angoff/not_found.html", status=404)
    error, problems = None, {}
    if request.method == "POST":
        ratings = {}
        for key, value in request.POST.items():
            if key.startswith("cp:"):
                try:
                    ratings[key[3:]] = float(value)
                except ValueError:
                    ratings[key[3:]] = value  # reported as not a number by the service
        try:
            services.angoff_ratings_submit(study=study, user=request.user, ratings=ratings)
            messages.success(request, f"Your round {study.round} ratings are saved.")
            return redirect("quality-angoff-rate", study_id=study.pk)
        except DomainError as failure:
            error = failure.message
            problems = {
                p["path"].removeprefix("ratings."): p["message"] for p in failure.errors or []
            }
    view = selectors.study_view(study=study, user=request.user)
    discussion = table(view["rounds"][1], view["facility"]) if study.round > 1 else None
    submitted = dict(request.POST.items()) if error else {}
    rows = []
    by_id = {row["id"]: row for row in (discussion or {}).get("rows", [])}
    for cp in view["checkpoints"]:
        value = submitted.get(f"cp:{cp.id}", view["mine"].get(cp.id))
        rows.append(
            {
                "cp": cp,
                "value": "" if value is None else value,
                "problem": problems.get(cp.id, ""),
                "round_one": by_id.get(cp.id),
                "facility": (view["facility"] or {}).get("checkpoints", {}).get(cp.id),
            }
        )
    context = {
        "study": study,
        "view": view,
        "rows": rows,
        "discussion": discussion,
        "final": table(view["final"], None) if view["final"] else None,
        "error": error,
    }
    return render(request, "quality/angoff/rate.html", context)
