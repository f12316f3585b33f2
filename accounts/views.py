from django.contrib.auth import authenticate, logout
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config.api import ServiceError

from .models import Membership
from .permissions import IsPartnerManager
from .selectors import organisations_managed_by
from .serializers import (
    LoginInputSerializer,
    MeOutputSerializer,
    PartnerOrganisationOutputSerializer,
    TokenOutputSerializer,
)


class TokenLoginView(APIView):
    """Exchange email and password for an API token (stored hashed; shown once)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginInputSerializer, responses={200: TokenOutputSerializer})
    def post(self, request):
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if user is None:
            raise ServiceError(
                "Email or password is wrong.", code="invalid_credentials", status_code=401
            )
        instance, token = AuthToken.objects.create(user=user)
        body = {"token": token, "expiry": instance.expiry, "user": user}
        return Response(TokenOutputSerializer(body).data)


class LogoutView(APIView):
    """End the caller's session, or revoke the API token the request was made with."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        else:
            logout(request)
        return Response(status=204)


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request):
        return Response(MeOutputSerializer(request.user).data)


class ManagedOrganisationListView(generics.ListAPIView):
    """The partner firms the caller manages (programme admins see all)."""

    permission_classes = [IsPartnerManager]
    serializer_class = PartnerOrganisationOutputSerializer

    def get_queryset(self):
        active = Q(memberships__kind=Membership.Kind.CONSULTANT, memberships__left_at__isnull=True)
        return (
            organisations_managed_by(user=self.request.user)
            .annotate(active_consultants=Count("memberships", filter=active, distinct=True))
            .order_by("name")
        )
