"""After `load_demo_data`, every staff page and the partner dashboard shows real figures
(issues 12 and 13), each produced by the real services at its own date.

The demo is loaded once for this module (it takes a while) and committed, because it relies on
work scheduled after commit (grading, issuance, fingerprints); each test then reads it inside
its own rolled-back transaction, and the module's end flushes the database for the next tests.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from demo.cohort_plan import CAST, cohort

pytestmark = pytest.mark.django_db

CASTING = {c.role: c for c in cohort() if c.role}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # Development settings, as `make run` has them: the demo's webhook receiver is on
        # this machine over plain HTTP.
        with override_settings(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOW_PRIVATE=True):
            call_command("load_demo_data", "--force")
        sent = list(getattr(mail, "outbox", []))
        try:
            yield {"emails": sent}
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _as(client, email: str):
    client.force_login(User.objects.get(email=email))
    return client


def test_the_agreement_page_shows_kappa_per_criterion_and_flags_the_lenient_grader(demo, client):
    response = _as(client, "admin@practica.test").get("/quality/agreement/")

    assert response.status_code == 200
    criteria = response.context["criteria"]
    assert len([c for c in criteria if c["kappa"] is not None and c["n"] >= 10]) >= 2
    graders = {g["name"]: g for g in response.context["graders"]}
    assert graders["Tariq Third"]["flagged"], "the lenient grader is below the threshold"
    assert any(not g["flagged"] and g["kappa"] is not None for g in graders.values())
    assert response.context["report"].pairs >= 20


def test_item_statistics_have_a_row_per_checkpoint_and_variant_groups(demo, client):
    response = _as(client, "admin@practica.test").get("/quality/item-statistics/")

    assert response.status_code == 200
    snapshots = {}  # the latest version of each scenario (the page lists the newest first)
    for snapshot in response.context["snapshots"]:
        snapshots.setdefault(snapshot.scenario_version.scenario.slug, snapshot)
    assert set(snapshots) >= {
        "ap-invoice-processing",
        "support-triage-ai",
        "software-delivery-coding-agent",
    }
    ap = snapshots["ap-invoice-processing"].data
    assert ap["attempts"] >= 30 and 0 < ap["pass_rate"] < 1
    assert all(row["facility"] is not None for row in ap["checkpoints"])
    assert sum(row["discrimination"] is not None for row in ap["checkpoints"]) >= 5
    thresholds = [v for v in ap["variants"] if v["parameter"] == "approval_threshold"]
    assert len(thresholds) == 3 and sum(v["n"] for v in thresholds) == ap["attempts"]
    assert any(v["p_value"] is not None for v in ap["variants"]), "some groups are tested"


def test_calibration_results_show_calibrated_graders_and_one_who_drifted(demo, client):
    response = _as(client, "admin@practica.test").get("/quality/calibration/")

    assert response.status_code == 200
    rows = {r["grader"]["email"]: r for r in response.context["graders"]}
    assert rows["drift.grader@practica.test"]["calibrated"] is False
    assert rows["drift.grader@practica.test"]["share_within"] < 1
    for email in ("grader@practica.test", "second.grader@practica.test"):
        assert rows[email]["calibrated"] and rows[email]["share_within"] == 1
    assert (
        rows["third.grader@practica.test"]["within_tolerance"]
        < rows["third.grader@practica.test"]["scored"]
    ), "one early miss, then calibrated"
    assert len(response.context["items"]) >= response.context["set_size"]


def test_the_appeals_queue_holds_a_pending_appeal_and_a_decided_one_the_candidate_was_told_of(
    demo, client
):
    response = _as(client, "admin@practica.test").get("/quality/appeals/")

    assert response.status_code == 200
    pending = [*response.context["unassigned"], *response.context["others"]]
    assert [a.candidate.email for a in pending] == [CASTING["appeal-pending"].email]
    [decided] = response.context["decided"]
    assert decided.candidate.email == CASTING["appeal-decided"].email
    assert decided.status == "upheld" and decided.outcome_reason
    assert decided.decided_at < timezone.now() - timedelta(days=40)
    told = [m for m in demo["emails"] if m.to == [decided.candidate.email]]
    assert [m.subject.split(" (")[0] for m in told] == [
        "We received your appeal",
        "Your appeal: Upheld: the decision stands",
    ]


def test_similarity_flags_the_renamed_copy_and_nothing_else(demo, client):
    from quality.similarity_models import SimilarPair

    response = _as(client, "admin@practica.test").get("/quality/similarity/")

    assert response.status_code == 200
    [pair] = SimilarPair.objects.filter(status=SimilarPair.Status.FLAGGED).select_related(
        "first", "second"
    )
    assert pair.identical_structure
    # The rest (the cohort's shared pack designs) were reviewed and dismissed, with the reason.
    others = SimilarPair.objects.exclude(pk=pair.pk)
    assert set(others.values_list("status", flat=True)) <= {SimilarPair.Status.DISMISSED}
    assert all(note for note in others.values_list("note", flat=True))
    people = set(
        User.objects.filter(pk__in=[pair.first.candidate_id, pair.second.candidate_id]).values_list(
            "email", flat=True
        )
    )
    assert people == {CASTING["copied"].email, CASTING["copier"].email}
    [row] = response.context["rows"]
    assert row["pair"] == pair
    assert {side["fingerprint"].candidate.email for side in row["sides"]} == people


def test_graders_have_items_waiting_and_staff_have_a_dispute_to_adjudicate(demo, client):
    queue = _as(client, "second.grader@practica.test").get("/quality/grading/")
    assert queue.status_code == 200 and queue.context["waiting"] >= 1
    client.logout()
    disputes = _as(client, "admin@practica.test").get("/quality/grading/adjudication/")
    assert disputes.status_code == 200
    assert len(disputes.context["items"]) >= 1


def test_the_partner_dashboard_has_headcount_a_trend_with_shape_a_pipeline_and_a_target(
    demo, client
):
    response = _as(client, "manager@practica.test").get("/partners/northwind-partners/")

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["headcount"]["total"] > 0
    trend = [point["count"] for point in figures["trend"]]
    assert len(set(trend)) > 2 and trend[-1] > trend[0], "the firm grew over the year"
    pipeline = figures["pipeline"]
    assert pipeline["expiring"] >= 1 and pipeline["lapsed"] >= 1 and pipeline["failed"] >= 1
    assert [t["target"] for t in figures["targets"]] == [20]
    assert figures["coverage"]["domains"]


def test_the_firm_has_a_playbook_a_pending_invitation_and_a_webhook_that_received_events(
    demo, client
):
    from certification.webhook_models import WebhookDelivery
    from partners.models import Invitation
    from partners.playbook_models import Playbook

    [playbook] = Playbook.objects.filter(withdrawn_at__isnull=True)
    assert playbook.author.email == CASTING["playbook-author"].email
    [invitation] = Invitation.objects.filter(status=Invitation.Status.PENDING)
    assert invitation.organisation.slug == "northwind-partners" and not invitation.is_expired
    delivered = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED)
    assert {d.payload["type"] for d in delivered} >= {
        "credential.issued",
        "credential.expiring_soon",
        "credential.expired",
    }
    assert not WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.DELIVERED).exists()
    page = _as(client, "manager@practica.test").get("/partners/northwind-partners/members/")
    assert page.status_code == 200 and invitation.email in page.content.decode()


def test_a_backdated_credential_is_signed_with_its_own_dates_and_verifies_as_lapsed(demo, client):
    from audit.models import AuditEvent
    from certification.models import Credential

    lapsed = CASTING["lapsed"]
    [credential] = Credential.objects.filter(holder__email=lapsed.email)
    assert credential.valid_until < timezone.now()
    assert parse_datetime(credential.document["validFrom"]) == credential.valid_from
    assert parse_datetime(credential.document["validUntil"]) == credential.valid_until
    expected = timezone.now() - timedelta(days=CAST["lapsed"][2][0].days)
    assert abs(credential.valid_from - expected) < timedelta(days=1)
    answer = client.get(f"/api/v1/credentials/verify/{credential.pk}").json()
    assert answer["status"] == "expired"
    assert AuditEvent.objects.filter(action="credential.expired", target_id=str(credential.pk))
