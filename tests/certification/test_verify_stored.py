"""By-ID verification takes a cached fast path; it must agree with full verification of the
stored document in every state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import selectors
from certification.models import StatusList
from certification.services import credential_revoke, credential_suspend
from certification.verification import verify_document

from .factories import DecisionFactory, issue


def _both(credential, now=None):
    fast = selectors.verify_stored(selectors.credential_for_verification(credential.pk), now=now)
    full = verify_document(credential.document, now=now)
    return fast, full


def _summary(result):
    return result["status"], [(c["name"], c["outcome"]) for c in result["checks"]]


@pytest.mark.parametrize("state", ["valid", "revoked", "suspended", "expired", "renewed", "future"])
def test_fast_path_agrees_with_full_verification(
    state, issued, candidate, certification, programme_admin
):
    now = None
    if state == "revoked":
        credential_revoke(credential=issued, actor=programme_admin, reason="fraud")
    elif state == "suspended":
        credential_suspend(credential=issued, actor=programme_admin, reason="check")
    elif state == "expired":
        now = timezone.now() + timedelta(days=800)
    elif state == "future":
        now = timezone.now() - timedelta(days=1)
    elif state == "renewed":
        issue(DecisionFactory(user=candidate, certification=certification))
    fast, full = _both(issued, now)
    if state == "future":  # the full path also finds the list "not yet valid" then
        assert fast["status"] == full["status"] == "not_yet_valid"
    else:
        assert _summary(fast) == _summary(full)
    assert fast["verified"] is full["verified"]


def test_fast_path_sees_a_revocation_made_after_it_was_cached(issued, programme_admin):
    assert (
        selectors.verify_stored(selectors.credential_for_verification(issued.pk))["status"]
        == "valid"
    )
    credential_revoke(credential=issued, actor=programme_admin, reason="fraud")
    again = selectors.verify_stored(selectors.credential_for_verification(issued.pk))
    assert again["status"] == "revoked"


def test_fast_path_reports_a_tampered_stored_document(issued):
    from certification.models import Credential

    document = dict(issued.document, name="Something else")
    Credential.objects.filter(pk=issued.pk).update(document=document)
    result = selectors.verify_stored(selectors.credential_for_verification(issued.pk))
    assert result["status"] == "invalid"


def test_by_id_verification_takes_two_queries_once_warm(
    issued, client, django_assert_max_num_queries
):
    url = f"/api/v1/credentials/verify/{issued.pk}"
    client.get(url)
    with django_assert_max_num_queries(1):
        assert client.get(url).json()["status"] == "valid"
    assert StatusList.objects.exists()
