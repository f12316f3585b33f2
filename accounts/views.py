from django.contrib.auth import authenticate, logout, user_logged_in
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from knox.models import AuthToken
from rest_framework import exceptions, generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import Unauthorized
from config.throttling import LoginRateThrottle

from .lockout import LOCKED_DETAIL, lockout_seconds
from .models import Membership
from .permissions import IsPartnerManager
from .selectors import organisations_managed_by
from .serializers import (
    LoginInputSerializer,
    LogoutAllOutputSerializer,
    MeDetailOutputSerializer,
    PartnerOrganisationOutputSerializer,
    TokenOutputSerializer,
)
from .services import token_create, token_revoke, tokens_revoke_all


class AccountLocked(exceptions.Throttled):
    """429 ``account_locked`` with ``retry_after_seconds`` (and ``Retry-After``)."""

    default_code = "account_locked"

    def __init__(self, wait: int):
        super().__init__(wait=wait, detail=LOCKED_DETAIL)
        self.detail = exceptions.ErrorDetail(LOCKED_DETAIL, code=self.default_code)


class TokenLoginView(APIView):
    """Exchange email and password for an API token (stored hashed; shown once; expires).

    Order of checks, cheapest first: the ``login`` rate per client address (before the body is
    read), then the account's lockout (django-axes, before any password hash), then the
    password."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=LoginInputSerializer,
        responses={200: TokenOutputSerializer},
    )
    def post(self, request):
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        user = authenticate(request, username=email, password=data.validated_data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked(wait=lockout_seconds(request, {"email": email}))
            raise Unauthorized("Email or password is wrong.", code="invalid_credentials")
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        instance, token = token_create(user=user)
        body = {"token": token, "expiry": instance.expiry, "user": user}
        return Response(TokenOutputSerializer(body).data)


class LogoutView(APIView):
    """End the caller's session, or revoke the API token the request was made with."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AuthToken):
            token_revoke(token=request.auth)
        else:
            logout(request)
        return Response(status=204)


class LogoutAllView(APIView):
    """Log out everywhere: revoke every API token the caller holds, and end this session."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: LogoutAllOutputSerializer})
    def post(self, request):
        count = tokens_revoke_all(user=request.user, actor=request.user, reason="logout_all")
        if not isinstance(request.auth, AuthToken):
            logout(request)
        return Response(LogoutAllOutputSerializer({"tokens_revoked": count}).data)


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: MeDetailOutputSerializer})
    def get(self, request):
        return Response(MeDetailOutputSerializer(request.user).data)


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
