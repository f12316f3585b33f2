"""Item statistics from the database: the rows of one scenario version's graded submissions,
and the stored snapshot the page and the API read."""

from django.utils import timezone

from assessments.models import GradeReport
from scenarios.models import ScenarioVersion

from . import item_stats
from .item_stats_models import ItemStatistics


def rows_of(version: ScenarioVersion):
    """One row per decided report of a submission (not regrades) graded on ``version``."""
    reports = (
        GradeReport.objects.filter(
            scenario_version=version, job__regrade__isnull=True, decision__in=["pass", "fail"]
        )
        .values_list("final_report", "engine_report", "decision")
        .order_by("pk")
    )
    for final, engine_report, decision in reports.iterator(chunk_size=2000):
        report = final or engine_report
        yield item_stats.Row(
            points={c["id"]: float(c.get("points") or 0) for c in report["checkpoints"]},
            passed=decision == "pass",
            variant=report.get("variant") or {},
        )


def item_statistics_refresh(*, version: ScenarioVersion) -> ItemStatistics:
    """Compute and store the snapshot of one scenario version (the task calls this)."""
    content = version.content
    max_points = {
        c["id"]: float(c.get("weight", 1))  # the engine gives each checkpoint its weight
        for c in content["rubric"]["checkpoints"]
    }
    data = item_stats.scenario_statistics(
        rows_of(version), max_points, content.get("variant_parameters", {})
    )
    snapshot, _ = ItemStatistics.objects.update_or_create(
        scenario_version=version,
        defaults={"computed_at": timezone.now(), "attempts": data["attempts"], "data": data},
    )
    return snapshot
