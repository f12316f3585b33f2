"""Structural similarity of workflow designs, invariant to renaming and reordering (pure
Python, no Django). docs/quality/similarity.md explains each component and the calibration.

A design is a labelled directed graph: each step is a node described by everything it *does*
(kind, task type or action, performer, owner, systems and access, data classes, coverage,
escalation, route conditions, metrics), never by its id, name or title; edges are the step
references (``next``, each route's ``to``, ``on_reject``, ``escalation.to``: only those keys,
so a step called "review" never makes ``kind: review`` a reference). Lists are sorted, so the
order of steps, routes or systems does not matter.

A design's *features* are one multiset of prefixed labels, in four components:

- ``f:`` **facts**: each step's attributes, one fact each, keyed by what the step is (kind and
  task type or action): its owner, its performer, each system:access, each data class and
  metric, its coverage, each route condition with its number bucketed and the target's kind,
  its ``next``, ``on_reject`` and escalation edges; and the design's own facts (start step,
  go-live owner, monitored metrics, rollout phases). A one-step edit changes a handful of facts
  and leaves the rest, so this component stays high for lightly edited copies.
- ``0:`` **steps**: each step's exact label (all its attributes, the start marked).
- ``s1:`` and ``s2:`` **shape**: two Weisfeiler-Lehman rounds over coarse labels (kind,
  performer type, task type or action) and edge kinds: how the workflow is wired, untouched
  by attribute edits.

``similarity`` is the weighted sum of the components' multiset Jaccard indices (``WEIGHTS``).
The ``canonical hash`` comes from the exact labels refined by ``ITERATIONS`` exact WL rounds:
two designs that differ only by renaming and reordering have the same hash, identical features
and similarity 1.0.
"""

import hashlib
import json
import math
from collections import Counter

ITERATIONS = 3
TEXT_KEYS = {"id", "title", "name", "label", "description", "notes", "comment", "exit_criteria"}
REF = "@"
REF_KEYS = {"next", "to", "on_reject"}  # where a step names another step
END = "end"
SHAPE_ROUNDS = 2
# Weight of each component's Jaccard index in the similarity (sum 1); calibrated in
# quality/similarity_calibration.py, table in docs/quality/similarity.md.
WEIGHTS = {"f": 0.5, "0": 0.2, "s1": 0.2, "s2": 0.1}


def _h(value) -> str:
    return hashlib.blake2b(
        json.dumps(value, sort_keys=True, default=str).encode(), digest_size=6
    ).hexdigest()


