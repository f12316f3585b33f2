"""Webhook writes: subscribing (managers for their firms, programme admins for any firm or
all), recording credential events as deliveries, attempting a delivery, giving up, disabling
an endpoint that keeps failing (with an email to its owner) and manual redelivery.

Events are recorded by the credential services themselves (``credential_event``), inside their
transactions: a delivery row per matching subscription, and its task sent only after the
commit (``config.dispatch.send_after_commit``), so a rolled-back revocation is never announced.
"""

import base64
import json
import logging
import secrets
import socket
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import Membership, User
from accounts.selectors import organisations_managed_by
from audit.services import audit_record
from config.dispatch import send_after_commit
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound

from .. import documents
from ..webhook_models import EVENTS, WebhookDelivery, WebhookSubscription
from . import signing, transport

logger = logging.getLogger(__name__)
TASK = "certification.tasks.deliver_webhook"
DELIVERED, RETRY, SKIPPED = "delivered", "retry", "skipped"


def may_subscribe(user: User) -> bool:
    return bool(
        user.is_authenticated and (user.is_programme_admin or user.role == "partner_manager")
    )


def visible_subscriptions(*, user: User):
    """Programme admins: every subscription; partner managers: those of the firms they
    manage; anyone else: none."""
    live = WebhookSubscription.objects.filter(deleted_at__isnull=True)
    if not may_subscribe(user):
        return live.none()
    if user.is_programme_admin:
        return live
    return live.filter(organisation__in=organisations_managed_by(user=user))


def subscription_for(*, user: User, subscription_id) -> WebhookSubscription:
    found = visible_subscriptions(user=user).filter(pk=subscription_id).first()
    if found is None:
        raise NotFound("No such webhook.", code="webhook_not_found")
    return found


def _private(host: str) -> bool:
    try:
        addresses = transport.resolve(host, 443)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable now: the delivery will fail and retry, not reach inside
    return not all(transport.is_public(a) for a in addresses)


def check_url(url: str) -> None:
    """HTTPS only (``WEBHOOK_ALLOW_HTTP`` for development) and never an address inside our
    network (``WEBHOOK_ALLOW_PRIVATE`` for tests): a webhook must not become a way to reach
    internal services."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise InvalidRequest("A webhook URL must be https://…", code="invalid_webhook_url")
    if not settings.WEBHOOK_ALLOW_PRIVATE and (
        parts.hostname == "localhost" or _private(parts.hostname)
    ):
        raise InvalidRequest(
            "A webhook URL must reach a public address.", code="invalid_webhook_url"
        )


@transaction.atomic
def webhook_subscribe(
    *, user: User, url: str, events: list[str], organisation_slug: str | None
) -> tuple[WebhookSubscription, str]:
    """Subscribe ``url`` to ``events``; return the subscription and its secret (shown once).
    Partner managers must name a firm they manage (else NotFound); programme admins may name
    any firm or none (every credential). Other roles: Forbidden."""
    if not may_subscribe(user):
        raise Forbidden("Webhooks are for partner managers and programme admins.")
    unknown = sorted(set(events) - set(EVENTS))
    if not events or unknown:
        raise InvalidRequest(
            f"events: one or more of {', '.join(EVENTS)}.", code="invalid_webhook_events"
        )
    check_url(url)
    organisation = None
    if organisation_slug:
        organisation = organisations_managed_by(user=user).filter(slug=organisation_slug).first()
        if organisation is None:
            raise NotFound("No such firm.", code="firm_not_found")
    elif not user.is_programme_admin:
        raise InvalidRequest("Name the firm (organisation).", code="organisation_required")
    subscription = WebhookSubscription.objects.create(
        owner=user,
        organisation=organisation,
        url=url,
        events=sorted(set(events), key=EVENTS.index),
        secret_salt=secrets.token_hex(16),
    )
    audit_record(actor=user, action="webhook.subscribed", target=subscription, data={"url": url})
    return subscription, endpoint_secret(subscription)


def endpoint_secret(subscription: WebhookSubscription) -> str:
    """The endpoint's signing secret: HMAC-SHA256 of its salt under ``WEBHOOK_SECRET_KEY``
    (``SECRET_KEY`` when unset). The database alone cannot give it away, and changing the key
    changes every endpoint's secret (rotate them, or keep the old key)."""
    key = settings.WEBHOOK_SECRET_KEY or settings.SECRET_KEY
    digest = salted_hmac(
        "practica.webhooks.endpoint-secret",
        f"{subscription.pk}:{subscription.secret_salt}",
        secret=key,
        algorithm="sha256",
    ).digest()
    return "whsec_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


