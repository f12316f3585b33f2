"""Demo certifications, exams and attempts, taken through the real pipeline (tasks run
in-process in the embedded default), so the demo shows graded reports, human scores, decisions
and issued credentials exactly as production would produce them."""

from django.db import transaction

from accounts.models import User
from assessments.models import Attempt, Certification, CertificationDecision, Exam, ExamScenario
from scenarios.engine import draw_variant, load_pack
from scenarios.engine.selftest import design_of
from scenarios.models import ScenarioVersion
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


def load_scenarios() -> None:
    from scenarios import engine

    for path in pack_paths():
        scenario_version_publish(pack=engine.load_pack(path))


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
        version = (
            ScenarioVersion.objects.filter(scenario__slug=pack_slug).order_by("-version").first()
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
            ExamScenario.objects.create(exam=exam, scenario_version=version, position=1)
        exams[pack_slug] = exam
    return exams


def _design(attempt: Attempt, pack_slug: str, name: str) -> dict:
    pack = load_pack(PACKS_DIR / pack_slug)
    return design_of(pack.resolve(draw_variant(pack, attempt.seed)), name)


def _sit(
    candidate: User, exam: Exam, pack_slug: str, design_name: str, grader: User | None
) -> Attempt:
    from assessments.services.attempts import attempt_autosave, attempt_start, attempt_submit
    from assessments.services.human_scoring import human_item_claim_next, human_item_score

    attempt, _ = attempt_start(candidate=candidate, exam=exam)
    design = _design(attempt, pack_slug, design_name)
    attempt_autosave(
        attempt=attempt, scenario_version_id=attempt.scenario_version_ids[0], design=design
    )
    if grader is None:
        return attempt  # left in progress
    with transaction.atomic():
        attempt_submit(attempt=attempt, actor=candidate)
    while (item := human_item_claim_next(grader=grader)) is not None:
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
    return attempt


def load_attempts(users: dict[str, User], exams: dict[str, Exam]) -> list[str]:
    """A passed exam with its credential, a failed one, and one in progress."""
    grader = users["grader@practica.test"]
    plan = [
        (
            "candidate@practica.test",
            "ap-invoice-processing",
            "agent-extraction-with-callback",
            grader,
        ),
        ("priya@practica.test", "support-triage-ai", "redact-triage-answer-with-handoff", grader),
        ("jonas@practica.test", "ap-invoice-processing", "sampled-approvals", grader),
        ("priya@practica.test", "software-delivery-coding-agent", "agent-pr-with-gates", None),
    ]
    for email, pack_slug, design_name, by in plan:
        exam = exams[pack_slug]
        if Attempt.objects.filter(candidate=users[email], exam=exam).exists():
            continue
        _sit(users[email], exam, pack_slug, design_name, by)
    lines = []
    passed = CertificationDecision.objects.filter(
        user=users["candidate@practica.test"], outcome="pass"
    ).first()
    credential = getattr(passed, "credential", None) if passed else None
    if credential is not None:
        lines.append(f"A demo credential: /credentials/{credential.pk}")
    return lines
