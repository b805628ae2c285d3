"""The Wilcoxon signed-rank test of paired differences, as R's ``wilcox.test(paired=TRUE)``.

Zeros are dropped (Wilcoxon 1945; R's default); the p-value is exact when fewer than 50
differences remain and none is tied or zero, otherwise normal with the tie-corrected
variance and, by default, a continuity correction of 1/2. The Hodges-Lehmann estimate is
the median of the Walsh averages, with R's exact interval in the exact case and the
inverted normal approximation otherwise (Hollander, Wolfe & Chicken 2014, ch. 3).
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
    signed_rank_counts,
    tail_log_p,
    tie_term,
)
from uxcx.errors import UxcxWarning

__all__ = ["signed_rank_test", "EXACT_MAX_N", "EXACT_LIMIT"]

#: R's rule: exact when fewer than this many nonzero differences (and no ties or zeros).
EXACT_MAX_N = 50
#: Counts of 2^n sign patterns stay within double range up to here (2^1000 < 1.8e308).
EXACT_LIMIT = 1000


def _z(x: np.ndarray, d: float, correct: bool) -> float:
    """R's ``W(d)`` in ``wilcox.test``: the corrected normal score of the differences ``x - d``."""
    xd = x - d
    xd = xd[xd != 0]
    n = len(xd)
    ranks = stats.rankdata(np.abs(xd))
    centred = ranks[xd > 0].sum() - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_term(ranks) / 48)
    shift = 0.5 * np.sign(centred) if correct else 0.0
    return (centred - shift) / sigma if sigma > 0 else math.nan


def _normal_interval(x: np.ndarray, walsh: np.ndarray, level: float, correct: bool):
    """R's normal-approximation interval, with R's widening when the level is out of reach."""
    n = len(x)
    breaks = np.unique(walsh)
    above = len(walsh) - np.searchsorted(walsh, breaks[:-1], side="right")  # Walsh averages above each gap
    centred = above - n * (n + 1) / 4
    # between breaks only equal differences tie (|x_i - d| = |x_j - d| needs x_i = x_j)
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_term(x) / 48)
    inner = (centred - (0.5 * np.sign(centred) if correct else 0.0)) / sigma
    at_first, at_last = _z(x, breaks[0], correct), _z(x, breaks[-1], correct)
    if not (np.isfinite(at_first) and np.isfinite(at_last)):
        return math.nan, math.nan, 0.0
    alpha = 1 - level
    while at_first - stats.norm.isf(alpha / 2) < 0 or at_last - stats.norm.ppf(alpha / 2) > 0:
        alpha *= 2  # as R: the widest interval the data allow, at a lower level
    if alpha >= 1:
        mid = float(np.median(x))
        return mid, mid, 0.0
    achieved = level if 1 - level >= alpha * 0.75 else 1 - alpha
    low = invert_steps(breaks, inner, at_first, at_last, stats.norm.isf(alpha / 2))
    high = invert_steps(breaks, inner, at_first, at_last, stats.norm.ppf(alpha / 2))
    return low, high, achieved


def _exact_interval(walsh: np.ndarray, counts: np.ndarray, level: float):
    """R's exact interval: order statistics of the Walsh averages at ``qsignrank(alpha/2, n)``."""
    alpha = 1 - level
    q = max(lower_quantile(counts, alpha / 2), 1)
    total = len(walsh)
    achieved_alpha = 2 * counts[:q].sum() / counts.sum()
    achieved = level if achieved_alpha - alpha <= alpha / 2 else 1 - float(f"{achieved_alpha:.2g}")
    return float(walsh[q - 1]), float(walsh[total - q]), achieved


