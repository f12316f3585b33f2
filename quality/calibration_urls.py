from django.urls import path

from . import calibration_views as views

urlpatterns = [path("calibration/", views.results, name="quality-calibration")]
