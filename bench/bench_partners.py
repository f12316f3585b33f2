"""Partner dashboard and export benchmark on PostgreSQL at the seed's scale.

Prints, for the largest synthetic firm (20,000 members at the default scale):
  * the dashboard figures computed live (what the snapshot refresh costs, ``partners.snapshots``),
    and the dashboard API (/api/v1/partners/<slug>/dashboard/) and page (/partners/<slug>/)
    served from the fresh snapshot through Django's test client in this process (middleware,
    authentication, serialization and templates included): p50 and p95;
  * ``refresh_due``: recomputing every firm's snapshot once (what the beat task does);
  * the roster CSV export of that firm: time, rows, bytes, and peak Python memory (tracemalloc);
  * peak memory of roster exports of 10,000 and 50,000 rows (two extra firms whose memberships
    are added to existing synthetic consultants), to show the memory does not grow with rows.

It first fills the database with ``generate_scale_data`` (idempotent: a second run reuses the
data). Use your own database; it is created if missing and kept for the next run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_p1 \\
        .venv/bin/python bench/bench_partners.py --consultants 300000 [--rounds 30]
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def timed(fn, rounds: int) -> list[float]:
    fn()  # warm up (connection, caches, plans)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def export_peak(firm) -> tuple[int, int, float, int]:
    """(rows, bytes, seconds, peak bytes) of streaming the firm's roster CSV to nowhere."""
    from partners import exports

    tracemalloc.start()
    start = time.perf_counter()
    rows = size = 0
    for line in exports.csv_lines(exports.roster_rows(firm=firm)):
        rows += 1
        size += len(line)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows - 1, size, seconds, peak


def export_firm(slug: str, members: int):
    """A firm whose memberships are the first ``members`` synthetic consultants (idempotent)."""
    from accounts.models import Membership, PartnerOrganisation, User

    firm, _ = PartnerOrganisation.objects.get_or_create(slug=slug, defaults={"name": slug})
    have = Membership.objects.filter(organisation=firm).count()
    if have < members:
        users = (
            User.objects.filter(email__startswith="scale-")
            .order_by("pk")
            .values_list("pk", flat=True)[have:members]
        )
        Membership.objects.bulk_create(
            [Membership(organisation=firm, user_id=pk) for pk in users], batch_size=5000
        )
    return firm


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--consultants", type=int, default=300_000)
    parser.add_argument("--firms", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of your own (it is created if missing)."
        )
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import Membership, PartnerOrganisation, Role, User
    from partners import snapshots
    from partners.scale import FIRM_SLUG

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("generate_scale_data", consultants=args.consultants, firms=args.firms)
    print(f"generate_scale_data: {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    firm = PartnerOrganisation.objects.get(slug=FIRM_SLUG.format(0))
    manager, _ = User.objects.get_or_create(
        email="bench-manager@scale.test",
        defaults={"full_name": "Bench Manager", "role": Role.PARTNER_MANAGER},
    )
    Membership.objects.get_or_create(
        user=manager, organisation=firm, kind=Membership.Kind.MANAGER, left_at=None
    )
    members = Membership.objects.filter(
        organisation=firm, kind="consultant", left_at__isnull=True
    ).count()
    figures = snapshots.compute_figures(firm=firm)
    print(
        f"\nLargest firm {firm.slug}: {members:,} current consultants, {figures['headcount']['total']:,} certified now"
    )
    print(f"  pipeline {figures['pipeline']}")

    client = Client()
    client.force_login(manager)
    api, page = f"/api/v1/partners/{firm.slug}/dashboard/", f"/partners/{firm.slug}/"
    assert client.get(api).status_code == 200 and client.get(page).status_code == 200
    print(f"\n{args.rounds} rounds each (one process, warm):")
    live = timed(lambda: snapshots.compute_figures(firm=firm), args.rounds)
    print(f"  figures computed live (what a snapshot refresh costs)  {percentiles(live)}")
    snapshots.refresh(firm=firm)
    print("  served from the fresh snapshot:")
    print(f"  dashboard API  {api:<40} {percentiles(timed(lambda: client.get(api), args.rounds))}")
    print(
        f"  dashboard page {page:<40} {percentiles(timed(lambda: client.get(page), args.rounds))}"
    )

    from partners.models import DashboardSnapshot

    DashboardSnapshot.objects.all().delete()
    start = time.perf_counter()
    refreshed = snapshots.refresh_due()
    print(f"\nrefresh_due: {refreshed:,} firms' snapshots in {time.perf_counter() - start:.1f} s")

    rows, size, seconds, peak = export_peak(firm)
    print(
        f"\nRoster CSV of {firm.slug}: {rows:,} rows, {size / 1e6:.1f} MB in {seconds:.2f} s, peak Python memory {peak / 1e6:.2f} MB"
    )
    print("\nRoster CSV peak memory by size (constant memory: the peak should not grow with rows):")
    for count in (10_000, 50_000):
        if count > User.objects.filter(email__startswith="scale-").count():
            print(f"  {count:>6,} rows: skipped (fewer synthetic consultants)")
            continue
        rows, size, seconds, peak = export_peak(
            export_firm(f"bench-export-{count // 1000}k", count)
        )
        print(
            f"  {rows:>6,} rows  {size / 1e6:5.1f} MB  {seconds:5.2f} s  peak {peak / 1e6:5.2f} MB"
        )


if __name__ == "__main__":
    main()
