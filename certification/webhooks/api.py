"""The webhook API under /api/v1/credentials/webhooks/: partner managers (for firms they
manage) and programme admins (any firm, or every credential). Someone else's subscription is
404; other roles 403."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import StandardPagination

from ..webhook_models import EVENTS, WebhookDelivery, WebhookSubscription
from . import services


class MaySubscribe(permissions.BasePermission):
    message = "Webhooks are for partner managers and programme admins."

    def has_permission(self, request, view) -> bool:
        return services.may_subscribe(request.user)


class WebhookInputSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), allow_empty=False)
    organisation = serializers.SlugField(
        required=False,
        allow_blank=True,
        help_text="A firm you manage. Programme admins may leave it out: every credential.",
    )


class WebhookOutputSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugField(source="organisation.slug", allow_null=True, default=None)
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = WebhookSubscription
        fields = (
            "id",
            "url",
            "events",
            "organisation",
            "active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        )


class WebhookCreatedOutputSerializer(WebhookOutputSerializer):
    secret = serializers.SerializerMethodField(help_text="Shown this once: keep it.")

    class Meta(WebhookOutputSerializer.Meta):
        fields = (*WebhookOutputSerializer.Meta.fields, "secret")

    def get_secret(self, subscription) -> str:
        return self.context["secret"]


class WebhookDeliveryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "event_id",
            "event",
            "credential_id",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
            "payload",
        )


class _WebhookView(APIView):
    permission_classes = [MaySubscribe]


class WebhookListView(_WebhookView):
    """Your webhooks (a manager: those of the firms you manage); POST subscribes."""

    @extend_schema(responses={200: WebhookOutputSerializer(many=True)})
    def get(self, request):
        found = services.visible_subscriptions(user=request.user).select_related("organisation")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(found, request, view=self)
        return paginator.get_paginated_response(WebhookOutputSerializer(page, many=True).data)

    @extend_schema(request=WebhookInputSerializer, responses={201: WebhookCreatedOutputSerializer})
    def post(self, request):
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subscription, secret = services.webhook_subscribe(
            user=request.user,
            url=data.validated_data["url"],
            events=data.validated_data["events"],
            organisation_slug=data.validated_data.get("organisation") or None,
        )
        body = WebhookCreatedOutputSerializer(subscription, context={"secret": secret}).data
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailView(_WebhookView):
    @extend_schema(responses={200: WebhookOutputSerializer})
    def get(self, request, subscription_id):
        subscription = services.subscription_for(user=request.user, subscription_id=subscription_id)
        return Response(WebhookOutputSerializer(subscription).data)

    @extend_schema(responses={204: None})
    def delete(self, request, subscription_id):
        services.webhook_delete(user=request.user, subscription_id=subscription_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecretView(_WebhookView):
    """A new signing secret for the endpoint, shown this once; the old one stops at once."""

    @extend_schema(request=None, responses={200: WebhookCreatedOutputSerializer})
    def post(self, request, subscription_id):
        subscription, secret = services.webhook_rotate_secret(
            user=request.user, subscription_id=subscription_id
        )
        return Response(
            WebhookCreatedOutputSerializer(subscription, context={"secret": secret}).data
        )


class WebhookEnableView(_WebhookView):
    """Turn a disabled endpoint back on."""

    @extend_schema(request=None, responses={200: WebhookOutputSerializer})
    def post(self, request, subscription_id):
        subscription = services.webhook_enable(user=request.user, subscription_id=subscription_id)
        return Response(WebhookOutputSerializer(subscription).data)


class WebhookDeliveriesView(_WebhookView):
    """The delivery log, newest first (``?status=failed`` to filter)."""

    @extend_schema(responses={200: WebhookDeliveryOutputSerializer(many=True)})
    def get(self, request, subscription_id):
        subscription = services.subscription_for(user=request.user, subscription_id=subscription_id)
        found = subscription.deliveries.order_by("-created_at", "-pk")
        if request.GET.get("status") in WebhookDelivery.Status.values:
            found = found.filter(status=request.GET["status"])
        paginator = StandardPagination()
        page = paginator.paginate_queryset(found, request, view=self)
        return paginator.get_paginated_response(
            WebhookDeliveryOutputSerializer(page, many=True).data
        )


class WebhookRedeliverView(_WebhookView):
    """Send a delivery again (same event id and payload, a fresh signature)."""

    @extend_schema(request=None, responses={202: WebhookDeliveryOutputSerializer})
    def post(self, request, subscription_id, delivery_id):
        delivery = services.delivery_redeliver(
            user=request.user, subscription_id=subscription_id, delivery_id=delivery_id
        )
        return Response(WebhookDeliveryOutputSerializer(delivery).data, status=202)
