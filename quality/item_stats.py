"""Item statistics, pure Python (no Django): what each checkpoint and each variant parameter
does across graded attempts, computed from sufficient statistics (``Sums``: counts, sums of
points, of squares and of cross-products) that can be added to and subtracted from one report
at a time, so a million attempts cost no more to summarise than ten. The database keeps the
same sums (``quality.item_stats_models``); see docs/quality/item-statistics.md for what each
figure means and what to do about it.

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

# Relative size below which a sum of squared deviations computed from running sums is taken as
# zero (no variance): float64 sums of a million bounded points carry rounding errors of about
# 1e-10 of the raw second moment, far below any real spread.
ZERO_VARIANCE = 1e-9

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


@dataclass
class CheckpointSums:
    n: int = 0
    sum_x: float = 0.0
    sum_x2: float = 0.0
    sum_xt: float = 0.0


@dataclass
class Sums:
    """Sufficient statistics of a set of reports (T: a report's total points)."""

    n: int = 0
    passes: int = 0
    sum_t: float = 0.0
    sum_t2: float = 0.0
    checkpoints: dict[str, CheckpointSums] = field(default_factory=dict)
    groups: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # [n, passes]


@dataclass
class Contribution:
    """What one report adds to the sums."""

    points: dict[str, float]  # per rubric checkpoint (a missing one scores 0)
    total: float
    passed: bool
    groups: list[tuple[str, str]]


def contribution(row: Row, max_points: dict[str, float], parameters: dict[str, dict]):
    groups = []
    for name, spec in parameters.items():
        group = _group_of(row.variant.get(name), spec)
        if group is not None:
            groups.append((name, group))
    return Contribution(
        points={c: float(row.points.get(c, 0.0)) for c in max_points},
        total=float(sum(row.points.values())),
        passed=bool(row.passed),
        groups=groups,
    )


def add(sums: Sums, c: Contribution, sign: int = 1) -> None:
    """Add one report's contribution to ``sums`` (``sign=-1`` takes it away again)."""
    t = c.total
    sums.n += sign
    sums.passes += sign * c.passed
    sums.sum_t += sign * t
    sums.sum_t2 += sign * t * t
    for checkpoint, x in c.points.items():
        cp = sums.checkpoints.setdefault(checkpoint, CheckpointSums())
        cp.n += sign
        cp.sum_x += sign * x
        cp.sum_x2 += sign * x * x
        cp.sum_xt += sign * x * t
    for key in c.groups:
        counts = sums.groups.setdefault(key, [0, 0])
        counts[0] += sign
        counts[1] += sign * c.passed


def accumulate(rows: Iterable[Row], max_points: dict[str, float], parameters: dict) -> Sums:
    sums = Sums()
    for row in rows:
        add(sums, contribution(row, max_points, parameters))
    return sums


def _centred(sum_sq: float, sum_a: float, sum_b: float, n: int) -> float:
    """Sum of products of deviations from sums: sum(ab) - sum(a) sum(b) / n."""
    return sum_sq - sum_a * sum_b / n


def corrected_item_total(cp: CheckpointSums, n: int, sum_t: float, sum_t2: float):
    """Pearson's r between x and the rest (y = T - x), from the sums alone; None when either
    side has no variance or fewer than 3 reports."""
    if n < 3:
        return None
    sum_y = sum_t - cp.sum_x
    sum_y2 = sum_t2 - 2 * cp.sum_xt + cp.sum_x2
    sum_xy = cp.sum_xt - cp.sum_x2
    sxx = _centred(cp.sum_x2, cp.sum_x, cp.sum_x, n)
    syy = _centred(sum_y2, sum_y, sum_y, n)
    if sxx <= ZERO_VARIANCE * max(cp.sum_x2, 1.0) or syy <= ZERO_VARIANCE * max(sum_y2, 1.0):
        return None
    sxy = _centred(sum_xy, cp.sum_x, sum_y, n)
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def checkpoint_statistics_from_sums(sums: Sums, max_points: dict[str, float]) -> list[dict]:
    """Facility and corrected item-total correlation per checkpoint, from the sums."""
    n, result = sums.n, []
    for checkpoint, maximum in max_points.items():
        cp = sums.checkpoints.get(checkpoint, CheckpointSums())
        facility = (cp.sum_x / n / maximum) if n and maximum else None
        r = corrected_item_total(cp, n, sums.sum_t, sums.sum_t2)
        result.append(
            {
                "checkpoint": checkpoint,
                "n": n,
                "max_points": maximum,
                "facility": None if facility is None else round(facility, 4),
                "discrimination": None if r is None else round(r, 4),
                "weak_discrimination": r is not None and r < 0.2,
            }
        )
    return result


def checkpoint_statistics(rows: list[Row], max_points: dict[str, float]) -> list[dict]:
    """Facility and corrected item-total correlation per checkpoint."""
    return checkpoint_statistics_from_sums(accumulate(rows, max_points, {}), max_points)


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


def thirds(spec: dict) -> tuple[float, float, float, float] | None:
    """A numeric parameter's declared range cut in three: (low, first cut, second cut, high)."""
    low, high = float(spec["min"]), float(spec["max"])
    if high <= low:
        return None
    third = (high - low) / 3
    return low, low + third, low + 2 * third, high


def third_labels(spec: dict) -> list[str] | None:
    bounds = thirds(spec)
    if bounds is None:
        return None
    low, cut1, cut2, high = bounds
    return [
        f"low ({low:g} to {cut1:g})",
        f"mid ({cut1:g} to {cut2:g})",
        f"high ({cut2:g} to {high:g})",
    ]


def _group_of(value, spec: dict) -> str | None:
    if value is None:
        return None
    if "choices" in spec:
        return str(value)
    bounds, labels = thirds(spec), third_labels(spec)
    if bounds is None or labels is None:
        return None
    # The same comparisons as the rebuild's SQL (quality/item_stats_rebuild.py).
    return labels[0] if value < bounds[1] else labels[1] if value < bounds[2] else labels[2]


def variant_statistics_from_sums(sums: Sums) -> list[dict]:
    """Pass rate per group of each variant parameter, flagged when significantly different
    from the rest (see the module docstring for the test and threshold)."""
    total_n, total_k = sums.n, sums.passes
    groups = {key: counts for key, counts in sums.groups.items() if counts[0] > 0}
    tested = [key for key, (n, _k) in groups.items() if n >= MIN_GROUP and total_n - n >= MIN_GROUP]
    threshold = ALPHA / len(tested) if tested else ALPHA
    result = []
    for (name, group), (n, k) in sorted(groups.items()):
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


def variant_statistics(rows: list[Row], parameters: dict[str, dict]) -> list[dict]:
    return variant_statistics_from_sums(accumulate(rows, {}, parameters))


def statistics_from_sums(
    sums: Sums, max_points: dict[str, float], parameters: dict[str, dict]
) -> dict:
    """The snapshot's content (what the page, API and CSV show), from the sums alone."""
    n = sums.n
    return {
        "attempts": n,
        "pass_rate": round(sums.passes / n, 4) if n else None,
        "checkpoints": checkpoint_statistics_from_sums(sums, max_points) if n else [],
        "variants": variant_statistics_from_sums(sums) if n else [],
        "alpha": ALPHA,
        "min_group": MIN_GROUP,
    }


def scenario_statistics(
    rows: Iterable[Row], max_points: dict[str, float], parameters: dict[str, dict]
) -> dict:
    return statistics_from_sums(accumulate(rows, max_points, parameters), max_points, parameters)
