"""The partner pages in a real browser: a manager's dashboard (charts drawn under the CSP, no
serious accessibility violations) and an invitation accepted end to end by a new consultant."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership
from tests.certification.factories import CertificationFactory
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, UserFactory
from tests.partners.factories import CredentialRowFactory

from .conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/signin/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/partners/**")  # a manager lands on their firm's dashboard


@pytest.fixture
def certified_firm(firm):
    scheme = CertificationFactory(slug="partner-browser-cert", name="Finance operations specialist")
    only = UserFactory(full_name="Priya Payments", region="EMEA")
    MembershipFactory(user=only, organisation=firm)
    CredentialRowFactory(
        holder=only,
        certification=scheme,
        scores={"risk-controls": 91, "human-oversight": 80, "process-design": 75},
    )
    for region in ("EMEA", "APAC"):
        user = UserFactory(region=region)
        MembershipFactory(user=user, organisation=firm)
        CredentialRowFactory(
            holder=user,
            certification=scheme,
            scores={"risk-controls": 40, "human-oversight": 85, "process-design": 90},
        )
    return firm


def test_a_manager_reads_the_dashboard_with_charts(page, partner_manager, certified_firm):
    sign_in(page, partner_manager)
    page.goto("/partners/")
    page.get_by_role("link", name=certified_firm.name).click()
    page.wait_for_url(f"**/partners/{certified_firm.slug}/")
    expect(page.get_by_test_id("headcount-total")).to_have_text("3")
    expect(page.get_by_test_id("dependency")).to_have_text(
        "Only Priya Payments can cover Risk and controls."
    )
    charts = page.locator("[data-partner-charts] canvas")
    expect(charts).to_have_count(3)
    assert "2026" in (
        charts.first.get_attribute("aria-label") or ""
    ) or "Certified headcount" in charts.first.get_attribute("aria-label")
    screenshot(page, "partner-dashboard")
    assert serious_accessibility_violations(page) == []


def test_an_invitation_is_accepted_end_to_end(page, partner_manager, firm):
    sign_in(page, partner_manager)
    page.goto(f"/partners/{firm.slug}/members/")
    page.get_by_label("Email address").fill("newcomer@example.test")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to newcomer@example.test")
    assert serious_accessibility_violations(page) == []
    # The email's link, on this test server (PUBLIC_BASE_URL names the real site).
    link = re.search(r"/partners/invitations/\S+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Sign out").click()

    page.goto(link)
    expect(page.get_by_role("heading", name=f"Join {firm.name}")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Choose a password").fill("a long enough passphrase")
    page.get_by_role("button", name="Create account and join").click()
    page.wait_for_url("**/partners/memberships/")
    expect(page.get_by_role("button", name=f"Leave {firm.name}")).to_be_visible()
    screenshot(page, "partner-invitation-accepted")
    membership = Membership.objects.get(user__email="newcomer@example.test")
    assert membership.organisation == firm and membership.left_at is None

    page.goto(link)  # single use
    expect(page.get_by_role("alert")).to_contain_text("already been accepted")
