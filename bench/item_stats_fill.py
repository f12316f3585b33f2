"""Synthetic graded attempts for bench_item_stats.py, written by ``generate_series`` straight
into the tables the item statistics read: attempts, done grading jobs, grade reports with
engine-shaped JSON (17 checkpoints with partial credit in quarters of their weight drawn from a
per-candidate ability; the 25,000 approval threshold planted harder) and decisions."""

SLUG = "bench-item-statistics"


def fixtures():
    """The scenario version, exam, candidate and staff member (idempotent)."""
    from accounts.models import Role, User
    from assessments.models import Certification, Exam, ExamScenario
    from scenarios.engine import load_pack
    from scenarios.models import Scenario, ScenarioVersion
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    scenario, _ = Scenario.objects.get_or_create(slug=SLUG, defaults={"title": "Bench"})
    version, _ = ScenarioVersion.objects.get_or_create(
        scenario=scenario,
        version=1,
        defaults={
            "title": "Bench (accounts payable)",
            "content": {**pack.data, "slug": SLUG},
            "content_sha256": "b" * 64,
            "engine_version": "bench",
            "selftest": {"ok": True},
        },
    )
    certification, _ = Certification.objects.get_or_create(
        slug=SLUG, defaults={"name": "Bench", "cut_score": 70, "blueprint": []}
    )
    exam, _ = Exam.objects.get_or_create(
        slug=SLUG, defaults={"title": "Bench", "certification": certification}
    )
    ExamScenario.objects.get_or_create(exam=exam, scenario_version=version, position=1)
    candidate, _ = User.objects.get_or_create(
        email="bench-candidate@bench.test", defaults={"role": Role.CANDIDATE}
    )
    staff, _ = User.objects.get_or_create(
        email="bench-admin@bench.test", defaults={"role": Role.PROGRAMME_ADMIN}
    )
    return version, exam, candidate, staff


GENERATE = """
WITH rubric(ord, id, title, domain, weight, critical) AS (SELECT * FROM jsonb_to_recordset(%(rubric)s::jsonb)
         AS r(ord int, id text, title text, domain text, weight float8, critical boolean)),
base AS (
    SELECT i, random() AS a0,
           (ARRAY[5000, 10000, 25000])[1 + floor(random() * 3)::int] AS thr,
           9000 + 500 * floor(random() * 13)::int AS vol,
           1400 + 100 * floor(random() * 9)::int AS fortnight,
           round((0.015 + random() * 0.015)::numeric, 4) AS fraud,
           round((0.88 + random() * 0.05)::numeric, 3) AS accuracy,
           round((30 + random() * 5)::numeric, 2) AS cost
    FROM generate_series(%(first)s, %(last)s) AS i
),
able AS (SELECT *, CASE WHEN thr = 25000 THEN a0 * 0.8 ELSE a0 END AS a FROM base),
scored AS (
    SELECT able.*, (
        SELECT jsonb_agg(jsonb_build_object(
            'id', c.id, 'kind', 'bench', 'title', c.title, 'domain', c.domain,
            'weight', c.weight, 'critical', c.critical, 'max_points', c.weight,
            'points', q.points, 'status', CASE WHEN q.points = c.weight THEN 'passed'
                                               WHEN q.points = 0 THEN 'failed' ELSE 'partial' END,
            'feedback', '', 'evidence', jsonb_build_object('summary', 'synthetic')
        ) ORDER BY c.ord)
        FROM rubric c, LATERAL (SELECT c.weight * ((random() < able.a)::int + (random() < able.a)::int
                               + (random() < able.a)::int + (random() < able.a)::int) / 4.0 AS points) q
    ) AS cps
    FROM able
),
totalled AS (
    SELECT scored.*, (SELECT SUM((e->>'points')::float8) FROM jsonb_array_elements(cps) e) AS t
    FROM scored
)
SELECT i, cps, t, thr, vol, fortnight, fraud, accuracy, cost FROM totalled
"""


