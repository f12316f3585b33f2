"""The partner side of the demo (issue 13), through the partner and credential services: a tier
target, a playbook a consultant shares, a pending invitation, a webhook endpoint that received
the firm's credential events, the periodic expiry sweeps at their dates, and fresh dashboard
snapshots. The memberships and credentials themselves come from the cohort (``demo.cohort``).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings

from accounts.models import PartnerOrganisation
from assessments.models import Certification, CertificationDecision, HumanScore
from demo.cohort import Cohort
from demo.cohort_plan import Consultant

FIRM = "northwind-partners"
MANAGER = "manager@practica.test"
INVITEE = "new.hire@northwind.test"
WEBHOOK_PATH = "/practica/credential-events"
SWEEP_EVERY_DAYS = 7


class Receiver:
    """A webhook receiver on 127.0.0.1 for the length of the load: it checks each delivery's
    signature as any receiver must (``certification.webhooks.signing``) and answers 204, so the
    firm's endpoint shows real, delivered events. Afterwards nothing listens there: later events
    fail and retry, and the endpoint is disabled after ``WEBHOOK_DISABLE_AFTER`` failures, as
    it would be for a receiver that went away."""

    def __init__(self):
        self.secret = ""
        self.received = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                from certification.webhooks.signing import HEADER, SignatureError, verify

                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    verify(receiver.secret, body, self.headers.get(HEADER, ""))
                except SignatureError:
                    self.send_response(400)
                else:
                    receiver.received += 1
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):  # quiet: the demo prints its own summary
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}{WEBHOOK_PATH}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def webhooks_allowed() -> bool:
    """The demo's endpoint is on this machine over plain HTTP, which development settings allow
    (``WEBHOOK_ALLOW_HTTP``/``WEBHOOK_ALLOW_PRIVATE`` default to DEBUG) and production refuses."""
    return bool(settings.WEBHOOK_ALLOW_HTTP and settings.WEBHOOK_ALLOW_PRIVATE)


@contextmanager
def receiving() -> Iterator[Receiver | None]:
    """A receiver while the demo loads, when the firm has no endpoint yet and settings allow
    one on this machine; else None."""
    from certification.webhook_models import WebhookSubscription

    if not webhooks_allowed() or WebhookSubscription.objects.filter(url__endswith=WEBHOOK_PATH):
        yield None
        return
    with Receiver() as receiver:
        yield receiver


def subscribe(run: Cohort, receiver: Receiver | None) -> None:
    from certification.webhook_models import EVENTS
    from certification.webhooks.services import webhook_subscribe

    if receiver is None:
        return
    _, receiver.secret = webhook_subscribe(
        user=run.staff[MANAGER], url=receiver.url, events=list(EVENTS), organisation_slug=FIRM
    )


def tier_target(run: Cohort) -> None:
    """The programme's Specialist tier asks each firm for 20 certified in finance operations
    (the Django admin's form is how staff set it)."""
    from partners.models import TierTarget

    finance = Certification.objects.get(slug="finance-operations-specialist")
    TierTarget.objects.get_or_create(
        tier="Specialist tier", certification=finance, domain="", defaults={"target": 20}
    )


def share_playbook(run: Cohort, author: Consultant) -> None:
    from partners.playbook_models import Playbook
    from partners.playbooks import playbook_share

    user = run.people[author.email]
    if Playbook.objects.filter(author=user).exists():
        return
    passed = CertificationDecision.objects.filter(
        user=user, outcome=CertificationDecision.Outcome.PASS, reversed_at__isnull=True
    ).first()
    if passed is None:
        return
    playbook_share(
        user=user,
        attempt_id=passed.attempt_id,
        scenario="ap-invoice-processing",
        organisation_slug=FIRM,
        consent=True,
        title="Invoice processing with an extraction agent and call-back on bank changes",
    )


def invite(run: Cohort, found: dict) -> None:
    from partners.models import Invitation
    from partners.services import invitation_create

    if Invitation.objects.filter(email=INVITEE).exists():
        return
    _, found["invitation_token"] = invitation_create(
        organisation=PartnerOrganisation.objects.get(slug=FIRM),
        email=INVITEE,
        invited_by=run.staff[MANAGER],
    )


def sweep() -> None:
    """The periodic credential sweeps (beat runs them daily): record expiries and announce
    credentials about to expire, each once, as webhook events."""
    from certification.services.lifecycle import (
        credentials_record_expiry,
        credentials_warn_expiring,
    )

    credentials_record_expiry()
    credentials_warn_expiring()


def partner_events(run: Cohort, plan: list[Consultant], receiver, found: dict) -> list:
    author = next(c for c in plan if c.role == "playbook-author")
    oldest = max(c.joined for c in plan) + 10
    events = [
        (run.moment(oldest), -2, lambda: subscribe(run, receiver)),
        (run.moment(400), -1, lambda: tier_target(run)),
        (run.moment(author.sittings[0].days - 3), -1, lambda: share_playbook(run, author)),
        (run.moment(3), -1, lambda: invite(run, found)),
    ]
    days = oldest - SWEEP_EVERY_DAYS
    while days > 0:
        events.append((run.moment(days), -1, sweep))
        days -= SWEEP_EVERY_DAYS
    return events


def refresh_dashboards() -> None:
    """Each demo firm's dashboard snapshot, computed now (the beat task's work)."""
    from demo.cohort_plan import COHORT_FIRMS
    from partners.snapshots import refresh

    sweep()
    for firm in PartnerOrganisation.objects.filter(slug__in=[f[0] for f in COHORT_FIRMS]):
        refresh(firm=firm)


def summary(run: Cohort, receiver: Receiver | None, found: dict) -> list[str]:
    """Lines for the banner (each ends with a path the command prefixes with the base URL)."""
    from demo.cohort import GRADERS

    lines = [f"The partner dashboard (as {MANAGER}): /partners/{FIRM}/"]
    lines += [f"Grader {email} ({what}): /quality/calibration/" for email, _, what in GRADERS]
    if found.get("invitation_token"):
        lines.append(
            f"A pending invitation for {INVITEE}: /partners/invitations/{found['invitation_token']}/"
        )
    if receiver is not None:
        lines.append(
            f"Webhook deliveries the demo receiver accepted: {receiver.received} /api/v1/credentials/webhooks/"
        )
    open_items = HumanScore.objects.filter(status=HumanScore.Status.OPEN).count()
    disputed = HumanScore.objects.filter(status=HumanScore.Status.DISPUTED).count()
    if open_items:
        lines.append(f"Items waiting for graders: {open_items} /quality/grading/")
    if disputed:
        lines.append(
            f"Double marks waiting for adjudication: {disputed} /quality/grading/adjudication/"
        )
    return lines
