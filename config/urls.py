from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health, problems, views
from .throttling import login_throttled

api_v1 = [
    path("credentials/", include("certification.api_urls")),
    path("", include("accounts.urls")),
    path("scenarios/", include("scenarios.urls")),
    path("partners/", include("partners.api_urls")),
    path("quality/", include("quality.api_urls")),
    path("employers/", include("employers.api_urls")),
    path("", include("assessments.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its init script served as a file (?script), for the CSP: no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The admin's login, counted in the same per-address "login" rate as the API's.
    path("admin/login/", login_throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("vc-api/", include("certification.vc_api_urls")),
    path("problems/", problems.problem_index, name="problem-index"),
    path("problems/<slug:code>", problems.problem_page, name="problem"),
    path("partners/", include("partners.urls")),
    path("quality/", include("quality.urls")),
    path("employers/", include("employers.urls")),
    path("", include("candidates.urls")),
    path("", include("certification.urls")),
    path("", views.home, name="home"),
]

handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
