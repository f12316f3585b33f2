from django.core.management.base import BaseCommand, CommandError

from certification import keys
from certification.services import credentials_resign_for_key


class Command(BaseCommand):
    help = (
        "Handle a compromised signing key: stop publishing it, rotate to a new key if it was "
        "the active one, and re-sign everything it signed."
    )

    def add_arguments(self, parser):
        parser.add_argument("key_id")

    def handle(self, *args, key_id: str, **options):
        known = {k.key_id: k for k in keys.all_keys()}
        if key_id not in known:
            raise CommandError(f"Unknown key {key_id}; known: {', '.join(known)}")
        if known[key_id].state == "active":
            keys.add_key()
        keys.mark_compromised(key_id)
        count = credentials_resign_for_key(key_id=key_id)
        self.stdout.write(
            f"Key {key_id} marked compromised; {count} credential(s) re-signed with the new key."
        )
