"""The W3C CCG VC API, mounted at /vc-api/ (only the verifier's credential endpoint)."""

from django.urls import path

from .views.vc_api import VcApiVerifyCredentialView

urlpatterns = [
    path(
        "credentials/verify",
        VcApiVerifyCredentialView.as_view(),
        name="vc-api-verify-credential",
    ),
]
