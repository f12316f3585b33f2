"""A new version of a scenario with only its cut score changed (what adopting a standard-setting
study publishes): the same content otherwise, where the cut came from recorded in the rubric,
self-tested like any publication, audited; never from a superseded version."""

import copy
import types

import pytest

from audit.models import AuditEvent
from config.errors import Conflict, InvalidRequest
from scenarios import engine
from scenarios.models import ScenarioVersion
from scenarios.services import (
    PublishRefused,
    scenario_version_publish,
    scenario_version_with_cut_score,
)

pytestmark = pytest.mark.django_db
REAL_SELFTEST = engine.selftest
BASIS = {"method": "modified-angoff", "study": "12", "raters": 4}


@pytest.fixture
def published(ap_pack, monkeypatch):
    ok = types.SimpleNamespace(ok=True, items=[], to_dict=lambda: {"ok": True})
    monkeypatch.setattr("scenarios.engine.selftest", lambda pack: ok)
    version, _ = scenario_version_publish(pack=ap_pack)
    return version


def test_the_next_version_carries_the_cut_score_and_its_basis_and_nothing_else(
    published, django_user_model
):
    admin = django_user_model.objects.create_user(email="a@example.test", password="x" * 12)
    new = scenario_version_with_cut_score(
        version=published, cut_score=82.35, basis=BASIS, actor=admin
    )
    assert new.version == published.version + 1 and new.scenario_id == published.scenario_id
    assert new.content["rubric"]["cut_score"] == 82.35
    assert new.content["rubric"]["standard_setting"] == {
        **BASIS,
        "previous_cut_score": 70,
        "from_version": published.version,
    }
    expected = copy.deepcopy(published.content)
    expected["version"] = new.version
    expected["rubric"]["cut_score"] = 82.35
    expected["rubric"]["standard_setting"] = new.content["rubric"]["standard_setting"]
    assert new.content == expected
    event = AuditEvent.objects.get(action="scenario_version.cut_score_set")
    assert event.target_id == str(new.pk) and event.actor == admin
    assert event.data["from"] == 70 and event.data["to"] == 82.35
    assert AuditEvent.objects.filter(action="scenario_version.published").count() == 2


def test_a_superseded_version_or_a_cut_outside_0_to_100_is_refused(published):
    for cut in (0, -5, 100.5):
        with pytest.raises(InvalidRequest):
            scenario_version_with_cut_score(
                version=published, cut_score=cut, basis=BASIS, actor=None
            )
    scenario_version_with_cut_score(version=published, cut_score=80, basis=BASIS, actor=None)
    with pytest.raises(Conflict) as stale:
        scenario_version_with_cut_score(version=published, cut_score=75, basis=BASIS, actor=None)
    assert stale.value.code == "version_superseded"
    assert ScenarioVersion.objects.filter(scenario=published.scenario).count() == 2


def test_a_cut_score_the_exemplars_cannot_reach_fails_the_real_self_test(published, monkeypatch):
    """The real self-test this time: it refuses a cut that fails the exemplar designs."""
    monkeypatch.setattr("scenarios.engine.selftest", REAL_SELFTEST)
    version = published
    with pytest.raises(PublishRefused) as refused:
        scenario_version_with_cut_score(version=version, cut_score=99.9, basis=BASIS, actor=None)
    assert {item["name"] for item in refused.value.details} >= {"agent-extraction-with-callback"}
    assert ScenarioVersion.objects.filter(scenario=version.scenario).count() == 1
    assert not AuditEvent.objects.filter(action="scenario_version.cut_score_set").exists()
