"""Compute and print the agreement statistics of double marking (stored like the task's)."""

import json

from django.core.management.base import BaseCommand

from quality import agreement


def _kappa(row: dict) -> str:
    if row["kappa"] is None:
        return "undefined"
    interval = f" [{row['ci_low']:.2f}, {row['ci_high']:.2f}]" if row["ci_low"] is not None else ""
    return f"{row['kappa']:.3f}{interval}"


def _share(value) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


class Command(BaseCommand):
    help = (
        "Quadratic weighted kappa (95% CI), exact and adjacent agreement per criterion and per "
        "grader, from double-marked items; flags graders below QUALITY_KAPPA_THRESHOLD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scenario", default="", help="a scenario slug (default: all)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the report as JSON"
        )

    def handle(self, *args, scenario, as_json: bool = False, **options):
        report = agreement.report_compute(scenario_slug=scenario)
        if as_json:
            self.stdout.write(_dumps(report))
            return
        out = self.stdout.write
        out(f"Agreement for {scenario or 'all scenarios'}: {report.pairs} double-marked items")
        out("Per criterion (first vs second mark):")
        for row in report.figures["criteria"]:
            out(
                f"  {row['scenario']}/{row['checkpoint']}: n={row['n']} kappa={_kappa(row)} "
                f"exact={_share(row['exact'])} adjacent={_share(row['adjacent'])}"
            )
        names = agreement.grader_names(report)
        out(f"Per grader (flagged below {report.threshold}):")
        for row in report.figures["graders"]:
            flag = "  FLAGGED" if row["flagged"] else ""
            out(
                f"  {names.get(row['grader_id'], row['grader_id'])}: n={row['n']} "
                f"kappa={_kappa(row)} exact={_share(row['exact'])} "
                f"adjacent={_share(row['adjacent'])}{flag}"
            )


def _dumps(report) -> str:
    return json.dumps(
        {
            "scenario": report.scenario_slug,
            "computed_at": report.computed_at.isoformat(),
            "threshold": report.threshold,
            "pairs": report.pairs,
            **report.figures,
        },
        indent=2,
    )
