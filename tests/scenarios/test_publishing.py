import copy

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from scenarios.engine import parse_pack
from scenarios.models import ImmutableVersionError, ScenarioVersion
from scenarios.services import PublishRefused, grade_for_version, scenario_version_publish


@pytest.mark.django_db
def test_publishing_is_idempotent(ap_pack):
    first, created = scenario_version_publish(pack=ap_pack)
    again, created_again = scenario_version_publish(pack=ap_pack)
    assert created and not created_again and first.pk == again.pk
    assert first.selftest["ok"] is True
    assert AuditEvent.objects.filter(action="scenario_version.published").count() == 1


@pytest.mark.django_db
def test_changed_content_needs_a_new_version(ap_pack):
    scenario_version_publish(pack=ap_pack)
    changed = copy.deepcopy(ap_pack.data)
    changed["title"] = "Edited after publication"
    with pytest.raises(PublishRefused, match="new version"):
        scenario_version_publish(pack=parse_pack(changed))


@pytest.mark.django_db
def test_a_pack_that_fails_its_selftest_is_refused(ap_pack):
    weakened = copy.deepcopy(ap_pack.data)
    weakened["version"] = 2
    for cp in weakened["rubric"]["checkpoints"]:
        if cp["id"] == "payment-approval":
            cp["critical"] = False
            cp["weight"] = 0.5  # the sampled-approvals flaw would now pass overall
    with pytest.raises(PublishRefused) as refused:
        scenario_version_publish(pack=parse_pack(weakened))
    assert any(item["name"] == "sampled-approvals" for item in refused.value.details)
    assert not ScenarioVersion.objects.filter(version=2).exists()


@pytest.mark.django_db
def test_published_versions_are_immutable(published_ap):
    published_ap.title = "changed"
    with pytest.raises(ImmutableVersionError):
        published_ap.save()
    with pytest.raises(ImmutableVersionError):
        published_ap.delete()
    stored = ScenarioVersion.objects.get(pk=published_ap.pk)
    assert stored.title != "changed" and stored.content_sha256 == published_ap.content_sha256


@pytest.mark.django_db
def test_publish_command_publishes_all_packs_once():
    from scenarios.services import pack_paths

    call_command("publish_scenarios")
    call_command("publish_scenarios")
    assert ScenarioVersion.objects.count() == len(pack_paths()) >= 4


@pytest.mark.django_db
def test_grade_for_version_is_replayable(published_ap, ap_exemplar):
    first = grade_for_version(version=published_ap, seed=3, design=ap_exemplar)
    second = grade_for_version(version=published_ap, seed=3, design=ap_exemplar)
    assert first == second and first["scenario"]["sha256"] == published_ap.content_sha256


@pytest.mark.django_db
def test_publish_from_a_path_or_from_data(ap_pack):
    from scenarios.services import PACKS_DIR

    by_path, created = scenario_version_publish(path=PACKS_DIR / "ap-invoice-processing")
    by_data, created_again = scenario_version_publish(data=copy.deepcopy(ap_pack.data))
    assert created and not created_again and by_path.pk == by_data.pk


@pytest.mark.django_db
def test_an_invalid_pack_is_refused_with_its_problems():
    with pytest.raises(PublishRefused) as refused:
        scenario_version_publish(data={"slug": "half-written", "version": 1})
    assert any("'rubric' is a required property" in p["message"] for p in refused.value.details)
    assert not ScenarioVersion.objects.exists()
