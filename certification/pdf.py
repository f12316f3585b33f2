"""The PDF certificate: holder, certification, dates, the credential URL and its QR code.

Text is set in DejaVu Sans, bundled in ``certification/fonts`` and embedded in the PDF, so names
in Latin with diacritics, Greek and Cyrillic print as written on any machine. Long names and
certification titles shrink and wrap to stay inside the border.

A certificate that is no longer valid (revoked, suspended or expired) is still served, so the
holder keeps a readable record, but stamped: a banner saying what happened and when, and the
status across the page, so the paper can never pass for a current certificate.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .documents import credential_url

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 30  # the border
TEXT_WIDTH = PAGE_WIDTH - 2 * (MARGIN + 50)  # room inside the border for centred text
ACCENT = (0.12, 0.37, 0.6)
ALERT = (0.6, 0.09, 0.09)


@cache
def register_fonts() -> tuple[str, str]:
    """Register the bundled fonts with ReportLab (once a process); returns their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS_DIR / "DejaVuSans-Bold.ttf"))
    return REGULAR, BOLD


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _break_word(word: str, font: str, size: float, max_width: float) -> list[str]:
    """A single word wider than the line (a name without spaces), cut into pieces that fit."""
    pieces, current = [], ""
    for char in word:
        if current and _width(current + char, font, size) > max_width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap; words longer than a line are cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, font, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *full, current = _break_word(word, font, size, max_width)
        lines.extend(full)
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Block:
    """Text set to fit: its lines, at one font size."""

    lines: list[str]
    font: str
    size: float

    @property
    def leading(self) -> float:
        return self.size * 1.2


def fit(text: str, font: str, *, size: float, min_size: float, max_lines: int) -> Block:
    """The largest size from ``size`` down to ``min_size`` at which ``text`` wraps into at most
    ``max_lines`` lines of the page's text width; at ``min_size`` it wraps into as many lines
    as it needs (a name is never cut short)."""
    current = size
    while current > min_size:
        lines = wrap(text, font, current, TEXT_WIDTH)
        if len(lines) <= max_lines:
            return Block(lines, font, current)
        current -= 1
    return Block(wrap(text, font, min_size, TEXT_WIDTH), font, min_size)


def _draw_centred(pdf: canvas.Canvas, block: Block, top: float) -> float:
    """Draw the block's lines centred from ``top`` down; returns the y below the last line."""
    pdf.setFont(block.font, block.size)
    y = top - block.size
    for line in block.lines:
        pdf.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= block.leading
    return y + block.leading - block.size * 0.25


def status_notice(credential) -> str | None:
    """What the stamp says for a credential that is no longer valid; None when it is valid."""
    status = credential.status
    if status == "revoked":
        return f"REVOKED on {credential.revoked_at:%d %B %Y}: this certificate is no longer valid."
    if status == "suspended":
        return (
            f"SUSPENDED since {credential.suspended_at:%d %B %Y}: this certificate is not "
            "valid while suspended."
        )
    if status == "expired":
        return f"EXPIRED on {credential.valid_until:%d %B %Y}: this certificate is no longer valid."
    return None


def _stamp(pdf: canvas.Canvas, status: str, notice: str, regular: str, bold: str) -> None:
    pdf.saveState()
    pdf.setFillColorRGB(*ALERT, alpha=0.12)
    pdf.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    pdf.rotate(28)
    pdf.setFont(bold, 110)
    pdf.drawCentredString(0, -40, status.upper())
    pdf.restoreState()
    pdf.saveState()
    pdf.setFillColorRGB(*ALERT)
    _draw_centred(pdf, fit(notice, bold, size=14, min_size=10, max_lines=2), PAGE_HEIGHT - 48)
    pdf.restoreState()


def certificate_pdf(credential) -> bytes:
    regular, bold = register_fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.setTitle(f"Practica certificate {credential.pk}")
    pdf.setStrokeColorRGB(*ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(MARGIN, MARGIN, PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN)
    notice = status_notice(credential)
    if notice:
        _stamp(pdf, credential.status, notice, regular, bold)

    holder = credential.document["credentialSubject"].get("name", "")
    y = PAGE_HEIGHT - 95
    y = _draw_centred(pdf, Block(["Practica certifies that"], regular, 16), y) - 18
    y = _draw_centred(pdf, fit(holder, bold, size=30, min_size=14, max_lines=2), y) - 18
    y = _draw_centred(pdf, Block(["holds the certification"], regular, 16), y) - 14
    name = credential.certification.name
    y = _draw_centred(pdf, fit(name, bold, size=22, min_size=12, max_lines=2), y) - 16
    dates = f"Valid from {credential.valid_from:%d %B %Y} until {credential.valid_until:%d %B %Y}"
    _draw_centred(pdf, Block([dates], regular, 12), y)

    url = credential_url(credential.pk)
    pdf.setFont(regular, 12)
    pdf.drawString(60, 70, "Verify at:")
    pdf.setFont(regular, 10)
    pdf.drawString(60, 55, url)
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 120
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, PAGE_WIDTH - 60 - size, 50)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
