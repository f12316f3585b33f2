"""Publishing scenario versions, and grading against them."""

from pathlib import Path

from django.db import IntegrityError, transaction

from audit.services import audit_record
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


def grade_for_version(*, version: ScenarioVersion, seed: int, design: dict) -> dict:
    """Grade ``design`` for the variant ``seed`` of a published version. Pure: the same inputs
    give the same report. Raises ``engine.InvalidDesign`` for a design that does not validate."""
    return engine.grade(pack_for_version(version), seed, design).to_dict()
