"""The playbook API, mounted under /api/v1/partners/ through
``partners.api_urls.api_includes``."""

from django.urls import path

from . import playbook_api as api

urlpatterns = [
    path("playbooks/", api.PlaybookShareView.as_view(), name="partner-api-playbooks-mine"),
    path(
        "playbooks/<int:playbook_id>/withdraw/",
        api.PlaybookWithdrawView.as_view(),
        name="partner-api-playbook-withdraw",
    ),
    path(
        "<slug:slug>/playbooks/",
        api.PlaybookLibraryView.as_view(),
        name="partner-api-playbooks",
    ),
    path(
        "<slug:slug>/playbooks/<int:playbook_id>/",
        api.PlaybookDetailView.as_view(),
        name="partner-api-playbook",
    ),
]
