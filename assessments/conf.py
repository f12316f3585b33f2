"""Tunable limits of the exam pipeline (settings override the defaults)."""

from django.conf import settings


def setting(name: str, default):
    return getattr(settings, name, default)


def submit_grace_seconds() -> int:
    """Network slack for a submit that left the browser just before the deadline."""
    return setting("ATTEMPT_SUBMIT_GRACE_SECONDS", 30)


def drafts_kept_per_part() -> int:
    """Autosaves kept for each scenario of an attempt: the newest this many (at least one)."""
    return max(1, setting("DRAFTS_KEPT_PER_PART", 20))


def requeue_after_seconds() -> int:
    """A queued job not started after this long is sent again (broker lost it or was down)."""
    return setting("GRADING_REQUEUE_AFTER_SECONDS", 120)


def stale_after_seconds() -> int:
    """A running job not finished after this long is presumed lost with its worker."""
    return setting("GRADING_STALE_AFTER_SECONDS", 600)


def escalate_after_seconds() -> int:
    """A job still unfinished this long after its submission is escalated to programme staff
    (it keeps being re-sent; staff see it is late)."""
    return setting("GRADING_ESCALATE_AFTER_SECONDS", 900)


def decision_grace_seconds() -> int:
    """The sweeper records a decision the pipeline should have recorded this long ago."""
    return setting("DECISION_GRACE_SECONDS", 60)


def max_runs() -> int:
    """Claims of one job before it is failed and escalated instead of retried."""
    return setting("GRADING_MAX_RUNS", 5)


def lease_minutes() -> int:
    return setting("HUMAN_SCORING_LEASE_MINUTES", 30)


def scoring_due_hours() -> int:
    return setting("HUMAN_SCORING_DUE_HOURS", 72)


def test_delay_seconds() -> float:
    """Test-only: make grading slow enough for the reliability tests to kill a worker mid-job.
    Always 0 outside the integration tier."""
    return float(setting("GRADING_TEST_DELAY_SECONDS", 0))


def double_mark_share() -> float:
    """Share of human items scored by two graders independently (chosen from the item id, so
    the same items are chosen on every run). Items of a borderline decision are always."""
    return float(setting("HUMAN_SCORING_DOUBLE_MARK_SHARE", 0.2))


def double_mark_borderline() -> bool:
    """Whether every item of a borderline decision gets a second mark (on unless turned off;
    the fast tier's test settings turn it off for tests of other features)."""
    return bool(setting("HUMAN_SCORING_DOUBLE_MARK_BORDERLINE", True))
