"""What the candidate's pages show, assembled from the assessments and certification selectors.
Nothing here writes; nothing here decides a rule that the services do not also enforce."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from assessments import selectors as exams
from assessments.models import Attempt, Exam
from certification.models import Credential
from scenarios.engine import draw_variant
from scenarios.models import ScenarioVersion
from scenarios.selectors import METRIC_LABELS, pack_for_version, resources_of

from .charts import chart_data

EXPIRING_WITHIN = timedelta(days=90)


@dataclass(frozen=True)
class ExamRules:
    """An exam's rules as they apply to one candidate now, stated before they start."""

    exam: Exam
    time_limit_minutes: int
    attempts_used: int
    attempts_left: int
    window_days: int
    cooldown_until: datetime | None
    missing_prerequisites: list[str]
    in_progress: Attempt | None

    @property
    def can_start(self) -> bool:
        return (
            self.exam.is_active
            and self.attempts_left > 0
            and self.cooldown_until is None
            and not self.missing_prerequisites
        )

    @property
    def blocked_because(self) -> str:
        if not self.exam.is_active:
            return "This exam is not open for attempts."
        if self.missing_prerequisites:
            return f"You need {', '.join(self.missing_prerequisites)} first."
        if self.attempts_left <= 0:
            return (
                f"You have used all {self.exam.max_attempts} attempts in {self.window_days} days."
            )
        if self.cooldown_until:
            return f"You can retake this exam from {self.cooldown_until:%d %b %Y %H:%M} UTC."
        return ""


def exam_rules(*, candidate, exam: Exam, now: datetime | None = None) -> ExamRules:
    """The same rules ``attempt_start`` enforces (prerequisites, attempts in the rolling window,
    cooldown after a fail), read for display."""
    now = now or timezone.now()
    standing = exams.exam_standing(candidate=candidate, exam=exam, now=now)
    used = standing["attempts_used"]
    return ExamRules(
        exam=exam,
        time_limit_minutes=exam.time_limit_minutes,
        attempts_used=used,
        attempts_left=max(0, exam.max_attempts - used),
        window_days=exam.window_days,
        cooldown_until=standing["cooldown_until"],
        missing_prerequisites=standing["missing_prerequisites"],
        in_progress=standing["attempts"]
        .filter(status=Attempt.Status.IN_PROGRESS, deadline__gt=now)
        .first(),
    )


def credential_state(credential: Credential, now: datetime) -> str:
    if credential.revoked_at:
        return "revoked"
    if credential.suspended_at:
        return "suspended"
    if credential.valid_until <= now:
        return "expired"
    if credential.valid_until <= now + EXPIRING_WITHIN:
        return "expiring"
    return "active"


def home(*, user, now: datetime | None = None) -> dict:
    """The candidate's home: certifications earned (with their credential links), attempts in
    progress and awaiting results, exams they can take with their rules, and what expires."""
    now = now or timezone.now()
    credentials = [
        {"credential": c, "state": credential_state(c, now)}
        for c in Credential.objects.filter(holder=user)
        .select_related("certification")
        .order_by("-issued_at")
    ]
    attempts = list(
        exams.attempts_for_user(user=user).filter(candidate=user).order_by("-started_at")[:20]
    )
    in_progress = [
        a for a in attempts if a.status == Attempt.Status.IN_PROGRESS and a.deadline > now
    ]
    finished = [
        {"attempt": a, "status": exams.grading_status(attempt=a)}
        for a in attempts
        if a.status != Attempt.Status.IN_PROGRESS
    ]
    return {
        "credentials": credentials,
        "expiring": [c for c in credentials if c["state"] == "expiring"],
        "in_progress": in_progress,
        "finished": finished,
        "exams": [exam_rules(candidate=user, exam=e, now=now) for e in exams.open_exams()],
    }


def case_mix(cases: dict) -> list[dict]:
    """The case attributes in words: what share is true, which values and how often, the median."""
    mix = []
    for name, spec in (cases.get("attributes") or {}).items():
        dist = spec.get("dist")
        if dist == "bernoulli":
            text = f"true for {float(spec['p']) * 100:.0f}% of cases"
        elif dist == "categorical":
            text = ", ".join(f"{v} {float(p) * 100:.0f}%" for v, p in spec["values"].items())
        elif "median" in spec:
            text = f"median {spec['median']:,}"
            if "min" in spec and "max" in spec:
                text += f" (from {spec['min']:,} to {spec['max']:,})"
        else:
            text = ""
        mix.append({"name": name, "text": text})
    return mix


