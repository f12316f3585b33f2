"""What only the real services show: the rate limit on Redis, and issuing on PostgreSQL under
concurrent deliveries (row locks, the unique constraints)."""

import threading

import pytest
from django.db import connection

from certification.models import Credential
from certification.throttling import VerifyThrottle

from .factories import DecisionFactory

pytestmark = pytest.mark.integration


def test_rate_limit_counts_in_redis(settings, client, issued, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-throttle-{issued.pk}",
        }
    }
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "2/minute"})
    url = f"/api/v1/credentials/verify/{issued.pk}"
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


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
