"""Chart data for the results page: the design's simulated outcomes next to today's process,
and the robustness curve. Computed from the engine (pure) once per graded design and cached:
a report is immutable, so its charts are too."""

import hashlib
import json

from django.core.cache import cache

from scenarios import engine
from scenarios.engine import draw_variant

CACHE_SECONDS = 24 * 3600
BUCKETS_HOURS = [1, 4, 8, 24, 48, 72, 120, 240]


def _histogram(sim) -> list[float]:
    """Share of cases finishing within each bucket; unfinished cases count at their age
    (censored), in the last bucket they reached."""
    counts = [0] * (len(BUCKETS_HOURS) + 1)
    total = 0
    for record in sim.iter_cases():
        hours = record.cycle_minutes / 60
        index = next((i for i, edge in enumerate(BUCKETS_HOURS) if hours <= edge), -1)
        counts[index] += 1
        total += 1
    return [round(c / total, 4) if total else 0.0 for c in counts]


def chart_data(*, pack, seed: int, design: dict, report: dict) -> dict:
    """What the results page draws; cached by the report's scenario, seed and design."""
    key = "charts:{slug}:{version}:{seed}:{sha}".format(
        slug=report["scenario"]["slug"],
        version=report["scenario"].get("version"),
        seed=seed,
        sha=hashlib.sha256(json.dumps(design, sort_keys=True).encode()).hexdigest(),
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    variant = draw_variant(pack, seed)
    resolved = pack.resolve(variant)
    sim = engine.simulate(pack, variant, design, seed=seed)
    baseline = engine.simulate(pack, variant, resolved["baseline"], seed=seed)
    labels = [f"≤ {h} h" for h in BUCKETS_HOURS] + [f"> {BUCKETS_HOURS[-1]} h"]
    metrics, today = sim.metrics, baseline.metrics
    data = {
        "cycle_time": {"labels": labels, "design": _histogram(sim), "today": _histogram(baseline)},
        "cost_per_case": {
            "design": metrics.get("cost_per_case"),
            "today": today.get("cost_per_case"),
        },
        "escaped": {
            "design": metrics.get("error_escape_rate"),
            "today": today.get("error_escape_rate"),
        },
        "utilisation": {
            "labels": sorted(metrics.get("utilisation", {})),
            "design": [metrics["utilisation"][r] for r in sorted(metrics.get("utilisation", {}))],
            "today": [
                today.get("utilisation", {}).get(r, 0.0)
                for r in sorted(metrics.get("utilisation", {}))
            ],
        },
        "robustness": engine.robustness(pack, seed, design),
    }
    cache.set(key, data, CACHE_SECONDS)
    return data
