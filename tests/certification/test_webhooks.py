"""Webhooks: who may subscribe to what, events recorded by the credential services for the
right subscriptions only (after commit), signed deliveries a receiver can check, retries with
back-off, the delivery log, redelivery, and disabling an endpoint that keeps failing."""

import importlib.util
import json
import threading
import time
from http.server import HTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from audit.models import AuditEvent
from certification.services import (
    credential_revoke,
    credential_suspend,
    credential_unsuspend,
)
from certification.webhook_models import WebhookDelivery, WebhookSubscription
from certification.webhooks import services as webhooks
from certification.webhooks import signing

from .factories import DecisionFactory, issue

pytestmark = pytest.mark.django_db

RECEIVER = Path(__file__).resolve().parents[2] / "docs" / "credentials" / "webhook_receiver.py"
API = "/api/v1/credentials/webhooks/"


def _receiver_module():
    spec = importlib.util.spec_from_file_location("webhook_receiver", RECEIVER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


receiver = _receiver_module()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE = True  # example.test does not resolve; tests send nowhere
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_DISABLE_AFTER = 2
    settings.WEBHOOK_BACKOFF_SECONDS = 1


class Endpoint:
    """A stand-in transport: answers with the next status code, and checks every request the
    way the documented receiver does."""

    def __init__(self, *codes):
        self.codes, self.received, self.seen, self.secret = list(codes), [], set(), None

    def __call__(self, url, body, headers):
        event = receiver.check(self.secret, body, headers, self.seen) if self.secret else None
        self.received.append({"url": url, "headers": headers, "body": body, "event": event})
        code = self.codes.pop(0) if self.codes else 200
        if code != 200:
            self.seen.discard(headers["Practica-Delivery"])  # not handled: a retry is new
        return code


@pytest.fixture
def endpoint(monkeypatch):
    found = Endpoint()
    monkeypatch.setattr(webhooks, "post", found)
    return found


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def _subscribe(user, firm=None, events=("revoked", "suspended", "unsuspended", "issued")):
    return webhooks.webhook_subscribe(
        user=user,
        url="https://hooks.example.test/practica",
        events=list(events),
        organisation_slug=firm.slug if firm else None,
    )


@pytest.fixture
def credential(candidate, certification):
    return issue(DecisionFactory(user=candidate, certification=certification))


# --- Signatures ------------------------------------------------------------------------------


def test_a_signature_checks_out_and_any_change_breaks_it():
    body, now = b'{"type":"credential.revoked"}', 1_800_000_000
    header = signing.signature_header("whsec_a", body, timestamp=now)
    assert signing.verify("whsec_a", body, header, now=now + 10) == now
    for secret, text, at in [
        ("whsec_b", body, now),  # another secret
        ("whsec_a", body + b" ", now),  # the body changed
        ("whsec_a", body, now + 301),  # replayed six minutes later
    ]:
        with pytest.raises(signing.SignatureError):
            signing.verify(secret, text, header, now=at)
    with pytest.raises(signing.SignatureError):
        signing.verify("whsec_a", body, "v1=abc", now=now)


def test_the_documented_receiver_agrees_with_the_signer():
    body, now = b"{}", time.time()
    headers = {
        "Practica-Signature": signing.signature_header("s", body, int(now)),
        "Practica-Delivery": "d1",
    }
    seen = set()
    assert receiver.check("s", body, headers, seen) == {}  # new, empty event
    assert "d1" in seen
    with pytest.raises(ValueError, match="stale"):
        receiver.check("s", body, headers, set(), now=now + 600)
    with pytest.raises(ValueError, match="bad signature"):
        receiver.check("t", body, headers, set())


# --- Who may subscribe -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "organisation", "expected"),
    [
        ("anonymous", "firm", 401),
        ("candidate", "firm", 403),
        ("grader", "firm", 403),
        ("partner_manager", "firm", 201),
        ("partner_manager", "other_firm", 404),
        ("partner_manager", None, 400),
        ("other_manager", "firm", 404),
        ("programme_admin", "firm", 201),
        ("programme_admin", None, 201),
    ],
)
def test_who_may_subscribe_to_what(api_client, request, firm, role, organisation, expected):
    request.getfixturevalue("other_firm")
    if role != "anonymous":
        api_client.force_authenticate(request.getfixturevalue(role))
    body = {"url": "https://hooks.example.test/x", "events": ["revoked"]}
    if organisation:
        body["organisation"] = request.getfixturevalue(organisation).slug
    response = api_client.post(API, body, format="json")
    assert response.status_code == expected, response.content
    if expected == 201:
        data = response.json()
        assert data["secret"].startswith("whsec_")
        # Shown once: never again.
        again = api_client.get(f"{API}{data['id']}/").json()
        assert "secret" not in again and again["url"] == body["url"]


