"""Grading quality in the demo (issue 12), through the quality services: calibration items with
agreed scores and the graders' calibration scores, an appeal decided and one pending, and the
figures the staff pages read (agreement, item statistics), computed as the workers would.

The dated parts are events of the cohort's timeline (``quality_events``); ``refresh_figures``
runs at the end, once every attempt is in.
"""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from assessments.models import Attempt, GradeReport, HumanScore
from demo.clock import at
from demo.cohort import Cohort
from demo.cohort_plan import CALIBRATION_DAYS, Consultant

# (grader, [(calibration item index, levels away from the agreed score)]), in the order scored:
# the latest QUALITY_CALIBRATION_SET_SIZE (3) decide whether a grader is calibrated.
CALIBRATION = [
    ("grader@practica.test", [(0, 0), (1, 0), (2, 0)]),
    ("second.grader@practica.test", [(1, 0), (2, 0), (3, 0)]),
    ("third.grader@practica.test", [(0, 1), (1, 0), (3, 0), (4, 0)]),
    ("drift.grader@practica.test", [(2, 1), (3, 0), (4, -1)]),
]


def _calibration_sources(run: Cohort) -> list[HumanScore]:
    """Five scored items, one or two marks that agreed, of different criteria and levels where
    possible, none from Contoso's candidates (the graders there may not see them)."""
    scored = (
        HumanScore.objects.filter(
            status=HumanScore.Status.SCORED,
            resolution__in=[HumanScore.Resolution.SINGLE, HumanScore.Resolution.AGREED],
            carried_over=False,
        )
        .exclude(
            report__attempt__candidate__memberships__organisation=run.firms["contoso-advisory"]
        )
        .select_related("report")
        .order_by("scored_at", "pk")
    )
    chosen, seen = [], set()
    for item in scored:
        if (item.checkpoint_id, item.points) not in seen:
            seen.add((item.checkpoint_id, item.points))
            chosen.append(item)
    rest = [i for i in scored if i not in chosen]
    return (chosen + rest)[:5]


def calibrate(run: Cohort) -> None:
    from quality.calibration import calibration_item_create, calibration_score
    from quality.calibration_models import CalibrationItem

    from .cohort import _levels

    if CalibrationItem.objects.exists():
        return
    admin = run.staff["admin@practica.test"]
    items = [
        calibration_item_create(
            source_item=source,
            agreed_points=source.points,
            actor=admin,
            notes="Agreed by the programme team against the level descriptors.",
        )
        for source in _calibration_sources(run)
    ]
    minutes = 30
    for email, plan in CALIBRATION:
        for index, away in plan:
            item = items[index % len(items)]
            levels = _levels(item.source_item)
            agreed = levels.index(item.agreed_points)
            level = min(max(agreed + away, 0), len(levels) - 1)
            if away and level == agreed:  # at the scale's end: step the other way
                level = agreed - away
            minutes += 25
            with at(timezone.now() + timedelta(minutes=minutes)):
                calibration_score(
                    item=item, grader=run.staff[email], points=levels[level], comment=""
                )


def _failed_attempt(run: Cohort, person: Consultant) -> Attempt:
    return Attempt.objects.filter(candidate=run.people[person.email]).order_by("-started_at")[0]


APPEALS = {
    "appeal-decided": (
        "My migration step is reviewed by the release manager, which I believe covers the "
        "database change; the failed checkpoint seems too strict. Please look at it again.",
        "The migration reaches production without a DBA's review (the path is in the report's "
        "evidence); a release manager's review is not the DBA review the brief requires. The "
        "decision stands.",
    ),
    "appeal-pending": (
        "My design sends every payment above the threshold to the AP manager; I believe the "
        "failed approval checkpoint misread my approval step. Please look at it again.",
        "",
    ),
}


def appeal(run: Cohort, person: Consultant, *, decide_after_days: float | None) -> None:
    """``person`` appeals their failed decision; with ``decide_after_days`` the assigned
    reviewer upholds it that many days later (the candidate is told by email)."""
    from quality.appeal_models import Appeal
    from quality.appeals import appeal_decide, appeal_file

    attempt = _failed_attempt(run, person)
    if Appeal.objects.filter(attempt=attempt).exists():
        return
    filed = appeal_file(
        attempt=attempt,
        candidate=run.people[person.email],
        reason=APPEALS[person.role][0],
    )
    if decide_after_days is None or filed.reviewer is None:
        return
    with at(timezone.now() + timedelta(days=decide_after_days)):
        appeal_decide(
            appeal=filed,
            reviewer=filed.reviewer,
            outcome=Appeal.Status.UPHELD,
            reason=APPEALS[person.role][1],
        )


def quality_events(run: Cohort, plan: list[Consultant]) -> list:
    cast = {c.role: c for c in plan if c.role}
    decided, pending = cast["appeal-decided"], cast["appeal-pending"]
    return [
        (run.moment(CALIBRATION_DAYS), -1, lambda: calibrate(run)),
        (
            run.moment(decided.sittings[-1].days - 4),
            -1,
            lambda: appeal(run, decided, decide_after_days=6),
        ),
        (
            run.moment(pending.sittings[-1].days - 5),
            -1,
            lambda: appeal(run, pending, decide_after_days=None),
        ),
    ]


def refresh_figures() -> None:
    """What the workers compute (agreement hourly, item statistics on request), computed now
    when missing or not covering every pair and report. Counts, not times: the cohort's marks
    and reports carry their own past dates."""
    from quality.agreement import pairs_of, report_compute, report_latest
    from quality.item_stats_models import ItemStatistics
    from quality.item_stats_services import item_stats_publish
    from scenarios.models import ScenarioVersion

    latest = report_latest()
    if latest is None or latest.pairs != len(pairs_of()):
        report_compute()
    decided = dict(
        GradeReport.objects.filter(job__regrade__isnull=True, decision__in=["pass", "fail"])
        .values_list("scenario_version_id")
        .annotate(n=Count("pk"))
    )
    covered = dict(ItemStatistics.objects.values_list("scenario_version_id", "attempts"))
    for version in ScenarioVersion.objects.filter(pk__in=decided):
        if covered.get(version.pk) != decided[version.pk]:
            item_stats_publish(version_id=version.pk)  # counted as each was decided


COLLISION_NOTE = (
    "Not a copy: the demo cohort's consultants build on a few shared pack designs, so their "
    "designs sit as close as copies would; dismissed as a reviewer would after reading both."
)


def review_cohort_collisions(admin) -> int:
    """Dismiss, through the review service (audited), every flagged pair except the cast copy.

    The cohort's designs are the packs' own designs with small variations, far closer to each
    other than independent people's work would be, so similarity detection rightly flags many
    of them. A real reviewer would dismiss those after comparing the two; the one pair left
    waiting is the renamed copy the demo casts. Returns how many were dismissed."""
    from demo.cohort_plan import cohort
    from quality.similarity_models import SimilarPair
    from quality.similarity_services import similarity_review

    cast = {c.role: c.email for c in cohort() if c.role in ("copier", "copied")}
    copy = {cast.get("copier"), cast.get("copied")}
    dismissed = 0
    flagged = SimilarPair.objects.filter(status=SimilarPair.Status.FLAGGED).select_related(
        "first__candidate", "second__candidate"
    )
    for pair in flagged:
        if {pair.first.candidate.email, pair.second.candidate.email} == copy:
            continue
        similarity_review(pair=pair, actor=admin, verdict="dismissed", note=COLLISION_NOTE)
        dismissed += 1
    return dismissed
