from django.urls import path

from . import workbench_views as views

urlpatterns = [
    path("grading/", views.queue, name="quality-workbench"),
    path("grading/claim/", views.claim_next, name="quality-workbench-claim"),
    # Items are addressed by the grader's work ticket (quality/workbench_models.py), so a
    # calibration item mixed into the queue has the same URL shape as a live one.
    path("grading/items/<uuid:handle>/", views.item_page, name="quality-workbench-item"),
    path("grading/items/<uuid:handle>/lease/", views.lease, name="quality-workbench-lease"),
    path("grading/items/<uuid:handle>/score/", views.score, name="quality-workbench-score"),
    path("grading/items/<uuid:handle>/release/", views.release, name="quality-workbench-release"),
    path("grading/adjudication/", views.adjudication_list, name="quality-adjudication"),
    path("grading/adjudication/<int:item_id>/", views.adjudicate, name="quality-adjudication-item"),
]
