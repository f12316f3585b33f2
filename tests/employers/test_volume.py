"""Verification volume: one upsert per request on every verification surface, by employer or
anonymous, never failing a verification; the programme admins' page and API add them up by
day and by employer, with days that had none."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from certification import tasks, volume
from certification.volume_models import VerificationVolume
from employers.volume import figures
from tests.certification.factories import issue

pytestmark = pytest.mark.django_db


def _count(surface, account=0):
    row = VerificationVolume.objects.filter(surface=surface, account=account).first()
    return row.count if row else 0


def test_record_adds_to_todays_row(employer):
    volume.record("api")
    volume.record("api", count=4)
    volume.record("bulk", count=10, account=employer.pk)
    assert _count("api") == 5 and _count("bulk", employer.pk) == 10
    assert VerificationVolume.objects.count() == 2


def test_a_failing_count_never_fails_the_verification(client, certification, monkeypatch):
    credential = issue(certification=certification)

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(volume, "_upsert_sql", broken)
    response = client.get(f"/api/v1/credentials/verify/{credential.pk}")
    assert response.status_code == 200 and response.json()["status"] == "valid"
    assert not VerificationVolume.objects.exists()


def test_every_surface_is_counted(client, api_client, certification):
    credential = issue(certification=certification)
    client.get(f"/api/v1/credentials/verify/{credential.pk}")
    api_client.post("/api/v1/credentials/verify", credential.document, format="json")
    client.get(f"/credentials/{credential.pk}")
    client.post("/verify/", {"reference": str(credential.pk)})
    api_client.post(
        "/api/v1/credentials/verify/bulk", {"credentials": [str(credential.pk)] * 3}, format="json"
    )
    api_client.post(
        "/vc-api/credentials/verify", {"verifiableCredential": credential.document}, format="json"
    )
    assert (_count("api"), _count("page"), _count("bulk"), _count("vc_api")) == (1, 2, 3, 1)
    # By ID (the hot path) counts in Redis, in its one round trip; the task moves it.
    assert tasks.flush_verification_volume() == 1
    assert _count("api") == 2
    assert tasks.flush_verification_volume() == 0  # moved once, not twice


def test_by_id_verification_stays_free_of_queries_and_its_counts_all_arrive(
    client, certification, django_assert_num_queries
):
    credential = issue(certification=certification)
    url = f"/api/v1/credentials/verify/{credential.pk}"
    client.get(url)
    with django_assert_num_queries(0):
        for _ in range(5):
            assert client.get(url).status_code == 200
    volume.flush()
    assert _count("api") == 6


def test_a_failed_flush_gives_the_counts_back(client, certification, monkeypatch):
    credential = issue(certification=certification)
    client.get(f"/api/v1/credentials/verify/{credential.pk}")
    monkeypatch.setattr(volume, "record", lambda *a, **k: False)
    assert volume.flush() == 0
    monkeypatch.undo()
    assert volume.flush() == 1 and _count("api") == 1


def test_a_refused_request_is_not_counted(client, db):
    client.get("/api/v1/credentials/verify/not-a-uuid")
    client.post("/verify/", {"reference": "nothing"})
    volume.flush()
    assert not VerificationVolume.objects.exists()


def test_figures_add_up_by_day_and_employer_with_empty_days(employer, other_employer):
    today = timezone.now().date()
    rows = [
        (today, "api", 0, 5),
        (today, "bulk", employer.pk, 100),
        (today - timedelta(days=2), "bulk", other_employer.pk, 40),
        (today - timedelta(days=2), "page", 0, 7),
        (today - timedelta(days=40), "api", 0, 1000),  # outside 30 days
    ]
    VerificationVolume.objects.bulk_create(
        VerificationVolume(day=d, surface=s, account=a, count=c) for d, s, a, c in rows
    )
    data = figures(days=30)
    assert len(data["days"]) == 30 and data["days"][-1]["day"] == today
    last, two_ago, one_ago = data["days"][-1], data["days"][-3], data["days"][-2]
    assert (last["total"], last["anonymous"], last["employers"], last["bulk"]) == (105, 5, 100, 100)
    assert (two_ago["total"], two_ago["page"], two_ago["employers"]) == (47, 7, 40)
    assert one_ago["total"] == 0
    assert data["total"] == 152
    assert [(e["slug"], e["count"]) for e in data["employers"]] == [
        (employer.slug, 100),
        (other_employer.slug, 40),
    ]


def test_the_volume_api_and_page_show_the_figures(client, client_for, programme_admin, employer):
    volume.record("bulk", count=12, account=employer.pk)
    volume.record("page", count=3)
    data = client_for(programme_admin).get("/api/v1/employers/volume/?days=7").json()
    assert data["total"] == 15 and len(data["days"]) == 7
    assert data["employers"] == [{"slug": "initech", "name": "Initech", "count": 12}]
    client.force_login(programme_admin)
    page = client.get("/employers/volume/").content.decode()
    assert 'data-testid="volume-total">15<' in page
    assert 'data-employer="initech"><td>Initech</td><td>12<' in page
    assert 'id="volume-chart-data"' in page


@pytest.mark.parametrize("days", ["0", "367", "-1", "abc", "1.5"])
def test_a_bad_days_parameter_is_a_400_saying_the_range(client, client_for, programme_admin, days):
    response = client_for(programme_admin).get(f"/api/v1/employers/volume/?days={days}")
    assert response.status_code == 400 and response.json()["code"] == "invalid_days"
    client.force_login(programme_admin)
    assert client.get(f"/employers/volume/?days={days}").status_code == 400
