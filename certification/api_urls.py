"""The credential JSON API, mounted at /api/v1/credentials/ (first among the API's routes:
by-ID verification is the busiest public endpoint)."""

from django.urls import include, path

from . import views
from .views.bulk import BulkVerifyView

urlpatterns = [
    # Before verify/<id>, which would take "bulk" for an ID.
    path("verify/bulk", BulkVerifyView.as_view(), name="verify-bulk"),
    # Any segment, so that a malformed ID gets a problem document saying so, not a bare 404.
    path("verify/<str:credential_id>", views.VerifyByIdView.as_view(), name="verify-by-id"),
    path("verify", views.VerifyUploadView.as_view(), name="verify-upload"),
    path("webhooks/", include("certification.webhooks.urls")),
    path("<uuid:credential_id>/revoke", views.RevokeView.as_view(), name="credential-revoke"),
    path("<uuid:credential_id>/suspend", views.SuspendView.as_view(), name="credential-suspend"),
    path(
        "<uuid:credential_id>/unsuspend",
        views.UnsuspendView.as_view(),
        name="credential-unsuspend",
    ),
]