def generate(version, exam, candidate, first: int, last: int, spread: bool = True) -> None:
    """Attempts ``first``..``last`` (ids derived from the number), each with a done job, a
    report and a decision, in one statement per table. ``spread``: decided over the past
    year, about 2,700 a day (a year of exams), else just now."""
    import json

    from django.db import connection

    rubric = [
        {
            "ord": n,
            "id": c["id"],
            "title": c["title"],
            "domain": c["domain"],
            "weight": float(c["weight"]),
            "critical": bool(c.get("critical", False)),
        }
        for n, c in enumerate(version.content["rubric"]["checkpoints"])
    ]
    max_total = sum(c["weight"] for c in rubric)
    params = {
        "rubric": json.dumps(rubric),
        "first": first,
        "last": last,
        "version": version.pk,
        "exam": exam.pk,
        "candidate": candidate.pk,
        "cert": exam.certification_id,
        "cut": 0.7 * max_total,
        "age": 1 if spread else 0,
    }
    uuid = "md5('{kind}-' || i)::uuid"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE gen AS {GENERATE}", params)
        cursor.execute(
            f"""INSERT INTO assessments_attempt (id, exam_id, candidate_id, status, seed,
                   scenario_version_ids, started_at, deadline, submitted_at, auto_submitted)
                SELECT {uuid.format(kind="attempt")}, %(exam)s, %(candidate)s, 'submitted', i,
                   jsonb_build_array(%(version)s), now(), now() + interval '2 hours', now(), false
                FROM gen""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO assessments_gradingjob (id, attempt_id, scenario_version_id,
                   design_sha256, status, requested_at, finished_at, runs, engine_version, error)
                SELECT {uuid.format(kind="job")}, {uuid.format(kind="attempt")}, %(version)s,
                   md5(i::text) || md5(i::text), 'done', now(), now(), 1, 'bench', ''
                FROM gen""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO assessments_gradereport (job_id, attempt_id, scenario_version_id,
                   inputs, engine_report, decision, total, created_at)
                SELECT {uuid.format(kind="job")}, {uuid.format(kind="attempt")}, %(version)s,
                   jsonb_build_object('seed', i),
                   jsonb_build_object(
                       'engine_version', 'bench', 'seed', i,
                       'scenario', jsonb_build_object('slug', '{SLUG}', 'version', 1),
                       'variant', jsonb_build_object(
                           'approval_threshold', thr, 'monthly_volume', vol,
                           'fortnight_volume', fortnight, 'fraud_rate', fraud,
                           'extraction_accuracy', accuracy, 'clerk_cost', cost),
                       'checkpoints', cps,
                       'metrics', jsonb_build_object('cases', vol, 'p50_cycle_hours', 20 + i %% 30,
                           'p90_cycle_hours', 60 + i %% 40, 'cost_per_case', cost / 10,
                           'error_escape_rate', fraud / 3, 'sla_breaches', i %% 17),
                       'total', round((100 * t / {max_total})::numeric, 2),
                       'critical_failures', '[]'::jsonb, 'pending_human', '[]'::jsonb),
                   CASE WHEN t >= %(cut)s THEN 'pass' ELSE 'fail' END,
                   round((100 * t / {max_total})::numeric, 2), now()
                FROM gen""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO assessments_certificationdecision (id, user_id,
                   certification_id, outcome, critical_passed, total, cut_score,
                   domain_scores, decided_at, rationale, attempt_id, report_ids,
                   reversal_reason)
                SELECT {uuid.format(kind="decision")}, %(candidate)s, %(cert)s,
                   CASE WHEN t >= %(cut)s THEN 'pass' ELSE 'fail' END, true,
                   round((100 * t / {max_total})::numeric, 2), 70, '{{}}'::jsonb,
                   now() - %(age)s * (i %% 8760) * interval '1 hour', '',
                   {uuid.format(kind="attempt")}, '[]'::jsonb, ''
                FROM gen""",
            params,
        )
        cursor.execute("DROP TABLE gen")


def attempt_id(i: int):
    import hashlib
    import uuid

    return uuid.UUID(hashlib.md5(f"attempt-{i}".encode()).hexdigest())
