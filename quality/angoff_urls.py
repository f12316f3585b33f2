from django.urls import path

from . import angoff_views as views

urlpatterns = [
    path("standard-setting/", views.index, name="quality-angoff"),
    path("standard-setting/<int:study_id>/", views.study_page, name="quality-angoff-study"),
    path("standard-setting/<int:study_id>/rate/", views.rate_page, name="quality-angoff-rate"),
]
