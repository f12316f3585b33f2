"""Helpers for adversarial and metamorphic designs built from every pack's exemplars."""

import copy
from functools import cache

from scenarios.engine import draw_variant, grade, load_pack
from scenarios.engine.selftest import design_of

from .conftest import PACK_SLUGS, PACKS

STRUCTURAL = {
    "gate_on_all_paths",
    "agent_steps_guarded",
    "data_class_boundary",
    "separation_of_duties",
    "least_privilege",
    "rollout_staged",
}
SMALL = 40  # cases: structural checkpoints do not depend on the volume


@cache
def pack_of(slug: str):
    return load_pack(PACKS / slug)


@cache
def _resolved(slug: str, seed: int) -> dict:
    pack = pack_of(slug)
    return pack.resolve(draw_variant(pack, seed))


def resolved(slug: str, seed: int = 1) -> dict:
    return copy.deepcopy(_resolved(slug, seed))


def exemplar_names() -> list[tuple[str, str]]:
    return [(slug, e["name"]) for slug in PACK_SLUGS for e in pack_of(slug).data["exemplars"]]


def exemplar(slug: str, name: str, seed: int = 1) -> dict:
    return copy.deepcopy(design_of(_resolved(slug, seed), name))


def report(slug: str, design: dict, seed: int = 1, count: int = SMALL) -> dict:
    return grade(pack_of(slug), seed, design, count=count).to_dict()


def structural_statuses(slug: str, design: dict, seed: int = 1) -> dict:
    return {
        c["id"]: c["status"]
        for c in report(slug, design, seed)["checkpoints"]
        if c["kind"] in STRUCTURAL
    }


def checkpoint_ids(slug: str, kind: str) -> list[str]:
    return [c["id"] for c in pack_of(slug).rubric["checkpoints"] if c["kind"] == kind]


def step_index(design: dict) -> dict:
    return {s["id"]: i for i, s in enumerate(design["steps"])}


def performer_type(design: dict, step_id: str) -> str:
    return design["steps"][step_index(design)[step_id]]["performer"]["type"]


def guard_routes(design: dict, step: dict) -> list[int]:
    """The routes of an agent step that send low confidence to a person."""
    return [
        i
        for i, r in enumerate(step.get("routes", []))
        if any(c["attr"] == "confidence" and c["op"] in ("<", "<=") for c in r["when"])
        and performer_type(design, r["to"]) == "role"
    ]


def agent_task_steps(design: dict) -> list[int]:
    return [
        i
        for i, s in enumerate(design["steps"])
        if s["performer"]["type"] == "agent" and s["kind"] == "task"
    ]
