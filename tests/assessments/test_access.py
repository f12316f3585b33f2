"""Who may do what, for every exam endpoint and every role, including across firms.

Each test builds one small world and walks the roles: the ones that must be refused first (so
nothing they try can change what the allowed ones see), the allowed ones last. A 404 for
someone else's object is as good as a 403: it does not even confirm that the object exists."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership, Role
from assessments.models import CertificationDecision, Escalation, GradingJob, HumanScore, Regrade
from assessments.services.attempts import attempt_start, attempt_submit
from assessments.services.human_scoring import human_item_claim_next
from tests.factories import UserFactory

ANON = (401, 403)
DENIED = (403,)
HIDDEN = (403, 404)


@pytest.fixture
def people(candidate, other_candidate, partner_manager, grader, programme_admin, firm):
    colleague = UserFactory(email="colleague.grader@example.test", role=Role.GRADER)
    Membership.objects.create(user=colleague, organisation=firm)  # the candidate's own firm
    return {
        "anonymous": None,
        "candidate": candidate,
        "other_candidate": other_candidate,
        "partner_manager": partner_manager,
        "grader": grader,
        "colleague_grader": colleague,
        "programme_admin": programme_admin,
    }


@pytest.fixture
def world(people, exam, exemplar_for, certification):
    """The candidate's submitted, machine-graded attempt with two human items (the grader holds
    one), the other candidate's attempt in progress, a decision, an escalation, a regrade."""
    candidate = people["candidate"]
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
    )
    held = human_item_claim_next(grader=people["grader"])
    other, _ = attempt_start(candidate=people["other_candidate"], exam=exam)
    decision = CertificationDecision.objects.create(
        user=candidate,
        certification=certification,
        outcome="pass",
        critical_passed=True,
        total=90,
        cut_score=70,
    )
    escalation = Escalation.objects.create(
        kind="scoring_overdue", target_type="assessments.humanscore", target_id=str(held.pk)
    )
    regrade = Regrade.objects.create(
        attempt=attempt,
        requested_by=people["programme_admin"],
        reason="replay",
        scenario_version_ids=attempt.scenario_version_ids,
        status="unchanged",
        finished_at=timezone.now(),
    )
    return {
        "attempt": attempt,
        "other_attempt": other,
        "held": held,
        "open_item": HumanScore.objects.exclude(pk=held.pk).get(),
        "decision": decision,
        "escalation": escalation,
        "regrade": regrade,
        "job": GradingJob.objects.get(attempt=attempt),
    }


def _walk(client_for, people, method, url, expected, payload=None):
    """Call ``url`` as each role in ``expected`` (in order); return the responses."""
    responses = {}
    for role, statuses in expected.items():
        client = client_for(people[role])
        response = getattr(client, method)(url, payload or {}, format="json")
        assert response.status_code in statuses, (role, response.status_code, response.content)
        responses[role] = response
    return responses


def _only_staff(allowed_status: int) -> dict:
    return {
        "anonymous": ANON,
        "candidate": DENIED,
        "other_candidate": DENIED,
        "partner_manager": DENIED,
        "grader": DENIED,
        "colleague_grader": DENIED,
        "programme_admin": (allowed_status,),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/certifications/", "/api/v1/exams/"])
def test_catalogue_is_for_signed_in_users(client_for, people, world, url):
    expected = {"anonymous": ANON} | {r: (200,) for r in people if r != "anonymous"}
    responses = _walk(client_for, people, "get", url, expected)
    assert responses["candidate"].json()["results"]


@pytest.mark.django_db
def test_starting_an_attempt_is_for_consultants(client_for, people, world, exam):
    expected = {
        "anonymous": ANON,
        "grader": DENIED,
        "colleague_grader": DENIED,
        "programme_admin": DENIED,
        "other_candidate": (200,),  # the attempt already in progress comes back
        "partner_manager": (201,),  # managers may sit exams themselves
        "candidate": (201,),
    }
    responses = _walk(client_for, people, "post", f"/api/v1/exams/{exam.slug}/attempts/", expected)
    assert responses["other_candidate"].json()["id"] == str(world["other_attempt"].pk)
    assert "brief" in responses["candidate"].json()["parts"][0]


@pytest.mark.django_db
def test_attempt_list_shows_each_candidate_only_their_own(client_for, people, world):
    expected = {
        "anonymous": ANON,
        "grader": DENIED,
        "colleague_grader": DENIED,
        "candidate": (200,),
        "other_candidate": (200,),
        "partner_manager": (200,),
        "programme_admin": (200,),
    }
    responses = _walk(client_for, people, "get", "/api/v1/attempts/", expected)

    def ids(role):
        return {a["id"] for a in responses[role].json()["results"]}

    mine, theirs = str(world["attempt"].pk), str(world["other_attempt"].pk)
    assert ids("candidate") == {mine}
    assert ids("other_candidate") == {theirs}
    assert ids("partner_manager") == set()  # a manager sees no one's exam content here
    assert ids("programme_admin") == {mine, theirs}


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "result/"])
def test_an_attempt_and_its_result_are_for_its_candidate_and_staff(
    client_for, people, world, suffix
):
    expected = {
        "anonymous": ANON,
        "other_candidate": HIDDEN,
        "partner_manager": HIDDEN,  # even the manager of the candidate's own firm
        "grader": DENIED,
        "colleague_grader": DENIED,
        "candidate": (200,),
        "programme_admin": (200,),
    }
    _walk(client_for, people, "get", f"/api/v1/attempts/{world['attempt'].pk}/{suffix}", expected)


