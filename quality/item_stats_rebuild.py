"""The full rebuild of a scenario's item statistics, in the database: SQL picks each attempt's
current report (the rule in ``quality.item_stats_data``), refills the ledger with it, and
aggregates the sums over the reports' JSON with GROUP BY, so a million attempts never pass
through Python; only a few hundred aggregate rows come back. PostgreSQL (jsonb) and SQLite
(JSON1) differ only in how a JSON field is read.

Run by ``manage.py item_statistics --scenario SLUG --rebuild`` and by the API's POST, e.g.
after a deployment that predates incremental counting; the incremental path keeps it current
afterwards."""

import json

from django.db import connection, transaction
from django.utils import timezone

from assessments.models import CertificationDecision, GradeReport, GradingJob, Regrade
from audit.services import audit_record
from scenarios.models import Scenario, ScenarioVersion

from . import item_stats
from .item_stats_data import CONCLUDED_REGRADE, spec_of
from .item_stats_models import (
    ItemStatsCheckpoint,
    ItemStatsCounted,
    ItemStatsGroup,
    ItemStatsScenario,
    ItemStatsVersion,
)
from .item_stats_services import _lock_scenario, item_stats_publish

DOC = "COALESCE(r.final_report, r.engine_report)"

DIALECTS = {
    "postgresql": {
        "elements": f"jsonb_array_elements({DOC}->'checkpoints') WITH ORDINALITY AS e(value, ord)",
        "first": "e.ord = 1",
        "id": "e.value->>'id'",
        "points": "COALESCE((e.value->>'points')::float8, 0)",
        "total": (
            "(SELECT COALESCE(SUM((p->>'points')::float8), 0) FROM jsonb_array_elements("
            "COALESCE(r.final_report, r.engine_report)->'checkpoints') AS p)"
        ),
        "choice": f"(({DOC})->'variant'->(%s::text))::text",
        "number": f"(({DOC})->'variant'->>(%s::text))::float8",
    },
    "sqlite": {
        "elements": f"json_each({DOC}, '$.checkpoints') AS e",
        "first": "e.key = 0",
        "id": "json_extract(e.value, '$.id')",
        "points": "COALESCE(CAST(json_extract(e.value, '$.points') AS REAL), 0.0)",
        "total": (
            "(SELECT TOTAL(CAST(json_extract(p.value, '$.points') AS REAL)) FROM json_each("
            "COALESCE(r.final_report, r.engine_report), '$.checkpoints') AS p)"
        ),
        "choice": f"json_quote(json_extract({DOC}, %s))",
        "number": f"CAST(json_extract({DOC}, %s) AS REAL)",
    },
}


def _tables() -> dict[str, str]:
    return {
        "report": GradeReport._meta.db_table,
        "job": GradingJob._meta.db_table,
        "regrade": Regrade._meta.db_table,
        "decision": CertificationDecision._meta.db_table,
        "version": ScenarioVersion._meta.db_table,
        "counted": ItemStatsCounted._meta.db_table,
    }


def _variant_path(name: str, vendor: str) -> str:
    return name if vendor == "postgresql" else "$.variant." + json.dumps(name)