def test_another_firms_manager_sees_none_of_this_firms_webhooks(
    api_client, partner_manager, other_manager, firm, endpoint, credential, run_on_commit
):
    subscription, _ = _subscribe(partner_manager, firm)
    run_on_commit(credential_revoke, credential=credential, actor=None, reason="fraud")
    delivery = subscription.deliveries.get()
    api_client.force_authenticate(other_manager)
    assert api_client.get(API).json()["results"] == []
    base = f"{API}{subscription.pk}/"
    for method, url in [
        ("get", base),
        ("delete", base),
        ("post", f"{base}enable"),
        ("get", f"{base}deliveries/"),
        ("post", f"{base}deliveries/{delivery.pk}/redeliver"),
    ]:
        response = getattr(api_client, method)(url)
        assert response.status_code == 404, (method, url)
        assert response.json()["code"] == "webhook_not_found"
    assert WebhookSubscription.objects.get(pk=subscription.pk).deleted_at is None


@pytest.mark.parametrize(
    "url",
    ["http://hooks.example.test/x", "https://localhost/x", "https://127.0.0.1/x", "ftp://a/x"],
)
def test_plain_http_and_internal_addresses_are_refused(settings, partner_manager, firm, url):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(webhooks.InvalidRequest) as error:
        webhooks.webhook_subscribe(
            user=partner_manager, url=url, events=["revoked"], organisation_slug=firm.slug
        )
    assert error.value.code == "invalid_webhook_url"


def test_unknown_events_are_refused(api_client, partner_manager, firm):
    api_client.force_authenticate(partner_manager)
    response = api_client.post(
        API,
        {"url": "https://h.example.test/", "events": ["deleted"], "organisation": firm.slug},
        format="json",
    )
    assert response.status_code == 400


# --- Events ----------------------------------------------------------------------------------


def test_each_lifecycle_change_is_delivered_signed_to_the_holders_firm_only(
    partner_manager,
    other_manager,
    other_firm,
    firm,
    programme_admin,
    endpoint,
    credential,
    run_on_commit,
):
    ours, secret = _subscribe(partner_manager, firm)
    theirs, _ = _subscribe(other_manager, other_firm)
    everything, _ = _subscribe(programme_admin, None, events=["revoked"])
    endpoint.secret = secret
    run_on_commit(credential_suspend, credential=credential, actor=None, reason="inquiry")
    run_on_commit(credential_unsuspend, credential=credential, actor=None, reason="cleared")
    run_on_commit(credential_revoke, credential=credential, actor=None, reason="fraud")
    assert [d.event for d in ours.deliveries.order_by("pk")] == [
        "suspended",
        "unsuspended",
        "revoked",
    ]
    assert not theirs.deliveries.exists()
    assert [d.event for d in everything.deliveries.all()] == ["revoked"]
    ours_sent = [r for r in endpoint.received if r["event"] is not None]
    assert [r["event"]["type"] for r in ours_sent] == [
        "credential.suspended",
        "credential.unsuspended",
        "credential.revoked",
    ]
    revoked = ours_sent[-1]["event"]["data"]
    assert revoked["credential_id"] == str(credential.pk) and revoked["reason"] == "fraud"
    assert set(ours.deliveries.values_list("status", flat=True)) == {"delivered"}


def test_issuing_and_renewing_are_events(
    partner_manager, firm, endpoint, candidate, certification, run_on_commit
):
    subscription, _ = _subscribe(partner_manager, firm, events=["issued", "renewed"])
    run_on_commit(issue, DecisionFactory(user=candidate, certification=certification))
    run_on_commit(issue, DecisionFactory(user=candidate, certification=certification))
    assert [d.event for d in subscription.deliveries.order_by("pk")] == ["issued", "renewed"]


def test_expiry_is_an_event(partner_manager, firm, endpoint, credential, run_on_commit):
    from django.utils import timezone

    from certification.models import Credential
    from certification.services import credentials_record_expiry

    subscription, _ = _subscribe(partner_manager, firm, events=["expired"])
    Credential.objects.filter(pk=credential.pk).update(valid_until=timezone.now())
    run_on_commit(credentials_record_expiry)
    assert subscription.deliveries.get().event == "expired"


