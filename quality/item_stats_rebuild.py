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

# Per dialect, one row per counted report of a version: passed, its total points t, its
# points by checkpoint id as a JSON object (obj) and its variant (v), each report's JSON read
# once (on PostgreSQL the OFFSET 0 keeps the document from being decompressed again for every
# reference); then how to read a checkpoint's points and a variant parameter from them.
DIALECTS = {
    "postgresql": {
        # jsonb_to_recordset reads each checkpoint's id and points in one typed call; one
        # FILTER aggregate per rubric checkpoint gives its points (missing: 0).
        "reports": """
            SELECT (r.decision = 'pass') AS passed, o.*, d.v
            FROM {counted} c JOIN {report} r ON r.id = c.report_id
            CROSS JOIN LATERAL (
                SELECT x.doc->'checkpoints' AS cps, x.doc->'variant' AS v
                FROM (SELECT COALESCE(r.final_report, r.engine_report) AS doc) AS x
                OFFSET 0) d
            CROSS JOIN LATERAL (
                SELECT COALESCE(SUM(p.points), 0) AS t, {per_checkpoint}
                FROM jsonb_to_recordset(d.cps) AS p(id text, points float8)) o
            WHERE c.scenario_version_id = %s""",
        "per_checkpoint": "COALESCE(SUM(p.points) FILTER (WHERE p.id = %s), 0) AS x{i}",
        "points": "x{i}",
        "choice": "(v->(%s::text))::text",
        "number": "(v->>(%s::text))::float8",
    },
    "sqlite": {
        "reports": """
            SELECT (r.decision = 'pass') AS passed,
                   (SELECT TOTAL(CAST(json_extract(p.value, '$.points') AS REAL))
                    FROM json_each(COALESCE(r.final_report, r.engine_report), '$.checkpoints') AS p) AS t,
                   (SELECT json_group_object(json_extract(p.value, '$.id'),
                                             json_extract(p.value, '$.points'))
                    FROM json_each(COALESCE(r.final_report, r.engine_report), '$.checkpoints') AS p) AS obj,
                   json_extract(COALESCE(r.final_report, r.engine_report), '$.variant') AS v
            FROM {counted} c JOIN {report} r ON r.id = c.report_id
            WHERE c.scenario_version_id = %s""",
        "per_checkpoint": "",
        "points": "COALESCE(CAST(json_extract(obj, %s) AS REAL), 0.0)",
        "choice": "json_quote(json_extract(v, %s))",
        "number": "CAST(json_extract(v, %s) AS REAL)",
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


def _key(name: str, vendor: str) -> str:
    """A JSON object key as each dialect's operators take it."""
    return name if vendor == "postgresql" else "$." + json.dumps(name)


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
        ItemStatsCheckpoint.objects.filter(scenario_version_id__in=version_ids).delete()
        ItemStatsGroup.objects.filter(scenario_version_id__in=version_ids).delete()
        ItemStatsVersion.objects.filter(scenario_version_id__in=version_ids).delete()
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                # Memoize would hash every report's JSON to cache results never reused; the
                # per-attempt grouping of a million reports fits in memory instead of spilling.
                cursor.execute("SET LOCAL enable_memoize = off")
                cursor.execute("SET LOCAL work_mem = '256MB'")
            _fill_ledger(cursor, t, scenario.pk, now)
            counts = {}
            for version_id in version_ids:
                sums = _version_sums(cursor, sql, t, version_id, vendor)
                if sums.n:
                    _store(version_id, sums)
                    counts[version_id] = sums.n
        ItemStatsScenario.objects.filter(pk=scenario.pk).update(rebuilt_at=now)
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
    """Make the ledger hold exactly each attempt's current report: the current set into a
    temporary table, then delete the rows that are no longer current and upsert the rest
    (rows already right are left alone, so a rebuild of a million unchanged attempts writes
    almost nothing)."""
    statuses = ", ".join(["%s"] * len(CONCLUDED_REGRADE))
    cursor.execute("DROP TABLE IF EXISTS item_stats_current")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE item_stats_current AS
        SELECT r.attempt_id, r.scenario_version_id, r.id AS report_id
        FROM {t["report"]} r
        WHERE r.id IN (
            SELECT MAX(rid) FROM (
                -- the submission's reports, once the attempt is decided
                SELECT r2.id AS rid, r2.attempt_id
                FROM {t["report"]} r2
                JOIN {t["version"]} v ON v.id = r2.scenario_version_id
                JOIN {t["job"]} j ON j.id = r2.job_id
                WHERE v.scenario_id = %s AND r2.decision IN ('pass', 'fail')
                  AND j.regrade_id IS NULL
                  AND EXISTS (SELECT 1 FROM {t["decision"]} d WHERE d.attempt_id = r2.attempt_id)
                UNION ALL
                -- concluded regrades' reports
                SELECT r2.id, r2.attempt_id
                FROM {t["report"]} r2
                JOIN {t["version"]} v ON v.id = r2.scenario_version_id
                JOIN {t["job"]} j ON j.id = r2.job_id
                JOIN {t["regrade"]} g ON g.id = j.regrade_id
                WHERE v.scenario_id = %s AND r2.decision IN ('pass', 'fail')
                  AND g.status IN ({statuses})
            ) AS eligible
            GROUP BY attempt_id
        )
        """,  # noqa: S608  (names from model metadata and constants; values bound)
        [scenario_id, scenario_id, *CONCLUDED_REGRADE],
    )
    cursor.execute(
        f"""
        DELETE FROM {t["counted"]}
        WHERE scenario_id = %s
          AND report_id NOT IN (SELECT report_id FROM item_stats_current)
        """,  # noqa: S608  (names from model metadata)
        [scenario_id],
    )
    cursor.execute(
        f"""
        INSERT INTO {t["counted"]}
            (attempt_id, scenario_id, scenario_version_id, report_id, counted_at)
        SELECT attempt_id, %s, scenario_version_id, report_id, %s
        FROM item_stats_current WHERE true
        ON CONFLICT (attempt_id, scenario_id) DO UPDATE
            SET report_id = excluded.report_id,
                scenario_version_id = excluded.scenario_version_id,
                counted_at = excluded.counted_at
            WHERE {t["counted"]}.report_id <> excluded.report_id
        """,  # noqa: S608  (names from model metadata)
        [scenario_id, now],
    )
    cursor.execute("DROP TABLE item_stats_current")


def _version_sums(cursor, sql: dict, t: dict, version_id: int, vendor: str) -> item_stats.Sums:
    """One pass over the version's counted reports: GROUP BY every variant parameter's group
    and the outcome at once (a few hundred combinations at most), each row carrying its sums
    of t, t² and of x, x², x·t per checkpoint; the combinations are added up here."""
    max_points, parameters = spec_of(version_id)
    group_columns, params, decoders = [], [], []
    for name, spec in parameters.items():
        key = _key(name, vendor)
        if "choices" in spec:
            group_columns.append(sql["choice"])
            params.append(key)
            decoders.append((name, lambda raw: None if raw is None else str(json.loads(raw))))
            continue
        bounds, labels = item_stats.thirds(spec), item_stats.third_labels(spec)
        if bounds is None:
            continue
        value = sql["number"]
        group_columns.append(
            f"CASE WHEN {value} IS NULL THEN NULL WHEN {value} < %s THEN 0 "
            f"WHEN {value} < %s THEN 1 ELSE 2 END"
        )
        params += [key, key, bounds[1], key, bounds[2]]
        decoders.append((name, lambda i, labels=labels: None if i is None else labels[i]))
    checkpoints = list(max_points)
    inner = [f"{col} AS g{i}" for i, col in enumerate(group_columns)]
    inner += [f"{sql['points'].format(i=i)} AS x{i}" for i in range(len(checkpoints))]
    per_checkpoint = sql["per_checkpoint"] and ", ".join(
        sql["per_checkpoint"].format(i=i) for i in range(len(checkpoints))
    )
    if per_checkpoint:  # PostgreSQL: the checkpoint ids are parameters of the inner query
        inner_params, outer_params = [*checkpoints], params
    else:  # SQLite: of the outer one
        inner_params, outer_params = [], [*params, *(_key(c, vendor) for c in checkpoints)]
    keys = [f"g{i}" for i in range(len(group_columns))] + ["passed"]
    sums_sql = ["COUNT(*)", "SUM(t)", "SUM(t * t)"]
    for i in range(len(checkpoints)):
        sums_sql += [f"SUM(x{i})", f"SUM(x{i} * x{i})", f"SUM(x{i} * t)"]
    cursor.execute(
        f"""
        SELECT {", ".join(keys)}, {", ".join(sums_sql)}
        FROM (
            SELECT passed, t, {", ".join(inner)}
            FROM ({sql["reports"].format(**t, per_checkpoint=per_checkpoint)}) AS reports
        ) AS items
        GROUP BY {", ".join(keys)}
        """,  # noqa: S608  (names from model metadata and constants; values bound)
        [*outer_params, *inner_params, version_id],
    )
    sums = item_stats.Sums()
    sums.checkpoints = {c: item_stats.CheckpointSums() for c in checkpoints}
    width = len(group_columns)
    for row in cursor.fetchall():
        passed = bool(row[width])
        n, st, st2, *cp_sums = row[width + 1 :]
        sums.n += n
        sums.passes += n if passed else 0
        sums.sum_t += st
        sums.sum_t2 += st2
        for i, c in enumerate(checkpoints):
            cp = sums.checkpoints[c]
            cp.n += n
            cp.sum_x += cp_sums[3 * i]
            cp.sum_x2 += cp_sums[3 * i + 1]
            cp.sum_xt += cp_sums[3 * i + 2]
        for (name, decode), raw in zip(decoders, row[:width], strict=True):
            label = decode(raw)
            if label is not None:
                counts = sums.groups.setdefault((name, label), [0, 0])
                counts[0] += n
                counts[1] += n if passed else 0
    return sums


def _store(version_id: int, sums: item_stats.Sums) -> None:
    ItemStatsVersion.objects.create(
        scenario_version_id=version_id,
        n=sums.n,
        passes=sums.passes,
        sum_t=sums.sum_t,
        sum_t2=sums.sum_t2,
    )
    ItemStatsCheckpoint.objects.bulk_create(
        ItemStatsCheckpoint(
            scenario_version_id=version_id,
            checkpoint=c,
            n=cp.n,
            sum_x=cp.sum_x,
            sum_x2=cp.sum_x2,
            sum_xt=cp.sum_xt,
        )
        for c, cp in sums.checkpoints.items()
    )
    ItemStatsGroup.objects.bulk_create(
        ItemStatsGroup(scenario_version_id=version_id, parameter=p, group=g, n=n, passes=k)
        for (p, g), (n, k) in sums.groups.items()
    )
