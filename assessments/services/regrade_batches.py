"""A rubric fix across every attempt it touches: previewed first, applied after a person has
read what it would change.

1. ``regrade_batch_create``: the attempts are fixed (every submitted attempt that graded an
   older version of the scenario) and previewed in chunks by the grading workers.
2. ``regrade_batch_preview_chunk`` (a task per chunk, safe to run twice): each attempt's
   ``regrade_preview`` against the latest versions, and what it would do to the decision. The
   last chunk to finish records the counts.
3. ``regrade_batch_apply``: after reading the preview, staff apply it; a task requests an
   ordinary ``Regrade`` for each affected attempt (the decision hook then withdraws or issues
   credentials as the new decisions say). Attempts the fix does not touch are left alone.

The sweeper re-sends chunks and applies that stopped making progress (a lost message, a worker
that died); every step skips what is already done, so nothing is previewed or regraded twice.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audit.services import audit_record
from config.dispatch import send_after_commit
from config.errors import Conflict, InvalidRequest
from scenarios import engine
from scenarios.models import Scenario, ScenarioVersion

from ..models import Attempt, ExamScenario, GradingJob, RegradeBatch, RegradeBatchItem
from .regrades import regrade_preview, regrade_request

PREVIEW_CHUNK = "assessments.tasks.grade_regrade_batch_chunk"  # grade_*: the grading queue
APPLY_RUN = "assessments.tasks.regrade_batch_apply"
CHUNK_SIZE = 25
STALLED_AFTER = timedelta(minutes=10)
Effect = RegradeBatchItem.Effect


def _graded_by_another_engine(target: ScenarioVersion) -> set:
    """Attempts whose latest grading of the target version itself came from another engine
    version (an engine change is a fix too: scenarios/engine/CHANGELOG.md)."""
    latest = dict(
        GradingJob.objects.filter(scenario_version=target, status=GradingJob.Status.DONE)
        .order_by("requested_at")
        .values_list("attempt_id", "engine_version")
    )
    return {pk for pk, version in latest.items() if version and version != engine.ENGINE_VERSION}


def _population(target: ScenarioVersion) -> list[str]:
    """Submitted attempts that graded an older version of the target's scenario, or the target
    version with another engine version."""
    stale = _graded_by_another_engine(target)
    older = set(
        ScenarioVersion.objects.filter(
            scenario_id=target.scenario_id, version__lt=target.version
        ).values_list("pk", flat=True)
    )
    exams = ExamScenario.objects.filter(scenario_version__scenario_id=target.scenario_id)
    attempts = Attempt.objects.filter(
        exam_id__in=exams.values("exam_id"), status=Attempt.Status.SUBMITTED
    ).order_by("submitted_at", "pk")
    return [
        str(pk)
        for pk, version_ids in attempts.values_list("pk", "scenario_version_ids").iterator()
        if older.intersection(version_ids) or pk in stale
    ]


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]


def _send_chunks(batch_id, chunks: list[list[str]]) -> None:
    """After commit; a broker that is down leaves the batch to the sweeper, which re-sends its
    work once it has made no progress for ``STALLED_AFTER``."""
    for chunk in chunks:
        send_after_commit(PREVIEW_CHUNK, str(batch_id), chunk)


def _send_apply(batch_id) -> None:
    send_after_commit(APPLY_RUN, str(batch_id))


def regrade_batch_create(*, scenario: Scenario, actor, reason: str) -> RegradeBatch:
    """Fix the attempts a fix of ``scenario``'s rubric touches and start previewing them
    against its latest published version. One running batch per scenario."""
    if not reason.strip():
        raise InvalidRequest("Say what was fixed and why.", code="reason_required")
    target = ScenarioVersion.objects.filter(scenario=scenario).order_by("-version").first()
    if target is None:
        raise Conflict("This scenario has no published version.", code="scenario_unpublished")
    running = [RegradeBatch.Status.PREVIEWING, RegradeBatch.Status.APPLYING]
    with transaction.atomic():
        Scenario.objects.select_for_update().get(pk=scenario.pk)  # one creator at a time
        if RegradeBatch.objects.filter(scenario=scenario, status__in=running).exists():
            raise Conflict(
                "A batch regrade of this scenario is already running.", code="batch_running"
            )
        batch = RegradeBatch.objects.create(
            scenario=scenario,
            target_version=target,
            requested_by=actor,
            reason=reason,
            attempt_ids=_population(target),
        )
        audit_record(
            actor=actor,
            action="regrade_batch.requested",
            target=batch,
            reason=reason,
            data={"target_version": target.pk, "attempts": len(batch.attempt_ids)},
        )
        if batch.attempt_ids:
            _send_chunks(batch.pk, _chunks(batch.attempt_ids))
        else:
            _conclude_preview(batch)
    batch.refresh_from_db()
    return batch


def effect_of(preview: dict) -> str:
    """What applying would do to the attempt's decision, from its preview."""
    current, proposed = preview["current"], preview["proposed"]
    differs = (
        bool(preview["checkpoints_changed"])
        or current is None
        or current["outcome"] != proposed["outcome"]
        or current["critical_passed"] != proposed["critical_passed"]
        or abs(current["total"] - proposed["total"]) > 0.005
    )
    if not differs:
        return Effect.NONE
    if current is None or not proposed["conclusive"]:
        return Effect.INCONCLUSIVE
    if current["outcome"] != proposed["outcome"]:
        return Effect.FAIL_TO_PASS if proposed["outcome"] == "pass" else Effect.PASS_TO_FAIL
    return Effect.SCORE


