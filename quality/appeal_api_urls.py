from django.urls import path

from . import appeal_api as api

urlpatterns = [
    path("appeals/", api.AppealListView.as_view(), name="api-appeals"),
    path("appeals/<uuid:appeal_id>/", api.AppealDetailView.as_view(), name="api-appeal"),
    path(
        "appeals/<uuid:appeal_id>/assign/",
        api.AppealAssignView.as_view(),
        name="api-appeal-assign",
    ),
    path(
        "appeals/<uuid:appeal_id>/regrade-preview/",
        api.AppealPreviewView.as_view(),
        name="api-appeal-preview",
    ),
    path(
        "appeals/<uuid:appeal_id>/decide/",
        api.AppealDecideView.as_view(),
        name="api-appeal-decide",
    ),
]
