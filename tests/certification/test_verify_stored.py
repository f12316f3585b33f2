"""By-ID verification takes a cached fast path; it must agree with full verification of the
stored document in every state."""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from certification import selectors, stored_state
from certification.models import Credential
from certification.services import (
    credential_revoke,
    credential_suspend,
    credential_unsuspend,
)
from certification.verification import verify_document
from config.cache import RoundTrip

from .factories import DecisionFactory, issue


def _both(credential, now=None):
    fast = selectors.verify_stored(stored_state.load(credential.pk), now=now)
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


def _by_id(credential) -> tuple[str, bool]:
    """(status, says it was renewed) from the by-ID fast path."""
    result = selectors.verify_stored(stored_state.load(credential.pk))
    return result["status"], "superseded" in [c["name"] for c in result["checks"]]


@pytest.mark.parametrize(
    ("change", "before", "after"),
    [
        ("revoke", ("valid", False), ("revoked", False)),
        ("suspend", ("valid", False), ("suspended", False)),
        ("unsuspend", ("suspended", False), ("valid", False)),
        ("renew", ("valid", False), ("valid", True)),
    ],
)
def test_a_change_reaches_the_cached_state_when_it_commits(
    change,
    before,
    after,
    issued,
    candidate,
    certification,
    programme_admin,
    django_capture_on_commit_callbacks,
):
    if change == "unsuspend":
        with django_capture_on_commit_callbacks(execute=True):
            credential_suspend(credential=issued, actor=programme_admin, reason="check")
        cache.delete(stored_state._KEY.format(issued.pk))  # as when its tombstone has expired
    assert _by_id(issued) == before  # and now cached
    with django_capture_on_commit_callbacks(execute=False) as pending:
        if change == "revoke":
            credential_revoke(credential=issued, actor=programme_admin, reason="fraud")
        elif change == "suspend":
            credential_suspend(credential=issued, actor=programme_admin, reason="check")
        elif change == "unsuspend":
            credential_unsuspend(credential=issued, actor=programme_admin, reason="cleared")
        else:
            issue(DecisionFactory(user=candidate, certification=certification))
    assert _by_id(issued) == before  # not yet committed: the cached state still answers
    for callback in pending:
        callback()
    assert _by_id(issued) == after


def test_a_stale_read_racing_a_change_is_not_cached_over_it(
    issued, programme_admin, django_capture_on_commit_callbacks, monkeypatch
):
    """A request reads the database just before a suspension commits, and stores what it read
    just after: the tombstone the commit left wins, so the next request sees "suspended"."""
    stale = stored_state._from_database(issued.pk)
    with RoundTrip() as trip:
        racing = stored_state.Lookup(issued.pk, trip)  # a miss: it will read the database
    with django_capture_on_commit_callbacks(execute=True):
        credential_suspend(credential=issued, actor=programme_admin, reason="check")
    monkeypatch.setattr(stored_state, "_from_database", lambda pk: stale)
    assert selectors.verify_stored(racing.result())["status"] == "valid"  # what it read
    monkeypatch.undo()
    assert _by_id(issued) == ("suspended", False)


def test_fast_path_reports_a_tampered_stored_document(issued):
    document = dict(issued.document, name="Something else")
    Credential.objects.filter(pk=issued.pk).update(document=document)
    result = selectors.verify_stored(stored_state.load(issued.pk))
    assert result["status"] == "invalid"


def test_by_id_verification_makes_no_query_once_warm(
    issued, client, django_assert_num_queries, django_assert_max_num_queries
):
    url = f"/api/v1/credentials/verify/{issued.pk}"
    with django_assert_max_num_queries(3):  # state, document (for the proof), list bits
        assert client.get(url).json()["status"] == "valid"
    with django_assert_num_queries(0):
        assert client.get(url).json()["status"] == "valid"


def test_an_unknown_id_is_not_cached(client, issued, django_assert_num_queries):

    url = f"/api/v1/credentials/verify/{uuid.uuid4()}"
    for _ in range(2):
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 404
    assert cache.get(stored_state._KEY.format(issued.pk)) is None
