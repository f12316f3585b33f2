"""The key registry's generation: a stamp that changes whenever the manifest does (rotation,
compromise). Verification caches carry it, so a key reported compromised stops verifying at
once; a batch pins it for its duration (``registry_snapshot``)."""

import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def manifest_path() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR) / "manifest.json"


_snapshot = threading.local()


@contextmanager
def registry_snapshot():
    """Within the block, ``generation`` answers what it was on entry, without a ``stat`` each
    call: a batch (bulk verification: tens of thousands of calls) sees the registry as it was
    when the request began, as a single verification does. Nests; per thread."""
    previous = getattr(_snapshot, "generation", None)
    _snapshot.generation = previous or _current_generation()
    try:
        yield
    finally:
        _snapshot.generation = previous


def generation() -> str:
    """Changes whenever the key registry does (rotation, compromise): caches of verification
    results carry it, so a key reported compromised stops verifying at once."""
    return getattr(_snapshot, "generation", None) or _current_generation()


def _current_generation() -> str:
    path = manifest_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return "none"
    return f"{info.st_ino}-{info.st_mtime_ns}-{info.st_size}"
