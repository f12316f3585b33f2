from django.urls import path

from . import agreement_views as views

urlpatterns = [
    path("agreement/", views.agreement_page, name="quality-agreement"),
    path("agreement/refresh/", views.agreement_refresh, name="quality-agreement-refresh"),
]
