"""What the two Wilcoxon tests share: exact null distributions, R's quantiles, and the
Hodges-Lehmann interval found by inverting the normal approximation.

:mod:`uxcx._core.signed_rank` (one sample or paired differences) and
:mod:`uxcx._core.rank_sum` (two samples, Mann-Whitney) build on these. The exact
distributions are counted, never simulated; the normal-approximation interval is the
one R's ``wilcox.test(conf.int=TRUE)`` gives, found exactly on the breakpoints of the
step function that R's ``uniroot`` brackets to within ``tol.root = 1e-4``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from uxcx.errors import UxcxWarning

__all__ = ["signed_rank_counts", "rank_sum_counts", "lower_quantile", "tail_log_p", "invert_steps",
           "tie_term", "degenerate_note"]

# R's qsignrank/qwilcox subtract this fuzz before comparing cumulative probabilities.
_FUZZ = 10 * np.finfo(float).eps


def signed_rank_counts(n: int) -> np.ndarray:
    """How many of the 2^n sign patterns give each value 0..n(n+1)/2 of the signed-rank sum.

    The generating function is prod_k (1 + q^k) (Wilcoxon 1945); one vectorised shift-add
    per rank k (n < 50 in practice), all additions of positive counts, so no cancellation.
    """
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k]
    return counts


def rank_sum_counts(m: int, n: int) -> np.ndarray:
    """How many of the C(m+n, m) rank sets give each value 0..mn of the Mann-Whitney U.

    Counts subsets of size j of the ranks 1..m+n by their sum, one rank at a time
    (the q-binomial coefficient of Mann & Whitney 1947 without its divisions).
    """
    top = m * (m + 1) // 2 + m * n  # largest rank sum of m ranks
    table = np.zeros((m + 1, top + 1))
    table[0, 0] = 1.0
    for rank in range(1, m + n + 1):
        table[1:, rank:] = table[1:, rank:] + table[:-1, :-rank]
    return table[m, m * (m + 1) // 2:]


def lower_quantile(counts: np.ndarray, prob: float) -> int:
    """R's ``qsignrank``/``qwilcox`` for ``prob <= 0.5``: the smallest q with P(X <= q) >= prob."""
    cdf = np.cumsum(counts) / counts.sum()
    return int(np.searchsorted(cdf, prob - _FUZZ, side="left"))


def tail_log_p(counts: np.ndarray, statistic: float, alternative: str) -> float:
    """Natural-log exact p-value of ``statistic`` as R computes it (two-sided: twice the smaller tail).

    ``greater``: P(X >= s); ``less``: P(X <= s); two-sided: the upper tail when ``s`` lies above
    the centre, else the lower, doubled and capped at 1 (R's ``psignrank``/``pwilcox`` usage).
    """
    s = int(round(statistic))
    log_total = math.log(counts.sum())

    def log_tail(upper: bool) -> float:
        part = counts[s:] if upper else counts[:s + 1]
        total = part.sum()
        return math.log(total) - log_total if total > 0 else -math.inf

    if alternative == "greater":
        return log_tail(True)
    if alternative == "less":
        return log_tail(False)
    upper = statistic > (len(counts) - 1) / 2
    return min(0.0, math.log(2.0) + log_tail(upper))


def tie_term(values: np.ndarray) -> float:
    """sum(t^3 - t) over the groups of equal values (the tie correction of the rank variance)."""
    _, t = np.unique(values, return_counts=True)
    t = t.astype(float)
    return float(np.sum(t ** 3 - t))


def invert_steps(breaks: np.ndarray, inner: np.ndarray, at_first: float, at_last: float,
                 target: float) -> float:
    """Where a non-increasing step function of the shift crosses ``target``.

    ``breaks`` are its sorted jump points (the pairwise differences or Walsh averages),
    ``inner[k]`` its value between ``breaks[k]`` and ``breaks[k + 1]``, ``at_first`` and
    ``at_last`` its values at the two ends. As R's ``root()`` in ``wilcox.test``: the first
    break when the function is already at or below the target there, the last when it is
    still at or above it there, else the jump where it passes below the target.
    """
    if at_first - target <= 0 or len(breaks) == 1:
        return float(breaks[0])
    if at_last - target >= 0:
        return float(breaks[-1])
    below = np.flatnonzero(inner < target)
    return float(breaks[below[0]] if below.size else breaks[-1])


def degenerate_note(values: np.ndarray, estimate: float, low: float, high: float, what: str,
                    label: str) -> str:
    """Method words (and a warning) when the Hodges-Lehmann interval has zero width.

    On discrete ratings most pairwise differences (or Walsh averages) can share one value;
    when that value holds both interval ends the interval reads "0 (0 to 0)". R gives the
    same numbers; the kit says why, so a reader does not take it for certainty.
    """
    if not (np.isfinite(low) and low == high):
        return ""
    share = float(np.mean(values == low))
    text = (f"the Hodges-Lehmann interval{label} has zero width: {share:.0%} of the {len(values):,} {what} "
            f"equal {low:g}, and on a discrete scale both ends fall on that value; it says the typical "
            f"shift is {estimate:g} to within one scale step, not that it is exactly {estimate:g} (read the "
            "rank-biserial r and the difference of means beside it)")
    warnings.warn(text[0].upper() + text[1:] + ".", UxcxWarning, stacklevel=5)
    return f"; {text}"