def item_stats_rebuild(*, scenario: Scenario, actor=None, reason: str = "") -> dict:
    """Recompute the ledger and the sums of every version of ``scenario`` from the reports,
    then publish each version's snapshot. Returns the reports counted per version."""
    vendor = connection.vendor
    if vendor not in DIALECTS:  # pragma: no cover - the project runs on these two
        raise NotImplementedError(f"item statistics rebuild on {vendor}")
    sql, t = DIALECTS[vendor], _tables()
    version_ids = list(
        ScenarioVersion.objects.filter(scenario=scenario).values_list("pk", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        _lock_scenario(scenario.pk)
        ItemStatsCounted.objects.filter(scenario=scenario).delete()
        ItemStatsCheckpoint.objects.filter(scenario_version_id__in=version_ids).delete()
        ItemStatsGroup.objects.filter(scenario_version_id__in=version_ids).delete()
        ItemStatsVersion.objects.filter(scenario_version_id__in=version_ids).delete()
        with connection.cursor() as cursor:
            _fill_ledger(cursor, t, scenario.pk, now)
            heads = _checkpoint_sums(cursor, sql, t, scenario.pk)
            for version_id in heads:
                _group_sums(cursor, sql, t, version_id, vendor)
        ItemStatsScenario.objects.filter(pk=scenario.pk).update(rebuilt_at=now)
        counts = {v: heads[v].n for v in sorted(heads)}
        audit_record(
            actor=actor,
            action="item_statistics.rebuilt",
            target=ItemStatsScenario.objects.get(pk=scenario.pk),
            reason=reason,
            data={"reports_per_version": {str(k): n for k, n in counts.items()}},
        )
    for version_id in version_ids:
        item_stats_publish(version_id=version_id)
    return counts


def _fill_ledger(cursor, t: dict, scenario_id: int, now) -> None:
    statuses = ", ".join(["%s"] * len(CONCLUDED_REGRADE))
    cursor.execute(
        f"""
        INSERT INTO {t["counted"]}
            (attempt_id, scenario_id, scenario_version_id, report_id, counted_at)
        SELECT r.attempt_id, %s, r.scenario_version_id, r.id, %s
        FROM {t["report"]} r
        WHERE r.id IN (
            SELECT MAX(r2.id)
            FROM {t["report"]} r2
            JOIN {t["version"]} v ON v.id = r2.scenario_version_id
            JOIN {t["job"]} j ON j.id = r2.job_id
            LEFT JOIN {t["regrade"]} g ON g.id = j.regrade_id
            WHERE v.scenario_id = %s
              AND r2.decision IN ('pass', 'fail')
              AND ((j.regrade_id IS NULL AND EXISTS (
                        SELECT 1 FROM {t["decision"]} d WHERE d.attempt_id = r2.attempt_id))
                   OR g.status IN ({statuses}))
            GROUP BY r2.attempt_id
        )
        """,  # noqa: S608  (names from model metadata and constants; values bound)
        [scenario_id, now, scenario_id, *CONCLUDED_REGRADE],
    )


def _checkpoint_sums(cursor, sql: dict, t: dict, scenario_id: int) -> dict[int, item_stats.Sums]:
    """One pass over the counted reports' checkpoints: per (version, checkpoint) the sums of
    x, x², x·T; the per-version sums ride along on each report's first checkpoint."""
    cursor.execute(
        f"""
        SELECT vid, cid, COUNT(*), SUM(x), SUM(x * x), SUM(x * t),
               SUM(CASE WHEN is_first THEN 1 ELSE 0 END),
               SUM(CASE WHEN is_first AND passed THEN 1 ELSE 0 END),
               SUM(CASE WHEN is_first THEN t ELSE 0 END),
               SUM(CASE WHEN is_first THEN t * t ELSE 0 END)
        FROM (
            SELECT c.scenario_version_id AS vid, {sql["id"]} AS cid, {sql["points"]} AS x,
                   {sql["total"]} AS t, ({sql["first"]}) AS is_first,
                   (r.decision = 'pass') AS passed
            FROM {t["counted"]} c
            JOIN {t["report"]} r ON r.id = c.report_id,
                 {sql["elements"]}
            WHERE c.scenario_id = %s
        ) AS items
        GROUP BY vid, cid
        """,  # noqa: S608  (names from model metadata and constants; values bound)
        [scenario_id],
    )
    heads: dict[int, item_stats.Sums] = {}
    for vid, cid, n, sx, sx2, sxt, reports, passes, st, st2 in cursor.fetchall():
        sums = heads.setdefault(vid, item_stats.Sums())
        sums.n += reports
        sums.passes += passes
        sums.sum_t += st
        sums.sum_t2 += st2
        sums.checkpoints[cid] = item_stats.CheckpointSums(n, sx, sx2, sxt)
    for vid, sums in heads.items():
        max_points, _ = spec_of(vid)
        ItemStatsVersion.objects.create(
            scenario_version_id=vid,
            n=sums.n,
            passes=sums.passes,
            sum_t=sums.sum_t,
            sum_t2=sums.sum_t2,
        )
        ItemStatsCheckpoint.objects.bulk_create(
            ItemStatsCheckpoint(
                scenario_version_id=vid,
                checkpoint=cid,
                n=cp.n,
                sum_x=cp.sum_x,
                sum_x2=cp.sum_x2,
                sum_xt=cp.sum_xt,
            )
            for cid, cp in sums.checkpoints.items()
            if cid in max_points  # what the incremental path keeps too
        )
    return heads


def _group_sums(cursor, sql: dict, t: dict, version_id: int, vendor: str) -> None:
    """Attempts and passes per variant group: one GROUP BY over every parameter's group at
    once (a few hundred combinations), summed per parameter here."""
    _, parameters = spec_of(version_id)
    columns, params, decoders = [], [], []
    for name, spec in parameters.items():
        path = _variant_path(name, vendor)
        if "choices" in spec:
            columns.append(sql["choice"])
            params.append(path)
            decoders.append((name, lambda raw: None if raw is None else json.loads(raw)))
            continue
        bounds, labels = item_stats.thirds(spec), item_stats.third_labels(spec)
        if bounds is None:
            continue
        value = sql["number"]
        columns.append(
            f"CASE WHEN {value} IS NULL THEN NULL WHEN {value} < %s THEN 0 "
            f"WHEN {value} < %s THEN 1 ELSE 2 END"
        )
        params += [path, path, bounds[1], path, bounds[2]]
        decoders.append((name, lambda idx, labels=labels: None if idx is None else labels[idx]))
    if not columns:
        return
    keys = ", ".join(f"g{i}" for i in range(len(columns)))
    selects = ", ".join(f"{col} AS g{i}" for i, col in enumerate(columns))
    cursor.execute(
        f"""
        SELECT {keys}, COUNT(*), SUM(CASE WHEN passed THEN 1 ELSE 0 END)
        FROM (
            SELECT {selects}, (r.decision = 'pass') AS passed
            FROM {t["counted"]} c JOIN {t["report"]} r ON r.id = c.report_id
            WHERE c.scenario_version_id = %s
        ) AS variants
        GROUP BY {keys}
        """,  # noqa: S608  (names from model metadata and constants; values bound)
        [*params, version_id],
    )
    groups: dict[tuple[str, str], list[int]] = {}
    for row in cursor.fetchall():
        n, passes = row[-2], row[-1]
        for (name, decode), raw in zip(decoders, row[:-2], strict=True):
            value = decode(raw)
            if value is None:
                continue
            label = str(value) if "choices" in parameters[name] else value
            counts = groups.setdefault((name, label), [0, 0])
            counts[0] += n
            counts[1] += passes
    ItemStatsGroup.objects.bulk_create(
        ItemStatsGroup(scenario_version_id=version_id, parameter=p, group=g, n=n, passes=k)
        for (p, g), (n, k) in groups.items()
    )
