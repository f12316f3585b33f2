"""Issuing: only from a passing decision, after it commits, once per decision."""

import copy

import pytest
from jsonschema import Draft201909Validator

from assessments.hooks import notify_decision
from assessments.services.decisions import decision_reverse
from audit.selectors import audit_events_for
from certification import tasks
from certification.models import Credential, StatusList
from certification.services import IssuanceRefused, credential_issue
from certification.verification import verify_document

from .conftest import load_standard
from .factories import DecisionFactory, issue


def test_issued_credential_validates_against_the_official_ob3_schema(issued):
    schema = load_standard("ob_v3p0_achievementcredential_schema.json")
    errors = [
        f"{e.json_path}: {e.message}"
        for e in Draft201909Validator(schema).iter_errors(issued.document)
    ]
    assert errors == []


def test_issued_credential_has_the_decided_shape(issued, candidate):
    doc = issued.document
    assert doc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"] == f"https://practica.example/credentials/{issued.pk}"
    assert doc["issuer"]["id"].startswith("did:key:z6Mk")
    assert isinstance(doc["proof"], list) and len(doc["proof"]) == 1
    assert doc["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert doc["credentialStatus"]["statusPurpose"] == "revocation"
    assert doc["credentialStatus"]["statusListIndex"] == str(issued.status_index)
    assert "credentialSchema" not in doc
    assert doc["validUntil"] > doc["validFrom"]
    assert (issued.valid_until - issued.valid_from).days == 730
    subject = doc["credentialSubject"]
    assert subject["name"] == candidate.full_name
    achievement = subject["achievement"]
    assert [a["targetCode"] for a in achievement["alignment"]] == [
        "risk-controls",
        "human-oversight",
        "process-design",
    ]
    names = {d["id"]: d["name"] for d in achievement["resultDescription"]}
    values = {names[r["resultDescription"]]: r["value"] for r in subject["result"]}
    assert values == {
        "Overall score (weighted, percent)": "86.5",
        "Risk and controls (percent)": "90",
        "Human oversight (percent)": "80",
        "Process design (percent)": "88",
    }
    assert doc["evidence"][0]["type"] == ["Evidence"]
    assert candidate.email not in str(doc)  # nothing private beyond what it shows


def test_issued_credential_verifies_with_every_check_passing(issued):
    result = verify_document(issued.document)
    assert result["verified"] is True and result["status"] == "valid"
    assert {c["name"]: c["outcome"] for c in result["checks"]} == {
        "issuer_key": "pass",
        "proof": "pass",
        "issuer_trust": "pass",
        "dates": "pass",
        "status": "pass",
    }


def test_issue_writes_an_audit_row(issued):
    events = list(audit_events_for(target=issued))
    assert [e.action for e in events] == ["credential.issued"]
    assert events[0].data["decision"] == str(issued.decision_id) and events[0].actor is None


def test_two_deliveries_of_the_task_make_one_credential(passing_decision):
    first = tasks.issue_credential.apply(args=[str(passing_decision.pk)]).get()
    second = tasks.issue_credential.apply(args=[str(passing_decision.pk)]).get()
    assert first == second
    assert Credential.objects.filter(decision=passing_decision).count() == 1


def test_a_failing_or_reversed_decision_never_issues(candidate, certification, programme_admin):
    failing = DecisionFactory(
        user=candidate, certification=certification, outcome="fail", total=40, critical_passed=False
    )
    with pytest.raises(IssuanceRefused):
        credential_issue(decision_id=failing.pk)
    assert tasks.issue_credential.apply(args=[str(failing.pk)]).get() is None
    reversed_pass = DecisionFactory(user=candidate, certification=certification)
    decision_reverse(decision=reversed_pass, actor=programme_admin, reason="misconduct")
    with pytest.raises(IssuanceRefused):
        credential_issue(decision_id=reversed_pass.pk)
    assert not Credential.objects.exists()


@pytest.fixture
def tasks_in_process(monkeypatch):
    """Deliver the tasks the listener sends in this process, whatever broker is configured."""
    for task in (tasks.issue_credential, tasks.withdraw_credential):
        monkeypatch.setattr(
            task, "apply_async", lambda args=(), _task=task, **options: _task.apply(args=args)
        )


def test_a_recorded_pass_is_issued_only_after_the_decision_commits(
    passing_decision, django_capture_on_commit_callbacks, tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_decision(passing_decision.pk, "recorded")
    assert not Credential.objects.exists(), "nothing is issued inside the decision's transaction"
    assert len(callbacks) == 1
    callbacks[0]()
    assert Credential.objects.filter(decision=passing_decision).count() == 1


def test_a_recorded_fail_schedules_nothing(
    candidate, certification, django_capture_on_commit_callbacks
):
    failing = DecisionFactory(
        user=candidate, certification=certification, outcome="fail", total=40, critical_passed=False
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_decision(failing.pk, "recorded")
    assert callbacks == [] and not Credential.objects.exists()


def test_reversed_decision_withdraws_the_credential(
    issued, programme_admin, django_capture_on_commit_callbacks, tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        decision_reverse(decision=issued.decision, actor=programme_admin, reason="appeal upheld")
    issued.refresh_from_db()
    assert issued.revoked_at is not None and "appeal upheld" in issued.revocation_reason
    assert verify_document(issued.document)["status"] == "revoked"
    assert [e.action for e in audit_events_for(target=issued)][-1] == "credential.withdrawn"


def test_renewal_supersedes_and_the_old_one_stays_verifiable(issued, candidate, certification):
    signed_before = copy.deepcopy(issued.document)
    renewed = issue(DecisionFactory(user=candidate, certification=certification, total=91))
    issued.refresh_from_db()
    assert renewed.supersedes_id == issued.pk
    assert issued.document == signed_before  # the signed document is never edited
    old = verify_document(issued.document)
    assert old["status"] == "valid"
    assert any(c["name"] == "superseded" and str(renewed.pk) in c["detail"] for c in old["checks"])
    assert [e.action for e in audit_events_for(target=issued)][-1] == "credential.superseded"


def test_status_indexes_are_random_and_unique(candidate, certification):
    credentials = [issue(user=candidate, certification=certification) for _ in range(12)]
    indexes = [c.status_index for c in credentials]
    assert len(set(indexes)) == 12
    assert indexes != sorted(indexes)
    assert StatusList.objects.get().allocated == 12


def test_an_index_collision_draws_again(passing_decision, monkeypatch):
    other = issue(DecisionFactory())
    draws = iter([other.status_index, other.status_index, 4242])
    monkeypatch.setattr(
        "certification.services.status_lists.secrets.randbelow", lambda n: next(draws)
    )
    credential = credential_issue(decision_id=passing_decision.pk)
    assert credential.status_index == 4242


def test_a_full_list_opens_a_new_one(passing_decision):
    first = issue(DecisionFactory())
    StatusList.objects.filter(pk=first.status_list_id).update(allocated=10**6)
    second = credential_issue(decision_id=passing_decision.pk)
    assert second.status_list_id != first.status_list_id
    assert StatusList.objects.get(pk=second.status_list_id).signed is not None
