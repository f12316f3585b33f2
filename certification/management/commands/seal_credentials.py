"""Seal the proofs of credentials issued before proof seals existed (see proof_seal.py)."""

from django.core.management.base import BaseCommand

from certification.services.sealing import credentials_seal


class Command(BaseCommand):
    help = (
        "Check the proof of every credential without a proof seal and seal those that pass, so "
        "by-ID and bulk verification stop re-checking them. Safe to rerun and to interrupt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        sealed, failed = credentials_seal(batch_size=batch_size)
        self.stdout.write(f"Sealed {sealed} credentials; {failed} did not pass the proof check.")
