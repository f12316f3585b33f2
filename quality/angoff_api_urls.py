from django.urls import path

from . import angoff_api as api

P = "standard-setting/studies/"

urlpatterns = [
    path(P, api.StudyListView.as_view(), name="api-angoff-studies"),
    path(f"{P}<int:study_id>/", api.StudyDetailView.as_view(), name="api-angoff-study"),
    path(f"{P}<int:study_id>/panelists/", api.PanelistView.as_view(), name="api-angoff-panelists"),
    path(f"{P}<int:study_id>/ratings/", api.RatingsView.as_view(), name="api-angoff-ratings"),
    path(f"{P}<int:study_id>/round-two/", api.RoundTwoView.as_view(), name="api-angoff-round-two"),
    path(f"{P}<int:study_id>/close/", api.CloseView.as_view(), name="api-angoff-close"),
    path(f"{P}<int:study_id>/adopt/", api.AdoptView.as_view(), name="api-angoff-adopt"),
    path(f"{P}<int:study_id>/discard/", api.DiscardView.as_view(), name="api-angoff-discard"),
]
