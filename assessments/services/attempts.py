"""Starting, saving, submitting and expiring attempts."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import Conflict, DomainError, Forbidden, InvalidRequest, NotFound, TooLarge
from scenarios import engine
from scenarios.engine.wording import count
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version

from .. import conf
from ..models import Attempt, Draft, Exam
from ..selectors import exam_standing
from .jobs import design_sha256, grading_jobs_create


def _check_policy(*, candidate, exam: Exam, now) -> None:
    if not exam.is_active:
        raise InvalidRequest("This exam is not open for attempts.", code="exam_closed")
    standing = exam_standing(candidate=candidate, exam=exam, now=now)
    if missing := standing["missing_prerequisites"]:
        raise InvalidRequest(
            f"You need {', '.join(missing)} before this exam.", code="prerequisite_missing"
        )
    if standing["attempts_used"] >= exam.max_attempts:
        raise Forbidden(
            "No attempts left: this exam allows "
            f"{count(exam.max_attempts, 'attempt')} in {count(exam.window_days, 'day')}.",
            code="attempts_exhausted",
        )
    if ready := standing["cooldown_until"]:
        raise Forbidden(
            f"You can retake this exam from {ready:%Y-%m-%d %H:%M} UTC.",
            code="cooldown",
        )


def attempt_start(*, candidate, exam: Exam) -> tuple[Attempt, bool]:
    """Start an attempt, or return the one already in progress (a double click starts one).
    One in progress whose time is up is expired first (and counts against the policy).

    Checks the exam's policy (prerequisites, attempts in the rolling window, cooldown after a
    fail), fixes the variant seed and scenario versions, and starts the server-side clock.
    """
    existing = Attempt.objects.filter(
        exam=exam, candidate=candidate, status=Attempt.Status.IN_PROGRESS
    ).first()
    if existing and attempt_expire_if_due(attempt=existing).status == Attempt.Status.IN_PROGRESS:
        return existing, False
    now = timezone.now()
    _check_policy(candidate=candidate, exam=exam, now=now)
    version_ids = list(
        exam.parts.order_by("position").values_list("scenario_version_id", flat=True)
    )
    if not version_ids:
        raise InvalidRequest("This exam has no scenarios yet.", code="exam_empty")
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                exam=exam,
                candidate=candidate,
                seed=secrets.randbelow(2**31),
                scenario_version_ids=version_ids,
                started_at=now,
                deadline=now + timedelta(minutes=exam.time_limit_minutes),
            )
            audit_record(
                actor=candidate,
                action="attempt.started",
                target=attempt,
                data={"seed": attempt.seed, "scenario_version_ids": version_ids},
            )
    except IntegrityError:  # a concurrent start won; return its attempt
        return Attempt.objects.get(
            exam=exam, candidate=candidate, status=Attempt.Status.IN_PROGRESS
        ), False
    return attempt, True


def _part(attempt: Attempt, scenario_version_id: int) -> ScenarioVersion:
    if scenario_version_id not in attempt.scenario_version_ids:
        raise NotFound("That scenario is not part of this attempt.", code="unknown_part")
    return ScenarioVersion.objects.get(pk=scenario_version_id)


def _open_for_work(attempt: Attempt, now) -> None:
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise Conflict(
            f"This attempt is {attempt.get_status_display().lower()}.",
            code=f"attempt_{attempt.status}",
        )
    if now > attempt.deadline + timedelta(seconds=conf.submit_grace_seconds()):
        raise Conflict(
            f"The time limit ended at {attempt.deadline:%H:%M:%S} UTC; the draft was not saved.",
            code="deadline_passed",
        )


def attempt_autosave(*, attempt: Attempt, scenario_version_id: int, design: object) -> Draft:
    """Save a draft of one scenario of the attempt; the latest wins. Drafts need not be valid
    yet, but must be a JSON object within the size limit. Refused (409) once the attempt is
    submitted or its deadline has passed.

    Storage is bounded: the newest ``DRAFTS_KEPT_PER_PART`` distinct designs of each scenario
    are kept, older ones are deleted, and a design identical to a kept one is not stored again
    (that draft becomes the latest). The attempt's row is locked first, as a submit locks it,
    so saves and a submit never interleave; the submitted design lives on the attempt, never
    among the drafts pruned here."""
    _open_for_work(attempt, timezone.now())  # refuse early; checked again under the lock
    version = _part(attempt, scenario_version_id)
    if not isinstance(design, dict):
        raise InvalidRequest("A design must be a JSON object.", code="invalid_design")
    size = engine.design_size(design)  # UTF-8 bytes, as sent: non-ASCII text is not inflated
    if size > engine.MAX_DESIGN_BYTES:
        raise TooLarge(
            f"The design is {size} bytes; the limit is {engine.MAX_DESIGN_BYTES}.",
            code="design_too_large",
        )
    sha256 = design_sha256(design)
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        now = timezone.now()  # after the lock, so the save that commits last is the latest
        _open_for_work(attempt, now)
        return _draft_keep(attempt=attempt, version=version, design=design, sha256=sha256, now=now)


def _draft_keep(*, attempt: Attempt, version: ScenarioVersion, design: dict, sha256: str, now):
    """Store the design once as the scenario's latest draft, then prune beyond the newest
    ``DRAFTS_KEPT_PER_PART``. Runs under the attempt's row lock."""
    drafts = Draft.objects.filter(attempt=attempt, scenario_version=version)
    draft = drafts.filter(sha256=sha256).first()
    if draft is None:
        try:
            with transaction.atomic():
                draft = Draft.objects.create(
                    attempt=attempt,
                    scenario_version=version,
                    design=design,
                    sha256=sha256,
                    saved_at=now,
                )
        except IntegrityError:  # SQLite takes no row lock: an identical save won the race
            draft = drafts.get(sha256=sha256)
    if draft.saved_at != now:
        draft.saved_at = now
        draft.save(update_fields=["saved_at"])
    newest = drafts.order_by("-saved_at", "-id").values_list("pk", flat=True)
    drafts.exclude(pk__in=list(newest[: conf.drafts_kept_per_part()])).delete()
    return draft


