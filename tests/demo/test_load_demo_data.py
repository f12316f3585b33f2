import pytest
from django.apps import apps
from django.core.management import CommandError, call_command


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_loading_demo_data_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    first = _row_counts()
    call_command("load_demo_data")
    assert _row_counts() == first
    assert first["accounts.User"] >= 4


@pytest.mark.django_db
def test_demo_logins_work_for_every_role(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data")
    from demo.people import DEMO_PASSWORD, PEOPLE

    for email, *_ in PEOPLE:
        response = client.post(
            "/api/v1/auth/token/",
            {"email": email, "password": DEMO_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, email


@pytest.mark.django_db
def test_demo_data_is_refused_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_data")
