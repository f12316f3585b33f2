"""Public verification surfaces and staff actions on credentials."""

import io
import json
import uuid

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin

from . import keys, services
from .documents import credential_url
from .models import Credential, StatusList
from .pdf import certificate_pdf
from .selectors import verify_stored
from .throttling import VerifyThrottle, page_allowed
from .verification import verify_document

MAX_UPLOAD_BYTES = 64 * 1024


def _too_many() -> HttpResponse:
    return HttpResponse(
        "Too many requests; try again in a minute.", status=429, content_type="text/plain"
    )


def _credential_or_404(credential_id) -> Credential:
    return get_object_or_404(
        Credential.objects.select_related("certification", "holder"), pk=credential_id
    )


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/ld+json" in accept or (
        "application/json" in accept and "text/html" not in accept
    )


def _json(document: dict, *, ld: bool = False) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, indent=2),
        content_type="application/ld+json" if ld else "application/json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@require_GET
def credential_page(request, credential_id):
    """The credential's id URL: the page for a browser, the signed JSON for a client asking
    for application/json or application/ld+json."""
    if not page_allowed(request):
        return _too_many()
    credential = _credential_or_404(credential_id)
    if _wants_json(request):
        return _json(credential.document, ld="ld+json" in request.headers.get("Accept", ""))
    result = verify_stored(credential)
    url = credential_url(credential.pk)
    linkedin = (
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        f"&name={credential.certification.name}&organizationName=Practica"
        f"&issueYear={credential.valid_from.year}&issueMonth={credential.valid_from.month}"
        f"&expirationYear={credential.valid_until.year}&expirationMonth={credential.valid_until.month}"
        f"&certUrl={url}&certId={credential.pk}"
    )
    context = {
        "credential": credential,
        "result": result,
        "url": url,
        "qr": qr_svg(url),
        "add_to_profile": linkedin,
        "holder_name": credential.document["credentialSubject"]["identifier"][0]["identityHash"],
        "issuer": credential.document["issuer"],
    }
    response = render(request, "certification/credential.html", context)
    response["Vary"] = "Accept"
    return response


@require_GET
def credential_json(request, credential_id):
    if not page_allowed(request):
        return _too_many()
    response = _json(_credential_or_404(credential_id).document)
    response["Content-Disposition"] = (
        f'attachment; filename="practica-credential-{credential_id}.json"'
    )
    return response


@require_GET
def credential_pdf(request, credential_id):
    if not page_allowed(request):
        return _too_many()
    credential = _credential_or_404(credential_id)
    response = HttpResponse(certificate_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="practica-certificate-{credential_id}.pdf"'
    return response


@require_GET
def status_list(request, list_id: int):
    status = get_object_or_404(StatusList, pk=list_id)
    response = _json(status.signed)
    response["Cache-Control"] = "public, max-age=300"
    response["ETag"] = f'"{status.pk}-{status.version}"'
    return response


@require_GET
def did_json(request):
    if not keys.uses_did_web():
        raise Http404("This issuer uses did:key; there is no did:web document.")
    response = JsonResponse(keys.did_document())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def verify_page(request):
    """Paste an ID or URL, or upload a credential file, and see each check."""
    if not page_allowed(request):
        return _too_many()
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("credential")
        reference = request.POST.get("reference", "").strip()
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                context["error"] = (
                    f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB; is it a credential?"
                )
            else:
                try:
                    context["result"] = verify_document(json.loads(upload.read()))
                except ValueError:
                    context["error"] = "The file is not JSON. Upload the credential's .json file."
        elif reference:
            credential_id = _uuid_in(reference)
            credential = (
                Credential.objects.filter(pk=credential_id).first() if credential_id else None
            )
            if credential is None:
                context["error"] = "No credential with that ID was issued here."
            else:
                context["result"] = verify_stored(credential)
                context["credential"] = credential
        else:
            context["error"] = "Paste a credential ID or URL, or choose a file."
    return render(request, "certification/verify.html", context)


def _uuid_in(text: str) -> str | None:
    for part in reversed(text.replace("?", "/").split("/")):
        try:
            return str(uuid.UUID(part.removesuffix(".json")))
        except ValueError:
            continue
    return None


# --- JSON API --------------------------------------------------------------------------------


class ProblemDetailsMixin:
    """Errors as RFC 9457 problem details (application/problem+json)."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.APIException):
            detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
            code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
            body = {
                "type": f"{settings.PUBLIC_BASE_URL}/problems/{code}",
                "title": exc.default_detail if isinstance(exc.default_detail, str) else code,
                "status": response.status_code,
                "detail": str(detail),
            }
            response = HttpResponse(
                json.dumps(body),
                status=response.status_code,
                content_type="application/problem+json",
            )
            if isinstance(exc, exceptions.Throttled) and exc.wait:
                response["Retry-After"] = str(int(exc.wait))
        return response


class VerificationResultSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    status = serializers.CharField()
    checks = serializers.ListField(child=serializers.DictField())


class VerifyByIdView(ProblemDetailsMixin, APIView):
    """Verify a credential issued here, by its ID. No account needed; rate-limited."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]
    throttle_scope = "verify"

    @extend_schema(responses={200: VerificationResultSerializer})
    def get(self, request, credential_id):
        credential = Credential.objects.filter(pk=credential_id).first()
        if credential is None:
            raise exceptions.NotFound("No credential with this ID was issued here.")
        return Response({**verify_stored(credential), "id": credential_url(credential.pk)})


class VerifyUploadView(ProblemDetailsMixin, APIView):
    """Verify a credential document: JSON body, or a multipart file field ``credential``."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]
    throttle_scope = "verify"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: VerificationResultSerializer})
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
            raise exceptions.ValidationError(
                f"The credential is larger than {MAX_UPLOAD_BYTES} bytes."
            )
        upload = request.FILES.get("credential") if hasattr(request, "FILES") else None
        if upload is not None:
            try:
                document = json.loads(upload.read())
            except ValueError as exc:
                raise exceptions.ParseError("The uploaded file is not JSON.") from exc
        else:
            document = request.data
        if not isinstance(document, dict) or not document:
            raise exceptions.ValidationError(
                "Send the credential as a JSON object or as a file named 'credential'."
            )
        return Response(verify_document(document))


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CredentialStateOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    suspended_at = serializers.DateTimeField(allow_null=True)


class _StaffAction(APIView):
    permission_classes = [IsProgrammeAdmin]
    action = None

    @extend_schema(request=ReasonInputSerializer, responses={200: CredentialStateOutputSerializer})
    def post(self, request, credential_id):
        credential = get_object_or_404(Credential, pk=credential_id)
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = self.action(
            credential=credential, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(
            CredentialStateOutputSerializer(
                {
                    "id": credential.pk,
                    "status": credential.status,
                    "revoked_at": credential.revoked_at,
                    "suspended_at": credential.suspended_at,
                }
            ).data
        )


class RevokeView(_StaffAction):
    action = staticmethod(services.credential_revoke)


class SuspendView(_StaffAction):
    action = staticmethod(services.credential_suspend)


class UnsuspendView(_StaffAction):
    action = staticmethod(services.credential_unsuspend)
