"""Engine benchmark: grading one realistic design over N simulated cases on one core.

Prints, for 1,000, 10,000 and 100,000 cases (the pack's volume is overridden): the time to grade
a new attempt ("grade": validate, draw the case stream, simulate the design and today's process,
evaluate every checkpoint), the time to simulate the design alone ("sim", stream already drawn),
events per second of the simulation, and how the time grows. Caches are cleared before each
grade, since every attempt has its own seed.

Times are CPU seconds of this process (``time.process_time``), best of ``--repeat``: on a shared
machine wall-clock time mostly measures the neighbours. Wall-clock is printed alongside.
This prints figures; it is not a timed test.

Run: `make bench` or `.venv/bin/python bench/bench_engine.py [--pack SLUG] [--design NAME]
[--repeat N] [--profile]`.
"""

import argparse
import cProfile
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenarios.engine import ENGINE_VERSION, draw_variant, grade, load_pack  # noqa: E402
from scenarios.engine import cases as cases_module  # noqa: E402
from scenarios.engine import draws as draws_module  # noqa: E402
from scenarios.engine import grading as grading_module  # noqa: E402
from scenarios.engine.selftest import design_of  # noqa: E402
from scenarios.engine.simulator import run  # noqa: E402

COUNTS = (1_000, 10_000, 100_000)


def _clear_caches() -> None:
    cases_module._CACHE.clear()
    grading_module._BASELINE_CACHE.clear()
    draws_module._TABLES.clear()


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="ap-invoice-processing")
    parser.add_argument("--design", default=None, help="exemplar name (default: the first)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one 10,000-case grade")
    args = parser.parse_args()

    pack = load_pack(ROOT / "scenarios" / "packs" / args.pack)
    seed = args.seed
    resolved = pack.resolve(draw_variant(pack, seed))
    name = args.design or pack.data["exemplars"][0]["name"]
    design = design_of(resolved, name)
    steps = len(design["steps"])
    print(
        f"engine {ENGINE_VERSION}, Python {platform.python_version()}, pack {args.pack} "
        f"v{pack.version}, design {name!r} ({steps} steps), seed {seed}, best of {args.repeat}"
    )
    if args.profile:
        _clear_caches()
        profiler = cProfile.Profile()
        profiler.runcall(grade, pack, seed, design, count=10_000)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        return

    header = ("cases", "grade cpu", "grade wall", "sim cpu", "events", "events/s", "grade/10k")
    print("{:>8} {:>10} {:>11} {:>8} {:>9} {:>11} {:>10}".format(*header))
    rows = []
    for count in COUNTS:
        repeat = args.repeat if count < 100_000 else max(1, args.repeat // 2)
        grade_cpu, grade_wall, sim_cpu = [], [], []
        for _ in range(repeat):
            _clear_caches()
            report, cpu, wall = _timed(lambda c=count: grade(pack, seed, design, count=c))
            grade_cpu.append(cpu)
            grade_wall.append(wall)
            sim, cpu, _ = _timed(lambda c=count: run(resolved, design, seed=seed, count=c))
            sim_cpu.append(cpu)
        assert report.decision in ("pass", "fail", "awaiting_human")
        best, best_sim = min(grade_cpu), min(sim_cpu)
        events = sim.metrics["events"]
        rows.append((count, best))
        print(
            f"{count:>8} {best:>10.3f} {min(grade_wall):>11.3f} {best_sim:>8.3f} {events:>9} "
            f"{events / best_sim:>11,.0f} {best / count * 10_000:>10.3f}"
        )
    (c1, t1), (c2, t2), (c3, t3) = rows
    print(
        f"growth: 1k->10k x{t2 / t1:.1f} time for x{c2 // c1} cases; "
        f"10k->100k x{t3 / t2:.1f} for x{c3 // c2}"
    )
    per_10k = statistics.median(t / c * 10_000 for c, t in rows)
    print(f"median grade cost per 10,000 cases: {per_10k:.3f} s (aim: < 0.3 s)")


if __name__ == "__main__":
    main()
