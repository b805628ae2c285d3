"""Task completion: the partial-credit rule, the rate with its interval (Sauro & Lewis), the best estimate.

The test of a rate against a benchmark is :mod:`uxcx.ux.benchmark_completion`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core.checks import by_columns, check_level, check_option, numeric, require
from uxcx._core.common import (
    PROPORTION_METHODS,
    finish,
    group_ids,
    per_group,
    proportion_interval,
    warn_small,
)
from uxcx.errors import UxcxError

__all__ = ["completion_rate", "best_point_estimate", "partial_credit", "credit_counts", "missing_note",
           "SUCCESS_VALUES", "SUCCESS_EXPECTED"]

#: The values a task-success cell may hold: failure, partial success, success.
SUCCESS_VALUES = frozenset({0, 0.5, 1})
#: ... and the same in words, for messages.
SUCCESS_EXPECTED = "1 (success), 0 (failure) or 0.5 (partial success)"


def partial_credit(success: pd.Series, partial: float = 0.5, *,
                   error: type[UxcxError] = UxcxError) -> pd.Series:
    """Task success with every partial success (0.5 in the data) counted as ``partial``.

    The kit's one rule for partial task success, used by :func:`completion_rate`,
    :func:`completion_benchmark`, :func:`uxcx.compare_completion`,
    :func:`uxcx.sum_score` and :func:`uxcx.participant_measures`, so a study's
    ``analysis.partial_success`` means the same in every one of them.

    Parameters
    ----------
    success : Series of float
        1 success, 0 failure, 0.5 partial success, NaN missing (as read by
        :func:`uxcx._core.checks.numeric` with ``allowed=SUCCESS_VALUES``).
    partial : float
        The credit a partial success earns, from 0 to 1: 0.5 (the default, half a
        success), 0 (strict: a failure) or 1 (lenient: a success).
    error : type of UxcxError
        The error raised for a ``partial`` outside [0, 1].

    Returns
    -------
    Series of float
        ``success`` with 0.5 replaced by ``partial``; every other value, and the
        index, unchanged. The caller's Series is not changed.

    Notes
    -----
    Sauro & Lewis (2016, ch. 3) estimate a completion rate as a binomial proportion:
    every attempt a success or a failure. A partial success (a task done with help,
    or with a wrong but close answer; Tullis & Albert 2013, ch. 4, "levels of
    success") has no place in that model, so how it counts is a choice, and the kit
    makes it explicit: a named option with a stated default, recorded in the
    ``method`` column of every result it changes. :func:`completion_rate` and
    :func:`completion_benchmark` write "partial=0.5" (always), :func:`uxcx.compare_completion`
    appends "; partial success = 0" when the credit is not the default and the data
    hold partial successes, and :func:`uxcx.sum_score` names it in its completion row
    ("completion rate (partial success = 0.5)"). Half credit keeps the binomial
    formulas (x need not be whole), which treats a half success as half a Bernoulli
    trial: an approximation. Tests that need whole successes (McNemar, the exact
    binomial) ask for a credit of 0 or 1.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience: Practical
    Statistics for User Research* (2nd ed.), ch. 3. Morgan Kaufmann.

    Tullis, T., & Albert, B. (2013). *Measuring the User Experience* (2nd ed.),
    ch. 4. Morgan Kaufmann.

    Examples
    --------
    >>> s = pd.Series([1, 0.5, 0, None])
    >>> partial_credit(s).tolist(), partial_credit(s, 0).tolist()
    ([1.0, 0.5, 0.0, nan], [1.0, 0.0, 0.0, nan])
    """
    try:
        credit = float(partial)
    except (TypeError, ValueError):
        credit = np.nan
    if isinstance(partial, bool) or not 0 <= credit <= 1:
        raise error(f"partial must be between 0 and 1 (the credit of a partial success: 0, 0.5 or 1); "
                    f"got {partial!r}.")
    return success.where(success != 0.5, credit)


def credit_counts(data, success, by_cols, partial):
    """Per-group n (non-missing attempts), credit sum, whole successes and missing count."""
    require(data, [success, *by_cols])
    check_option("partial", partial, (0, 0.5, 1))
    values = numeric(data, success, expected=SUCCESS_EXPECTED, allowed=SUCCESS_VALUES)
    credit = partial_credit(values, partial)
    gid, keys = group_ids(data, by_cols)
    agg = per_group(credit, gid, len(keys), "count", "sum")
    missing = per_group(values.isna().astype(float), gid, len(keys), "sum")["sum"].to_numpy()
    return keys, agg["count"].to_numpy(), agg["sum"].to_numpy(), missing


def missing_note(missing) -> np.ndarray:
    """"; k missing left out" per group (empty where none were missing)."""
    return np.array([f"; {int(m)} missing left out" if m else "" for m in missing], dtype=object)


def best_point_estimate(x, n, confidence_level=0.95):
    """Lewis & Sauro's best point estimate of a completion rate, and the rule used.

    Parameters
    ----------
    x, n : array-like
        Successes (partial credit allowed) and attempts, one entry per group.
    confidence_level : float
        Sets z of the Wilson estimate, as in the adjusted-Wald interval reported with it.

    Returns
    -------
    estimate : ndarray
    rule : ndarray of str
        "wilson", "mle" or "laplace" per entry.

    Notes
    -----
    For completion rates expected between 0.5 and 1, the usual case in usability
    testing, Lewis & Sauro (2006, p. 144; repeated in Sauro & Lewis 2016, ch. 3,
    "Best point estimates for a completion rate") recommend, with p = x/n:

    - p <= 0.5: Wilson, (x + z²/2) / (n + z²);
    - 0.5 < p <= 0.9: the maximum-likelihood estimate x/n;
    - p > 0.9 (100 % included): Laplace, (x + 1) / (n + 2).

    MeasuringU's online calculator differs slightly (it switches at p >= 0.9 and
    takes the smaller of Laplace and Jeffreys (x + 0.5) / (n + 1) below 100 %);
    this function follows the paper.

    References
    ----------
    Lewis, J. R., & Sauro, J. (2006). When 100% really isn't 100%: Improving the
    accuracy of small-sample estimates of completion rates. *Journal of Usability
    Studies*, 1(3), 136-150.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience: Practical
    Statistics for User Research* (2nd ed.). Morgan Kaufmann.

    Examples
    --------
    >>> est, rule = best_point_estimate([2, 7, 5], [8, 8, 5])
    >>> est.round(3).tolist(), rule.tolist()
    ([0.331, 0.875, 0.857], ['wilson', 'mle', 'laplace'])
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    z2 = float(stats.norm.ppf(1 - (1 - check_level(confidence_level)) / 2)) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        wilson = (x + z2 / 2) / (n + z2)
        laplace = (x + 1) / (n + 2)
    rule = np.where(p <= 0.5, "wilson", np.where(p <= 0.9, "mle", "laplace"))
    estimate = np.where(p <= 0.5, wilson, np.where(p <= 0.9, p, laplace))
    return np.where(n > 0, estimate, np.nan), rule.astype(object)


