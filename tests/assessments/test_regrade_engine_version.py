"""An engine change is previewed like a rubric fix: a batch regrade of a scenario includes the
attempts last graded by another engine version (even of the same scenario version), shows what
the current engine decides for them, and changes nothing until staff apply it."""

import pytest

from assessments.models import CertificationDecision, GradingJob, Regrade
from scenarios.engine import ENGINE_VERSION

from .test_regrade_batches import URL, _create, admin, attempts  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_attempts_graded_by_an_older_engine_are_previewed_and_nothing_changes(
    admin,  # noqa: F811
    attempts,  # noqa: F811
    ap_version,
):
    old = [attempts["bare"], attempts["sampled"]]
    GradingJob.objects.filter(attempt__in=old).update(engine_version="1.1.0")
    decisions = list(CertificationDecision.objects.values_list("pk", "outcome", "reversed_at"))

    response = _create(admin, ap_version, reason="engine 2.0.0: work not done is not free")

    assert response.status_code == 202, response.json()
    batch = admin.get(f"{URL}/{response.json()['id']}/").json()
    assert batch["target_version"] == ap_version.version  # no new scenario version needed
    assert batch["status"] == "previewed" and batch["attempts"] == batch["previewed"] == 2
    items = admin.get(f"{URL}/{batch['id']}/items/").json()["results"]
    assert {i["attempt"] for i in items} == {str(a.pk) for a in old}
    assert all(i["proposed"]["outcome"] in ("pass", "fail", None) for i in items)
    # Previewing changed nothing: no regrade, the same decisions.
    assert not Regrade.objects.exists()
    assert list(CertificationDecision.objects.values_list("pk", "outcome", "reversed_at")) == (
        decisions
    )


def test_attempts_graded_by_this_engine_are_left_out(admin, attempts, ap_version):  # noqa: F811
    assert set(GradingJob.objects.values_list("engine_version", flat=True)) == {ENGINE_VERSION}
    batch = _create(admin, ap_version).json()
    assert batch["status"] == "previewed" and batch["summary"]["attempts"] == 0
