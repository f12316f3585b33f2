"""Item statistics, the reads: which reports count, what one report contributes, and the sums
of a version as the pure module's ``Sums``.

Which reports count: for each attempt and scenario, its *current* report, i.e. the latest
(highest id) decided report (pass or fail) of a concluded grading round: the submission's
round once the attempt has a decision, or a regrade that has concluded. A regrade's report
replaces the submission's (possibly on a newer version of the scenario). A report still
awaiting human scores is not counted (its human criteria were withdrawn when another scenario
decided the attempt)."""

from functools import lru_cache

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from assessments.models import CertificationDecision, GradeReport, Regrade
from scenarios.models import ScenarioVersion

from . import item_stats
from .item_stats_models import ItemStatsCheckpoint, ItemStatsGroup, ItemStatsVersion

CONCLUDED_REGRADE = [Regrade.Status.UNCHANGED, Regrade.Status.CHANGED]


def eligible_reports() -> QuerySet:
    """Decided reports of concluded rounds (superseded ones included: the latest wins)."""
    decided = CertificationDecision.objects.filter(attempt_id=OuterRef("attempt_id"))
    return GradeReport.objects.filter(decision__in=["pass", "fail"]).filter(
        Q(Exists(decided), job__regrade__isnull=True)
        | Q(job__regrade__status__in=CONCLUDED_REGRADE)
    )


def current_reports_of(attempt_id) -> list[dict]:
    """The attempt's current report per scenario: ``{"id", "scenario_version_id",
    "scenario_id"}``."""
    latest: dict[int, dict] = {}
    rows = (
        eligible_reports()
        .filter(attempt_id=attempt_id)
        .values("id", "scenario_version_id", scenario_id=F("scenario_version__scenario_id"))
    )
    for row in rows:
        mine = latest.get(row["scenario_id"])
        if mine is None or row["id"] > mine["id"]:
            latest[row["scenario_id"]] = row
    return list(latest.values())


def spec_of(version_id: int) -> tuple[dict[str, float], dict[str, dict]]:
    """(maximum points per rubric checkpoint, variant parameters) of a version. A published
    version's content is immutable, so it is parsed once per process, keyed by its hash."""
    sha = ScenarioVersion.objects.values_list("content_sha256", flat=True).get(pk=version_id)
    return _spec(version_id, sha)


@lru_cache(maxsize=256)
def _spec(version_id: int, sha: str) -> tuple[dict[str, float], dict[str, dict]]:
    content = ScenarioVersion.objects.values_list("content", flat=True).get(pk=version_id)
    max_points = {
        c["id"]: float(c.get("weight", 1))  # the engine gives each checkpoint its weight
        for c in content["rubric"]["checkpoints"]
    }
    return max_points, content.get("variant_parameters", {})


def row_of(final_report, engine_report, decision) -> item_stats.Row:
    report = final_report or engine_report
    return item_stats.Row(
        points={c["id"]: float(c.get("points") or 0) for c in report["checkpoints"]},
        passed=decision == "pass",
        variant=report.get("variant") or {},
    )


def contribution_of(report_id: int, version_id: int) -> item_stats.Contribution:
    """What a stored report adds to its version's sums."""
    values = GradeReport.objects.values_list("final_report", "engine_report", "decision").get(
        pk=report_id
    )
    max_points, parameters = spec_of(version_id)
    return item_stats.contribution(row_of(*values), max_points, parameters)


def sums_of(version_id: int) -> item_stats.Sums:
    """A version's stored sums (three small reads, whatever the number of attempts)."""
    sums = item_stats.Sums()
    head = ItemStatsVersion.objects.filter(pk=version_id).first()
    if head is None:
        return sums
    sums.n, sums.passes, sums.sum_t, sums.sum_t2 = head.n, head.passes, head.sum_t, head.sum_t2
    for cp in ItemStatsCheckpoint.objects.filter(scenario_version_id=version_id):
        sums.checkpoints[cp.checkpoint] = item_stats.CheckpointSums(
            cp.n, cp.sum_x, cp.sum_x2, cp.sum_xt
        )
    for g in ItemStatsGroup.objects.filter(scenario_version_id=version_id):
        sums.groups[(g.parameter, g.group)] = [g.n, g.passes]
    return sums
