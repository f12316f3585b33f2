from django.urls import path

from . import similarity_views as views

urlpatterns = [path("similarity/", views.index, name="quality-similarity")]
