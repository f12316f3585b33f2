"""Publishing scenario versions, and grading against them."""

import copy
from pathlib import Path

from django.db import IntegrityError, transaction

from audit.services import audit_record
from config.errors import Conflict, InvalidRequest
from scenarios import engine

from .models import Scenario, ScenarioVersion
from .selectors import pack_for_version

PACKS_DIR = Path(__file__).resolve().parent / "packs"


class PublishRefused(Exception):
    """The pack is invalid, fails its self-test, or conflicts with a published version."""

    def __init__(self, message: str, *, details: object = None):
        super().__init__(message)
        self.details = details


def pack_paths(slugs: list[str] | None = None) -> list[Path]:
    if slugs:
        return [PACKS_DIR / slug for slug in slugs]
    return sorted(p for p in PACKS_DIR.iterdir() if (p / "pack.yaml").exists())


def scenario_version_publish(
    *,
    pack: engine.Pack | None = None,
    path: Path | str | None = None,
    data: dict | None = None,
    actor=None,
) -> tuple[ScenarioVersion, bool]:
    """Publish a pack (given parsed, as a folder or ``pack.yaml`` path, or as data) as an
    immutable version; returns (version, created).

    Refuses (``PublishRefused``, with ``details`` listing the problems) an invalid pack, a pack
    whose self-test fails, and a version number already published with other content.
    Publishing the same content again returns the existing version (idempotent).
    """
    if sum(x is not None for x in (pack, path, data)) != 1:
        raise TypeError("Give exactly one of pack, path or data.")
    if pack is None:
        try:
            pack = engine.load_pack(path) if path is not None else engine.parse_pack(data)
        except engine.PackError as exc:
            details = [p.to_dict() for p in exc.problems]
            raise PublishRefused(f"The pack is invalid: {exc}", details=details) from exc
    existing = (
        ScenarioVersion.objects.filter(scenario__slug=pack.slug, version=pack.version)
        .only("id", "content_sha256")
        .first()
    )
    if existing is not None:
        if existing.content_sha256 != pack.sha256:
            raise PublishRefused(
                f"{pack.slug} v{pack.version} is already published with different content; "
                "give the changed pack a new version number."
            )
        return ScenarioVersion.objects.get(pk=existing.pk), False
    result = engine.selftest(pack)
    if not result.ok:
        failing = [item for item in result.items if not item["ok"]]
        raise PublishRefused(
            f"{pack.slug} v{pack.version} fails its self-test ({len(failing)} item(s)).",
            details=failing,
        )
    try:
        with transaction.atomic():
            scenario, _ = Scenario.objects.get_or_create(
                slug=pack.slug, defaults={"title": pack.data["title"]}
            )
            version = ScenarioVersion.objects.create(
                scenario=scenario,
                version=pack.version,
                title=pack.data["title"],
                content=pack.data,
                content_sha256=pack.sha256,
                engine_version=engine.ENGINE_VERSION,
                selftest=result.to_dict(),
                published_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(actor=actor, action="scenario_version.published", target=version)
    except IntegrityError:  # published concurrently by someone else: same outcome
        return ScenarioVersion.objects.get(scenario__slug=pack.slug, version=pack.version), False
    return version, True


def scenario_version_with_cut_score(
    *, version: ScenarioVersion, cut_score: float, basis: dict, actor
) -> ScenarioVersion:
    """Publish the next version of ``version``'s scenario: the same content with the rubric's
    cut score replaced, and ``rubric.standard_setting`` (``basis``: ``method``, ``study`` and
    what else the study says about itself) recording where that cut score came from.

    Goes through ``scenario_version_publish``, so the new version is self-tested like any
    other: a cut score that lets a flawed design pass or fails an exemplar is refused
    (``PublishRefused``). Refuses (``Conflict``) when ``version`` is not the scenario's latest
    (a newer version's changes would be silently undone), and (``InvalidRequest``) a cut score
    outside (0, 100]. Audited as ``scenario_version.cut_score_set``."""
    if not 0 < cut_score <= 100:
        raise InvalidRequest("A cut score is above 0 and at most 100.", code="invalid_cut_score")
    latest = ScenarioVersion.objects.filter(scenario_id=version.scenario_id).order_by("-version")
    newest = latest.values_list("version", flat=True).first()
    if newest != version.version:
        raise Conflict(
            f"{version} is no longer the latest version (v{newest} is): its cut score cannot "
            "be set without undoing the later changes.",
            code="version_superseded",
        )
    data = copy.deepcopy(version.content)
    previous = data["rubric"]["cut_score"]
    data["version"] = version.version + 1
    data["rubric"]["cut_score"] = cut_score
    data["rubric"]["standard_setting"] = {
        **basis,
        "previous_cut_score": previous,
        "from_version": version.version,
    }
    with transaction.atomic():
        created, _ = scenario_version_publish(data=data, actor=actor)
        audit_record(
            actor=actor,
            action="scenario_version.cut_score_set",
            target=created,
            data={"from": previous, "to": cut_score, "basis": data["rubric"]["standard_setting"]},
        )
    return created


def grade_for_version(*, version: ScenarioVersion, seed: int, design: dict) -> dict:
    """Grade ``design`` for the variant ``seed`` of a published version. Pure: the same inputs
    give the same report. Raises ``engine.InvalidDesign`` for a design that does not validate."""
    return engine.grade(pack_for_version(version), seed, design).to_dict()
