"""A holder finds their credential from their own account: the decision links it, and
GET /me/ lists every credential they hold (the credential app fills both through the lower
apps' hooks)."""

import pytest

from assessments.serializers import DecisionOutputSerializer
from certification.documents import credential_url
from certification.services import credential_revoke
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_decision_links_the_credential_it_issued(issued, passing_decision):
    body = DecisionOutputSerializer(passing_decision).data
    assert body["credential"] == {
        "id": str(issued.pk),
        "url": credential_url(issued.pk),
        "status": "valid",
    }


def test_a_decision_without_a_credential_links_none(passing_decision):
    assert DecisionOutputSerializer(passing_decision).data["credential"] is None


def test_me_lists_the_holders_credentials_with_their_state(
    client_for, candidate, issued, programme_admin
):
    me = client_for(candidate).get("/api/v1/me/")
    assert me.status_code == 200
    [held] = me.json()["credentials"]
    assert held["id"] == str(issued.pk) and held["url"] == credential_url(issued.pk)
    assert held["certification"] == issued.certification.slug
    assert held["decision"] == str(issued.decision_id) and held["status"] == "valid"

    credential_revoke(credential=issued, actor=programme_admin, reason="misconduct")
    assert client_for(candidate).get("/api/v1/me/").json()["credentials"][0]["status"] == "revoked"
    someone_else = UserFactory(email="else@example.test")
    assert client_for(someone_else).get("/api/v1/me/").json()["credentials"] == []
