"""Where the standards files (W3C vectors, OB schema, published contexts) are.

The tests read the project's own copies, ``tests/fixtures/standards`` (``FIXTURES``), so the
suite runs whole in a clone of the repository alone. ``SHARED`` is the team's
``shared/standards`` folder when there is one — ``PRACTICA_STANDARDS_DIR`` if set, else the
nearest ``shared/standards`` beside the checkout or in a folder above it — and None otherwise;
only the test that compares the copies with it needs it.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "standards"


def shared_dir() -> Path | None:
    configured = os.environ.get("PRACTICA_STANDARDS_DIR")
    if configured:
        return Path(configured)
    for folder in ROOT.parents:
        candidate = folder / "shared" / "standards"
        if candidate.is_dir():
            return candidate
    return None


SHARED = shared_dir()
