"""The calibration table of similarity detection: scores of disguised copies against scores of
independently made designs, over the scenario packs' own designs (``manage.py
similarity_calibration`` prints it; docs/quality/similarity.md explains it).

Copies are each pack's exemplars renamed and reordered (``similarity_edits.renamed``), then
given 1, 2 or 3 random light edits, and the pack's flawed designs, which the packs write as one
or two edits of an exemplar: two candidates submitting an exemplar and its flawed variant are a
lightly edited copy, and should be shown to a person. Independent designs are a pack's
different exemplars (different strategies for the same scenario), each exemplar against the
current process (the baseline every candidate starts from), flawed designs against the
exemplar they were not made from, and designs of different packs."""

import random
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from scenarios.engine import draw_variant, load_pack
from scenarios.engine.selftest import design_of

from . import similarity as sim
from . import similarity_edits as edits
from . import similarity_text as text

PACKS_DIR = Path(__file__).resolve().parents[1] / "scenarios" / "packs"
# Packs whose exemplars are built on each other: software delivery's agent-bugfix-lane is
# agent-pr-with-gates with a split step in front (one step added, the start moved, one system
# access dropped), so its pairs are reported apart: in effect they are edited copies.
DERIVED_EXEMPLARS = {"software-delivery-coding-agent"}


