from django.core.management.base import BaseCommand

from certification import keys


class Command(BaseCommand):
    help = "Create a new signing key and retire the current one (it stays published)."

    def handle(self, *args, **options):
        key = keys.add_key()
        self.stdout.write(
            f"New active key {key.key_id} ({key.public_multibase}); earlier keys retired, still published."
        )
