from django.urls import path

from . import views

urlpatterns = [
    path("signin/", views.SignInView.as_view(), name="candidate-signin"),
    path("signout/", views.SignOutView.as_view(), name="candidate-signout"),
    path("home/", views.home, name="candidate-home"),
    path("exams/<slug:slug>/", views.exam_detail, name="candidate-exam"),
    path("attempts/<uuid:attempt_id>/room/", views.room, name="candidate-room"),
    path("attempts/<uuid:attempt_id>/results/", views.results, name="candidate-results"),
    path(
        "attempts/<uuid:attempt_id>/results/status/",
        views.results_status,
        name="candidate-results-status",
    ),
]
