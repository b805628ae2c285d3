"""p-values of Pearson's, Spearman's and Kendall's tests, chosen as R's ``cor.test`` does, in log space.

The one idea here is the null distribution of each coefficient and R's choice among
them: Student's t for Pearson; for Spearman, the exact permutation distribution
(n <= 9), the Edgeworth series of AS 89 (n <= 1290) or Student's t (ties, or more
rows); for Kendall, the exact distribution (n < 50 without ties) or the tie-corrected
normal approximation. Each function returns the natural log of the p-value
(:mod:`uxcx._core.pvalues`) and the words for the ``method`` column.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np
from scipy import special, stats

from uxcx._core.pvalues import norm_log_p, t_log_p

__all__ = ["pearson_log_p", "spearman_log_p", "kendall_log_p", "EXACT_SPEARMAN_N", "EDGEWORTH_MAX_N",
           "EXACT_KENDALL_N"]

#: Up to this n (without ties) Spearman's p is counted over all n! permutations (R's ``prho.c``).
EXACT_SPEARMAN_N = 9
#: Up to this n (without ties) R's ``cor.test`` uses the AS 89 Edgeworth series.
EDGEWORTH_MAX_N = 1290
#: Below this n (without ties) R's ``cor.test`` gives Kendall's exact p.
EXACT_KENDALL_N = 50
# AS 89's Edgeworth coefficients (Best & Roberts 1975)
_C = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131, 4.6e-4)


def pearson_log_p(r: float, n: int, alternative: str) -> tuple[float, str]:
    """Student's t with n - 2 df of t = r sqrt((n - 2)/(1 - r²)), as R's ``cor.test``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * math.sqrt(n - 2) / math.sqrt((1 - r) * (1 + r)) if abs(r) < 1 else math.copysign(math.inf, r)
    return t_log_p(t, n - 2, alternative), "t test with n - 2 df"


@lru_cache(maxsize=EXACT_SPEARMAN_N)
def _spearman_counts(n: int) -> np.ndarray:
    """How many of the n! permutations give each value of S = sum (i - p_i)²."""
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    return np.bincount(((perms - np.arange(n)) ** 2).sum(1))


def _edgeworth_u(x, n: int):
    """AS 89's correction u(x): the series adds u·exp(-x²/2) to the normal tail."""
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = _C
    b, y = 1.0 / n, x * x
    return x * b * (c1 + b * (c2 + c3 * b) + y * (-c4 + b * (c5 + c6 * b) - y * b * (
        c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))))


@lru_cache(maxsize=64)
def _edgeworth_limit(n: int) -> float:
    """The |x| beyond which the Edgeworth correction cancels more than 90% of the normal tail it corrects."""
    x = np.arange(0.0, 80.0, 1e-3)
    bad = np.abs(_edgeworth_u(x, n)) > 0.45 * special.erfcx(x / math.sqrt(2))
    return float(x[np.argmax(bad)]) if bad.any() else math.inf


def _edgeworth_log_tail(x: float, n: int) -> float:
    """log of the AS 89 tail beyond |x| on the small side: exp(-x²/2)(u(|x|) + erfcx(|x|/√2)/2)."""
    ax = abs(x)
    return -ax * ax / 2 + math.log(_edgeworth_u(ax, n) + 0.5 * float(special.erfcx(ax / math.sqrt(2))))


def _prho_log(n: int, s: float, lower: bool) -> tuple[float, str]:
    """log P(S < s) (``lower``) or log P(S >= s), R's ``prho`` (AS 89) kept positive in the far tail."""
    n3 = n * (n * n - 1) / 3
    exact, series = "exact permutation p (all n! orderings)", "Edgeworth series p (AS 89, as R's cor.test)"
    if s <= 0 or s > n3:  # beyond the range of S: certain (or impossible)
        return (0.0 if lower == (s > n3) else -math.inf), exact if n <= EXACT_SPEARMAN_N else series
    if n <= EXACT_SPEARMAN_N:
        counts = _spearman_counts(n)
        values = np.arange(len(counts))
        hit = counts[(values < s) if lower else (values >= s)].sum()
        return (math.log(hit) - math.lgamma(n + 1) if hit else -math.inf), exact
    x = (6.0 * (s - 1) / n / (n * n - 1) - 1) * math.sqrt(n - 1)
    small_side = (x < 0) if lower else (x > 0)
    if not small_side:
        y = float(_edgeworth_u(x, n)) / math.exp(x * x / 2)
        p = (-y if lower else y) + float(stats.norm.cdf(x) if lower else stats.norm.sf(x))
        return math.log(min(max(p, 0.0), 1.0)) if p > 0 else -math.inf, series
    limit = _edgeworth_limit(n)
    if abs(x) <= limit:
        return _edgeworth_log_tail(x, n), series
    # Beyond the series' range (R's value turns negative and R reports 0): R's t approximation,
    # never above the series at its limit, so p stays monotone in rho, and never below the share
    # of orderings known to lie in the tail.
    s_tail = s - 2 if lower else n * (n * n - 1) / 3 - s  # the tail's S, measured from rho = +1 or -1
    rho = 1 - s_tail / (n * (n * n - 1) / 6)
    t = rho / math.sqrt(max((1 - rho) * (1 + rho), 1e-300) / (n - 2))
    log_t = min(t_log_p(t, n - 2, "greater"), _edgeworth_log_tail(limit, n))
    return max(log_t, _log_swaps_share(n, s_tail)), (
        "t approximation p beyond the range of AS 89's Edgeworth series")


