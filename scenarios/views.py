"""Scenario API: thin views over the selectors and the engine."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config import parsers
from config.errors import InvalidRequest
from scenarios import engine

from .models import ScenarioVersion
from .permissions import IsScenarioStaff
from .selectors import latest_versions, pack_for_version, published_version, published_versions
from .serializers import (
    DesignInvalidOutputSerializer,
    DesignValidOutputSerializer,
    ScenarioVersionDetailOutputSerializer,
    ScenarioVersionListOutputSerializer,
)


def _version_or_404(slug: str, version: int | None = None) -> ScenarioVersion:
    try:
        return published_version(slug, version)
    except ScenarioVersion.DoesNotExist:
        raise Http404 from None


def _version_param(request) -> int | None:
    raw = request.query_params.get("version")
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidRequest("version must be a positive whole number.", code="invalid_version")
    return int(raw)


class ScenarioListView(generics.ListAPIView):
    """The latest published version of every scenario (paginated)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ScenarioVersionListOutputSerializer

    def get_queryset(self):
        return latest_versions()


class ScenarioVersionListView(generics.ListAPIView):
    """Every published version of one scenario, newest first (paginated)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ScenarioVersionListOutputSerializer

    def get_queryset(self):
        versions = published_versions().filter(scenario__slug=self.kwargs["slug"])
        return versions.defer("content", "selftest")

    def list(self, request, *args, **kwargs):
        if not self.get_queryset().exists():
            raise Http404
        return super().list(request, *args, **kwargs)


class ScenarioDetailView(APIView):
    """A published version (the latest, or ``?version=N``) as a candidate may see it: no
    exemplars, flawed designs or hidden adversarial cases. Programme staff get the full pack
    with ``?full=1``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="A published version number."),
            OpenApiParameter("full", bool, description="Programme staff: the full pack."),
        ],
        responses={200: ScenarioVersionDetailOutputSerializer},
    )
    def get(self, request, slug: str):
        version = _version_or_404(slug, _version_param(request))
        full = request.query_params.get("full") in ("1", "true")
        if full and not IsScenarioStaff().has_permission(request, self):
            self.permission_denied(request, message=IsScenarioStaff.message)
        serializer = ScenarioVersionDetailOutputSerializer(version, context={"full": full})
        return Response(serializer.data)


class DesignSchemaView(APIView):
    """The published JSON Schema (draft 2020-12) of a workflow design. Public."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(engine.design_json_schema())


def _parsed_design(body: bytes) -> tuple[object, list]:
    """The body through the platform's one JSON parser (nesting depth, NUL, lone surrogates),
    then the engine's own reading of it; a refusal is a design problem at ``$``."""
    try:
        parsers.loads(body)
    except parsers.JSONRejected as exc:
        return None, [engine.DesignError("$", str(exc), exc.code)]
    return engine.parse_design_bytes(body)


class ValidateDesignView(APIView):
    """Check a design against a scenario without submitting it. 200 when it is valid; 400 with
    ``code: invalid_design`` and every problem (JSON path, what to fix, code) when it is not.
    The body's size is checked before it is parsed."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter("version", int, description="A published version.")],
        responses={
            200: DesignValidOutputSerializer,
            400: OpenApiResponse(DesignInvalidOutputSerializer, description="Invalid design."),
        },
    )
    def post(self, request, slug: str):
        pack = pack_for_version(_version_or_404(slug, _version_param(request)))
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > engine.MAX_DESIGN_BYTES:
            limit = engine.MAX_DESIGN_BYTES
            message = f"The design is {declared} bytes; the limit is {limit}."
            design, errors = None, [engine.DesignError("$", message, "too_large")]
        else:
            design, errors = _parsed_design(request.body)
        if not errors:
            errors = engine.validate_design(design, pack)
        if not errors:
            return Response({"valid": True, "errors": []})
        body = {
            "code": "invalid_design",
            "detail": f"The design has {len(errors)} problem(s); each names where and what to fix.",
            "errors": [e.to_dict() for e in errors],
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
