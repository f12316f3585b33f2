"""Reads of published scenarios, and the engine's view of them."""

from collections import OrderedDict

from django.db.models import QuerySet

from scenarios.engine import Pack, parse_pack

from .models import ScenarioVersion

_PACKS: OrderedDict[str, Pack] = OrderedDict()
_PACK_CACHE_SIZE = 32


def published_versions() -> QuerySet[ScenarioVersion]:
    return ScenarioVersion.objects.select_related("scenario").order_by("scenario__slug", "-version")


def latest_versions() -> list[ScenarioVersion]:
    latest: dict[str, ScenarioVersion] = {}
    for version in published_versions().defer("content", "selftest"):
        latest.setdefault(version.scenario.slug, version)
    return list(latest.values())


def published_version(slug: str, version: int | None = None) -> ScenarioVersion:
    """The given (or latest) published version; raises ScenarioVersion.DoesNotExist."""
    qs = published_versions().filter(scenario__slug=slug)
    if version is not None:
        return qs.get(version=version)
    found = qs.first()
    if found is None:
        raise ScenarioVersion.DoesNotExist(f"No published version of {slug!r}.")
    return found


def pack_for_version_id(version_id: int) -> Pack:
    """``pack_for_version`` by id; the content is read only when the pack is not cached."""
    version = ScenarioVersion.objects.defer("content", "selftest").get(pk=version_id)
    return pack_for_version(version)


def pack_for_version(version: ScenarioVersion) -> Pack:
    """The engine's parsed pack for a published version, cached in-process by content hash
    (published content never changes, so the cache never goes stale)."""
    key = version.content_sha256
    pack = _PACKS.get(key)
    if pack is None:
        pack = parse_pack(version.content)
        _PACKS[key] = pack
        if len(_PACKS) > _PACK_CACHE_SIZE:
            _PACKS.popitem(last=False)
    else:
        _PACKS.move_to_end(key)
    return pack


PRACTICE = "practice"


def is_practice(version: ScenarioVersion) -> bool:
    """A practice pack (``purpose: practice``) is open in the practice room only, never in an
    exam; every other pack is a certification pack, never open for practice."""
    return (version.content or {}).get("purpose") == PRACTICE


def practice_versions() -> list[ScenarioVersion]:
    """The latest published version of each practice scenario."""
    latest: dict[str, ScenarioVersion] = {}
    for version in published_versions().filter(content__purpose=PRACTICE):
        latest.setdefault(version.scenario.slug, version)
    return list(latest.values())


def practice_version(slug: str) -> ScenarioVersion:
    """The latest published version of a practice scenario; DoesNotExist for anything else,
    so a certification pack can never be opened for practice."""
    for version in practice_versions():
        if version.scenario.slug == slug:
            return version
    raise ScenarioVersion.DoesNotExist(f"No practice scenario {slug!r}.")


# What the simulated metrics are called on every page that shows them next to today's process.
METRIC_LABELS = {
    "cycle_time_p50_hours": "Cycle time, median (hours)",
    "cycle_time_p90_hours": "Cycle time, 90th percentile (hours)",
    "cost_per_case": "Cost per case",
    "error_escape_rate": "Errors that escape",
    "sla_breach_rate": "SLA breaches",
    "touchless_rate": "Handled without a person",
    "escalation_rate": "Escalated",
    "adversarial_caught_rate": "Attacks caught",
    "max_utilisation": "Busiest role's utilisation",
}


def resources_of(pack, variant: dict) -> dict:
    """The scenario's resources as the editor offers them (roles, agents, systems, the
    vocabularies, the case attributes a condition may test), with the attempt's numbers."""
    data = pack.resolve(variant)
    public = pack.public_view()
    attributes = [*sorted(data["cases"].get("attributes", {})), "confidence", "flagged"]
    return {
        "roles": [{"id": r["id"], "name": r.get("name", r["id"])} for r in data["roles"]],
        "agents": [{"id": a["id"], "name": a.get("name", a["id"])} for a in data.get("agents", [])],
        "systems": [
            {"id": s["id"], "name": s.get("name", s["id"])} for s in data.get("systems", [])
        ],
        "task_types": sorted(public.get("task_types", {})),
        "actions": list(public.get("actions", [])),
        "data_classes": list(public.get("data_classes", [])),
        "attributes": attributes,
    }
