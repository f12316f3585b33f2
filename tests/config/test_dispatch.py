"""Sending work to the workers: after commit or not at all, and never failing for a broker."""

import pytest
from django.db import transaction

from audit.models import AuditEvent
from config import dispatch

PING = "config.tasks.ping"  # records an audit row when it runs


def _pings() -> int:
    return AuditEvent.objects.filter(action="system.ping").count()


@pytest.mark.django_db
def test_work_is_sent_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    sent = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        dispatch.send_after_commit(PING, "after commit", on_sent=lambda: sent.append(1))
        assert _pings() == 0
    assert len(callbacks) == 1 and _pings() == 0 and not sent
    callbacks[0]()
    assert _pings() == 1 and sent == [1]


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        dispatch.send_after_commit(PING, "never")
        raise RuntimeError("the caller's write failed")
    assert callbacks == [] and _pings() == 0


@pytest.mark.django_db
def test_a_broker_that_is_down_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(dispatch.task_named(PING), "apply_async", down)
    sent = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dispatch.send_after_commit(PING, "lost", on_sent=lambda: sent.append(1))
    assert len(callbacks) == 1 and not sent  # ran, was not sent, and did not raise
    assert dispatch.send(PING, "lost") is False
    assert _pings() == 0
    assert "the sweeper will send it" in caplog.text


def test_a_misspelt_task_name_fails_at_once():
    with pytest.raises(KeyError):
        dispatch.send_after_commit("assessments.tasks.grade_jobs", "x")


@pytest.mark.parametrize(
    "name",
    [
        "assessments.tasks.grade_job",
        "assessments.tasks.grade_regrade_batch_chunk",
        "assessments.tasks.regrade_batch_apply",
        "certification.tasks.issue_credential",
        "certification.tasks.withdraw_credential",
        "certification.tasks.sweep",
    ],
)
def test_every_retried_task_uses_the_one_retry_policy(name):
    task = dispatch.task_named(name)
    assert tuple(task.autoretry_for) == dispatch.TRANSIENT_ERRORS
    assert task.retry_backoff == dispatch.RETRY_POLICY["retry_backoff"]
    assert task.retry_backoff_max == dispatch.RETRY_POLICY["retry_backoff_max"]
    assert task.max_retries == dispatch.RETRY_POLICY["max_retries"]
