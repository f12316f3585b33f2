"""The appeals API under /api/v1/quality/appeals/.

- ``POST /appeals/`` (candidates): file an appeal on one of their attempts.
- ``GET /appeals/``: programme staff see all, a grader the appeals assigned to them, a
  candidate their own; ``?open=1`` only the undecided.
- ``GET /appeals/<id>/``: one appeal (404 when not visible to the caller), with the decision
  history of its attempt.
- ``POST /appeals/<id>/assign/`` (programme staff): assign a reviewer (the rule is enforced).
- ``POST /appeals/<id>/regrade-preview/`` (the assigned reviewer): what a regrade would decide.
- ``POST /appeals/<id>/decide/`` (the assigned reviewer): upheld, regraded or overturned.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsCandidate, IsGrader, IsProgrammeAdmin
from assessments.models import Attempt
from assessments.services.regrades import regrade_preview
from config.api import StandardPagination
from config.errors import Forbidden, NotFound

from . import appeal_selectors as selectors
from . import appeals as services
from .appeal_models import Appeal


class AppealDecisionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    outcome = serializers.CharField()
    total = serializers.FloatField()
    cut_score = serializers.FloatField()
    critical_passed = serializers.BooleanField()
    decided_at = serializers.DateTimeField()
    reversed_at = serializers.DateTimeField(allow_null=True)
    reversal_reason = serializers.CharField()
    rationale = serializers.CharField()


class AppealOutputSerializer(serializers.ModelSerializer):
    attempt = serializers.UUIDField(source="attempt_id")
    decision = serializers.UUIDField(source="decision_id")
    exam = serializers.CharField(source="attempt.exam.title")
    reviewer = serializers.SerializerMethodField()
    regrade = serializers.SerializerMethodField()
    new_decision = serializers.UUIDField(source="new_decision_id", allow_null=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "attempt",
            "decision",
            "exam",
            "status",
            "reason",
            "reviewer",
            "filed_at",
            "assigned_at",
            "decided_at",
            "outcome_reason",
            "regrade",
            "new_decision",
        ]

    def get_reviewer(self, appeal) -> dict | None:
        viewer = self.context["request"].user
        # The candidate is told an appeal is under review, never by whom.
        if appeal.reviewer is None or not viewer.is_grader:
            return None
        return {"id": appeal.reviewer_id, "name": appeal.reviewer.full_name}

    def get_regrade(self, appeal) -> dict | None:
        if appeal.regrade is None:
            return None
        return {"id": str(appeal.regrade_id), "status": appeal.regrade.status}


class AppealInputSerializer(serializers.Serializer):
    attempt = serializers.UUIDField()
    reason = serializers.CharField(max_length=services.REASON_MAX, allow_blank=True)


class AppealAssignInputSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField()


class AppealDecideInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[str(s) for s in Appeal.OUTCOMES])
    reason = serializers.CharField(allow_blank=True)
    to_latest = serializers.BooleanField(default=True)


class AppealPreviewInputSerializer(serializers.Serializer):
    to_latest = serializers.BooleanField(default=True)


def _detail(appeal: Appeal, request) -> dict:
    body = AppealOutputSerializer(appeal, context={"request": request}).data
    body["decision_history"] = AppealDecisionSerializer(
        selectors.decision_history(attempt_id=appeal.attempt_id), many=True
    ).data
    return body


class AppealListView(APIView):
    """Appeals the caller may see; candidates file new ones here."""

    permission_classes = [IsAuthenticated]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCandidate()]
        return super().get_permissions()

    @extend_schema(responses={200: AppealOutputSerializer(many=True)})
    def get(self, request):
        queryset = selectors.appeals_visible_to(user=request.user)
        if request.GET.get("open") == "1":
            queryset = queryset.filter(status__in=Appeal.OPEN)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queryset.order_by("filed_at"), request, view=self)
        data = AppealOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=AppealInputSerializer, responses={201: AppealOutputSerializer})
    def post(self, request):
        data = _valid(AppealInputSerializer, request)
        attempt = Attempt.objects.filter(pk=data["attempt"], candidate=request.user).first()
        if attempt is None:
            raise NotFound("No such attempt.", code="attempt_not_found")
        appeal = services.appeal_file(
            attempt=attempt, candidate=request.user, reason=data["reason"]
        )
        return Response(_detail(appeal, request), status=status.HTTP_201_CREATED)


class AppealDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AppealOutputSerializer})
    def get(self, request, appeal_id):
        appeal = selectors.appeal_for(user=request.user, appeal_id=appeal_id)
        return Response(_detail(appeal, request))


class AppealAssignView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(request=AppealAssignInputSerializer, responses={200: AppealOutputSerializer})
    def post(self, request, appeal_id):
        data = _valid(AppealAssignInputSerializer, request)  # the body first: bad JSON is 400
        appeal = selectors.appeal_for(user=request.user, appeal_id=appeal_id)
        reviewer = User.objects.filter(pk=data["reviewer"]).first()
        if reviewer is None:
            raise NotFound("No such reviewer.", code="reviewer_not_found")
        appeal = services.appeal_assign(appeal=appeal, reviewer=reviewer, actor=request.user)
        return Response(_detail(appeal, request))


def _assigned(request, appeal_id) -> Appeal:
    appeal = selectors.appeal_for(user=request.user, appeal_id=appeal_id)
    if appeal.reviewer_id != request.user.pk:
        raise Forbidden("This appeal is assigned to someone else.", code="not_your_appeal")
    return appeal


class AppealPreviewView(APIView):
    """What a regrade would decide for the appeal's attempt (changes nothing)."""

    permission_classes = [IsGrader]

    @extend_schema(request=AppealPreviewInputSerializer, responses={200: dict})
    def post(self, request, appeal_id):
        data = _valid(AppealPreviewInputSerializer, request)
        appeal = _assigned(request, appeal_id)
        return Response(regrade_preview(attempt=appeal.attempt, to_latest=data["to_latest"]))


class AppealDecideView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(request=AppealDecideInputSerializer, responses={200: AppealOutputSerializer})
    def post(self, request, appeal_id):
        data = _valid(AppealDecideInputSerializer, request)
        appeal = _assigned(request, appeal_id)
        appeal = services.appeal_decide(
            appeal=appeal,
            reviewer=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            to_latest=data["to_latest"],
        )
        return Response(
            _detail(selectors.appeal_for(user=request.user, appeal_id=appeal.pk), request)
        )


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
