# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Item statistics kept incrementally: the running sums give what the two-pass formulas give,
each report is counted once however often the task runs, a regrade moves the attempt's points
to its new report, a SQL rebuild agrees with the counting, and reading the statistics costs
the same whatever the number of attempts."""

import random

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from quality import item_stats, item_stats_services
from quality.item_stats import Row, pearson
from quality.item_stats_data import spec_of, sums_of
from quality.item_stats_models import ItemStatistics, ItemStatsCounted, ItemStatsVersion
from quality.item_stats_rebuild import item_stats_rebuild
from quality.item_stats_services import item_stats_count_attempt, item_stats_publish
from quality.item_stats_tasks import item_statistics_count
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.quality.item_stats_factories import graded_attempt, plant, random_rows, regraded


def _two_pass(rows: list[Row], max_points: dict[str, float]) -> dict[str, tuple]:
    """The textbook definitions, two passes over the rows: (facility, corrected r)."""
    totals = [sum(r.points.values()) for r in rows]
    result = {}
    for cp, maximum in max_points.items():
        xs = [r.points.get(cp, 0.0) for r in rows]
        rest = [t - x for t, x in zip(totals, xs, strict=True)]
        result[cp] = (sum(xs) / len(xs) / maximum, pearson(xs, rest))
    return result


def test_running_sums_give_the_two_pass_results_after_additions_and_removals():
    rng = random.Random(12)
    max_points = {"a": 1.0, "b": 2.5, "c": 4.0, "d": 0.75, "e": 3.0}
    rows = random_rows(rng, 20_000, max_points)
    sums = item_stats.Sums()
    for row in rows:
        item_stats.add(sums, item_stats.contribution(row, max_points, {}))
    removed = set(rng.sample(range(len(rows)), 3_000))
    for i in removed:  # e.g. regrades taking their old reports out
        item_stats.add(sums, item_stats.contribution(rows[i], max_points, {}), sign=-1)
    kept = [row for i, row in enumerate(rows) if i not in removed]

    expected = _two_pass(kept, max_points)
    assert sums.n == len(kept) == 17_000
    for cp in max_points:
        facility = sums.checkpoints[cp].sum_x / sums.n / max_points[cp]
        r = item_stats.corrected_item_total(sums.checkpoints[cp], sums.n, sums.sum_t, sums.sum_t2)
        assert facility == pytest.approx(expected[cp][0], abs=1e-12)
        assert r == pytest.approx(expected[cp][1], abs=1e-9)
        assert 0.2 < r < 0.9  # correlated by construction: the check is not vacuous


def test_a_constant_checkpoint_has_no_discrimination_even_through_rounding():
    # 0.1 is not exact in binary: the running sums leave a tiny non-zero variance.
    rows = [Row(points={"a": 0.1, "b": float(i % 3)}, passed=True) for i in range(30_001)]
    stats = {s["checkpoint"]: s for s in item_stats.checkpoint_statistics(rows, {"a": 1, "b": 2})}
    assert stats["a"]["discrimination"] is None
    assert stats["a"]["facility"] == 0.1


# --- the database: counting, the rebuild, regrades -------------------------------------------


@pytest.mark.django_db
def test_counting_gives_the_two_pass_figures_and_a_rebuild_gives_the_same(
    exam, candidate, ap_version
):
    rows, attempts = plant(exam, candidate, ap_version, 60)
    for attempt in attempts:
        item_stats_count_attempt(attempt_id=attempt.pk)
    max_points, parameters = spec_of(ap_version.pk)
    expected = _two_pass(rows, max_points)

    counted = item_stats_publish(version_id=ap_version.pk).data
    assert counted["attempts"] == 60
    assert counted["pass_rate"] == round(sum(r.passed for r in rows) / 60, 4)
    for stat in counted["checkpoints"]:
        facility, r = expected[stat["checkpoint"]]
        assert stat["facility"] == pytest.approx(facility, abs=1e-4)
        assert stat["discrimination"] == pytest.approx(r, abs=1e-4)
    # The variant groups: the same as the pure computation over the same rows.
    assert counted["variants"] == item_stats.variant_statistics(rows, parameters)
    incremental = sums_of(ap_version.pk)

    counts = item_stats_rebuild(scenario=ap_version.scenario)  # SQL aggregates
    assert counts == {ap_version.pk: 60}
    rebuilt = ItemStatistics.objects.get(scenario_version=ap_version).data
    assert rebuilt == counted
    again = sums_of(ap_version.pk)
    assert again.n == incremental.n and again.groups == incremental.groups
    for cp, sums in incremental.checkpoints.items():
        assert again.checkpoints[cp].sum_xt == pytest.approx(sums.sum_xt, rel=1e-12)
    assert set(ItemStatsCounted.objects.values_list("attempt_id", flat=True)) == {
        a.pk for a in attempts
    }


@pytest.mark.django_db
def test_a_planted_harder_variant_is_flagged_by_counting_and_by_the_rebuild(
    exam, candidate, ap_version
):
    _, attempts = plant(exam, candidate, ap_version, 120, seed=9, harder_threshold=25000)
    for attempt in attempts:
        item_stats_count_attempt(attempt_id=attempt.pk)

    def flagged():
        data = item_stats_publish(version_id=ap_version.pk).data
        return {(v["parameter"], v["group"]) for v in data["variants"] if v["flagged"]}, data

    counted, data = flagged()
    # The harder group is flagged; the other thresholds then differ from the rest too (they
    # carry the easier attempts); the volume, drawn independently, is not flagged.
    assert ("approval_threshold", "25000") in counted
    assert {name for name, _ in counted} == {"approval_threshold"}
    harder = next(v for v in data["variants"] if v["group"] == "25000")
    assert harder["pass_rate"] < 0.3 < 0.7 < harder["rest_pass_rate"]
    item_stats_rebuild(scenario=ap_version.scenario)
    assert flagged() == (counted, data)


@pytest.mark.django_db
def test_a_report_is_counted_once_however_often_its_task_runs(exam, candidate, ap_version):
    attempt, report = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 1.0}
    )
    for _ in range(3):  # a redelivered message, the sweep, the decision hook again
        item_statistics_count(str(attempt.pk))
    sums = sums_of(ap_version.pk)
    assert sums.n == 1 and sums.checkpoints["payment-approval"].sum_x == 1.0
    assert ItemStatsCounted.objects.get().report_id == report.pk


@pytest.mark.django_db
def test_an_undecided_attempt_and_a_pending_regrade_are_not_counted(
    exam, candidate, programme_admin, ap_version
):
    undecided, _ = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"a": 1.0}, decided=False
    )
    assert item_stats_count_attempt(attempt_id=undecided.pk) == set()
    decided, first = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 0.0}
    )
    regraded(
        attempt=decided,
        version=ap_version,
        points={"payment-approval": 1.0},
        by=programme_admin,
        concluded=False,
    )
    item_stats_count_attempt(attempt_id=decided.pk)
    assert ItemStatsCounted.objects.get().report_id == first.pk
    assert sums_of(ap_version.pk).checkpoints["payment-approval"].sum_x == 0.0


@pytest.mark.django_db
def test_a_regrade_moves_the_attempt_from_its_old_report_to_the_new_one(
    exam, candidate, programme_admin, ap_version
):
    from tests.assessments.test_regrade import publish_next_version

    v2 = publish_next_version(ap_version, lambda cp: None)
    other, _ = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 0.5}
    )
    attempt, _ = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 0.0}
    )
    for a in (other, attempt):
        item_stats_count_attempt(attempt_id=a.pk)
    assert sums_of(ap_version.pk).n == 2

    new = regraded(
        attempt=attempt, version=v2, points={"payment-approval": 1.0}, by=programme_admin
    )
    assert item_stats_count_attempt(attempt_id=attempt.pk) == {ap_version.pk, v2.pk}
    old_sums, new_sums = sums_of(ap_version.pk), sums_of(v2.pk)
    assert old_sums.n == 1 and old_sums.checkpoints["payment-approval"].sum_x == 0.5
    assert new_sums.n == 1 and new_sums.checkpoints["payment-approval"].sum_x == 1.0
    assert ItemStatsCounted.objects.get(attempt=attempt).report_id == new.pk
    # Counting the attempt again (or an old message about it) changes nothing.
    assert item_stats_count_attempt(attempt_id=attempt.pk) == set()
    # The rebuild agrees.
    assert item_stats_rebuild(scenario=ap_version.scenario) == {ap_version.pk: 1, v2.pk: 1}


@pytest.mark.django_db
def test_a_regrade_through_the_pipeline_republishes_both_versions(
    client_for, candidate, programme_admin, exam, exemplar_for, ap_version
):
    from assessments.services.attempts import attempt_start, attempt_submit
    from tests.assessments.test_regrade import publish_next_version

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt,
        designs={attempt.scenario_version_ids[0]: exemplar_for(attempt, "sampled-approvals")},
    )
    url = "/api/v1/quality/item-statistics/ap-invoice-processing/"
    admin = client_for(programme_admin)
    v1 = {"version": ap_version.version}
    assert admin.get(url, v1).json()["attempts"] == 1  # counted on its decision

    def heavier(cp):
        if cp["id"] == "payment-approval":
            cp["weight"] = 6.0  # twice the weight, still critical: the design fails at once

    v2 = publish_next_version(ap_version, heavier)
    response = admin.post(
        f"/api/v1/admin/attempts/{attempt.pk}/regrades/", {"reason": "reweighted"}, format="json"
    )
    assert response.status_code == 202, response.json()
    assert admin.get(url, v1).json()["attempts"] == 0
    body = admin.get(url, {"version": v2.version}).json()
    assert body["attempts"] == 1
    approval = next(c for c in body["checkpoints"] if c["checkpoint"] == "payment-approval")
    assert approval["max_points"] == 6.0 and approval["facility"] == 0.0


@pytest.mark.django_db
def test_the_sweep_counts_what_a_lost_message_missed_and_publishes_it(exam, candidate, ap_version):
    graded_attempt(  # written without the hook: as if the count message was lost
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 1.0}
    )
    assert item_stats_services.item_stats_sweep()["counted_attempts"] == 1
    assert ItemStatistics.objects.get(scenario_version=ap_version).attempts == 1
    assert item_stats_services.item_stats_sweep() == {"counted_attempts": 0, "published": 0}
    # Sums that changed after their snapshot (its publish message lost) are published.
    ItemStatsVersion.objects.filter(pk=ap_version.pk).update(changed_at=timezone.now())
    assert item_stats_services.item_stats_sweep() == {"counted_attempts": 0, "published": 1}
    entry = settings.CELERY_BEAT_SCHEDULE["quality-item-statistics"]
    assert entry["task"] == "quality.tasks.item_statistics_sweep"


@pytest.mark.django_db
def test_a_burst_of_counts_sends_one_publish(exam, candidate, ap_version, monkeypatch):
    queued = []
    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: None)
    monkeypatch.setattr(
        item_stats_services,
        "_send_after_commit",
        lambda name, *args, countdown=None: queued.append((name, args, countdown)),
    )
    for _ in range(5):
        attempt, _ = graded_attempt(
            exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 1}
        )
        item_stats_count_attempt(attempt_id=attempt.pk)
    publishes = [q for q in queued if q[0] == item_stats_services.PUBLISH_TASK]
    assert publishes == [(item_stats_services.PUBLISH_TASK, (ap_version.pk,), 10.0)]
    item_stats_publish(version_id=ap_version.pk)  # the publish ran: the next count asks again
    assert ItemStatsVersion.objects.get(pk=ap_version.pk).publish_queued is False


@pytest.mark.django_db
def test_a_rebuild_is_a_staff_action_in_the_audit_trail(
    client_for, exam, candidate, programme_admin, ap_version
):
    graded_attempt(exam=exam, candidate=candidate, version=ap_version, points={"a": 1.0})
    url = "/api/v1/quality/item-statistics/ap-invoice-processing/"
    assert client_for(programme_admin).post(url).status_code == 202
    event = AuditEvent.objects.get(action="item_statistics.rebuilt")
    assert event.actor == programme_admin
    assert event.data == {"reports_per_version": {str(ap_version.pk): 1}}


@pytest.mark.django_db
def test_every_role_but_programme_staff_is_refused(
    client_for, exam, candidate, partner_manager, grader, programme_admin, ap_version
):
    attempt, _ = graded_attempt(exam=exam, candidate=candidate, version=ap_version, points={})
    item_stats_count_attempt(attempt_id=attempt.pk)
    item_stats_publish(version_id=ap_version.pk)
    url = "/api/v1/quality/item-statistics/ap-invoice-processing/"
    for user in (candidate, partner_manager, grader):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).get(url + "checkpoints.csv").status_code == 403
        assert client_for(user).post(url).status_code == 403
        page = Client()
        page.force_login(user)
        assert page.get("/quality/item-statistics/").status_code == 403
    assert Client().get(url).status_code in (401, 403)
    assert Client().get("/quality/item-statistics/").status_code == 302  # to sign in
    assert client_for(programme_admin).get(url).status_code == 200


@pytest.mark.django_db
def test_reading_the_statistics_costs_the_same_queries_for_5_or_50_attempts(
    client_for, exam, candidate, programme_admin, ap_version
):
    url = "/api/v1/quality/item-statistics/ap-invoice-processing/"
    admin = client_for(programme_admin)
    page = Client()
    page.force_login(programme_admin)

    def queries(n_more):
        _, attempts = plant(exam, candidate, ap_version, n_more, seed=n_more)
        for attempt in attempts:
            item_stats_count_attempt(attempt_id=attempt.pk)
        item_stats_publish(version_id=ap_version.pk)
        counts = []
        for path, client in ((url, admin), (url + "checkpoints.csv", admin), (PAGE, page)):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
            assert "gradereport" not in " ".join(q["sql"] for q in captured.captured_queries)
        return counts

    few = queries(5)
    many = queries(45)
    assert min(few) >= 2  # session, user, snapshot: the count is real
    assert ItemStatistics.objects.get(scenario_version=ap_version).attempts == 50
    assert few == many


PAGE = "/quality/item-statistics/"


@pytest.mark.django_db
def test_a_rebuild_repairs_sums_that_missed_a_regrade_and_leaves_the_rest(
    exam, candidate, programme_admin, ap_version
):
    kept, kept_report = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 2.0}
    )
    moved, _ = graded_attempt(
        exam=exam, candidate=candidate, version=ap_version, points={"payment-approval": 0.0}
    )
    for a in (kept, moved):
        item_stats_count_attempt(attempt_id=a.pk)
    untouched = ItemStatsCounted.objects.get(attempt=kept).counted_at
    new = regraded(  # its message lost: the sums still hold the old report
        attempt=moved, version=ap_version, points={"payment-approval": 3.0}, by=programme_admin
    )

    assert item_stats_rebuild(scenario=ap_version.scenario) == {ap_version.pk: 2}
    assert ItemStatsCounted.objects.get(attempt=moved).report_id == new.pk
    row = ItemStatsCounted.objects.get(attempt=kept)
    assert row.report_id == kept_report.pk and row.counted_at == untouched  # not rewritten
    assert sums_of(ap_version.pk).checkpoints["payment-approval"].sum_x == 5.0
