"""Similarity API (programme staff): ``GET /api/v1/quality/similarity/pairs/[?status=flagged]``
and ``POST /api/v1/quality/similarity/pairs/<id>/review/ {"verdict": "confirmed"|"dismissed",
"note": "..."}``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from config.api import StandardPagination
from config.errors import NotFound

from .similarity_models import SimilarPair
from .similarity_services import similarity_review


class SimilarPairOutputSerializer(serializers.ModelSerializer):
    scenario = serializers.CharField(source="scenario.slug")
    first = serializers.SerializerMethodField()
    second = serializers.SerializerMethodField()

    class Meta:
        model = SimilarPair
        fields = [
            "id",
            "scenario",
            "structural",
            "rationale",
            "signals",
            "components",
            "similar_designs",
            "identical_structure",
            "status",
            "note",
            "reviewed_at",
            "created_at",
            "first",
            "second",
        ]

    def _side(self, fingerprint) -> dict:
        return {
            "attempt": str(fingerprint.attempt_id),
            "candidate": fingerprint.candidate.email,
            "design": fingerprint.attempt.submission.get(str(fingerprint.scenario_version_id)),
        }

    def get_first(self, pair) -> dict:
        return self._side(pair.first)

    def get_second(self, pair) -> dict:
        return self._side(pair.second)


class SimilarPairReviewInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["confirmed", "dismissed"])
    note = serializers.CharField(max_length=5000, allow_blank=True)


def pairs():
    return SimilarPair.objects.select_related(
        "scenario", "first__attempt", "second__attempt", "first__candidate", "second__candidate"
    )


class PairListView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(responses={200: SimilarPairOutputSerializer(many=True)})
    def get(self, request):
        queryset = pairs()
        if request.GET.get("status"):
            queryset = queryset.filter(status=request.GET["status"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(SimilarPairOutputSerializer(page, many=True).data)


class PairReviewView(APIView):
    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=SimilarPairReviewInputSerializer, responses={200: SimilarPairOutputSerializer}
    )
    def post(self, request, pair_id: int):
        data = SimilarPairReviewInputSerializer(data=request.data)  # the body first
        data.is_valid(raise_exception=True)
        pair = pairs().filter(pk=pair_id).first()
        if pair is None:
            raise NotFound("No such pair.", code="pair_not_found")
        pair = similarity_review(
            pair=pair,
            actor=request.user,
            verdict=data.validated_data["verdict"],
            note=data.validated_data["note"],
        )
        return Response(SimilarPairOutputSerializer(pairs().get(pk=pair.pk)).data)
