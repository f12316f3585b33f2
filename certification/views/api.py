"""The credential JSON API: public verification (by ID, or an uploaded document) and staff
actions (revoke, suspend, unsuspend). Public errors are RFC 9457 problem details."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from config import parsers
from config.api import as_api_exception
from config.cache import RoundTrip

from .. import selectors, services, volume
from ..documents import credential_url
from ..models import Credential
from ..throttling import VerifyThrottle
from ..verification import verify_document
from ..volume import Surface
from ..volume import record as record_volume

MAX_UPLOAD_BYTES = 64 * 1024
PROBLEM = "application/problem+json"


class ProblemDetailsMixin:
    """Errors as RFC 9457 problem details: ``type``, ``title``, ``status``, ``detail`` (plus
    ``code``, the stable machine code the rest of the API uses)."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        exc = as_api_exception(exc)  # a domain error, as the exception handler answered it
        if not isinstance(exc, exceptions.APIException):
            return response
        codes, detail = exc.get_codes(), exc.detail
        if isinstance(detail, list) and len(detail) == 1:  # ValidationError("one message")
            codes, detail = codes[0], detail[0]
        code = codes if isinstance(codes, str) else exc.default_code
        detail = detail if isinstance(detail, str) else json.dumps(detail)
        body = {
            "type": f"{settings.PUBLIC_BASE_URL}/problems/{code}",
            "title": str(exc.default_detail),
            "status": response.status_code,
            "detail": str(detail),
            "code": code,
        }
        problem = HttpResponse(json.dumps(body), status=response.status_code, content_type=PROBLEM)
        for header in ("Retry-After", "WWW-Authenticate", "Allow"):
            if header in response:
                problem[header] = response[header]
        return problem


class ProblemSerializer(serializers.Serializer):
    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()


class VerificationCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["pass", "fail", "unknown", "skipped"])
    detail = serializers.CharField()


class VerificationResultSerializer(serializers.Serializer):
    verified = serializers.BooleanField()
    status = serializers.ChoiceField(
        choices=[
            "valid",
            "untrusted_issuer",
            "expired",
            "not_yet_valid",
            "suspended",
            "revoked",
            "status_unknown",
            "invalid",
        ]
    )
    checks = VerificationCheckSerializer(many=True)
    credential_id = serializers.CharField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
    issuer_name = serializers.CharField(
        allow_null=True, help_text="The name the credential gives its issuer (anyone can write any)"
    )
    verification_method = serializers.CharField(allow_null=True)


class JsonOnly(DefaultContentNegotiation):
    """These endpoints answer in JSON only: no negotiation of the response per request (and
    no 406 for a client that asks for something else: it gets JSON, as Content-Type says).
    Request parsers are still chosen by Content-Type."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class _PublicVerification(ProblemDetailsMixin, APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonOnly
    authentication_classes: list = []
    throttle_classes = [VerifyThrottle]
    throttle_scope = "verify"


class VerifyByIdView(_PublicVerification):
    """Verify a credential issued here, by its ID. No account needed; rate-limited."""

    def check_throttles(self, request):
        """Counted in ``get``, in the same cache round trip as the credential's state."""

    @extend_schema(
        operation_id="credential_verify_by_id",
        responses={
            200: VerificationResultSerializer,
            404: ProblemSerializer,
            429: ProblemSerializer,
        },
    )
    def get(self, request, credential_id):
        throttle = VerifyThrottle()
        with RoundTrip() as trip:
            hits = throttle.count(request, trip)
            lookup = selectors.credential_for_verification(credential_id, trip)
            if lookup.pk is not None:
                volume.count_in(trip, volume.Surface.API)  # flushed to the table by a task
        if not throttle.allows(hits):
            self.throttled(request, throttle.wait())
        if lookup.pk is None:
            raise exceptions.ValidationError(
                "A credential ID is a UUID, as in /api/v1/credentials/verify/"
                "3f1c2a9e-8d4b-4c1e-9a7f-2b6d5e8c0a41 (the last part of the credential's URL).",
                code="invalid_credential_id",
            )
        credential = lookup.result()
        if credential is None:
            raise exceptions.NotFound("No credential with this ID was issued here.")
        return Response(selectors.verify_stored(credential))


