from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsCandidate, IsGrader, IsProgrammeAdmin
from scenarios.engine import draw_variant, render_brief
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version

from . import selectors
from .models import Attempt, CertificationDecision, Exam, GradeReport, HumanScore
from .serializers import (
    AttemptListOutputSerializer,
    AttemptOutputSerializer,
    AttemptResultOutputSerializer,
    CertificationOutputSerializer,
    DecisionOutputSerializer,
    DraftInputSerializer,
    DraftOutputSerializer,
    EscalationOutputSerializer,
    ExamOutputSerializer,
    HumanItemOutputSerializer,
    ReverseInputSerializer,
    ScoreInputSerializer,
    SubmitInputSerializer,
)
from .services import attempts as attempt_services
from .services import decisions as decision_services
from .services import human_scoring


class CertificationListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CertificationOutputSerializer
    queryset = selectors.certifications()


class ExamListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ExamOutputSerializer

    def get_queryset(self):
        return selectors.open_exams()


def _attempt_body(attempt: Attempt) -> dict:
    drafts = attempt_services.latest_drafts(attempt)
    parts = []
    for version in ScenarioVersion.objects.filter(
        pk__in=attempt.scenario_version_ids
    ).select_related("scenario"):
        pack = pack_for_version(version)
        variant = draw_variant(pack, attempt.seed)
        parts.append(
            {
                "scenario_version_id": version.pk,
                "scenario": version.scenario.slug,
                "title": version.title,
                "brief": render_brief(pack, variant),
                "variant": variant,
                "draft": (attempt.submission or {}).get(str(version.pk)) or drafts.get(version.pk),
            }
        )
    parts.sort(key=lambda p: attempt.scenario_version_ids.index(p["scenario_version_id"]))
    return {
        **{
            f: getattr(attempt, f)
            for f in (
                "id",
                "exam",
                "status",
                "started_at",
                "deadline",
                "submitted_at",
                "auto_submitted",
            )
        },
        "grading_status": selectors.grading_status(attempt=attempt),
        "parts": parts,
    }


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
            AttemptOutputSerializer(_attempt_body(attempt)).data, status=201 if created else 200
        )


def _own_attempt(request, attempt_id) -> Attempt:
    return get_object_or_404(selectors.attempts_for_user(user=request.user), pk=attempt_id)


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
            AttemptOutputSerializer(_attempt_body(_own_attempt(request, attempt_id))).data
        )


class DraftSaveView(APIView):
    """Autosave a draft for one scenario of the attempt. Every save is kept; the last wins."""

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
        return Response(AttemptOutputSerializer(_attempt_body(attempt)).data, status=202)


class AttemptResultView(APIView):
    """Grading progress, then the reports (checkpoint feedback and evidence) and the decision."""

    permission_classes = [IsCandidate | IsProgrammeAdmin]

    @extend_schema(responses={200: AttemptResultOutputSerializer})
    def get(self, request, attempt_id):
        attempt = _own_attempt(request, attempt_id)
        reports = [
            r.report
            for r in GradeReport.objects.filter(attempt=attempt).order_by("job__requested_at")
        ]
        decision = CertificationDecision.objects.filter(attempt=attempt).first()
        body = {
            "grading_status": selectors.grading_status(attempt=attempt),
            "jobs": attempt.jobs.select_related("scenario_version__scenario"),
            "reports": reports,
            "decision": decision,
        }
        return Response(AttemptResultOutputSerializer(body).data)


class HeldItemListView(generics.ListAPIView):
    """Items the calling grader holds (anonymised)."""

    permission_classes = [IsGrader]
    serializer_class = HumanItemOutputSerializer

    def get_queryset(self):
        return selectors.items_held_by(grader=self.request.user)


class ClaimNextItemView(APIView):
    """Claim the next item this grader may score (never their own firm's candidates)."""

    permission_classes = [IsGrader]

    @extend_schema(request=None, responses={200: HumanItemOutputSerializer, 204: None})
    def post(self, request):
        item = human_scoring.human_item_claim_next(grader=request.user)
        if item is None:
            return Response(status=204)
        return Response(HumanItemOutputSerializer(item).data)


def _held_item(request, item_id) -> HumanScore:
    return get_object_or_404(
        HumanScore.objects.select_related("report__attempt"), pk=item_id, grader=request.user
    )


class ItemScoreView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(request=ScoreInputSerializer, responses={200: HumanItemOutputSerializer})
    def post(self, request, item_id: int):
        item = _held_item(request, item_id)
        data = ScoreInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = human_scoring.human_item_score(item=item, grader=request.user, **data.validated_data)
        return Response(HumanItemOutputSerializer(item).data)


class ItemReleaseView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, item_id: int):
        human_scoring.human_item_release(item=_held_item(request, item_id), grader=request.user)
        return Response(status=204)


class EscalationListView(generics.ListAPIView):
    permission_classes = [IsProgrammeAdmin]
    serializer_class = EscalationOutputSerializer

    def get_queryset(self):
        return selectors.open_escalations()


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
