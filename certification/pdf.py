"""The PDF certificate: holder, certification, dates, the credential URL and its QR code."""

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from .documents import credential_url


def certificate_pdf(credential) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Practica certificate {credential.pk}")
    pdf.setStrokeColorRGB(0.12, 0.37, 0.6)
    pdf.setLineWidth(3)
    pdf.rect(30, 30, width - 60, height - 60)
    holder = credential.document["credentialSubject"].get("name", "")
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 110, "Practica certifies that")
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 160, holder)
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 200, "holds the certification")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 240, credential.certification.name)
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(
        width / 2,
        height - 280,
        f"Valid from {credential.valid_from:%d %B %Y} until {credential.valid_until:%d %B %Y}",
    )
    url = credential_url(credential.pk)
    pdf.drawString(60, 70, "Verify at:")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 55, url)
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 120
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - 60 - size, 50)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
