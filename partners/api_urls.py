"""API under /api/v1/partners/. Other partner modules add their own URL module to
`api_includes` below."""

from django.urls import include, path

# Extra API URL modules mounted under /api/v1/partners/ (e.g. "partners.playbooks_api_urls").
api_includes: list[str] = []

urlpatterns = [path("", include(module)) for module in api_includes]
