"""Item statistics API (programme staff), read from stored snapshots:

- ``GET /api/v1/quality/item-statistics/<slug>/[?version=N]``: the snapshot (404
  ``not_computed`` before the first report is counted). Reads one row, whatever the number of
  attempts; the snapshot is kept current by the counting tasks (docs/quality/item-statistics.md).
- ``POST`` the same: queue a full rebuild of the scenario from its reports (202).
- ``GET /api/v1/quality/item-statistics/<slug>/checkpoints.csv``: the checkpoint table as CSV.
"""

import csv
import io

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from config.dispatch import send
from config.errors import InvalidRequest, NotFound
from scenarios.models import ScenarioVersion

from .item_stats_models import ItemStatistics

TASK = "quality.tasks.item_statistics_refresh"


def version_of(slug: str, version: str | None) -> ScenarioVersion:
    versions = ScenarioVersion.objects.filter(scenario__slug=slug).order_by("-version")
    if version is not None:
        if not str(version).isdigit():
            raise InvalidRequest("version is a whole number.", code="invalid_version")
        versions = versions.filter(version=int(version))
    chosen = versions.first()
    if chosen is None:
        raise NotFound("No such scenario version.", code="scenario_not_found")
    return chosen


def snapshot_of(version: ScenarioVersion) -> ItemStatistics:
    snapshot = ItemStatistics.objects.filter(scenario_version=version).first()
    if snapshot is None:
        raise NotFound(
            "Not computed yet: no decided report is counted; POST to this address to rebuild.",
            code="not_computed",
        )
    return snapshot


class ItemStatisticsView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(responses={200: dict})
    def get(self, request, slug):
        version = version_of(slug, request.GET.get("version"))
        snapshot = snapshot_of(version)
        return Response(
            {
                "scenario": slug,
                "version": version.version,
                "computed_at": snapshot.computed_at,
                **snapshot.data,
            }
        )

    @extend_schema(request=None, responses={202: dict})
    def post(self, request, slug):
        version = version_of(slug, request.GET.get("version"))
        send(TASK, version.pk, request.user.pk)
        return Response({"queued": True, "version": version.version}, status=202)


class CheckpointsCsvView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(responses={(200, "text/csv"): str})
    def get(self, request, slug):
        snapshot = snapshot_of(version_of(slug, request.GET.get("version")))
        out = io.StringIO()
        fields = ["checkpoint", "n", "max_points", "facility", "discrimination"]
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(snapshot.data.get("checkpoints", []))
        response = HttpResponse(out.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{slug}-checkpoints.csv"'
        return response
