from django.urls import path

from . import item_stats_views as views

urlpatterns = [path("item-statistics/", views.index, name="quality-item-statistics")]
