"""The PDF certificate: bundled fonts for non-Latin names, long names wrapped inside the page,
and a credential that is no longer valid stamped with its status and date."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from certification import pdf as certificate
from certification.models import Credential
from certification.services import credential_revoke, credential_suspend
from tests.factories import UserFactory

from .factories import DecisionFactory, issue

INTERNATIONAL = "Zoë Ågren-Łukasiewicz Žofie Ζωή Παπαδοπούλου Юлия Сергеевна"
LONG = (
    "Maximiliana Aurelia Konstantinopoulou-Vanderbilt-Oyelaran de la Cruz y Montenegro "
    "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohl"
)


def _credential_for(name: str) -> Credential:
    return issue(DecisionFactory(user=UserFactory(full_name=name)))


def _runs(data: bytes) -> list[dict]:
    """Every run of text on the first page: text, x, y, font size and base font."""
    runs: list[dict] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append(
                {
                    "text": text.strip(),
                    "x": tm[4] + cm[4],
                    "y": tm[5] + cm[5],
                    "size": size,
                    "font": str(font.get("/BaseFont", "")) if font else "",
                }
            )

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return runs


def _pdf(client, credential) -> bytes:
    response = client.get(f"/credentials/{credential.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.mark.django_db
def test_latin_with_diacritics_greek_and_cyrillic_print_in_an_embedded_font(client):
    data = _pdf(client, _credential_for(INTERNATIONAL))

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert " ".join(text.split()).count(INTERNATIONAL) == 1
    name_runs = [r for r in _runs(data) if r["text"] in INTERNATIONAL]
    assert name_runs and all(r["font"].endswith("+DejaVuSans-Bold") for r in name_runs)
    # The embedded font has a glyph for every character of the name (no boxes).
    _regular, bold = certificate.register_fonts()
    covered = pdfmetrics.getFont(bold).face.charToGlyph
    assert all(ord(c) in covered for c in INTERNATIONAL if not c.isspace())
    assert b"/FontFile2" in data  # the font travels inside the PDF, not from the system


@pytest.mark.django_db
def test_a_long_name_wraps_and_stays_inside_the_page(client):
    data = _pdf(client, _credential_for(LONG))

    name_runs = [r for r in _runs(data) if r["font"].endswith("+DejaVuSans-Bold")]
    name_runs = [r for r in name_runs if r["text"].replace(" ", "") in LONG.replace(" ", "")]
    assert len({r["y"] for r in name_runs}) >= 2  # wrapped onto several lines
    assert "".join(r["text"] for r in name_runs).replace(" ", "") == LONG.replace(" ", "")
    left, right = certificate.MARGIN, certificate.PAGE_WIDTH - certificate.MARGIN
    for run in name_runs:
        width = pdfmetrics.stringWidth(run["text"], certificate.BOLD, run["size"])
        assert left < run["x"] and run["x"] + width < right, run


def test_wrap_cuts_a_word_longer_than_a_line():
    regular, _bold = certificate.register_fonts()
    lines = certificate.wrap("a " + "x" * 200 + " b", regular, 20, 300)
    assert lines[0] == "a" and lines[-1].endswith("b") and len(lines) > 3
    assert "".join(lines).replace(" ", "") == "a" + "x" * 200 + "b"
    assert all(pdfmetrics.stringWidth(line, regular, 20) <= 300 for line in lines)


@pytest.mark.django_db
def test_a_valid_certificate_carries_no_stamp(client, issued):
    text = PdfReader(io.BytesIO(_pdf(client, issued))).pages[0].extract_text()
    for word in ("REVOKED", "SUSPENDED", "EXPIRED"):
        assert word not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "stamp"),
    [
        (
            lambda c, who: credential_revoke(credential=c, actor=who, reason="misconduct"),
            "REVOKED on",
        ),
        (
            lambda c, who: credential_suspend(credential=c, actor=who, reason="review"),
            "SUSPENDED since",
        ),
    ],
)
def test_a_revoked_or_suspended_certificate_is_stamped_with_status_and_date(
    client, issued, programme_admin, change, stamp
):
    change(issued, programme_admin)
    issued.refresh_from_db()
    when = issued.revoked_at or issued.suspended_at

    response = client.get(f"/credentials/{issued.pk}.pdf")

    assert response["Cache-Control"] == "no-cache"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert f"{stamp} {when:%d %B %Y}" in text
    assert "no longer valid" in text or "not valid while suspended" in text


@pytest.mark.django_db
def test_an_expired_certificate_is_stamped_with_its_end_date(client, issued):
    ended = timezone.now() - timedelta(days=1)
    Credential.objects.filter(pk=issued.pk).update(
        valid_from=ended - timedelta(days=730), valid_until=ended
    )

    text = " ".join(PdfReader(io.BytesIO(_pdf(client, issued))).pages[0].extract_text().split())

    assert f"EXPIRED on {ended:%d %B %Y}" in text


def _page(client, credential) -> str:
    response = client.get(f"/credentials/{credential.pk}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_linkedin_is_offered_only_while_the_credential_is_valid(client, issued, programme_admin):
    assert "linkedin.com/profile/add" in _page(client, issued)

    credential_suspend(credential=issued, actor=programme_admin, reason="under review")
    assert "linkedin.com/profile/add" not in _page(client, issued)
    assert f"/credentials/{issued.pk}.pdf" in _page(client, issued)

    credential_revoke(credential=issued, actor=programme_admin, reason="misconduct")
    assert "linkedin.com/profile/add" not in _page(client, issued)


@pytest.mark.django_db
def test_linkedin_is_not_offered_for_an_expired_credential(client, issued):
    ended = timezone.now() - timedelta(days=1)
    Credential.objects.filter(pk=issued.pk).update(
        valid_from=ended - timedelta(days=730), valid_until=ended
    )
    issued.refresh_from_db()
    assert "linkedin.com/profile/add" not in _page(client, issued)