def _log_swaps_share(n: int, s_tail: float) -> float:
    """log of the share of the n! orderings made of k disjoint adjacent swaps with 2k <= s_tail.

    Each such ordering has S = 2k, so this is a lower bound of P(S <= s_tail), exact for
    s_tail < 6 (no other ordering has S below 6): 1/n! at S = 0, n/n! at S = 2.
    """
    k = np.arange(min(int(s_tail // 2), n // 2) + 1)
    log_ways = special.gammaln(n - k + 1) - special.gammaln(k + 1) - special.gammaln(n - 2 * k + 1)
    return float(special.logsumexp(log_ways)) - math.lgamma(n + 1)


def spearman_log_p(r: float, n: int, ties: bool, alternative: str) -> tuple[float, str]:
    """Spearman's test as R's ``cor.test(method = "spearman")``: exact, AS 89, or t.

    S = (n³ - n)(1 - rho)/6. Without ties and n <= 1290, R's ``prho`` (Best & Roberts
    1975): all n! permutations for n <= 9, else the Edgeworth series; with ties or larger
    n, Student's t of t = rho sqrt((n - 2)/(1 - rho²)) on n - 2 df.

    Far in the tail the series breaks down: its (negative) correction cancels the normal
    term, R's value falls to 0 and R reports p = 0 (n = 10 from rho = 0.94). Where the
    correction cancels more than 90% of the normal term (n = 10: rho > 0.90, p < 3.4e-4;
    n = 100: rho > 0.55, p < 1.7e-9; n = 1290: rho > 0.28, p < 3.5e-25), this takes the
    t approximation instead, capped at the series' value at that point so p stays
    monotone in rho, and floored by the share of orderings known to lie in the tail (those
    made of disjoint adjacent swaps: exact for S <= 4, so a perfect ranking gives 1/n!
    rather than R's 0). Checked against all 10! orderings at n = 10 (one-sided): the
    series is at most 25% above the exact tail up to rho = 0.90; beyond, the continued
    tail is at most a factor 4 below it (S = 10: 2.7e-5 against 1.0e-4) and exact for
    S <= 4. Every such p is far below any significance level.
    """
    if ties or n > EDGEWORTH_MAX_N:
        why = "ties" if ties else f"n > {EDGEWORTH_MAX_N}"
        return pearson_log_p(r, n, alternative)[0], f"t approximation p ({why}), as R's cor.test"
    q = (n ** 3 - n) * (1 - r) / 6
    lower = (round(q) + 2, True)  # P(S <= q): rho at least the observed
    upper = (round(q), False)  # P(S >= q): rho at most the observed
    if alternative == "greater":
        return _prho_log(n, *lower)
    if alternative == "less":
        return _prho_log(n, *upper)
    log_p, how = _prho_log(n, *(upper if q > (n ** 3 - n) / 6 else lower))
    return min(0.0, log_p + math.log(2.0)), how


def kendall_log_p(x: np.ndarray, y: np.ndarray, tau: float, alternative: str,
                  tie_counts: tuple | None = None) -> tuple[float, str]:
    """Kendall's tau-b test as R's ``cor.test(method = "kendall")``: exact (n < 50, no ties) or normal.

    The exact p-value is scipy's (``kendalltau(method="exact")``, the distribution of the
    number of discordant pairs); it is at least 2/n! (above 1e-63 for n < 50), so its log
    is safe. The normal approximation uses the tie-corrected variance of S (Kendall 1945)
    and :func:`uxcx._core.pvalues.norm_log_p`. ``tie_counts``: how many times each value of
    x and of y occurs, when already known.
    """
    n = len(x)
    if tie_counts is None:
        tie_counts = np.unique(x, return_counts=True)[1], np.unique(y, return_counts=True)[1]
    tx, ty = (np.asarray(c, dtype=float) for c in tie_counts)
    ties = max(tx.max(), ty.max()) > 1
    if n < EXACT_KENDALL_N and not ties:
        p = float(stats.kendalltau(x, y, method="exact", alternative=alternative).pvalue)
        return math.log(min(p, 1.0)), "exact p (no ties, n < 50)"
    t0 = n * (n - 1) / 2
    s = tau * math.sqrt((t0 - (tx * (tx - 1)).sum() / 2) * (t0 - (ty * (ty - 1)).sum() / 2))
    var = ((n * (n - 1) * (2 * n + 5) - (tx * (tx - 1) * (2 * tx + 5)).sum()
            - (ty * (ty - 1) * (2 * ty + 5)).sum()) / 18
           + (tx * (tx - 1)).sum() * (ty * (ty - 1)).sum() / (2 * n * (n - 1))
           + (tx * (tx - 1) * (tx - 2)).sum() * (ty * (ty - 1) * (ty - 2)).sum()
           / (9 * n * (n - 1) * (n - 2)))
    why = "ties" if ties else f"n >= {EXACT_KENDALL_N}"
    how = f"normal approximation p, tie-corrected variance ({why})"
    return norm_log_p(s / math.sqrt(var), alternative), how
