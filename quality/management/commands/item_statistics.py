"""``manage.py item_statistics --scenario SLUG [--scenario-version N] [--json]``: compute and print the item
statistics of a scenario version (the latest by default), storing the snapshot."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from quality.item_stats_data import item_statistics_refresh
from scenarios.models import ScenarioVersion


class Command(BaseCommand):
    help = "Compute item statistics (facility, discrimination, variant difficulty)."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", required=True)
        parser.add_argument("--scenario-version", type=int, dest="scenario_version")
        parser.add_argument("--json", action="store_true", help="Print the snapshot as JSON.")

    def handle(self, *args, scenario, scenario_version=None, **options):
        versions = ScenarioVersion.objects.filter(scenario__slug=scenario).order_by("-version")
        chosen = (
            versions.filter(version=scenario_version).first()
            if scenario_version
            else versions.first()
        )
        if chosen is None:
            raise CommandError(f"No published version of {scenario!r}.")
        data = item_statistics_refresh(version=chosen).data
        if options["json"]:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(
            f"{scenario} v{chosen.version}: {data['attempts']} attempts, pass rate "
            f"{data['pass_rate']}"
        )
        for row in data["checkpoints"]:
            flag = "  WEAK" if row["weak_discrimination"] else ""
            self.stdout.write(
                f"  {row['checkpoint']:<40} facility {row['facility']}  "
                f"discrimination {row['discrimination']}{flag}"
            )
        for row in data["variants"]:
            if row["flagged"]:
                self.stdout.write(
                    f"  FLAGGED variant {row['parameter']} {row['group']}: pass rate "
                    f"{row['pass_rate']} vs {row['rest_pass_rate']} (p={row['p_value']})"
                )


def _dumps(data) -> str:
    return jsonlib.dumps(data, indent=2, default=str)
