"""The foundation's integration tier: real PostgreSQL, Redis and a worker process."""

import pytest
from django.db import connection, transaction

from audit.models import AuditEvent
from config.tasks import ping

pytestmark = pytest.mark.integration


def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"


def test_a_task_enqueued_on_commit_is_run_by_a_real_worker(celery_worker_process, wait_for):
    with transaction.atomic():
        ping.delay_on_commit("hello from the test")
        # nothing is sent before the transaction commits
        assert not AuditEvent.objects.filter(action="system.ping").exists()

    event = wait_for(
        lambda: AuditEvent.objects.filter(action="system.ping").first(),
        message="the worker to record the ping",
    )
    assert event.data == {"note": "hello from the test"}


def test_readyz_reports_the_real_broker(client, transactional_db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
