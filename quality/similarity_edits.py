"""What a copier does to a design to hide it, as pure functions over design dicts: rename
every id, name and title and shuffle every list (``renamed``), then a few light edits
(``edited``: add or remove a step, nudge a threshold, reorder a route, swap a system or a
performer, add or drop a data class or metric), and reword the rationale a little
(``reworded``). Seeded, so the calibration table and the tests are reproducible."""

import copy
import random
import re

EDITS = (
    "add_step",
    "remove_step",
    "nudge_threshold",
    "reorder_routes",
    "swap_system",
    "swap_performer",
    "toggle_data_class",
    "toggle_metric",
)


REF_KEYS = ("start", "next", "to", "on_reject")  # where a design names a step


def _replace_refs(value, mapping: dict, key: str = ""):
    if isinstance(value, dict):
        return {k: _replace_refs(v, mapping, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_refs(v, mapping, key) for v in value]
    if isinstance(value, str) and key in REF_KEYS:
        return mapping.get(value, value)
    return value


ORDER_FREE = ("steps", "routes", "systems", "data_classes", "metrics")  # (rollout phases: not)


def _shuffle_lists(value, rng: random.Random):
    if isinstance(value, dict):
        for key, v in value.items():
            _shuffle_lists(v, rng)
            if key in ORDER_FREE and isinstance(v, list):
                rng.shuffle(v)
    elif isinstance(value, list):
        for v in value:
            _shuffle_lists(v, rng)


def renamed(design: dict, rng: random.Random) -> dict:
    """The same design with every step id, step name and the title changed and every list
    whose order means nothing to a reader (steps, routes, systems, data classes, metrics)
    shuffled."""
    design = copy.deepcopy(design)
    mapping = {
        s["id"]: f"s{rng.randrange(10**6)}-{i}" for i, s in enumerate(design.get("steps", []))
    }
    design = _replace_refs(design, mapping)
    for step in design.get("steps", []):
        step["id"] = mapping[step["id"]]
    design.pop("layout", None)
    for step in design.get("steps", []):
        step["name"] = f"Step {rng.randrange(10**6)}"
    design["title"] = f"Our redesign {rng.randrange(10**6)}"
    rationale = design.pop("rationale", None)
    _shuffle_lists(design, rng)
    if rationale is not None:
        design["rationale"] = rationale
    return design


def edited(design: dict, rng: random.Random, count: int) -> dict:
    """The design after ``count`` light edits, each chosen at random among ``EDITS`` (an edit
    that does not apply to this design is replaced by another)."""
    design = copy.deepcopy(design)
    done = 0
    while done < count:
        if globals()[f"_{rng.choice(EDITS)}"](design, rng):
            done += 1
    return design


def _steps(design: dict) -> list[dict]:
    return design.get("steps", [])


def _add_step(design: dict, rng: random.Random) -> bool:
    after = rng.choice(_steps(design))
    performers = [s["performer"] for s in _steps(design) if s["performer"]["type"] == "role"]
    if "next" not in after or not performers:
        return False
    new = {
        "id": f"added-{rng.randrange(10**6)}",
        "kind": "review",
        "task_type": after.get("task_type") or after.get("action") or "check",
        "performer": dict(rng.choice(performers)),
        "owner": after["owner"],
        "coverage": {"mode": "sample", "rate": 0.1},
        "next": after["next"],
    }
    after["next"] = new["id"]
    design["steps"].insert(rng.randrange(len(design["steps"]) + 1), new)
    return True


def _remove_step(design: dict, rng: random.Random) -> bool:
    steps = _steps(design)
    choices = [s for s in steps if s["id"] != design.get("start") and s.get("next") != s["id"]]
    if len(steps) <= 3 or not choices:
        return False
    gone = rng.choice(choices)
    design["steps"] = [s for s in steps if s is not gone]
    replaced = _replace_refs(design, {gone["id"]: gone.get("next", "end")})
    design.clear()
    design.update(replaced)
    for step in design["steps"]:  # a route or escalation to the step's own successor
        step["routes"] = [r for r in step.get("routes", []) if r["to"] != step["id"]]
        if not step["routes"]:
            step.pop("routes")
    return True


def _numbers(design: dict) -> list[tuple[dict, str]]:
    found = []
    for step in _steps(design):
        conditions = [c for r in step.get("routes", []) for c in r["when"]]
        conditions += step.get("coverage", {}).get("when", [])
        found += [(c, "value") for c in conditions if _is_number(c["value"])]
        if _is_number(step.get("coverage", {}).get("rate")):
            found.append((step["coverage"], "rate"))
        if "escalation" in step:
            found.append((step["escalation"], "timeout_minutes"))
    return found


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _nudge_threshold(design: dict, rng: random.Random) -> bool:
    numbers = _numbers(design)
    if not numbers:
        return False
    holder, key = rng.choice(numbers)
    value = holder[key]
    if 0 <= value <= 1:
        holder[key] = round(min(1.0, max(0.0, value + rng.choice((-0.05, 0.05)))), 2)
    else:
        holder[key] = round(value * rng.uniform(0.85, 1.15))
    return True


def _reorder_routes(design: dict, rng: random.Random) -> bool:
    routed = [s for s in _steps(design) if len(s.get("routes", [])) > 1]
    if not routed:
        return False
    step = rng.choice(routed)
    step["routes"].reverse()
    return True


def _swap_system(design: dict, rng: random.Random) -> bool:
    used = sorted({s["ref"] for step in _steps(design) for s in step.get("systems", [])})
    with_systems = [s for s in _steps(design) if s.get("systems")]
    if not with_systems:
        return False
    system = rng.choice(rng.choice(with_systems)["systems"])
    others = [ref for ref in used if ref != system["ref"]]
    if others:
        system["ref"] = rng.choice(others)
    else:
        system["access"] = "read" if system["access"] != "read" else "read-write"
    return True


def _swap_performer(design: dict, rng: random.Random) -> bool:
    step = rng.choice(_steps(design))
    kinds = {(s["performer"]["type"], s["performer"]["ref"]) for s in _steps(design)}
    others = sorted(k for k in kinds if k != (step["performer"]["type"], step["performer"]["ref"]))
    if not others:
        return False
    kind, ref = rng.choice(others)
    step["performer"] = {"type": kind, "ref": ref}
    return True


def _toggle(design: dict, rng: random.Random, key: str) -> bool:
    vocabulary = sorted({v for s in _steps(design) for v in s.get(key, [])})
    step = rng.choice(_steps(design))
    mine = step.get(key, [])
    if mine and (rng.random() < 0.5 or set(vocabulary) <= set(mine)):
        mine.remove(rng.choice(mine))
    else:
        missing = [v for v in vocabulary if v not in mine]
        if not missing:
            return False
        mine.append(rng.choice(missing))
    step[key] = mine
    if not mine:
        step.pop(key)
    return True


def _toggle_data_class(design: dict, rng: random.Random) -> bool:
    return _toggle(design, rng, "data_classes")


def _toggle_metric(design: dict, rng: random.Random) -> bool:
    return _toggle(design, rng, "metrics")


# --- rationale ------------------------------------------------------------------------------

SYNONYMS = {
    "agent": "assistant",
    "agents": "assistants",
    "clerks": "staff",
    "review": "check",
    "reviews": "checks",
    "every": "each",
    "people": "humans",
    "only": "solely",
    "handle": "deal with",
    "approval": "sign-off",
    "approvals": "sign-offs",
    "low": "weak",
    "new": "fresh",
    "changes": "edits",
    "measured": "tracked",
}
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def reworded(text: str, rng: random.Random, per_sentence: int = 1) -> str:
    """The text reworded a little: in each sentence ``per_sentence`` words replaced by a
    synonym (or dropped when none is known), the case and the final punctuation changed, and
    two neighbouring sentences swapped."""
    out = []
    for sentence in (s for s in SENTENCE.split(text.strip()) if s):
        tokens = sentence.rstrip(".!?").split()
        for _ in range(min(per_sentence, len(tokens) - 1)):
            i = rng.randrange(len(tokens))
            bare = tokens[i].strip(".,;:!?").lower()
            if bare in SYNONYMS:
                tokens[i] = SYNONYMS[bare]
            else:
                del tokens[i]
        sentence = " ".join(tokens)
        sentence = sentence.upper() if rng.random() < 0.2 else sentence.lower()
        out.append(sentence.replace(";", ",") + rng.choice((".", "!", " --", "...")))
    if len(out) > 2:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return "  ".join(out)


def with_rationale_reworded(design: dict, rng: random.Random, per_sentence: int = 1) -> dict:
    design = copy.deepcopy(design)
    rationale = design.get("rationale")
    if isinstance(rationale, dict):
        design["rationale"] = {k: reworded(str(v), rng, per_sentence) for k, v in rationale.items()}
    return design
