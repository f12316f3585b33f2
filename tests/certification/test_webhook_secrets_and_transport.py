"""Webhook secrets are derived, never stored; rotating one is audited and scoped like every
webhook action; the transport connects to exactly the address it checked (no DNS rebinding),
never follows a redirect and talks real HTTP."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection

from audit.models import AuditEvent
from certification.webhook_models import WebhookSubscription
from certification.webhooks import services as webhooks
from certification.webhooks import signing, transport

pytestmark = pytest.mark.django_db

API = "/api/v1/credentials/webhooks/"


@pytest.fixture(autouse=True)
def _allow_test_hosts(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # hooks.example.test does not resolve


def _subscribe(user, firm):
    return webhooks.webhook_subscribe(
        user=user, url="https://hooks.example.test/in", events=["revoked"], organisation_slug=firm
    )


def _every_stored_value(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return repr(cursor.fetchall())


def test_the_secret_is_in_no_row_of_the_database(partner_manager, firm):
    subscription, secret = _subscribe(partner_manager, firm.slug)
    assert secret.startswith("whsec_") and len(secret) > 40
    for table in (WebhookSubscription._meta.db_table, AuditEvent._meta.db_table):
        assert secret not in _every_stored_value(table)
        assert secret.removeprefix("whsec_") not in _every_stored_value(table)
    # ...yet the server signs with it: a receiver holding the shown secret accepts the body.
    header = signing.signature_header(webhooks.endpoint_secret(subscription), b"{}", 1_800_000_000)
    assert signing.verify(secret, b"{}", header, now=1_800_000_000) == 1_800_000_000


def test_the_database_alone_cannot_give_the_secret_away(settings, partner_manager, firm):
    settings.WEBHOOK_SECRET_KEY = "key-one-" + "x" * 40
    subscription, secret = _subscribe(partner_manager, firm.slug)
    settings.WEBHOOK_SECRET_KEY = "key-two-" + "y" * 40
    assert webhooks.endpoint_secret(subscription) != secret
    settings.WEBHOOK_SECRET_KEY = "key-one-" + "x" * 40
    assert webhooks.endpoint_secret(subscription) == secret


def test_two_endpoints_never_share_a_secret(partner_manager, firm):
    _first, first_secret = _subscribe(partner_manager, firm.slug)
    _second, second_secret = _subscribe(partner_manager, firm.slug)
    assert first_secret != second_secret


def test_rotating_gives_a_new_secret_once_and_the_old_one_stops(api_client, partner_manager, firm):
    subscription, old = _subscribe(partner_manager, firm.slug)
    api_client.force_authenticate(partner_manager)
    response = api_client.post(f"{API}{subscription.pk}/rotate-secret")
    assert response.status_code == 200, response.content
    new = response.json()["secret"]
    assert new != old and new == webhooks.endpoint_secret(WebhookSubscription.objects.get())
    assert "secret" not in api_client.get(f"{API}{subscription.pk}/").json()
    header = signing.signature_header(new, b"{}", 1_800_000_000)
    with pytest.raises(signing.SignatureError):
        signing.verify(old, b"{}", header, now=1_800_000_000)
    assert AuditEvent.objects.filter(
        action="webhook.secret_rotated", actor=partner_manager
    ).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("candidate", 403),
        ("grader", 403),
        ("other_manager", 404),
        ("partner_manager", 200),
        ("programme_admin", 200),
    ],
)
def test_who_may_rotate_a_firms_secret(api_client, request, partner_manager, firm, role, expected):
    subscription, _ = _subscribe(partner_manager, firm.slug)
    salt = subscription.secret_salt
    if role != "anonymous":
        api_client.force_authenticate(request.getfixturevalue(role))
    response = api_client.post(f"{API}{subscription.pk}/rotate-secret")
    assert response.status_code == expected, response.content
    subscription.refresh_from_db()
    assert (subscription.secret_salt != salt) is (expected == 200)


# --- The transport ---------------------------------------------------------------------------


class _Resolver:
    """getaddrinfo answering from a script, one answer per call (a rebinding DNS server)."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), 0

    def __call__(self, host, port, *args, **kwargs):
        self.calls += 1
        addresses = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]


@pytest.fixture
def connections(monkeypatch):
    """Record where the transport connects, and go no further."""
    made = []

    def create_connection(address, timeout=None, *args, **kwargs):
        made.append(address)
        raise ConnectionRefusedError("test: no network")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return made


def test_the_address_checked_is_the_address_connected_to(monkeypatch, connections):
    resolver = _Resolver(["93.184.215.14"], ["127.0.0.1"])  # public first, then inside
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(ConnectionRefusedError):
        transport.post(
            "https://rebind.example.test/hook", b"{}", {}, timeout=1, allow_private=False
        )
    assert connections == [("93.184.215.14", 443)]
    assert resolver.calls == 1


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["10.0.0.7"], ["93.184.215.14", "169.254.169.254"], ["::1"], ["fd00::1"]],
)
def test_a_host_with_any_internal_address_is_refused_before_connecting(
    monkeypatch, connections, addresses
):
    monkeypatch.setattr(socket, "getaddrinfo", _Resolver(addresses))
    with pytest.raises(transport.RefusedAddress):
        transport.post("https://inside.example.test/", b"{}", {}, timeout=1, allow_private=False)
    assert connections == []


def test_a_delivery_to_an_internal_address_fails_with_the_reason(
    settings, monkeypatch, connections, partner_manager, firm
):
    from certification.webhook_models import WebhookDelivery

    subscription, _ = _subscribe(partner_manager, firm.slug)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr(socket, "getaddrinfo", _Resolver(["192.168.1.1"]))
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event="revoked",
        credential_id="00000000-0000-0000-0000-000000000001",
        payload={"type": "credential.revoked"},
    )
    assert webhooks.delivery_attempt(delivery_id=delivery.pk) == webhooks.RETRY
    delivery.refresh_from_db()
    assert "private address" in delivery.last_error and connections == []


class _Receiver(BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append((self.path, self.headers["Host"], body))
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_real_post_arrives_with_its_host_and_body_and_a_redirect_is_not_followed(receiver):
    port = receiver.server_address[1]
    url = f"http://localhost:{port}/hook?x=1"
    assert transport.post(url, b'{"a":1}', {}, timeout=5, allow_private=True) == 204
    assert (
        transport.post(f"http://localhost:{port}/moved", b"{}", {}, timeout=5, allow_private=True)
        == 302
    )
    assert _Receiver.seen[0] == ("/hook?x=1", f"localhost:{port}", b'{"a":1}')
    assert [path for path, _, _ in _Receiver.seen] == ["/hook?x=1", "/moved"]
