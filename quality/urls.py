"""Pages under /quality/. Each feature adds its own URL module to `page_includes` (one line)
rather than editing a shared list of patterns."""

from django.urls import include, path

page_includes: list[str] = [
    "quality.appeal_urls",
    "quality.calibration_urls",
    "quality.item_stats_urls",
    "quality.similarity_urls",
    "quality.workbench_urls",  # G1: the grader's workbench
    "quality.agreement_urls",  # G1: agreement statistics
    "quality.angoff_urls",  # standard setting (modified Angoff)
]

urlpatterns = [path("", include(module)) for module in page_includes]
