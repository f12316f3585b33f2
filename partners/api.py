"""The partner API under /api/v1/partners/<slug>/. Partner managers (their own firms) and
programme admins; a firm the caller does not manage is 404 (``firm_for_manager``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Membership
from accounts.permissions import IsPartnerManager
from config.api import StandardPagination
from config.errors import NotFound

from . import selectors, services, views
from .serializers import (
    DashboardOutputSerializer,
    InvitationInputSerializer,
    InvitationOutputSerializer,
    RosterMemberOutputSerializer,
)
from .snapshots import figures_for

CSV_RESPONSE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, streamed")}


class FirmAPIView(APIView):
    permission_classes = [IsPartnerManager]

    def firm(self, slug: str):
        return selectors.firm_for_manager(user=self.request.user, slug=slug)


class DashboardView(FirmAPIView):
    """The firm's dashboard figures (see docs/partners.md for each definition)."""

    @extend_schema(responses={200: DashboardOutputSerializer})
    def get(self, request, slug):
        return Response(DashboardOutputSerializer(figures_for(firm=self.firm(slug))).data)


class RosterView(FirmAPIView):
    """The firm's current consultants (``?former=1``: with former members), paginated."""

    @extend_schema(responses={200: RosterMemberOutputSerializer(many=True)})
    def get(self, request, slug):
        firm = self.firm(slug)
        queryset = selectors.roster(firm=firm, include_former=request.GET.get("former") == "1")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(RosterMemberOutputSerializer(page, many=True).data)


class RosterExportView(FirmAPIView):
    @extend_schema(responses=CSV_RESPONSE)
    def get(self, request, slug):
        return views.roster_csv_response(
            self.firm(slug), include_former=request.GET.get("former") == "1"
        )


class DashboardExportView(FirmAPIView):
    @extend_schema(responses=CSV_RESPONSE)
    def get(self, request, slug):
        return views.dashboard_csv_response(self.firm(slug))


class InvitationCreateView(FirmAPIView):
    """Invite an email address to the firm; the link goes by email only."""

    @extend_schema(request=InvitationInputSerializer, responses={201: InvitationOutputSerializer})
    def post(self, request, slug):
        firm = self.firm(slug)
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _ = services.invitation_create(
            organisation=firm, email=data.validated_data["email"], invited_by=request.user
        )
        return Response(InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class MembershipEndView(FirmAPIView):
    """End a consultant's membership of the firm (it stays in the history)."""

    @extend_schema(request=None, responses={200: RosterMemberOutputSerializer})
    def post(self, request, slug, membership_id):
        firm = self.firm(slug)
        membership = Membership.objects.filter(pk=membership_id, organisation=firm).first()
        if membership is None:
            raise NotFound("No such membership.", code="membership_not_found")
        membership = services.membership_end(
            membership=membership, organisation=firm, actor=request.user
        )
        return Response(RosterMemberOutputSerializer(membership).data)
