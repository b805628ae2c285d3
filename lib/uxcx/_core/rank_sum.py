"""The Wilcoxon rank-sum (Mann-Whitney U) test of two samples, as R's ``wilcox.test``.

Exact when both samples have fewer than 50 observations and no value is tied (R's rule),
otherwise normal with the tie-corrected variance and, by default, a continuity correction
of 1/2. The Hodges-Lehmann shift is the median of the pairwise differences, with R's exact
interval in the exact case and the inverted normal approximation otherwise (Hollander,
Wolfe & Chicken 2014, ch. 4).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats

from uxcx._core.pvalues import finish_p, norm_log_p, underflow_note
from uxcx._core.rank_intervals import (
    degenerate_note,
    invert_steps,
    lower_quantile,
    rank_sum_counts,
    tail_log_p,
    tie_term,
)
from uxcx.errors import UxcxWarning

__all__ = ["rank_sum_test", "EXACT_MAX_N", "EXACT_CELLS"]

#: R's rule: exact when each sample has fewer than this many observations (and no ties).
EXACT_MAX_N = 50
#: The largest counting table (subset sizes x rank sums) built for ``exact=True`` (40 MB).
EXACT_CELLS = 5_000_000


def _variance(m: int, n: int, ties: float) -> float:
    big = m + n
    return m * n / 12 * ((big + 1) - ties / (big * (big - 1)))


def _z(a: np.ndarray, b: np.ndarray, d: float, correct: bool) -> float:
    """R's ``W(d)`` in ``wilcox.test``: the corrected normal score of ``a - d`` against ``b``."""
    ranks = stats.rankdata(np.r_[a - d, b])
    m, n = len(a), len(b)
    centred = ranks[:m].sum() - m * (m + 1) / 2 - m * n / 2
    sigma = math.sqrt(_variance(m, n, tie_term(ranks)))
    shift = 0.5 * np.sign(centred) if correct else 0.0
    return (centred - shift) / sigma if sigma > 0 else math.nan


def _normal_interval(a, b, diffs: np.ndarray, level: float, correct: bool):
    m, n = len(a), len(b)
    breaks = np.unique(diffs)
    above = len(diffs) - np.searchsorted(diffs, breaks[:-1], side="right")  # U between two breaks
    centred = above - m * n / 2
    # between breaks no value of a - d equals a value of b: only the ties inside each sample remain
    sigma = math.sqrt(_variance(m, n, tie_term(a) + tie_term(b)))
    inner = (centred - (0.5 * np.sign(centred) if correct else 0.0)) / sigma
    at_first, at_last = _z(a, b, breaks[0], correct), _z(a, b, breaks[-1], correct)
    if not (np.isfinite(at_first) and np.isfinite(at_last)):
        return math.nan, math.nan
    z = stats.norm.isf((1 - level) / 2)
    return (invert_steps(breaks, inner, at_first, at_last, z),
            invert_steps(breaks, inner, at_first, at_last, -z))


def _exact_interval(diffs: np.ndarray, counts: np.ndarray, level: float):
    """R's exact interval: order statistics of the differences at ``qwilcox(alpha/2, m, n)``."""
    alpha = 1 - level
    q = max(lower_quantile(counts, alpha / 2), 1)
    achieved_alpha = 2 * counts[:q].sum() / counts.sum()
    achieved = level if achieved_alpha - alpha <= alpha / 2 else 1 - achieved_alpha
    return float(diffs[q - 1]), float(diffs[len(diffs) - q]), achieved


