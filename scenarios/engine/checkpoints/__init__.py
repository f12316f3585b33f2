"""Checkpoint kinds (see ``base`` for the registry). Importing the package registers them all."""

from . import human, outcome, structural  # noqa: F401  (registers the kinds)
from .base import (
    METRICS,
    PARAMS,
    REGISTRY,
    SELECTOR_KEYS,
    SELECTOR_PARAMS,
    Context,
    kind,
    matches,
)
from .outcome import _credit

__all__ = [
    "METRICS",
    "PARAMS",
    "REGISTRY",
    "SELECTOR_KEYS",
    "SELECTOR_PARAMS",
    "Context",
    "_credit",
    "kind",
    "matches",
]
