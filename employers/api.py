"""The employers' API under /api/v1/employers/.

* ``POST verify/bulk`` with ``Authorization: Api-Key <key>``: up to ``BULK_VERIFY_MAX_ITEMS``
  credential IDs or URLs as JSON (``{"credentials": [...]}``) or as a CSV body (``text/csv``);
  the results as JSON, or as CSV with ``Accept: text/csv`` (one row per item: input, status,
  why). Errors are RFC 9457 problem details, as on the public verification API.
* Members (session or token): their employers, and each employer's API keys (list, create:
  the key is in the answer once, revoke).
* Programme admins: ``volume/`` (verifications per day and per employer).
"""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, permissions, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from certification import bulk
from certification.views.api import ProblemDetailsMixin, ProblemSerializer
from certification.views.bulk import BulkVerificationOutputSerializer
from config import parsers as json_parsers
from config.renderers import JSONRenderer

from . import selectors, services, throttling, verification, volume
from .authentication import ApiKeyAuthentication, api_key_of


class CsvParser(parsers.BaseParser):
    """A ``text/csv`` body, handed over as bytes (``certification.bulk`` reads it)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class CsvRenderer(renderers.BaseRenderer):
    """Lets ``Accept: text/csv`` choose CSV (the view streams it; this renders nothing)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return b""


class HasApiKey(permissions.BasePermission):
    message = "Send an employer's API key: 'Authorization: Api-Key prk_...'."

    def has_permission(self, request, view) -> bool:
        return api_key_of(request) is not None


class EmployerBulkVerifyInputSerializer(serializers.Serializer):
    credentials = serializers.ListField(
        child=serializers.JSONField(),
        allow_empty=False,
        help_text="Credential IDs or URLs (or documents), at most BULK_VERIFY_MAX_ITEMS "
        "(10,000 by default).",
    )


def csv_response(results) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        bulk.results_csv(results), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="verification-results.csv"'
    response["Cache-Control"] = "no-store"
    return response


class EmployerBulkVerifyView(ProblemDetailsMixin, APIView):
    """Verify up to 10,000 credentials with an employer's API key; each result is what single
    verification says, plus ``invalid_id`` and ``not_found``, in the order sent."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    parser_classes = [json_parsers.JSONParser, CsvParser]
    renderer_classes = [JSONRenderer, CsvRenderer]
    throttle_classes: list = []  # items are counted per key, below

    @extend_schema(
        operation_id="employer_verify_bulk",
        request={
            "application/json": EmployerBulkVerifyInputSerializer,
            "text/csv": OpenApiTypes.BINARY,
        },
        responses={
            (200, "application/json"): BulkVerificationOutputSerializer,
            (200, "text/csv"): OpenApiTypes.BINARY,
            400: ProblemSerializer,
            401: ProblemSerializer,
            413: ProblemSerializer,
            429: ProblemSerializer,
        },
    )
    def post(self, request):
        key = api_key_of(request)
        if request.content_type.startswith(CsvParser.media_type):
            raw = request.data  # an empty body never reaches the parser
            items = bulk.references_from_csv(raw if isinstance(raw, bytes) else b"")
        else:
            data = EmployerBulkVerifyInputSerializer(data=request.data)
            if not data.is_valid():
                raise exceptions.ValidationError(
                    'Send {"credentials": [...]} (IDs or URLs), or a CSV body with '
                    "Content-Type: text/csv.",
                    code="invalid_items",
                )
            items = data.validated_data["credentials"]
        verification.check_items(items)
        throttle = throttling.for_key(key)
        if not throttle.allow_items(request, len(items)):
            self.throttled(request, throttle.wait())
        results = verification.verify_for(employer=key.employer, items=items)
        if request.accepted_renderer.format == "csv":
            return csv_response(results)
        return Response(verification.summary(results))


# --- members: employers and their keys ---------------------------------------------------


class EmployerSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class ApiKeySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's public start: prk_<prefix>_...")
    created_at = serializers.DateTimeField()
    created_by = serializers.EmailField(source="created_by.email")
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(help_text="The key itself: shown this once, never stored.")


class ApiKeyCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class EmployerListView(APIView):
    """The employers the caller is a member of."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=EmployerSummarySerializer(many=True))
    def get(self, request):
        employers = selectors.employers_for(user=request.user)
        return Response(EmployerSummarySerializer(employers, many=True).data)


class ApiKeyListView(APIView):
    """An employer's API keys (members only, through ``selectors.employer_for_member``;
    another employer's: 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=ApiKeySerializer(many=True))
    def get(self, request, slug):
        employer = selectors.employer_for_member(user=request.user, slug=slug)
        keys = selectors.api_keys_of(employer=employer)
        return Response(ApiKeySerializer(keys, many=True).data)

    @extend_schema(
        request=ApiKeyCreateInputSerializer,
        responses={201: ApiKeyCreatedSerializer, 400: OpenApiResponse(description="invalid")},
    )
    def post(self, request, slug):
        employer = selectors.employer_for_member(user=request.user, slug=slug)
        data = ApiKeyCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key, plaintext = services.api_key_create(
            actor=request.user, employer=employer, name=data.validated_data["name"]
        )
        body = {**ApiKeySerializer(key).data, "key": plaintext}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyRevokeView(APIView):
    """Revoke one of the employer's keys (members only; another employer's key: 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=ApiKeySerializer)
    def post(self, request, slug, key_id):
        employer = selectors.employer_for_member(user=request.user, slug=slug)
        key = selectors.api_key_of(employer=employer, key_id=key_id)
        key = services.api_key_revoke(actor=request.user, key=key)
        return Response(ApiKeySerializer(key).data)


# --- programme admins: volume --------------------------------------------------------------


class VolumeDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    total = serializers.IntegerField()
    anonymous = serializers.IntegerField()
    employers = serializers.IntegerField()
    page = serializers.IntegerField()
    api = serializers.IntegerField()
    bulk = serializers.IntegerField()
    vc_api = serializers.IntegerField()


class VolumeEmployerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class VolumeSerializer(serializers.Serializer):
    days = VolumeDaySerializer(many=True)
    employers = VolumeEmployerSerializer(many=True)
    total = serializers.IntegerField()


class VolumeView(APIView):
    """Verifications per day (by surface, anonymous and employers) and per employer."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        parameters=[OpenApiParameter("days", int, description="1 to 366 (default 30)")],
        responses=VolumeSerializer,
    )
    def get(self, request):
        days = volume.days_param(request.query_params.get("days"))
        return Response(VolumeSerializer(volume.figures(days=days)).data)
