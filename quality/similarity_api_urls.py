from django.urls import path

from . import similarity_api as api

urlpatterns = [
    path("similarity/pairs/", api.PairListView.as_view(), name="api-similarity-pairs"),
    path(
        "similarity/pairs/<int:pair_id>/review/",
        api.PairReviewView.as_view(),
        name="api-similarity-review",
    ),
]
