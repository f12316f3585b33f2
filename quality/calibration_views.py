"""The staff calibration page: the pool and results per grader (programme staff only)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import calibration as services
from .calibration_models import CalibrationItem


@login_required(login_url="candidate-signin")
@require_GET
def results(request):
    if not request.user.is_programme_admin:
        return render(request, "quality/appeals/not_for_role.html", status=403)
    context = {
        "graders": services.results_per_grader(),
        "items": CalibrationItem.objects.filter(active=True).order_by("-created_at")[:200],
        "set_size": services.set_size(),
        "tolerance_percent": round(services.tolerance_share() * 100),
        "every": services.recheck_every(),
    }
    context["gate_open"] = len(context["items"]) < context["set_size"]
    return render(request, "quality/calibration/results.html", context)
