"""``manage.py similarity_calibration [--seeds N]``: print the calibration table of similarity
detection (docs/quality/similarity.md): scores of disguised copies of the packs' designs
against scores of independently made designs, at the configured thresholds."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quality import similarity_calibration as calibration


class Command(BaseCommand):
    help = "Print similarity scores of disguised copies against independent designs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds", type=int, default=20, help="Random copies per exemplar and edit count."
        )

    def handle(self, *args, seeds: int, **options):
        if not 1 <= seeds <= 1000:
            raise CommandError("--seeds is between 1 and 1000.")
        packs = calibration.pack_designs()
        self.stdout.write("Structure (weighted similarity, quality/similarity.py):")
        rows = calibration.structure_rows(packs, seeds)
        for line in calibration.table(rows, settings.QUALITY_SIMILARITY_THRESHOLD):
            self.stdout.write(line)
        self.stdout.write("\nRationale (Jaccard of word pairs, quality/similarity_text.py):")
        rows = calibration.text_rows(packs, seeds)
        for line in calibration.table(rows, settings.QUALITY_SIMILARITY_TEXT_THRESHOLD):
            self.stdout.write(line)
