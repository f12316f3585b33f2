# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Standard setting through the API: a study from opening to adoption with figures worked out
by hand, what each role sees (and may do) across firms, hostile input, and adoption: a new
scenario version with the cut score, audited, idempotent, and a batch-regrade preview of its
effect that changes no decision."""

import types

import pytest

from accounts.models import Role
from assessments.models import CertificationDecision, RegradeBatchItem
from assessments.services.attempts import attempt_start, attempt_submit
from audit.models import AuditEvent
from quality import angoff
from quality.angoff_models import AngoffStudy
from scenarios.models import ScenarioVersion
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.assessments.test_regrade import _score_everything
from tests.factories import MembershipFactory, UserFactory
from tests.quality.test_appeals import firm_grader  # noqa: F401  (a grader of the candidate's firm)

pytestmark = pytest.mark.django_db
URL = "/api/v1/quality/standard-setting/studies/"


@pytest.fixture(autouse=True)
def _selftest_passes(monkeypatch):
    """The rubric self-test (about ten seconds of simulation a run) is the publishing
    service's, tested in tests/scenarios; here it passes unless a test says otherwise."""
    result = types.SimpleNamespace(ok=True, items=[], to_dict=lambda: {"ok": True})
    monkeypatch.setattr("scenarios.engine.selftest", lambda pack: result)


@pytest.fixture
def outsider(other_firm):
    """A grader on no panel."""
    user = UserFactory(email="outsider@example.test", full_name="Otto Outsider", role=Role.GRADER)
    MembershipFactory(user=user, organisation=other_firm)
    return user


@pytest.fixture
def panel(grader, firm_grader, programme_admin):
    return [grader, firm_grader, programme_admin]


def _rated(ap_version) -> list[str]:
    return angoff.rated_ids(angoff.checkpoints_of(ap_version.content))


def _weights(ap_version) -> tuple[float, float]:
    """(critical weight, rated weight) of the AP rubric: 18 and 16 of 34."""
    cps = angoff.checkpoints_of(ap_version.content)
    return sum(c.weight for c in cps if c.critical), sum(c.weight for c in cps if c.rated)


def _open(client_for, admin, ap_version, panel) -> int:
    response = client_for(admin).post(
        URL, {"scenario": ap_version.scenario.slug, "title": "AP cut 2026"}, format="json"
    )
    assert response.status_code == 201, response.json()
    study_id = response.json()["id"]
    for person in panel:
        invited = client_for(admin).post(
            f"{URL}{study_id}/panelists/", {"email": person.email}, format="json"
        )
        assert invited.status_code == 201, invited.json()
    return study_id


def _rate(client_for, user, study_id, ap_version, value):
    ratings = {cp: value for cp in _rated(ap_version)}
    return client_for(user).put(f"{URL}{study_id}/ratings/", {"ratings": ratings}, format="json")


