"""``manage.py item_statistics --scenario SLUG [--scenario-version N] [--rebuild] [--json]``:
print the item statistics of a scenario version (the latest by default), republished from the
running sums; ``--rebuild`` first recomputes the scenario's sums from every report with SQL
aggregates (also done when the scenario was never counted)."""

import json as jsonlib
import time

from django.core.management.base import BaseCommand, CommandError

from quality.item_stats_models import ItemStatsScenario
from quality.item_stats_rebuild import item_stats_rebuild
from quality.item_stats_services import item_stats_publish
from scenarios.models import ScenarioVersion


class Command(BaseCommand):
    help = "Item statistics (facility, discrimination, variant difficulty) of a scenario."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", required=True)
        parser.add_argument("--scenario-version", type=int, dest="scenario_version")
        parser.add_argument(
            "--rebuild", action="store_true", help="Recompute the sums from every report first."
        )
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
        never = not ItemStatsScenario.objects.filter(pk=chosen.scenario_id).exists()
        if options["rebuild"] or never:
            started = time.perf_counter()
            counts = item_stats_rebuild(
                scenario=chosen.scenario, reason="manage.py item_statistics --rebuild"
            )
            self.stderr.write(
                f"rebuilt {scenario}: {sum(counts.values())} reports in "
                f"{time.perf_counter() - started:.2f} s"
            )
        data = item_stats_publish(version_id=chosen.pk).data
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
