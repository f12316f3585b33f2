"""Modified-Angoff studies: the writes (docs/quality/standard-setting.md).

A programme admin opens a study on a scenario version and invites panelists (graders and
programme staff). Panelists rate blind in round 1; the admin starts round 2 (each panelist's
round-1 ratings are carried into it, and everyone now sees the panel's round-1 ratings and the
checkpoints' facility) and then closes the study, which freezes the final round's figures. A
programme admin adopts a closed study with at least ``QUALITY_ANGOFF_MIN_RATERS`` raters: the
scenario's next version is published with the study's cut score and a batch-regrade preview of
its effect is started, nothing applied. Every change is audited; adopting twice does nothing the
second time."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments.models import RegradeBatch
from assessments.services.regrade_batches import regrade_batch_create
from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound
from scenarios.models import ScenarioVersion
from scenarios.selectors import is_practice
from scenarios.services import PublishRefused, scenario_version_with_cut_score

from . import angoff
from .angoff_models import AngoffPanelist, AngoffRating, AngoffStudy
from .angoff_selectors import complete_ratings, summary_of

PANEL_ROLES = (Role.GRADER, Role.PROGRAMME_ADMIN)
METHOD = "modified-angoff"


def min_raters() -> int:
    return max(1, int(getattr(settings, "QUALITY_ANGOFF_MIN_RATERS", 3)))  # never a cut from nobody


def _staff_only(actor: User) -> None:
    if not actor.is_programme_admin:
        raise Forbidden("Only programme staff run standard-setting studies.", code="staff_only")


def _locked(study: AngoffStudy) -> AngoffStudy:
    return AngoffStudy.objects.select_for_update().get(pk=study.pk)


def _require_open(study: AngoffStudy) -> None:
    if study.status != AngoffStudy.Status.OPEN:
        raise Conflict(f"The study is {study.status}; it no longer changes.", code="study_not_open")


def angoff_study_create(*, scenario_version: ScenarioVersion, title: str, actor) -> AngoffStudy:
    """Open a study of ``scenario_version`` (round 1). Programme staff only."""
    _staff_only(actor)
    if is_practice(scenario_version):
        raise InvalidRequest(
            "A practice scenario decides nothing: it has no standard to set.",
            code="practice_scenario",
        )
    title = title.strip() or f"{scenario_version.title} v{scenario_version.version}"
    with transaction.atomic():
        study = AngoffStudy.objects.create(
            scenario_version=scenario_version, title=title[:200], created_by=actor
        )
        audit_record(
            actor=actor,
            action="angoff_study.created",
            target=study,
            data={"scenario_version": scenario_version.pk},
        )
    return study


def angoff_panelist_invite(*, study: AngoffStudy, user: User, actor) -> AngoffPanelist:
    """Seat ``user`` on the panel (a grader or programme staff); seating them again returns
    the same seat."""
    _staff_only(actor)
    if user.role not in PANEL_ROLES and not user.is_programme_admin:
        raise InvalidRequest(
            "Panelists are graders or programme staff.", code="not_a_panelist_role"
        )
    with transaction.atomic():
        study = _locked(study)
        _require_open(study)
        seat, created = AngoffPanelist.objects.get_or_create(
            study=study, user=user, defaults={"invited_by": actor}
        )
        if created:
            audit_record(
                actor=actor,
                action="angoff_study.panelist_invited",
                target=study,
                data={"user": user.pk},
            )
    return seat


def angoff_ratings_submit(*, study: AngoffStudy, user: User, ratings: object) -> AngoffStudy:
    """Record ``user``'s ratings for the study's current round, replacing what they gave
    before in this round. Every non-critical checkpoint, each 0-100; someone not on the panel
    gets ``NotFound`` (the study is not theirs to see)."""
    with transaction.atomic():
        study = _locked(study)
        seat = AngoffPanelist.objects.filter(study=study, user=user).first()
        if seat is None and user.is_programme_admin:  # staff see the study, but do not rate it
            raise Forbidden("You are not on this study's panel.", code="not_on_panel")
        if seat is None:
            raise NotFound("No such study.", code="study_not_found")
        _require_open(study)
        checkpoints = angoff.checkpoints_of(study.scenario_version.content)
        problems = angoff.ratings_problems(checkpoints, ratings)
        if problems:
            raise InvalidRequest(
                "Rate every non-critical checkpoint from 0 to 100.",
                code="invalid_ratings",
                errors=problems,
            )
        values = {key: float(ratings[key]) for key in angoff.rated_ids(checkpoints)}
        AngoffRating.objects.filter(panelist=seat, round=study.round).delete()
        now = timezone.now()
        AngoffRating.objects.bulk_create(
            AngoffRating(
                panelist=seat, round=study.round, checkpoint_id=key, value=value, rated_at=now
            )
            for key, value in values.items()
        )
        audit_record(
            actor=user,
            action="angoff_study.rated",
            target=study,
            data={"round": study.round, "ratings": values},
        )
    return study


def angoff_round_two_start(*, study: AngoffStudy, actor) -> AngoffStudy:
    """Round 1 → discussion and round 2. Each panelist's round-1 ratings are carried into round
    2 (changing them is the point, keeping them is allowed). Needs at least one rater."""
    _staff_only(actor)
    with transaction.atomic():
        study = _locked(study)
        _require_open(study)
        if study.round != 1:
            raise Conflict("Round 2 has started already.", code="round_two_started")
        first = complete_ratings(study, 1)
        if not first:
            raise Conflict("Nobody has rated yet.", code="no_ratings")
        AngoffRating.objects.bulk_create(
            AngoffRating(panelist_id=seat_id, round=2, checkpoint_id=key, value=value)
            for seat_id, values in first.items()
            for key, value in values.items()
        )
        AngoffStudy.objects.filter(pk=study.pk).update(round=2)
        audit_record(actor=actor, action="angoff_study.round_two", target=study)
    study.refresh_from_db()
    return study


def angoff_study_close(*, study: AngoffStudy, actor) -> AngoffStudy:
    """Freeze the ratings: the final round's figures are stored in ``result``."""
    _staff_only(actor)
    with transaction.atomic():
        study = _locked(study)
        _require_open(study)
        result = summary_of(study, study.round)
        AngoffStudy.objects.filter(pk=study.pk).update(
            status=AngoffStudy.Status.CLOSED, closed_at=timezone.now(), result=result
        )
        audit_record(
            actor=actor,
            action="angoff_study.closed",
            target=study,
            data={"round": study.round, "raters": result["raters"], "cut": result["cut_score"]},
        )
    study.refresh_from_db()
    return study


