"""The similar-designs page (programme staff): flagged pairs with their scores, both designs'
steps side by side, and the confirm/dismiss form."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import DomainError

from .similarity_api import pairs
from .similarity_models import SimilarPair
from .similarity_services import similarity_review, text_threshold, threshold

SIGNALS = {"structure": "the workflow's structure", "rationale": "the rationale's text"}
COMPONENTS = {"f": "facts", "0": "steps", "s1": "shape (1 hop)", "s2": "shape (2 hops)"}


def _what(step: dict) -> tuple[str, ...]:
    """(id, kind, task type or action, performer type, performer): the page lists steps by
    what they do, so a renamed and reordered copy lines up with its original."""
    performer = step.get("performer") or {}
    return tuple(
        str(v or "")
        for v in (
            step.get("id"),
            step.get("kind"),
            step.get("task_type") or step.get("action"),
            performer.get("type"),
            performer.get("ref"),
        )
    )


TABS = {"flagged": "Waiting for review", "confirmed": "Confirmed copies", "dismissed": "Dismissed"}


@login_required(login_url="candidate-signin")
@require_http_methods(["GET", "POST"])
def index(request):
    if not request.user.is_programme_admin:
        return render(request, "quality/appeals/not_for_role.html", status=403)
    error = None
    if request.method == "POST":
        chosen = request.POST.get("pair", "")
        valid = chosen.isascii() and chosen.isdigit() and len(chosen) < 10
        pair = pairs().filter(pk=int(chosen)).first() if valid else None
        try:
            if pair is None:
                raise DomainError("No such pair.")
            similarity_review(
                pair=pair,
                actor=request.user,
                verdict=request.POST.get("verdict", ""),
                note=request.POST.get("note", ""),
            )
            return redirect("quality-similarity")
        except DomainError as failure:
            error = failure.message
    shown = request.GET.get("status", "flagged")
    if shown not in SimilarPair.Status.values:
        shown = "flagged"
    counts = dict(
        SimilarPair.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
    )
    rows = []
    for pair in pairs().filter(status=shown).order_by("-pk")[:100]:
        sides = []
        for fp in (pair.first, pair.second):
            design = fp.attempt.submission.get(str(fp.scenario_version_id)) or {}
            steps = sorted((_what(s) for s in design.get("steps", [])), key=lambda s: s[1:])
            sides.append({"fingerprint": fp, "steps": steps})
        rows.append(
            {
                "pair": pair,
                "sides": sides,
                "signals": " and ".join(SIGNALS.get(s, s) for s in pair.signals) or "structure",
                "components": ", ".join(
                    f"{COMPONENTS.get(k, k)} {v:.2f}" for k, v in pair.components.items()
                ),
            }
        )
    context = {
        "rows": rows,
        "shown": shown,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in TABS.items()],
        "threshold": threshold(),
        "text_threshold": text_threshold(),
        "error": error,
    }
    return render(request, "quality/similarity/index.html", context)
