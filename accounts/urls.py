from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenLoginView.as_view(), name="auth-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", views.LogoutAllView.as_view(), name="auth-logout-all"),
    path("me/", views.MeView.as_view(), name="me"),
    path("partners/", views.ManagedOrganisationListView.as_view(), name="partner-list"),
]
