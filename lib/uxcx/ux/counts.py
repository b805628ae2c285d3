"""Errors, abandonment, clicks and lostness per task attempt."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.checks import by_columns, check_level, check_option, numeric, require, source_name
from uxcx._core.common import (
    PROPORTION_METHODS,
    finish,
    group_ids,
    median_interval,
    per_group,
    proportion_interval,
    t_interval,
    warn_small,
)
from uxcx.errors import DataError, Problem

__all__ = ["task_errors", "abandonment", "clicks", "lostness_score", "lostness"]


def _mean_rows(keys, by_cols, values, gid, level, term, label):
    """One t-interval row per group for the mean of ``values``."""
    agg = per_group(values, gid, len(keys), "count", "mean", "std")
    n = agg["count"].to_numpy()
    warn_small(n, "observations")
    low, high, se = t_interval(agg["mean"], agg["std"], n, level)
    return finish(keys, by_cols, term=term, n=n, estimate=agg["mean"].to_numpy(), std_error=se,
                  ci_low=low, ci_high=high, confidence_level=level, method=label)


def _share_rows(keys, by_cols, flags, gid, level, method, term, label):
    """One proportion row per group: share of True among non-missing ``flags``."""
    agg = per_group(flags, gid, len(keys), "count", "sum")
    n, x = agg["count"].to_numpy(), agg["sum"].to_numpy()
    warn_small(n, "attempts", minimum=1)
    low, high, se, clipped = proportion_interval(x, n, method, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
    return finish(keys, by_cols, term=term, n=n, estimate=estimate, std_error=se, ci_low=low,
                  ci_high=high, confidence_level=level,
                  method=np.where(clipped, f"{label}{method} (bound clipped)", f"{label}{method}"))


def _stack(frames, by_cols):
    """Rows of several terms, ordered by group then in the order given."""
    out = pd.concat(frames, ignore_index=True)
    order = np.tile(np.arange(len(frames[0])), len(frames))
    return out.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)


def task_errors(data: pd.DataFrame, *, errors: str = "errors", by=None, method: str = "adjusted-wald",
                confidence_level: float = 0.95) -> pd.DataFrame:
    """Errors per attempt: the mean count, and the share of attempts with any error.

    Also available as ``uxcx.ux.errors``; the package exports it as
    ``uxcx.task_errors`` because ``uxcx.errors`` is the module of error classes.

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    errors : str
        Column of error counts (>= 0); missing values are left out.
    by : str or list of str, optional
        Grouping columns.
    method : {"adjusted-wald", "wilson", "exact"}
        Interval for the share with at least one error.
    confidence_level : float
        Two-sided level of both intervals.

    Returns
    -------
    DataFrame
        The result schema, two rows per group: ``term`` "mean_errors" (mean count,
        t interval, ``std_error`` s/√n) and "share_with_errors" (share of attempts
        with at least one error, proportion interval); ``n``, ``estimate``,
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``; test columns NaN.

    Notes
    -----
    Error counts are skewed and bounded at 0; the mean with a t interval is what
    Sauro & Lewis report, fine for moderate n. Because many attempts have no error,
    the binary view is often clearer: the proportion of attempts with one or
    more errors, a proportion like completion with the same small-sample
    adjusted-Wald interval (Sauro & Lewis 2005; 2016, ch. 3). The intervals are as
    in :func:`uxcx.ux.completion_rate`.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2005). Estimating completion rates from small
    samples using binomial confidence intervals. *Proceedings of the HFES 49th
    Annual Meeting*, 2100-2104.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 3. Morgan Kaufmann.

    Examples
    --------
    >>> d = pd.DataFrame({"errors": [0, 0, 1, 3, 0, 2]})
    >>> task_errors(d)[["term", "n", "estimate"]].round(3).to_dict("records")
    [{'term': 'mean_errors', 'n': 6, 'estimate': 1.0}, {'term': 'share_with_errors', 'n': 6, 'estimate': 0.5}]
    """
    by_cols = by_columns(by)
    check_option("method", method, PROPORTION_METHODS)
    level = check_level(confidence_level)
    require(data, [errors, *by_cols])
    counts = numeric(data, errors, expected="a count of errors, 0 or more", minimum=0)
    gid, keys = group_ids(data, by_cols)
    mean = _mean_rows(keys, by_cols, counts, gid, level, "mean_errors", "mean; t interval")
    share = _share_rows(keys, by_cols, (counts > 0).astype(float).where(counts.notna()), gid, level,
                        method, "share_with_errors", "share with >= 1 error; ")
    return _stack([mean, share], by_cols)


def abandonment(data: pd.DataFrame, *, abandoned: str = "abandoned", by=None,
                method: str = "adjusted-wald", confidence_level: float = 0.95) -> pd.DataFrame:
    """Share of attempts abandoned (the participant gave up), with an interval.

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    abandoned : str
        Column: 1 (gave up) or 0 (True/False also accepted); missing left out.
    by : str or list of str, optional
        Grouping columns.
    method : {"adjusted-wald", "wilson", "exact"}
        Interval (default adjusted Wald, as for completion).
    confidence_level : float
        Two-sided level.

    Returns
    -------
    DataFrame
        The result schema, one row per group: ``term`` "abandonment", ``n``,
        ``estimate`` (share abandoned), ``std_error`` (adjusted Wald only),
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``; test columns NaN.

    Notes
    -----
    A binary outcome like completion, so the same small-sample interval applies:
    adjusted Wald, p~ ± z·sqrt(p~(1 - p~)/(n + z²)) with p~ = (x + z²/2)/(n + z²)
    (Agresti & Coull 1998; Sauro & Lewis 2005). Abandonment separates giving up
    from failing with a wrong answer, which call for different fixes.

    References
    ----------
    Agresti, A., & Coull, B. A. (1998). Approximate is better than "exact" for
    interval estimation of binomial proportions. *The American Statistician*,
    52(2), 119-126.

    Sauro, J., & Lewis, J. R. (2005). Estimating completion rates from small
    samples using binomial confidence intervals. *Proceedings of the HFES 49th
    Annual Meeting*, 2100-2104.

    Examples
    --------
    1 of 5 abandoned: 95% adjusted Wald 0.02-0.64 (Sauro 2011, "1 out of 5").

    >>> d = pd.DataFrame({"abandoned": [1, 0, 0, 0, 0]})
    >>> abandonment(d)[["estimate", "ci_low", "ci_high"]].round(2).to_dict("records")
    [{'estimate': 0.2, 'ci_low': 0.02, 'ci_high': 0.64}]
    """
    by_cols = by_columns(by)
    check_option("method", method, PROPORTION_METHODS)
    level = check_level(confidence_level)
    require(data, [abandoned, *by_cols])
    flags = numeric(data, abandoned, expected="1 (abandoned) or 0", allowed={0, 1})
    gid, keys = group_ids(data, by_cols)
    return _share_rows(keys, by_cols, flags, gid, level, method, "abandonment", "")


def clicks(data: pd.DataFrame, *, clicks: str = "clicks", optimal: str = "optimal_clicks", by=None,
           confidence_level: float = 0.95) -> pd.DataFrame:
    """Clicks per attempt (mean and median) and the path ratio, clicks ÷ optimal clicks.

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    clicks : str
        Column of clicks (>= 0) in the attempt.
    optimal : str
        Column of the fewest clicks that complete the task (> 0).
    by : str or list of str, optional
        Grouping columns.
    confidence_level : float
        Two-sided level.

    Returns
    -------
    DataFrame
        The result schema, three rows per group: ``term`` "mean_clicks" (t
        interval), "median_clicks" (order-statistic interval as in
        :func:`uxcx.ux.task_time`) and "path_ratio" (mean over attempts of
        clicks ÷ optimal clicks, t interval; 1.0 is the optimal path, 1.5 means
        half again as many clicks as needed); ``n``, ``estimate``, ``std_error``,
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``; test columns NaN.

    Notes
    -----
    Clicks measure efficiency in a way that does not depend on reading speed.
    The path ratio puts tasks with different optimal paths on one scale (see
    Tullis & Albert 2008, ch. 4, on click-based efficiency); it can fall below 1
    for an attempt abandoned early. Attempts with a missing optimal count are
    left out of the path ratio only.

    References
    ----------
    Tullis, T., & Albert, B. (2008). *Measuring the User Experience*, ch. 4.
    Morgan Kaufmann.

    Examples
    --------
    >>> d = pd.DataFrame({"clicks": [4, 6, 5, 8], "optimal_clicks": [4, 4, 4, 4]})
    >>> r = clicks(d)
    >>> r["term"].tolist(), r["estimate"].round(3).tolist()
    (['mean_clicks', 'median_clicks', 'path_ratio'], [5.75, 5.5, 1.438])
    """
    by_cols = by_columns(by)
    level = check_level(confidence_level)
    require(data, [clicks, optimal, *by_cols])
    count = numeric(data, clicks, expected="a count of clicks, 0 or more", minimum=0)
    best = numeric(data, optimal, expected="the optimal number of clicks, above 0", minimum=0,
                   strict=True)
    gid, keys = group_ids(data, by_cols)
    mean = _mean_rows(keys, by_cols, count, gid, level, "mean_clicks", "mean; t interval")
    median, low, high, rank, coverage, n = median_interval(count, gid, len(keys), level, what="click counts")
    med = finish(keys, by_cols, term="median_clicks", n=n, estimate=median, ci_low=low, ci_high=high,
                 confidence_level=level,
                 method=[f"median; order-statistic interval, coverage {c:.3f}" if c == c
                         else "median; too few attempts for an interval" for c in coverage])
    ratio = _mean_rows(keys, by_cols, count / best, gid, level, "path_ratio",
                       "mean of clicks / optimal clicks (1.0 = optimal); t interval")
    return _stack([mean, med, ratio], by_cols)


def lostness_score(data: pd.DataFrame, *, unique: str = "pages_unique", total: str = "pages_total",
                   minimum: str = "pages_min") -> pd.Series:
    """Smith's (1996) lostness of each attempt, from 0 (on the optimal path) up.

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    unique : str
        N, the number of different pages visited.
    total : str
        S, the total number of pages visited, revisits included (S >= N).
    minimum : str
        R, the fewest pages that complete the task.

    Returns
    -------
    Series of float
        Named "lostness", on ``data``'s index; NaN where a count is missing.

    Notes
    -----
    L = sqrt((N/S - 1)² + (R/N - 1)²) (Smith 1996). The first term grows with
    revisits, the second with detours. Smith found that people with L below 0.4
    showed no sign of being lost and those above 0.5 did. Tullis & Albert's worked
    example (2008, ch. 4, figs. 4.7-4.8): N = 6, S = 9, R = 3 gives L = 0.60.

    References
    ----------
    Smith, P. A. (1996). Towards a practical measure of hypertext usability.
    *Interacting with Computers*, 8(4), 365-381.

    Tullis, T., & Albert, B. (2008). *Measuring the User Experience*, ch. 4.
    Morgan Kaufmann.

    Examples
    --------
    >>> d = pd.DataFrame({"pages_unique": [6, 3], "pages_total": [9, 3], "pages_min": [3, 3]})
    >>> lostness_score(d).round(2).tolist()
    [0.6, 0.0]
    """
    require(data, [unique, total, minimum])
    n = numeric(data, unique, expected="the number of different pages, above 0", minimum=0,
                strict=True)
    s = numeric(data, total, expected="the number of pages visited, above 0", minimum=0,
                strict=True)
    r = numeric(data, minimum, expected="the fewest pages needed, above 0", minimum=0,
                strict=True)
    bad = n > s
    if bad.any():
        raise DataError([Problem(source_name(data), None, unique, data.loc[i, unique],
                                 f"more different pages than pages visited ({total} = {data.loc[i, total]})",
                                 expected=f"{unique} <= {total}", hint="check the two counts of this attempt")
                         for i in data.index[bad.to_numpy()]])
    score = np.sqrt((n / s - 1) ** 2 + (r / n - 1) ** 2)
    return score.rename("lostness")


def lostness(data: pd.DataFrame, *, unique: str = "pages_unique", total: str = "pages_total",
             minimum: str = "pages_min", by=None, confidence_level: float = 0.95) -> pd.DataFrame:
    """Mean lostness per group with a t interval (see :func:`lostness_score`).

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    unique, total, minimum : str
        Columns of N (different pages), S (pages visited) and R (fewest needed).
    by : str or list of str, optional
        Grouping columns.
    confidence_level : float
        Two-sided level.

    Returns
    -------
    DataFrame
        The result schema, one row per group: ``term`` "lostness", ``n``,
        ``estimate`` (mean L), ``std_error``, ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``; test columns NaN.

    Notes
    -----
    The mean of L = sqrt((N/S - 1)² + (R/N - 1)²) over attempts (Smith 1996),
    with mean ± t(1 - α/2, n - 1)·s/√n. Compare with Smith's cut-offs: below 0.4
    not lost, above 0.5 lost.

    References
    ----------
    Smith, P. A. (1996). Towards a practical measure of hypertext usability.
    *Interacting with Computers*, 8(4), 365-381.

    Examples
    --------
    >>> d = pd.DataFrame({"pages_unique": [6, 3, 4], "pages_total": [9, 3, 5], "pages_min": [3, 3, 3]})
    >>> lostness(d)[["term", "n", "estimate"]].round(3).to_dict("records")
    [{'term': 'lostness', 'n': 3, 'estimate': 0.307}]
    """
    by_cols = by_columns(by)
    level = check_level(confidence_level)
    require(data, by_cols)
    score = lostness_score(data, unique=unique, total=total, minimum=minimum)
    gid, keys = group_ids(data, by_cols)
    return _mean_rows(keys, by_cols, score, gid, level, "lostness",
                      "mean of Smith (1996) lostness; t interval")
