"""The similar-designs page (programme staff): flagged pairs with their scores, both designs'
steps side by side, and the confirm/dismiss form."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.errors import DomainError

from .similarity_api import pairs
from .similarity_services import similarity_review, threshold


@login_required(login_url="candidate-signin")
@require_http_methods(["GET", "POST"])
def index(request):
    if not request.user.is_programme_admin:
        return render(request, "quality/appeals/not_for_role.html", status=403)
    error = None
    if request.method == "POST":
        pair = pairs().filter(pk=request.POST.get("pair") or 0).first()
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
    rows = []
    for pair in pairs()[:100]:
        sides = []
        for fp in (pair.first, pair.second):
            design = fp.attempt.submission.get(str(fp.scenario_version_id)) or {}
            sides.append({"fingerprint": fp, "steps": design.get("steps", [])})
        rows.append({"pair": pair, "sides": sides})
    context = {"rows": rows, "threshold": threshold(), "error": error}
    return render(request, "quality/similarity/index.html", context)
