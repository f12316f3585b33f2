"""The item statistics page in Chromium: programme staff read a version's checkpoints and its
variant groups, a planted harder variant flagged, under the Content-Security-Policy (the
``page`` fixture fails the test on a violation or a script error)."""

import pytest
from playwright.sync_api import expect

from quality.item_stats_services import item_stats_count_attempt, item_stats_publish
from tests.conftest import PASSWORD
from tests.quality.item_stats_factories import plant

from .conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_read_the_item_statistics_with_a_harder_variant_flagged(
    page, exam, candidate, programme_admin, ap_version
):
    _, attempts = plant(exam, candidate, ap_version, 120, seed=9, harder_threshold=25000)
    for attempt in attempts:
        item_stats_count_attempt(attempt_id=attempt.pk)
    item_stats_publish(version_id=ap_version.pk)

    page.goto("/signin/")
    page.get_by_label("Email").fill(programme_admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto("/quality/item-statistics/")
    section = page.locator('[data-item-statistics="ap-invoice-processing"]')
    expect(section).to_contain_text("120 graded submissions")
    expect(section.locator("tr", has_text="payment-approval")).to_have_count(1)
    flagged = section.locator("tr[data-flagged]", has_text="25000")
    expect(flagged).to_have_count(1)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "item-statistics")
