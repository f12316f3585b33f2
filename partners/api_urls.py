"""API under /api/v1/partners/. Other partner modules add their own URL module to
`api_includes` below."""

from django.urls import include, path

from . import api

# Extra API URL modules mounted under /api/v1/partners/ (e.g. "partners.playbooks_api_urls").
api_includes: list[str] = ["partners.playbook_api_urls"]

urlpatterns = [
    *[path("", include(module)) for module in api_includes],
    path("<slug:slug>/dashboard/", api.DashboardView.as_view(), name="partner-api-dashboard"),
    path("<slug:slug>/roster/", api.RosterView.as_view(), name="partner-api-roster"),
    path(
        "<slug:slug>/exports/roster.csv",
        api.RosterExportView.as_view(),
        name="partner-api-export-roster",
    ),
    path(
        "<slug:slug>/exports/dashboard.csv",
        api.DashboardExportView.as_view(),
        name="partner-api-export-dashboard",
    ),
    path(
        "<slug:slug>/invitations/",
        api.InvitationCreateView.as_view(),
        name="partner-api-invitations",
    ),
    path(
        "<slug:slug>/memberships/<int:membership_id>/end/",
        api.MembershipEndView.as_view(),
        name="partner-api-membership-end",
    ),
]
