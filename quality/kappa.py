"""Agreement between two markers on an ordinal scale, in plain Python (no Django, no numpy).

- ``weighted_kappa``: Cohen's kappa with quadratic weights, kappa_w = 1 - sum(w O) / sum(w E)
  with disagreement weights w_ij = (i - j)^2 / (k - 1)^2, O the observed and E the expected
  (product of the marginals) proportions. Equal to scikit-learn's
  ``cohen_kappa_score(a, b, weights="quadratic")`` on the same labels.
- ``kappa_interval``: an analytic 95 % confidence interval, kappa_w +/- 1.96 SE, with the
  large-sample standard error of Fleiss, Cohen and Everitt (1969, Psychological Bulletin 72(5),
  323-327; also Fleiss, Levin and Paik, *Statistical Methods for Rates and Proportions*, 3rd ed.,
  section 18.2). Analytic rather than bootstrap: it costs O(k^2) from the table, so it scales to
  any number of marks, and the tests check it against a seeded bootstrap.
- ``exact_agreement`` and ``adjacent_agreement``: shares of pairs on the same level, and within
  one level of each other (exact included).
"""

import math
from collections.abc import Sequence

Z95 = 1.959963984540054


def _table(pairs: Sequence[tuple[int, int]], k: int) -> list[list[float]]:
    n = len(pairs)
    table = [[0.0] * k for _ in range(k)]
    for a, b in pairs:
        table[a][b] += 1.0 / n
    return table


def _agreement_weights(k: int) -> list[list[float]]:
    """1 on the diagonal, 0 at the far corners (quadratic)."""
    if k < 2:
        return [[1.0]]
    return [[1.0 - (i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)]


def _parts(pairs, k):
    p = _table(pairs, k)
    w = _agreement_weights(k)
    rows = [sum(p[i]) for i in range(k)]
    cols = [sum(p[i][j] for i in range(k)) for j in range(k)]
    p_o = sum(w[i][j] * p[i][j] for i in range(k) for j in range(k))
    p_e = sum(w[i][j] * rows[i] * cols[j] for i in range(k) for j in range(k))
    return p, w, rows, cols, p_o, p_e


def weighted_kappa(pairs: Sequence[tuple[int, int]], k: int) -> float | None:
    """Quadratic weighted kappa of (level index, level index) pairs on a k-level scale. None
    when it is undefined: no pairs, or both markers always used one and the same level."""
    if not pairs:
        return None
    _, _, _, _, p_o, p_e = _parts(pairs, max(k, 1))
    if math.isclose(p_e, 1.0):
        return None
    return (p_o - p_e) / (1.0 - p_e)


def kappa_interval(pairs: Sequence[tuple[int, int]], k: int) -> tuple[float, float] | None:
    """The analytic 95 % confidence interval of ``weighted_kappa`` (clipped to [-1, 1])."""
    n = len(pairs)
    kappa = weighted_kappa(pairs, k)
    if kappa is None or n < 2:
        return None
    p, w, rows, cols, _, p_e = _parts(pairs, k)
    w_row = [sum(cols[j] * w[i][j] for j in range(k)) for i in range(k)]
    w_col = [sum(rows[i] * w[i][j] for i in range(k)) for j in range(k)]
    total = sum(
        p[i][j] * (w[i][j] - (w_row[i] + w_col[j]) * (1 - kappa)) ** 2
        for i in range(k)
        for j in range(k)
    )
    variance = max(0.0, total - (kappa - p_e * (1 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    half = Z95 * math.sqrt(variance)
    return max(-1.0, kappa - half), min(1.0, kappa + half)


def exact_agreement(pairs: Sequence[tuple[int, int]]) -> float | None:
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def adjacent_agreement(pairs: Sequence[tuple[int, int]]) -> float | None:
    return sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs) if pairs else None
