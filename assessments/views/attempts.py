"""Candidates: certifications and exams, starting, saving and submitting an attempt, and its
grading status, reports and decision. Access goes through ``selectors.attempts_for_user``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsCandidate, IsProgrammeAdmin

from .. import selectors
from ..models import Attempt, Exam
from ..serializers import (
    AttemptListOutputSerializer,
    AttemptOutputSerializer,
    AttemptResultOutputSerializer,
    CertificationOutputSerializer,
    DraftInputSerializer,
    DraftOutputSerializer,
    ExamOutputSerializer,
    SubmitInputSerializer,
)
from ..services import attempts as attempt_services


class CertificationListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CertificationOutputSerializer
    queryset = selectors.certifications()


class ExamListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ExamOutputSerializer

    def get_queryset(self):
        return selectors.open_exams()


class AttemptStartView(APIView):
    """Start an attempt (or get the one in progress). The variant and clock are fixed here."""

    permission_classes = [IsCandidate]

    @extend_schema(
        request=None, responses={201: AttemptOutputSerializer, 200: AttemptOutputSerializer}
    )
    def post(self, request, slug: str):
        exam = get_object_or_404(Exam, slug=slug)
        attempt, created = attempt_services.attempt_start(candidate=request.user, exam=exam)
        return Response(
            AttemptOutputSerializer(selectors.attempt_view(attempt)).data,
            status=201 if created else 200,
        )


def _own_attempt(request, attempt_id) -> Attempt:
    """The caller's attempt, expired first if its time is up (so it never reads as in
    progress past its deadline, whether or not a sweeper runs)."""
    attempt = get_object_or_404(selectors.attempts_for_user(user=request.user), pk=attempt_id)
    return attempt_services.attempt_expire_if_due(attempt=attempt)


class AttemptListView(generics.ListAPIView):
    """The caller's attempts (programme admins: everyone's)."""

    permission_classes = [IsCandidate | IsProgrammeAdmin]
    serializer_class = AttemptListOutputSerializer

    def get_queryset(self):
        return selectors.attempts_for_user(user=self.request.user)


class AttemptDetailView(APIView):
    permission_classes = [IsCandidate | IsProgrammeAdmin]

    @extend_schema(responses={200: AttemptOutputSerializer})
    def get(self, request, attempt_id):
        return Response(
            AttemptOutputSerializer(selectors.attempt_view(_own_attempt(request, attempt_id))).data
        )


class DraftSaveView(APIView):
    """Autosave a draft for one scenario of the attempt; the last wins. The newest distinct
    designs are kept (DRAFTS_KEPT_PER_PART, default 20); an identical save stores nothing new."""

    permission_classes = [IsCandidate]

    @extend_schema(request=DraftInputSerializer, responses={200: DraftOutputSerializer})
    def put(self, request, attempt_id, scenario_version_id: int):
        attempt = get_object_or_404(Attempt, pk=attempt_id, candidate=request.user)
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = attempt_services.attempt_autosave(
            attempt=attempt,
            scenario_version_id=scenario_version_id,
            design=data.validated_data["design"],
        )
        return Response(DraftOutputSerializer(draft).data)


class AttemptSubmitView(APIView):
    """Submit. An invalid design comes back with its errors and the attempt stays open."""

    permission_classes = [IsCandidate]

    @extend_schema(request=SubmitInputSerializer, responses={202: AttemptOutputSerializer})
    def post(self, request, attempt_id):
        attempt = get_object_or_404(Attempt, pk=attempt_id, candidate=request.user)
        data = SubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        designs = data.validated_data.get("designs")
        if designs is not None:
            try:
                designs = {int(k): v for k, v in designs.items()}
            except ValueError:
                designs = {}
        attempt = attempt_services.attempt_submit(
            attempt=attempt, designs=designs, actor=request.user
        )
        return Response(AttemptOutputSerializer(selectors.attempt_view(attempt)).data, status=202)


class AttemptResultView(APIView):
    """Grading progress, then the reports (checkpoint feedback and evidence) and the decision."""

    permission_classes = [IsCandidate | IsProgrammeAdmin]

    @extend_schema(responses={200: AttemptResultOutputSerializer})
    def get(self, request, attempt_id):
        attempt = _own_attempt(request, attempt_id)
        staff = request.user.is_programme_admin  # staff see hidden cases; candidates never
        return Response(
            AttemptResultOutputSerializer(
                selectors.attempt_result(attempt=attempt), context={"staff": staff}
            ).data
        )
