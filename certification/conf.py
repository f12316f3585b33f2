"""Credential settings, with the defaults used when config/settings does not set them."""

from django.conf import settings


def auto_create_key() -> bool:
    """Create a signing key on first use when there is none (development, tests, demos).
    Production sets CREDENTIAL_AUTO_CREATE_KEY = False so a missing key fails loudly."""
    return bool(getattr(settings, "CREDENTIAL_AUTO_CREATE_KEY", True))
