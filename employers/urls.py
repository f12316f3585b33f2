"""Pages under /employers/ (fixed words first: an employer's slug never shadows them;
``services.RESERVED_SLUGS`` keeps them free)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.employer_home, name="employer-home"),
    path("volume/", views.volume_page, name="employer-volume"),
    path("<slug:slug>/", views.employer_keys, name="employer-keys"),
    path("<slug:slug>/keys/", views.key_create, name="employer-key-create"),
    path("<slug:slug>/keys/<int:key_id>/revoke/", views.key_revoke, name="employer-key-revoke"),
    path("<slug:slug>/verify/", views.employer_verify, name="employer-verify"),
]
