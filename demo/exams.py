"""Demo certifications, exams and attempts, taken through the real pipeline (tasks run
in-process in the embedded default), so the demo shows graded reports, human scores, decisions
and issued credentials exactly as production would produce them."""

import copy
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import (
    Attempt,
    Certification,
    CertificationDecision,
    Exam,
    ExamScenario,
    HumanScore,
)
from scenarios.engine import draw_variant, load_pack
from scenarios.engine.selftest import design_of
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version
from scenarios.services import PACKS_DIR, pack_paths, scenario_version_publish

BLUEPRINT = [
    {"id": "process-design", "name": "Process design", "weight": 0.2},
    {"id": "human-oversight", "name": "Human oversight", "weight": 0.2},
    {"id": "risk-controls", "name": "Risk and controls", "weight": 0.2},
    {"id": "systems-integration", "name": "Systems and permissions", "weight": 0.1},
    {"id": "measurement", "name": "Measurement", "weight": 0.1},
    {"id": "operating-model", "name": "Operating model and ownership", "weight": 0.1},
    {"id": "change-management", "name": "Change management", "weight": 0.1},
]

# certification slug, name, scenario pack
SPECIALISMS = [
    (
        "finance-operations-specialist",
        "AI Deployment Specialist: Finance Operations",
        "ap-invoice-processing",
    ),
    (
        "customer-service-specialist",
        "AI Deployment Specialist: Customer Service",
        "support-triage-ai",
    ),
    (
        "software-delivery-specialist",
        "AI Deployment Specialist: Software Delivery with Coding Agents",
        "software-delivery-coding-agent",
    ),
]


# The accounts-payable scenario as first published: its monitoring checkpoint asked for a
# metric the brief never mentions, so every design lost monitoring points. The shipped pack is
# the fixed version; the demo's first attempts were graded on this one, so a batch regrade of
# the scenario has attempts to preview (and an effect to show).
OLDER_AP_FLAW = "supplier_satisfaction"


def older_ap_pack():
    from scenarios import engine

    data = copy.deepcopy(load_pack(PACKS_DIR / "ap-invoice-processing").data)
    data["version"] -= 1
    for cp in data["rubric"]["checkpoints"]:
        if cp["id"] == "monitoring":
            cp["params"]["metrics"].append(OLDER_AP_FLAW)
    return engine.parse_pack(data)


def load_scenarios() -> None:
    from scenarios import engine

    scenario_version_publish(pack=older_ap_pack())
    for path in pack_paths():
        scenario_version_publish(pack=engine.load_pack(path))


def _latest(pack_slug: str) -> ScenarioVersion:
    return ScenarioVersion.objects.filter(scenario__slug=pack_slug).order_by("-version").first()


def load_exams() -> dict[str, Exam]:
    exams = {}
    for slug, name, pack_slug in SPECIALISMS:
        certification, _ = Certification.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "level": "specialist",
                "blueprint": BLUEPRINT,
                "cut_score": 70,
                "validity_days": 730,
                "description": f"Certifies applied judgment in redesigning workflows with AI agents ({name.split(': ')[1]}).",
                "criteria": "Passed a timed scenario exam: the redesigned workflow passed every critical "
                "checkpoint and reached a weighted total of at least 70%, including human-scored rationale.",
            },
        )
        exam, created = Exam.objects.get_or_create(
            slug=f"{pack_slug}-exam",
            defaults={
                "title": f"{name} exam",
                "certification": certification,
                "time_limit_minutes": 150,
            },
        )
        if created:
            ExamScenario.objects.create(exam=exam, scenario_version=_latest(pack_slug), position=1)
        exams[pack_slug] = exam
    return exams


def _design(attempt: Attempt, pack_slug: str, name: str) -> dict:
    version = ScenarioVersion.objects.get(pk=attempt.scenario_version_ids[0])
    pack = pack_for_version(version)
    return design_of(pack.resolve(draw_variant(pack, attempt.seed)), name)


def _sit(candidate: User, exam: Exam, design_name: str, *, submit: bool, grader: User | None):
    """Start, save a design, and (``submit``) submit it; ``grader`` scores every item they may."""
    from assessments.services.attempts import attempt_autosave, attempt_start, attempt_submit
    from assessments.services.human_scoring import human_item_claim_next, human_item_score

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = _design(attempt, exam.parts.get().scenario_version.scenario.slug, design_name)
    attempt_autosave(
        attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
    )
    if not submit:
        return attempt  # left in progress
    with transaction.atomic():
        attempt_submit(attempt=attempt, actor=candidate)
    while grader is not None and (item := human_item_claim_next(grader=grader)) is not None:
        cp = next(
            c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id
        )
        top = max(level["points"] for level in cp["evidence"]["levels"])
        human_item_score(
            item=item,
            grader=grader,
            points=float(top),
            comment="Clear reasoning tied to the risks.",
        )
    if grader is not None:
        _second_marks(attempt)
    return attempt


