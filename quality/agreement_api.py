"""Agreement statistics under /api/v1/quality/agreement/ (programme staff).

- ``GET /agreement/?scenario=SLUG``: the latest stored report (404 ``no_report`` before the
  first computation).
- ``POST /agreement/`` ``{"scenario": "SLUG"}``: ask a worker to compute a fresh one (202).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from config.dispatch import send_after_commit
from config.errors import NotFound

from . import agreement
from .agreement_models import AgreementReport


class AgreementReportSerializer(serializers.ModelSerializer):
    criteria = serializers.JSONField(source="figures.criteria")
    graders = serializers.JSONField(source="figures.graders")

    class Meta:
        model = AgreementReport
        fields = ["scenario_slug", "computed_at", "threshold", "pairs", "criteria", "graders"]


class RefreshInputSerializer(serializers.Serializer):
    scenario = serializers.SlugField(max_length=80, allow_blank=True, required=False, default="")


class AgreementView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(responses={200: AgreementReportSerializer})
    def get(self, request):
        slug = str(request.query_params.get("scenario", ""))[:80]
        report = agreement.report_latest(slug)
        if report is None:
            raise NotFound(
                "No agreement statistics yet: POST here to compute them.", code="no_report"
            )
        return Response(AgreementReportSerializer(report).data)

    @extend_schema(request=RefreshInputSerializer, responses={202: None})
    def post(self, request):
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        send_after_commit("quality.tasks.compute_agreement", data.validated_data["scenario"])
        return Response({"detail": "Computing."}, status=202)