@dataclass
class Row:
    label: str
    copy: bool  # should be flagged
    scores: list[float] = field(default_factory=list)
    candidate: list[float] = field(default_factory=list)  # P(LSH makes it a candidate)

    def summary(self, threshold: float) -> dict:
        ordered = sorted(self.scores)
        return {
            "label": self.label,
            "copy": self.copy,
            "n": len(ordered),
            "min": ordered[0],
            "p10": ordered[len(ordered) // 10],
            "median": statistics.median(ordered),
            "max": ordered[-1],
            "flagged": sum(s >= threshold for s in ordered) / len(ordered),
            "lsh": statistics.mean(self.candidate) if self.candidate else 1.0,
        }


@dataclass
class PackDesigns:
    slug: str
    exemplars: dict[str, dict]
    flawed: dict[str, tuple[str, dict]]  # name -> (base exemplar, design)
    baseline: dict
    other_variant: dict[str, dict]  # exemplars resolved with another variant's numbers


def pack_designs(seed: int = 1) -> list[PackDesigns]:
    found = []
    for path in sorted(p for p in PACKS_DIR.iterdir() if (p / "pack.yaml").exists()):
        pack = load_pack(path)
        data = pack.resolve(draw_variant(pack, seed))
        names = [e["name"] for e in data.get("exemplars", [])]
        other = data
        for later in range(seed + 1, seed + 50):  # the first variant whose numbers differ
            other = pack.resolve(draw_variant(pack, later))
            if any(design_of(other, n) != design_of(data, n) for n in names):
                break
        found.append(
            PackDesigns(
                slug=pack.slug,
                exemplars={n: design_of(data, n) for n in names},
                flawed={
                    e["name"]: (e["base"], design_of(data, e["name"]))
                    for e in data.get("flawed", [])
                    if "base" in e
                },
                baseline=design_of(data, "baseline"),
                other_variant={n: design_of(other, n) for n in names},
            )
        )
    return found


def candidate_probability(jaccard: float, layout: tuple[int, int]) -> float:
    """The chance that LSH with (bands, rows) makes a pair of this Jaccard a candidate."""
    count, rows = layout
    return 1 - (1 - jaccard**rows) ** count


def structure_rows(packs: list[PackDesigns], seeds: int = 20) -> list[Row]:
    rows = {
        key: Row(label, copy)
        for key, label, copy in [
            ("renamed", "renamed + reordered copy", True),
            ("variant", "same exemplar, another variant's numbers, renamed", True),
            *[(f"edit{k}", f"renamed + {k} light edit{'s' * (k > 1)}", True) for k in (1, 2, 3)],
            ("flawed", "flawed design vs its own exemplar (pack-made edit)", True),
            ("exemplars", "different exemplars of one pack", False),
            ("derived", "exemplars built on each other (software delivery)", True),
            ("baseline", "exemplar vs current process (baseline)", False),
            ("flawed-other", "flawed design vs the other exemplar", False),
            ("derived-flawed", "... its flawed designs vs the other exemplar", True),
            ("packs", "designs of different packs", False),
        ]
    }

    def add(key: str, a: dict, b: dict) -> None:
        fa, fb = sim.features(a), sim.features(b)
        rows[key].scores.append(sim.similarity(fa, fb))
        tokens_a, tokens_b = set(sim.lsh_tokens(fa)), set(sim.lsh_tokens(fb))
        hashed = len(tokens_a & tokens_b) / len(tokens_a | tokens_b)
        rows[key].candidate.append(candidate_probability(hashed, text.STRUCTURE_BANDS))

    for pack in packs:
        for name, design in pack.exemplars.items():
            add("baseline", design, pack.baseline)
            add("variant", design, edits.renamed(pack.other_variant[name], random.Random(name)))
            for seed in range(seeds):
                rng = random.Random(f"{pack.slug}:{name}:{seed}")
                copied = edits.renamed(design, rng)
                add("renamed", design, copied)
                for k in (1, 2, 3):
                    add(f"edit{k}", design, edits.edited(copied, rng, k))
        derived = pack.slug in DERIVED_EXEMPLARS
        for base, design in pack.flawed.values():
            add("flawed", pack.exemplars[base], design)
            for other in set(pack.exemplars) - {base}:
                add("derived-flawed" if derived else "flawed-other", pack.exemplars[other], design)
        for a, b in combinations(pack.exemplars.values(), 2):
            add("derived" if derived else "exemplars", a, b)
    for first, second in combinations(packs, 2):
        for a in [*first.exemplars.values(), first.baseline]:
            for b in [*second.exemplars.values(), second.baseline]:
                add("packs", a, b)
    return list(rows.values())


def text_rows(packs: list[PackDesigns], seeds: int = 20) -> list[Row]:
    rows = {
        "copy": Row("rationale copied verbatim", True),
        "reworded": Row("rationale reworded (1 word a sentence, case, punctuation)", True),
        "reworded2": Row("rationale reworded (2 words a sentence)", True),
        "independent": Row("rationales of different exemplars", False),
    }

    def add(key: str, a: str, b: str) -> None:
        rows[key].scores.append(text.text_similarity(a, b))
        sa, sb = text.shingles(a), text.shingles(b)
        union = sa | sb
        hashed = len(sa & sb) / len(union) if union else 0.0
        rows[key].candidate.append(candidate_probability(hashed, text.TEXT_BANDS))

    # Only rationales long enough to flag at all (text.MIN_TEXT_SHINGLES, with room for the
    # rewording to drop words): shorter ones never flag on text.
    everyone = [
        (pack.slug, text.rationale_text(d))
        for pack in packs
        for d in pack.exemplars.values()
        if len(text.shingles(text.rationale_text(d))) >= 2 * text.MIN_TEXT_SHINGLES
    ]
    for slug, rationale in everyone:
        add("copy", rationale, rationale)
        for seed in range(seeds):
            rng = random.Random(f"{slug}:{seed}")
            add("reworded", rationale, edits.reworded(rationale, rng, 1))
            add("reworded2", rationale, edits.reworded(rationale, rng, 2))
    for (_, a), (_, b) in combinations(everyone, 2):
        add("independent", a, b)
    return list(rows.values())


def table(rows: list[Row], threshold: float) -> Iterator[str]:
    """The rows as text: the score's spread, the share of pairs at or above ``threshold``
    (flagged if compared), and ``found``: the mean chance that LSH puts the pair in front of
    the comparison at all."""
    yield (
        f"{'pair':<56} {'copy':>4} {'n':>4} {'min':>5} {'p10':>5} {'med':>5} {'max':>5} "
        f"{'>=' + format(threshold, '.2f'):>7} {'found':>6}"
    )
    for row in rows:
        s = row.summary(threshold)
        yield (
            f"{s['label']:<56} {'yes' if s['copy'] else 'no':>4} {s['n']:>4} {s['min']:>5.2f} "
            f"{s['p10']:>5.2f} {s['median']:>5.2f} {s['max']:>5.2f} {s['flagged']:>7.1%} "
            f"{s['lsh']:>6.1%}"
        )
