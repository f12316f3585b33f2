from django.urls import path

from . import calibration_api as api

urlpatterns = [
    path("calibration/items/", api.ItemListView.as_view(), name="api-calibration-items"),
    path("calibration/next/", api.NextView.as_view(), name="api-calibration-next"),
    path(
        "calibration/items/<int:item_id>/score/",
        api.ScoreView.as_view(),
        name="api-calibration-score",
    ),
    path("calibration/me/", api.MeView.as_view(), name="api-calibration-me"),
    path("calibration/graders/", api.GradersView.as_view(), name="api-calibration-graders"),
]
