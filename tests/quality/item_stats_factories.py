"""Graded attempts with chosen points, variants and outcomes, written straight to the tables
the item statistics read (the grading pipeline itself is tested in tests/assessments), so the
statistics can be checked against answers computed by hand or by the two-pass formulas."""

import random
from datetime import timedelta

from django.utils import timezone

from assessments.models import (
    Attempt,
    CertificationDecision,
    GradeReport,
    GradingJob,
    Regrade,
)
from quality.item_stats import Row
from quality.item_stats_data import spec_of


def report_for(attempt, version, points: dict, variant: dict, passed: bool, regrade=None):
    job = GradingJob.objects.create(
        attempt=attempt,
        scenario_version=version,
        design_sha256="0" * 64,
        regrade=regrade,
        status=GradingJob.Status.DONE,
    )
    return GradeReport.objects.create(
        job=job,
        attempt=attempt,
        scenario_version=version,
        engine_report={
            "checkpoints": [
                {"id": cid, "points": p, "max_points": 1.0, "status": "passed" if p else "failed"}
                for cid, p in points.items()
            ],
            "variant": variant,
        },
        decision="pass" if passed else "fail",
        total=sum(p or 0 for p in points.values()),
    )


def graded_attempt(*, exam, candidate, version, points, variant=None, passed=True, decided=True):
    """A submitted attempt with one report on ``version`` and, when ``decided``, its decision."""
    now = timezone.now()
    attempt = Attempt.objects.create(
        exam=exam,
        candidate=candidate,
        status=Attempt.Status.SUBMITTED,
        seed=7,
        scenario_version_ids=[version.pk],
        deadline=now + timedelta(hours=2),
        submitted_at=now,
    )
    report = report_for(attempt, version, points, variant or {}, passed)
    if decided:
        CertificationDecision.objects.create(
            user=candidate,
            certification=exam.certification,
            attempt=attempt,
            outcome="pass" if passed else "fail",
            critical_passed=passed,
            total=report.total,
            cut_score=70,
            report_ids=[report.pk],
        )
    return attempt, report


def regraded(*, attempt, version, points, variant=None, passed=True, by, concluded=True):
    """A regrade of ``attempt`` onto ``version`` with a report of these points."""
    regrade = Regrade.objects.create(
        attempt=attempt,
        requested_by=by,
        reason="rubric fix",
        scenario_version_ids=[version.pk],
        status=Regrade.Status.UNCHANGED if concluded else Regrade.Status.PENDING,
        finished_at=timezone.now() if concluded else None,
    )
    return report_for(attempt, version, points, variant or {}, passed, regrade=regrade)


def random_rows(rng, n, max_points):
    rows = []
    for _ in range(n):
        ability = rng.random()
        points = {}
        for cp, maximum in max_points.items():
            # Partial credit in quarters, more likely for abler candidates: correlated items.
            quarters = sum(rng.random() < ability for _ in range(4))
            points[cp] = maximum * quarters / 4
        rows.append(Row(points=points, passed=ability > 0.5))
    return rows


def plant(exam, candidate, version, n, seed=5, harder_threshold=None):
    """``n`` decided attempts with random correlated points and variants; the reports' rows."""
    rng = random.Random(seed)
    max_points, parameters = spec_of(version.pk)
    choices = parameters["approval_threshold"]["choices"]
    volume = parameters["monthly_volume"]
    rows, attempts = [], []
    for row in random_rows(rng, n, max_points):
        variant = {
            "approval_threshold": rng.choice(choices),
            "monthly_volume": rng.randrange(volume["min"], volume["max"] + 1, volume["step"]),
        }
        if harder_threshold is not None:
            rate = 0.2 if variant["approval_threshold"] == harder_threshold else 0.8
            row.passed = rng.random() < rate
        row.variant = variant
        attempt, _ = graded_attempt(
            exam=exam,
            candidate=candidate,
            version=version,
            points=row.points,
            variant=variant,
            passed=row.passed,
        )
        rows.append(row)
        attempts.append(attempt)
    return rows, attempts
