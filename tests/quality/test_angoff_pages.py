# ruff: noqa: F811  (pytest fixtures imported from other test modules, then requested)
"""Standard-setting pages: who gets which page (every role, across firms), the panelist's form
with hostile values, and the staff page's figures and actions."""

import pytest
from django.test import Client

from audit.models import AuditEvent
from quality import angoff_services as services
from quality.angoff_models import AngoffRating, AngoffStudy
from tests.assessments.conftest import (  # noqa: F401  (fixtures)
    _on_commit_runs_at_once,
    ap_version,
    certification,
)
from tests.quality.test_angoff_api import _rated, _selftest_passes, outsider  # noqa: F401
from tests.quality.test_appeals import firm_grader  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
INDEX = "/quality/standard-setting/"


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def study(ap_version, programme_admin, grader, firm_grader):
    study = services.angoff_study_create(
        scenario_version=ap_version, title="AP standard 2026", actor=programme_admin
    )
    for person in (grader, firm_grader, programme_admin):
        services.angoff_panelist_invite(study=study, user=person, actor=programme_admin)
    return study


def _form(ap_version, value) -> dict:
    return {f"cp:{cp}": value for cp in _rated(ap_version)}


def test_each_role_gets_its_page_and_nobody_sees_a_study_they_are_not_on(
    study, candidate, partner_manager, grader, outsider, programme_admin
):
    page, rate = f"{INDEX}{study.pk}/", f"{INDEX}{study.pk}/rate/"
    anonymous = _client(None)
    for url in (INDEX, page, rate):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/signin/" in response["Location"]
    for person in (candidate, partner_manager):
        for url in (INDEX, page, rate):
            assert _client(person).get(url).status_code == 403
        assert _client(person).post(rate, {}).status_code == 403
    # A grader of the other firm on no panel: an empty list, and the study is a 404.
    assert "AP standard 2026" not in _client(outsider).get(INDEX).content.decode()
    assert _client(outsider).get(page).status_code == 404
    assert _client(outsider).get(rate).status_code == 404
    assert _client(outsider).post(page, {"action": "close"}).status_code == 404
    # A panelist: the list links to the form; the staff page sends them there.
    assert rate in _client(grader).get(INDEX).content.decode()
    response = _client(grader).get(page)
    assert response.status_code == 302 and response["Location"] == rate
    assert _client(grader).post(page, {"action": "close"}).status_code == 302
    assert AngoffStudy.objects.get(pk=study.pk).status == "open"
    # Staff: every study, the staff page and the form to open another.
    assert "data-new-study" in _client(programme_admin).get(INDEX).content.decode()
    assert _client(programme_admin).get(page).status_code == 200


def test_a_panelist_rates_on_the_form_and_a_value_out_of_range_is_shown_not_saved(
    study, ap_version, grader
):
    rate = f"{INDEX}{study.pk}/rate/"
    bad = {**_form(ap_version, 50), "cp:monitoring": "150", "cp:rollout": "lots"}
    response = _client(grader).post(rate, bad)
    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body
    assert "Between 0 and 100." in body and "A number from 0 to 100." in body
    assert 'value="150"' in body  # what they typed stays, to be fixed
    assert not AngoffRating.objects.exists()

    response = _client(grader).post(rate, _form(ap_version, 62.5))
    assert response.status_code == 302
    saved = set(AngoffRating.objects.filter(panelist__user=grader).values_list("value", flat=True))
    assert saved == {62.5}
    assert 'value="62.5"' in _client(grader).get(rate).content.decode()


def test_the_staff_page_shows_each_raters_ratings_and_runs_the_study_to_adoption(
    study, ap_version, grader, firm_grader, programme_admin
):
    for person, value in ((grader, 60), (firm_grader, 70), (programme_admin, 95)):
        _client(person).post(f"{INDEX}{study.pk}/rate/", _form(ap_version, value))
    admin = _client(programme_admin)
    page = f"{INDEX}{study.pk}/"
    body = admin.get(page).content.decode()
    for name in (grader.full_name, firm_grader.full_name, programme_admin.full_name):
        assert name in body
    assert "<td data-cut>88.24</td>" in body and "cut score 88.24" in body  # (1800 + 16*75)/34
    assert "raters disagree" in body  # SD 18.03 > 15 on every rated checkpoint

    for action in ("round_two", "close"):
        assert admin.post(page, {"action": action}).status_code == 302
    assert admin.post(page, {"action": "nonsense"}).status_code == 200
    response = admin.post(page, {"action": "adopt"})
    assert response.status_code == 302
    body = admin.get(page).content.decode()
    assert "data-adopted" in body and f"v{ap_version.version + 1}" in body
    assert "data-preview" in body
    assert AuditEvent.objects.filter(action="angoff_study.adopted").count() == 1


def test_a_panelist_sees_the_discussion_in_round_two_without_names(
    study, ap_version, grader, firm_grader, programme_admin
):
    for person, value in ((grader, 60), (firm_grader, 70)):
        _client(person).post(f"{INDEX}{study.pk}/rate/", _form(ap_version, value))
    blind = _client(grader).get(f"{INDEX}{study.pk}/rate/").content.decode()
    assert "Round 1: panel" not in blind and "Panelist" not in blind
    services.angoff_round_two_start(study=study, actor=programme_admin)
    body = _client(grader).get(f"{INDEX}{study.pk}/rate/").content.decode()
    assert "Round 1: panel" in body and "Round 1 columns: Panelist 2, You" in body
    assert "<td>70, 60</td>" in body  # in the columns' order: Panelist 2 (70), You (60)
    assert firm_grader.email not in body and (firm_grader.full_name or "@") not in body


def test_staff_open_a_study_from_the_list_and_a_grader_cannot(ap_version, grader, programme_admin):
    refused = _client(grader).post(INDEX, {"version": ap_version.pk, "title": "Mine"})
    assert refused.status_code == 403 and not AngoffStudy.objects.exists()
    missing = _client(programme_admin).post(INDEX, {"version": 999999})
    assert missing.status_code == 200 and "Choose a scenario version." in missing.content.decode()
    opened = _client(programme_admin).post(INDEX, {"version": ap_version.pk, "title": "AP 2027"})
    study = AngoffStudy.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"{INDEX}{study.pk}/"
    assert study.title == "AP 2027" and study.created_by == programme_admin
    assert AuditEvent.objects.filter(action="angoff_study.created").count() == 1
