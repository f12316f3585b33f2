"""Graders: the human-scoring queue. A grader sees only items they hold, anonymised (the
criterion, its rubric levels and the design; never the candidate or their firm), and is never
given work from their own partner firm."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsGrader

from .. import selectors
from ..models import HumanScore
from ..serializers import HumanItemOutputSerializer, ScoreInputSerializer
from ..services import human_scoring


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
