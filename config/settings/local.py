"""Development settings: the embedded default (SQLite, in-process tasks) unless env says
otherwise. DEBUG stays off unless asked for (``DEBUG=true``; ``make run`` asks)."""

import secrets

from .base import *  # noqa: F403
from .base import SECRET_KEY, STATIC_ROOT, VAR_DIR

# The SQLite file, the development key and signing keys live in var/; only development
# settings create it (production settings write nothing when imported).
VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(exist_ok=True)


def _development_secret_key() -> str:
    """A random key kept in var/ so sessions survive restarts in development."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = SECRET_KEY or _development_secret_key()
# Serve static files straight from the apps (no collectstatic needed), with DEBUG on or off.
WHITENOISE_USE_FINDERS = True
