"""Pages under /partners/. Other partner modules (e.g. playbooks) add their own URL module to
`page_includes` below rather than editing the list of patterns."""

from django.urls import include, path

from . import views

# Extra page URL modules mounted under /partners/ (e.g. "partners.playbooks_urls").
page_includes: list[str] = ["partners.playbook_urls"]

urlpatterns = [
    path("", views.firm_list, name="partner-firms"),
    # The consultant's side (fixed words first: a firm's slug never shadows them).
    path("invitations/<str:token>/", views.invitation_page, name="partner-invitation"),
    path("memberships/", views.my_memberships, name="partner-memberships"),
    path(
        "memberships/<int:membership_id>/leave/",
        views.membership_leave,
        name="partner-membership-leave",
    ),
    *[path("", include(module)) for module in page_includes],
    # The manager's side.
    path("<slug:slug>/", views.firm_dashboard, name="partner-dashboard"),
    path("<slug:slug>/members/", views.firm_members, name="partner-members"),
    path("<slug:slug>/invitations/", views.invitation_create, name="partner-invite"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="partner-invitation-cancel",
    ),
    path(
        "<slug:slug>/members/<int:membership_id>/end/",
        views.membership_end,
        name="partner-membership-end",
    ),
    path("<slug:slug>/export/roster.csv", views.export_roster, name="partner-export-roster"),
    path(
        "<slug:slug>/export/dashboard.csv",
        views.export_dashboard,
        name="partner-export-dashboard",
    ),
]
