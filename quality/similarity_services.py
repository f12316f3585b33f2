"""Similarity services: fingerprint each submitted design after grading, flag pairs above the
threshold for a person, and record that person's verdict (docs/quality/similarity.md)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Attempt
from audit.services import audit_record
from config.dispatch import send_after_commit
from config.errors import Conflict, Forbidden, InvalidRequest
from scenarios.models import ScenarioVersion

from . import similarity as sim
from .decision_events import attempt_recorded
from .similarity_models import DesignFingerprint, FingerprintBand, SimilarPair

TASK = "quality.tasks.similarity_check"


def threshold() -> float:
    return float(getattr(settings, "QUALITY_SIMILARITY_THRESHOLD", 0.9))


def on_decision(decision_id, event: str) -> None:
    """Decision listener: once an attempt is decided (its grading is done), fingerprint its
    designs in the background. Only schedules work."""
    attempt_id = attempt_recorded(decision_id, event)
    if attempt_id is not None:
        send_after_commit(TASK, str(attempt_id))


def similarity_check(*, attempt: Attempt) -> list[SimilarPair]:
    """Fingerprint each design of the attempt (once) and flag similar designs of the same
    scenario by other candidates. Idempotent."""
    if not attempt.submission:
        return []
    versions = ScenarioVersion.objects.in_bulk(attempt.scenario_version_ids)
    flagged = []
    for version_id in attempt.scenario_version_ids:
        design = attempt.submission.get(str(version_id))
        version = versions.get(version_id)
        if not isinstance(design, dict) or version is None:
            continue
        flagged += _check_design(attempt, version, design)
    return flagged


def _check_design(attempt, version, design) -> list[SimilarPair]:
    feats = sim.features(design)
    bands = sim.bands(sim.minhash(feats))
    try:
        with transaction.atomic():
            mine = DesignFingerprint.objects.create(
                attempt=attempt,
                scenario_version=version,
                scenario_id=version.scenario_id,
                candidate_id=attempt.candidate_id,
                canonical_hash=sim.canonical_hash(feats),
                features=dict(feats),
                rationale=sim.rationale_text(design)[:20000],
            )
            FingerprintBand.objects.bulk_create(
                FingerprintBand(
                    fingerprint=mine, scenario_id_ref=version.scenario_id, band=i, value=value
                )
                for i, value in enumerate(bands)
            )
    except IntegrityError:
        return []  # fingerprinted already
    return _flag_neighbours(mine, feats, bands)


def _neighbours(mine: DesignFingerprint, bands: list[str]):
    """Designs of the same scenario sharing an LSH band or the canonical hash, by others."""
    from django.db.models import Q

    match = Q()
    for i, value in enumerate(bands):
        match |= Q(band=i, value=value)
    via_bands = FingerprintBand.objects.filter(
        Q(scenario_id_ref=mine.scenario_id) & match
    ).values_list("fingerprint_id", flat=True)
    return (
        DesignFingerprint.objects.filter(scenario_id=mine.scenario_id)
        .filter(Q(pk__in=via_bands) | Q(canonical_hash=mine.canonical_hash))
        .exclude(candidate_id=mine.candidate_id)  # resubmitting one's own design is no copy
        .exclude(pk=mine.pk)
        .distinct()[:200]
    )


def _flag_neighbours(mine, feats, bands) -> list[SimilarPair]:
    flagged = []
    for other in _neighbours(mine, bands):
        from collections import Counter

        structural = sim.jaccard(feats, Counter(other.features))
        if structural < threshold():
            continue
        first, second = sorted([other, mine], key=lambda f: f.pk)
        with transaction.atomic():
            pair, created = SimilarPair.objects.get_or_create(
                first=first,
                second=second,
                defaults={
                    "scenario_id": mine.scenario_id,
                    "structural": round(structural, 4),
                    "rationale": round(sim.text_similarity(mine.rationale, other.rationale), 4),
                    "identical_structure": other.canonical_hash == mine.canonical_hash,
                },
            )
            if created:
                audit_record(
                    actor=None,
                    action="similarity.flagged",
                    target=pair,
                    data={"structural": pair.structural, "rationale": pair.rationale},
                )
                flagged.append(pair)
    return flagged


def similarity_review(*, pair: SimilarPair, actor, verdict: str, note: str) -> SimilarPair:
    """A person confirms or dismisses a flagged pair. Confirming changes no decision: what to
    do about copied work is a separate, audited staff action (e.g. reversing a decision)."""
    if not actor.is_programme_admin:
        raise Forbidden("Only programme staff review similar designs.", code="permission_denied")
    if verdict not in (SimilarPair.Status.CONFIRMED, SimilarPair.Status.DISMISSED):
        raise InvalidRequest("The verdict is confirmed or dismissed.", code="invalid_verdict")
    if not (note or "").strip():
        raise InvalidRequest("Say why.", code="reason_required")
    with transaction.atomic():
        updated = SimilarPair.objects.filter(pk=pair.pk, status=SimilarPair.Status.FLAGGED).update(
            status=verdict, reviewed_by=actor, reviewed_at=timezone.now(), note=note
        )
        if not updated:
            raise Conflict("This pair was reviewed already.", code="already_reviewed")
        pair.refresh_from_db()
        audit_record(actor=actor, action=f"similarity.{verdict}", target=pair, reason=note)
    return pair
