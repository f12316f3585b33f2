"""Modified-Angoff figures on ratings whose answers are worked out by hand."""

import math

import pytest

from quality import angoff
from quality.angoff import Checkpoint

RUBRIC = [
    Checkpoint(id="a", title="A", weight=2, critical=False),
    Checkpoint(id="b", title="B", weight=1, critical=False),
    Checkpoint(id="c", title="C", weight=1, critical=True),
]
# Three raters. a: 60, 70, 80 (mean 70, SD 10); b: 40, 50, 90 (mean 60, SD 26.46, flagged).
RATINGS = {
    "r1": {"a": 60, "b": 40},
    "r2": {"a": 70, "b": 50},
    "r3": {"a": 80, "b": 90},
}


def test_three_raters_give_the_exact_mean_sd_range_and_cut_score():
    summary = angoff.summarise(RUBRIC, RATINGS)
    a, b, _ = summary["checkpoints"]
    assert (a["mean"], a["sd"], a["min"], a["max"], a["range"]) == (70, 10, 60, 80, 20)
    # b: deviations -20, -10, 30 → squares 400 + 100 + 900 = 1400, / 2 = 700, √700 = 26.458
    assert b["mean"] == 60 and b["sd"] == pytest.approx(26.46) and b["range"] == 50
    # Cut: (2 * 70 + 1 * 60 + 1 * 100 for the critical one) / 4 = 300 / 4 = 75
    assert summary["cut_score"] == 75.0
    assert summary["raters"] == 3


def test_a_checkpoint_whose_raters_disagree_by_more_than_15_points_sd_is_flagged():
    summary = angoff.summarise(RUBRIC, RATINGS)
    assert summary["flagged"] == ["b"]
    assert [row["flagged"] for row in summary["checkpoints"]] == [False, True, False]
    # At a higher threshold nothing is flagged.
    assert angoff.summarise(RUBRIC, RATINGS, sd_flag=30)["flagged"] == []


def test_critical_checkpoints_are_not_rated_and_count_at_full_weight():
    summary = angoff.summarise(RUBRIC, RATINGS)
    critical = summary["checkpoints"][2]
    assert critical["critical"] and critical["mean"] is None and critical["ratings"] == {}
    # Only the critical checkpoint: the cut is 100 whatever anyone thinks.
    only_critical = [Checkpoint(id="c", title="C", weight=1, critical=True)]
    assert angoff.cut_score(only_critical, {}) == 100.0


def test_each_raters_cut_and_the_standard_error_of_the_panels_cut():
    summary = angoff.summarise(RUBRIC, RATINGS)
    # r1: (120 + 40 + 100) / 4 = 65; r2: (140 + 50 + 100) / 4 = 72.5; r3: (160 + 90 + 100) / 4 = 87.5
    assert summary["rater_cuts"] == {"r1": 65.0, "r2": 72.5, "r3": 87.5}
    # The panel's cut is the mean of the raters' cuts (the formula is linear).
    assert summary["cut_score"] == pytest.approx(sum(summary["rater_cuts"].values()) / 3)
    # SD of 65, 72.5, 87.5: mean 75, squares 100 + 6.25 + 156.25 = 262.5, /2 → √131.25 = 11.456
    assert summary["rater_cut_sd"] == pytest.approx(11.46)
    assert summary["standard_error"] == pytest.approx(round(math.sqrt(131.25) / math.sqrt(3), 2))


def test_one_rater_has_no_spread_and_no_rater_no_cut():
    one = angoff.summarise(RUBRIC, {"r1": {"a": 50, "b": 50}})
    assert one["checkpoints"][0]["sd"] is None and not one["flagged"]
    assert one["cut_score"] == 62.5  # (100 + 50 + 100) / 4
    assert one["standard_error"] is None
    assert angoff.summarise(RUBRIC, {})["cut_score"] is None


@pytest.mark.parametrize(
    "ratings, paths",
    [
        ([60, 50], ["ratings"]),
        ({"a": 60}, ["ratings.b"]),
        ({"a": 60, "b": 101}, ["ratings.b"]),
        ({"a": -1, "b": 50}, ["ratings.a"]),
        ({"a": float("nan"), "b": 50}, ["ratings.a"]),
        ({"a": True, "b": 50}, ["ratings.a"]),
        ({"a": "60", "b": 50}, ["ratings.a"]),
        ({"a": 60, "b": 50, "zzz": 1}, ["ratings.zzz"]),
        ({"a": 60, "b": 50, "c": 100}, ["ratings.c"]),  # critical: not rated
    ],
)
def test_ratings_that_break_the_rules_name_each_problem(ratings, paths):
    assert [p["path"] for p in angoff.ratings_problems(RUBRIC, ratings)] == paths


def test_a_flood_of_keys_is_one_problem_not_one_per_key():
    flood = {f"k{i}": 1 for i in range(10_000)}
    assert angoff.ratings_problems(RUBRIC, flood) == [
        {"path": "ratings", "message": "Rate the 3 checkpoints only."}
    ]


def test_whole_and_decimal_ratings_at_the_bounds_are_accepted():
    assert angoff.ratings_problems(RUBRIC, {"a": 0, "b": 100.0}) == []
    assert angoff.ratings_problems(RUBRIC, {"a": 33.3, "b": 66.7}) == []


def test_checkpoints_are_read_from_a_packs_rubric():
    from scenarios.engine import load_pack
    from scenarios.services import PACKS_DIR

    content = load_pack(PACKS_DIR / "ap-invoice-processing").data
    checkpoints = angoff.checkpoints_of(content)
    assert [c.id for c in checkpoints] == [c["id"] for c in content["rubric"]["checkpoints"]]
    assert any(c.critical for c in checkpoints) and any(c.rated for c in checkpoints)
    # Everyone at 100 % on every rated checkpoint gives 100; at 0 %, the critical share.
    full = {c.id: 100 for c in checkpoints if c.rated}
    assert angoff.cut_score(checkpoints, full) == 100.0
    zero = {c.id: 0 for c in checkpoints if c.rated}
    critical = sum(c.weight for c in checkpoints if c.critical)
    total = sum(c.weight for c in checkpoints)
    assert angoff.cut_score(checkpoints, zero) == round(100 * critical / total, 2)
