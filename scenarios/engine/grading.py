"""Grading: a pure function of (pack version, seed, design, engine version) to a report.

The decision follows the rubric's two rules: every critical checkpoint must pass (conjunctive),
and the weighted total must reach the cut score (compensatory). Human-scored criteria stay
pending until :func:`finalize` receives their scores.
"""

import copy
from collections import OrderedDict
from dataclasses import dataclass

import jsonpatch

from .checkpoints import REGISTRY, Context
from .compiled import _compile
from .design import validate_design
from .disclosure import hidden_parameters
from .domains import attribute_domains
from .errors import DesignError
from .pack import Pack, draw_variant
from .simulator import gc_paused, run

ENGINE_VERSION = "2.0.0"
_BASELINE_CACHE: OrderedDict = OrderedDict()
_BASELINE_CACHE_SIZE = 64


class InvalidDesign(ValueError):
    def __init__(self, errors: list[DesignError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the design")


@dataclass
class GradeReport:
    data: dict

    def to_dict(self) -> dict:
        return copy.deepcopy(self.data)

    @property
    def decision(self) -> str:
        return self.data["decision"]


def _baseline(pack: Pack, resolved: dict, seed: int, count: int | None):
    """The baseline's simulation depends only on the pack version, seed and case count."""
    key = (pack.sha256, seed, count)
    if key in _BASELINE_CACHE:
        _BASELINE_CACHE.move_to_end(key)
        return _BASELINE_CACHE[key]
    result = run(resolved, resolved["baseline"], seed=seed, count=count)
    _BASELINE_CACHE[key] = result
    if len(_BASELINE_CACHE) > _BASELINE_CACHE_SIZE:
        _BASELINE_CACHE.popitem(last=False)
    return result


def grade(
    pack: Pack,
    seed: int,
    design: dict,
    *,
    count: int | None = None,
    variant_from: Pack | None = None,
) -> GradeReport:
    """Grade ``design`` for the variant ``seed`` of ``pack``. Raises InvalidDesign.

    ``variant_from``: the version of the scenario the candidate was given, when ``pack`` is a
    later one (a regrade after a rubric fix). The variant is drawn per version, so without it
    the same seed would describe another organisation (other thresholds and volumes) than the
    one the design was made for; with it, the numbers the candidate saw are kept for every
    parameter both versions have."""
    with gc_paused():
        return _grade(pack, seed, design, count, variant_from)


def variant_for(pack: Pack, seed: int, variant_from: Pack | None = None) -> dict:
    variant = draw_variant(pack, seed)
    if variant_from is not None and variant_from.version != pack.version:
        given = draw_variant(variant_from, seed)
        variant.update({name: value for name, value in given.items() if name in variant})
    return variant


def _grade(
    pack: Pack, seed: int, design: dict, count: int | None, variant_from: Pack | None
) -> GradeReport:
    errors = validate_design(design, pack)
    if errors:
        raise InvalidDesign(errors)
    variant = variant_for(pack, seed, variant_from)
    resolved = pack.resolve(variant)
    sim = run(resolved, design, seed=seed, count=count)
    base = _baseline(pack, resolved, seed, count)
    steps = _compile(design, resolved)
    start = [s.id for s in steps].index(design["start"])
    ctx = Context(
        design=design,
        steps=steps,
        start=start,
        sim=sim,
        baseline=base,
        domain=attribute_domains(resolved),
    )
    sla_minutes = float(resolved["cases"]["sla_hours"]) * 60
    results = []
    for cp in resolved["rubric"]["checkpoints"]:
        params = dict(cp.get("params", {}))
        params["_sla_minutes"] = sla_minutes
        params["_feedback"] = cp["feedback"]
        credit, evidence = REGISTRY[cp["kind"]](ctx, params)
        weight = float(cp["weight"])
        results.append(
            {
                "id": cp["id"],
                "kind": cp["kind"],
                "title": cp["title"],
                "domain": cp["domain"],
                "weight": weight,
                "critical": bool(cp.get("critical", False)),
                "max_points": weight,
                "points": None if credit is None else round(weight * credit, 4),
                "status": _status(credit),
                # Human-scored criteria get their feedback once graders have scored them.
                "feedback": cp["feedback"] if credit is not None and credit < 1.0 else "",
                "evidence": evidence,
            }
        )
    metric_keys = sorted(k for k in sim.metrics if k != "events")
    report = {
        "engine_version": ENGINE_VERSION,
        "scenario": {"slug": pack.slug, "version": pack.version, "sha256": pack.sha256},
        "seed": seed,
        "variant": variant,
        "cases": sim.metrics["cases"],
        "checkpoints": results,
        "metrics": {k: sim.metrics[k] for k in metric_keys},
        "baseline_metrics": {k: base.metrics[k] for k in metric_keys},
        "cut_score": float(resolved["rubric"]["cut_score"]),
        # Staff-only: what disclosure.candidate_view removes from a candidate's copy.
        "hidden_kinds": sorted({a["kind"] for a in resolved["cases"].get("adversarial", [])}),
        "hidden_parameters": hidden_parameters(pack),
        "domains": resolved["rubric"]["domains"],
    }
    return GradeReport(_decide(report))


def _status(credit: float | None) -> str:
    if credit is None:
        return "pending"
    if credit >= 1.0:
        return "pass"
    return "partial" if credit > 0 else "fail"


def _decide(report: dict) -> dict:
    cps = report["checkpoints"]
    total_weight = sum(c["max_points"] for c in cps) or 1.0
    earned = sum(c["points"] or 0.0 for c in cps)
    pending = [c for c in cps if c["status"] == "pending"]
    report["total"] = round(100 * earned / total_weight, 2)
    report["max_possible_total"] = round(
        100 * (earned + sum(c["max_points"] for c in pending)) / total_weight, 2
    )
    report["critical_failures"] = [
        c["id"] for c in cps if c["critical"] and c["status"] in ("fail", "partial")
    ]
    report["pending_human"] = [
        {"id": c["id"], "levels": c["evidence"].get("levels", [])} for c in pending
    ]
    domains = {}
    for d in report["domains"]:
        mine = [c for c in cps if c["domain"] == d["id"]]
        weight = sum(c["max_points"] for c in mine)
        if weight:
            domains[d["id"]] = round(100 * sum(c["points"] or 0.0 for c in mine) / weight, 2)
    report["domain_scores"] = domains
    if report["critical_failures"]:
        decision = "fail"
    elif pending:
        decision = (
            "fail" if report["max_possible_total"] < report["cut_score"] else "awaiting_human"
        )
    else:
        decision = "pass" if report["total"] >= report["cut_score"] else "fail"
    report["decision"] = decision
    return report


def finalize(report: dict, human_scores: dict) -> dict:
    """Fill in human-scored checkpoints (``{id: {"points": p}}``, 0 ≤ p ≤ max_points) and
    decide again. Pure: returns a new report. Unknown ids or out-of-range points raise."""
    report = copy.deepcopy(report)
    by_id = {c["id"]: c for c in report["checkpoints"]}
    for cp_id, score in human_scores.items():
        cp = by_id.get(cp_id)
        if cp is None or cp["kind"] != "human_rubric":
            raise ValueError(f"{cp_id!r} is not a human-scored checkpoint of this report")
        try:
            points = float(score["points"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{cp_id}: give points as a number") from None
        if not 0 <= points <= cp["max_points"]:  # (NaN fails this too)
            raise ValueError(f"{cp_id}: points must be between 0 and {cp['max_points']}")
        cp["points"] = round(points, 4)
        fraction = points / cp["max_points"] if cp["max_points"] else 1.0
        cp["status"] = "pass" if fraction >= 0.999 else ("partial" if fraction >= 0.5 else "fail")
        evidence = dict(cp["evidence"])
        # The pack's message for a rationale that fell short ("feedback" in older reports)
        short = evidence.pop("feedback_if_short", "") or evidence.pop("feedback", "")
        cp["feedback"] = _human_feedback(cp["status"], short, score.get("comment"))
        cp["evidence"] = {**evidence, "human_score": score}
    return _decide(report)


def _human_feedback(status: str, short: str, comment) -> str:
    """What the candidate reads for a scored criterion: the grader's comment, after the pack's
    message when the score fell short of full marks."""
    comment = str(comment or "").strip()
    said_by_grader = f"Grader: {comment}" if comment else ""
    if status == "pass":
        return said_by_grader
    return " ".join(part for part in (short, said_by_grader) if part)


def apply_patch(design: dict, patch: list) -> dict:
    return jsonpatch.apply_patch(design, patch)
