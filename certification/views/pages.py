"""Public pages and documents: the credential's URL (page or signed JSON), downloads, the
status lists, the DID document, and the verification page."""

import io
import json
from functools import lru_cache
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from config import parsers

from .. import keys, selectors
from ..documents import credential_url
from ..models import StatusList
from ..pdf import certificate_pdf
from ..throttling import page_allowed
from ..verification import credential_uuid, verify_document
from ..volume import Surface
from ..volume import record as record_volume

MAX_UPLOAD_BYTES = 64 * 1024
JSON_TYPES = ("application/json", "application/ld+json")


def _throttled(request) -> HttpResponse | None:
    allowed, wait = page_allowed(request)
    if allowed:
        return None
    response = HttpResponse(
        "Too many requests from your address; try again shortly.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def _credential_or_404(credential_id):
    credential = selectors.credential_public(credential_id)
    if credential is None:
        raise Http404("No credential with this ID was issued here.")
    return credential


def _preferred_json(request) -> str | None:
    """The JSON media type the client prefers over HTML, if any (a browser asks for HTML)."""
    best, best_q = None, 0.0
    html_q = 0.0
    for part in request.headers.get("Accept", "").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in JSON_TYPES and q > best_q:
            best, best_q = media, q
        elif media in ("text/html", "application/xhtml+xml"):
            html_q = max(html_q, q)
    return best if best and best_q > html_q else None


def _json_response(document: dict, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(document, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]  # inline in HTML: no XML declaration


def add_to_profile_url(credential) -> str:
    """LinkedIn's "add a licence or certification" link, filled in."""
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.certification.name,
        "organizationName": "Practica",
        "issueYear": credential.valid_from.year,
        "issueMonth": credential.valid_from.month,
        "expirationYear": credential.valid_until.year,
        "expirationMonth": credential.valid_until.month,
        "certUrl": credential_url(credential.pk),
        "certId": str(credential.pk),
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)


@require_GET
def credential_page(request, credential_id):
    """The credential's id URL: the signed credential for a client that prefers
    application/json or application/ld+json, the verification page for a browser."""
    if throttled := _throttled(request):
        return throttled
    credential = _credential_or_404(credential_id)
    media = _preferred_json(request)
    if media:
        response = _json_response(credential.document, media)
    else:
        document = credential.document
        context = {
            "credential": credential,
            "result": selectors.verify_stored(credential),
            "url": credential_url(credential.pk),
            "qr": qr_svg(credential_url(credential.pk)),
            # Offered only while the credential is valid: never for a revoked, suspended or
            # expired one.
            "add_to_profile": (
                add_to_profile_url(credential) if credential.status == "valid" else None
            ),
            "holder_name": document["credentialSubject"].get("name", ""),
            "issuer": document["issuer"],
            "results": _results(document),
        }
        response = render(request, "certification/credential.html", context)
        record_volume(Surface.PAGE)
    response["Vary"] = "Accept"
    return response


def _results(document: dict) -> list[dict]:
    """(name, value) of each result, from the credential itself (nothing beyond it)."""
    subject = document["credentialSubject"]
    names = {d["id"]: d["name"] for d in subject["achievement"].get("resultDescription", [])}
    return [
        {"name": names.get(r.get("resultDescription"), ""), "value": r.get("value")}
        for r in subject.get("result", [])
    ]


@require_GET
def credential_json(request, credential_id):
    if throttled := _throttled(request):
        return throttled
    response = _json_response(_credential_or_404(credential_id).document)
    response["Content-Disposition"] = (
        f'attachment; filename="practica-credential-{credential_id}.json"'
    )
    return response


@require_GET
def credential_pdf(request, credential_id):
    if throttled := _throttled(request):
        return throttled
    credential = _credential_or_404(credential_id)
    response = HttpResponse(certificate_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="practica-certificate-{credential_id}.pdf"'
    # Stamped with the credential's status (certification.pdf): never serve a stale copy.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def status_list(request, list_id: int):
    """The signed status-list credential. Cacheable for a short while: a revocation is visible
    to verifiers within max-age of being made."""
    signed, version = get_object_or_404(
        StatusList.objects.values_list("signed", "version"), pk=list_id
    )
    etag = f'"sl-{list_id}-{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = _json_response(signed)
    response["Cache-Control"] = "public, max-age=300, stale-if-error=86400"
    response["ETag"] = etag
    return response


@require_GET
def did_json(request):
    if not keys.uses_did_web():
        raise Http404("This issuer uses did:key; there is no did:web document.")
    response = _json_response(keys.did_document(), "application/did+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _verify_upload(upload) -> tuple[dict | None, str | None]:
    if upload.size > MAX_UPLOAD_BYTES:
        return None, f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB; is it a credential?"
    try:
        document = parsers.loads(upload.read())
    except parsers.JSONRejected as exc:
        if exc.code == "invalid_json":
            return None, "The file is not JSON. Upload the credential's .json file."
        return None, f"The file is not a credential this page can read: {exc}"
    return verify_document(document), None


@require_http_methods(["GET", "POST"])
def verify_page(request):
    """Paste an ID or URL, or upload a credential file, and see each check."""
    if throttled := _throttled(request):
        return throttled
    context: dict = {}
    if request.method == "POST":
        upload = request.FILES.get("credential")
        reference = request.POST.get("reference", "").strip()
        if upload is not None:
            context["result"], context["error"] = _verify_upload(upload)
        elif reference:
            credential_id = _uuid_in(reference)
            credential = selectors.credential_public(credential_id) if credential_id else None
            if credential is None:
                context["error"] = "No credential with that ID was issued here."
            else:
                context["result"] = selectors.verify_stored(credential)
                context["credential"] = credential
        else:
            context["error"] = "Paste a credential ID or URL, or choose a file."
    if context.get("result"):
        record_volume(Surface.PAGE)
    status = 400 if context.get("error") else 200
    return render(request, "certification/verify.html", context, status=status)


def _uuid_in(text: str):
    text = text.strip().split("?")[0].split("#")[0].removesuffix(".json").removesuffix(".pdf")
    return credential_uuid(text) or credential_uuid(text.rstrip("/").rsplit("/", 1)[-1])


@require_GET
def certification_page(request, slug: str):
    """The achievement a credential names: what the certification asks for and the blueprint
    domains its results refer to (the credential's achievement, criteria and alignment ids)."""
    if (limited := _throttled(request)) is not None:
        return limited
    from assessments.models import Certification

    certification = get_object_or_404(Certification, slug=slug)
    return render(request, "certification/certification.html", {"certification": certification})
