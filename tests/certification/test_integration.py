"""What only the real services show: the rate limit on Redis, and issuing on PostgreSQL under
concurrent deliveries (row locks, the unique constraints)."""

import threading

import pytest
from django.db import connection

from certification.models import Credential
from certification.throttling import VerifyThrottle

from .factories import DecisionFactory

pytestmark = pytest.mark.integration


def _redis_cache(settings, prefix: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


def test_rate_limit_counts_in_redis(settings, client, issued, monkeypatch):
    _redis_cache(settings, f"test-throttle-{issued.pk}")
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "2/minute"})
    url = f"/api/v1/credentials/verify/{issued.pk}"
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db(transaction=True)
def test_by_id_state_cached_in_redis_follows_committed_changes(settings, client):
    """Warm by-ID requests answer from Redis without the database; every committed change
    (suspend, unsuspend, revoke) is seen by the next request."""
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    from certification import stored_state
    from certification.services import (
        credential_issue,
        credential_revoke,
        credential_suspend,
        credential_unsuspend,
    )
    from config.cache import redis_for_default_cache
    from tests.factories import UserFactory

    credential = credential_issue(decision_id=DecisionFactory().pk)
    _redis_cache(settings, f"test-state-{credential.pk}")
    admin = UserFactory(role="programme_admin")
    url = f"/api/v1/credentials/verify/{credential.pk}"
    try:
        assert client.get(url).json()["status"] == "valid"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).json()["status"] == "valid"
        assert len(queries) == 0
        backend, redis = redis_for_default_cache()
        ttl = redis.ttl(backend.make_and_validate_key(stored_state._KEY.format(credential.pk)))
        assert 0 < ttl <= stored_state.TTL_SECONDS

        credential_suspend(credential=credential, actor=admin, reason="check")
        assert client.get(url).json()["status"] == "suspended"
        credential_unsuspend(credential=credential, actor=admin, reason="cleared")
        assert client.get(url).json()["status"] == "valid"
        credential_revoke(credential=credential, actor=admin, reason="fraud")
        assert client.get(url).json()["status"] == "revoked"
    finally:
        cache.delete(stored_state._KEY.format(credential.pk))  # not clear(): that is FLUSHDB


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_issue_one_credential(settings, tmp_path):
    from certification.services import credential_issue

    decision = DecisionFactory()
    results, errors = [], []

    def deliver():
        try:
            results.append(credential_issue(decision_id=decision.pk).pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Credential.objects.filter(decision=decision).count() == 1


@pytest.fixture
def credential_worker(transactional_db, monkeypatch, settings):
    """A real worker that signs with this test's throwaway keys and URLs."""
    from tests.support.celery_worker import WorkerProcess

    monkeypatch.setenv("CREDENTIAL_KEYS_DIR", str(settings.CREDENTIAL_KEYS_DIR))
    monkeypatch.setenv("CREDENTIAL_ISSUER_METHOD", settings.CREDENTIAL_ISSUER_METHOD)
    monkeypatch.setenv("PUBLIC_BASE_URL", settings.PUBLIC_BASE_URL)
    worker = WorkerProcess().start()
    try:
        yield worker
    finally:
        worker.stop()


def test_a_worker_issues_after_commit_once_and_withdraws_on_reversal(
    credential_worker, wait_for, programme_admin
):
    from django.db import transaction

    from assessments.hooks import notify_decision
    from assessments.services.decisions import decision_reverse
    from certification import tasks
    from certification.verification import verify_document

    decision = DecisionFactory()
    with transaction.atomic():
        notify_decision(decision.pk, "recorded")
        assert not Credential.objects.exists()  # nothing leaves before the commit

    credential = wait_for(
        lambda: Credential.objects.filter(decision=decision).first(),
        message="the worker to issue the credential",
    )
    assert verify_document(credential.document)["status"] == "valid"

    tasks.issue_credential.delay(str(decision.pk))  # a redelivery, and the catch-up sweep:
    tasks.sweep.delay()  # neither may issue a second credential
    decision_reverse(decision=decision, actor=programme_admin, reason="appeal upheld")
    wait_for(
        lambda: Credential.objects.filter(pk=credential.pk, revoked_at__isnull=False).exists(),
        message="the worker to withdraw the credential",
    )
    assert Credential.objects.filter(decision=decision).count() == 1
    credential.refresh_from_db()
    assert verify_document(credential.document)["status"] == "revoked"
