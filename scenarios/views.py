from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from scenarios import engine

from .models import ScenarioVersion
from .selectors import latest_versions, pack_for_version, published_version
from .serializers import (
    DesignValidationOutputSerializer,
    ScenarioVersionDetailOutputSerializer,
    ScenarioVersionListOutputSerializer,
)


def _version_or_404(slug: str, version: int | None = None) -> ScenarioVersion:
    try:
        return published_version(slug, version)
    except ScenarioVersion.DoesNotExist:
        raise Http404 from None


class ScenarioListView(APIView):
    """The latest published version of every scenario."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ScenarioVersionListOutputSerializer(many=True)})
    def get(self, request):
        return Response(ScenarioVersionListOutputSerializer(latest_versions(), many=True).data)


class ScenarioDetailView(APIView):
    """A published version as a candidate may see it (no exemplars, flawed designs or hidden
    adversarial cases). Programme staff get the full pack with ``?full=1``."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ScenarioVersionDetailOutputSerializer})
    def get(self, request, slug: str):
        version = _version_or_404(slug, _int_or_none(request.query_params.get("version")))
        full = request.query_params.get("full") == "1"
        if full and not IsProgrammeAdmin().has_permission(request, self):
            self.permission_denied(request, message="Only programme staff see the full pack.")
        serializer = ScenarioVersionDetailOutputSerializer(version, context={"full": full})
        return Response(serializer.data)


class DesignSchemaView(APIView):
    """The published JSON Schema of a workflow design (public)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(engine.design_json_schema())


class ValidateDesignView(APIView):
    """Check a design against a scenario without submitting it. Every problem comes with a JSON
    path and what to fix."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: DesignValidationOutputSerializer})
    def post(self, request, slug: str):
        pack = pack_for_version(_version_or_404(slug))
        errors = engine.validate_design(request.data, pack)
        body = {"valid": not errors, "errors": [e.to_dict() for e in errors]}
        return Response(DesignValidationOutputSerializer(body).data)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
