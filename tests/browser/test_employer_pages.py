"""The employer pages in a real browser: a member creates an API key (shown once) and revokes
it, verifies a CSV of credentials into a table and downloads the results CSV; a programme admin
reads the verification volume chart. No CSP violation, no script error, no serious
accessibility violation."""

import pytest
from playwright.sync_api import expect

from certification import volume
from certification.services import credential_revoke
from employers.models import ApiKey
from tests.certification.conftest import _keys_in_tmp  # noqa: F401  (signing keys in tmp)
from tests.certification.factories import CertificationFactory, issue
from tests.conftest import PASSWORD
from tests.employers.factories import EmployerFactory, EmployerMemberFactory
from tests.factories import UserFactory

from .conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, then: str):
    page.goto(f"/signin/?next={then}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def member(db):
    employer = EmployerFactory(slug="initech", name="Initech")
    user = UserFactory(email="hr@initech.test", full_name="Hana Hiring")
    EmployerMemberFactory(employer=employer, user=user)
    return user


def test_a_member_creates_a_key_sees_it_once_and_revokes_it(page, member):
    sign_in(page, member, "/employers/")
    page.wait_for_url("**/employers/initech/")
    page.get_by_label("New key for").fill("ATS import")
    page.get_by_role("button", name="Create key").click()
    shown = page.get_by_test_id("new-key-value")
    expect(shown).to_contain_text("prk_")
    key = ApiKey.objects.get(name="ATS import")
    assert shown.inner_text().startswith(f"prk_{key.prefix}_")
    screenshot(page, "employer-keys-new")
    assert serious_accessibility_violations(page) == []
    page.goto("/employers/initech/")
    expect(page.get_by_test_id("new-key")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke key ATS import").click()
    expect(page.get_by_role("status")).to_contain_text(f"Key {key.prefix} (ATS import) revoked")
    expect(page.locator(f'tr[data-key="{key.prefix}"]')).to_contain_text("revoked")
    screenshot(page, "employer-keys-revoked")


def test_a_member_verifies_a_csv_and_downloads_the_results(page, member, programme_admin):
    scheme = CertificationFactory(slug="browser-employer-cert")
    valid, revoked = issue(certification=scheme), issue(certification=scheme)
    credential_revoke(credential=revoked, actor=programme_admin, reason="fraud")
    body = f"id\n{valid.pk}\n{revoked.document['id']}\nnot-an-id\n=HYPERLINK(1)\n".encode()
    sign_in(page, member, "/employers/initech/verify/")
    page.wait_for_url("**/employers/initech/verify/")
    upload = {"name": "ids.csv", "mimeType": "text/csv", "buffer": body}
    page.get_by_label("CSV of credential IDs or URLs").set_input_files(upload)
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.get_by_role("heading", name="Results: 1 of 4 valid")).to_be_visible()
    expect(page.locator('tr[data-status="revoked"]')).to_contain_text("revocation")
    screenshot(page, "employer-bulk-results")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("CSV of credential IDs or URLs").set_input_files(upload)
    with page.expect_download() as download:
        page.get_by_role("button", name="Verify and download CSV").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert lines[0] == "input,status,verified,credential_id,issuer_name,why"
    assert [line.split(",")[1] for line in lines[1:4]] == ["valid", "revoked", "invalid_id"]
    assert lines[4].startswith("'=HYPERLINK(1)")


def test_an_admin_reads_the_volume_chart(page, programme_admin, db):
    employer = EmployerFactory(slug="globex", name="Globex")
    volume.record("bulk", count=1200, account=employer.pk)
    volume.record("page", count=40)
    volume.record("api", count=15)
    sign_in(page, programme_admin, "/employers/volume/")
    page.wait_for_url("**/employers/volume/")
    expect(page.get_by_test_id("volume-total")).to_have_text("1255")
    expect(page.locator("[data-volume-chart] canvas")).to_have_count(1)
    expect(page.locator("[data-volume-chart]")).to_have_attribute("data-mounted", "true")
    expect(page.locator('tr[data-employer="globex"]')).to_contain_text("1200")
    screenshot(page, "employer-volume")
    assert serious_accessibility_violations(page) == []