def latest_drafts(attempt: Attempt) -> dict[int, dict]:
    drafts = {}
    for draft in Draft.objects.filter(attempt=attempt).order_by("saved_at", "id"):
        drafts[draft.scenario_version_id] = draft.design
    return drafts


def _validated(attempt: Attempt, designs: dict[int, dict]) -> dict[str, dict]:
    problems = []
    for version_id in attempt.scenario_version_ids:
        version = ScenarioVersion.objects.get(pk=version_id)
        design = designs.get(version_id)
        if design is None:
            problems.append(
                {
                    "scenario": version.scenario.slug,
                    "path": "$",
                    "message": "No design was saved for this scenario.",
                    "code": "missing",
                }
            )
            continue
        for error in engine.validate_design(design, pack_for_version(version)):
            problems.append({"scenario": version.scenario.slug, **error.to_dict()})
    if problems:
        raise InvalidRequest(
            "The design has problems; fix them and submit again (this did not use up the attempt).",
            code="invalid_design",
            errors=problems,
        )
    return {str(v): designs[v] for v in attempt.scenario_version_ids}


def attempt_submit(
    *, attempt: Attempt, designs: dict[int, dict] | None = None, actor=None, auto: bool = False
) -> Attempt:
    """Submit the attempt: validate every design, freeze them, and queue grading.

    An invalid design is returned with its error list and the attempt stays open. Two submits
    at once: the conditional UPDATE lets exactly one through; the other gets 409.
    """
    now = timezone.now()
    _open_for_work(attempt, now)
    submission = _validated(attempt, designs if designs is not None else latest_drafts(attempt))
    with transaction.atomic():
        won = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.SUBMITTED,
            submitted_at=now,
            submission=submission,
            auto_submitted=auto,
        )
        if not won:
            raise Conflict("This attempt was already submitted.", code="attempt_submitted")
        attempt.refresh_from_db()
        audit_record(
            actor=actor,
            action="attempt.auto_submitted" if auto else "attempt.submitted",
            target=attempt,
            data={v: design_sha256(d) for v, d in submission.items()},
        )
        grading_jobs_create(attempt=attempt)
    return attempt


def attempt_expire_if_due(*, attempt: Attempt, now=None) -> Attempt:
    """Expire the attempt now if its deadline (plus the submit grace) has passed: the periodic
    sweep does it for every attempt, and reading or restarting an attempt does it at once, so
    nobody ever sees an attempt in progress whose time is up, with or without a sweeper."""
    now = now or timezone.now()
    grace = timedelta(seconds=conf.submit_grace_seconds())
    if attempt.status == Attempt.Status.IN_PROGRESS and now > attempt.deadline + grace:
        return attempt_expire(attempt=attempt)
    return attempt


def attempt_expire(*, attempt: Attempt) -> Attempt:
    """At the deadline: submit the last drafts (policy 'submit', when they are valid) or mark
    the attempt abandoned. Safe to call twice."""
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return attempt
    if attempt.exam.on_deadline == Exam.OnDeadline.SUBMIT:
        drafts = latest_drafts(attempt)
        try:
            attempt.deadline = timezone.now()  # let the submit through the deadline check
            return attempt_submit(attempt=attempt, designs=drafts, auto=True)
        except DomainError:
            attempt.refresh_from_db()
    with transaction.atomic():
        if Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
            status=Attempt.Status.ABANDONED
        ):
            attempt.refresh_from_db()
            audit_record(
                actor=None,
                action="attempt.abandoned",
                target=attempt,
                reason="deadline passed without a valid design",
            )
    return attempt
