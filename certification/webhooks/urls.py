"""Mounted at /api/v1/credentials/webhooks/ (from ``certification.api_urls``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.WebhookListView.as_view(), name="webhooks"),
    path("<int:subscription_id>/", api.WebhookDetailView.as_view(), name="webhook"),
    path(
        "<int:subscription_id>/rotate-secret",
        api.WebhookRotateSecretView.as_view(),
        name="webhook-rotate-secret",
    ),
    path("<int:subscription_id>/enable", api.WebhookEnableView.as_view(), name="webhook-enable"),
    path(
        "<int:subscription_id>/deliveries/",
        api.WebhookDeliveriesView.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "<int:subscription_id>/deliveries/<int:delivery_id>/redeliver",
        api.WebhookRedeliverView.as_view(),
        name="webhook-redeliver",
    ),
]
