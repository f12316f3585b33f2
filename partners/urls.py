"""Pages under /partners/. Other partner modules (e.g. playbooks) add their own URL module to
`page_includes` below rather than editing the list of patterns."""

from django.urls import include, path

# Extra page URL modules mounted under /partners/ (e.g. "partners.playbooks_urls").
page_includes: list[str] = []

urlpatterns = [path("", include(module)) for module in page_includes]
