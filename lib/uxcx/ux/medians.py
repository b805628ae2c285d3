"""The median of any score or rating, with a distribution-free interval from order statistics."""

from __future__ import annotations

import pandas as pd

from uxcx._core.checks import by_columns, check_level, require
from uxcx._core.common import finish, group_ids, median_interval
from uxcx.ux.score_values import score_values

__all__ = ["median_score"]


def median_score(data: pd.DataFrame, *, score: str, by=None, scale=None, items=None,
                 confidence_level: float = 0.95) -> pd.DataFrame:
    """Median of a score (SUS, CSAT, CES, SEQ, any rating) with a distribution-free interval.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        A column, or "sus", "umux_lite", "umux_lite_sus" scored from their items
        (the names :func:`uxcx.mean_benchmark` takes).
    by : str or list of str, optional
        Grouping columns.
    scale : (int, int), optional
        Whole-number range of a rating column; default the role's range.
    items : sequence of str, optional
        Item columns of a questionnaire scored here.
    confidence_level : float, default 0.95
        The least coverage the interval must have.

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, then the result schema with
        ``term`` ("median <score>"), ``n``, ``estimate`` (the sample median),
        ``ci_low``, ``ci_high``, ``confidence_level`` (as asked) and ``method``
        (the ranks used and the interval's exact coverage); ``std_error`` and the
        test columns are NaN.

    Warns
    -----
    SmallSampleWarning
        Naming the number of groups too small for any order-statistic interval at
        the level (fewer than 6 values at 95%); their bounds are NaN.

    Notes
    -----
    The interval is ``[x_(r), x_(n+1-r)]`` with the largest rank r such that
    ``1 - 2 P(B <= r - 1) >= level``, B ~ Binomial(n, 1/2) (Conover 1999, sec. 3.2;
    in R ``sort(x)[c(k, n - k + 1)]`` with ``k <- qbinom((1 - level) / 2, n, 0.5)``,
    as ``asbio::ci.median`` and ``DescTools::MedianCI(method = "exact")`` build it): whatever the
    distribution, the median lies between two order statistics with that binomial
    probability, so no normality is assumed. Coverage is at least the level (the
    exact coverage, in ``method``, is higher because ranks are whole); with
    ratings, ties make the interval closed on a scale point, which keeps the
    coverage. Prefer the median to the mean for skewed scores or when a reader
    asks for "the typical answer"; the mean's t interval (:func:`uxcx.mean_benchmark`)
    is narrower for symmetric scores. Task times have their own median
    (:func:`uxcx.task_time` with ``method="median"``).

    References
    ----------
    .. [1] Conover, W. J. (1999). *Practical Nonparametric Statistics* (3rd ed.),
       sec. 3.2. New York: Wiley.
    .. [2] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience*
       (2nd ed.), ch. 3 ("Confidence interval around a median"). Morgan Kaufmann.

    Examples
    --------
    >>> d = pd.DataFrame({"csat": [5, 4, 4, 5, 3, 5, 4, 5, 5, 4, 2, 5]})
    >>> r = median_score(d, score="csat")
    >>> r[["term", "n", "estimate", "ci_low", "ci_high"]].to_dict("records")
    [{'term': 'median csat', 'n': 12, 'estimate': 4.5, 'ci_low': 4.0, 'ci_high': 5.0}]
    """
    by_cols = by_columns(by)
    level = check_level(confidence_level)
    require(data, {("by" if len(by_cols) == 1 else f"by[{i}]"): c for i, c in enumerate(by_cols)})
    values, read = score_values(data, score, scale=scale, items=items)
    gid, keys = group_ids(data, by_cols)
    estimate, low, high, rank, coverage, n = median_interval(values, gid, len(keys), level,
                                                             what=f"{score} values")
    method = [f"median ({read}); distribution-free interval, order statistics {r:.0f} and {m - r + 1:.0f} "
              f"of {m:.0f}, coverage {c:.3f}" if r == r else
              f"median ({read}); too few values for an order-statistic interval"
              for r, m, c in zip(rank, n, coverage)]
    return finish(keys, by_cols, term=f"median {score}", n=n, estimate=estimate, ci_low=low, ci_high=high,
                  confidence_level=level, method=method)
