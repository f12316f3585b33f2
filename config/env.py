"""Small typed helpers to read settings from the environment.

Each helper fails loudly on a value it cannot parse, so a typo in production configuration
stops the process at start-up instead of silently falling back to a default. A variable
``NAME_FILE`` (path to a file) is read in place of ``NAME`` for secrets mounted as files.
"""

import os
from pathlib import Path

_MISSING = object()


class ImproperlyConfiguredEnv(RuntimeError):
    pass


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name)


def env_str(name: str, default: object = _MISSING) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfiguredEnv(f"Environment variable {name} is required.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a boolean (use true/false).")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not an integer.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