@pytest.mark.django_db
def test_saving_a_draft_is_for_the_attempts_candidate_only(client_for, people, world):
    other = world["other_attempt"]
    url = f"/api/v1/attempts/{other.pk}/drafts/{other.scenario_version_ids[0]}/"
    expected = {
        "anonymous": ANON,
        "candidate": HIDDEN,
        "partner_manager": HIDDEN,
        "grader": DENIED,
        "colleague_grader": DENIED,
        "programme_admin": DENIED,
        "other_candidate": (200,),
    }
    _walk(client_for, people, "put", url, expected, payload={"design": {"draft": True}})
    assert other.drafts.count() == 1


@pytest.mark.django_db
def test_submitting_is_for_the_attempts_candidate_only(client_for, people, world):
    url = f"/api/v1/attempts/{world['other_attempt'].pk}/submit/"
    expected = {
        "anonymous": ANON,
        "candidate": HIDDEN,
        "partner_manager": HIDDEN,
        "grader": DENIED,
        "colleague_grader": DENIED,
        "programme_admin": DENIED,
        "other_candidate": (400,),  # reached the service: nothing saved yet to submit
    }
    responses = _walk(client_for, people, "post", url, expected)
    assert responses["other_candidate"].json()["code"] == "invalid_design"


@pytest.mark.django_db
def test_graders_see_only_the_items_they_hold(client_for, people, world):
    expected = {
        "anonymous": ANON,
        "candidate": DENIED,
        "other_candidate": DENIED,
        "partner_manager": DENIED,
        "colleague_grader": (200,),
        "grader": (200,),
        "programme_admin": (200,),
    }
    responses = _walk(client_for, people, "get", "/api/v1/grading/items/", expected)
    assert [i["id"] for i in responses["grader"].json()["results"]] == [world["held"].pk]
    assert responses["colleague_grader"].json()["results"] == []
    assert responses["programme_admin"].json()["results"] == []


@pytest.mark.django_db
def test_claiming_never_hands_a_grader_their_own_firms_work_and_is_anonymised(
    client_for, people, world
):
    expected = {
        "anonymous": ANON,
        "candidate": DENIED,
        "other_candidate": DENIED,
        "partner_manager": DENIED,
        "colleague_grader": (204,),  # the only open item is from their own firm
        "grader": (200,),
    }
    responses = _walk(client_for, people, "post", "/api/v1/grading/items/claim-next/", expected)
    item = responses["grader"].json()
    assert item["id"] == world["open_item"].pk
    text = json.dumps(item).lower()
    candidate = people["candidate"]
    for secret in (candidate.email, candidate.full_name, "acme", str(world["attempt"].pk)):
        assert secret.lower() not in text
    assert {"candidate", "attempt", "user", "organisation"}.isdisjoint(item)
    assert item["design"] and item["criterion"]["levels"]


@pytest.mark.django_db
def test_only_the_holder_may_score_an_item(client_for, people, world):
    held = world["held"]
    top = max(level["points"] for level in held.report.engine_report["pending_human"][0]["levels"])
    points = top if held.checkpoint_id == "rationale-controls" else 1
    expected = {
        "anonymous": ANON,
        "candidate": DENIED,
        "partner_manager": DENIED,
        "colleague_grader": HIDDEN,
        "programme_admin": HIDDEN,  # staff too must claim before scoring
        "grader": (200,),
    }
    _walk(
        client_for,
        people,
        "post",
        f"/api/v1/grading/items/{held.pk}/score/",
        expected,
        payload={"points": points, "comment": "ok"},
    )
    held.refresh_from_db()
    assert held.status == "scored" and held.grader == people["grader"]


@pytest.mark.django_db
def test_only_the_holder_may_release_an_item(client_for, people, world):
    held = world["held"]
    expected = {
        "anonymous": ANON,
        "candidate": DENIED,
        "partner_manager": DENIED,
        "colleague_grader": HIDDEN,
        "programme_admin": HIDDEN,
        "grader": (204,),
    }
    _walk(client_for, people, "post", f"/api/v1/grading/items/{held.pk}/release/", expected)
    held.refresh_from_db()
    assert held.status == "open" and held.grader is None