def regrade_batch_preview_chunk(*, batch_id, attempt_ids: list[str]) -> int:
    """Preview the attempts of one chunk that have no item yet; returns how many it added."""
    batch = RegradeBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != RegradeBatch.Status.PREVIEWING:
        return 0
    done = {
        str(pk)
        for pk in batch.items.filter(attempt_id__in=attempt_ids).values_list(
            "attempt_id", flat=True
        )
    }
    added = 0
    todo = Attempt.objects.filter(pk__in=[a for a in attempt_ids if a not in done])
    for attempt in todo.select_related("exam__certification"):
        try:
            preview = regrade_preview(attempt=attempt, to_latest=True)
            effect = effect_of(preview)
        except engine.InvalidDesign as exc:  # the new version renamed what the design uses
            errors = [e.to_dict() for e in exc.errors][:3]
            preview = {"error": f"the design does not validate against the new version: {errors}"}
            effect = Effect.ERROR
        _, created = RegradeBatchItem.objects.get_or_create(
            batch=batch, attempt=attempt, defaults={"preview": preview, "effect": effect}
        )
        added += created
    RegradeBatch.objects.filter(pk=batch.pk).update(touched_at=timezone.now())
    _conclude_preview(batch)
    return added


def _conclude_preview(batch: RegradeBatch) -> None:
    """Once every attempt has its item: record the counts, once."""
    if batch.items.count() < len(batch.attempt_ids):
        return
    counts = dict(batch.items.values_list("effect").annotate(n=Count("id")).order_by())
    summary = {
        "attempts": len(batch.attempt_ids),
        **{effect: counts.get(effect, 0) for effect in Effect.values},
    }
    summary["affected"] = summary["attempts"] - summary[Effect.NONE] - summary[Effect.ERROR]
    with transaction.atomic():
        if RegradeBatch.objects.filter(pk=batch.pk, status=RegradeBatch.Status.PREVIEWING).update(
            status=RegradeBatch.Status.PREVIEWED, summary=summary, previewed_at=timezone.now()
        ):
            audit_record(actor=None, action="regrade_batch.previewed", target=batch, data=summary)


def regrade_batch_apply(*, batch: RegradeBatch, actor) -> RegradeBatch:
    """Apply a previewed batch: regrades are requested for its affected attempts, by a task."""
    with transaction.atomic():
        if not RegradeBatch.objects.filter(
            pk=batch.pk, status=RegradeBatch.Status.PREVIEWED
        ).update(status=RegradeBatch.Status.APPLYING, applied_by=actor, touched_at=timezone.now()):
            batch.refresh_from_db()
            raise Conflict(
                f"Only a previewed batch can be applied; this one is {batch.status}.",
                code="batch_not_previewed",
            )
        audit_record(actor=actor, action="regrade_batch.applied", target=batch, data={})
        _send_apply(batch.pk)
    batch.refresh_from_db()
    return batch


def regrade_batch_apply_run(*, batch_id) -> int:
    """Request a regrade for each affected attempt not yet done (safe to run twice: each
    request and its item are written together). Returns how many it requested."""
    batch = RegradeBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != RegradeBatch.Status.APPLYING:
        return 0
    pending = (
        batch.items.filter(regrade=None, skipped="")
        .exclude(effect__in=[Effect.NONE, Effect.ERROR])
        .select_related("attempt__exam__certification")
    )
    requested = 0
    for item in pending:
        try:
            with transaction.atomic():
                regrade = regrade_request(
                    attempt=item.attempt,
                    actor=batch.applied_by,
                    reason=f"{batch.reason} (batch regrade {batch.pk})",
                    to_latest=True,
                )
                RegradeBatchItem.objects.filter(pk=item.pk).update(regrade=regrade)
            requested += 1
        except Conflict as exc:  # a regrade of it is already running, say
            RegradeBatchItem.objects.filter(pk=item.pk).update(skipped=exc.message[:200])
        RegradeBatch.objects.filter(pk=batch.pk).update(touched_at=timezone.now())
    if RegradeBatch.objects.filter(pk=batch.pk, status=RegradeBatch.Status.APPLYING).update(
        status=RegradeBatch.Status.APPLIED, applied_at=timezone.now()
    ):
        audit_record(
            actor=None,
            action="regrade_batch.done",
            target=batch,
            data={"requested": batch.items.exclude(regrade=None).count()},
        )
    return requested


def regrade_batches_sweep() -> int:
    """Re-send the work of batches that stopped making progress; returns how many."""
    stalled = RegradeBatch.objects.filter(
        status__in=[RegradeBatch.Status.PREVIEWING, RegradeBatch.Status.APPLYING],
        touched_at__lt=timezone.now() - STALLED_AFTER,
    )[:20]
    for batch in stalled:
        with transaction.atomic():
            RegradeBatch.objects.filter(pk=batch.pk).update(touched_at=timezone.now())
            if batch.status == RegradeBatch.Status.APPLYING:
                _send_apply(batch.pk)
                continue
            done = {str(pk) for pk in batch.items.values_list("attempt_id", flat=True)}
            missing = [a for a in batch.attempt_ids if a not in done]
            if missing:
                _send_chunks(batch.pk, _chunks(missing))
            else:
                _conclude_preview(batch)
    return len(stalled)
