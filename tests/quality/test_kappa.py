"""Quadratic weighted kappa and its interval against values whose answer is known."""

import random
import statistics

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quality import kappa


def _pairs(a, b):
    return list(zip(a, b, strict=True))


def test_cohens_worked_example_two_levels():
    """Wikipedia's worked example of Cohen's kappa (50 proposals: 20 yes/yes, 5 yes/no,
    10 no/yes, 15 no/no): p_o = 0.7, p_e = 0.5, kappa = 0.4. With two levels the quadratic
    weights are the unweighted ones."""
    pairs = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    assert kappa.weighted_kappa(pairs, 2) == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("a", "b", "k", "expected"),
    [
        # scikit-learn 1.9.1 cohen_kappa_score(a, b, weights="quadratic"), computed once
        ([0, 1, 2, 2, 0, 1, 2, 0, 1, 1], [0, 1, 1, 2, 0, 2, 2, 1, 1, 0], 3, 0.6666666666666667),
        (
            [0, 0, 1, 1, 2, 2, 3, 3, 3, 1, 0, 2],
            [0, 1, 1, 2, 2, 3, 3, 2, 3, 1, 0, 0],
            4,
            0.7333333333333334,
        ),
    ],
)
def test_matches_scikit_learn(a, b, k, expected):
    assert kappa.weighted_kappa(_pairs(a, b), k) == pytest.approx(expected, abs=1e-12)


def test_hand_computed_three_level_table():
    """Table (rows first marker, columns second) [[2,1,0],[0,2,1],[0,0,2]], 8 items, with
    disagreement weights (i-j)^2/4. Observed: (1/8 + 1/8) * 1/4 = 16/256. Expected, from the
    marginals rows (3,3,2)/8 and columns (2,3,3)/8: 1/4 * (9+6+9+6)/64 for the adjacent cells
    plus (9+4)/64 for the corners = 82/256. Kappa = 1 - 16/82 = 33/41."""
    pairs = [(0, 0)] * 2 + [(0, 1)] + [(1, 1)] * 2 + [(1, 2)] + [(2, 2)] * 2
    assert kappa.weighted_kappa(pairs, 3) == pytest.approx(33 / 41)


def test_perfect_agreement_is_one_and_constant_marks_are_undefined():
    assert kappa.weighted_kappa([(0, 0), (1, 1), (2, 2)], 3) == pytest.approx(1.0)
    assert kappa.weighted_kappa([(1, 1), (1, 1)], 3) is None
    assert kappa.weighted_kappa([], 3) is None
    assert kappa.kappa_interval([], 3) is None


def test_exact_and_adjacent_agreement():
    pairs = [(0, 0), (0, 1), (0, 2), (2, 2)]
    assert kappa.exact_agreement(pairs) == 0.5
    assert kappa.adjacent_agreement(pairs) == 0.75


def test_the_analytic_interval_matches_a_seeded_bootstrap():
    """The Fleiss-Cohen-Everitt standard error against the spread of 2,000 bootstrap
    resamples (seeded, so the figures are the same on every run)."""
    rng = random.Random(12)
    pairs = []
    for _ in range(120):
        true = rng.randrange(4)
        pairs.append((true, min(3, max(0, true + rng.choice([-1, 0, 0, 0, 1])))))
    low, high = kappa.kappa_interval(pairs, 4)
    analytic_se = (high - low) / (2 * kappa.Z95)
    boots = [kappa.weighted_kappa(rng.choices(pairs, k=len(pairs)), 4) for _ in range(2000)]
    bootstrap_se = statistics.stdev(boots)
    assert analytic_se == pytest.approx(bootstrap_se, rel=0.15)
    assert low < kappa.weighted_kappa(pairs, 4) < high


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60))
def test_kappa_is_symmetric_and_bounded(pairs):
    value = kappa.weighted_kappa(pairs, 4)
    assume(value is not None)
    assert -1.0 - 1e-9 <= value <= 1.0 + 1e-9
    assert kappa.weighted_kappa([(b, a) for a, b in pairs], 4) == pytest.approx(value)
