"""Rename-invariant fingerprints of workflow designs, pure Python (no Django).

A design is a labelled directed graph: each step is a node labelled by everything it *does*
(kind, task type, performer, action, owner, systems and access, data classes, coverage,
escalation timeout, route conditions), never by its id, name or title; edges are the step
references (``next``, each route's ``to`` with its condition, ``escalation.to``, ...). Lists
are sorted, so the order of steps, routes or systems does not matter, and the start step is
marked.

Weisfeiler-Lehman refinement (``ITERATIONS`` rounds) relabels each node by its label and the
multiset of its in- and out-neighbours' labels with the edge labels; the design's *features*
are the multiset of all labels of all rounds. Two designs that differ only by renaming and
reordering have the same features (and the same ``canonical_hash``); the *structural
similarity* of two designs is the multiset Jaccard index of their features. Candidate pairs are
found with MinHash signatures split into LSH bands, so a new design is compared only with the
designs that share a band, not with every design of the scenario.
"""

import hashlib
import json
import re
from collections import Counter

ITERATIONS = 3
PERMUTATIONS = 64
BANDS = 16  # of PERMUTATIONS // BANDS rows each: pairs above ~0.7 Jaccard almost always meet
TEXT_KEYS = {"id", "title", "name", "label", "description", "notes", "comment"}
REF = "@"


def _h(value) -> str:
    return hashlib.blake2b(
        json.dumps(value, sort_keys=True, default=str).encode(), digest_size=8
    ).hexdigest()


def _strip(value, step_ids: set[str]):
    """The value with free text dropped, step references replaced by REF, lists sorted."""
    if isinstance(value, dict):
        return {k: _strip(v, step_ids) for k, v in value.items() if k not in TEXT_KEYS}
    if isinstance(value, list):
        items = [_strip(v, step_ids) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, str) and value in step_ids:
        return REF
    return value


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
        elif isinstance(value, str) and value in step_ids and container is not None:
            label = _h([key, _strip(container, step_ids)]) if container is not step else key
            found.append((label, value))

    for key, value in step.items():
        if key != "id":
            walk(value, key, step)
    return found


def features(design: dict) -> Counter:
    """The multiset of Weisfeiler-Lehman labels of the design (rename/reorder invariant)."""
    steps = [s for s in design.get("steps", []) if isinstance(s, dict) and "id" in s]
    ids = {s["id"] for s in steps}
    start = design.get("start")
    labels = {s["id"]: _h([_strip(s, ids), s["id"] == start]) for s in steps}
    out = {s["id"]: _edges(s, ids) for s in steps}
    incoming: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    for source, edges in out.items():
        for label, target in edges:
            incoming[target].append((label, source))
    top = {k: v for k, v in design.items() if k not in TEXT_KEYS | {"steps", "rationale"}}
    result = Counter({f"design:{_h(_strip(top, ids))}": 1})
    result.update(f"0:{label}" for label in labels.values())
    for round_no in range(1, ITERATIONS + 1):
        labels = {
            node: _h(
                [
                    labels[node],
                    sorted((e, labels[t]) for e, t in out[node]),
                    sorted((e, labels[s]) for e, s in incoming[node]),
                ]
            )
            for node in labels
        }
        result.update(f"{round_no}:{label}" for label in labels.values())
    return result


def canonical_hash(feats: Counter) -> str:
    return hashlib.sha256(json.dumps(sorted(feats.items())).encode()).hexdigest()


def jaccard(a: Counter, b: Counter) -> float:
    """Multiset Jaccard index: Σ min / Σ max over the features."""
    keys = set(a) | set(b)
    top = sum(max(a[k], b[k]) for k in keys)
    return sum(min(a[k], b[k]) for k in keys) / top if top else 1.0


def _tokens(feats: Counter) -> list[str]:
    # A multiset as a set: the k-th copy of a label is its own token.
    return [f"{label}#{i}" for label, count in feats.items() for i in range(count)]


def minhash(feats: Counter) -> list[int]:
    tokens = _tokens(feats) or [""]
    return [
        min(
            int.from_bytes(
                hashlib.blake2b(t.encode(), digest_size=8, salt=seed.to_bytes(8, "big")).digest(),
                "big",
            )
            for t in tokens
        )
        for seed in range(PERMUTATIONS)
    ]


def bands(signature: list[int]) -> list[str]:
    rows = len(signature) // BANDS
    return [_h(signature[i * rows : (i + 1) * rows]) for i in range(BANDS)]


WORD = re.compile(r"[a-z0-9]+")


def rationale_text(design: dict) -> str:
    rationale = design.get("rationale") or {}
    if isinstance(rationale, dict):
        return " ".join(str(v) for _, v in sorted(rationale.items()))
    return str(rationale)


def shingles(text: str, size: int = 3) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def text_similarity(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)
