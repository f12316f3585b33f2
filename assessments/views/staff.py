"""Programme staff: escalations, failed-job retries, decision reversal (appeals) and regrades
with a preview of what they would change."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin

from .. import selectors
from ..models import Attempt, CertificationDecision, Escalation, GradingJob, Regrade
from ..serializers import (
    DecisionOutputSerializer,
    EscalationOutputSerializer,
    EscalationResolveInputSerializer,
    GradingJobStaffOutputSerializer,
    RegradeInputSerializer,
    RegradeOutputSerializer,
    RegradePreviewInputSerializer,
    RegradePreviewOutputSerializer,
    ReverseInputSerializer,
)
from ..services import decisions as decision_services
from ..services import escalations as escalation_services
from ..services import jobs as job_services
from ..services import regrades as regrade_services


class EscalationListView(generics.ListAPIView):
    """Escalations, newest first (``?state=open`` by default, ``resolved`` or ``all``)."""

    permission_classes = [IsProgrammeAdmin]
    serializer_class = EscalationOutputSerializer

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=["open", "resolved", "all"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.escalations(state=self.request.query_params.get("state", "open"))


class EscalationResolveView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=EscalationResolveInputSerializer, responses={200: EscalationOutputSerializer}
    )
    def post(self, request, escalation_id: int):
        escalation = get_object_or_404(Escalation, pk=escalation_id)
        data = EscalationResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        escalation = escalation_services.escalation_resolve(
            escalation=escalation, actor=request.user, **data.validated_data
        )
        return Response(EscalationOutputSerializer(escalation).data)


class GradingJobRetryView(APIView):
    """Run a failed grading job again (after the cause was fixed)."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(request=None, responses={202: GradingJobStaffOutputSerializer})
    def post(self, request, job_id):
        job = get_object_or_404(GradingJob, pk=job_id)
        job = job_services.grading_job_retry(job=job, actor=request.user)
        return Response(GradingJobStaffOutputSerializer(job).data, status=202)


class DecisionReverseView(APIView):
    """Reverse a decision (appeal); withdraws any credential it issued."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(request=ReverseInputSerializer, responses={200: DecisionOutputSerializer})
    def post(self, request, decision_id):
        decision = get_object_or_404(CertificationDecision, pk=decision_id)
        data = ReverseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = decision_services.decision_reverse(
            decision=decision, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(DecisionOutputSerializer(decision).data)


class RegradePreviewView(APIView):
    """Replay the attempt's designs (against the latest scenario versions unless told not to)
    and show what would change: the decision, its outcome, each checkpoint. Changes nothing."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=RegradePreviewInputSerializer, responses={200: RegradePreviewOutputSerializer}
    )
    def post(self, request, attempt_id):
        attempt = get_object_or_404(Attempt, pk=attempt_id)
        data = RegradePreviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preview = regrade_services.regrade_preview(attempt=attempt, **data.validated_data)
        return Response(RegradePreviewOutputSerializer(preview).data)


class RegradeCreateView(APIView):
    """Regrade for real: grading jobs are queued; when done the decision is kept, or reversed
    and replaced (the credential follows through the decision hook)."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(request=RegradeInputSerializer, responses={202: RegradeOutputSerializer})
    def post(self, request, attempt_id):
        attempt = get_object_or_404(Attempt, pk=attempt_id)
        data = RegradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        regrade = regrade_services.regrade_request(
            attempt=attempt, actor=request.user, **data.validated_data
        )
        return Response(RegradeOutputSerializer(regrade).data, status=202)


class RegradeDetailView(generics.RetrieveAPIView):
    permission_classes = [IsProgrammeAdmin]
    serializer_class = RegradeOutputSerializer
    queryset = Regrade.objects.all()
    lookup_url_kwarg = "regrade_id"
