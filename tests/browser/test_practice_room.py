"""The practice room in a real browser: open a practice scenario, build a design, Simulate, and
read the results at once."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .test_exam_room import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_simulate_shows_the_results_of_the_design_in_the_editor(page, candidate, practice_version):
    from .editor_driver import add_step, connect_step

    sign_in(page, candidate)
    page.get_by_role("link", name="Practice", exact=True).click()
    page.get_by_role("link", name="Accounts payable (practice)").click()
    page.get_by_role("toolbar").wait_for()
    # A one-step design that pays every invoice straight away: valid, and badly unsafe.
    step = {
        "id": "pay",
        "kind": "action",
        "action": "payment",
        "performer": {"type": "system", "ref": "erp"},
        "owner": "finance-controller",
        "systems": [{"ref": "erp", "access": "write"}],
        "next": "end",
    }
    add_step(page, step)
    connect_step(page, step)
    panel = page.locator(".wf-side")
    panel.get_by_role("tab", name="Design").click()
    panel.get_by_label("Owner after go-live", exact=True).select_option("ap-manager")
    expect(page.locator("[data-save-state]")).to_have_attribute("data-save-state", "local")
    page.get_by_role("button", name="Simulate").click()
    results = page.locator("#practice-results")
    expect(results.locator("[data-decision]")).to_have_attribute(
        "data-decision", "fail", timeout=15000
    )
    expect(results.locator('[data-checkpoint="payment-approval"] .badge')).to_have_text("fail")
    expect(results.locator(".wf-highlight").first).to_be_visible()
    screenshot(page, "practice-simulated")
