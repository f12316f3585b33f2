from .certifications import Certification, CertificationDecision
from .exams import Attempt, Draft, Exam, ExamScenario
from .grading import Escalation, GradeReport, GradingJob, HumanScore

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
    "HumanScore",
]
