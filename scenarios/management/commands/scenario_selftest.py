from django.core.management.base import BaseCommand, CommandError

from scenarios import engine
from scenarios.engine.selftest import selftest_seeds
from scenarios.services import pack_paths


def _span(seeds: list[int]) -> str:
    """1-30, or 1-30, 42 when a pack adds seeds of its own."""
    run_end = next((i for i, s in enumerate(seeds) if s != seeds[0] + i), len(seeds))
    extra = seeds[run_end:]
    return f"{seeds[0]}-{seeds[run_end - 1]}" + "".join(f", {s}" for s in extra)


class Command(BaseCommand):
    help = (
        "Validate and self-test scenario packs (all when none is named): every exemplar passes, "
        "every flawed design fails its declared checkpoints, the baseline fails, at each of at "
        "least 30 seeds (variants)."
    )

    def add_arguments(self, parser):
        parser.add_argument("packs", nargs="*", metavar="PACK")

    def handle(self, *args, packs: list[str], **options):
        failures = 0
        for path in pack_paths(packs or None):
            try:
                pack = engine.load_pack(path)
            except engine.PackError as exc:
                failures += 1
                self.stdout.write(self.style.ERROR(f"{path.name}: invalid pack"))
                for problem in exc.problems:
                    self.stdout.write(f"    {problem.path}: {problem.message}")
                continue
            result = engine.selftest(pack)
            status = self.style.SUCCESS("ok") if result.ok else self.style.ERROR("FAILED")
            seeds = selftest_seeds(pack)
            self.stdout.write(
                f"{pack.slug} v{pack.version}: {status} ({len(seeds)} seeds: {_span(seeds)})"
            )
            for line in result.summary_lines():
                self.stdout.write(f"  {line}")
            failures += 0 if result.ok else 1
        if failures:
            raise CommandError(f"{failures} pack(s) failed their self-test.")
