# ruff: noqa: F811  (pytest fixtures imported, then requested)
"""The similar-designs page in a real browser: a programme admin sees a flagged pair with the
signals that fired and both designs side by side, and dismisses it with a reason. Watched for
CSP violations and script errors like every page."""

import random

import pytest
from playwright.sync_api import expect

from quality import similarity_edits as edits
from quality.similarity_models import SimilarPair
from tests.assessments.conftest import exemplar_for  # noqa: F401  (fixture)
from tests.conftest import PASSWORD
from tests.quality.test_similarity_flags import _start_only, _submit

from .conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_a_flagged_pair_side_by_side_and_dismiss_it(
    page, candidate, other_candidate, exam, exemplar_for, programme_admin
):
    design = exemplar_for(_start_only(candidate, exam))
    _submit(candidate, exam, design)
    rng = random.Random(12)
    _submit(other_candidate, exam, edits.edited(edits.renamed(design, rng), rng, 2))
    pair = SimilarPair.objects.get()

    page.goto("/signin/")
    page.get_by_label("Email").fill(programme_admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto("/quality/similarity/")
    card = page.locator(f'[data-pair="{pair.pk}"]')
    expect(card).to_have_attribute("data-status", "flagged")
    expect(card.locator("[data-signals]")).to_have_attribute("data-signals", "structure rationale")
    sides = card.locator(".side-by-side > div")
    expect(sides).to_have_count(2)
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert first["x"] + first["width"] <= second["x"]  # next to each other, not stacked
    assert serious_accessibility_violations(page) == []
    screenshot(page, "similarity-pair")

    card.get_by_label("Why").fill("Both follow the same published playbook.")
    card.get_by_role("button", name="Dismiss: independent").click()
    # Reviewed, it leaves the waiting list and is found under its status with the reason.
    expect(page.get_by_text("No similar designs wait for review.")).to_be_visible()
    page.get_by_role("link", name="Dismissed (1)").click()
    reviewed = page.locator(f'[data-pair="{pair.pk}"]')
    expect(reviewed).to_have_attribute("data-status", "dismissed")
    expect(reviewed).to_contain_text("Both follow the same published playbook.")
    assert SimilarPair.objects.get().status == SimilarPair.Status.DISMISSED
