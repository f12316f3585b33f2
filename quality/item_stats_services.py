"""Item statistics, the writes: count a report into its version's sums as its attempt is
decided or regraded, publish the snapshot the page reads from the sums, and the sweep that
catches up what a lost message missed (docs/quality/item-statistics.md).

Every change to a scenario's sums first locks that scenario's ``ItemStatsScenario`` row, so
counting, replacing and rebuilding never interleave; the sums themselves change by F()
expressions. The ledger (``ItemStatsCounted``, one row per attempt and scenario, each report
at most once) makes counting idempotent: a repeated task finds the report counted and does
nothing; a newer report of the same attempt and scenario (a regrade) subtracts the old one's
points and adds its own."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from assessments.models import CertificationDecision, Regrade
from config.dispatch import task_named
from scenarios.models import ScenarioVersion

from . import item_stats
from .decision_events import attempt_recorded
from .item_stats_data import contribution_of, current_reports_of, eligible_reports, spec_of, sums_of
from .item_stats_models import (
    ItemStatistics,
    ItemStatsCheckpoint,
    ItemStatsCounted,
    ItemStatsGroup,
    ItemStatsScenario,
    ItemStatsVersion,
)

logger = logging.getLogger(__name__)

COUNT_TASK = "quality.tasks.item_statistics_count"
PUBLISH_TASK = "quality.tasks.item_statistics_publish"


def publish_delay() -> float:
    """Seconds a publish waits after the first count that asked for it (the debounce)."""
    return float(getattr(settings, "QUALITY_ITEM_STATS_PUBLISH_DELAY", 10))


# --- listeners (registered in QualityConfig.ready): they only schedule work ------------------


def on_decision(decision_id, event: str) -> None:
    attempt_id = attempt_recorded(decision_id, event)
    if attempt_id is not None:
        _send_after_commit(COUNT_TASK, str(attempt_id))


def on_regrade(attempt_id) -> None:
    _send_after_commit(COUNT_TASK, str(attempt_id))


def _send_after_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """As config.dispatch.send_after_commit, with a delay: a broker that is down is logged
    (the sweep catches up), never raised."""
    task = task_named(task_name)

    def _send() -> None:
        try:
            task.apply_async(args=args, countdown=countdown, retry=False)
        except Exception:  # kombu/redis raise several types; the sweep sends it later
            logger.warning("could not send %s%s; the sweep will", task_name, args, exc_info=True)

    transaction.on_commit(_send)


# --- counting ----------------------------------------------------------------------------------


def item_stats_count_attempt(*, attempt_id) -> set[int]:
    """Count the attempt's current reports into their versions' sums; the versions changed.
    Idempotent: run twice, it changes nothing the second time. A report newer than the one
    counted for the same scenario (a regrade) replaces it."""
    changed: set[int] = set()
    for report in current_reports_of(attempt_id):
        changed |= _count(attempt_id=attempt_id, **report)
    return changed


def _lock_scenario(scenario_id: int) -> None:
    ItemStatsScenario.objects.bulk_create(
        [ItemStatsScenario(scenario_id=scenario_id)], ignore_conflicts=True
    )
    ItemStatsScenario.objects.select_for_update().get(pk=scenario_id)


def _count(*, attempt_id, id: int, scenario_version_id: int, scenario_id: int) -> set[int]:
    with transaction.atomic():
        _lock_scenario(scenario_id)
        counted = ItemStatsCounted.objects.filter(
            attempt_id=attempt_id, scenario_id=scenario_id
        ).first()
        if counted is not None and counted.report_id >= id:
            return set()  # counted already (or a newer report is)
        changed = {scenario_version_id}
        if counted is not None:
            old_version = counted.scenario_version_id
            _apply(old_version, contribution_of(counted.report_id, old_version), sign=-1)
            changed.add(old_version)
            ItemStatsCounted.objects.filter(pk=counted.pk).update(
                report_id=id, scenario_version_id=scenario_version_id, counted_at=timezone.now()
            )
        else:
            ItemStatsCounted.objects.create(
                attempt_id=attempt_id,
                scenario_id=scenario_id,
                scenario_version_id=scenario_version_id,
                report_id=id,
            )
        _apply(scenario_version_id, contribution_of(id, scenario_version_id), sign=1)
        for version_id in sorted(changed):
            request_publish(version_id)
    return changed


def _apply(version_id: int, c: item_stats.Contribution, *, sign: int) -> None:
    """Add (sign 1) or subtract (sign -1) one report's contribution. Increments done in the
    database (``col = col + delta``, as F() does) under the scenario lock; one statement per
    table, the checkpoints' as one batched UPDATE (the ORM's CASE/WHEN for forty checkpoints
    costs more to compile than to run)."""
    t = c.total
    if not ItemStatsVersion.objects.filter(pk=version_id).exists():
        ItemStatsVersion.objects.create(scenario_version_id=version_id)
        max_points, _ = spec_of(version_id)
        ItemStatsCheckpoint.objects.bulk_create(
            ItemStatsCheckpoint(scenario_version_id=version_id, checkpoint=k) for k in max_points
        )
    ItemStatsVersion.objects.filter(pk=version_id).update(
        n=F("n") + sign,
        passes=F("passes") + sign * int(c.passed),
        sum_t=F("sum_t") + sign * t,
        sum_t2=F("sum_t2") + sign * t * t,
        changed_at=timezone.now(),
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {ItemStatsCheckpoint._meta.db_table} "  # noqa: S608  (a model's table)
            "SET n = n + %s, sum_x = sum_x + %s, sum_x2 = sum_x2 + %s, sum_xt = sum_xt + %s "
            "WHERE scenario_version_id = %s AND checkpoint = %s",
            [
                (sign, sign * x, sign * x * x, sign * x * t, version_id, k)
                for k, x in c.points.items()
            ],
        )
    if c.groups:
        ItemStatsGroup.objects.bulk_create(
            [
                ItemStatsGroup(scenario_version_id=version_id, parameter=p, group=g)
                for p, g in c.groups
            ],
            ignore_conflicts=True,
        )
        match = Q()
        for parameter, group in c.groups:
            match |= Q(parameter=parameter, group=group)
        ItemStatsGroup.objects.filter(match, scenario_version_id=version_id).update(
            n=F("n") + sign, passes=F("passes") + sign * int(c.passed)
        )


# --- publishing ---------------------------------------------------------------------------------


def request_publish(version_id: int) -> None:
    """Ask for the version's snapshot to be republished, at most one request on its way per
    version: a burst of counts within ``publish_delay()`` seconds publishes once."""
    if ItemStatsVersion.objects.filter(pk=version_id, publish_queued=False).update(
        publish_queued=True
    ):
        _send_after_commit(PUBLISH_TASK, version_id, countdown=publish_delay())


def item_stats_publish(*, version_id: int) -> ItemStatistics | None:
    """Recompute the version's snapshot from its sums (a few rows) and store it."""
    version = ScenarioVersion.objects.filter(pk=version_id).first()
    if version is None:
        return None
    with transaction.atomic():
        # The scenario lock gives a consistent read of the sums (no count half-applied).
        _lock_scenario(version.scenario_id)
        ItemStatsVersion.objects.filter(pk=version_id).update(publish_queued=False)
        sums = sums_of(version_id)
        as_of = (
            ItemStatsVersion.objects.filter(pk=version_id)
            .values_list("changed_at", flat=True)
            .first()
        )
    max_points, parameters = spec_of(version_id)
    data = item_stats.statistics_from_sums(sums, max_points, parameters)
    with transaction.atomic():
        snapshot, _ = ItemStatistics.objects.update_or_create(
            scenario_version=version,
            defaults={"computed_at": timezone.now(), "attempts": data["attempts"], "data": data},
        )
        if as_of is not None:
            ItemStatsVersion.objects.filter(pk=version_id).update(published_at=as_of)
    return snapshot


