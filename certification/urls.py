"""Public pages and files. The JSON API is in ``api_urls`` (mounted under /api/v1/)."""

from django.urls import path

from . import views
from .views.bulk import bulk_verify_page

urlpatterns = [
    path(".well-known/did.json", views.did_json, name="did-json"),
    path("credentials/status/<int:list_id>", views.status_list, name="status-list"),
    path("credentials/<uuid:credential_id>.json", views.credential_json, name="credential-json"),
    path("credentials/<uuid:credential_id>.pdf", views.credential_pdf, name="credential-pdf"),
    path("credentials/<uuid:credential_id>", views.credential_page, name="credential-page"),
    path("verify/", views.verify_page, name="verify-page"),
    path("verify/bulk/", bulk_verify_page, name="verify-bulk-page"),
    path("certifications/<slug:slug>", views.certification_page, name="certification-page"),
]
