"""Load the demo data. Idempotent: a second run finds everything in place and changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.people import DEMO_PASSWORD, PEOPLE, load_people


class Command(BaseCommand):
    help = "Load demo people, firms, scenarios, exams, attempts and credentials (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true")
        parser.add_argument("--base-url", default=settings.PUBLIC_BASE_URL)
        parser.add_argument(
            "--force", action="store_true", help="Allow loading demo data with DEBUG off."
        )

    def handle(self, *args, print_logins: bool, base_url: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DEBUG off (use --force).")
        with transaction.atomic():
            users = load_people()
        extras = self._load_app_demos(users)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        if print_logins:
            from demo.exams import WAITING

            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for email, _name, role, firm, _kind in PEOPLE:
                self.stdout.write(
                    f"  {role.label:<22} {email:<24} {firm or '':<19} {WAITING[email]}"
                )
            self.stdout.write(
                f"  Staff pages: {base_url}/admin/   API docs: {base_url}/api/v1/docs/"
            )
            for line in extras:
                path = line.rsplit(" ", 1)[-1]
                self.stdout.write(f"  {line.rsplit(' ', 1)[0]} {base_url}{path}")

    def _load_app_demos(self, users) -> list[str]:
        """Each layer's demo data, lowest first; returns lines worth printing."""
        from demo.angoff import load_angoff_demo
        from demo.employers import load_employers
        from demo.exams import load_attempts, load_exams, load_scenarios
        from demo.programme import programme

        load_scenarios()
        exams = load_exams()
        with programme(users, exams) as lines:  # two years of a cohort, then today's people
            lines[:0] = load_attempts(users, exams)
        lines += load_employers(users)
        lines += load_angoff_demo(users)  # after the cohort: its item statistics inform round 2
        return lines
