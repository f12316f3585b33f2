"""Item statistics, pure Python (no Django): what each checkpoint and each variant parameter
does across graded attempts. Rows come from ``quality.item_stats_data``; see
docs/quality/item-statistics.md for what each figure means and what to do about it.

- **Facility** of a checkpoint: mean points over maximum points (1.0: everyone earns it).
- **Discrimination**: the corrected item-total correlation, Pearson's r between the
  checkpoint's points and the total of the *other* checkpoints (so the item does not
  correlate with itself). Below 0.2 the checkpoint hardly separates strong from weak designs;
  negative means strong designs lose it.
- **Variant difficulty**: variants are drawn per attempt from the pack's variant parameters, so
  attempts are grouped per parameter (a choice parameter by value, a numeric one into thirds of
  its declared range). Each group's pass rate is compared with the rest of the attempts by a
  two-proportion z-test; a group is flagged when the two-sided p-value is below
  ``ALPHA`` (0.01) divided by the number of groups tested (Bonferroni), and both sides hold at
  least ``MIN_GROUP`` attempts.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

ALPHA = 0.01
MIN_GROUP = 10


@dataclass
class Row:
    """One graded report: points per checkpoint, whether it passed, its variant."""

    points: dict[str, float]
    passed: bool
    variant: dict = field(default_factory=dict)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return sxy / math.sqrt(sxx * syy)


def checkpoint_statistics(rows: list[Row], max_points: dict[str, float]) -> list[dict]:
    """Facility and corrected item-total correlation per checkpoint."""
    totals = [sum(r.points.values()) for r in rows]
    result = []
    for checkpoint, maximum in max_points.items():
        scores = [r.points.get(checkpoint, 0.0) for r in rows]
        rest = [t - s for t, s in zip(totals, scores, strict=True)]
        facility = (sum(scores) / len(scores) / maximum) if scores and maximum else None
        r = pearson(scores, rest)
        result.append(
            {
                "checkpoint": checkpoint,
                "n": len(scores),
                "max_points": maximum,
                "facility": None if facility is None else round(facility, 4),
                "discrimination": None if r is None else round(r, 4),
                "weak_discrimination": r is not None and r < 0.2,
            }
        )
    return result


def two_proportion_p(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test (None when undefined)."""
    if n1 == 0 or n2 == 0:
        return None
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return None
    z = (k1 / n1 - k2 / n2) / se
    return math.erfc(abs(z) / math.sqrt(2))


def _group_of(value, spec: dict) -> str | None:
    if value is None:
        return None
    if "choices" in spec:
        return str(value)
    low, high = float(spec["min"]), float(spec["max"])
    if high <= low:
        return None
    third = (high - low) / 3
    if value < low + third:
        return f"low ({low:g} to {low + third:g})"
    if value < low + 2 * third:
        return f"mid ({low + third:g} to {low + 2 * third:g})"
    return f"high ({low + 2 * third:g} to {high:g})"


def variant_statistics(rows: list[Row], parameters: dict[str, dict]) -> list[dict]:
    """Pass rate per group of each variant parameter, flagged when significantly different
    from the rest (see the module docstring for the test and threshold)."""
    groups: dict[tuple[str, str], list[bool]] = {}
    for row in rows:
        for name, spec in parameters.items():
            group = _group_of(row.variant.get(name), spec)
            if group is not None:
                groups.setdefault((name, group), []).append(row.passed)
    total_n, total_k = len(rows), sum(r.passed for r in rows)
    tested = [
        key
        for key, flags in groups.items()
        if len(flags) >= MIN_GROUP and total_n - len(flags) >= MIN_GROUP
    ]
    threshold = ALPHA / len(tested) if tested else ALPHA
    result = []
    for (name, group), flags in sorted(groups.items()):
        n, k = len(flags), sum(flags)
        p = two_proportion_p(k, n, total_k - k, total_n - n) if (name, group) in tested else None
        rest_n = total_n - n
        result.append(
            {
                "parameter": name,
                "group": group,
                "n": n,
                "pass_rate": round(k / n, 4),
                "rest_pass_rate": round((total_k - k) / rest_n, 4) if rest_n else None,
                "p_value": None if p is None else round(p, 6),
                "flagged": p is not None and p < threshold,
            }
        )
    return result


def scenario_statistics(
    rows: Iterable[Row], max_points: dict[str, float], parameters: dict[str, dict]
) -> dict:
    rows = list(rows)
    return {
        "attempts": len(rows),
        "pass_rate": round(sum(r.passed for r in rows) / len(rows), 4) if rows else None,
        "checkpoints": checkpoint_statistics(rows, max_points) if rows else [],
        "variants": variant_statistics(rows, parameters) if rows else [],
        "alpha": ALPHA,
        "min_group": MIN_GROUP,
    }