def test_a_study_from_round_one_to_adoption_gives_the_cut_worked_out_by_hand(
    client_for, ap_version, panel, programme_admin
):
    assert _weights(ap_version) == (18, 16)
    admin = client_for(programme_admin)
    study_id = _open(client_for, programme_admin, ap_version, panel)
    for person, value in zip(panel, (60, 70, 95), strict=True):
        assert _rate(client_for, person, study_id, ap_version, value).status_code == 200

    # Round 1 is blind: a panelist sees their own ratings and nobody else's.
    blind = client_for(panel[0]).get(f"{URL}{study_id}/").json()["view"]
    assert blind["rounds"] == {} and blind["facility"] is None
    assert set(blind["my_ratings"].values()) == {60}
    # Staff see every rater by name: mean 75, SD √((15² + 5² + 20²) / 2) = √325 = 18.03.
    staff = admin.get(f"{URL}{study_id}/").json()["view"]["rounds"]["1"]
    row = next(r for r in staff["checkpoints"] if r["id"] == "monitoring")
    names = [person.full_name or person.email for person in panel]
    assert row["ratings"] == dict(zip(names, (60, 70, 95), strict=True))
    assert (row["mean"], row["sd"], row["range"], row["flagged"]) == (75, 18.03, 35, True)
    assert staff["cut_score"] == round((18 * 100 + 16 * 75) / 34, 2) == 88.24

    assert admin.post(f"{URL}{study_id}/round-two/").status_code == 200
    # Discussion: the panel's round-1 ratings, anonymised, and round-1 carried into round 2.
    discussion = client_for(panel[1]).get(f"{URL}{study_id}/").json()["view"]
    first = next(r for r in discussion["rounds"]["1"]["checkpoints"] if r["id"] == "monitoring")
    assert first["ratings"] == {"Panelist 1": 60, "You": 70, "Panelist 3": 95}
    assert "Gale" not in str(discussion) and "example.test" not in str(discussion)
    assert set(discussion["my_ratings"].values()) == {70}
    # The admin moves to 80 in round 2: mean 70, SD 10, nothing flagged.
    assert _rate(client_for, programme_admin, study_id, ap_version, 80).status_code == 200

    closed = admin.post(f"{URL}{study_id}/close/").json()
    final = closed["view"]["final"]
    assert final["round"] == 2 and final["raters"] == 3 and final["flagged"] == []
    # (18 * 100 + 16 * 70) / 34 = 2920 / 34 = 85.88
    assert final["cut_score"] == 85.88
    row = next(r for r in final["checkpoints"] if r["id"] == "monitoring")
    assert (row["mean"], row["sd"]) == (70, 10)

    adopted = admin.post(f"{URL}{study_id}/adopt/")
    assert adopted.status_code == 200, adopted.json()
    body = adopted.json()
    assert body["status"] == "adopted" and body["adopted_version"] == ap_version.version + 1
    new = ScenarioVersion.objects.get(scenario=ap_version.scenario, version=ap_version.version + 1)
    assert new.content["rubric"]["cut_score"] == 85.88
    assert new.content["rubric"]["standard_setting"] == {
        "method": "modified-angoff",
        "study": str(study_id),
        "raters": 3,
        "previous_cut_score": 70,
        "from_version": ap_version.version,
    }
    # Nothing else in the content changed.
    old = {k: v for k, v in ap_version.content.items() if k not in ("version", "rubric")}
    assert {k: v for k, v in new.content.items() if k not in ("version", "rubric")} == old
    assert body["regrade_batch"]["url"].endswith(f"/{body['regrade_batch']['id']}/")

    actions = list(
        AuditEvent.objects.filter(target_id=str(study_id), target_type="quality.angoffstudy")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "angoff_study.created",
        *["angoff_study.panelist_invited"] * 3,
        *["angoff_study.rated"] * 3,
        "angoff_study.round_two",
        "angoff_study.rated",
        "angoff_study.closed",
        "angoff_study.adoption_requested",
        "angoff_study.adopted",
    ]
    assert AuditEvent.objects.filter(
        action="scenario_version.cut_score_set", target_id=str(new.pk)
    ).exists()

    # Adopting again changes nothing: the same version, no second audit row.
    again = admin.post(f"{URL}{study_id}/adopt/")
    assert again.status_code == 200 and again.json()["adopted_version"] == new.version
    assert ScenarioVersion.objects.filter(scenario=ap_version.scenario).count() == 2
    assert AuditEvent.objects.filter(action="angoff_study.adopted").count() == 1


def _sit(candidate, exam, exemplar_for, grader, design, points):
    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    attempt = attempt_submit(
        attempt=attempt, designs={attempt.scenario_version_ids[0]: exemplar_for(attempt, design)}
    )
    _score_everything(grader, points=points)
    return CertificationDecision.objects.get(attempt=attempt)


