"""Agreement statistics of double marking: computed from the first and second marks (never the
adjudication, which is not an independent mark), stored as an ``AgreementReport`` by a Celery
task, and read by the staff page, the API and ``manage.py grading_agreement``.

Reads assessments (``HumanMark``, the scenario versions' rubric levels); writes only its own
report rows. See docs/quality/grading.md for what each figure means and what to do about it.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from assessments.models import HumanMark
from scenarios.models import ScenarioVersion

from . import kappa
from .agreement_models import AgreementReport


@dataclass(frozen=True)
class Pair:
    """One double-marked item: both marks as level indices on the criterion's scale."""

    scenario: str
    checkpoint: str
    levels: int
    first_grader: int
    second_grader: int
    first: int
    second: int


def threshold() -> float:
    return float(getattr(settings, "QUALITY_KAPPA_THRESHOLD", 0.7))


def _marks(scenario_slug: str) -> QuerySet:
    qs = HumanMark.objects.filter(kind__in=[HumanMark.Kind.FIRST, HumanMark.Kind.SECOND])
    if scenario_slug:
        qs = qs.filter(item__report__scenario_version__scenario__slug=scenario_slug)
    return qs.values_list(
        "item_id",
        "kind",
        "grader_id",
        "points",
        "item__checkpoint_id",
        "item__report__scenario_version_id",
    ).order_by("item_id")


def _levels_of(version_ids: set[int]) -> dict[tuple[int, str], tuple[str, list[float]]]:
    """(version id, checkpoint id) → (scenario slug, the criterion's level points, ascending)."""
    out = {}
    for version in ScenarioVersion.objects.filter(pk__in=version_ids).select_related("scenario"):
        for cp in version.content.get("rubric", {}).get("checkpoints", []):
            levels = (cp.get("params") or {}).get("levels") or []
            points = sorted({float(level["points"]) for level in levels})
            out[(version.pk, cp["id"])] = (version.scenario.slug, points)
    return out


def pairs_of(scenario_slug: str = "") -> list[Pair]:
    """Every item with both a first and a second mark, as level indices."""
    by_item: dict[int, dict] = defaultdict(dict)
    for item_id, kind, grader_id, points, checkpoint, version_id in _marks(scenario_slug):
        by_item[item_id][kind] = (grader_id, points, checkpoint, version_id)
    versions = {m["first"][3] for m in by_item.values() if "first" in m and "second" in m}
    levels = _levels_of(versions)
    pairs = []
    for marks in by_item.values():
        if "first" not in marks or "second" not in marks:
            continue
        (g1, p1, checkpoint, version_id), (g2, p2, _, _) = marks["first"], marks["second"]
        slug, points = levels.get((version_id, checkpoint), ("", []))
        scale = points or sorted({p1, p2})
        if p1 not in scale or p2 not in scale:
            continue  # a mark off the rubric's levels (the services refuse them): not comparable
        pairs.append(Pair(slug, checkpoint, len(scale), g1, g2, scale.index(p1), scale.index(p2)))
    return pairs


def _figures(pairs: list[tuple[int, int]], levels: int) -> dict:
    k = kappa.weighted_kappa(pairs, levels)
    interval = kappa.kappa_interval(pairs, levels)
    return {
        "n": len(pairs),
        "kappa": None if k is None else round(k, 4),
        "ci_low": None if interval is None else round(interval[0], 4),
        "ci_high": None if interval is None else round(interval[1], 4),
        "exact": _rounded(kappa.exact_agreement(pairs)),
        "adjacent": _rounded(kappa.adjacent_agreement(pairs)),
    }


def _rounded(value):
    return None if value is None else round(value, 4)


def statistics(pairs: list[Pair], *, cut: float) -> dict:
    """Per criterion (first vs second mark) and per grader (their mark vs the other grader's,
    on the level-index scale of the criteria they marked); graders below ``cut`` flagged."""
    criteria: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    graders: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for pair in pairs:
        criteria[(pair.scenario, pair.checkpoint)].append(pair)
        graders[pair.first_grader].append((pair.first, pair.second, pair.levels))
        graders[pair.second_grader].append((pair.second, pair.first, pair.levels))
    criterion_rows = [
        {
            "scenario": scenario,
            "checkpoint": checkpoint,
            **_figures([(p.first, p.second) for p in group], max(p.levels for p in group)),
        }
        for (scenario, checkpoint), group in sorted(criteria.items())
    ]
    grader_rows = []
    for grader_id, marks in sorted(graders.items()):
        row = {
            "grader_id": grader_id,
            **_figures([(a, b) for a, b, _ in marks], max(k for _, _, k in marks)),
        }
        row["flagged"] = row["kappa"] is not None and row["kappa"] < cut
        grader_rows.append(row)
    return {"criteria": criterion_rows, "graders": grader_rows}


def report_compute(*, scenario_slug: str = "") -> AgreementReport:
    """Compute the statistics now and store them (the Celery task and the command call this)."""
    pairs = pairs_of(scenario_slug)
    cut = threshold()
    return AgreementReport.objects.create(
        scenario_slug=scenario_slug,
        threshold=cut,
        pairs=len(pairs),
        figures=statistics(pairs, cut=cut),
    )


def report_latest(scenario_slug: str = "") -> AgreementReport | None:
    return AgreementReport.objects.filter(scenario_slug=scenario_slug).first()


def grader_names(report: AgreementReport) -> dict[int, str]:
    """Staff see who each grader is (graders never see this page)."""
    from accounts.models import User

    ids = [row["grader_id"] for row in report.figures.get("graders", [])]
    return {u.pk: (u.full_name or u.email) for u in User.objects.filter(pk__in=ids)}
