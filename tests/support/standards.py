"""Where the shared standards files (W3C vectors, OB schema, published contexts) are.

They are read in place, never copied into the project: ``PRACTICA_STANDARDS_DIR`` if set, else
the nearest ``shared/standards`` beside the checkout or any folder above it (a clean clone may
live anywhere), else ``/work/shared/standards``.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def standards_dir() -> Path:
    configured = os.environ.get("PRACTICA_STANDARDS_DIR")
    if configured:
        return Path(configured)
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "standards"
        if candidate.is_dir():
            return candidate
    return Path("/work/shared/standards")


STANDARDS = standards_dir()