def completion_rate(data: pd.DataFrame, *, success: str = "success", by=None,
                    method: str = "adjusted-wald", confidence_level: float = 0.95,
                    partial: float = 0.5, point: str = "observed") -> pd.DataFrame:
    """Task completion rate with a confidence interval suited to small samples.

    Parameters
    ----------
    data : DataFrame
        One row per attempt (participant × task).
    success : str
        Column of outcomes: 1 success, 0 failure, 0.5 partial success; missing
        values are left out (and counted in ``method``).
    by : str or list of str, optional
        Grouping columns, e.g. ``["task", "design"]``.
    method : {"adjusted-wald", "wilson", "exact"}
        Interval. Default adjusted Wald (Sauro & Lewis 2005).
    confidence_level : float
        Two-sided level of the interval.
    partial : {0, 0.5, 1}
        Credit a partial success earns: none, half or full.
    point : {"observed", "best"}
        Report x/n, or Lewis & Sauro's best point estimate
        (:func:`best_point_estimate`).

    Returns
    -------
    DataFrame
        The result schema (:mod:`uxcx._core.results`): the ``by`` columns, then ``term``
        ("completion"), ``n`` (attempts used), ``estimate``, ``std_error``
        (adjusted Wald only, else NaN), ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method`` (e.g. "adjusted-wald; partial=0.5", plus
        "(bound clipped)", the point rule, and missing values left out); the test
        columns are NaN. One row per group.

    Notes
    -----
    With x the credited successes (a partial success adds ``partial``) of n
    attempts and z the normal quantile of the level:

    - adjusted Wald (Agresti & Coull 1998, as Sauro & Lewis 2005 apply it): add
      z²/2 successes and z² attempts, p~ = (x + z²/2)/(n + z²), and take the Wald
      interval p~ ± z·sqrt(p~(1 - p~)/(n + z²)). It covers close to the nominal
      level on average even at n = 5, so it is the default for usability tests;
    - "wilson" (Wilson 1927): the score interval, centred on p~ with half-width
      z/(n + z²)·sqrt(x(n - x)/n + z²/4);
    - "exact" (Clopper & Pearson 1934): beta quantiles, Beta(α/2; x, n - x + 1)
      and Beta(1 - α/2; x + 1, n - x); never below the level, often well above.

    Bounds are clipped to [0, 1]. Partial credit keeps the formulas (x need not be
    whole), which treats a half success as half a Bernoulli trial: an approximation.

    References
    ----------
    Agresti, A., & Coull, B. A. (1998). Approximate is better than "exact" for
    interval estimation of binomial proportions. *The American Statistician*,
    52(2), 119-126.

    Clopper, C. J., & Pearson, E. S. (1934). The use of confidence or fiducial
    limits illustrated in the case of the binomial. *Biometrika*, 26(4), 404-413.

    Lewis, J. R., & Sauro, J. (2006). When 100% really isn't 100%. *Journal of
    Usability Studies*, 1(3), 136-150.

    Sauro, J., & Lewis, J. R. (2005). Estimating completion rates from small
    samples using binomial confidence intervals: Comparisons and recommendations.
    *Proceedings of the Human Factors and Ergonomics Society 49th Annual Meeting*,
    2100-2104.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 3. Morgan Kaufmann.

    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. *JASA*, 22(158), 209-212.

    Examples
    --------
    4 successes of 5 attempts (Sauro & Lewis 2005): 95% adjusted Wald 0.36-0.98.

    >>> d = pd.DataFrame({"success": [1, 1, 1, 1, 0]})
    >>> r = completion_rate(d)
    >>> r[["n", "estimate", "ci_low", "ci_high"]].round(2).to_dict("records")
    [{'n': 5, 'estimate': 0.8, 'ci_low': 0.36, 'ci_high': 0.98}]
    >>> r.loc[0, "method"]
    'adjusted-wald; partial=0.5'
    """
    by_cols = by_columns(by)
    check_option("method", method, PROPORTION_METHODS)
    check_option("point", point, ("observed", "best"))
    level = check_level(confidence_level)
    keys, n, x, missing = credit_counts(data, success, by_cols, partial)
    warn_small(n, "attempts", minimum=1)
    low, high, se, clipped = proportion_interval(x, n, method, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
    label = np.full(len(n), f"{method}; partial={partial:g}", dtype=object)
    label = label + np.where(clipped, " (bound clipped)", "")
    if point == "best":
        estimate, rule = best_point_estimate(x, n, level)
        label = label + "; best point estimate: " + rule
    label = label + missing_note(missing)
    return finish(keys, by_cols, term="completion", n=n, estimate=estimate, std_error=se,
                  ci_low=low, ci_high=high, confidence_level=level, method=label)


def __getattr__(name: str):
    # completion_benchmark moved to uxcx.ux.benchmark_completion; the old path still serves it
    if name == "completion_benchmark":
        from uxcx.ux.benchmark_completion import completion_benchmark

        return completion_benchmark
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
