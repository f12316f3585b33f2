"""Standard-setting benchmark: what a modified-Angoff study costs to show and to adopt.

Prints, on one core: the time to compute a round's figures (``quality.angoff.summarise``: mean,
SD, range and flag per checkpoint, each rater's cut, the standard error) over the AP rubric for
panels of 5, 50 and 500 raters (the study page computes this on every load), and the time of the
rubric self-test that adopting a study runs when it publishes the new version (the adoption
request waits for it).

Times are CPU seconds of this process (``time.process_time``), best of ``--repeat``, with
wall-clock alongside: on a shared machine wall-clock mostly measures the neighbours. This prints
figures; it is not a timed test.

Run: `make bench` or `.venv/bin/python bench/bench_angoff.py [--repeat N] [--no-selftest]`.
"""

import argparse
import copy
import importlib.util
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenarios.engine import load_pack, parse_pack, selftest  # noqa: E402

# quality.angoff is plain Python; load it without importing the Django app around it.
_spec = importlib.util.spec_from_file_location("angoff", ROOT / "quality" / "angoff.py")
angoff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(angoff)


def timed(fn, repeat: int) -> tuple[float, float]:
    best_cpu, best_wall = float("inf"), float("inf")
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-selftest", action="store_true")
    args = parser.parse_args()

    pack = load_pack(ROOT / "scenarios" / "packs" / "ap-invoice-processing")
    checkpoints = angoff.checkpoints_of(pack.data)
    rated = angoff.rated_ids(checkpoints)
    rng = random.Random(1)
    print(f"AP rubric: {len(checkpoints)} checkpoints, {len(rated)} rated")
    print(f"{'raters':>7} {'summarise cpu ms':>17} {'wall ms':>8} {'cut':>7} {'SE':>6}")
    for raters in (5, 50, 500):
        ratings = {f"r{i}": {c: rng.uniform(40, 95) for c in rated} for i in range(raters)}
        result = angoff.summarise(checkpoints, ratings)
        cpu, wall = timed(lambda r=ratings: angoff.summarise(checkpoints, r), args.repeat)
        print(
            f"{raters:>7} {cpu * 1000:>17.2f} {wall * 1000:>8.2f} "
            f"{result['cut_score']:>7} {result['standard_error']:>6}"
        )
    if args.no_selftest:
        return
    data = copy.deepcopy(pack.data)
    data["version"] += 1
    data["rubric"]["cut_score"] = 85.88
    data["rubric"]["standard_setting"] = {"method": "modified-angoff", "study": "bench"}
    new = parse_pack(data)
    outcome = {}
    cpu, wall = timed(lambda: outcome.update(ok=selftest(new).ok), 1)
    print(
        f"adoption's self-test of the new AP version (cut 85.88): cpu {cpu:.1f} s, "
        f"wall {wall:.1f} s, passes: {outcome['ok']}"
    )


if __name__ == "__main__":
    main()
