"""Fill the database with synthetic data at the seed's scale (see partners/scale.py)."""

import time

from django.core.management.base import BaseCommand

from partners.scale import generate


class Command(BaseCommand):
    help = (
        "Synthetic consultants, firms (realistic skew), two years of memberships, attempts, "
        "decisions and credentials, for benchmarks. Idempotent. Meant for PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--consultants", type=int, default=300_000)
        parser.add_argument("--firms", type=int, default=1_000)

    def handle(self, *args, consultants, firms, **options):
        started = time.perf_counter()
        created = generate(consultants=consultants, firms=firms, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} in {time.perf_counter() - started:.1f} s "
                f"(largest firm {created['largest_firm']}: {created['largest_firm_members']:,})."
            )
        )
