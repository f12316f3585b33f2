"""Playbook pages, mounted under /partners/ through ``partners.urls.page_includes``."""

from django.urls import path

from . import playbook_views as views

urlpatterns = [
    path("playbooks/mine/", views.mine, name="partner-my-playbooks"),
    path("playbooks/share/", views.share, name="partner-playbook-share"),
    path(
        "playbooks/<int:playbook_id>/withdraw/",
        views.withdraw,
        name="partner-playbook-withdraw",
    ),
    path("<slug:slug>/playbooks/", views.library, name="partner-playbooks"),
    path(
        "<slug:slug>/playbooks/<int:playbook_id>/",
        views.detail,
        name="partner-playbook",
    ),
]
