"""Adopting a modified-Angoff study's cut score (docs/quality/standard-setting.md).

1. ``angoff_study_adopt`` (a programme admin): checks what can be checked at once (a closed
   study, enough raters, its version still the latest), marks it ``adopting`` and queues the
   work. Asking again changes nothing; asking about a study stuck in ``adopting`` for longer
   than ``STALLED_AFTER`` (a lost message, a dead worker) sends the work again.
2. ``angoff_adoption_run`` (the task, safe to run twice): publishes the scenario's next version
   with the study's cut score through the publishing service, whose rubric self-test takes
   seconds (why this is not done in the request), starts a batch-regrade preview of its effect
   (applied only when staff say so), and marks the study ``adopted``, in one transaction. A
   refused publication (the self-test, a version published meanwhile) puts the study back to
   ``closed`` with the problems, for staff to read.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import RegradeBatch
from assessments.services.regrade_batches import regrade_batch_create
from audit.services import audit_record
from config.dispatch import send_after_commit
from config.errors import Conflict, DomainError
from scenarios.models import ScenarioVersion
from scenarios.services import PublishRefused, scenario_version_with_cut_score

from .angoff_models import AngoffStudy
from .angoff_services import _locked, _staff_only, min_raters

TASK = "quality.tasks.angoff_adoption_run"
METHOD = "modified-angoff"
STALLED_AFTER = timedelta(minutes=10)
Status = AngoffStudy.Status


def angoff_study_adopt(*, study: AngoffStudy, actor) -> AngoffStudy:
    """Ask for a closed study's cut score to be adopted (see the module). Refuses
    (``Conflict``) a study that is not closed, one with fewer than ``QUALITY_ANGOFF_MIN_RATERS``
    raters in its final round, and one whose version is no longer the scenario's latest."""
    _staff_only(actor)
    with transaction.atomic():
        study = _locked(study)
        if study.status == Status.ADOPTED:
            return study
        if study.status == Status.ADOPTING:
            if study.adoption_requested_at < timezone.now() - STALLED_AFTER:
                AngoffStudy.objects.filter(pk=study.pk).update(adoption_requested_at=timezone.now())
                send_after_commit(TASK, study.pk)
            return study
        if study.status != Status.CLOSED:
            raise Conflict(
                f"Only a closed study can be adopted; this one is {study.status}.",
                code="study_not_closed",
            )
        raters, needed = study.result["raters"], min_raters()
        if raters < needed:
            raise Conflict(
                f"{raters} rater(s) in the final round; adoption needs at least {needed}.",
                code="too_few_raters",
            )
        version = study.scenario_version
        if ScenarioVersion.objects.filter(
            scenario_id=version.scenario_id, version__gt=version.version
        ).exists():
            raise Conflict(
                f"{version} is no longer the latest version: run the study on the latest.",
                code="version_superseded",
            )
        AngoffStudy.objects.filter(pk=study.pk).update(
            status=Status.ADOPTING,
            adopted_by=actor,
            adoption_requested_at=timezone.now(),
            adoption_problems=None,
        )
        audit_record(
            actor=actor,
            action="angoff_study.adoption_requested",
            target=study,
            data={"cut_score": study.result["cut_score"], "raters": raters},
        )
        send_after_commit(TASK, study.pk)
    study.refresh_from_db()
    return study


def angoff_adoption_run(*, study_id: int) -> AngoffStudy | None:
    """Publish the new version and start the preview (see the module); does nothing unless the
    study is ``adopting``."""
    with transaction.atomic():
        study = AngoffStudy.objects.select_for_update().filter(pk=study_id).first()
        if study is None or study.status != Status.ADOPTING:
            return study
        actor = study.adopted_by
        cut = study.result["cut_score"]
        basis = {"method": METHOD, "study": str(study.pk), "raters": study.result["raters"]}
        try:
            with transaction.atomic():
                version = scenario_version_with_cut_score(
                    version=study.scenario_version, cut_score=cut, basis=basis, actor=actor
                )
        except (PublishRefused, DomainError) as refused:
            _refused(study, refused)
            return study
        batch = _preview_batch(study, version, actor)
        AngoffStudy.objects.filter(pk=study.pk).update(
            status=Status.ADOPTED,
            adopted_at=timezone.now(),
            adopted_version=version,
            regrade_batch=batch,
        )
        audit_record(
            actor=actor,
            action="angoff_study.adopted",
            target=study,
            data={
                "cut_score": cut,
                "previous_cut_score": study.scenario_version.content["rubric"]["cut_score"],
                "new_version": version.pk,
                "regrade_batch": str(batch.pk) if batch else None,
            },
        )
    study.refresh_from_db()
    return study


def _refused(study: AngoffStudy, refused: Exception) -> None:
    if isinstance(refused, PublishRefused):
        problems = {
            "code": "cut_score_refused",
            "message": f"The new version was refused: {refused}",
            "details": refused.details,
        }
    else:
        problems = {"code": refused.code, "message": refused.message, "details": refused.errors}
    AngoffStudy.objects.filter(pk=study.pk).update(
        status=Status.CLOSED, adopted_by=None, adoption_problems=problems
    )
    audit_record(actor=None, action="angoff_study.adoption_refused", target=study, data=problems)


def _preview_batch(study: AngoffStudy, version: ScenarioVersion, actor) -> RegradeBatch | None:
    """The batch-regrade preview of the new version; None when another batch of the scenario
    is still running (the study page then says to request one later)."""
    previous = study.scenario_version.content["rubric"]["cut_score"]
    reason = (
        f"Cut score {previous} → {version.content['rubric']['cut_score']} "
        f"(modified-Angoff study {study.pk})"
    )
    try:
        with transaction.atomic():
            return regrade_batch_create(scenario=version.scenario, actor=actor, reason=reason)
    except Conflict:
        return None
