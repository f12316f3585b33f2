from django.core.management.base import BaseCommand, CommandError

from scenarios import engine
from scenarios.services import PublishRefused, pack_paths, scenario_version_publish


class Command(BaseCommand):
    help = "Publish scenario packs from scenarios/packs (all when none is named). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("packs", nargs="*", metavar="PACK")

    def handle(self, *args, packs: list[str], **options):
        failed = False
        for path in pack_paths(packs or None):
            try:
                pack = engine.load_pack(path)
                version, created = scenario_version_publish(pack=pack)
            except (engine.PackError, PublishRefused) as exc:
                failed = True
                self.stderr.write(self.style.ERROR(f"{path.name}: {exc}"))
                for item in getattr(exc, "details", None) or []:
                    self.stderr.write(
                        f"  {item.get('kind')} {item.get('name')}: {item.get('problem')}"
                    )
                continue
            state = "published" if created else "already published"
            self.stdout.write(f"{version}: {state}")
        if failed:
            raise CommandError("Some packs were not published.")
