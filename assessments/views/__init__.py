"""The exam API, by audience: candidates (``attempts``), graders (``grading``), programme staff
(``staff``). Every view names its permission classes; object access goes through selectors."""

from .attempts import (
    AttemptDetailView,
    AttemptListView,
    AttemptResultView,
    AttemptStartView,
    AttemptSubmitView,
    CertificationListView,
    DraftSaveView,
    ExamListView,
)
from .grading import ClaimNextItemView, HeldItemListView, ItemReleaseView, ItemScoreView
from .regrade_batches import (
    RegradeBatchApplyView,
    RegradeBatchCreateView,
    RegradeBatchDetailView,
    RegradeBatchItemListView,
)
from .staff import (
    DecisionReverseView,
    EscalationListView,
    EscalationResolveView,
    GradingJobRetryView,
    RegradeCreateView,
    RegradeDetailView,
    RegradePreviewView,
)

__all__ = [
    "AttemptDetailView",
    "AttemptListView",
    "AttemptResultView",
    "AttemptStartView",
    "AttemptSubmitView",
    "CertificationListView",
    "ClaimNextItemView",
    "DecisionReverseView",
    "DraftSaveView",
    "EscalationListView",
    "EscalationResolveView",
    "ExamListView",
    "GradingJobRetryView",
    "HeldItemListView",
    "ItemReleaseView",
    "ItemScoreView",
    "RegradeBatchApplyView",
    "RegradeBatchCreateView",
    "RegradeBatchDetailView",
    "RegradeBatchItemListView",
    "RegradeCreateView",
    "RegradeDetailView",
    "RegradePreviewView",
]
