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
