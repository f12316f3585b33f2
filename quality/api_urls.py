"""API under /api/v1/quality/. Each feature adds its own URL module to `api_includes`."""

from django.urls import include, path

api_includes: list[str] = [
    "quality.appeal_api_urls",
    "quality.calibration_api_urls",
    "quality.item_stats_api_urls",
    "quality.similarity_api_urls",
    "quality.agreement_api_urls",  # G1
    "quality.angoff_api_urls",  # standard setting (modified Angoff)
]

urlpatterns = [path("", include(module)) for module in api_includes]