@pytest.mark.django_db
def test_a_colleague_cannot_claim_a_specific_item_from_their_own_firm(people, world):
    from assessments.services.human_scoring import human_item_claim
    from config.errors import Forbidden

    with pytest.raises(Forbidden) as refused:
        human_item_claim(item=world["open_item"], grader=people["colleague_grader"])
    assert refused.value.code == "conflict_of_interest"


@pytest.mark.django_db
def test_escalations_are_for_programme_staff(client_for, people, world):
    responses = _walk(client_for, people, "get", "/api/v1/admin/escalations/", _only_staff(200))
    assert [e["id"] for e in responses["programme_admin"].json()["results"]] == [
        world["escalation"].pk
    ]
    url = f"/api/v1/admin/escalations/{world['escalation'].pk}/resolve/"
    _walk(client_for, people, "post", url, _only_staff(200), payload={"resolution": "reassigned"})
    world["escalation"].refresh_from_db()
    assert world["escalation"].resolved_by == people["programme_admin"]
    resolved = client_for(people["programme_admin"]).get("/api/v1/admin/escalations/?state=all")
    assert resolved.json()["results"][0]["resolution"] == "reassigned"


@pytest.mark.django_db
def test_decision_reversal_is_for_programme_staff(client_for, people, world):
    url = f"/api/v1/decisions/{world['decision'].pk}/reverse/"
    _walk(client_for, people, "post", url, _only_staff(200), payload={"reason": "appeal upheld"})


@pytest.mark.django_db
def test_regrades_are_for_programme_staff(client_for, people, world):
    attempt = world["attempt"]
    _walk(
        client_for,
        people,
        "post",
        f"/api/v1/admin/attempts/{attempt.pk}/regrade-preview/",
        _only_staff(200),
    )
    _walk(
        client_for,
        people,
        "get",
        f"/api/v1/admin/regrades/{world['regrade'].pk}/",
        _only_staff(200),
    )
    _walk(
        client_for,
        people,
        "post",
        f"/api/v1/admin/attempts/{attempt.pk}/regrades/",
        _only_staff(202),
        payload={"reason": "rubric fix", "to_latest": False},
    )


@pytest.mark.django_db
def test_batch_regrades_are_for_programme_staff(client_for, people, world, ap_version):
    from assessments.models import RegradeBatch

    _walk(
        client_for,
        people,
        "post",
        f"/api/v1/admin/scenarios/{ap_version.scenario.slug}/regrade-batches/",
        _only_staff(202),
        payload={"reason": "rubric fix"},
    )
    batch = RegradeBatch.objects.get()  # the refused roles created nothing
    for suffix in ("", "items/"):
        url = f"/api/v1/admin/regrade-batches/{batch.pk}/{suffix}"
        _walk(client_for, people, "get", url, _only_staff(200))
    _walk(
        client_for,
        people,
        "post",
        f"/api/v1/admin/regrade-batches/{batch.pk}/apply/",
        _only_staff(202),
    )
    assert RegradeBatch.objects.get().applied_by == people["programme_admin"]


@pytest.mark.django_db
def test_retrying_a_job_is_for_programme_staff(client_for, people, world):
    job = world["job"]
    url = f"/api/v1/admin/grading-jobs/{job.pk}/retry/"
    _walk(client_for, people, "post", url, _only_staff(409))  # done jobs are not retried
    GradingJob.objects.filter(pk=job.pk).update(status="failed", error="engine error")
    response = client_for(people["programme_admin"]).post(url)
    assert response.status_code == 202 and response.json()["status"] in ("queued", "done")


@pytest.mark.django_db
def test_the_attempt_list_does_not_grow_queries_with_attempts(
    client_for, candidate, exam, django_assert_max_num_queries
):
    from assessments.models import Attempt

    exam.max_attempts = 50
    exam.save()
    for _ in range(5):
        attempt, _ = attempt_start(candidate=candidate, exam=exam)
        Attempt.objects.filter(pk=attempt.pk).update(
            status="abandoned", started_at=timezone.now() - timedelta(minutes=1)
        )
    client = client_for(candidate)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/attempts/").json()["results"]) == 5


@pytest.mark.django_db
def test_the_graders_item_list_does_not_grow_queries_with_items(
    client_for, grader, exam, exemplar_for, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    for _ in range(3):
        attempt, _ = attempt_start(candidate=UserFactory(), exam=exam)
        attempt_submit(
            attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt)}
        )
    while human_item_claim_next(grader=grader):
        pass
    client = client_for(grader)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/grading/items/").json()["results"]) == 6


@pytest.mark.django_db
def test_the_escalation_list_does_not_grow_queries(
    client_for, programme_admin, django_assert_max_num_queries
):
    for n in range(5):
        Escalation.objects.create(kind="grading_stuck", target_type="x", target_id=str(n))
    with django_assert_max_num_queries(4):
        response = client_for(programme_admin).get("/api/v1/admin/escalations/")
    assert len(response.json()["results"]) == 5
