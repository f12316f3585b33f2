"""Credential tasks: thin wrappers over services, idempotent, time-limited, retried with the
shared policy (``config.dispatch.RETRY_POLICY``: transient database errors only, with back-off
and a cap). They run on the default queue."""

from celery import shared_task
from django.conf import settings

from config.dispatch import RETRY_POLICY

from . import services, volume
from .services.decisions import credentials_sweep
from .webhooks import services as webhooks

SWEEP_BATCH = 200


@shared_task(
    name="certification.tasks.issue_credential",
    acks_late=True,  # safe: issuing is idempotent per decision
    time_limit=60,
    soft_time_limit=50,
    **RETRY_POLICY,
)
def issue_credential(decision_id: str) -> str | None:
    """Issue the credential of a passing decision. A redelivery finds it issued and returns
    it; a decision that is not (or no longer) a pass issues nothing."""
    try:
        return str(services.credential_issue(decision_id=decision_id).pk)
    except services.IssuanceRefused:
        return None


@shared_task(
    name="certification.tasks.withdraw_credential",
    acks_late=True,  # safe: revocation is idempotent
    time_limit=60,
    soft_time_limit=50,
    **RETRY_POLICY,
)
def withdraw_credential(decision_id: str) -> str | None:
    """Withdraw (revoke) the credential of a reversed decision, if one was issued."""
    credential = services.credential_withdraw_for_decision(decision_id=decision_id)
    return str(credential.pk) if credential else None


@shared_task(
    name="certification.tasks.flush_verification_volume", time_limit=60, soft_time_limit=50
)
def flush_verification_volume() -> int:
    """Move by-ID verification counts buffered in Redis into the volume table
    (``certification.volume.flush``). Not retried: the next run (a minute later) picks up
    whatever this one could not move."""
    return volume.flush()


@shared_task(name="certification.tasks.sweep", time_limit=300, soft_time_limit=270, **RETRY_POLICY)
def sweep() -> dict:
    """Periodic catch-up for lost messages (see ``services.decisions.credentials_sweep``)."""
    return credentials_sweep(batch_size=SWEEP_BATCH)


@shared_task(
    name="certification.tasks.deliver_webhook",
    bind=True,
    acks_late=True,  # safe: a delivered or given-up delivery is skipped on a rerun
    time_limit=60,
    soft_time_limit=50,
    **RETRY_POLICY,
)
def deliver_webhook(self, delivery_id: int) -> str:
    """Send one webhook delivery; on failure try again with doubling back-off
    (``webhooks.services.backoff_seconds``) up to ``WEBHOOK_MAX_ATTEMPTS`` tries in all, then
    give up (which may disable the endpoint). Database errors retry under the shared policy.
    Without a broker (``make run``, the fast tier) nothing can wait for a countdown, so the
    tries run back to back here."""
    tries = self.request.retries
    while True:
        outcome = webhooks.delivery_attempt(delivery_id=delivery_id)
        if outcome != webhooks.RETRY:
            return outcome
        tries += 1
        if tries >= settings.WEBHOOK_MAX_ATTEMPTS:
            webhooks.delivery_give_up(delivery_id=delivery_id)
            return "failed"
        if not self.request.is_eager:
            raise self.retry(
                countdown=webhooks.backoff_seconds(tries - 1),
                max_retries=settings.WEBHOOK_MAX_ATTEMPTS,
            )
