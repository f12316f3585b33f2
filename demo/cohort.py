"""The cohort, lived through the real services (issues 12 and 13): synthetic consultants join
their firms, sit the certification exams, are graded by the pipeline and by the demo's graders
(double marks, disagreements, adjudication), pass or fail, get credentials, and some leave.

Each event runs at its own date in the past (``demo.clock.at``), oldest first, so dates,
audit rows and signed credentials agree. Idempotent: an event that is already in the database
(the person, the membership, the n-th attempt at an exam, the leave) is skipped, so a second run
changes nothing.
"""

import copy
import itertools
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Membership, PartnerOrganisation, Role, User
from accounts.selectors import organisation_ids_of
from assessments.models import Attempt, Exam, HumanMark, HumanScore
from demo.clock import at
from demo.cohort_plan import CALIBRATION_DAYS, COHORT_FIRMS, EXEMPLAR, Consultant, Sitting, cohort
from demo.people import DEMO_PASSWORD
from scenarios.engine import draw_variant
from scenarios.engine.selftest import design_of
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version

# Graders the cohort adds to the two demo ones: a third, a little lenient (the agreement page
# flags them), and one whose marks drifted and who missed their recent calibration (so no live
# items until they pass it).
GRADERS = [
    ("third.grader@practica.test", "Tariq Third", "a lenient streak on the agreement page"),
    ("drift.grader@practica.test", "Dana Drift", "missed calibration: no live items for now"),
]
FIRST, SECOND, THIRD, DRIFT = (
    "grader@practica.test",
    "second.grader@practica.test",
    "third.grader@practica.test",
    "drift.grader@practica.test",
)
# The programme's first years double-marked more than today's 20 % (new graders, a new rubric):
# enough pairs for the agreement statistics to mean something.
DOUBLE_MARK_SHARE = 0.35
WATCHED = [
    "queue_age",
    "rework_rate",
    "first_pass_yield",
    "handling_time",
    "backlog",
    "sla_breaches",
]
WATCH_SETS = [list(c) for r in (1, 2) for c in itertools.combinations(WATCHED, r)]


def firms() -> dict[str, PartnerOrganisation]:
    found = {}
    for slug, name, region, *_ in COHORT_FIRMS:
        found[slug], _ = PartnerOrganisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "region": region}
        )
    return found


def graders() -> dict[str, User]:
    """The cohort's two extra graders (password as every demo login)."""
    found = {}
    for email, name, _ in GRADERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = accounts_services.user_create(
                email=email, full_name=name, password=DEMO_PASSWORD, role=Role.GRADER
            )
        found[email] = user
    return found


# --- designs -----------------------------------------------------------------------------------