# --- the sweep (beat) ---------------------------------------------------------------------------


def item_stats_sweep(*, window_hours: int = 24, limit: int = 500) -> dict:
    """Count what lost messages missed (attempts decided or regraded within the window whose
    current report is not counted), then publish every version whose sums changed since its
    snapshot. Bounded by ``limit`` attempts and versions per run."""
    since = timezone.now() - timedelta(hours=window_hours)
    counted = ItemStatsCounted.objects.filter(
        attempt_id=OuterRef("attempt_id"),
        scenario_id=OuterRef("scenario_version__scenario_id"),
        report_id__gte=OuterRef("pk"),
    )
    # Driven from the day's decisions and regrades (a few thousand ids), looked up by the
    # reports' attempt index in chunks: never a scan of every report.
    recent = sorted(
        {
            *CertificationDecision.objects.filter(decided_at__gte=since).values_list(
                "attempt_id", flat=True
            ),
            *Regrade.objects.filter(finished_at__gte=since).values_list("attempt_id", flat=True),
        }
        - {None}
    )
    missed: list = []
    for start in range(0, len(recent), 1000):
        missed += (
            eligible_reports()
            .filter(attempt_id__in=recent[start : start + 1000])
            .exclude(Exists(counted))
            .values_list("attempt_id", flat=True)
            .distinct()
        )
        if len(missed) >= limit:
            break
    missed = missed[:limit]
    for attempt_id in missed:
        item_stats_count_attempt(attempt_id=attempt_id)
    due = list(
        ItemStatsVersion.objects.filter(
            Q(published_at__isnull=True) | Q(changed_at__gt=F("published_at"))
        ).values_list("pk", flat=True)[:limit]
    )
    for version_id in due:
        item_stats_publish(version_id=version_id)
    return {"counted_attempts": len(missed), "published": len(due)}