def test_a_consultant_who_left_the_firm_is_no_longer_announced_to_it(
    partner_manager, firm, candidate, endpoint, credential, run_on_commit
):
    from django.utils import timezone

    subscription, _ = _subscribe(partner_manager, firm)
    candidate.memberships.update(left_at=timezone.now())
    run_on_commit(credential_revoke, credential=credential, actor=None, reason="fraud")
    assert not subscription.deliveries.exists()


def test_a_rolled_back_change_announces_nothing(partner_manager, firm, endpoint, credential):
    _subscribe(partner_manager, firm)
    with pytest.raises(RuntimeError), transaction.atomic():
        credential_revoke(credential=credential, actor=None, reason="fraud")
        raise RuntimeError("the caller's transaction fails afterwards")
    assert not WebhookDelivery.objects.exists()
    assert endpoint.received == []


# --- Retries, disabling, redelivery ----------------------------------------------------------


def test_a_failing_endpoint_is_retried_until_it_answers(
    partner_manager, firm, endpoint, credential, run_on_commit
):
    subscription, secret = _subscribe(partner_manager, firm)
    endpoint.secret, endpoint.codes = secret, [500, 503]
    run_on_commit(credential_revoke, credential=credential, actor=None, reason="fraud")
    delivery = subscription.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    # The same event each time (one id for the receiver to dedupe on), signed afresh each time.
    ids = {r["headers"]["Practica-Delivery"] for r in endpoint.received}
    assert ids == {str(delivery.event_id)}
    assert len(endpoint.received) == 3
    assert [r["event"]["id"] for r in endpoint.received] == [str(delivery.event_id)] * 3


def test_with_a_broker_a_failure_is_retried_later_with_back_off(
    monkeypatch, partner_manager, firm, endpoint, credential
):
    """A worker does not wait in the task: it schedules the next try (Celery's retry) with a
    countdown from ``backoff_seconds``, and only the last try gives up."""
    from celery.exceptions import Retry

    from certification.tasks import deliver_webhook

    subscription, _ = _subscribe(partner_manager, firm)
    credential_revoke(credential=credential, actor=None, reason="fraud")  # no commit: no send
    delivery = subscription.deliveries.get()
    endpoint.codes = [500] * 10
    scheduled = []

    def retry(**kwargs):
        scheduled.append(kwargs)
        return Retry("scheduled")

    monkeypatch.setattr(deliver_webhook, "retry", retry)
    monkeypatch.setattr(webhooks, "backoff_seconds", lambda n: 100 * (n + 1))
    for retries in range(2):
        deliver_webhook.push_request(retries=retries, is_eager=False)
        try:
            with pytest.raises(Retry):
                deliver_webhook.run(delivery.pk)
        finally:
            deliver_webhook.pop_request()
    assert [s["countdown"] for s in scheduled] == [100, 200]
    deliver_webhook.push_request(retries=2, is_eager=False)
    try:
        assert deliver_webhook.run(delivery.pk) == "failed"  # the third of 3 tries
    finally:
        deliver_webhook.pop_request()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)


def test_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    waits = [webhooks.backoff_seconds(n) for n in range(10)]
    assert 30 <= waits[0] <= 38 and 60 <= waits[1] <= 75 and 120 <= waits[2] <= 150
    assert all(3600 <= w <= 4500 for w in waits[7:])


def test_an_endpoint_that_keeps_failing_is_disabled_and_its_owner_told(
    partner_manager, firm, endpoint, credential, run_on_commit
):
    subscription, _ = _subscribe(partner_manager, firm)
    endpoint.codes = [500] * 100
    run_on_commit(credential_suspend, credential=credential, actor=None, reason="a")
    first = subscription.deliveries.get()
    assert (first.status, first.attempts) == ("failed", 3)  # WEBHOOK_MAX_ATTEMPTS
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.consecutive_failures == 1
    run_on_commit(credential_unsuspend, credential=credential, actor=None, reason="b")
    subscription.refresh_from_db()
    assert not subscription.is_active  # WEBHOOK_DISABLE_AFTER = 2 failed in a row
    assert "2 deliveries in a row failed" in subscription.disabled_reason
    assert [m.to for m in mail.outbox] == [[partner_manager.email]]
    assert AuditEvent.objects.filter(action="webhook.disabled").count() == 1
    sent = len(endpoint.received)
    run_on_commit(credential_revoke, credential=credential, actor=None, reason="c")
    assert len(endpoint.received) == sent  # a disabled endpoint hears nothing more
    assert subscription.deliveries.count() == 2


