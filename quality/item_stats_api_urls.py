from django.urls import path

from . import item_stats_api as api

urlpatterns = [
    path(
        "item-statistics/<slug:slug>/",
        api.ItemStatisticsView.as_view(),
        name="api-item-statistics",
    ),
    path(
        "item-statistics/<slug:slug>/checkpoints.csv",
        api.CheckpointsCsvView.as_view(),
        name="api-item-statistics-csv",
    ),
]
