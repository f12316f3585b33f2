from django.core.management.base import BaseCommand, CommandError

from scenarios import engine
from scenarios.services import pack_paths


class Command(BaseCommand):
    help = (
        "Validate and self-test scenario packs (all when none is named): every exemplar passes, "
        "every flawed design fails exactly its declared checkpoints, the baseline fails."
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
            seeds = pack.data.get("selftest", {}).get("seeds", [1, 2, 3])
            self.stdout.write(f"{pack.slug} v{pack.version}: {status} (seeds {seeds})")
            for line in result.summary_lines():
                self.stdout.write(f"  {line}")
            failures += 0 if result.ok else 1
        if failures:
            raise CommandError(f"{failures} pack(s) failed their self-test.")
