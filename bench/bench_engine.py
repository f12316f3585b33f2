"""Engine benchmark: grading one realistic design over N simulated cases on one core.

Prints, for 1,000, 10,000 and 100,000 cases: the time to grade a new attempt ("cold": draw the
case stream, simulate the design and today's process, evaluate every checkpoint), the time to
simulate the design alone, events per second, and how the time grows. Caches are cleared before
each cold run, since every attempt has its own seed. Run: `make bench` or
`.venv/bin/python bench/bench_engine.py [--pack SLUG] [--repeat N]`.
"""

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenarios.engine import cases as cases_module  # noqa: E402
from scenarios.engine import draw_variant, grade, load_pack, simulate  # noqa: E402
from scenarios.engine import grading as grading_module  # noqa: E402
from scenarios.engine.selftest import design_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pack", default="ap-invoice-processing")
    parser.add_argument("--design", default=None, help="exemplar name (default: the first)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    pack = load_pack(ROOT / "scenarios" / "packs" / args.pack)
    seed = 7
    resolved = pack.resolve(draw_variant(pack, seed))
    name = args.design or pack.data["exemplars"][0]["name"]
    design = design_of(resolved, name)
    print(f"pack {args.pack} v{pack.version}, design {name!r}, seed {seed}, best of {args.repeat}")
    print(
        f"{'cases':>8} {'grade s':>9} {'sim s':>8} {'events':>9} {'events/s':>11} {'s per 10k':>10}"
    )
    rows = []
    for count in (1_000, 10_000, 100_000):
        grade_times, sim_times = [], []
        for _ in range(args.repeat if count < 100_000 else 1):
            cases_module._CACHE.clear()
            grading_module._BASELINE_CACHE.clear()
            gc.collect()
            t0 = time.perf_counter()
            report = grade(pack, seed, design, count=count)
            grade_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            sim = simulate(resolved, design, seed=seed, count=count)
            sim_times.append(time.perf_counter() - t0)
        best, best_sim = min(grade_times), min(sim_times)
        events = sim.metrics["events"]
        rows.append((count, best))
        print(
            f"{count:>8} {best:>9.3f} {best_sim:>8.3f} {events:>9} {events / best_sim:>11,.0f} {best / count * 10_000:>10.3f}"
        )
        assert report.decision in ("pass", "fail", "awaiting_human")
    (c1, t1), (c2, t2), (c3, t3) = rows
    print(
        f"growth 1k->10k: x{t2 / t1:.1f} time for x{c2 // c1} cases; 10k->100k: x{t3 / t2:.1f} for x{c3 // c2}"
    )
    print(f"median of per-10k cost: {statistics.median(t / c * 10_000 for c, t in rows):.3f} s")


if __name__ == "__main__":
    main()
