"""Programme staff: a rubric fix across every attempt it touches, previewed before it is applied
(see ``services/regrade_batches.py``)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsProgrammeAdmin
from scenarios.models import Scenario

from .. import selectors
from ..models import RegradeBatch, RegradeBatchItem
from ..serializers import (
    RegradeBatchInputSerializer,
    RegradeBatchItemOutputSerializer,
    RegradeBatchOutputSerializer,
)
from ..services import regrade_batches as batch_services


class RegradeBatchCreateView(APIView):
    """Preview a rubric fix of this scenario (its latest published version) on every submitted
    attempt that graded an older version. Changes nothing; the preview runs on the grading
    workers, and ``GET`` on the batch shows its progress and, when done, the counts."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(
        request=RegradeBatchInputSerializer, responses={202: RegradeBatchOutputSerializer}
    )
    def post(self, request, slug):
        scenario = get_object_or_404(Scenario, slug=slug)
        data = RegradeBatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = batch_services.regrade_batch_create(
            scenario=scenario, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(RegradeBatchOutputSerializer(batch).data, status=202)


class RegradeBatchDetailView(generics.RetrieveAPIView):
    permission_classes = [IsProgrammeAdmin]
    serializer_class = RegradeBatchOutputSerializer
    queryset = RegradeBatch.objects.select_related("scenario", "target_version", "requested_by")
    lookup_url_kwarg = "batch_id"


class RegradeBatchItemListView(generics.ListAPIView):
    """Each attempt's preview (``?effect=pass_to_fail`` etc. to filter; ``?affected=true`` for
    every attempt the fix changes)."""

    permission_classes = [IsProgrammeAdmin]
    serializer_class = RegradeBatchItemOutputSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("effect", str, enum=RegradeBatchItem.Effect.values),
            OpenApiParameter("affected", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        batch = get_object_or_404(RegradeBatch, pk=self.kwargs["batch_id"])
        params = self.request.query_params
        return selectors.regrade_batch_items(
            batch=batch,
            effect=params.get("effect"),
            affected=params.get("affected", "").lower() in ("1", "true", "yes"),
        )


class RegradeBatchApplyView(APIView):
    """Apply a previewed batch: a regrade is requested for each attempt it changes (202; the
    batch says ``applied`` once every regrade is requested)."""

    permission_classes = [IsProgrammeAdmin]

    @extend_schema(request=None, responses={202: RegradeBatchOutputSerializer})
    def post(self, request, batch_id):
        batch = get_object_or_404(RegradeBatch, pk=batch_id)
        batch = batch_services.regrade_batch_apply(batch=batch, actor=request.user)
        return Response(RegradeBatchOutputSerializer(batch).data, status=202)
