"""Scenario packs: loading, checking, and resolving a pack's numbers for one variant.

A pack is authored as YAML (see docs/scenarios/pack-format.md). Numbers that vary per attempt are
written as ``${name}`` and drawn from ``variant_parameters`` by :func:`draw_variant`.
"""

import copy
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .domains import attribute_kinds, enum_values
from .errors import PackError, Problem
from .pack_checks import reference_problems, schema_problems

_PLACEHOLDER = re.compile(r"^\$\{([a-z_][a-z0-9_]*)\}$")
_INLINE = re.compile(r"\$\{([a-z_][a-z0-9_]*)\}")


@dataclass
class Pack:
    """A parsed pack. ``data`` is the authored document; ``resolve(variant)`` gives its numbers."""

    data: dict
    sha256: str = ""
    role_ids: set = field(default_factory=set)
    agent_ids: set = field(default_factory=set)
    system_ids: set = field(default_factory=set)
    task_types: set = field(default_factory=set)
    action_kinds: set = field(default_factory=set)
    data_classes: set = field(default_factory=set)
    case_attributes: set = field(default_factory=set)
    # attribute -> "boolean" | "enumeration" | "number", and each enumeration's values
    attribute_kinds: dict = field(default_factory=dict)
    enum_values: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.data["slug"]

    @property
    def version(self) -> int:
        return self.data["version"]

    @property
    def rubric(self) -> dict:
        return self.data["rubric"]

    def resolve(self, variant: dict) -> dict:
        """The pack's data with every ``${name}`` replaced by the variant's value."""
        return substitute(self.data, variant)

    def public_view(self) -> dict:
        """What a candidate may see: no exemplars, flawed designs or hidden adversarial detail."""
        hidden = {"exemplars", "flawed"}
        view = {k: v for k, v in self.data.items() if k not in hidden}
        cases = dict(view["cases"])
        cases.pop("adversarial", None)
        view["cases"] = cases
        return view


def substitute(value, variant: dict):
    """``value`` (pack data) with every ``${name}`` replaced by the variant's value."""
    if isinstance(value, dict):
        return {k: substitute(v, variant) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, variant) for v in value]
    if isinstance(value, str):
        whole = _PLACEHOLDER.match(value)
        if whole:
            return variant[whole.group(1)]
        if "${" in value:
            return _INLINE.sub(lambda m: _fmt(variant[m.group(1)]), value)
    return value


def _fmt(value) -> str:
    if isinstance(value, float) and value < 1:
        return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"
    if isinstance(value, (int, float)):
        return f"{value:,.0f}"
    return str(value)


def load_pack(path: str | Path) -> Pack:
    """Load ``pack.yaml`` (a file, or a folder holding one) and check it."""
    path = Path(path)
    if path.is_dir():
        path = path / "pack.yaml"
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise PackError([Problem(str(path), f"Cannot read the pack: {exc}", "unreadable")]) from exc
    return parse_pack(data)


def parse_pack(data: object) -> Pack:
    """Check pack data (schema, references, placeholders) and parse it. Raises PackError with
    every problem found, each with a JSON path."""
    if not isinstance(data, dict):
        raise PackError([Problem("$", "A pack must be a mapping.", "type")])
    problems = schema_problems(data)
    if problems:
        raise PackError(problems)
    data = copy.deepcopy(data)
    for bad in sorted(_unknown_placeholders(data, set(data.get("variant_parameters", {})))):
        problems.append(
            Problem("$", f"Placeholder ${{{bad}}} has no variant parameter.", "unknown_placeholder")
        )
    problems.extend(reference_problems(data))
    if problems:
        raise PackError(problems)
    return Pack(
        data=data,
        sha256=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
        role_ids={r["id"] for r in data["roles"]},
        agent_ids={a["id"] for a in data["agents"]},
        system_ids={s["id"] for s in data["systems"]},
        task_types=set(data["task_types"]),
        action_kinds=set(data["actions"]),
        data_classes=set(data["data_classes"]),
        case_attributes=set(data["cases"]["attributes"]) | {"flagged"},
        attribute_kinds=attribute_kinds(data),
        enum_values=enum_values(data),
    )


def _unknown_placeholders(value, known: set) -> set:
    found = set()
    if isinstance(value, dict):
        for v in value.values():
            found |= _unknown_placeholders(v, known)
    elif isinstance(value, list):
        for v in value:
            found |= _unknown_placeholders(v, known)
    elif isinstance(value, str):
        found |= {name for name in _INLINE.findall(value) if name not in known}
    return found


def draw_variant(pack: Pack, seed: int) -> dict:
    """The pack's variable numbers for one attempt, drawn deterministically from ``seed``."""
    rng = random.Random(f"variant:{pack.slug}:{pack.version}:{seed}")
    variant = {}
    for name in sorted(pack.data.get("variant_parameters", {})):
        spec = pack.data["variant_parameters"][name]
        if "choices" in spec:
            variant[name] = spec["choices"][rng.randrange(len(spec["choices"]))]
        elif spec.get("type") == "int":
            step = spec.get("step", 1)
            variant[name] = rng.randrange(spec["min"], spec["max"] + 1, step)
        else:
            value = rng.uniform(spec["min"], spec["max"])
            variant[name] = round(value, spec.get("digits", 4))
    return variant


def render_brief(pack: Pack, variant: dict) -> str:
    return substitute(pack.data["brief"], variant)
