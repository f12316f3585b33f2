from django.urls import path

from . import workbench_views as views

urlpatterns = [
    path("grading/", views.queue, name="quality-workbench"),
    path("grading/claim/", views.claim_next, name="quality-workbench-claim"),
    path("grading/items/<int:item_id>/", views.item_page, name="quality-workbench-item"),
    path("grading/items/<int:item_id>/lease/", views.lease, name="quality-workbench-lease"),
    path("grading/items/<int:item_id>/score/", views.score, name="quality-workbench-score"),
    path("grading/items/<int:item_id>/release/", views.release, name="quality-workbench-release"),
    path("grading/adjudication/", views.adjudication_list, name="quality-adjudication"),
    path("grading/adjudication/<int:item_id>/", views.adjudicate, name="quality-adjudication-item"),
]
