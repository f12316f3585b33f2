"""Competency coverage from domain scores (threshold 70), single-person dependencies, the
departure and expiry alerts, and tier targets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners.coverage import coverage, targets
from partners.dashboard import blueprint_domains
from partners.models import TierTarget

from .factories import CredentialRowFactory

pytestmark = pytest.mark.django_db

LOW = {"risk-controls": 69.9, "human-oversight": 90, "process-design": 90}
HIGH = {"risk-controls": 70, "human-oversight": 90, "process-design": 90}


def cover(firm):
    names, _ = blueprint_domains()
    return coverage(firm=firm, now=timezone.now(), names=names)


def by_domain(result):
    return {d["id"]: d["proficient"] for d in result["domains"]}


def test_proficiency_needs_the_threshold_on_an_active_credential(firm, member_of, certification):
    CredentialRowFactory(holder=member_of(firm), certification=certification, scores=LOW)
    CredentialRowFactory(holder=member_of(firm), certification=certification, scores=HIGH)
    CredentialRowFactory(  # suspended: its evidence does not count
        holder=member_of(firm),
        certification=certification,
        scores=HIGH,
        suspended_at=timezone.now(),
    )
    result = cover(firm)
    assert by_domain(result) == {"risk-controls": 1, "human-oversight": 2, "process-design": 2}


def test_a_single_person_dependency_is_named(firm, member_of, certification):
    only = member_of(firm, full_name="Priya Payments")
    CredentialRowFactory(holder=only, certification=certification, scores=HIGH)
    CredentialRowFactory(holder=member_of(firm), certification=certification, scores=LOW)
    result = cover(firm)
    assert result["dependencies"] == [
        {"domain": "risk-controls", "name": "Risk and controls", "person": "Priya Payments"}
    ]


def test_two_people_raise_a_departure_alert(firm, member_of, certification):
    for name in ("Ann", "Bob"):
        CredentialRowFactory(
            holder=member_of(firm, full_name=name), certification=certification, scores=HIGH
        )
    result = cover(firm)
    assert result["dependencies"] == []
    departures = [a for a in result["alerts"] if a["kind"] == "departure"]
    assert {a["domain"] for a in departures} == {
        "risk-controls",
        "human-oversight",
        "process-design",
    }
    assert "Ann or Bob leaves" in departures[0]["message"]


def test_an_expiry_within_90_days_that_would_leave_one_person_is_an_alert(
    firm, member_of, certification
):
    now = timezone.now()
    for i in range(3):
        valid_from = now - timedelta(days=700) if i < 2 else now - timedelta(days=10)
        CredentialRowFactory(
            holder=member_of(firm), certification=certification, scores=HIGH, valid_from=valid_from
        )
    result = cover(firm)
    expiry = [a for a in result["alerts"] if a["kind"] == "expiry"]
    assert len(expiry) == 3 and "one person" in expiry[0]["message"]
    assert not [a for a in result["alerts"] if a["kind"] == "departure"]


def test_no_alert_when_coverage_is_deep(firm, member_of, certification):
    for _ in range(3):
        CredentialRowFactory(holder=member_of(firm), certification=certification, scores=HIGH)
    assert cover(firm)["alerts"] == [] and cover(firm)["dependencies"] == []


def test_tier_targets_count_active_certified_people(firm, other_firm, member_of, certification):
    TierTarget.objects.create(tier="Specialist tier", certification=certification, target=2)
    TierTarget.objects.create(
        tier="Controls tier", certification=certification, domain="risk-controls", target=1
    )
    TierTarget.objects.create(
        tier="Other firm only", certification=certification, target=5, organisation=other_firm
    )
    CredentialRowFactory(holder=member_of(firm), certification=certification, scores=LOW)
    CredentialRowFactory(holder=member_of(firm), certification=certification, scores=HIGH)
    result = {t["tier"]: t for t in targets(firm=firm, now=timezone.now())}
    assert set(result) == {"Specialist tier", "Controls tier"}
    assert (result["Specialist tier"]["current"], result["Specialist tier"]["met"]) == (2, True)
    assert (result["Controls tier"]["current"], result["Controls tier"]["percent"]) == (1, 100)