SECOND_GRADER = "second.grader@practica.test"


def _second_marks(attempt: Attempt) -> None:
    """Double marking (docs/quality/grading.md): the second grader marks this attempt's items
    that wait for a second mark, one level lower than the first on every other item, so that
    the agreement page has agreed and averaged pairs to show."""
    from assessments.models import HumanScore
    from assessments.services.human_scoring import human_item_claim, human_item_score

    second = User.objects.filter(email=SECOND_GRADER).first()
    waiting = HumanScore.objects.filter(
        report__attempt=attempt, status=HumanScore.Status.OPEN, marks__kind="first"
    ).exclude(marks__grader=second)
    for item in waiting if second else []:
        first = item.marks.get(kind="first").points
        cp = next(
            c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id
        )
        levels = sorted(float(level["points"]) for level in cp["evidence"]["levels"])
        lower = levels[max(0, levels.index(float(first)) - 1)]
        held = human_item_claim(item=item, grader=second)
        human_item_score(
            item=held,
            grader=second,
            points=first if item.pk % 2 else lower,
            comment="Second mark.",
        )


def _on_older_version(exam: Exam, pack_slug: str, sit) -> None:
    """Sit attempts on the scenario's older version, as they were before the fix was
    published, then move the exam to the latest version."""
    older = ScenarioVersion.objects.filter(scenario__slug=pack_slug).order_by("version").first()
    part = exam.parts.get()
    part.scenario_version = older
    part.save(update_fields=["scenario_version"])
    sit()
    part.scenario_version = _latest(pack_slug)
    part.save(update_fields=["scenario_version"])


def _overdue(attempt: Attempt) -> None:
    """Nobody may score this attempt (the only grader is from the candidate's firm): make its
    items as late as they would be three days on, so the sweep escalates them to staff."""
    from assessments.services.human_scoring import scoring_sweep

    HumanScore.objects.filter(report__attempt=attempt).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    scoring_sweep()


# What each demo account finds waiting (printed by `make run`; the README lists the same).
WAITING = {
    "candidate@practica.test": "a passed AP exam (on the older version) and its credential",
    "priya@practica.test": "the AP exam not yet taken (docs/exams/api-walkthrough.md)",
    "jonas@practica.test": "a failed AP exam; a support exam awaiting scoring (escalated)",
    "manager@practica.test": "two years of the firm's figures (/partners/northwind-partners/)",
    "grader@practica.test": "the walkthrough's items once Priya submits",
    SECOND_GRADER: "second marks of double-marked items (/quality/grading/)",
    "admin@practica.test": "an escalation, a batch regrade, figures on every /quality/ page",
}


def load_attempts(users: dict[str, User], exams: dict[str, Exam]) -> list[str]:
    """Something for every role: a passed exam with its credential and a failed one, both on
    the older AP version (a batch regrade's population); a passed support exam; a support exam
    nobody may score, escalated to staff; one in progress; the AP exam left for the
    walkthrough."""
    grader = users["grader@practica.test"]
    ap = exams["ap-invoice-processing"]

    def taken(email: str, exam: Exam) -> bool:
        return Attempt.objects.filter(candidate=users[email], exam=exam).exists()

    if not taken("candidate@practica.test", ap) and not taken("jonas@practica.test", ap):

        def sit_older() -> None:
            _sit(
                users["candidate@practica.test"],
                ap,
                "agent-extraction-with-callback",
                submit=True,
                grader=grader,
            )
            _sit(users["jonas@practica.test"], ap, "sampled-approvals", submit=True, grader=grader)

        _on_older_version(ap, "ap-invoice-processing", sit_older)
    support, delivery = exams["support-triage-ai"], exams["software-delivery-coding-agent"]
    if not taken("priya@practica.test", support):
        _sit(
            users["priya@practica.test"],
            support,
            "redact-triage-answer-with-handoff",
            submit=True,
            grader=grader,
        )
    if not taken("jonas@practica.test", support):
        unscored = _sit(
            users["jonas@practica.test"],
            support,
            "redact-triage-answer-with-handoff",
            submit=True,
            grader=None,
        )
        _overdue(unscored)
    if not taken("priya@practica.test", delivery):
        _sit(
            users["priya@practica.test"], delivery, "agent-pr-with-gates", submit=False, grader=None
        )
    from quality.agreement import report_compute, report_latest

    if report_latest() is None:
        report_compute()  # the agreement page's figures (a worker refreshes them hourly)
    lines = []
    passed = CertificationDecision.objects.filter(
        user=users["candidate@practica.test"], outcome="pass", reversed_at=None
    ).first()
    credential = getattr(passed, "credential", None) if passed else None
    if credential is not None:
        lines.append(f"A demo credential: /credentials/{credential.pk}")
    return lines