def _fast(value) -> str:
    """_h for values made only of tuples, lists, strings, numbers and None, whose repr is
    already canonical (several times cheaper than JSON)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=6).hexdigest()


def _strip(value, step_ids: set[str], key: str = ""):
    """The value with free text dropped, step references (the values of ``REF_KEYS``, never a
    kind or system that happens to share a step's id) replaced by REF, lists sorted."""
    if isinstance(value, dict):
        return {k: _strip(v, step_ids, k) for k, v in value.items() if k not in TEXT_KEYS}
    if isinstance(value, list):
        items = [_strip(v, step_ids, key) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if key in REF_KEYS and isinstance(value, str) and value in step_ids:
        return REF
    return value


def bucket(value):
    """A number coarsened so that a nudged threshold usually keeps its fact: rates and
    confidences (0-1) to one decimal, larger numbers to a quarter of a decade."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if abs(value) <= 1:
        return round(value, 1)
    return f"{'-' if value < 0 else ''}1e{round(math.log10(abs(value)) * 4) / 4}"


def _conditions(conditions) -> list:
    if not isinstance(conditions, list):
        return []
    return [
        (c.get("attr"), c.get("op"), _bucket_value(c.get("value")))
        for c in conditions
        if isinstance(c, dict)
    ]


def _bucket_value(value):
    if isinstance(value, list):
        return sorted((bucket(v) for v in value), key=str)
    return bucket(value)


def _coarse(step: dict) -> str:
    """What a step is, without who performs it: kind and task type or action."""
    return f"{step.get('kind')}/{step.get('task_type') or step.get('action') or ''}"


def _dicts(value) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _step_facts(step: dict, coarse: dict[str, str]) -> list:
    me = coarse[step["id"]]

    def target(ref):
        return coarse.get(ref, END if ref == END else "?")

    performer = step.get("performer") if isinstance(step.get("performer"), dict) else {}
    facts: list = [("step", me, step.get("owner"))]
    facts.append(("performer", me, performer.get("type"), performer.get("ref")))
    facts += [("system", me, s.get("ref"), s.get("access")) for s in _dicts(step.get("systems"))]
    facts += [("data", me, d) for d in step.get("data_classes") or [] if isinstance(d, str)]
    facts += [("metric", me, m) for m in step.get("metrics") or [] if isinstance(m, str)]
    coverage = step.get("coverage")
    if isinstance(coverage, dict):
        facts.append(("coverage", me, coverage.get("mode"), bucket(coverage.get("rate"))))
        facts += [("covered-when", me, *c) for c in _conditions(coverage.get("when"))]
    for route in _dicts(step.get("routes")):
        to = target(route.get("to"))
        facts.append(("route", me, to))
        facts += [("route-when", me, *c, to) for c in _conditions(route.get("when"))]
    if "next" in step:
        facts.append(("next", me, target(step["next"])))
    if "on_reject" in step:
        facts.append(("on-reject", me, target(step["on_reject"])))
    escalation = step.get("escalation")
    if isinstance(escalation, dict):
        facts.append(
            (
                "escalation",
                me,
                target(escalation.get("to")),
                escalation.get("owner"),
                bucket(escalation.get("timeout_minutes")),
            )
        )
    return facts


def _design_facts(design: dict, coarse: dict[str, str]) -> list:
    facts: list = [("go-live-owner", design.get("owner_after_go_live"))]
    facts.append(("start", coarse.get(design.get("start"), "?")))
    facts += [("watch", m.get("name"), m.get("owner")) for m in _dicts(design.get("metrics"))]
    rollout = design.get("rollout") if isinstance(design.get("rollout"), dict) else {}
    facts += [
        ("phase", p.get("mode"), bucket(p.get("share"))) for p in _dicts(rollout.get("phases"))
    ]
    return facts


def _edges(step: dict, step_ids: set[str]) -> list[tuple[str, str]]:
    """(edge label, target id) for every step reference in the step, the label being the
    containing object with the references replaced (a route's condition goes with its
    target)."""
    found: list[tuple[str, str]] = []

    def walk(value, key: str, container):
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in TEXT_KEYS:
                    walk(v, k, value)
        elif isinstance(value, list):
            for v in value:
                walk(v, key, container)
        elif key in REF_KEYS and isinstance(value, str) and value in step_ids:
            label = key if container is step else _h([key, _strip(container, step_ids)])
            found.append((label, value))

    for key, value in step.items():
        if key != "id":
            walk(value, key, step)
    return found


def _steps(design: dict) -> list[dict]:
    seen: set = set()
    steps = []
    for step in _dicts(design.get("steps")):
        if isinstance(step.get("id"), str) and step["id"] not in seen:
            seen.add(step["id"])
            steps.append(step)
    return steps


def _graph(steps: list[dict], ids: set[str]):
    out = {s["id"]: _edges(s, ids) for s in steps}
    incoming: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    for source, edges in out.items():
        for label, target in edges:
            incoming[target].append((label, source))
    return out, incoming


def _refine(labels: dict, out: dict, incoming: dict, edge=lambda e: e) -> dict:
    """One Weisfeiler-Lehman round: each node relabelled by its label and its out- and
    in-neighbours' labels with the edge labels."""
    return {
        node: _fast(
            [
                labels[node],
                sorted((edge(e), labels[t]) for e, t in out[node]),
                sorted((edge(e), labels[s]) for e, s in incoming[node]),
            ]
        )
        for node in labels
    }


def _shape_label(step: dict) -> str:
    performer = step.get("performer") if isinstance(step.get("performer"), dict) else {}
    return (
        f"{step.get('kind')}/{performer.get('type')}/{step.get('task_type') or step.get('action')}"
    )


def _edge_kind(label: str) -> str:
    return label if label in REF_KEYS else "nested"  # a route's or escalation's edge


def fingerprint(design: dict) -> tuple[Counter, str]:
    """The design's prefixed feature multiset (``f`` facts, ``0`` exact step labels, ``s1`` and
    ``s2`` shape rounds: see the module docstring) and its canonical hash, equal for two
    designs exactly when they are the same up to renaming and reordering (as far as
    ``ITERATIONS`` exact Weisfeiler-Lehman rounds tell graphs apart)."""
    if not isinstance(design, dict):
        design = {}
    steps = _steps(design)
    ids = {s["id"] for s in steps}
    coarse = {s["id"]: _coarse(s) for s in steps}
    result: Counter = Counter()
    for step in steps:
        result.update(f"f:{_fast(fact)}" for fact in _step_facts(step, coarse))
    result.update(f"f:{_fast(fact)}" for fact in _design_facts(design, coarse))
    start = design.get("start")
    exact = {s["id"]: _h([_strip(s, ids), s["id"] == start]) for s in steps}
    result.update(f"0:{label}" for label in exact.values())
    out, incoming = _graph(steps, ids)
    shape = {s["id"]: _fast((_shape_label(s), s["id"] == start)) for s in steps}
    for round_no in range(1, SHAPE_ROUNDS + 1):
        shape = _refine(shape, out, incoming, _edge_kind)
        result.update(f"s{round_no}:{label}" for label in shape.values())

    every = Counter(exact.values())
    for _ in range(ITERATIONS):
        exact = _refine(exact, out, incoming)
        every.update(exact.values())
    skip = TEXT_KEYS | {"steps", "rationale", "layout", "start"}  # (the start is in the labels)
    top = {k: v for k, v in design.items() if k not in skip}
    payload = [sorted(every.items()), _strip(top, ids)]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
    return result, digest.hexdigest()


def features(design: dict) -> Counter:
    return fingerprint(design)[0]


def canonical_hash(design: dict) -> str:
    return fingerprint(design)[1]


def jaccard(a: Counter, b: Counter) -> float:
    """Multiset Jaccard index: Σ min / Σ max over the features (1.0 for two empty sets)."""
    keys = set(a) | set(b)
    top = sum(max(a[k], b[k]) for k in keys)
    return sum(min(a[k], b[k]) for k in keys) / top if top else 1.0


def component(feats: Counter, name: str) -> Counter:
    prefix = f"{name}:"
    return Counter({k: v for k, v in feats.items() if k.startswith(prefix)})


def components(a: Counter, b: Counter) -> dict[str, float]:
    """Each component's Jaccard index, by component name (``f``, ``0``, ``s1``, ``s2``), in
    one pass over both feature sets."""
    low: Counter = Counter()
    high: Counter = Counter()
    for key in a.keys() | b.keys():
        name = key.partition(":")[0]
        x, y = a.get(key, 0), b.get(key, 0)
        low[name] += min(x, y)
        high[name] += max(x, y)
    return {name: low[name] / high[name] if high[name] else 1.0 for name in WEIGHTS}


def similarity(a: Counter, b: Counter) -> float:
    """The weighted structural similarity of two designs' features, 0-1."""
    parts = components(a, b)
    return sum(WEIGHTS[name] * parts[name] for name in WEIGHTS)


def lsh_tokens(feats: Counter) -> list[str]:
    """What the structural MinHash is taken over: the facts and the round-0 labels, the two
    components a light edit disturbs least, as a set (the k-th copy is its own token)."""
    return [
        f"{label}#{i}"
        for label, count in feats.items()
        if label.startswith(("f:", "0:"))
        for i in range(count)
    ]