def test_adoption_previews_which_decisions_the_new_cut_would_flip_and_applies_nothing(
    client_for, ap_version, exam, exemplar_for, panel, programme_admin, grader, firm
):
    people = [UserFactory(email=f"c{i}@example.test") for i in range(3)]
    for person in people:
        MembershipFactory(user=person, organisation=firm)
    design = "agent-extraction-with-callback"
    strong = _sit(people[0], exam, exemplar_for, grader, design, "top")
    weak = _sit(people[1], exam, exemplar_for, grader, design, "bottom")
    critical = _sit(people[2], exam, exemplar_for, grader, "sampled-approvals", "top")
    # Every rated checkpoint at 87.5 %: (18 * 100 + 16 * 87.5) / 34 = 3200 / 34 = 94.12.
    cut = 94.12
    assert strong.outcome == weak.outcome == "pass" and strong.total >= cut > weak.total
    assert critical.outcome == "fail" and not critical.critical_passed

    study_id = _open(client_for, programme_admin, ap_version, panel)
    for person in panel:
        _rate(client_for, person, study_id, ap_version, 87.5)
    admin = client_for(programme_admin)
    assert admin.post(f"{URL}{study_id}/close/").json()["view"]["final"]["cut_score"] == cut
    batch = admin.post(f"{URL}{study_id}/adopt/").json()["regrade_batch"]

    previewed = admin.get(batch["url"]).json()
    assert previewed["status"] == "previewed"  # the chunks ran in-process on the fast tier
    effects = dict(
        RegradeBatchItem.objects.filter(batch_id=batch["id"]).values_list("attempt", "effect")
    )
    assert effects == {
        strong.attempt_id: "none",
        weak.attempt_id: "pass_to_fail",
        critical.attempt_id: "none",
    }
    item = RegradeBatchItem.objects.get(batch_id=batch["id"], attempt=weak.attempt_id)
    assert item.preview["proposed"]["cut_score"] == cut
    # A preview: every decision stands until staff apply it.
    assert CertificationDecision.objects.get(pk=weak.pk).reversed_at is None
    assert CertificationDecision.objects.filter(reversed_at__isnull=True).count() == 3


def test_each_role_may_do_what_its_part_allows(
    client_for, ap_version, panel, programme_admin, grader, outsider, candidate, partner_manager
):
    study_id = _open(client_for, programme_admin, ap_version, panel)
    detail, ratings = f"{URL}{study_id}/", f"{URL}{study_id}/ratings/"
    staff_actions = ["panelists/", "round-two/", "close/", "adopt/", "discard/"]
    good = {"ratings": {cp: 50 for cp in _rated(ap_version)}}

    for who in (None, candidate, partner_manager):
        client = client_for(who)
        expected = (401, 403) if who is None else (403,)
        assert client.get(URL).status_code in expected
        assert (
            client.post(URL, {"scenario": "ap-invoice-processing"}, format="json").status_code
            in expected
        )
        assert client.get(detail).status_code in expected
        assert client.put(ratings, good, format="json").status_code in expected
        for action in staff_actions:
            assert client.post(f"{detail}{action}", {}, format="json").status_code in expected

    # A grader on no panel: sees no study, and another study is a 404, not a 403.
    other = client_for(outsider)
    assert other.get(URL).json()["results"] == []
    assert other.get(detail).status_code == 404
    assert other.put(ratings, good, format="json").json()["code"] == "study_not_found"
    assert other.post(URL, {"scenario": "ap-invoice-processing"}, format="json").status_code == 403
    for action in staff_actions:
        assert other.post(f"{detail}{action}", {"reason": "x"}, format="json").status_code == 403

    # A panelist (from the other firm than the next one) sees their study and rates it, but
    # cannot run it.
    mine = client_for(grader)
    assert [s["id"] for s in mine.get(URL).json()["results"]] == [study_id]
    assert mine.get(detail).status_code == 200
    assert mine.put(ratings, good, format="json").status_code == 200
    assert mine.post(f"{detail}close/").status_code == 403
    assert AngoffStudy.objects.get(pk=study_id).status == "open"

    # Programme staff: every study, and a study number that does not exist is a 404; staff
    # who are not on the panel do not rate it.
    assert client_for(programme_admin).get(f"{URL}999999/").status_code == 404
    staff_only = UserFactory(email="staff2@example.test", role=Role.PROGRAMME_ADMIN)
    assert client_for(staff_only).get(detail).status_code == 200
    not_rating = client_for(staff_only).put(ratings, good, format="json")
    assert not_rating.status_code == 403 and not_rating.json()["code"] == "not_on_panel"


