"""The end of a grading round (a submission's jobs, or one regrade's): once its last job is
graded or its last human score given, the attempt is decided or the regrade concluded. Called
by ``grading`` and ``human_scoring``, in the transaction that finished the work."""

from ..models import GradingJob
from .decisions import decision_record_if_complete
from .jobs import lock_attempt
from .regrades import regrade_conclude_if_complete


def round_complete(*, job: GradingJob) -> None:
    """Work that follows a finished job or score: decide the attempt, or conclude its regrade.
    Takes the attempt's row lock first (see ``jobs`` for the lock order)."""
    lock_attempt(job.attempt_id)
    if job.regrade_id:
        regrade_conclude_if_complete(regrade=job.regrade)
    else:
        decision_record_if_complete(attempt=job.attempt)
