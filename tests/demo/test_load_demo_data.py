import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from scenarios.engine import load_pack
from scenarios.services import PACKS_DIR


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


# Committing transactions: the demo, like `make run`, relies on work scheduled after commit
# (grading, then issuance), which a rolled-back test transaction would never run.
@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_idempotently_with_working_logins_and_a_credential(
    settings, client, capsys
):
    settings.DEBUG = True
    # As in development (`make run`): the demo's webhook receiver listens on this machine.
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE = True
    call_command("load_demo_data", "--print-logins", "--base-url=http://demo.test")
    first = _row_counts()
    call_command("load_demo_data")
    assert _row_counts() == first, "a second run changes nothing"
    # ...and the first run made the cohort's two years (demo/cohort.py), every part of it.
    from demo.cohort_plan import cohort

    assert first["accounts.User"] >= len(cohort()) + 7
    assert first["accounts.Membership"] > len(cohort())
    for label in (
        "quality.Appeal",
        "quality.CalibrationItem",
        "quality.CalibrationResponse",
        "quality.SimilarPair",
        "quality.ItemStatistics",
        "quality.AgreementReport",
        "partners.TierTarget",
        "partners.Playbook",
        "partners.Invitation",
        "partners.DashboardSnapshot",
        "certification.WebhookDelivery",
        "assessments.HumanMark",
    ):
        assert first[label] > 0, label

    from demo.people import DEMO_PASSWORD, PEOPLE

    for email, *_ in PEOPLE:
        response = client.post(
            "/api/v1/auth/token/",
            {"email": email, "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, email
    from scenarios.services import pack_paths

    # every shipped pack, and the older AP version the first attempts were graded on
    assert first["scenarios.ScenarioVersion"] == len(pack_paths()) + 1
    assert first["assessments.CertificationDecision"] >= 2
    assert first["certification.Credential"] >= 1
    out = capsys.readouterr().out
    assert "http://demo.test/credentials/" in out
    assert all(email in out for email, *_ in PEOPLE), "the banner lists every demo login"
    assert "http://demo.test/partners/northwind-partners/" in out
    assert "http://demo.test/partners/invitations/" in out, "the pending invitation's link"


def _token_client(client, email: str):
    from rest_framework.test import APIClient

    from demo.people import DEMO_PASSWORD

    token = client.post(
        "/api/v1/auth/token/",
        {"email": email, "password": DEMO_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


@pytest.mark.django_db(transaction=True)
def test_the_demo_gives_every_role_something_to_do(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data")

    # The candidate finds their credential from their own account.
    casey = _token_client(client, "candidate@practica.test")
    [held] = casey.get("/api/v1/me/").json()["credentials"]
    attempt = casey.get("/api/v1/attempts/").json()["results"][0]
    assert attempt["grading_status"] == "decided"
    decision = casey.get(f"/api/v1/attempts/{attempt['id']}/result/").json()["decision"]
    assert decision["credential"]["id"] == held["id"] and held["status"] == "valid"

    # A demo consultant has a practice scenario to open, and only practice scenarios there.
    from accounts.models import User

    client.force_login(User.objects.get(email="priya@practica.test"))
    practice = client.get("/practice/").content.decode()
    assert "/practice/expense-claims-practice/" in practice
    assert "/practice/ap-invoice-processing/" not in practice
    assert client.get("/practice/expense-claims-practice/").status_code == 200
    client.logout()

    # The walkthrough's candidate has the AP exam still to take; the grader has nothing they
    # may score until she submits (Jonas's items are from the grader's own firm).
    priya = _token_client(client, "priya@practica.test")
    exams_taken = {a["exam"] for a in priya.get("/api/v1/attempts/").json()["results"]}
    assert "ap-invoice-processing-exam" not in exams_taken
    grader = _token_client(client, "grader@practica.test")
    assert grader.post("/api/v1/grading/items/claim-next/").status_code == 204

    # Staff: an escalation to resolve, and a batch regrade with attempts and effects.
    admin = _token_client(client, "admin@practica.test")
    [escalation] = admin.get("/api/v1/admin/escalations/?state=open").json()["results"]
    assert escalation["kind"] == "scoring_overdue"
    versions = admin.get("/api/v1/scenarios/ap-invoice-processing/versions/").json()["results"]
    shipped = load_pack(PACKS_DIR / "ap-invoice-processing").version
    assert [v["version"] for v in versions] == [shipped, shipped - 1]
    batch = admin.post(
        "/api/v1/admin/scenarios/ap-invoice-processing/regrade-batches/",
        {"reason": "monitoring: drop the metric the brief never asks for"},
        format="json",
    ).json()
    batch = admin.get(f"/api/v1/admin/regrade-batches/{batch['id']}/").json()
    assert batch["status"] == "previewed" and batch["attempts"] == 2
    assert sum(n for effect, n in batch["summary"].items() if effect != "none") >= 1


@pytest.mark.django_db
def test_demo_data_is_refused_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_data")
