"""Content-Security-Policy on every page, without 'unsafe-inline': every inline script or style
carries the request's nonce, and no element has an inline style or event-handler attribute.
(The browser tier, tests/browser/test_csp_pages.py, loads the same pages in Chromium.)"""

import re
from html.parser import HTMLParser

import pytest

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.nonces: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
        inline_script = tag == "script" and "src" not in attributes
        if tag == "style" or (inline_script and attributes.get("type") not in DATA_SCRIPT_TYPES):
            self.nonces.append(attributes.get("nonce"))


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_strict_csp(response) -> None:
    assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
    directives = policy(response)
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    if not response["Content-Type"].startswith("text/html"):
        return
    html = _InlineCode()
    html.feed(response.content.decode())
    assert html.problems == [], response.request["PATH_INFO"]
    allowed = {
        f"'nonce-{n}'" for n in re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    }
    for nonce in html.nonces:
        assert nonce is not None and f"'nonce-{nonce}'" in allowed, response.request["PATH_INFO"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/verify/", "/api/v1/docs/", "/api/v1/docs/?script", "/admin/login/", "/no-such-page/"],
)
def test_public_pages_carry_a_strict_policy(client, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 404)
    assert_strict_csp(response)


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_init_script_from_a_url(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page
    script = client.get("/api/v1/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_the_credential_and_certification_pages_carry_a_strict_policy(client, credential):
    for path in (
        f"/credentials/{credential.pk}",
        f"/certifications/{credential.certification.slug}",
    ):
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert_strict_csp(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/assessments/exam/", "/admin/assessments/exam/add/", "/api/v1/exams/"],
)
def test_staff_pages_and_the_browsable_api_carry_a_strict_policy(client, superuser, path):
    client.force_login(superuser)
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.django_db
def test_a_page_with_an_inline_style_gets_the_nonce_in_its_policy(client, programme_admin):
    """The browsable API's code-highlighting <style> is allowed by nonce, not by 'unsafe-inline'."""
    client.force_login(programme_admin)
    response = client.get("/api/v1/exams/", HTTP_ACCEPT="text/html")
    nonce = re.search(r'<style nonce="([^"]+)"', response.content.decode())
    assert nonce is not None
    assert f"'nonce-{nonce.group(1)}'" in policy(response)["style-src"]


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def credential(db, settings, tmp_path):
    from tests.certification.factories import issue

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.CREDENTIAL_ISSUER_METHOD = "did:key"
    return issue()
