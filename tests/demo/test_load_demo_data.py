import pytest
from django.apps import apps
from django.core.management import CommandError, call_command


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


# Committing transactions: the demo, like `make run`, relies on work scheduled after commit
# (grading, then issuance), which a rolled-back test transaction would never run.
@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_idempotently_with_working_logins_and_a_credential(
    settings, client, capsys
):
    settings.DEBUG = True
    call_command("load_demo_data", "--print-logins", "--base-url=http://demo.test")
    first = _row_counts()
    call_command("load_demo_data")
    assert _row_counts() == first, "a second run changes nothing"

    from demo.people import DEMO_PASSWORD, PEOPLE

    for email, *_ in PEOPLE:
        response = client.post(
            "/api/v1/auth/token/",
            {"email": email, "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, email
    assert first["scenarios.ScenarioVersion"] == 3
    assert first["assessments.CertificationDecision"] >= 2
    assert first["certification.Credential"] >= 1
    out = capsys.readouterr().out
    assert "http://demo.test/credentials/" in out


@pytest.mark.django_db
def test_demo_data_is_refused_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_data")
