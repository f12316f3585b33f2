"""Standard setting in a real browser: a panelist rates every checkpoint on the rating page (a
value out of range is refused by the browser first), then programme staff read each rater's
ratings, the spread and the cut score on the study page, run round 2, close and adopt it, and
see the preview of its effect. Every page is watched for CSP violations and script errors."""

import types

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quality import angoff_services as services
from quality.angoff_models import AngoffRating, AngoffStudy
from tests.conftest import PASSWORD
from tests.factories import UserFactory

from .conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_to(page, user, target: str):
    page.goto(f"/signin/?next={target}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{target}")


@pytest.fixture
def study(ap_version, programme_admin, grader, monkeypatch):
    ok = types.SimpleNamespace(ok=True, items=[], to_dict=lambda: {"ok": True})
    monkeypatch.setattr("scenarios.engine.selftest", lambda pack: ok)  # tests/scenarios runs it
    colleague = UserFactory(
        email="colleague@example.test", full_name="Cole Colleague", role="grader"
    )
    study = services.angoff_study_create(
        scenario_version=ap_version, title="Accounts payable standard 2026", actor=programme_admin
    )
    for person in (grader, colleague, programme_admin):
        services.angoff_panelist_invite(study=study, user=person, actor=programme_admin)
    from quality import angoff

    rated = angoff.rated_ids(angoff.checkpoints_of(ap_version.content))
    services.angoff_ratings_submit(study=study, user=colleague, ratings={c: 92 for c in rated})
    services.angoff_ratings_submit(
        study=study, user=programme_admin, ratings={c: 95 for c in rated}
    )
    return study


@pytest.fixture
def weak_pass(candidate, exam, grader):
    """A decided attempt that passes at today's 70 with a total the new cut will not reach: the
    exemplar design with the rationale scored at the bottom."""
    from assessments.models import CertificationDecision
    from assessments.services.attempts import attempt_start, attempt_submit
    from scenarios.engine import draw_variant, load_pack
    from scenarios.engine.selftest import design_of
    from scenarios.services import PACKS_DIR
    from tests.assessments.test_regrade import _score_everything

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    pack = load_pack(PACKS_DIR / "ap-invoice-processing")
    design = design_of(
        pack.resolve(draw_variant(pack, attempt.seed)), "agent-extraction-with-callback"
    )
    attempt_submit(attempt=attempt, designs={attempt.scenario_version_ids[0]: design})
    _score_everything(grader, points="bottom")
    decision = CertificationDecision.objects.get(attempt=attempt)
    assert decision.outcome == "pass" and decision.total < 95.71
    from quality.item_stats_services import item_stats_count_attempt, item_stats_publish

    item_stats_count_attempt(attempt_id=attempt.pk)  # what the decision's task does
    item_stats_publish(version_id=exam.parts.get().scenario_version_id)  # facility for the panel
    return decision


def test_a_panelist_rates_and_staff_read_the_figures_and_adopt_the_cut(
    page, browser, live_server, study, weak_pass, grader, programme_admin
):
    rate = reverse("quality-angoff-rate", kwargs={"study_id": study.pk})
    sign_in_to(page, grader, rate)
    form = page.locator("form[data-rating-form]")
    inputs = form.locator("input.rating-input")
    expect(inputs.first).to_be_visible()
    assert inputs.count() == 10  # the AP rubric's non-critical checkpoints
    expect(page.get_by_text("critical: counts at 100 %").first).to_be_visible()
    for i in range(inputs.count()):
        inputs.nth(i).fill("90")
    form.locator("#cp-monitoring").fill("150")
    form.get_by_role("button", name="Save my round 1 ratings").click()
    assert not AngoffRating.objects.filter(panelist__user=grader).exists()  # the browser refused
    form.locator("#cp-monitoring").fill("55")
    assert serious_accessibility_violations(page) == []
    screenshot(page, "angoff-rating-page")
    form.get_by_role("button", name="Save my round 1 ratings").click()
    expect(page.get_by_role("status")).to_contain_text("round 1 ratings are saved")
    assert AngoffRating.objects.filter(panelist__user=grader).count() == 10

    staff = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    admin = staff.new_page()
    errors = []
    admin.on("pageerror", lambda error: errors.append(str(error)))
    study_page = reverse("quality-angoff-study", kwargs={"study_id": study.pk})
    sign_in_to(admin, programme_admin, study_page)
    table = admin.locator('table[data-round="1"]')
    expect(table.get_by_role("columnheader", name=grader.full_name)).to_be_visible()
    monitoring = table.locator('tr[data-checkpoint="monitoring"]')
    # 55, 92, 95: mean 80.67, SD 22.28 (> 15: flagged)
    expect(monitoring.locator("[data-mean]")).to_have_text("80.67")
    expect(monitoring.locator("[data-sd]")).to_have_text("22.28")
    # (18 * 100 + 14 * mean(90, 92, 95) + 2 * 80.67) / 34 = 95.71
    expect(table.locator("[data-cut]")).to_have_text("95.71")
    expect(monitoring.locator("[data-facility]")).to_have_text("100.0 %")  # one design, full marks
    expect(monitoring).to_have_attribute("data-flagged", "")
    assert serious_accessibility_violations(admin) == []
    screenshot(admin, "angoff-study-page")

    admin.get_by_role("button", name="Start the discussion and round 2").click()
    expect(admin.locator('table[data-round="2"]')).to_be_visible()
    admin.get_by_role("button", name="Close the study").click()
    expect(admin.locator("[data-final-cut]")).to_be_visible()
    admin.locator("form[data-adopt] button").click()
    expect(admin.locator("[data-adopted]")).to_be_visible()
    expect(admin.locator("[data-preview]")).to_be_visible()
    # The preview: today's pass at 70 would fail at 95.71; nothing is applied.
    expect(admin.locator('[data-flip="pass_to_fail"]')).to_contain_text(
        str(weak_pass.attempt_id)[:8]
    )
    weak_pass.refresh_from_db()
    assert weak_pass.reversed_at is None
    screenshot(admin, "angoff-study-adopted")
    assert AngoffStudy.objects.get(pk=study.pk).status == "adopted"
    assert errors == []
    staff.close()