@pytest.mark.parametrize(
    "body, path",
    [
        ({"ratings": {"monitoring": 101}}, "ratings.monitoring"),
        ({"ratings": {"monitoring": -5}}, "ratings.monitoring"),
        ({"ratings": {"monitoring": "high"}}, "ratings.monitoring"),
        ({"ratings": {"no-such-checkpoint": 50}}, "ratings.no-such-checkpoint"),
        ({"ratings": {"payment-approval": 90}}, "ratings.payment-approval"),  # critical
        ({"ratings": {}}, "ratings.monitoring"),  # missing
    ],
)
def test_ratings_that_break_the_rules_are_refused_with_what_to_fix(
    client_for, ap_version, panel, programme_admin, grader, body, path
):
    study_id = _open(client_for, programme_admin, ap_version, panel)
    ratings = {cp: 50 for cp in _rated(ap_version)}
    ratings.pop("monitoring") if path == "ratings.monitoring" and not body["ratings"] else None
    merged = {"ratings": {**ratings, **body["ratings"]}} if body["ratings"] else body
    response = client_for(grader).put(f"{URL}{study_id}/ratings/", merged, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid_ratings"
    assert path in [e["path"] for e in response.json()["errors"]]
    assert not AuditEvent.objects.filter(action="angoff_study.rated").exists()


def test_hostile_bodies_are_400s_for_everyone(client_for, ap_version, panel, programme_admin):
    study_id = _open(client_for, programme_admin, ap_version, panel)
    client = client_for(programme_admin)
    for body in ('{"ratings": [1, 2]}', "not json", '{"ratings": {"a": NaN}}'):
        response = client.put(f"{URL}{study_id}/ratings/", body, content_type="application/json")
        assert response.status_code == 400, (body, response.json())
    assert client.post(URL, {"scenario": "no-such-pack"}, format="json").status_code == 404
    assert client.post(URL, {"scenario": "Bad Slug!"}, format="json").status_code == 400
    assert (
        client.post(
            URL, {"scenario": ap_version.scenario.slug, "version": 99}, format="json"
        ).status_code
        == 404
    )


def test_a_closed_study_takes_no_ratings_and_a_study_adopts_only_once_closed_with_enough_raters(
    client_for, ap_version, panel, programme_admin, grader, settings
):
    admin = client_for(programme_admin)
    study_id = _open(client_for, programme_admin, ap_version, panel)
    assert admin.post(f"{URL}{study_id}/round-two/").json()["code"] == "no_ratings"
    _rate(client_for, panel[0], study_id, ap_version, 70)
    _rate(client_for, panel[1], study_id, ap_version, 80)

    not_closed = admin.post(f"{URL}{study_id}/adopt/")
    assert not_closed.status_code == 409 and not_closed.json()["code"] == "study_not_closed"
    assert admin.post(f"{URL}{study_id}/close/").status_code == 200

    late = _rate(client_for, programme_admin, study_id, ap_version, 90)
    assert late.status_code == 409 and late.json()["code"] == "study_not_open"
    assert admin.post(f"{URL}{study_id}/close/").json()["code"] == "study_not_open"
    assert (
        admin.post(
            f"{URL}{study_id}/panelists/", {"email": "x@example.test"}, format="json"
        ).json()["code"]
        == "user_not_found"
    )

    too_few = admin.post(f"{URL}{study_id}/adopt/")
    assert too_few.status_code == 409 and too_few.json()["code"] == "too_few_raters"
    assert "at least 3" in too_few.json()["detail"]
    assert ScenarioVersion.objects.filter(scenario=ap_version.scenario).count() == 1

    settings.QUALITY_ANGOFF_MIN_RATERS = 2  # configurable
    assert admin.post(f"{URL}{study_id}/adopt/").json()["status"] == "adopted"
    discard = admin.post(
        f"{URL}{study_id}/discard/", {"reason": "changed our minds"}, format="json"
    )
    assert discard.status_code == 409 and discard.json()["code"] == "study_not_discardable"


def test_panelists_are_graders_or_staff_and_discarding_needs_a_reason(
    client_for, ap_version, panel, programme_admin, candidate, partner_manager
):
    admin = client_for(programme_admin)
    study_id = _open(client_for, programme_admin, ap_version, panel)
    for person in (candidate, partner_manager):
        response = admin.post(f"{URL}{study_id}/panelists/", {"email": person.email}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "not_a_panelist_role"
    # Seating someone twice keeps one seat.
    admin.post(f"{URL}{study_id}/panelists/", {"email": panel[0].email}, format="json")
    assert AngoffStudy.objects.get(pk=study_id).panelists.count() == 3

    assert admin.post(f"{URL}{study_id}/discard/", {"reason": ""}, format="json").status_code == 400
    done = admin.post(f"{URL}{study_id}/discard/", {"reason": "Wrong version."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "discarded"
    assert AuditEvent.objects.filter(
        action="angoff_study.discarded", reason="Wrong version."
    ).exists()


def test_adoption_is_refused_when_the_self_test_fails_or_a_newer_version_exists(
    client_for, ap_version, panel, programme_admin, monkeypatch
):
    from tests.assessments.test_regrade import publish_next_version

    admin = client_for(programme_admin)
    study_id = _open(client_for, programme_admin, ap_version, panel)
    for person in panel:
        _rate(client_for, person, study_id, ap_version, 100)
    admin.post(f"{URL}{study_id}/close/")

    failing = types.SimpleNamespace(
        ok=False, items=[{"ok": False, "name": "agent-extraction-with-callback"}], to_dict=dict
    )
    monkeypatch.setattr("scenarios.engine.selftest", lambda pack: failing)
    refused = admin.post(f"{URL}{study_id}/adopt/")
    # The worker (in-process here) refused it: the study is closed again and says why.
    assert refused.status_code == 200 and refused.json()["status"] == "closed"
    problems = refused.json()["adoption_problems"]
    assert problems["code"] == "cut_score_refused"
    assert problems["details"][0]["name"] == "agent-extraction-with-callback"
    assert ScenarioVersion.objects.filter(scenario=ap_version.scenario).count() == 1
    assert AuditEvent.objects.filter(action="angoff_study.adoption_refused").count() == 1

    publish_next_version(ap_version, lambda cp: None)
    stale = admin.post(f"{URL}{study_id}/adopt/")
    assert stale.status_code == 409 and stale.json()["code"] == "version_superseded"
    assert not AuditEvent.objects.filter(action="angoff_study.adopted").exists()


def test_the_list_reads_in_a_fixed_number_of_queries_and_practice_packs_have_no_standard(
    client_for, ap_version, programme_admin, django_assert_max_num_queries
):
    from tests.assessments.conftest import published_version_of

    for n in range(6):
        client_for(programme_admin).post(
            URL, {"scenario": ap_version.scenario.slug, "title": f"S{n}"}, format="json"
        )
    admin = client_for(programme_admin)
    with django_assert_max_num_queries(6):
        listed = admin.get(URL)
    assert listed.json()["count"] == 6 and len(listed.json()["results"]) == 6

    practice = published_version_of("expense-claims-practice")
    refused = admin.post(URL, {"scenario": practice.scenario.slug}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "practice_scenario"


def test_an_adoption_whose_work_was_lost_is_sent_again_when_asked_after_ten_minutes(
    client_for, ap_version, panel, programme_admin, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    admin = client_for(programme_admin)
    study_id = _open(client_for, programme_admin, ap_version, panel)
    for person in panel:
        _rate(client_for, person, study_id, ap_version, 80)
    admin.post(f"{URL}{study_id}/close/")
    from config import dispatch

    sent, broker = [], {"down": True}
    real_send = dispatch.send

    def send(name, *args):
        sent.append(args)
        return False if broker["down"] else real_send(name, *args)

    monkeypatch.setattr("config.dispatch.send", send)
    lost = admin.post(f"{URL}{study_id}/adopt/")  # the broker is down: nothing runs it
    assert lost.status_code == 202 and lost.json()["status"] == "adopting"
    assert admin.post(f"{URL}{study_id}/adopt/").status_code == 202
    assert sent == [(study_id,)]  # not re-sent while it may still be running

    AngoffStudy.objects.filter(pk=study_id).update(
        adoption_requested_at=timezone.now() - timedelta(minutes=11)
    )
    broker["down"] = False
    done = admin.post(f"{URL}{study_id}/adopt/")
    assert done.json()["status"] == "adopted" and sent == [(study_id,), (study_id,)]
    assert ScenarioVersion.objects.filter(scenario=ap_version.scenario).count() == 2
