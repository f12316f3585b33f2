"""Similarity detection at scale, on PostgreSQL: does submitting the 100,000th design of a
scenario cost about what the 100th did?

Two scenarios share one database (so both lookups run against the same, full tables): one
holds ``--small`` fingerprints (100), the other ``--large`` (100,000). The fingerprints are
bulk-created from synthetic designs that vary as real ones do: random workflows of 6-14 steps
over the accounts-payable pack's own vocabulary (task types, roles, agents, systems, data
classes, actions, routes on its case attributes, escalations, metrics), each with its own
rationale of 40-150 words, plus 3 % edited copies of the pack's exemplars (a cluster of
genuinely similar designs, as a real scenario has). Every row is fingerprinted by the real
code (quality.similarity*.py), so the LSH bands are what production would store.

Then, ``--rounds`` times for each scenario, it submits one more design and times
``similarity_check`` (fingerprint + band rows + neighbour lookup + scoring + flagging):

* a *fresh* design (a new random one: what nearly every submission is), and
* a *near copy*: a stored design renamed, reordered and given two light edits (it is found
  and flagged, so the flagging path and its audit row are in the figure), and
* a *crowded* design: an exemplar with five light edits, i.e. one more design of the cluster
  of exemplar copies (3 % of the scenario: about 3 at 100, 3,000 at 100,000). Its neighbours
  grow with the cluster, and at most ``NEIGHBOURS`` (100) are compared and ``FLAGS_PER_DESIGN``
  (10) flagged: this is the figure
  that shows what a popular strategy costs.

It prints p50/p95 in ms at both sizes, the ratio, how many designs each submission was compared
with, and the queries it ran. The submitted designs are deleted afterwards, so reruns measure
the same state. Filling 100,000 takes some minutes (once: the data are kept and reused):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_similarity \\
        .venv/bin/python bench/bench_similarity.py [--large 100000] [--small 100] [--rounds 15]

Without a PostgreSQL DATABASE_URL it says so and skips.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACK = "ap-invoice-processing"
SLUGS = {"small": "bench-similarity-small", "large": "bench-similarity-large"}
USERS = 2000
BATCH = 2000


# --- synthetic designs ------------------------------------------------------------------------


def vocabulary(pack_data: dict) -> dict:
    return {
        "role": [r["id"] for r in pack_data["roles"]],
        "agent": [a["id"] for a in pack_data["agents"]],
        "system": [s["id"] for s in pack_data["systems"]],
        "task_types": sorted(pack_data["task_types"]),
        "actions": pack_data["actions"],
        "data_classes": pack_data["data_classes"],
        "metrics": ["extraction_accuracy", "exception_rate", "touchless_rate", "cycle_time"],
        "words": [_word(random.Random(i)) for i in range(5000)],
    }


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))


def _condition(rng: random.Random) -> dict:
    attr = rng.choice(["amount", "confidence", "bank_change", "vendor_risk", "po_backed"])
    if attr == "amount":
        return {"attr": attr, "op": rng.choice([">=", "<"]), "value": rng.choice([5000, 10000])}
    if attr == "confidence":
        return {"attr": attr, "op": "<", "value": rng.choice([0.8, 0.85, 0.9, 0.95])}
    if attr == "vendor_risk":
        return {"attr": attr, "op": "==", "value": rng.choice(["medium", "high"])}
    return {"attr": attr, "op": "==", "value": rng.random() < 0.5}


def _text(rng: random.Random, words: list[str]) -> str:
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf-like, as prose is
    return " ".join(rng.choices(words, weights=weights, k=rng.randint(40, 150))) + "."


def random_design(rng: random.Random, vocab: dict) -> dict:
    count = rng.randint(6, 14)
    ids = [f"step-{i}" for i in range(count)]
    steps = []
    for i, step_id in enumerate(ids):
        later = ids[i + 1 :]
        kind = rng.choices(["task", "review", "approval", "action"], [6, 2, 1, 1])[0]
        performer = rng.choices(["role", "agent", "system"], [5, 3, 2])[0]
        step = {
            "id": step_id,
            "kind": kind,
            "performer": {"type": performer, "ref": rng.choice(vocab[performer])},
            "owner": rng.choice(vocab["role"]),
        }
        if kind in ("task", "review"):
            step["task_type"] = rng.choice(vocab["task_types"])
        else:
            step["action"] = rng.choice(vocab["actions"])
        if rng.random() < 0.5:
            step["systems"] = [
                {"ref": ref, "access": rng.choice(["read", "write", "read-write"])}
                for ref in rng.sample(vocab["system"], rng.randint(1, 2))
            ]
        if rng.random() < 0.5:
            step["data_classes"] = rng.sample(vocab["data_classes"], rng.randint(1, 2))
        if kind in ("review", "approval"):
            step["coverage"] = rng.choice(
                [
                    {"mode": "all"},
                    {"mode": "sample", "rate": rng.choice([0.1, 0.25, 0.5])},
                    {"mode": "rule", "when": [_condition(rng)]},
                ]
            )
        if later and rng.random() < 0.4:
            step["routes"] = [
                {"when": [_condition(rng)], "to": rng.choice(later)}
                for _ in range(rng.randint(1, 2))
            ]
        if performer == "agent" and later:
            step["escalation"] = {
                "to": rng.choice(later),
                "owner": rng.choice(vocab["role"]),
                "timeout_minutes": rng.choice([60, 120, 240, 480]),
            }
        if rng.random() < 0.3:
            step["metrics"] = rng.sample(vocab["metrics"], 1)
        step["next"] = later[0] if later else "end"
        steps.append(step)
    return {
        "schema_version": "1",
        "start": ids[0],
        "owner_after_go_live": rng.choice(vocab["role"]),
        "steps": steps,
        "rationale": {"summary": _text(rng, vocab["words"])},
    }


def population_design(index: int, vocab: dict, exemplars: list[dict]) -> dict:
    from quality import similarity_edits as edits

    rng = random.Random(f"population:{index}")
    if rng.random() < 0.03:  # an edited copy of an exemplar, with its own words
        design = edits.edited(edits.renamed(rng.choice(exemplars), rng), rng, rng.randint(3, 8))
        design["rationale"] = {"summary": _text(rng, vocab["words"])}
        return design
    return random_design(rng, vocab)


def row_for(index: int) -> tuple[dict, str, str, list]:
    """The fingerprint row of population design ``index`` (run in worker processes)."""
    return fingerprint_row(population_design(index, _VOCAB, _EXEMPLARS))


def fingerprint_row(design: dict) -> tuple[dict, str, str, list]:
    from quality import similarity as sim
    from quality import similarity_text as text

    feats, canonical = sim.fingerprint(design)
    rationale = text.rationale_text(design)
    return dict(feats), canonical, rationale, text.index_keys(sim.lsh_tokens(feats), rationale)


# --- filling the database ---------------------------------------------------------------------


def setup():
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from assessments.models import Certification, Exam, ExamScenario
    from scenarios.engine import ENGINE_VERSION, load_pack
    from scenarios.models import Scenario, ScenarioVersion
    from scenarios.services import PACKS_DIR

    pack = load_pack(PACKS_DIR / PACK)
    certification, _ = Certification.objects.get_or_create(
        slug="bench-similarity",
        defaults={
            "name": "Bench similarity",
            "criteria": "-",
            "blueprint": [{"id": "d", "name": "D", "weight": 1}],
            "cut_score": 70,
            "validity_days": 365,
        },
    )
    exams = {}
    for size, slug in SLUGS.items():
        scenario, _ = Scenario.objects.get_or_create(slug=slug, defaults={"title": slug})
        version, _ = ScenarioVersion.objects.get_or_create(
            scenario=scenario,
            version=1,
            defaults={
                "title": slug,
                "content": pack.data,
                "content_sha256": pack.sha256,
                "engine_version": ENGINE_VERSION,
                "selftest": {"ok": True},
            },
        )
        exam, _ = Exam.objects.get_or_create(
            slug=slug, defaults={"title": slug, "certification": certification}
        )
        ExamScenario.objects.get_or_create(exam=exam, scenario_version=version, position=1)
        exams[size] = (exam, version)
    have = User.objects.filter(email__startswith="bench-sim-").count()
    if have < USERS:
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(email=f"bench-sim-{i}@example.test", full_name=f"B{i}", password=password)
                for i in range(have, USERS)
            ],
            ignore_conflicts=True,
        )
    users = list(User.objects.filter(email__startswith="bench-sim-").values_list("pk", flat=True))
    return pack, exams, users


def fill(size: str, target: int, exam, version, users, pool) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.models import Attempt
    from quality.similarity_models import DesignFingerprint

    have = DesignFingerprint.objects.filter(scenario_id=version.scenario_id).count()
    if have >= target:
        return
    started = time.perf_counter()
    now = timezone.now()
    offset = 0 if size == "small" else 10**7
    for first in range(have, target, BATCH):
        indexes = range(first, min(target, first + BATCH))
        rows = pool.map(row_for, [offset + i for i in indexes], chunksize=100)
        with transaction.atomic():
            attempts = Attempt.objects.bulk_create(
                Attempt(
                    exam=exam,
                    candidate_id=users[i % len(users)],
                    status=Attempt.Status.SUBMITTED,
                    seed=i,
                    scenario_version_ids=[version.pk],
                    deadline=now + timedelta(hours=2),
                    submitted_at=now,
                    submission={},
                )
                for i in indexes
            )
            prints = DesignFingerprint.objects.bulk_create(
                DesignFingerprint(
                    attempt=attempt,
                    scenario_version=version,
                    scenario_id=version.scenario_id,
                    candidate_id=attempt.candidate_id,
                    canonical_hash=canonical,
                    features=feats,
                    rationale=rationale,
                )
                for attempt, (feats, canonical, rationale, _) in zip(attempts, rows, strict=True)
            )
            with connection.cursor() as cursor:
                copy_sql = (
                    "COPY quality_fingerprintband (fingerprint_id, scenario_id_ref, band, value)"
                    " FROM STDIN"
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for fp, (_, _, _, keys) in zip(prints, rows, strict=True):
                        for band, value in keys:
                            copy.write_row((fp.pk, version.scenario_id, band, value))
        done = indexes.stop
        if done % 20000 == 0 or done == target:
            rate = (done - have) / (time.perf_counter() - started)
            print(f"  {size}: {done:,} fingerprints ({rate:,.0f}/s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- measuring --------------------------------------------------------------------------------


def submit_one(exam, version, candidate, design):
    """(seconds, designs compared, queries, pairs flagged) of similarity_check for one new
    submitted design; the design is deleted afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessments.models import Attempt
    from quality import similarity_services as services

    attempt = Attempt.objects.create(
        exam=exam,
        candidate=candidate,
        status=Attempt.Status.SUBMITTED,
        seed=1,
        scenario_version_ids=[version.pk],
        deadline=timezone.now() + timedelta(hours=2),
        submitted_at=timezone.now(),
        submission={str(version.pk): design},
    )
    compared = []
    original = services.compare

    def counting(mine, feats, other, words=None):
        compared.append(other.pk)
        return original(mine, feats, other, words)

    services.compare = counting
    try:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            flagged = services.similarity_check(attempt=attempt)
            seconds = time.perf_counter() - start
    finally:
        services.compare = original
    attempt.delete()
    return seconds, len(compared), len(queries), len(flagged)


