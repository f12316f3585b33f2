from django.urls import path

from . import views

urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did-json"),
    path("credentials/status/<int:list_id>", views.status_list, name="status-list"),
    path("credentials/<uuid:credential_id>.json", views.credential_json, name="credential-json"),
    path("credentials/<uuid:credential_id>.pdf", views.credential_pdf, name="credential-pdf"),
    path("credentials/<uuid:credential_id>", views.credential_page, name="credential-page"),
    path("verify/", views.verify_page, name="verify-page"),
    path("certifications/<slug:slug>", views.certification_page, name="certification-page"),
    path(
        "api/v1/credentials/verify/<uuid:credential_id>",
        views.VerifyByIdView.as_view(),
        name="verify-by-id",
    ),
    path("api/v1/credentials/verify", views.VerifyUploadView.as_view(), name="verify-upload"),
    path(
        "api/v1/credentials/<uuid:credential_id>/revoke",
        views.RevokeView.as_view(),
        name="credential-revoke",
    ),
    path(
        "api/v1/credentials/<uuid:credential_id>/suspend",
        views.SuspendView.as_view(),
        name="credential-suspend",
    ),
    path(
        "api/v1/credentials/<uuid:credential_id>/unsuspend",
        views.UnsuspendView.as_view(),
        name="credential-unsuspend",
    ),
]
