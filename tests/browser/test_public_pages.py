"""The public pages an employer meets, in a real browser: the home page, verification by ID and
by file, and the credential page. Each page must work under its Content-Security-Policy (the
``page`` fixture fails a test on any violation)."""

import json

import pytest

from tests.certification.factories import issue

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def issued(settings, tmp_path, live_server):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_ISSUER_METHOD = "did:key"
    settings.PUBLIC_BASE_URL = live_server.url
    return issue(user__full_name="Zoë Ångström-Παπαδοπούλου")


def test_home_page_leads_an_employer_to_verification(page):
    page.goto("/")
    screenshot(page, "home")
    page.get_by_role("link", name="Verify a credential").first.click()
    page.wait_for_url("**/verify/")
    assert page.get_by_role("heading", name="Verify a credential").is_visible()


def test_pasting_a_credential_url_shows_it_valid_with_a_link_to_its_page(page, issued):
    page.goto("/verify/")
    page.get_by_label("Credential ID or URL").fill(issued.document["id"])
    page.get_by_role("button", name="Verify").click()
    status = page.get_by_role("status")
    assert status.inner_text() == "Valid"
    screenshot(page, "verify-valid")
    page.get_by_role("link", name="Open the credential's page").click()
    assert page.get_by_text("Ångström-Παπαδοπούλου").first.is_visible()
    screenshot(page, "credential-page")


def test_uploading_a_tampered_credential_never_shows_valid(page, issued, tmp_path):
    document = dict(issued.document)
    document["credentialSubject"] = {**document["credentialSubject"], "name": "Mallory"}
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(document))
    page.goto("/verify/")
    page.get_by_label("…or the credential file").set_input_files(str(forged))
    page.get_by_role("button", name="Verify").click()
    status = page.get_by_role("status")
    assert status.inner_text() != "Valid"
    screenshot(page, "verify-tampered")


def test_a_credential_re_signed_by_someone_else_is_never_valid_and_names_its_issuer(
    page, issued, tmp_path
):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.certification.test_issuer_trust import _resigned

    forged = _resigned(issued.document, Ed25519PrivateKey.generate())
    assert forged["issuer"]["name"] == "Practica"
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    page.goto("/verify/")
    page.get_by_label("…or the credential file").set_input_files(str(path))
    page.get_by_role("button", name="Verify").click()
    status = page.get_by_role("status")
    assert status.inner_text() != "Valid"
    assert "not issued by Practica" in status.inner_text()
    # The page shows whose key really signed it, beside the name the file claims.
    assert page.get_by_text(forged["issuer"]["id"]).first.is_visible()
    screenshot(page, "verify-forged-issuer")
