"""Item statistics at 1,000,000 graded attempts, on PostgreSQL.

Fills one scenario version (a copy of the accounts-payable pack: 17 checkpoints, 6 variant
parameters) with ``--attempts`` decided attempts written by ``generate_series`` straight into
the tables the statistics read (attempts, grading jobs, grade reports with engine-shaped JSON,
decisions). Points are partial credit in quarters of each checkpoint's weight, drawn from a
per-candidate ability, so checkpoints correlate as real ones do; attempts that drew the 25,000
approval threshold are planted harder (ability x 0.8). Then it prints:

  * the full rebuild (``item_statistics --rebuild``: ledger and sums by SQL aggregates);
  * the incremental update per newly decided report, and per regraded report (subtract the
    old, add the new), i.e. what the ``item_statistics_count`` task costs: p50/p95 in ms;
  * a snapshot publish from the sums (what the debounced task and the beat do);
  * reads: the API, the CSV and the staff page (p50/p95, and queries per request);
  * for scale, the old way: streaming every report through Python, timed on a sample and
    extrapolated to all attempts.

Use your own database; it is created if missing and kept (a second run reuses the data):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_itemstats \\
        .venv/bin/python bench/bench_item_stats.py [--attempts 1000000] [--rounds 30]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BATCH = 100_000

# The same helpers as the partner dashboard benchmark (own database, warm p50/p95).
from bench_partners import ensure_database, timed  # noqa: E402
from bench_partners import percentiles as ms  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--incremental", type=int, default=200, help="new reports counted")
    parser.add_argument("--python-sample", type=int, default=50_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("skipped: set DATABASE_URL to a PostgreSQL database of your own.")
        return
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from item_stats_fill import SLUG, attempt_id, fixtures, generate

    from assessments.models import GradeReport
    from quality import item_stats, item_stats_services
    from quality.item_stats_data import row_of, spec_of
    from quality.item_stats_models import ItemStatsCounted
    from quality.item_stats_rebuild import item_stats_rebuild
    from tests.quality.item_stats_factories import regraded

    call_command("migrate", verbosity=0)
    version, exam, candidate, staff = fixtures()
    have = GradeReport.objects.filter(scenario_version=version).count()
    if have < args.attempts:
        start = time.perf_counter()
        for first in range(have + 1, args.attempts + 1, BATCH):
            generate(version, exam, candidate, first, min(first + BATCH - 1, args.attempts))
            print(f"  generated {min(first + BATCH - 1, args.attempts):,} attempts", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # (autocommit: outside any transaction)
        print(f"generated in {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('assessments_gradereport'))")
        size = cursor.fetchone()[0]
    have = GradeReport.objects.filter(scenario_version=version).count()
    print(f"\n{SLUG} v1: {have:,} decided reports (grade report table {size})")

    print("\nFull rebuild (SQL aggregates; what item_statistics --rebuild runs):")
    from quality import item_stats_rebuild as rebuild_module

    parts: dict[str, float] = {}
    for name in ("_fill_ledger", "_version_sums", "item_stats_publish"):
        original = getattr(rebuild_module, name)

        def timed_part(*a, _name=name, _original=original, **k):
            begun = time.perf_counter()
            try:
                return _original(*a, **k)
            finally:
                parts[_name] = parts.get(_name, 0.0) + time.perf_counter() - begun

        setattr(rebuild_module, name, timed_part)
    start = time.perf_counter()
    counts = item_stats_rebuild(scenario=version.scenario, reason="benchmark")
    print(f"  {counts[version.pk]:,} reports in {time.perf_counter() - start:.1f} s:")
    print(f"    ledger refilled (INSERT ... SELECT)   {parts['_fill_ledger']:6.1f} s")
    print(f"    sums aggregated (one pass over JSON)  {parts['_version_sums']:6.1f} s")
    print(f"    snapshot published                    {parts['item_stats_publish']:6.2f} s")
    data = item_stats_services.item_stats_publish(version_id=version.pk).data
    flagged = [f"{v['parameter']}={v['group']}" for v in data["variants"] if v["flagged"]]
    print(f"  pass rate {data['pass_rate']}, flagged variant groups: {', '.join(flagged)}")

    # Incremental: new decided attempts counted one by one (publishing is measured apart, so
    # its message is held back here).
    item_stats_services._send_after_commit = lambda *a, **k: None
    base = max(args.attempts, ItemStatsCounted.objects.count()) + 1_000_000
    generate(version, exam, candidate, base, base + args.incremental - 1, spread=False)
    new = [attempt_id(i) for i in range(base, base + args.incremental)]
    samples = []
    for pk in new:
        start = time.perf_counter()
        item_stats_services.item_stats_count_attempt(attempt_id=pk)
        samples.append(time.perf_counter() - start)
    print(f"\nIncremental update, one newly decided report ({len(new)} reports):  {ms(samples)}")
    again = timed(lambda: item_stats_services.item_stats_count_attempt(attempt_id=new[0]), 30)
    print(f"  the same task again (counted already: no change)        {ms(again)}")
    from assessments.models import Attempt

    samples = []
    points = {c: 1.0 for c in spec_of(version.pk)[0]}
    for pk in new[:50]:
        regraded(attempt=Attempt.objects.get(pk=pk), version=version, points=points, by=staff)
        start = time.perf_counter()
        item_stats_services.item_stats_count_attempt(attempt_id=pk)
        samples.append(time.perf_counter() - start)
    print(f"  a regraded report (old one subtracted, new one added)   {ms(samples)}")

    publish = timed(lambda: item_stats_services.item_stats_publish(version_id=version.pk), 30)
    print(f"\nSnapshot publish from the sums                           {ms(publish)}")
    sweep = timed(item_stats_services.item_stats_sweep, 10)
    print(f"Beat sweep (lost counts, changed versions; nothing due)   {ms(sweep)}")

    client = Client()
    client.force_login(staff)
    api = f"/api/v1/quality/item-statistics/{SLUG}/"
    print(f"\nReads ({args.rounds} rounds, one process, warm):")
    paths = (("API", api), ("CSV", api + "checkpoints.csv"), ("page", "/quality/item-statistics/"))
    for label, path in paths:
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *a, q=queries: q.append(sql) or run(sql, *a)
        ):
            assert client.get(path).status_code == 200
        print(
            f"  {label:<5} {path:<60} {ms(timed(lambda p=path: client.get(p), args.rounds))}"
            f"   {len(queries)} queries"
        )

    # The old way, for scale: every report through Python on each recomputation.
    max_points, parameters = spec_of(version.pk)
    rows = (
        GradeReport.objects.filter(scenario_version=version)
        .values_list("final_report", "engine_report", "decision")
        .order_by("pk")[: args.python_sample]
    )
    start = time.perf_counter()
    item_stats.scenario_statistics(
        (row_of(*r) for r in rows.iterator(chunk_size=2000)), max_points, parameters
    )
    seconds = time.perf_counter() - start
    print(
        f"\nOld way (stream every report through Python): {args.python_sample:,} reports in "
        f"{seconds:.1f} s, so about {seconds * have / args.python_sample / 60:.1f} min for "
        f"{have:,} (extrapolated)"
    )


if __name__ == "__main__":
    main()
