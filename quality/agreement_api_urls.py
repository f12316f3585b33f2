from django.urls import path

from . import agreement_api as api

urlpatterns = [path("agreement/", api.AgreementView.as_view(), name="api-quality-agreement")]