def signed_rank_test(diff, *, alternative: str = "two-sided", confidence_level: float = 0.95,
                     correct: bool = True, exact: bool | None = None, label: str = "") -> dict:
    """Wilcoxon signed-rank test of paired differences with the Hodges-Lehmann estimate.

    Parameters
    ----------
    diff : array-like
        The paired differences (minuend minus reference).
    alternative : {"two-sided", "less", "greater"}
        "greater": the differences tend to be positive.
    confidence_level : float
        Of the (always two-sided) interval of the pseudo-median.
    correct : bool
        Continuity correction of the normal approximation (R's ``correct=TRUE``, the default).
    exact : bool or None
        None: exact when fewer than 50 nonzero differences and no ties or zeros (R's rule);
        True asks for the exact test (still normal, with a warning, when ties or zeros make it
        impossible); False always uses the normal approximation.
    label : str
        Words naming the task, for warnings.

    Returns
    -------
    dict
        ``n`` (pairs, zeros included), ``statistic`` (V, the sum of the positive ranks),
        ``p_value``, ``log10_p_value``, ``estimate`` (median of the Walsh averages of the
        nonzero differences), ``ci_low``, ``ci_high``, ``confidence_level`` (lowered, with a
        warning, when the data cannot reach the level asked for, as R does), ``effect_size``
        (matched-pairs rank-biserial r, Kerby 2014) and ``method``.

    Notes
    -----
    Exact: V's null distribution is counted from prod_k (1 + q^k); the two-sided p is twice
    the smaller tail (R's ``psignrank``). Normal: z = (V - n(n+1)/4 - c) / sigma with
    sigma^2 = n(n+1)(2n+1)/24 - sum(t^3 - t)/48 and c = sign(V - n(n+1)/4)/2 (two-sided) or
    +-1/2 (one-sided) when ``correct``. The exact interval runs from the q-th smallest to the
    q-th largest Walsh average, q = ``qsignrank(alpha/2, n)`` (at least 1); the normal one
    inverts z(d) of the differences shifted by d, whose steps are the Walsh averages, so the
    bounds are Walsh averages; R's ``uniroot`` finds the same jumps to within 1e-4. R's
    normal-case estimate is the root of the uncorrected z(d): the median of the Walsh
    averages up to that tolerance, except where z(d) is 0 all the way between the two
    middle averages, where R returns whichever point ``uniroot`` stops at and the kit
    their midpoint, the median (Hollander, Wolfe & Chicken's estimator).

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin*, 1(6), 80-83.

    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric Statistical Methods*
    (3rd ed.), sections 3.1-3.3. Wiley.

    R Core Team. ``wilcox.test`` in package stats (R 4.2).

    Examples
    --------
    Hollander & Wolfe's depression-scale pairs (R's ``?wilcox.test`` example):

    >>> x = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    >>> y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    >>> r = signed_rank_test(x - y, alternative="greater")
    >>> r["statistic"], round(r["p_value"], 6)
    (40.0, 0.019531)
    """
    diff = np.asarray(diff, dtype=float)
    x = diff[diff != 0]
    n = len(x)
    zeros = len(diff) - n
    row = {"n": len(diff), "confidence_level": confidence_level}
    if n == 0:
        warnings.warn(f"Every pair{label} has the same value for both designs: the signed-rank test has "
                      "nothing to rank (R's wilcox.test gives no p-value); the row reports a shift of 0 "
                      "without a test.", UxcxWarning, stacklevel=4)
        return {**row, "statistic": 0.0, "p_value": math.nan, "log10_p_value": math.nan, "estimate": 0.0,
                "ci_low": math.nan, "ci_high": math.nan, "effect_size": 0.0,
                "method": "Wilcoxon signed-rank test; no nonzero difference"}
    ranks = stats.rankdata(np.abs(x))
    v = float(ranks[x > 0].sum())
    ties = len(np.unique(ranks)) < n
    want_exact = n < EXACT_MAX_N if exact is None else bool(exact)
    if want_exact and n > EXACT_LIMIT:
        warnings.warn(f"An exact signed-rank distribution of {n} differences{label} is beyond the kit's "
                      f"limit ({EXACT_LIMIT}); the normal approximation, accurate at this size, is used.",
                      UxcxWarning, stacklevel=4)
        want_exact = False
    if want_exact and (ties or zeros) and exact:
        warnings.warn(f"An exact signed-rank p-value{label} is impossible with "
                      f"{'ties' if ties else 'zero differences'}; the normal approximation is used, "
                      "as R does.", UxcxWarning, stacklevel=4)
    i, j = np.triu_indices(n)
    walsh = np.sort((x[i] + x[j]) / 2)
    if want_exact and not ties and not zeros:
        counts = signed_rank_counts(n)
        log_p = tail_log_p(counts, v, alternative)
        low, high, achieved = _exact_interval(walsh, counts, confidence_level)
        name = "Wilcoxon signed-rank exact test"
    else:
        centred = v - n * (n + 1) / 4
        sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_term(ranks) / 48)
        shift = {"two-sided": 0.5 * np.sign(centred), "greater": 0.5, "less": -0.5}[alternative]
        z = (centred - (shift if correct else 0.0)) / sigma
        log_p = norm_log_p(z, alternative)
        low, high, achieved = _normal_interval(x, walsh, confidence_level, correct)
        # R's names: "... with continuity correction" or plain (normal, tie-corrected either way)
        name = "Wilcoxon signed-rank test" + (" with continuity correction" if correct
                                              else " (normal approximation)")
    p, log10_p = finish_p(log_p)
    estimate = float(np.median(walsh))
    method = name + (f", {zeros} zero difference{'s' if zeros > 1 else ''} dropped" if zeros else "")
    method += "; Hodges-Lehmann shift"
    if achieved != confidence_level:
        method += f" (interval at {achieved:.0%}: {confidence_level:.0%} not reachable)"
    if achieved != confidence_level:
        warnings.warn(f"With {n} nonzero difference(s){label} no {confidence_level:.0%} signed-rank interval "
                      f"exists; the interval given is at {achieved:.0%}, as R gives it.", UxcxWarning,
                      stacklevel=4)
    method += degenerate_note(walsh, estimate, low, high, "Walsh averages", label)
    return {**row, "statistic": v, "p_value": p, "log10_p_value": log10_p, "estimate": estimate,
            "ci_low": low, "ci_high": high, "confidence_level": achieved,
            "effect_size": float((v - ranks[x < 0].sum()) / ranks.sum()),
            "method": method + underflow_note(log10_p)}