def measure(size, exam, version, vocab, rounds):
    from accounts.models import User
    from quality import similarity_edits as edits
    from quality.similarity_models import DesignFingerprint

    candidate, _ = User.objects.get_or_create(
        email="bench-sim-submitter@example.test", defaults={"full_name": "Submitter"}
    )
    stored = list(
        DesignFingerprint.objects.filter(scenario_id=version.scenario_id).values_list(
            "pk", flat=True
        )[:5000]
    )
    results = {}
    for kind in KINDS:
        samples = []
        for r in range(rounds + 1):
            rng = random.Random(f"measure:{kind}:{r}")
            if kind == "fresh":
                design = random_design(rng, vocab)
            elif kind == "crowded":
                design = edits.edited(edits.renamed(rng.choice(_EXEMPLARS), rng), rng, 5)
            else:
                fp = DesignFingerprint.objects.get(pk=rng.choice(stored))
                # the stored rows keep no design: rebuild it from its population index
                design = edits.edited(edits.renamed(rebuilt(fp, vocab), rng), rng, 2)
            samples.append(submit_one(exam, version, candidate, design))
        samples = samples[1:]  # the first warms connections and plans
        times = sorted(s[0] for s in samples)
        results[kind] = {
            "p50": statistics.median(times) * 1000,
            "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000,
            "compared": statistics.median(s[1] for s in samples),
            "queries": statistics.median(s[2] for s in samples),
            "flagged": statistics.mean(s[3] for s in samples),
        }
    return results


