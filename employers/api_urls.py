"""API under /api/v1/employers/."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.EmployerListView.as_view(), name="employer-api-list"),
    path("verify/bulk", api.EmployerBulkVerifyView.as_view(), name="employer-api-verify-bulk"),
    path("volume/", api.VolumeView.as_view(), name="employer-api-volume"),
    path("<slug:slug>/keys/", api.ApiKeyListView.as_view(), name="employer-api-keys"),
    path(
        "<slug:slug>/keys/<int:key_id>/revoke",
        api.ApiKeyRevokeView.as_view(),
        name="employer-api-key-revoke",
    ),
]