def varied(design: dict, k: int) -> dict:
    """A small, harmless variation (the k-th of its scenario): one person's or system's step
    watches a few more metrics and the first escalation waits a little more or less. Different
    people's designs then differ as real ones do, so similarity detection flags only copies
    (its Weisfeiler-Lehman features spread one step's change to its neighbours)."""
    design = copy.deepcopy(design)
    steps = [s for s in design["steps"] if s.get("performer", {}).get("type") != "agent"]
    step = steps[k % len(steps)]
    extra = WATCH_SETS[(k // len(steps)) % len(WATCH_SETS)]
    step["metrics"] = sorted(set(step.get("metrics", [])) | set(extra))
    escalating = next((s for s in design["steps"] if "escalation" in s), None)
    if escalating:
        escalating["escalation"]["timeout_minutes"] = 60 + 30 * (k % 5)
    return design


def renamed(design: dict) -> dict:
    """The same design with every step id renamed and the steps in another order: what a copy
    made to look different looks like."""
    ids = {s["id"]: f"s{n}-{s['id'][::-1]}" for n, s in enumerate(design["steps"])}

    def swap(value):
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return ids.get(value, value) if isinstance(value, str) else value

    copied = swap(design)
    copied["steps"] = list(reversed(copied["steps"]))
    copied["title"] = "My redesign of invoice processing"
    return copied


def _design(attempt: Attempt, sitting: Sitting, k: int, rng: random.Random) -> dict:
    version = ScenarioVersion.objects.get(pk=attempt.scenario_version_ids[0])
    if sitting.copy_of:
        source = (
            Attempt.objects.filter(candidate__email=sitting.copy_of, exam=attempt.exam)
            .exclude(submission={})
            .order_by("submitted_at")
            .first()
        )
        return renamed(source.submission[str(version.pk)])
    pack = pack_for_version(version)
    data = pack.resolve(draw_variant(pack, attempt.seed))
    name = sitting.design
    if not name:
        entries = data["exemplars"] if sitting.kind == EXEMPLAR else data["flawed"]
        name = rng.choice(entries)["name"]
    return varied(design_of(data, name), k)


# --- human scoring -----------------------------------------------------------------------------


def _levels(item: HumanScore) -> list[float]:
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    return sorted(float(level["points"]) for level in cp["evidence"]["levels"])


COMMENTS = [
    "No reasoning about the controls.",
    "Names the controls; the residual risk is not discussed.",
    "Each control is tied to the risk it addresses; residual risks are monitored.",
]


class Marking:
    """How the demo's graders mark: each reads the rationale's level (``Sitting.writing``),
    now and then one level off; the third grader is lenient (one level higher, a third of the
    time), which the agreement page flags. A sitting cast with ``double`` ends its second
    marks as cast."""

    def __init__(self, staff: dict[str, User], rng: random.Random):
        self.staff, self.rng = staff, rng

    def markers(self, candidate: User, turn: int, sitting: Sitting) -> list[User]:
        """Who marks, first and second. Ordinarily the two demo graders; for Contoso's
        candidates (the first grader's own firm) the second and the third. The cast
        disagreements are the third grader's with the one who drifted (before calibration
        caught them), or, since, the first grader's with the third."""
        if sitting.double:
            emails = [THIRD, DRIFT] if sitting.days > CALIBRATION_DAYS else [FIRST, THIRD]
            return [self.staff[e] for e in emails]
        mine = organisation_ids_of(user=candidate)
        emails = (
            [SECOND, THIRD]
            if mine & organisation_ids_of(user=self.staff[FIRST])
            else [FIRST, SECOND]
        )
        return [self.staff[e] for e in (emails if turn % 2 else emails[::-1])]

    def read(self, grader: User, writing: int, top: int) -> int:
        level = min(writing, top)
        roll = self.rng.random()
        if grader.email == THIRD and roll < 0.35:
            return min(top, level + 1)
        if roll > 0.96:
            return level - 1 if level > 0 else level + 1
        return level

    @staticmethod
    def cast(first: int, top: int, double: str) -> int:
        if double in ("adjudicated", "open") and top >= 2:
            return 0 if first >= 1 else top  # two levels apart
        return first - 1 if first > 0 else first + 1

    def score(self, attempt: Attempt, sitting: Sitting, turn: int) -> None:
        from assessments.services.human_scoring import human_item_claim, human_item_score

        order = self.markers(attempt.candidate, turn, sitting)
        for _ in range(6):  # first marks, then second marks (sampled or borderline)
            items = list(
                HumanScore.objects.filter(report__attempt=attempt, status=HumanScore.Status.OPEN)
                .select_related("report")
                .order_by("pk")
            )
            if not items:
                break
            for item in items:
                marks = {m.grader_id: m.points for m in HumanMark.objects.filter(item=item)}
                grader = next(g for g in order if g.pk not in marks)
                levels = _levels(item)
                top = len(levels) - 1
                if sitting.double and marks:
                    first = levels.index(next(iter(marks.values())))
                    level = self.cast(first, top, sitting.double)
                elif sitting.double:
                    level = min(sitting.writing, top)
                else:
                    level = self.read(grader, sitting.writing, top)
                held = human_item_claim(item=item, grader=grader)
                human_item_score(
                    item=held,
                    grader=grader,
                    points=levels[level],
                    comment=COMMENTS[min(level, len(COMMENTS) - 1)],
                )
        if sitting.double != "open":
            self.adjudicate(attempt, sitting)

    def adjudicate(self, attempt: Attempt, sitting: Sitting) -> None:
        from assessments.services.adjudication import item_adjudicate

        disputed = HumanScore.objects.filter(
            report__attempt=attempt, status=HumanScore.Status.DISPUTED
        ).select_related("report")
        if not disputed.exists():
            return
        with at(timezone.now() + timedelta(days=1)):
            for item in disputed:
                levels = _levels(item)
                item_adjudicate(
                    item=item,
                    adjudicator=self.staff["admin@practica.test"],
                    points=levels[min(sitting.writing, len(levels) - 1)],
                    comment="Read against the level descriptors: the first mark stands closer.",
                )


# --- the timeline ------------------------------------------------------------------------------


class Cohort:
    """Runs the plan's events in date order (see the module docstring)."""

    def __init__(self, users: dict[str, User], exams: dict[str, Exam], now: datetime):
        self.now, self.exams = now, exams
        self.firms = firms()
        self.staff = {**users, **graders()}
        self.rng = random.Random(7)
        self.marking = Marking(self.staff, random.Random(11))
        self.password = None
        self.people: dict[str, User] = {}
        self.turn = itertools.count()
        self.variation = {slug: itertools.count() for slug in exams}

    def moment(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def events(self, plan: list[Consultant]) -> list[tuple[datetime, int, Callable]]:
        out = []
        for n, c in enumerate(plan):
            out.append((self.moment(c.joined), n, lambda c=c: self.join(c)))
            for i, s in enumerate(c.sittings):
                out.append((self.moment(s.days), n, lambda c=c, s=s, i=i: self.sit(c, s, i)))
            if c.left is not None:
                out.append((self.moment(c.left), n, lambda c=c: self.leave(c)))
        return out

    def join(self, c: Consultant) -> None:
        user = User.objects.filter(email=c.email).first()
        if user is None:
            self.password = self.password or make_password(DEMO_PASSWORD)
            user = accounts_services.user_create(
                email=c.email, full_name=c.name, password=None, region=c.region
            )
            # One hash for the whole cohort: hashing 60 passwords would cost half a minute.
            user.password = self.password
            user.save(update_fields=["password"])
        self.people[c.email] = user
        if not Membership.objects.filter(user=user, organisation=self.firms[c.firm]).exists():
            accounts_services.membership_join(
                user=user, organisation=self.firms[c.firm], actor=user
            )

    def sit(self, c: Consultant, sitting: Sitting, ordinal: int) -> None:
        from assessments.services.attempts import attempt_autosave, attempt_start, attempt_submit

        user, exam = self.people[c.email], self.exams[sitting.pack]
        k, turn = next(self.variation[sitting.pack]), next(self.turn)
        rng = random.Random(f"{c.email}/{ordinal}")
        if Attempt.objects.filter(candidate=user, exam=exam).count() > ordinal:
            return
        attempt, _ = attempt_start(candidate=user, exam=exam)
        design = _design(attempt, sitting, k, rng)
        attempt_autosave(
            attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
        )
        if not sitting.submit:
            return
        share = 1.0 if sitting.double else DOUBLE_MARK_SHARE
        with (
            at(timezone.now() + timedelta(minutes=rng.uniform(50, 140))),
            override_settings(HUMAN_SCORING_DOUBLE_MARK_SHARE=share),
        ):
            with transaction.atomic():
                attempt_submit(attempt=attempt, actor=user)
            if sitting.scored:
                with at(timezone.now() + timedelta(hours=rng.uniform(3, 20))):
                    self.marking.score(attempt, sitting, turn)

    def leave(self, c: Consultant) -> None:
        from partners.services import membership_leave_own

        membership = Membership.objects.filter(
            user=self.people[c.email], organisation=self.firms[c.firm], left_at__isnull=True
        ).first()
        if membership is not None:
            membership_leave_own(membership=membership, user=membership.user)


def load_cohort(users: dict[str, User], exams: dict[str, Exam], *, extra_events=None) -> Cohort:
    """Live the cohort's plan (and ``extra_events(cohort)``: more dated events, e.g. the quality
    and partner stories) in date order. Returns the cohort, whose ``people`` maps e-mails to
    users."""
    run = Cohort(users, exams, timezone.now())
    plan = cohort()
    events = run.events(plan)
    if extra_events is not None:
        events += extra_events(run, plan)
    for moment, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        if moment >= run.now:
            event()  # the present: no travel
        else:
            with at(moment):
                event()
    return run
