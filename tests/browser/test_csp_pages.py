"""The API docs and the staff pages under the Content-Security-Policy in Chromium: each loads,
draws what it should, and logs no CSP violation or script error (the ``page`` fixture fails the
test on either). The public pages are in test_public_pages.py."""

import pytest

from tests.conftest import PASSWORD
from tests.factories import UserFactory

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_draw_every_operation(page):
    page.goto("/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    screenshot(page, "api-docs")


def test_the_admin_signs_in_and_opens_a_change_form(page):
    UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "root@example.test")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/assessments/exam/add/")
    page.locator("#exam_form").wait_for()
    screenshot(page, "admin-exam-form")
    page.goto("/api/v1/exams/")
    page.locator(".response-info").wait_for()