@transaction.atomic
def webhook_rotate_secret(*, user: User, subscription_id) -> tuple[WebhookSubscription, str]:
    """A new secret for the endpoint (shown once); the old one stops signing at once."""
    subscription = subscription_for(user=user, subscription_id=subscription_id)
    subscription.secret_salt = secrets.token_hex(16)
    subscription.save(update_fields=["secret_salt"])
    audit_record(actor=user, action="webhook.secret_rotated", target=subscription)
    return subscription, endpoint_secret(subscription)


def webhook_delete(*, user: User, subscription_id) -> None:
    subscription = subscription_for(user=user, subscription_id=subscription_id)
    with transaction.atomic():
        subscription.deleted_at = timezone.now()
        subscription.save(update_fields=["deleted_at"])
        audit_record(actor=user, action="webhook.deleted", target=subscription)


def webhook_enable(*, user: User, subscription_id) -> WebhookSubscription:
    """Turn a disabled endpoint back on (its owner fixed it); failures count from zero."""
    subscription = subscription_for(user=user, subscription_id=subscription_id)
    with transaction.atomic():
        WebhookSubscription.objects.filter(pk=subscription.pk).update(
            disabled_at=None, disabled_reason="", consecutive_failures=0
        )
        audit_record(actor=user, action="webhook.enabled", target=subscription)
    subscription.refresh_from_db()
    return subscription


# --- Events ----------------------------------------------------------------------------------


def _payload(credential, event: str, event_id, reason: str) -> dict:
    return {
        "id": str(event_id),
        "type": f"credential.{event}",
        "created": timezone.now().isoformat(),
        "data": {
            "credential_id": str(credential.pk),
            "credential_url": documents.credential_url(credential.pk),
            "certification": credential.certification.slug,
            "holder_name": credential.holder.full_name,
            "valid_from": credential.valid_from.isoformat(),
            "valid_until": credential.valid_until.isoformat(),
            "reason": reason,
        },
    }


def credential_event(*, credential, event: str, reason: str = "") -> int:
    """Record ``event`` of ``credential`` for every active subscription that hears it (all
    credentials, or the holder's current firm); their deliveries go out after the caller's
    transaction commits. Returns how many were recorded."""
    if event not in EVENTS:
        raise ValueError(f"not a webhook event: {event}")
    firms = Membership.objects.filter(
        user_id=credential.holder_id, kind=Membership.Kind.CONSULTANT, left_at__isnull=True
    ).values("organisation_id")
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(
            Q(organisation__isnull=True) | Q(organisation_id__in=firms),
            disabled_at__isnull=True,
            deleted_at__isnull=True,
        )
        if event in s.events  # JSON containment is not portable to SQLite; the list is short
    ]
    deliveries = []
    for subscription in subscriptions:
        delivery = WebhookDelivery(
            subscription=subscription, event=event, credential_id=credential.pk, payload={}
        )
        delivery.payload = _payload(credential, event, delivery.event_id, reason)
        deliveries.append(delivery)
    WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        send_after_commit(TASK, delivery.pk)
    return len(deliveries)


# --- Delivery --------------------------------------------------------------------------------


def post(url: str, body: bytes, headers: dict) -> int:
    """POST and return the status code (the transport, ``transport.py``: the address checked
    is the address connected to; tests replace this function)."""
    return transport.post(
        url,
        body,
        headers,
        timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        allow_private=settings.WEBHOOK_ALLOW_PRIVATE,
    )


def _body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def delivery_attempt(*, delivery_id: int) -> str:
    """Send one pending delivery once. ``delivered`` (a 2xx: the endpoint's failure count
    starts again), ``retry`` (anything else), or ``skipped`` (already delivered or given up,
    or its endpoint is disabled or deleted: a redelivered task does nothing twice)."""
    delivery = (
        WebhookDelivery.objects.select_related("subscription")
        .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return SKIPPED
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, last_error="endpoint disabled or deleted"
        )
        return SKIPPED
    body = _body(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Practica-Webhooks/1",
        "Practica-Event": delivery.payload["type"],
        "Practica-Delivery": str(delivery.event_id),
        signing.HEADER: signing.signature_header(endpoint_secret(subscription), body),
    }
    code, error = None, ""
    try:
        code = post(subscription.url, body, headers)
    except transport.RefusedAddress as exc:
        error = str(exc)
    except Exception as exc:  # network failures come in many types; each is a failed try
        error = f"{type(exc).__name__}: {exc}"[:300]
    ok = code is not None and 200 <= code < 300
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        last_status_code=code,
        last_error=error if error else ("" if ok else f"HTTP {code}"),
        **({"status": WebhookDelivery.Status.DELIVERED, "delivered_at": now} if ok else {}),
    )
    if ok:
        WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return DELIVERED
    return RETRY


