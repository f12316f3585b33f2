# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Item statistics on data whose answer is known: facility, corrected item-total correlation,
a planted harder variant group is flagged and an even one is not; the snapshot is computed by
the task, read by the API, CSV and page for programme staff only."""

import random

import pytest
from django.core.management import call_command
from django.test import Client

from quality import item_stats
from quality.item_stats import Row
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)


def test_facility_is_mean_points_over_maximum():
    rows = [Row(points={"a": p, "b": 1.0}, passed=True) for p in (0.0, 1.0, 2.0, 3.0)]
    stats = {s["checkpoint"]: s for s in item_stats.checkpoint_statistics(rows, {"a": 3, "b": 1})}
    assert stats["a"]["facility"] == 0.5  # mean 1.5 of 3
    assert stats["b"]["facility"] == 1.0
    assert stats["b"]["discrimination"] is None  # no variance: undefined, not zero


def test_discrimination_is_the_corrected_item_total_correlation():
    # "a" rises with the other checkpoints, "c" falls with them.
    rows = [
        Row(points={"a": a, "b": b, "c": c}, passed=True)
        for a, b, c in [(0, 0, 1), (0, 1, 1), (1, 1, 0), (1, 2, 0), (1, 3, 0)]
    ]
    stats = {
        s["checkpoint"]: s for s in item_stats.checkpoint_statistics(rows, {"a": 1, "b": 3, "c": 1})
    }
    # By hand: a = [0, 0, 1, 1, 1] against b + c = [1, 2, 1, 2, 3]: Sxy = 0.6, Sxx = 1.2,
    # Syy = 2.8, r = 0.6 / sqrt(1.2 * 2.8) = 0.3273.
    assert stats["a"]["discrimination"] == pytest.approx(0.3273, abs=1e-4)
    assert stats["c"]["discrimination"] < 0 and stats["c"]["weak_discrimination"] is True
    assert stats["a"]["weak_discrimination"] is False


def test_the_two_proportion_test_matches_a_worked_example():
    # 30/100 vs 50/100: pooled 0.4, se = sqrt(0.24 * 0.02) = 0.06928, z = -2.887, p = 0.00389.
    assert item_stats.two_proportion_p(30, 100, 50, 100) == pytest.approx(0.00389, abs=1e-5)


def _rows(harder_low_threshold: bool, n=600, seed=3):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        threshold = rng.uniform(10000, 40000)
        volume = rng.choice([1000, 2000])
        low = threshold < 20000
        rate = 0.35 if (harder_low_threshold and low) else 0.7
        rows.append(
            Row(
                points={"a": 1.0},
                passed=rng.random() < rate,
                variant={"approval_threshold": threshold, "volume": volume},
            )
        )
    return rows


PARAMETERS = {
    "approval_threshold": {"min": 10000, "max": 40000},
    "volume": {"choices": [1000, 2000]},
}


def test_a_planted_harder_variant_group_is_flagged_and_nothing_else():
    variants = item_stats.variant_statistics(_rows(harder_low_threshold=True), PARAMETERS)
    flagged = [(v["parameter"], v["group"].split()[0]) for v in variants if v["flagged"]]
    # The low third is harder; the other thirds then differ from the rest too (they carry the
    # easier attempts), the volume choice is independent and is not flagged.
    assert ("approval_threshold", "low") in flagged
    assert all(name == "approval_threshold" for name, _ in flagged)


def test_an_even_exam_flags_no_variant():
    variants = item_stats.variant_statistics(_rows(harder_low_threshold=False), PARAMETERS)
    assert variants and not any(v["flagged"] for v in variants)


def test_small_groups_are_not_tested():
    rows = _rows(harder_low_threshold=True, n=15)
    assert all(v["p_value"] is None for v in item_stats.variant_statistics(rows, PARAMETERS))


@pytest.mark.django_db
def test_the_snapshot_is_computed_by_the_command_and_read_by_staff(
    client_for, candidate, other_candidate, exam, exemplar_for, grader, programme_admin, capsys
):
    from assessments.services.attempts import attempt_start, attempt_submit

    for who, design in ((candidate, "sampled-approvals"), (other_candidate, "sampled-approvals")):
        attempt, _ = attempt_start(candidate=who, exam=exam)
        attempt_submit(
            attempt=attempt,
            designs={attempt.scenario_version_ids[0]: exemplar_for(attempt, design)},
        )
    url = "/api/v1/quality/item-statistics/ap-invoice-processing/"
    admin = client_for(programme_admin)
    # Counted as each attempt was decided, published from the sums (tasks run in-process here).
    body = admin.get(url).json()
    assert body["attempts"] == 2 and body["pass_rate"] == 0.0

    assert admin.post(url).status_code == 202  # a full rebuild gives the same figures
    assert admin.get(url).json()["checkpoints"] == body["checkpoints"]
    facility = {c["checkpoint"]: c["facility"] for c in body["checkpoints"]}
    assert facility["payment-approval"] == 0.0  # both failed the approval gate

    call_command("item_statistics", "--scenario", "ap-invoice-processing")
    assert "2 attempts" in capsys.readouterr().out

    csv = admin.get(url + "checkpoints.csv")
    assert csv.status_code == 200 and csv.content.decode().startswith("checkpoint,n,max_points")
    for user in (grader, candidate):
        assert client_for(user).get(url).status_code == 403
        page = Client()
        page.force_login(user)
        assert page.get("/quality/item-statistics/").status_code == 403
    staff = Client()
    staff.force_login(programme_admin)
    page = staff.get("/quality/item-statistics/").content.decode()
    assert 'data-item-statistics="ap-invoice-processing"' in page
    assert admin.get("/api/v1/quality/item-statistics/nope/").status_code == 404
    assert admin.get(url + "?version=x").status_code == 400
