"""Reads for the grader's workbench: what a grader may see of an item they hold.

Anonymised: the criterion and its levels, the design drawn as a diagram, the rationale text and
the machine-scored checkpoints of the same report. Never the candidate, their firm, the attempt,
the decision, other graders' marks or the score of a first mark (double marking is blind)."""

from django.db.models import QuerySet
from django.utils import timezone

from assessments import selectors as assessment_selectors
from assessments.models import HumanMark, HumanScore
from assessments.services.human_scoring import _conflicted_candidate_ids
from assessments.services.jobs import design_for_job, given_version_id
from scenarios.engine import draw_variant
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version, resources_of

DIAGRAM_ID = "item-design"


def held_items(grader) -> QuerySet[HumanScore]:
    return assessment_selectors.items_held_by(grader=grader).order_by("lease_expires_at", "id")


def open_count(grader) -> int:
    """How many items wait that this grader could claim (not their firm's, not marked by them)."""
    excluded = _conflicted_candidate_ids(grader) | {grader.pk}
    return (
        HumanScore.objects.filter(status=HumanScore.Status.OPEN)
        .exclude(report__attempt__candidate_id__in=excluded)
        .exclude(marks__grader=grader)
        .count()
    )


def seconds_left(item: HumanScore, now=None) -> int:
    if item.lease_expires_at is None:
        return 0
    return max(0, int((item.lease_expires_at - (now or timezone.now())).total_seconds()))


def _criterion(item: HumanScore) -> dict:
    cp = next(c for c in item.report.engine_report["checkpoints"] if c["id"] == item.checkpoint_id)
    levels = sorted(cp["evidence"].get("levels", []), key=lambda level: float(level["points"]))
    return {
        "id": cp["id"],
        "title": cp["title"],
        "domain": cp["domain"],
        "levels": [
            {"points": float(level["points"]), "descriptor": level.get("descriptor", "")}
            for level in levels
        ],
        "reads": cp["evidence"].get("reads", []),
    }


def _rationale(design: dict, reads: list[str]) -> list[dict]:
    """The rationale topics, the ones the criterion reads first."""
    read_topics = [r.split(".", 1)[1] for r in reads if r.startswith("rationale.")]
    topics = design.get("rationale") or {}
    order = [t for t in read_topics if t in topics] + [t for t in topics if t not in read_topics]
    return [
        {
            "topic": t,
            "label": t.replace("_", " ").capitalize(),
            "text": str(topics[t]),
            "read": t in read_topics,
        }
        for t in order
        if isinstance(topics[t], str | int | float)
    ]


def _machine_results(item: HumanScore) -> list[dict]:
    """The machine-scored checkpoints of the same report, without who or which attempt."""
    return [
        {
            "title": c["title"],
            "status": c["status"],
            "points": c.get("points"),
            "max_points": c["max_points"],
            "critical": c.get("critical", False),
        }
        for c in item.report.engine_report["checkpoints"]
        if c["kind"] != "human_rubric"
    ]


def _diagram(item: HumanScore, design: dict) -> dict:
    job = item.report.job
    version = ScenarioVersion.objects.get(pk=given_version_id(job))
    pack = pack_for_version(version)
    return {"design": design, "resources": resources_of(pack, draw_variant(pack, job.attempt.seed))}


def item_view(item: HumanScore) -> dict:
    """Everything the item page shows (anonymised)."""
    design = design_for_job(item.report.job)
    criterion = _criterion(item)
    return {
        "item": item,
        "scenario_title": item.report.scenario_version.title,
        "criterion": criterion,
        "rationale": _rationale(design, criterion["reads"]),
        "machine": _machine_results(item),
        "diagram": _diagram(item, design),
        "diagram_id": DIAGRAM_ID,
        "seconds_left": seconds_left(item),
    }


def disputed_view(item: HumanScore) -> dict:
    """The adjudication page: the item, and both marks (the adjudicator sees them)."""
    view = item_view(item)
    view["marks"] = list(
        HumanMark.objects.filter(item=item)
        .exclude(kind=HumanMark.Kind.ADJUDICATION)
        .order_by("kind")
        .values("kind", "points", "comment")
    )
    return view
