"""Sending work to the Celery workers, one way for every app, and the retry policy they share.

The rule: the row that records a piece of work (a grading job, a regrade batch, a passing
decision) is written in the caller's transaction; the message that tells a worker about it is
sent only after that transaction commits, so a worker never looks for a row that is not there
yet. A broker that is down is logged, never raised: the work is already recorded, and the app's
sweeper finds it and sends it again. So no request fails, and nothing is lost, for want of Redis.

Services name tasks as the broker does (``"assessments.tasks.grade_job"``) instead of importing
a ``tasks`` module, which imports the services back: the dependency runs one way, tasks → services.
"""

import logging
from collections.abc import Callable
from importlib import import_module

from celery import Task
from django.db import InterfaceError, OperationalError, transaction

from config.celery import app

logger = logging.getLogger(__name__)

# Errors worth another try: the database went away (restart, fail-over, network). Anything
# else is a bug or a refusal, and retrying cannot help.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

# Every task's retry policy: the transient errors above, with exponential back-off (2 s, 4 s,
# ... capped at 2 min, jittered) and at most 8 retries (about 10 minutes in all). After that
# the task fails, and the sweepers pick the work up from its database row.
RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 8,
}


def task_named(name: str) -> Task:
    """The registered task called ``name``. An unknown name is a programming error (KeyError),
    never a broker outage."""
    if name not in app.tasks:
        # Registered when its module is first imported ("assessments.tasks.grade_job" lives in
        # assessments.tasks). Not Celery's autodiscovery: in a web process that would also run
        # the worker's Django start-up checks.
        import_module(name.rpartition(".")[0])
    return app.tasks[name]


def send(task_name: str, *args) -> bool:
    """Put one message on the broker now; True when it was sent. A broker that is down is
    logged, not raised (the sweeper that owns the work sends it later). With no broker
    configured (``make run``, the fast tests) the task runs here and now."""
    task = task_named(task_name)
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # kombu/redis raise several types; any failure means "not sent"
        logger.warning(
            "could not send %s%s; the sweeper will send it", task_name, args[:1], exc_info=True
        )
        return False
    return True


def send_after_commit(task_name: str, *args, on_sent: Callable[[], object] | None = None) -> None:
    """Send once the current transaction commits (at once outside a transaction), then call
    ``on_sent`` if it was sent. If the transaction rolls back, nothing is sent."""
    task_named(task_name)  # fail now, inside the caller's transaction, on a misspelt name

    def _send() -> None:
        if send(task_name, *args) and on_sent is not None:
            on_sent()

    transaction.on_commit(_send)
