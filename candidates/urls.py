from django.urls import path

from config.throttling import login_throttled

from . import views

urlpatterns = [
    # Counted in the per-address "login" rate with the API's and the admin's logins.
    path("signin/", login_throttled(views.SignInView.as_view()), name="candidate-signin"),
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
    path("practice/", views.practice_index, name="practice-index"),
    path("practice/<slug:slug>/", views.practice_room_page, name="practice-room"),
    path(
        "practice/<slug:slug>/simulate/",
        views.PracticeSimulateView.as_view(),
        name="practice-simulate",
    ),
]
