"""Standard setting (modified Angoff) API under /api/v1/quality/standard-setting/.

- ``GET studies/``: programme staff see every study, a panelist the studies they sit on.
- ``POST studies/`` (programme staff) ``{"scenario": slug, "version": n?, "title": ""}``.
- ``GET studies/<id>/``: the study as the caller may see it (404 when not theirs).
- ``POST studies/<id>/panelists/`` (programme staff) ``{"email": ...}``: seat a panelist.
- ``PUT studies/<id>/ratings/`` (a panelist) ``{"ratings": {checkpoint: 0-100}}``.
- ``POST studies/<id>/round-two/``, ``close/``, ``discard/ {"reason"}`` (programme staff).
- ``POST studies/<id>/adopt/`` (programme staff): 202 while a worker publishes the new version.

Bodies are read before the study is looked up, so hostile JSON is a 400 for everyone.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import IsGrader, IsProgrammeAdmin
from config.api import StandardPagination
from config.errors import NotFound

from . import angoff_selectors as selectors
from . import angoff_services as services
from .angoff_adoption import angoff_study_adopt
from .angoff_models import AngoffStudy
from .item_stats_api import version_of


class AngoffStudyOutputSerializer(serializers.ModelSerializer):
    scenario = serializers.CharField(source="scenario_version.scenario.slug")
    version = serializers.IntegerField(source="scenario_version.version")
    adopted_version = serializers.IntegerField(source="adopted_version.version", allow_null=True)
    regrade_batch = serializers.SerializerMethodField()
    view = serializers.SerializerMethodField()

    class Meta:
        model = AngoffStudy
        fields = [
            "id",
            "title",
            "scenario",
            "version",
            "status",
            "round",
            "created_at",
            "closed_at",
            "adoption_requested_at",
            "adoption_problems",
            "adopted_at",
            "adopted_version",
            "regrade_batch",
            "ended_reason",
            "view",
        ]

    def get_regrade_batch(self, study) -> dict | None:
        if study.regrade_batch_id is None:
            return None
        batch = str(study.regrade_batch_id)
        return {
            "id": batch,
            "url": f"/api/v1/admin/regrade-batches/{batch}/",
            "items": f"/api/v1/admin/regrade-batches/{batch}/items/?affected=true",
        }

    def get_view(self, study) -> dict:
        if not self.context.get("detail"):
            return {}
        view = selectors.study_view(study=study, user=self.context["request"].user)
        return {
            "current_cut_score": view["current_cut"],
            "checkpoints": [
                {"id": c.id, "title": c.title, "weight": c.weight, "critical": c.critical}
                for c in view["checkpoints"]
            ],
            "my_ratings": view["mine"],
            "rounds": view["rounds"],
            "final": view["final"],
            "facility": view["facility"],
            "panel": [{"name": s.user.full_name, "email": s.user.email} for s in view["panel"]],
        }


class AngoffStudyCreateInputSerializer(serializers.Serializer):
    scenario = serializers.SlugField(max_length=80)
    version = serializers.IntegerField(min_value=1, required=False)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class AngoffPanelistInputSerializer(serializers.Serializer):
    email = serializers.EmailField()


class AngoffRatingsInputSerializer(serializers.Serializer):
    ratings = serializers.DictField()


class AngoffDiscardInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _out(request, study, *, status: int = 200) -> Response:
    study = selectors.study_for(user=request.user, study_id=study.pk)
    context = {"request": request, "detail": True}
    return Response(AngoffStudyOutputSerializer(study, context=context).data, status=status)


class StudyListView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(responses={200: AngoffStudyOutputSerializer(many=True)})
    def get(self, request):
        paginator = StandardPagination()
        page = paginator.paginate_queryset(
            selectors.studies_for(user=request.user), request, view=self
        )
        data = AngoffStudyOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=AngoffStudyCreateInputSerializer, responses={201: AngoffStudyOutputSerializer}
    )
    def post(self, request):
        data = AngoffStudyCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.is_programme_admin:
            self.permission_denied(request, message="Only programme staff may do this.")
        values = data.validated_data
        version = version_of(values["scenario"], values.get("version"))
        study = services.angoff_study_create(
            scenario_version=version, title=values["title"], actor=request.user
        )
        return _out(request, study, status=201)


class StudyDetailView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(responses={200: AngoffStudyOutputSerializer})
    def get(self, request, study_id: int):
        return _out(request, selectors.study_for(user=request.user, study_id=study_id))


class PanelistView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=AngoffPanelistInputSerializer, responses={201: AngoffStudyOutputSerializer}
    )
    def post(self, request, study_id: int):
        data = AngoffPanelistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        study = selectors.study_for(user=request.user, study_id=study_id)
        user = User.objects.filter(email__iexact=data.validated_data["email"]).first()
        if user is None:
            raise NotFound("Nobody has that email address.", code="user_not_found")
        services.angoff_panelist_invite(study=study, user=user, actor=request.user)
        return _out(request, study, status=201)


class RatingsView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(
        request=AngoffRatingsInputSerializer, responses={200: AngoffStudyOutputSerializer}
    )
    def put(self, request, study_id: int):
        data = AngoffRatingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        study = selectors.study_for(user=request.user, study_id=study_id)
        services.angoff_ratings_submit(
            study=study, user=request.user, ratings=data.validated_data["ratings"]
        )
        return _out(request, study)


class _StaffAction(APIView):
    permission_classes = [IsProgrammeAdmin]

    def act(self, study, request):  # pragma: no cover - each subclass defines it
        raise NotImplementedError

    @extend_schema(request=None, responses={200: AngoffStudyOutputSerializer})
    def post(self, request, study_id: int):
        study = selectors.study_for(user=request.user, study_id=study_id)
        return _out(request, self.act(study, request))


class RoundTwoView(_StaffAction):
    def act(self, study, request):
        return services.angoff_round_two_start(study=study, actor=request.user)


class CloseView(_StaffAction):
    def act(self, study, request):
        return services.angoff_study_close(study=study, actor=request.user)


class AdoptView(APIView):
    """Adopt a closed study: on a worker, the scenario's next version is published with its cut
    score (self-tested) and a batch-regrade preview of the effect starts (``regrade_batch``).
    202 while ``adopting``; 200 once ``adopted``, or ``closed`` again with
    ``adoption_problems`` when the new version was refused. Asking again changes nothing."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=None,
        responses={200: AngoffStudyOutputSerializer, 202: AngoffStudyOutputSerializer},
    )
    def post(self, request, study_id: int):
        study = selectors.study_for(user=request.user, study_id=study_id)
        study = angoff_study_adopt(study=study, actor=request.user)
        study.refresh_from_db()
        return _out(request, study, status=202 if study.status == "adopting" else 200)


class DiscardView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=AngoffDiscardInputSerializer, responses={200: AngoffStudyOutputSerializer}
    )
    def post(self, request, study_id: int):
        data = AngoffDiscardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        study = selectors.study_for(user=request.user, study_id=study_id)
        study = services.angoff_study_discard(
            study=study, actor=request.user, reason=data.validated_data["reason"]
        )
        return _out(request, study)