def room(*, attempt: Attempt) -> dict:
    """Everything the exam room shows: each scenario's brief with the attempt's own numbers,
    today's workflow, the resources, and the editor's configuration (URLs, drafts, deadline)."""
    view = exams.attempt_view(attempt)
    versions = {
        v.pk: v
        for v in ScenarioVersion.objects.filter(pk__in=attempt.scenario_version_ids).select_related(
            "scenario"
        )
    }
    parts = []
    for part in view["parts"]:
        version = versions[part["scenario_version_id"]]
        pack = pack_for_version(version)
        variant = draw_variant(pack, attempt.seed)
        data = pack.resolve(variant)
        parts.append(
            {
                **part,
                "resources": resources_of(pack, variant),
                "pack": data,
                "baseline_diagram": {
                    "design": data.get("baseline"),
                    "resources": resources_of(pack, variant),
                },
                "baseline_script_id": f"baseline-{version.pk}",
                "case_mix": case_mix(data["cases"]),
                "draft_url": reverse(
                    "attempt-draft",
                    kwargs={"attempt_id": attempt.pk, "scenario_version_id": version.pk},
                ),
                # Checked against the attempt's own version, as grading will be.
                "validate_url": reverse(
                    "scenario-validate-design", kwargs={"slug": version.scenario.slug}
                )
                + f"?version={version.version}",
            }
        )
    return {"attempt": attempt, "view": view, "parts": parts}


def _unchecked(path: list) -> tuple[list[str], list[str]]:
    """A counterexample's path as step ids, and the steps it passed without being checked."""
    steps, unchecked = [], []
    for entry in path or []:
        text = str(entry)
        step = text.split(" ", 1)[0]
        steps.append(step)
        if "not checked" in text:
            unchecked.append(step)
    return steps, unchecked


def _checkpoint_view(checkpoint: dict) -> dict:
    evidence = checkpoint.get("evidence") or {}
    counterexample = evidence.get("counterexample")
    highlight, unchecked = [], []
    if counterexample:
        highlight, unchecked = _unchecked(counterexample.get("path"))
    elif isinstance(evidence.get("path"), list):
        highlight, unchecked = _unchecked(evidence["path"])
    return {
        **checkpoint,
        "evidence": evidence,
        "counterexample": counterexample,
        "highlight": highlight,
        "unchecked": unchecked,
        "pending": checkpoint.get("status") == "pending",
    }


def report_item(*, report: dict, version, design: dict | None, seed: int, number: int) -> dict:
    """One graded scenario as the results view draws it: the candidate's design with each
    checkpoint's path highlighted, the metrics next to today's and the charts."""
    resources = charts = None
    if version is not None:
        pack = pack_for_version(version)
        resources = resources_of(pack, draw_variant(pack, seed))
        if design is not None and report.get("metrics"):
            charts = chart_data(pack=pack, seed=seed, design=design, report=report)
    checkpoints = [_checkpoint_view(c) for c in report.get("checkpoints", [])]
    for index, checkpoint in enumerate(checkpoints, start=1):
        checkpoint["diagram_id"] = f"checkpoint-{number}-{index}"
        checkpoint["diagram"] = {
            "design": design,
            "resources": resources,
            "highlight": checkpoint["highlight"],
            "unchecked": checkpoint["unchecked"],
        }
    return {
        "report": report,
        "title": version.title if version else (report.get("scenario") or {}).get("slug"),
        "design": design,
        "diagram_id": f"design-{number}",
        "diagram": {"design": design, "resources": resources},
        "checkpoints": checkpoints,
        "failed": [c for c in checkpoints if c.get("status") in ("fail", "partial")],
        "metrics": _metric_rows(report),
        "charts": charts,
        "charts_id": f"charts-{number}",
    }


def results(*, attempt: Attempt, result: dict) -> dict:
    """The results page: the decision and why, each report with its checkpoints, the design each
    report graded (to draw it with the offending path), and the credential once issued. ``result``
    is the candidate's API view of the result, so the page shows exactly what the API may."""
    submission = attempt.submission or {}
    versions = {
        v.scenario.slug: v
        for v in ScenarioVersion.objects.filter(pk__in=attempt.scenario_version_ids).select_related(
            "scenario"
        )
    }
    reports = []
    for report in result.get("reports") or []:
        version = versions.get((report.get("scenario") or {}).get("slug"))
        reports.append(
            report_item(
                report=report,
                version=version,
                design=submission.get(str(version.pk)) if version else None,
                seed=attempt.seed,
                number=len(reports) + 1,
            )
        )
    decision = result.get("decision")
    credential = None
    if decision and decision.get("outcome") == "pass" and not decision.get("reversed_at"):
        credential = Credential.objects.filter(decision_id=decision["id"]).first()
    return {
        "attempt": attempt,
        "status": result.get("grading_status"),
        "decision": decision,
        "reports": reports,
        "credential": credential,
        "running": result.get("grading_status") in ("queued", "grading"),
    }


def _metric_rows(report: dict) -> list[dict]:
    design, today = report.get("metrics") or {}, report.get("baseline_metrics") or {}
    return [
        {"label": label, "design": design.get(key), "today": today.get(key)}
        for key, label in METRIC_LABELS.items()
        if key in design
    ]
