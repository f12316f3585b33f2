"""Similarity services: fingerprint each submitted design after grading, flag pairs whose
structure or rationale reaches its threshold for a person, and record that person's verdict
(docs/quality/similarity.md)."""

from collections import Counter

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Attempt
from audit.services import audit_record
from config.dispatch import send_after_commit
from config.errors import Conflict, Forbidden, InvalidRequest
from scenarios.models import ScenarioVersion

from . import similarity as sim
from . import similarity_text as text
from .decision_events import attempt_recorded
from .similarity_models import DesignFingerprint, FingerprintBand, SimilarPair

TASK = "quality.tasks.similarity_check"
NEIGHBOURS = 100  # designs compared with a new one at most (the most LSH bands shared first)
FLAGS_PER_DESIGN = 10  # pairs flagged for one new design at most (the most similar)


def threshold() -> float:
    return settings.QUALITY_SIMILARITY_THRESHOLD


def text_threshold() -> float:
    return settings.QUALITY_SIMILARITY_TEXT_THRESHOLD


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
    feats, canonical_hash = sim.fingerprint(design)
    rationale = text.rationale_text(design)[:20000]
    keys = text.index_keys(sim.lsh_tokens(feats), rationale)
    try:
        with transaction.atomic():
            mine = DesignFingerprint.objects.create(
                attempt=attempt,
                scenario_version=version,
                scenario_id=version.scenario_id,
                candidate_id=attempt.candidate_id,
                canonical_hash=canonical_hash,
                features=dict(feats),
                rationale=rationale,
            )
            FingerprintBand.objects.bulk_create(
                FingerprintBand(
                    fingerprint=mine, scenario_id_ref=version.scenario_id, band=band, value=value
                )
                for band, value in keys
            )
    except IntegrityError:
        return []  # fingerprinted already
    return _flag_neighbours(mine, feats, keys)


def neighbours(mine: DesignFingerprint, keys: list[tuple[int, str]]) -> list[DesignFingerprint]:
    """Designs of the same scenario by other candidates that share an LSH band with this one
    (the most shared bands first, at most NEIGHBOURS) or its canonical hash. Index lookups
    only: the cost follows how many designs resemble this one, not how many exist."""
    match = Q()
    for band, value in keys:
        match |= Q(band=band, value=value)
    shared = (
        FingerprintBand.objects.filter(Q(scenario_id_ref=mine.scenario_id) & match)
        .exclude(fingerprint_id=mine.pk)
        .values("fingerprint_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "fingerprint_id")[:NEIGHBOURS]
    )
    ids = [row["fingerprint_id"] for row in shared] if keys else []  # (no keys: no band)
    same = DesignFingerprint.objects.filter(
        scenario_id=mine.scenario_id, canonical_hash=mine.canonical_hash
    ).exclude(pk=mine.pk)
    ids += list(same.values_list("pk", flat=True)[:NEIGHBOURS])
    return list(
        DesignFingerprint.objects.filter(pk__in=set(ids))
        .exclude(candidate_id=mine.candidate_id)  # resubmitting one's own design is no copy
        .order_by("pk")
    )


def compare(mine: DesignFingerprint, feats: Counter, other: DesignFingerprint, words=None) -> dict:
    """Both signals' scores for a pair, and which of them reached its threshold (``words``:
    the new design's rationale shingles, when already computed)."""
    theirs = Counter(other.features)
    parts = sim.components(feats, theirs)
    structural = sum(sim.WEIGHTS[name] * parts[name] for name in sim.WEIGHTS)
    rationale = text.text_similarity(words or mine.rationale, other.rationale)
    signals = [
        name
        for name, score, limit in (
            ("structure", structural, threshold()),
            ("rationale", rationale, text_threshold()),
        )
        if score >= limit
    ]
    return {
        "structural": round(structural, 4),
        "rationale": round(rationale, 4),
        "components": {k: round(v, 4) for k, v in parts.items()},
        "signals": signals,
        "identical_structure": other.canonical_hash == mine.canonical_hash,
    }


def _flag_neighbours(mine, feats, keys) -> list[SimilarPair]:
    """Flag the most similar neighbours (at most FLAGS_PER_DESIGN, both signals first, then
    the higher scores), each recording how many designs reached a threshold in all: a design
    like many others is a popular strategy, not one copy."""
    hits = []
    words = text.shingles(mine.rationale)
    for other in neighbours(mine, keys):
        scores = compare(mine, feats, other, words)
        if scores["signals"]:
            hits.append((other, scores))
    hits.sort(
        key=lambda hit: (len(hit[1]["signals"]), hit[1]["structural"] + hit[1]["rationale"]),
        reverse=True,
    )
    flagged = []
    for other, scores in hits[:FLAGS_PER_DESIGN]:
        first, second = sorted([other, mine], key=lambda f: f.pk)
        defaults = {"scenario_id": mine.scenario_id, "similar_designs": len(hits), **scores}
        with transaction.atomic():
            pair, created = SimilarPair.objects.get_or_create(
                first=first, second=second, defaults=defaults
            )
            if created:
                audit_record(
                    actor=None,
                    action="similarity.flagged",
                    target=pair,
                    data={
                        "structural": pair.structural,
                        "rationale": pair.rationale,
                        "signals": pair.signals,
                        "similar_designs": len(hits),
                    },
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
