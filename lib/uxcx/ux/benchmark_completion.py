"""Is a task completion rate above (or below) a benchmark? The mid-p and exact binomial tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import logsumexp

from uxcx._core.checks import ALTERNATIVES, by_columns, check_level, check_option
from uxcx._core.common import finish, warn_small
from uxcx._core.pvalues import finish_p, place_log10, underflow_note
from uxcx._core.targets import DEFAULT_TARGETS
from uxcx.errors import UxcxError
from uxcx.ux.completion import credit_counts, missing_note

__all__ = ["completion_benchmark"]


def _mid_p(x, n, p0, alternative):
    """Mid-p value(s) of the binomial test of ``p = p0``, vectorised over x, n and p0."""
    upper = stats.binom.sf(x, n, p0) + 0.5 * stats.binom.pmf(x, n, p0)   # P(X > x) + P(X = x)/2
    lower = stats.binom.cdf(x - 1, n, p0) + 0.5 * stats.binom.pmf(x, n, p0)
    if alternative == "greater":
        return upper
    if alternative == "less":
        return lower
    return np.minimum(1.0, 2 * np.minimum(upper, lower))


def _log_p(x: int, n: int, p0: float, alternative: str, method: str) -> float:
    """Natural log of the mid-p or exact p-value for one group, summed over outcomes in log space.

    The sums run over the binomial log-probabilities of every outcome, so a p-value
    far below the floating-point range keeps its logarithm (issue 13: no p of 0).
    """
    if n <= 0:
        return np.nan
    k = np.arange(n + 1)
    log_pmf = stats.binom.logpmf(k, n, p0)
    half = np.log(0.5) + log_pmf[x]
    if method == "mid-p":
        upper = logsumexp(np.r_[log_pmf[k > x], half])
        lower = logsumexp(np.r_[log_pmf[k < x], half])
        if alternative == "two-sided":
            return min(0.0, np.log(2.0) + min(upper, lower))
        return min(0.0, upper if alternative == "greater" else lower)
    if alternative == "greater":
        return min(0.0, logsumexp(log_pmf[k >= x]))
    if alternative == "less":
        return min(0.0, logsumexp(log_pmf[k <= x]))
    # scipy's two-sided rule: every outcome no likelier than the observed one (relative slack 1e-7)
    return min(0.0, logsumexp(log_pmf[log_pmf <= log_pmf[x] + np.log1p(1e-7)]))


def _mid_p_bound(x, n, tail, side):
    """Mid-p confidence bound: the p0 where the one-sided mid-p value equals ``tail``.

    Bisection on all groups at once (60 halvings: exact to double precision).
    ``side="low"`` solves P(X > x) + P(X = x)/2 = tail, ``"high"`` the lower tail.
    """
    lo = np.zeros_like(x, dtype=float)
    hi = np.ones_like(x, dtype=float)
    alternative = "greater" if side == "low" else "less"
    for _ in range(60):  # fixed number of halvings, each vectorised over groups
        mid = (lo + hi) / 2
        value = _mid_p(x, n, mid, alternative)
        # the upper-tail mid-p rises with p0; the lower-tail one falls
        go_up = value < tail if side == "low" else value > tail
        lo, hi = np.where(go_up, mid, lo), np.where(go_up, hi, mid)
    bound = (lo + hi) / 2
    edge = (x == 0) if side == "low" else (x == n)
    return np.where(edge, 0.0 if side == "low" else 1.0, bound)


def completion_benchmark(data: pd.DataFrame, *, success: str = "success",
                         benchmark: float = DEFAULT_TARGETS["completion"],
                         by=None, alternative: str = "greater", method: str = "mid-p",
                         confidence_level: float = 0.95, partial: float = 0) -> pd.DataFrame:
    """Is the completion rate above (or below) a benchmark? Exact binomial test.

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    success : str
        Column of outcomes (1, 0, 0.5 = partial); missing values are left out.
    benchmark : float
        The rate to beat, in (0, 1). Default 0.78, the average task completion
        rate in Sauro's (2011) analysis of almost 1,200 usability tasks.
    by : str or list of str, optional
        Grouping columns; one test per group (no multiplicity correction:
        ``p_adjusted`` is NaN).
    alternative : {"greater", "less", "two-sided"}
        "greater" tests whether the rate exceeds the benchmark (the usual question).
    method : {"mid-p", "exact"}
        Mid-p (default, Sauro & Lewis 2016, ch. 4) or the exact p value
        (``scipy.stats.binomtest``).
    confidence_level : float
        Level of the interval, which matches the test: one-sided for a one-sided
        alternative (``ci_high`` 1 for "greater", ``ci_low`` 0 for "less").
    partial : {0, 1}
        Whether a partial success counts as a failure (0, default: the cautious
        choice when claiming a benchmark is beaten) or a success. A binomial test
        needs whole successes, so half credit is not an option here.

    Returns
    -------
    DataFrame
        The result schema: ``by`` columns, ``term`` ("completion"), ``n``,
        ``estimate`` (x/n), ``ci_low``, ``ci_high`` (mid-p or Clopper-Pearson
        bounds), ``confidence_level``, ``method``, ``statistic`` (x, the number of
        successes), ``p_value``, ``log10_p_value`` (after ``p_value``: summed over
        outcomes in log space, so it never reads 0), ``alternative``, ``effect_size`` (x/n minus the
        benchmark) and ``effect_size_type`` ("difference from benchmark");
        ``std_error``, ``df``, ``p_adjusted``, ``p_adjust_method`` NaN.

    Notes
    -----
    With X ~ Binomial(n, benchmark), the exact one-sided p value for "greater" is
    P(X >= x); the mid-p value counts the observed outcome half:
    P(X > x) + P(X = x)/2 (Lancaster 1961), for "less" P(X < x) + P(X = x)/2. The
    two-sided mid-p value doubles the smaller one (capped at 1); the two-sided
    exact one is scipy's (sums outcomes no likelier than x). Mid-p tests keep
    close to the nominal error rate on average, whereas exact tests are
    conservative at the small n of usability tests; Sauro & Lewis recommend mid-p.
    The mid-p interval inverts the mid-p test (Berry & Armitage 1995).

    References
    ----------
    Berry, G., & Armitage, P. (1995). Mid-P confidence intervals: A brief review.
    *Journal of the Royal Statistical Society D*, 44(4), 417-423.

    Lancaster, H. O. (1961). Significance tests in discrete distributions. *JASA*,
    56(294), 223-234.

    Sauro, J. (2011, March 21). What is a good task-completion rate? MeasuringU,
    https://measuringu.com/task-completion/

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 4. Morgan Kaufmann.

    Examples
    --------
    9 successes of 10 against 70%: exact P(X >= 9) = 0.149, mid-p 0.089.

    >>> d = pd.DataFrame({"success": [1] * 9 + [0]})
    >>> completion_benchmark(d, benchmark=0.7)["p_value"].round(3).tolist()
    [0.089]
    >>> completion_benchmark(d, benchmark=0.7, method="exact")["p_value"].round(3).tolist()
    [0.149]
    """
    by_cols = by_columns(by)
    check_option("method", method, ("mid-p", "exact"))
    check_option("alternative", alternative, ALTERNATIVES)
    check_option("partial", partial, (0, 1))
    level = check_level(confidence_level)
    if not 0 < float(benchmark) < 1:
        raise UxcxError(f"benchmark={benchmark!r} must be a proportion between 0 and 1 (exclusive), "
                        "e.g. 0.78")
    keys, n, x, missing = credit_counts(data, success, by_cols, partial)
    warn_small(n, "attempts", minimum=1)
    ok = n > 0
    xi, ni = np.round(x).astype(int), n.astype(int)
    tail = (1 - level) / 2 if alternative == "two-sided" else 1 - level
    p_value, log10 = np.array([finish_p(_log_p(a, b, float(benchmark), alternative, method))
                               for a, b in zip(xi, ni)]).reshape(-1, 2).T
    if method == "mid-p":
        low = _mid_p_bound(xi, ni, tail, "low") if alternative != "less" else np.zeros(len(n))
        high = _mid_p_bound(xi, ni, tail, "high") if alternative != "greater" else np.ones(len(n))
    else:  # scipy's exact test; a loop over groups only
        tests = [stats.binomtest(a, b, benchmark, alternative=alternative) if b else None
                 for a, b in zip(xi, ni)]
        cis = [t.proportion_ci(level, method="exact") if t else None for t in tests]
        low = np.array([c.low if c else np.nan for c in cis])
        high = np.array([c.high if c else np.nan for c in cis])
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(ok, x / np.where(ok, n, 1), np.nan)
    label = (f"{method} binomial test vs {benchmark:g}; partial={partial:g}"
             + np.array([underflow_note(v) for v in log10], dtype=object) + missing_note(missing))
    out = finish(keys, by_cols, term="completion", n=n, estimate=estimate,
                 ci_low=np.where(ok, low, np.nan), ci_high=np.where(ok, high, np.nan),
                 confidence_level=level, method=label, statistic=x, p_value=p_value,
                 alternative=alternative, effect_size=estimate - float(benchmark),
                 effect_size_type="difference from benchmark")
    return place_log10(out, log10)