def rank_sum_test(a, b, *, alternative: str = "two-sided", confidence_level: float = 0.95,
                  correct: bool = True, exact: bool | None = None, label: str = "") -> dict:
    """Wilcoxon rank-sum (Mann-Whitney U) test of ``a`` against ``b`` with the Hodges-Lehmann shift.

    Parameters
    ----------
    a, b : array-like
        The two samples; the shift is ``a`` minus ``b``.
    alternative : {"two-sided", "less", "greater"}
        "greater": ``a`` tends to be larger.
    confidence_level : float
        Of the (always two-sided) interval of the shift.
    correct : bool
        Continuity correction of the normal approximation (R's ``correct=TRUE``, the default).
    exact : bool or None
        None: exact when both samples have fewer than 50 values and none is tied (R's rule);
        True asks for it (still normal, with a warning, under ties); False: always normal.
    label : str
        Words naming the task, for warnings.

    Returns
    -------
    dict
        ``n``, ``statistic`` (U of ``a``: R's W), ``p_value``, ``log10_p_value``, ``estimate``
        (median of the ``len(a) * len(b)`` differences), ``ci_low``, ``ci_high``,
        ``confidence_level`` (the level reached when the exact interval cannot reach the one
        asked for, as R reports it), ``effect_size`` (rank-biserial r = 2U/(mn) - 1, Kerby 2014)
        and ``method``.

    Notes
    -----
    U = R_a - m(m+1)/2 with R_a the rank sum of ``a``. Exact: U's null distribution is counted
    (Mann & Whitney 1947); two-sided p is twice the smaller tail (R's ``pwilcox``). Normal:
    z = (U - mn/2 - c) / sigma, sigma^2 = mn/12 ((N+1) - sum(t^3 - t)/(N(N-1))), c the continuity
    correction as in :func:`uxcx._core.signed_rank.signed_rank_test`. The exact interval runs from
    the q-th smallest to the q-th largest difference, q = ``qwilcox(alpha/2, m, n)`` (at least 1);
    the normal one inverts z(d) of ``a - d`` against ``b``, whose steps are the differences, so
    its bounds are differences, found exactly where R's ``uniroot`` gets within 1e-4. R's
    normal-case estimate is ``uniroot``'s root of the uncorrected z(d); where that is 0 all
    the way between the two middle differences R returns the point it stops at, the kit
    the median of the differences (Hodges & Lehmann 1963), which lies in that stretch.

    References
    ----------
    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50-60.

    Hodges, J. L., & Lehmann, E. L. (1963). Estimates of location based on rank tests.
    *Annals of Mathematical Statistics*, 34(2), 598-611.

    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric Statistical Methods*
    (3rd ed.), sections 4.1-4.3. Wiley.

    R Core Team. ``wilcox.test`` in package stats (R 4.2).

    Examples
    --------
    Hollander & Wolfe's permeability constants (R's ``?wilcox.test`` example):

    >>> x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    >>> y = [1.15, 0.88, 0.90, 0.74, 1.21]
    >>> r = rank_sum_test(x, y, alternative="greater")
    >>> r["statistic"], round(r["p_value"], 4)
    (35.0, 0.1272)
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    m, n = len(a), len(b)
    ranks = stats.rankdata(np.r_[a, b])
    u = float(ranks[:m].sum() - m * (m + 1) / 2)
    ties = len(np.unique(ranks)) < m + n
    want_exact = (m < EXACT_MAX_N and n < EXACT_MAX_N) if exact is None else bool(exact)
    if want_exact and (m + 1) * (m * n + m * (m + 1) // 2 + 1) > EXACT_CELLS:
        warnings.warn(f"An exact Mann-Whitney distribution for {m} and {n} values{label} is beyond the kit's "
                      "limit; the normal approximation, accurate at this size, is used.", UxcxWarning,
                      stacklevel=4)
        want_exact = False
    if want_exact and ties and exact:
        warnings.warn(f"An exact Mann-Whitney p-value{label} is impossible with ties; the normal "
                      "approximation is used, as R does.", UxcxWarning, stacklevel=4)
    diffs = np.sort(np.subtract.outer(a, b).ravel())
    achieved = confidence_level
    if want_exact and not ties:
        counts = rank_sum_counts(m, n)
        log_p = tail_log_p(counts, u, alternative)
        low, high, achieved = _exact_interval(diffs, counts, confidence_level)
        name = "Mann-Whitney U exact test"
    else:
        sigma = math.sqrt(_variance(m, n, tie_term(ranks)))
        centred = u - m * n / 2
        if sigma == 0:
            warnings.warn(f"Every value{label} in both groups is the same ({a[0]:g}): the Mann-Whitney test "
                          "has nothing to rank (R's wilcox.test gives no p-value); the row reports a shift "
                          "of 0 without a test.", UxcxWarning, stacklevel=4)
            return {"n": m + n, "statistic": u, "p_value": math.nan, "log10_p_value": math.nan,
                    "estimate": 0.0, "ci_low": math.nan, "ci_high": math.nan,
                    "confidence_level": confidence_level, "effect_size": 0.0,
                    "method": "Mann-Whitney U test; every value the same"}
        shift = {"two-sided": 0.5 * np.sign(centred), "greater": 0.5, "less": -0.5}[alternative]
        log_p = norm_log_p((centred - (shift if correct else 0.0)) / sigma, alternative)
        low, high = _normal_interval(a, b, diffs, confidence_level, correct)
        # R's names: "... with continuity correction" or plain (normal, tie-corrected either way)
        name = "Mann-Whitney U test" + (" with continuity correction" if correct
                                        else " (normal approximation)")
    p, log10_p = finish_p(log_p)
    estimate = float(np.median(diffs))
    method = name + "; Hodges-Lehmann shift"
    if achieved != confidence_level:
        method += f" (interval at {achieved:.1%}: {confidence_level:.0%} not reachable)"
        warnings.warn(f"With {m} and {n} values{label} no {confidence_level:.0%} Hodges-Lehmann interval "
                      f"exists; the widest one (smallest to largest difference) has {achieved:.1%} "
                      "confidence, as R reports it.", UxcxWarning, stacklevel=4)
    method += degenerate_note(diffs, estimate, low, high, "pairwise differences", label)
    return {"n": m + n, "statistic": u, "p_value": p, "log10_p_value": log10_p, "estimate": estimate,
            "ci_low": low, "ci_high": high, "confidence_level": achieved,
            "effect_size": float(2 * u / (m * n) - 1), "method": method + underflow_note(log10_p)}
