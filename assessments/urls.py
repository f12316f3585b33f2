from django.urls import path

from . import views

urlpatterns = [
    path("certifications/", views.CertificationListView.as_view(), name="certification-list"),
    path("exams/", views.ExamListView.as_view(), name="exam-list"),
    path("exams/<slug:slug>/attempts/", views.AttemptStartView.as_view(), name="attempt-start"),
    path("attempts/", views.AttemptListView.as_view(), name="attempt-list"),
    path("attempts/<uuid:attempt_id>/", views.AttemptDetailView.as_view(), name="attempt-detail"),
    path(
        "attempts/<uuid:attempt_id>/drafts/<int:scenario_version_id>/",
        views.DraftSaveView.as_view(),
        name="attempt-draft",
    ),
    path(
        "attempts/<uuid:attempt_id>/submit/",
        views.AttemptSubmitView.as_view(),
        name="attempt-submit",
    ),
    path(
        "attempts/<uuid:attempt_id>/result/",
        views.AttemptResultView.as_view(),
        name="attempt-result",
    ),
    path("grading/items/", views.HeldItemListView.as_view(), name="grading-items"),
    path("grading/items/claim-next/", views.ClaimNextItemView.as_view(), name="grading-claim-next"),
    path("grading/items/<int:item_id>/score/", views.ItemScoreView.as_view(), name="grading-score"),
    path(
        "grading/items/<int:item_id>/release/",
        views.ItemReleaseView.as_view(),
        name="grading-release",
    ),
    path("admin/escalations/", views.EscalationListView.as_view(), name="escalation-list"),
    path(
        "admin/escalations/<int:escalation_id>/resolve/",
        views.EscalationResolveView.as_view(),
        name="escalation-resolve",
    ),
    path(
        "admin/grading-jobs/<uuid:job_id>/retry/",
        views.GradingJobRetryView.as_view(),
        name="grading-job-retry",
    ),
    path(
        "admin/attempts/<uuid:attempt_id>/regrade-preview/",
        views.RegradePreviewView.as_view(),
        name="regrade-preview",
    ),
    path(
        "admin/attempts/<uuid:attempt_id>/regrades/",
        views.RegradeCreateView.as_view(),
        name="regrade-create",
    ),
    path(
        "admin/regrades/<uuid:regrade_id>/",
        views.RegradeDetailView.as_view(),
        name="regrade-detail",
    ),
    path(
        "admin/scenarios/<slug:slug>/regrade-batches/",
        views.RegradeBatchCreateView.as_view(),
        name="regrade-batch-create",
    ),
    path(
        "admin/regrade-batches/<uuid:batch_id>/",
        views.RegradeBatchDetailView.as_view(),
        name="regrade-batch-detail",
    ),
    path(
        "admin/regrade-batches/<uuid:batch_id>/items/",
        views.RegradeBatchItemListView.as_view(),
        name="regrade-batch-items",
    ),
    path(
        "admin/regrade-batches/<uuid:batch_id>/apply/",
        views.RegradeBatchApplyView.as_view(),
        name="regrade-batch-apply",
    ),
    path(
        "decisions/<uuid:decision_id>/reverse/",
        views.DecisionReverseView.as_view(),
        name="decision-reverse",
    ),
]
