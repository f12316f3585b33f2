"""Item statistics counting under real PostgreSQL concurrency: the same attempt counted by
several workers at once enters the sums once, and different attempts counted at once lose no
update (the scenario lock serialises them; SQLite would hide both)."""

import threading

import pytest
from django.db import connections

from quality import item_stats_services
from quality.item_stats_data import sums_of
from quality.item_stats_models import ItemStatsCounted
from quality.item_stats_services import item_stats_count_attempt
from scenarios.models import ScenarioVersion
from tests.factories import UserFactory
from tests.quality.item_stats_factories import graded_attempt

pytestmark = pytest.mark.integration


def _at_once(targets) -> list[BaseException]:
    barrier, errors = threading.Barrier(len(targets)), []

    def run(target):
        barrier.wait()
        try:
            target()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.fixture
def no_publish(monkeypatch):
    monkeypatch.setattr(item_stats_services, "_send_after_commit", lambda *a, **k: None)


def test_an_attempt_counted_by_four_workers_at_once_enters_the_sums_once(
    reliability_exam, no_publish
):
    version = ScenarioVersion.objects.get()
    candidate = UserFactory()
    reports = []
    for _ in range(10):  # ten races, so that some do overlap
        attempt, report = graded_attempt(
            exam=reliability_exam,
            candidate=candidate,
            version=version,
            points={"payment-approval": 3.0},
        )
        reports.append(report.pk)
        count = lambda a=attempt: item_stats_count_attempt(attempt_id=a.pk)
        assert _at_once([count] * 4) == []
    sums = sums_of(version.pk)
    assert sums.n == 10 and sums.checkpoints["payment-approval"].sum_x == 30.0
    assert sorted(ItemStatsCounted.objects.values_list("report_id", flat=True)) == reports


def test_eight_attempts_counted_at_once_lose_no_update(reliability_exam, no_publish):
    version = ScenarioVersion.objects.get()
    candidate = UserFactory()
    attempts = [
        graded_attempt(
            exam=reliability_exam,
            candidate=candidate,
            version=version,
            points={"payment-approval": float(i % 4)},
        )[0]
        for i in range(8)
    ]
    targets = [lambda a=a: item_stats_count_attempt(attempt_id=a.pk) for a in attempts]
    assert _at_once(targets) == []
    sums = sums_of(version.pk)
    assert sums.n == 8
    assert sums.checkpoints["payment-approval"].sum_x == sum(i % 4 for i in range(8))  # 12
    assert sums.sum_t2 == sum((i % 4) ** 2 for i in range(8))