class VerifyUploadView(_PublicVerification):
    """Verify a credential document sent as the JSON body, or as a multipart file named
    ``credential``. At most 64 KB."""

    parser_classes = [parsers.JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="credential_verify_upload",
        request=OpenApiTypes.OBJECT,
        responses={
            200: VerificationResultSerializer,
            400: ProblemSerializer,
            413: ProblemSerializer,
            429: ProblemSerializer,
        },
    )
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES:
            raise _TooLarge()
        upload = (
            request.FILES.get("credential")
            if request.content_type.startswith("multipart/")
            else None
        )
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise _TooLarge()
            try:
                document = parsers.loads(upload.read())
            except parsers.JSONRejected as exc:
                raise exceptions.ParseError(str(exc), code=exc.code) from exc
        else:
            document = request.data
        if not isinstance(document, dict) or not document:
            raise exceptions.ValidationError(
                "Send the credential as a JSON object, or as a file named 'credential'.",
                code="not_a_credential",
            )
        if problem := _misaddressed(request, document, upload):
            raise exceptions.ValidationError(problem, code="not_a_credential")
        result = verify_document(document)
        record_volume(Surface.API)
        return Response(result)


WRAPPERS = ("credential", "verifiableCredential")


def _misaddressed(request, document: dict, upload) -> str | None:
    """Say how to send it when a credential came wrapped, or as the wrong multipart part
    (both would otherwise be verified as a document without an @context)."""
    if request.content_type.startswith("multipart/") and upload is None:
        parts = sorted({*request.FILES, *request.data})
        return (
            "Upload the credential as a file part named 'credential' "
            "(curl -F credential=@credential.json); this request has "
            + (f"the parts {', '.join(map(repr, parts))}." if parts else "no parts.")
        )
    if "@context" not in document and set(document) & set(WRAPPERS):
        key = next(k for k in WRAPPERS if k in document)
        return (
            f'Send the credential itself as the JSON body, not wrapped in {{"{key}": ...}} '
            "(only the VC API's POST /vc-api/credentials/verify takes "
            '{"verifiableCredential": ...}).'
        )
    return None


class _TooLarge(exceptions.APIException):
    status_code = 413
    default_code = "request_too_large"
    default_detail = f"A credential is at most {MAX_UPLOAD_BYTES // 1024} KB."


# --- staff --------------------------------------------------------------------------------


class CredentialReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class CredentialStateOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.URLField()
    status = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField()
    suspended_at = serializers.DateTimeField(allow_null=True)
    suspension_reason = serializers.CharField()


class _StaffAction(ProblemDetailsMixin, APIView):
    """Programme staff only; the reason is required and goes to the audit trail."""

    permission_classes = [IsProgrammeAdmin]
    service = None

    @extend_schema(
        request=CredentialReasonInputSerializer,
        responses={200: CredentialStateOutputSerializer, 409: OpenApiResponse(ProblemSerializer)},
    )
    def post(self, request, credential_id):
        credential = get_object_or_404(Credential, pk=credential_id)
        data = CredentialReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = self.service(  # a refused transition: 409 invalid_transition
            credential=credential, actor=request.user, reason=data.validated_data["reason"]
        )
        out = {
            "id": credential.pk,
            "url": credential_url(credential.pk),
            "status": credential.status,
            "revoked_at": credential.revoked_at,
            "revocation_reason": credential.revocation_reason,
            "suspended_at": credential.suspended_at,
            "suspension_reason": credential.suspension_reason,
        }
        return Response(CredentialStateOutputSerializer(out).data)


class RevokeView(_StaffAction):
    service = staticmethod(services.credential_revoke)


class SuspendView(_StaffAction):
    service = staticmethod(services.credential_suspend)


class UnsuspendView(_StaffAction):
    service = staticmethod(services.credential_unsuspend)