def delivery_give_up(*, delivery_id: int) -> bool:
    """The last try failed: the delivery is ``failed``, and its endpoint, after
    ``WEBHOOK_DISABLE_AFTER`` failed deliveries in a row, is disabled and its owner emailed.
    Returns whether this disabled the endpoint."""
    with transaction.atomic():
        if not WebhookDelivery.objects.filter(
            pk=delivery_id, status=WebhookDelivery.Status.PENDING
        ).update(status=WebhookDelivery.Status.FAILED):
            return False
        delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
        WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        limit = settings.WEBHOOK_DISABLE_AFTER
        reason = f"{limit} deliveries in a row failed"
        disabled = WebhookSubscription.objects.filter(
            pk=delivery.subscription_id, disabled_at__isnull=True, consecutive_failures__gte=limit
        ).update(disabled_at=timezone.now(), disabled_reason=reason)
        if disabled:
            subscription = delivery.subscription
            audit_record(actor=None, action="webhook.disabled", target=subscription, reason=reason)
            transaction.on_commit(lambda: _notify_disabled(subscription, reason))
    return bool(disabled)


def _notify_disabled(subscription: WebhookSubscription, reason: str) -> None:
    """Email the owner. A mail server that is down is logged: the endpoint is disabled all
    the same, and the API shows why."""
    try:
        _send_notice(subscription, reason)
    except Exception:  # smtplib and the backends raise several types
        logger.warning("could not email the owner of webhook %s", subscription.pk, exc_info=True)


def _send_notice(subscription: WebhookSubscription, reason: str) -> None:
    send_mail(
        subject="Practica: your webhook endpoint was disabled",
        message=(
            f"We stopped sending credential events to {subscription.url}: {reason}.\n"
            f"The delivery log shows each failure: {settings.PUBLIC_BASE_URL}"
            f"/api/v1/credentials/webhooks/{subscription.pk}/deliveries/\n"
            "Once the endpoint answers again, re-enable it (POST .../enable) and redeliver "
            "what it missed."
        ),
        from_email=None,
        recipient_list=[subscription.owner.email],
    )


def delivery_redeliver(*, user: User, subscription_id, delivery_id) -> WebhookDelivery:
    """Send a delivery again (same event id and payload, a fresh signature), whatever its
    status. Refused (Conflict) while the endpoint is disabled: enable it first."""
    subscription = subscription_for(user=user, subscription_id=subscription_id)
    if not subscription.is_active:
        raise Conflict("The endpoint is disabled; enable it first.", code="webhook_disabled")
    delivery = subscription.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound("No such delivery.", code="delivery_not_found")
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.PENDING)
        audit_record(
            actor=user,
            action="webhook.redelivered",
            target=subscription,
            data={"delivery": delivery.pk},
        )
        send_after_commit(TASK, delivery.pk)
    delivery.refresh_from_db()
    return delivery


def backoff_seconds(retries: int) -> int:
    """Seconds before try ``retries + 2``: doubling from ``WEBHOOK_BACKOFF_SECONDS``, capped at
    an hour, with up to a quarter of jitter so a burst of failures does not retry in step."""
    base = min(settings.WEBHOOK_BACKOFF_SECONDS * 2**retries, 3600)
    return base + secrets.randbelow(base // 4 + 1)


def webhooks_sweep(*, batch_size: int = 200) -> int:
    """Send again the deliveries whose message was lost (a broker that was down, a worker that
    died): pending, of a live endpoint, and not tried for longer than any back-off waits (two
    hours; never tried: ten minutes). Bounded per run; a delivery already done is skipped."""
    now = timezone.now()
    lost = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            subscription__disabled_at__isnull=True,
            subscription__deleted_at__isnull=True,
        )
        .filter(
            Q(last_attempt_at__isnull=True, created_at__lt=now - timedelta(minutes=10))
            | Q(last_attempt_at__lt=now - timedelta(hours=2))
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    ids = list(lost)
    for delivery_id in ids:
        send_after_commit(TASK, delivery_id)
    return len(ids)
