"""The cohort's plan and its designs, without the database: the same people every time, dates
that make sense, and designs that differ as real people's do, so that similarity detection flags
the cast copy and nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from demo.clock import at
from demo.cohort import renamed, varied
from demo.cohort_plan import CAST, COHORT_FIRMS, cohort
from quality import similarity
from scenarios.engine import draw_variant, grade, validate_design
from scenarios.engine.selftest import design_of
from scenarios.services import PACKS_DIR, pack_paths

PACKS = ["ap-invoice-processing", "support-triage-ai", "software-delivery-coding-agent"]


def test_the_plan_is_the_same_every_time_with_one_person_per_email():
    first, second = cohort(), cohort()
    assert [(c.email, c.joined, c.left, len(c.sittings)) for c in first] == [
        (c.email, c.joined, c.left, len(c.sittings)) for c in second
    ]
    assert len({c.email for c in first}) == len(first)
    sizes = {slug: size for slug, _, _, _, size, _ in COHORT_FIRMS}
    assert {slug: sum(c.firm == slug for c in first) for slug in sizes} == sizes
    assert {c.role for c in first if c.role} == set(CAST)


def test_every_event_of_a_person_happens_in_order_and_in_the_past():
    for c in cohort():
        days = [s.days for s in c.sittings]
        assert all(0 <= d < c.joined for d in days), c
        assert days == sorted(days, reverse=True), c
        if c.left is not None:
            assert 0 < c.left < min(days, default=c.joined), c


def test_the_cast_covers_what_the_pages_must_show():
    people = {c.role: c for c in cohort() if c.role}
    validity = 730  # days (demo.exams)
    assert people["lapsed"].sittings[0].days > validity, "its credential has expired"
    for role in ("expiring-1", "expiring-2", "expiring-3"):
        assert validity - 90 < people[role].sittings[0].days < validity
    assert people["copier"].sittings[0].copy_of == people["copied"].email
    assert people["copier"].firm != people["copied"].firm


def _designs(slug: str, count: int):
    from scenarios.engine import load_pack

    pack = load_pack(PACKS_DIR / slug)
    names = [e["name"] for e in pack.data["exemplars"] + pack.data["flawed"]]
    for k in range(count):
        seed = 500 + k
        data = pack.resolve(draw_variant(pack, seed))
        name = names[k % len(names)]
        yield pack, seed, design_of(data, name), varied(design_of(data, name), k)


@pytest.mark.parametrize("slug", PACKS)
def test_varied_designs_differ_from_each_other_and_grade_as_their_originals(slug):
    """The variations keep different people's designs apart (no two structurally identical),
    though not as far apart as independent work: similarity detection flags them, and the demo
    has those flags reviewed (demo.quality.review_cohort_collisions)."""
    pack_designs = list(_designs(slug, 24))
    hashes = [similarity.canonical_hash(v) for _, _, _, v in pack_designs]
    assert len(set(hashes)) > len(hashes) // 2
    for pack, seed, original, design in pack_designs[:8]:
        assert validate_design(design, pack) == []
        before, after = grade(pack, seed, original), grade(pack, seed, design)
        assert after.to_dict()["decision"] == before.to_dict()["decision"]


def test_a_renamed_copy_is_structurally_identical_and_still_valid():
    [(pack, _, _, design)] = list(_designs("ap-invoice-processing", 1))
    copy = renamed(design)
    assert {s["id"] for s in copy["steps"]}.isdisjoint({s["id"] for s in design["steps"]})
    assert validate_design(copy, pack) == []
    assert similarity.canonical_hash(copy) == similarity.canonical_hash(design)


def test_the_demo_clock_replays_the_past_and_refuses_the_future():
    moment = timezone.now() - timedelta(days=400)
    with at(moment):
        assert abs(timezone.now() - moment) < timedelta(minutes=1)
    with pytest.raises(ValueError), at(timezone.now() + timedelta(days=1)):
        pass


def test_every_shipped_certification_pack_is_in_the_cohort():
    shipped = {p.name for p in pack_paths()}
    sat = {s.pack for c in cohort() for s in c.sittings}
    assert sat == set(PACKS) and sat <= shipped
