"""Modified-Angoff studies: the reads. Who may see which study, the panel's ratings per round,
their figures (``quality.angoff``) and the checkpoints' facility from item statistics."""

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from assessments.models import RegradeBatchItem
from config.errors import NotFound

from . import angoff
from .angoff_models import AngoffPanelist, AngoffRating, AngoffStudy
from .item_stats_models import ItemStatistics


def sd_flag() -> float:
    return float(getattr(settings, "QUALITY_ANGOFF_SD_FLAG", angoff.SD_FLAG))


def studies_for(*, user: User) -> QuerySet[AngoffStudy]:
    """Programme staff see every study; a panelist the studies they sit on; anyone else none."""
    studies = AngoffStudy.objects.select_related("scenario_version__scenario", "adopted_version")
    if user.is_programme_admin:
        return studies
    return studies.filter(panelists__user=user).distinct()


def study_for(*, user: User, study_id) -> AngoffStudy:
    """The study, if ``user`` may see it; ``NotFound`` otherwise (never confirming it exists)."""
    study = studies_for(user=user).filter(pk=study_id).first() if str(study_id).isdigit() else None
    if study is None:
        raise NotFound("No such study.", code="study_not_found")
    return study


def seat_of(study: AngoffStudy, user: User) -> AngoffPanelist | None:
    return AngoffPanelist.objects.filter(study=study, user=user).first()


def complete_ratings(study: AngoffStudy, round_: int) -> dict[int, dict[str, float]]:
    """{panelist seat id: {checkpoint: value}} for the seats that rated every non-critical
    checkpoint in ``round_`` (a submission is all or nothing, so this is everyone who rated)."""
    wanted = set(angoff.rated_ids(angoff.checkpoints_of(study.scenario_version.content)))
    by_seat: dict[int, dict[str, float]] = {}
    rows = AngoffRating.objects.filter(panelist__study=study, round=round_).values_list(
        "panelist_id", "checkpoint_id", "value"
    )
    for seat_id, checkpoint, value in rows:
        by_seat.setdefault(seat_id, {})[checkpoint] = value
    return {seat: values for seat, values in by_seat.items() if set(values) >= wanted}


def rater_labels(study: AngoffStudy, *, named: bool, viewer: User | None = None) -> dict:
    """{seat id: label}: names for staff; "Panelist 1", "Panelist 2"… (invitation order) for
    panelists, with their own seat called "You"."""
    labels = {}
    for number, seat in enumerate(study.panelists.select_related("user"), start=1):
        if named:
            labels[seat.pk] = seat.user.full_name or seat.user.email
        elif viewer is not None and seat.user_id == viewer.pk:
            labels[seat.pk] = "You"
        else:
            labels[seat.pk] = f"Panelist {number}"
    return labels


def summary_of(study: AngoffStudy, round_: int, labels: dict | None = None) -> dict:
    """``angoff.summarise`` of one round, raters keyed by ``labels`` (seat ids as text when
    none are given: the stored result never names anyone)."""
    checkpoints = angoff.checkpoints_of(study.scenario_version.content)
    ratings = complete_ratings(study, round_)
    keyed = {(labels or {}).get(seat, f"seat-{seat}"): values for seat, values in ratings.items()}
    summary = angoff.summarise(checkpoints, keyed, sd_flag=sd_flag())
    summary["round"] = round_
    return summary


def relabel(summary: dict, labels: dict) -> dict:
    """A stored result (raters as ``seat-<id>``) with the raters' labels."""

    def name(key: str) -> str:
        seat = key.removeprefix("seat-")
        return labels.get(int(seat), key) if seat.isdigit() else key

    out = dict(summary)
    out["rater_cuts"] = {name(k): v for k, v in summary["rater_cuts"].items()}
    out["checkpoints"] = [
        {**row, "ratings": {name(k): v for k, v in row["ratings"].items()}}
        for row in summary["checkpoints"]
    ]
    return out


def facility_of(study: AngoffStudy) -> dict:
    """The checkpoints' facility (percent of points earned, all candidates) from the item
    statistics of the study's version, or else the newest snapshot of the same scenario."""
    snapshot = (
        ItemStatistics.objects.filter(
            scenario_version__scenario_id=study.scenario_version.scenario_id,
            scenario_version__version__lte=study.scenario_version.version,
        )
        .select_related("scenario_version")
        .order_by("-scenario_version__version")
        .first()
    )
    if snapshot is None:
        return {"version": None, "attempts": 0, "checkpoints": {}}
    return {
        "version": snapshot.scenario_version.version,
        "attempts": snapshot.attempts,
        "checkpoints": {
            row["checkpoint"]: round(100 * row["facility"], 1)
            for row in snapshot.data.get("checkpoints", [])
            if row.get("facility") is not None
        },
    }


def study_view(*, study: AngoffStudy, user: User) -> dict:
    """What ``user`` sees of the study. Staff: every round with raters named. A panelist:
    their own ratings of the current round; the panel's round-1 figures (raters anonymised)
    once round 2 has started; the final figures once closed. Facility with the discussion."""
    staff = user.is_programme_admin
    labels = rater_labels(study, named=staff, viewer=user)
    seat = seat_of(study, user)
    mine = {}
    if seat is not None:
        mine = dict(
            AngoffRating.objects.filter(panelist=seat, round=study.round).values_list(
                "checkpoint_id", "value"
            )
        )
    rounds = {}
    for round_ in range(1, study.round + 1):
        in_discussion = round_ < study.round or study.status != AngoffStudy.Status.OPEN
        if staff or in_discussion:
            rounds[round_] = summary_of(study, round_, labels)
    final = relabel(study.result, labels) if study.result else None
    return {
        "staff": staff,
        "panelist": seat is not None,
        "checkpoints": angoff.checkpoints_of(study.scenario_version.content),
        "mine": mine,
        "rounds": rounds,
        "final": final,
        "facility": facility_of(study) if (staff or study.round > 1) else None,
        "panel": list(study.panelists.select_related("user")) if staff else [],
        "labels": labels,
        "current_cut": study.scenario_version.content["rubric"]["cut_score"],
    }


def preview_of(study: AngoffStudy) -> dict | None:
    """The adopted cut score's batch-regrade preview: its status, counts and the attempts
    whose outcome would flip (up to 50), read from assessments."""
    batch = study.regrade_batch
    if batch is None:
        return None
    Effect = RegradeBatchItem.Effect
    flips = (
        RegradeBatchItem.objects.filter(
            batch=batch, effect__in=[Effect.FAIL_TO_PASS, Effect.PASS_TO_FAIL]
        )
        .select_related("attempt__candidate")
        .order_by("effect", "id")[:50]
    )
    return {"batch": batch, "summary": batch.summary, "flips": list(flips)}
