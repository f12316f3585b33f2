# ruff: noqa: F811  (pytest fixtures imported from tests.assessments.conftest, then requested)
"""Appeal pages: the candidate's panel and form on the results page, the reviewer's queue and
appeal page, for every role across firms."""

import pytest
from django.test import Client

from assessments.models import CertificationDecision
from quality import appeals
from quality.appeal_models import Appeal
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _fixed_attempt_seed,
    _on_commit_runs_at_once,
    ap_version,
    certification,
    exam,
    exemplar_for,
)
from tests.quality.test_appeals import failed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _results(user, attempt):
    return _client(user).get(f"/attempts/{attempt.pk}/results/")


def test_the_results_page_offers_the_appeal_form_then_shows_its_state(
    candidate, failed, programme_admin
):
    page = _results(candidate, failed).content.decode()
    assert "data-appeal-form" in page and f"/quality/appeals/file/{failed.pk}/" in page

    client = _client(candidate)
    response = client.post(f"/quality/appeals/file/{failed.pk}/", {"reason": "Unfair rubric."})
    assert response.status_code == 302 and response["Location"].endswith(
        f"/attempts/{failed.pk}/results/"
    )
    page = client.get(f"/attempts/{failed.pk}/results/").content.decode()
    assert 'data-appeal-state="under_review"' in page and "data-appeal-form" not in page
    assert "Unfair rubric." in page

    appeal = Appeal.objects.get(attempt=failed)
    appeals.appeal_decide(
        appeal=appeal, reviewer=programme_admin, outcome="upheld", reason="The rule is sound."
    )
    page = client.get(f"/attempts/{failed.pk}/results/status/").content.decode()
    assert 'data-appeal-state="upheld"' in page and "The rule is sound." in page


def test_the_appeal_panel_is_not_shown_for_a_pass_or_after_the_window(candidate, failed, settings):
    settings.QUALITY_APPEAL_WINDOW_DAYS = 0
    CertificationDecision.objects.filter(attempt=failed).update(
        decided_at=CertificationDecision.objects.get(attempt=failed).decided_at.replace(year=2020)
    )
    assert "data-appeal-panel" not in _results(candidate, failed).content.decode()


def test_a_blank_reason_on_the_form_is_refused_with_a_message(candidate, failed):
    client = _client(candidate)
    client.post(f"/quality/appeals/file/{failed.pk}/", {"reason": " "})
    assert not Appeal.objects.exists()
    page = client.get(f"/attempts/{failed.pk}/results/").content.decode()
    assert "Say why you appeal" in page


def test_nobody_files_on_someone_elses_attempt(failed, other_candidate, partner_manager, grader):
    for user in (other_candidate, partner_manager, grader):
        response = _client(user).post(f"/quality/appeals/file/{failed.pk}/", {"reason": "x"})
        assert response.status_code == 404
    assert _client(None).post(f"/quality/appeals/file/{failed.pk}/").status_code == 302
    assert not Appeal.objects.exists()


def test_the_queue_and_appeal_pages_by_role(
    candidate, failed, other_candidate, partner_manager, grader, programme_admin
):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please look.")
    detail = f"/quality/appeals/{appeal.pk}/"
    for user in (candidate, other_candidate, partner_manager):
        assert _client(user).get("/quality/appeals/").status_code == 403
        assert _client(user).get(detail).status_code == 403
    assert _client(None).get("/quality/appeals/").status_code == 302  # to sign-in

    reviewer = appeal.reviewer
    queue = _client(reviewer).get("/quality/appeals/").content.decode()
    assert f'data-appeal="{appeal.pk}"' in queue
    page = _client(reviewer).get(detail).content.decode()
    assert "data-decide-form" in page and "Please look." in page
    other = programme_admin if reviewer == grader else grader
    if other == grader:
        assert _client(grader).get(detail).status_code == 404
        assert (
            f'data-appeal="{appeal.pk}"'
            not in _client(grader).get("/quality/appeals/").content.decode()
        )
    else:  # staff see every appeal, but only the assigned reviewer decides
        page = _client(programme_admin).get(detail).content.decode()
        assert "data-decide-form" not in page


def test_the_reviewer_previews_a_regrade_and_decides_on_the_page(candidate, failed, grader):
    appeal = appeals.appeal_file(attempt=failed, candidate=candidate, reason="Please look.")
    assert appeal.reviewer == grader
    client = _client(grader)
    detail = f"/quality/appeals/{appeal.pk}/"
    page = client.post(detail, {"action": "preview"}).content.decode()
    assert "data-preview" in page and "would not change" in page
    response = client.post(
        detail, {"action": "decide", "outcome": "upheld", "reason": "The rule stands."}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "upheld" and appeal.outcome_reason == "The rule stands."
    page = client.post(detail, {"action": "decide", "outcome": "overturned", "reason": "x"})
    assert "decided already" in page.content.decode()
