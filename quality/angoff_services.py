"""Modified-Angoff studies: the writes (docs/quality/standard-setting.md).

A programme admin opens a study on a scenario version and invites panelists (graders and
programme staff). Panelists rate blind in round 1; the admin starts round 2 (each panelist's
round-1 ratings are carried into it, and everyone now sees the panel's round-1 ratings and the
checkpoints' facility) and then closes the study, which freezes the final round's figures. Adoption:
``angoff_adoption.py``. Every change is audited."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from audit.services import audit_record
from config.errors import Conflict, Forbidden, InvalidRequest, NotFound
from scenarios.models import ScenarioVersion
from scenarios.selectors import is_practice

from . import angoff
from .angoff_models import AngoffPanelist, AngoffRating, AngoffStudy
from .angoff_selectors import complete_ratings, summary_of

PANEL_ROLES = (Role.GRADER, Role.PROGRAMME_ADMIN)


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
