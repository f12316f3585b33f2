"""Development settings: the embedded default (SQLite, in-process tasks) unless env says
otherwise."""

from .base import *  # noqa: F403
