from .certifications import Certification, CertificationDecision
from .double_marking import HumanMark
from .exams import Attempt, Draft, Exam, ExamScenario
from .grading import Escalation, GradeReport, GradingJob, HumanScore
from .regrades import Regrade, RegradeBatch, RegradeBatchItem

__all__ = [
    "Attempt",
    "Certification",
    "CertificationDecision",
    "Draft",
    "Escalation",
    "Exam",
    "ExamScenario",
    "GradeReport",
    "GradingJob",
    "HumanMark",
    "HumanScore",
    "Regrade",
    "RegradeBatch",
    "RegradeBatchItem",
]
