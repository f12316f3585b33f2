"""The calibration API under /api/v1/quality/calibration/.

- ``GET /items/`` (programme staff): the pool; ``POST /items/`` marks a scored live item as a
  calibration item: ``{"source_item": <human item id>, "agreed_points": 3, "notes": "..."}``.
- ``POST /next/`` (graders): the next calibration item to score, shown like a live item (204
  when none is left for them).
- ``POST /items/<id>/score/`` (graders): ``{"points": 3, "comment": ""}``; the answer says
  whether it was within tolerance and gives the agreed score and staff's notes.
- ``GET /me/`` (graders): their own calibration status.
- ``GET /graders/`` (programme staff): results per grader.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsGrader, IsProgrammeAdmin
from assessments.models import HumanScore
from config.errors import NotFound

from . import calibration as services
from .calibration_models import CalibrationItem


class CalibrationItemInputSerializer(serializers.Serializer):
    source_item = serializers.IntegerField()
    agreed_points = serializers.FloatField(min_value=0)
    notes = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class CalibrationScoreInputSerializer(serializers.Serializer):
    points = serializers.FloatField(min_value=0)
    comment = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class CalibrationItemOutputSerializer(serializers.ModelSerializer):
    responses = serializers.IntegerField(source="responses.count")

    class Meta:
        model = CalibrationItem
        fields = [
            "id",
            "source_item",
            "checkpoint_id",
            "max_points",
            "agreed_points",
            "notes",
            "created_at",
            "active",
            "responses",
        ]


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ItemListView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(responses={200: CalibrationItemOutputSerializer(many=True)})
    def get(self, request):
        items = CalibrationItem.objects.order_by("-created_at")[:500]
        return Response(CalibrationItemOutputSerializer(items, many=True).data)

    @extend_schema(
        request=CalibrationItemInputSerializer, responses={201: CalibrationItemOutputSerializer}
    )
    def post(self, request):
        data = _valid(CalibrationItemInputSerializer, request)
        source = HumanScore.objects.select_related("report").filter(pk=data["source_item"]).first()
        if source is None:
            raise NotFound("No such human item.", code="item_not_found")
        item = services.calibration_item_create(
            source_item=source,
            agreed_points=data["agreed_points"],
            notes=data["notes"],
            actor=request.user,
        )
        return Response(CalibrationItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class NextView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(request=None, responses={200: dict, 204: None})
    def post(self, request):
        item = services.calibration_next(grader=request.user)
        if item is None:
            return Response(status=204)
        return Response(services.calibration_payload(item))


class ScoreView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(request=CalibrationScoreInputSerializer, responses={200: dict})
    def post(self, request, item_id: int):
        data = _valid(CalibrationScoreInputSerializer, request)  # the body first: bad JSON is 400
        item = services.calibration_item_for(item_id=item_id)
        response = services.calibration_score(
            item=item, grader=request.user, points=data["points"], comment=data["comment"]
        )
        return Response(
            {
                "within_tolerance": response.within_tolerance,
                "points": response.points,
                "agreed_points": item.agreed_points,
                "notes": item.notes,
                "status": services.grader_status(grader=request.user),
            }
        )


class MeView(APIView):
    permission_classes = [IsGrader]

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response(services.grader_status(grader=request.user))


class GradersView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response({"results": services.results_per_grader()})
