"""The demo in a real browser: after `load_demo_data`, the programme admin signs in and finds
figures on every staff page, and the partner manager finds them on the dashboard (issues 12 and
13). Screenshots: var/screenshots/demo-*.png."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.people import DEMO_PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str, lands_on: str):
    page.goto("/signin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{lands_on}")


@pytest.fixture
def demo(settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE = True
    call_command("load_demo_data", "--force")


def test_the_admin_finds_figures_on_every_staff_page(page, demo):
    sign_in(page, "admin@practica.test", "/admin/")

    page.goto("/quality/agreement/")
    expect(page.get_by_text("Tariq Third")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("0.")
    screenshot(page, "demo-agreement")

    page.goto("/quality/item-statistics/")
    expect(page.get_by_text("approval_threshold").first).to_be_visible()
    screenshot(page, "demo-item-statistics")

    page.goto("/quality/calibration/")
    drifted = page.locator('[data-grader="drift.grader@practica.test"] [data-calibrated]')
    expect(drifted).to_have_text("no")
    screenshot(page, "demo-calibration")

    page.goto("/quality/appeals/")
    expect(page.get_by_text("Upheld").first).to_be_visible()
    screenshot(page, "demo-appeals")

    page.goto("/quality/similarity/")
    expect(page.get_by_text("identical up to renaming")).to_be_visible()
    screenshot(page, "demo-similarity")

    page.goto("/quality/grading/adjudication/")
    screenshot(page, "demo-adjudication")


def test_the_manager_finds_headcount_a_trend_and_the_pipeline(page, demo):
    sign_in(page, "manager@practica.test", "/partners/northwind-partners/")  # lands there
    headcount = page.get_by_test_id("headcount-total")
    expect(headcount).not_to_have_text("0")
    assert int(headcount.inner_text()) > 0
    expect(page.locator("[data-partner-charts] canvas").first).to_be_visible()
    screenshot(page, "demo-partner-dashboard")

    page.goto("/partners/northwind-partners/members/")
    expect(page.get_by_text("new.hire@northwind.test")).to_be_visible()
    screenshot(page, "demo-partner-members")