KINDS = ("fresh", "copy", "crowded")
_EXEMPLARS: list = []
_VOCAB: dict = {}
_OFFSETS = {"bench-similarity-small": 0, "bench-similarity-large": 10**7}


def rebuilt(fp, vocab) -> dict:
    """The synthetic design a stored fingerprint was made from (its attempt's seed is its
    population index)."""
    offset = _OFFSETS[fp.scenario.slug]
    return population_design(offset + fp.attempt.seed, vocab, _EXEMPLARS)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count(), help="Processes fingerprinting the fill."
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("bench_similarity: skipped (set DATABASE_URL to a PostgreSQL database of your own)")
        return
    from bench_partners import ensure_database  # (this directory is on sys.path)

    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from quality import similarity_calibration as calibration

    call_command("migrate", verbosity=0)
    pack, exams, users = setup()
    vocab = vocabulary(pack.data)
    _VOCAB.update(vocab)
    ap = next(p for p in calibration.pack_designs() if p.slug == PACK)
    _EXEMPLARS.extend(ap.exemplars.values())
    sizes = {"small": args.small, "large": args.large}
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for size, (exam, version) in exams.items():
            fill(size, sizes[size], exam, version, users, pool)

    print(f"similarity_check of one more design, {args.rounds} rounds each (PostgreSQL):")
    print(
        f"{'designs in scenario':>20}  {'kind':<10} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'compared':>8} {'queries':>7} {'flagged':>7}"
    )
    figures = {}
    for size, (exam, version) in exams.items():
        figures[size] = measure(size, exam, version, vocab, args.rounds)
        for kind, f in figures[size].items():
            print(
                f"{sizes[size]:>20,}  {kind:<10} {f['p50']:>8.1f} {f['p95']:>8.1f} "
                f"{f['compared']:>8.0f} {f['queries']:>7.0f} {f['flagged']:>7.1f}"
            )
    for kind in KINDS:
        ratio = figures["large"][kind]["p50"] / figures["small"][kind]["p50"]
        print(f"ratio p50 {args.large:,} / {args.small:,} ({kind}): {ratio:.2f}")


if __name__ == "__main__":
    main()
