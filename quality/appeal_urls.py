from django.urls import path

from . import appeal_views as views

urlpatterns = [
    path("appeals/", views.queue, name="quality-appeals"),
    path("appeals/<uuid:appeal_id>/", views.detail, name="quality-appeal"),
    path("appeals/file/<uuid:attempt_id>/", views.file, name="quality-appeal-file"),
]
