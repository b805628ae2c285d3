"""Effect sizes of two-group comparisons and their intervals.

Hedges' g with the noncentral-t interval and Cohen's h. The tests in
:mod:`uxcx.ux.compare` put the point values in ``effect_size``; :func:`hedges_g` gives
g with its interval as estimate rows. The rank-biserial correlation and the
Hodges-Lehmann shift come with the rank tests (:mod:`uxcx._core.rank_sum`,
:mod:`uxcx._core.signed_rank`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from uxcx._core.compare import (
    ComparisonError,
    check_level,
    comparison_frame,
    split_groups,
    term,
    two_levels,
)
from uxcx._core.results import result_frame

__all__ = ["hedges_g"]


def hedges_j(df: float) -> float:
    """Hedges' (1981) exact small-sample correction J(df) = G(df/2) / (sqrt(df/2) G((df-1)/2))."""
    return float(np.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / np.sqrt(df / 2))


def ncp_interval(t: float, df: float, confidence_level: float) -> tuple[float, float]:
    """Noncentrality parameters whose noncentral t puts ``t`` at the upper and lower tail.

    Solves ``nct.cdf(t, df, ncp) = 1 - alpha/2`` (lower) and ``= alpha/2`` (upper)
    by Brent's method (Steiger & Fouladi 1997).
    """
    alpha = 1 - confidence_level

    def bound(target):
        f = lambda ncp: stats.nct.cdf(t, df, ncp) - target  # noqa: E731
        lo, hi = t - 5, t + 5
        while f(lo) < 0:
            lo -= 5 + abs(lo)
        while f(hi) > 0:
            hi += 5 + abs(hi)
        return optimize.brentq(f, lo, hi, xtol=1e-12)

    return bound(1 - alpha / 2), bound(alpha / 2)


def g_two(a: np.ndarray, b: np.ndarray, confidence_level: float, paired: bool) -> dict:
    """Hedges' g of ``a`` against ``b`` with the noncentral-t interval.

    Unpaired: d = (mean a - mean b) / pooled SD, t = d / sqrt(1/na + 1/nb), df = na + nb - 2.
    Paired: d_z = mean(a - b) / SD(a - b), t = d_z sqrt(n), df = n - 1.
    g = J(df) d; the interval is J(df) times the ncp interval rescaled like d.
    """
    if paired:
        diff = a - b
        n = len(diff)
        df = n - 1
        scale = 1 / np.sqrt(n)
        sd = diff.std(ddof=1) if n > 1 else np.nan
        d = diff.mean() / sd if sd > 0 else np.nan
        se_d = np.sqrt(1 / n + d ** 2 / (2 * n)) if n else np.nan
    else:
        na, nb = len(a), len(b)
        n = na + nb
        df = n - 2
        scale = np.sqrt(1 / na + 1 / nb) if na and nb else np.nan
        pooled = (np.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / df)
                  if na > 1 and nb > 1 else np.nan)
        d = (a.mean() - b.mean()) / pooled if pooled > 0 else np.nan
        se_d = np.sqrt(n / (na * nb) + d ** 2 / (2 * n)) if np.isfinite(d) else np.nan
    if not np.isfinite(d) or df < 2:
        return {"n": n, "estimate": np.nan, "std_error": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    j = hedges_j(df)
    lo, hi = ncp_interval(d / scale, df, confidence_level)
    return {"n": n, "estimate": j * d, "std_error": j * se_d, "ci_low": j * lo * scale,
            "ci_high": j * hi * scale}


def cohens_h(p1: float, p2: float) -> float:
    """Cohen's (1988) h = 2 asin(sqrt p1) - 2 asin(sqrt p2)."""
    return float(2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2)))


def hedges_g(data: pd.DataFrame, *, score: str, by: str = "design", paired: bool = False,
             subject: str = "participant", task: str | None = None, reference=None,
             confidence_level: float = 0.95) -> pd.DataFrame:
    """Hedges' g between two designs with the noncentral-t confidence interval.

    Parameters
    ----------
    data : DataFrame
        Long-form: one row per observation.
    score : str
        The column compared (a rating; pass a log-time column to standardise times).
    by : str
        The column with the two designs.
    paired : bool
        Within subjects: g_z, the mean of the paired differences over their SD.
    subject : str
        Subject id; unpaired rows of one subject are averaged first.
    task : str, optional
        One row per task.
    reference : optional
        The level subtracted (default: the first in sorted order).
    confidence_level : float

    Returns
    -------
    DataFrame
        Result schema: [task,] term ("Redesign − Current"), n (total, or pairs),
        estimate (g), std_error (normal approximation, Hedges & Olkin 1985),
        ci_low, ci_high (noncentral t), confidence_level, method; test columns NaN.

    Notes
    -----
    Unpaired: d = (mean_a - mean_b) / s_pooled, df = na + nb - 2; paired:
    d_z = mean(a - b) / SD(a - b), df = n - 1. g = J(df) d with Hedges' exact
    correction J(df) = G(df/2) / (sqrt(df/2) G((df - 1)/2)). The interval inverts the
    noncentral t distribution of t = d / sqrt(1/na + 1/nb) (or d_z sqrt(n)): the ncp
    bounds solving ``nct.cdf(t, df, ncp) = 1 - alpha/2`` and ``alpha/2`` are rescaled
    like d and multiplied by J (Steiger & Fouladi 1997; Cumming & Finch 2001). It is
    exact for normal data with equal variances; use it for ratings and log times.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. *Journal of Educational Statistics*, 6(2), 107-128.

    Hedges, L. V., & Olkin, I. (1985). *Statistical Methods for Meta-Analysis*. Academic Press.

    Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval estimation and the
    evaluation of statistical models. In L. L. Harlow, S. A. Mulaik & J. H. Steiger
    (Eds.), *What If There Were No Significance Tests?* (pp. 221-257). Erlbaum.

    Cumming, G., & Finch, S. (2001). A primer on the understanding, use, and calculation
    of confidence intervals that are based on central and noncentral distributions.
    *Educational and Psychological Measurement*, 61(4), 532-574.

    Examples
    --------
    >>> d = pd.DataFrame({"design": ["A"] * 4 + ["B"] * 4, "participant": range(8),
    ...                   "seq": [5, 6, 7, 6, 4, 5, 5, 3]})
    >>> r = hedges_g(d, score="seq")
    >>> r[["term", "estimate", "ci_low", "ci_high"]].round(2).to_dict("records")
    [{'term': 'B − A', 'estimate': -1.71, 'ci_low': -3.2, 'ci_high': -0.14}]
    """
    level = check_level(confidence_level)
    frame = comparison_frame(data, score, "score", by=by, subject=subject, task=task)
    levels = two_levels(frame[by], by, reference)
    method = ("Hedges' g_z (paired differences)" if paired else "Hedges' g (pooled SD)") + \
        ", noncentral-t interval (Steiger & Fouladi 1997)"

    def one(part, label):
        a, b, note = split_groups(part, value=score, by=by, subject=subject, paired=paired,
                                  levels=levels, aggregate="mean", label=label)
        return {"term": term(*levels), **g_two(a, b, level, paired),
                "confidence_level": level, "method": method + note}

    if task is None:
        return result_frame([one(frame, "")])
    rows = [{task: k, **one(p, f" (task {k})")} for k, p in frame.groupby(task, sort=True, observed=True)]
    if not rows:
        raise ComparisonError("no rows left to compare.")
    return result_frame(rows, groups=[task])