def angoff_study_discard(*, study: AngoffStudy, actor, reason: str) -> AngoffStudy:
    """Drop an open or closed study (never an adopted one). A reason is required."""
    _staff_only(actor)
    if not reason.strip():
        raise InvalidRequest("Say why the study is discarded.", code="reason_required")
    with transaction.atomic():
        study = _locked(study)
        if study.status not in (AngoffStudy.Status.OPEN, AngoffStudy.Status.CLOSED):
            raise Conflict(f"The study is {study.status}.", code="study_not_discardable")
        AngoffStudy.objects.filter(pk=study.pk).update(
            status=AngoffStudy.Status.DISCARDED, ended_reason=reason.strip()
        )
        audit_record(actor=actor, action="angoff_study.discarded", target=study, reason=reason)
    study.refresh_from_db()
    return study


def angoff_study_adopt(*, study: AngoffStudy, actor) -> AngoffStudy:
    """Adopt a closed study's cut score: publish the scenario's next version with it (self-
    tested) and start a batch-regrade preview of its effect (applied only when staff say so).

    Idempotent: an adopted study is returned as it is. Refuses (``Conflict``) a study that is
    not closed, one with fewer than ``QUALITY_ANGOFF_MIN_RATERS`` raters in its final round, one
    whose version is no longer the latest, and a cut score the rubric's self-test refuses."""
    _staff_only(actor)
    with transaction.atomic():
        study = _locked(study)
        if study.status == AngoffStudy.Status.ADOPTED:
            return study
        if study.status != AngoffStudy.Status.CLOSED:
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
        cut = study.result["cut_score"]
        basis = {"method": METHOD, "study": str(study.pk), "raters": raters}
        try:
            version = scenario_version_with_cut_score(
                version=study.scenario_version, cut_score=cut, basis=basis, actor=actor
            )
        except PublishRefused as refused:
            raise Conflict(
                f"The new version was refused: {refused}",
                code="cut_score_refused",
                errors=refused.details,
            ) from refused
        batch = _preview_batch(study, version, actor)
        AngoffStudy.objects.filter(pk=study.pk).update(
            status=AngoffStudy.Status.ADOPTED,
            adopted_by=actor,
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


def _preview_batch(study: AngoffStudy, version: ScenarioVersion, actor) -> RegradeBatch | None:
    """The batch-regrade preview of the new version; None when another batch of the scenario
    is still running (the study page then offers to start it later)."""
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
