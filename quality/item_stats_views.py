"""The item statistics page (programme staff): read from the stored snapshots."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .item_stats_models import ItemStatistics


@login_required(login_url="candidate-signin")
@require_GET
def index(request):
    if not request.user.is_programme_admin:
        return render(request, "quality/appeals/not_for_role.html", status=403)
    snapshots = ItemStatistics.objects.select_related("scenario_version__scenario").order_by(
        "scenario_version__scenario__slug", "-scenario_version__version"
    )
    return render(request, "quality/item_stats/index.html", {"snapshots": snapshots})
