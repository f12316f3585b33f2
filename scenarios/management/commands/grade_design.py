import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scenarios import engine
from scenarios.engine.wording import count
from scenarios.models import ScenarioVersion
from scenarios.selectors import pack_for_version, published_version
from scenarios.services import PACKS_DIR


class Command(BaseCommand):
    help = "Grade a design file against a scenario and print the report (JSON with --json)."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", required=True, help="scenario slug")
        parser.add_argument("--design", required=True, help="path to the design JSON file")
        parser.add_argument("--seed", type=int, default=1, help="variant seed (default 1)")
        parser.add_argument("--scenario-version", type=int, default=None, dest="scenario_version")
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")

    def handle(self, *args, scenario: str, design: str, seed: int, scenario_version, **options):
        pack = self._pack(scenario, scenario_version)
        try:
            raw = Path(design).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {design}: {exc}") from exc
        parsed, errors = engine.parse_design_bytes(raw)
        if not errors:
            errors = engine.validate_design(parsed, pack)
        if errors:
            self.stdout.write(self.style.ERROR(f"The design has {len(errors)} problem(s):"))
            for e in errors:
                self.stdout.write(f"  {e.path}: {e.message}")
            raise CommandError("Invalid design.")
        report = engine.grade(pack, seed, parsed).to_dict()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, sort_keys=True))
        else:
            self.stdout.write(format_report(report))

    def _pack(self, slug: str, version: int | None) -> engine.Pack:
        try:
            return pack_for_version(published_version(slug, version))
        except ScenarioVersion.DoesNotExist:
            path = PACKS_DIR / slug
            if not (path / "pack.yaml").exists():
                raise CommandError(f"No scenario {slug!r} (published or in {PACKS_DIR}).") from None
            return engine.load_pack(path)


def format_report(report: dict) -> str:
    lines = [
        f"{report['scenario']['slug']} v{report['scenario']['version']}  seed {report['seed']}  "
        f"engine {report['engine_version']}",
        f"Decision: {report['decision'].upper()}   total {report['total']} (cut score "
        f"{report['cut_score']})   critical failures: {', '.join(report['critical_failures']) or 'none'}",
        "",
        "Checkpoints:",
    ]
    for cp in report["checkpoints"]:
        points = "pending" if cp["points"] is None else f"{cp['points']:g}/{cp['max_points']:g}"
        flag = " [critical]" if cp["critical"] else ""
        lines.append(f"  {cp['status'].upper():<8}{points:>10}  {cp['id']}{flag}: {cp['title']}")
        if cp["status"] not in ("pass",):
            if cp["feedback"]:
                lines.append(f"{'':20}{cp['feedback'].strip()}")
            ev = cp["evidence"]
            if "path" in ev:
                lines.append(f"{'':20}path: {' -> '.join(ev['path'])}  cases: {ev.get('cases')}")
            if "counterexample" in ev:
                ce = ev["counterexample"]
                lines.append(f"{'':20}e.g. {ce['case_id']} {ce['attributes']}")
                lines.append(
                    f"{'':20}     path: {' -> '.join(ce['path'])}  outcome: {ce['outcome']}"
                )
            for key in ("steps", "problems", "performers", "missing"):
                if key in ev:
                    lines.append(f"{'':20}{key}: {ev[key]}")
    lines += ["", f"Metrics {'':<27}{'design':>12}{'today':>12}"]
    for key, value in report["metrics"].items():
        if key == "utilisation":
            continue
        lines.append(f"  {key:<34}{value!s:>12}{report['baseline_metrics'][key]!s:>12}")
    for role, value in report["metrics"]["utilisation"].items():
        today = report["baseline_metrics"]["utilisation"].get(role, "")
        lines.append(f"  {'utilisation ' + role:<34}{value!s:>12}{today!s:>12}")
    if report["pending_human"]:
        lines += ["", "Waiting for graders:"]
        for item in report["pending_human"]:
            lines.append(f"  {item['id']}")
            for level in item["levels"]:
                lines.append(f"    {count(level['points'], 'point')}: {level['descriptor']}")
    lines += [
        "",
        "Domain scores: " + ", ".join(f"{k} {v}" for k, v in report["domain_scores"].items()),
    ]
    return "\n".join(lines)
