"""Everything a pack author can get wrong, found at load time with a JSON path and a message:
the pack schema (``schemas/pack-v1.json``), then references between sections (roles, task
types, checkpoints, selectors, metrics, exemplars and flawed designs) and the numbers that must
add up. The designs inside a pack are checked by the self-test, which grades them."""

import json
import math
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .errors import Problem, json_path
from .wording import count

_SCHEMA_PATH = Path(__file__).parent / "schemas" / "pack-v1.json"
MAX_PROBLEMS = 200


@cache
def pack_json_schema() -> dict:
    return json.loads(_SCHEMA_PATH.read_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(pack_json_schema())


def schema_problems(data: dict) -> list[Problem]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    problems = []
    for err in errors[:MAX_PROBLEMS]:
        message = err.message if len(err.message) < 300 else err.message[:297] + "..."
        if err.validator == "additionalProperties":
            message += " (check the spelling; in YAML flow mappings quote text with commas)"
        problems.append(Problem(json_path(err.absolute_path), message, "pack_schema"))
    return problems


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def reference_problems(data: dict) -> list[Problem]:
    """Cross-references and arithmetic. Assumes the schema holds."""
    from .checkpoints import METRICS, PARAMS, REGISTRY, SELECTOR_KEYS, SELECTOR_PARAMS

    problems: list[Problem] = []

    def add(path: str, message: str, code: str = "pack_reference") -> None:
        problems.append(Problem(path, message, code))

    def unique(section: str, items: list, key: str = "id") -> set:
        seen: set = set()
        for i, item in enumerate(items):
            if item[key] in seen:
                add(f"$.{section}[{i}].{key}", f"{item[key]!r} is used twice.", "duplicate")
            seen.add(item[key])
        return seen

    roles = unique("roles", data["roles"])
    agents = unique("agents", data["agents"])
    systems = unique("systems", data["systems"])
    unique("policies", data.get("policies", []))
    domains = unique("rubric.domains", data["rubric"]["domains"])
    checkpoints = data["rubric"]["checkpoints"]
    cp_ids = unique("rubric.checkpoints", checkpoints)
    names = {e["name"] for e in data["exemplars"]}
    seen_names: set = set()
    for section in ("exemplars", "flawed"):
        for i, entry in enumerate(data[section]):
            if entry["name"] in seen_names:
                add(f"$.{section}[{i}].name", f"{entry['name']!r} is used twice.", "duplicate")
            seen_names.add(entry["name"])
    task_types = set(data["task_types"])
    actions = set(data["actions"])
    data_classes = set(data["data_classes"])
    attributes = set(data["cases"]["attributes"]) | {"flagged", "confidence"}
    performers = roles | agents | systems

    for i, action in enumerate(data.get("simulation", {}).get("work_actions", [])):
        if action not in actions:
            add(f"$.simulation.work_actions[{i}]", f"Unknown action {action!r}.", "pack_reference")

    for name, spec in data.get("variant_parameters", {}).items():
        path = f"$.variant_parameters.{name}"
        if "min" in spec and spec["min"] > spec["max"]:
            add(path, f"min ({spec['min']}) is above max ({spec['max']}).", "pack_range")
        if spec.get("type") == "int" and not all(
            isinstance(spec.get(k, 0), int) for k in ("min", "max")
        ):
            add(path, "An int parameter needs whole-number min and max.", "pack_range")

    for attr, spec in data["cases"]["attributes"].items():
        if spec["dist"] == "categorical" and all(map(_is_number, spec["values"].values())):
            total = sum(spec["values"].values())
            if not math.isclose(total, 1.0, abs_tol=1e-6):
                add(
                    f"$.cases.attributes.{attr}.values",
                    f"Probabilities add up to {total:g}, not 1.",
                    "pack_range",
                )

    for kind, by_task in data.get("detection", {}).items():
        for task in by_task:
            if task not in task_types | {"approval", "review"}:
                add(
                    f"$.detection.{kind}.{task}",
                    f"{task!r} is not a task type (or 'approval' / 'review').",
                )

    permission_keys = {"actions": actions, "task_types": task_types, "performers": performers}
    for section, known in permission_keys.items():
        for key, spec in ((data.get("permissions") or {}).get(section) or {}).items():
            path = f"$.permissions.{section}.{key}"
            if key not in known:
                add(path, f"{key!r} is not one of this pack's {section.replace('_', ' ')}.")
            for system in spec.get("writes", []):
                if system not in systems:
                    add(f"{path}.writes", f"{system!r} is not a system.")
            for field in ("data_classes", "removes"):
                for data_class in spec.get(field, []):
                    if data_class not in data_classes:
                        add(f"{path}.{field}", f"{data_class!r} is not a data class.")
    for data_class in (data.get("permissions") or {}).get("case_data", []):
        if data_class not in data_classes:
            add("$.permissions.case_data", f"{data_class!r} is not a data class.")

    selector_refs = {
        "kind": {"task", "review", "approval", "action"},
        "performer_type": {"role", "agent", "system"},
        "performer": performers,
        "task_type": task_types,
        "action": actions,
        "writes": systems,
        "data_class": data_classes,
    }
    for i, cp in enumerate(checkpoints):
        base = f"$.rubric.checkpoints[{i}]"
        if cp["kind"] not in REGISTRY:
            add(
                f"{base}.kind",
                f"Unknown checkpoint kind {cp['kind']!r}; kinds: {', '.join(sorted(REGISTRY))}.",
                "unknown_kind",
            )
            continue
        if cp["domain"] not in domains:
            add(f"{base}.domain", f"Domain {cp['domain']!r} is not in rubric.domains.")
        params = cp.get("params", {})
        required, optional = PARAMS[cp["kind"]]
        for key in sorted(required - set(params)):
            add(f"{base}.params", f"A {cp['kind']} checkpoint needs params.{key}.", "pack_params")
        for key in sorted(set(params) - required - optional):
            add(f"{base}.params.{key}", f"{cp['kind']} takes no parameter {key!r}.", "pack_params")
        for key in SELECTOR_PARAMS:
            if key not in params:
                continue
            selector = params[key]
            if not isinstance(selector, dict) or not selector:
                add(f"{base}.params.{key}", "A step selector is a non-empty mapping.")
                continue
            for sel_key, wanted in selector.items():
                if sel_key not in SELECTOR_KEYS:
                    add(
                        f"{base}.params.{key}.{sel_key}",
                        f"Selectors match by {', '.join(SELECTOR_KEYS)}.",
                        "pack_params",
                    )
                    continue
                for value in wanted if isinstance(wanted, list) else [wanted]:
                    if value not in selector_refs[sel_key]:
                        add(f"{base}.params.{key}.{sel_key}", f"{value!r} does not exist here.")
        for j, cond in enumerate(params.get("when", [])):
            if not isinstance(cond, dict) or cond.get("attr") not in attributes:
                add(
                    f"{base}.params.when[{j}]",
                    "Conditions name a case attribute: {attr, op, value}.",
                )
        if "metric" in params:
            metric = params["metric"]
            ok = metric in METRICS or (
                isinstance(metric, str)
                and metric.startswith("utilisation.")
                and metric.split(".", 1)[1] in roles
            )
            if not ok:
                add(
                    f"{base}.params.metric",
                    f"Unknown metric {metric!r}; use one of {', '.join(METRICS)} or utilisation.<role>.",
                    "pack_params",
                )
        if cp["kind"] == "metric_threshold" and params.get("op") not in ("<=", ">="):
            add(f"{base}.params.op", "op is '<=' (lower is better) or '>=' (higher is better).")
        for key in ("roles",):
            for role in params.get(key, []):
                if role not in roles:
                    add(f"{base}.params.{key}", f"{role!r} is not a role of this scenario.")
        if cp["kind"] == "data_class_boundary" and params.get("data_class") not in data_classes:
            add(f"{base}.params.data_class", f"{params.get('data_class')!r} is not a data class.")
        if cp["kind"] == "least_privilege" and params.get("system") not in systems:
            add(f"{base}.params.system", f"{params.get('system')!r} is not a system.")
        if cp["kind"] == "human_rubric":
            levels = params.get("levels") or []
            points = [lv.get("points") for lv in levels if isinstance(lv, dict)]
            if not points or not all(map(_is_number, points)) or max(points) != cp["weight"]:
                add(
                    f"{base}.params.levels",
                    "Rubric levels need points, the top level worth the checkpoint's weight.",
                    "pack_params",
                )

    human = {cp["id"]: cp["weight"] for cp in checkpoints if cp["kind"] == "human_rubric"}
    for section in ("exemplars", "flawed"):
        for i, entry in enumerate(data[section]):
            base = f"$.{section}[{i}]"
            for cp_id, score in entry.get("human_scores", {}).items():
                if cp_id not in human:
                    add(f"{base}.human_scores.{cp_id}", "Not a human-scored checkpoint.")
                elif score["points"] > human[cp_id]:
                    add(
                        f"{base}.human_scores.{cp_id}.points",
                        f"At most {count(human[cp_id], 'point')}.",
                        "pack_range",
                    )
            if section == "flawed":
                if "base" in entry and entry["base"] not in names:
                    add(f"{base}.base", f"{entry['base']!r} is not an exemplar of this pack.")
                for j, cp_id in enumerate(entry["expected_failures"]):
                    if cp_id not in cp_ids:
                        add(f"{base}.expected_failures[{j}]", f"{cp_id!r} is not a checkpoint.")
    return problems[:MAX_PROBLEMS]
