"""requirements.lock (what `make install` installs, hash-checked) agrees with pyproject.toml.
After changing a dependency: `make lock`."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [Requirement(line) for line in lines]


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) for every package the lock pins."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = LOCKED.match(line)
        if match:
            current = canonicalize_name(match[1])
            pins[current] = (match[2], [])
        elif current and line.strip().startswith("--hash=sha256:"):
            pins[current][1].append(line.strip().removeprefix("--hash=sha256:").rstrip(" \\"))
        elif not line.startswith(" "):
            current = None
    return pins


def test_every_declared_dependency_is_locked_at_its_pinned_version():
    locked = _locked()
    wrong = []
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        version = locked.get(name, (None, []))[0]
        if version is None or version not in requirement.specifier:
            wrong.append(f"{requirement} (lock: {version})")
    assert wrong == [], f"requirements.lock is out of date; run `make lock`: {wrong}"


def test_every_locked_package_has_hashes():
    locked = _locked()
    assert len(locked) > len(_declared())  # the transitive dependencies are there too
    unhashed = [name for name, (_, hashes) in locked.items() if not hashes]
    assert unhashed == []
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for _, hashes in locked.values() for h in hashes)


def test_the_lock_knows_every_extra_the_declared_dependencies_ask_for():
    # celery[redis], psycopg[binary]: the extra's own packages must be locked too.
    locked = _locked()
    assert "redis" in locked and "psycopg-binary" in locked
