"""Modified-Angoff standard setting, pure Python (no Django): the figures a study shows and the
cut score it proposes (docs/quality/standard-setting.md says how to read and act on them).

Each panelist rates every non-critical checkpoint of a scenario version: the probability, 0 to
100 %, that a *minimally competent candidate* earns it (for a checkpoint with partial credit,
the share of its points such a candidate earns on average). Then:

- per checkpoint: the mean rating, the sample standard deviation (n - 1) and the range of the
  raters' ratings; a checkpoint whose SD is above ``SD_FLAG`` (15 points) is flagged: the raters
  read it differently and should discuss it before the next round;
- each rater's own cut score (their ratings through the formula below), the SD of those and
  the standard error of the panel's cut score (that SD over √raters);
- the cut score: Σ (weight * mean probability) over Σ weight, in percent, which is the unit of
  the pack's ``cut_score`` and of a report's ``total`` (100 * earned points / total weight).

Critical checkpoints are not rated. The conjunctive rule fails every candidate who misses one,
so the compensatory cut only ever applies to candidates who earned all of them in full: they
count at 100 % of their weight in the cut score.
"""

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

SD_FLAG = 15.0
MAX_EXTRA_KEYS = 20


@dataclass(frozen=True)
class Checkpoint:
    id: str
    title: str
    weight: float
    critical: bool
    kind: str = ""

    @property
    def rated(self) -> bool:
        return not self.critical


def checkpoints_of(content: Mapping) -> list[Checkpoint]:
    """The rubric's checkpoints of a pack's content, in rubric order."""
    return [
        Checkpoint(
            id=c["id"],
            title=c["title"],
            weight=float(c["weight"]),
            critical=bool(c.get("critical", False)),
            kind=c.get("kind", ""),
        )
        for c in content["rubric"]["checkpoints"]
    ]


def rated_ids(checkpoints: list[Checkpoint]) -> list[str]:
    return [c.id for c in checkpoints if c.rated]


def ratings_problems(checkpoints: list[Checkpoint], ratings: object) -> list[dict]:
    """What is wrong with one rater's ratings for one round, each problem with its path: they
    must be an object giving every non-critical checkpoint (and nothing else) a number from 0
    to 100."""
    if not isinstance(ratings, Mapping):
        return [{"path": "ratings", "message": "Give an object: {checkpoint id: 0-100}."}]
    if len(ratings) > len(checkpoints) + MAX_EXTRA_KEYS:  # a flood, not a mistake to list
        return [{"path": "ratings", "message": f"Rate the {len(checkpoints)} checkpoints only."}]
    problems = []
    wanted = rated_ids(checkpoints)
    critical = {c.id for c in checkpoints if c.critical}
    for key in ratings:
        if key in critical:
            problems.append(
                {"path": f"ratings.{key}", "message": "Critical: not rated (counts at 100 %)."}
            )
        elif key not in wanted:
            problems.append({"path": f"ratings.{key}", "message": "No such checkpoint."})
    for key in wanted:
        if key not in ratings:
            problems.append({"path": f"ratings.{key}", "message": "Missing: rate it 0-100."})
            continue
        value = ratings[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append({"path": f"ratings.{key}", "message": "A number from 0 to 100."})
        elif not math.isfinite(value) or not 0 <= value <= 100:
            problems.append({"path": f"ratings.{key}", "message": "Between 0 and 100."})
    return problems


def cut_score(checkpoints: list[Checkpoint], probabilities: Mapping[str, float]) -> float:
    """Σ weight * probability over Σ weight, in percent; critical checkpoints at 100 %."""
    total = sum(c.weight for c in checkpoints)
    if total <= 0:
        raise ValueError("The rubric has no weight.")
    earned = sum(c.weight * (100.0 if c.critical else probabilities[c.id]) for c in checkpoints)
    return round(earned / total, 2)


def _sd(values: list[float]) -> float | None:
    return round(statistics.stdev(values), 2) if len(values) >= 2 else None


def summarise(
    checkpoints: list[Checkpoint],
    ratings: Mapping[str, Mapping[str, float]],
    *,
    sd_flag: float = SD_FLAG,
) -> dict:
    """The study's figures for one round. ``ratings``: {rater: {checkpoint id: 0-100}}, each
    rater complete (``ratings_problems`` found nothing). With no rater there is no cut score."""
    raters = sorted(ratings)
    rows = []
    means: dict[str, float] = {}
    for cp in checkpoints:
        row = {
            "id": cp.id,
            "title": cp.title,
            "weight": cp.weight,
            "critical": cp.critical,
            "ratings": {},
            "n": 0,
            "mean": None,
            "sd": None,
            "min": None,
            "max": None,
            "range": None,
            "flagged": False,
        }
        if cp.rated:
            values = [float(ratings[r][cp.id]) for r in raters]
            row["ratings"] = {r: float(ratings[r][cp.id]) for r in raters}
            row["n"] = len(values)
            if values:
                means[cp.id] = statistics.fmean(values)
                row["mean"] = round(means[cp.id], 2)
                row["sd"] = _sd(values)
                row["min"], row["max"] = min(values), max(values)
                row["range"] = round(max(values) - min(values), 2)
                row["flagged"] = row["sd"] is not None and row["sd"] > sd_flag
        rows.append(row)
    rater_cuts = {r: cut_score(checkpoints, ratings[r]) for r in raters}
    cuts = list(rater_cuts.values())
    raw_sd = statistics.stdev(cuts) if len(cuts) >= 2 else None
    return {
        "raters": len(raters),
        "checkpoints": rows,
        "flagged": [row["id"] for row in rows if row["flagged"]],
        "sd_flag": sd_flag,
        "cut_score": cut_score(checkpoints, means) if raters else None,
        "rater_cuts": rater_cuts,
        "rater_cut_sd": None if raw_sd is None else round(raw_sd, 2),
        "standard_error": None if raw_sd is None else round(raw_sd / math.sqrt(len(cuts)), 2),
        "weight_rated": sum(c.weight for c in checkpoints if c.rated),
        "weight_critical": sum(c.weight for c in checkpoints if c.critical),
    }