def test_enable_then_redeliver_what_was_missed(
    api_client, partner_manager, firm, endpoint, credential, run_on_commit, settings
):
    settings.WEBHOOK_DISABLE_AFTER = 1
    subscription, secret = _subscribe(partner_manager, firm)
    endpoint.codes = [500] * 3
    run_on_commit(credential_revoke, credential=credential, actor=None, reason="fraud")
    delivery = subscription.deliveries.get()
    api_client.force_authenticate(partner_manager)
    redeliver = f"{API}{subscription.pk}/deliveries/{delivery.pk}/redeliver"
    response = api_client.post(redeliver)
    assert response.status_code == 409 and response.json()["code"] == "webhook_disabled"
    assert api_client.post(f"{API}{subscription.pk}/enable").json()["active"] is True
    endpoint.secret = secret
    response = run_on_commit(api_client.post, redeliver)
    assert response.status_code == 202
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 4)
    log = api_client.get(f"{API}{subscription.pk}/deliveries/").json()["results"]
    assert [(d["id"], d["status"]) for d in log] == [(delivery.pk, "delivered")]
    assert endpoint.received[-1]["event"]["id"] == str(delivery.event_id)


def test_the_delivery_log_lists_in_constant_queries(
    api_client,
    partner_manager,
    firm,
    endpoint,
    credential,
    run_on_commit,
    django_assert_max_num_queries,
):
    subscription, _ = _subscribe(partner_manager, firm)
    for n in range(4):
        run_on_commit(credential_suspend, credential=credential, actor=None, reason=str(n))
        run_on_commit(credential_unsuspend, credential=credential, actor=None, reason=str(n))
    api_client.force_authenticate(partner_manager)
    with django_assert_max_num_queries(5):
        response = api_client.get(f"{API}{subscription.pk}/deliveries/")
    assert len(response.json()["results"]) == 8


# --- A real HTTP receiver ----------------------------------------------------------------------


def test_a_real_delivery_is_accepted_by_the_documented_receiver(
    settings, partner_manager, firm, credential, run_on_commit
):
    settings.WEBHOOK_ALLOW_HTTP = True
    received: list = []
    server = HTTPServer(("127.0.0.1", 0), receiver.handler_for("", received, set()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        subscription, secret = webhooks.webhook_subscribe(
            user=partner_manager,
            url=f"http://127.0.0.1:{server.server_port}/hook",
            events=["revoked"],
            organisation_slug=firm.slug,
        )
        server.RequestHandlerClass = receiver.handler_for(secret, received, set())
        run_on_commit(credential_revoke, credential=credential, actor=None, reason="fraud")
    finally:
        server.shutdown()
        server.server_close()
    delivery = subscription.deliveries.get()
    assert (delivery.status, delivery.last_status_code) == ("delivered", 204)
    assert received == [json.loads(json.dumps(delivery.payload))]


def test_the_sweep_resends_a_delivery_whose_message_was_lost(
    partner_manager, firm, endpoint, credential, run_on_commit
):
    from datetime import timedelta

    from django.utils import timezone

    from certification.services.decisions import credentials_sweep

    subscription, _ = _subscribe(partner_manager, firm)
    credential_revoke(credential=credential, actor=None, reason="fraud")  # never committed: lost
    delivery = subscription.deliveries.get()
    assert run_on_commit(credentials_sweep)["webhooks"] == 0  # too recent to call lost
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    assert run_on_commit(credentials_sweep)["webhooks"] == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert run_on_commit(credentials_sweep)["webhooks"] == 0


def test_a_credential_near_its_end_is_announced_once_as_expiring_soon(
    settings, partner_manager, firm, endpoint, credential, run_on_commit
):
    from datetime import timedelta

    from certification.models import Credential
    from certification.services import credentials_warn_expiring

    settings.WEBHOOK_EXPIRING_DAYS = 30
    subscription, _ = _subscribe(partner_manager, firm, events=["expiring_soon"])
    assert run_on_commit(credentials_warn_expiring) == 0  # two years left
    Credential.objects.filter(pk=credential.pk).update(
        valid_until=credential.valid_from + timedelta(days=1)
    )
    assert run_on_commit(credentials_warn_expiring) == 1
    assert run_on_commit(credentials_warn_expiring) == 0  # once
    delivery = subscription.deliveries.get()
    assert (delivery.event, delivery.status) == ("expiring_soon", "delivered")
    assert delivery.payload["type"] == "credential.expiring_soon"
