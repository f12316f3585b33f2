from django.urls import path

from . import views

urlpatterns = [
    path("", views.ScenarioListView.as_view(), name="scenario-list"),
    path("design-schema/", views.DesignSchemaView.as_view(), name="design-schema"),
    path("<slug:slug>/", views.ScenarioDetailView.as_view(), name="scenario-detail"),
    path(
        "<slug:slug>/versions/",
        views.ScenarioVersionListView.as_view(),
        name="scenario-version-list",
    ),
    path(
        "<slug:slug>/validate-design/",
        views.ValidateDesignView.as_view(),
        name="scenario-validate-design",
    ),
]
