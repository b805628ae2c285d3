"""Task time: geometric mean (default), median or mean with intervals; flags for long times."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.checks import by_columns, check_level, check_option, numeric, require
from uxcx._core.common import finish, group_ids, median_interval, per_group, t_interval, warn_small
from uxcx.ux.completion import SUCCESS_EXPECTED, SUCCESS_VALUES

__all__ = ["task_time", "long_times"]

_TIME = "a time in seconds greater than 0"


def task_time(data: pd.DataFrame, *, time: str = "time_s", by=None, method: str = "geometric",
              confidence_level: float = 0.95, successful_only: bool = True,
              success: str = "success") -> pd.DataFrame:
    """Typical task time with a confidence interval: geometric mean, median or mean.

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    time : str
        Column of task times in seconds (> 0); missing times are left out.
    by : str or list of str, optional
        Grouping columns, e.g. ``["task", "design"]``.
    method : {"geometric", "median", "mean"}
        "geometric" (default): geometric mean with the back-transformed t interval
        of log times. "median": sample median with the distribution-free
        order-statistic interval. "mean": arithmetic mean with the t interval.
    confidence_level : float
        Two-sided level of the interval.
    successful_only : bool
        Use only successful attempts (``success`` equal to 1; partial successes
        and failures are left out), as Sauro & Lewis advise for time on task.
    success : str
        Column of outcomes, read only when ``successful_only``.

    Returns
    -------
    DataFrame
        The result schema: the ``by`` columns, ``term`` ("geometric_mean_time",
        "median_time" or "mean_time"), ``n`` (times used), ``estimate`` (seconds),
        ``std_error`` (s/√n for "mean", else NaN), ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method`` (which estimate and interval, which
        attempts were used; for "median" the ranks used and the interval's
        guaranteed coverage); test columns NaN. One row per group.

    Notes
    -----
    Task times are positively skewed, so Sauro & Lewis (2016, ch. 3) recommend
    the geometric mean for samples below about 25, and the median beyond. With
    y = ln t, mean ȳ and standard deviation s over n times:

    - geometric: exp(ȳ), interval exp(ȳ ± t(1 - α/2, n - 1)·s/√n). It is an
      exact interval for the median (= geometric mean) of a log-normal
      distribution; Sauro & Lewis (2010) found it the least biased and most
      accurate typical time for usability samples below about 25;
    - median: interval [t_(r), t_(n+1-r)] of the ordered times, with the largest
      r such that 1 - 2·P(B <= r - 1) >= level, B ~ Binomial(n, 1/2); its coverage
      is at least the level for any continuous distribution (Conover 1999, sec.
      3.2); with n <= 5 no 95% interval exists (bounds NaN). Sauro & Lewis use a
      normal approximation to the same ranks;
    - mean: ȳ on the raw scale, t interval; use it for totals (e.g. cost of time)
      rather than a typical time, since skew makes its interval unreliable at
      small n.

    References
    ----------
    Conover, W. J. (1999). *Practical Nonparametric Statistics* (3rd ed.). Wiley.

    Sauro, J., & Lewis, J. R. (2010). Average task times in usability tests: What to
    report? *Proceedings of CHI 2010*, 2347-2350.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 3. Morgan Kaufmann.

    Examples
    --------
    Times of 55, 65, 75, 62, 45 and 135 s (Sauro & Lewis 2016, ch. 3): geometric
    mean 68 s, 95% interval 46-101 s.

    >>> d = pd.DataFrame({"time_s": [55, 65, 75, 62, 45, 135]})
    >>> r = task_time(d, successful_only=False)
    >>> r[["term", "n", "estimate", "ci_low", "ci_high"]].round(0).to_dict("records")
    [{'term': 'geometric_mean_time', 'n': 6, 'estimate': 68.0, 'ci_low': 46.0, 'ci_high': 101.0}]
    """
    by_cols = by_columns(by)
    check_option("method", method, ("geometric", "median", "mean"))
    level = check_level(confidence_level)
    require(data, [time, *by_cols, *([success] if successful_only else [])])
    times = numeric(data, time, expected=_TIME, minimum=0, strict=True)
    note = "all attempts"
    if successful_only:
        ok = numeric(data, success, expected=SUCCESS_EXPECTED, allowed=SUCCESS_VALUES) == 1
        times = times.where(ok)
        note = "successful attempts only"
    gid, keys = group_ids(data, by_cols)
    if method == "median":
        estimate, low, high, rank, coverage, n = median_interval(times, gid, len(keys), level, what="times")
        detail = [f"median; order-statistic interval, ranks {r:.0f} and {m - r + 1:.0f} of {m:.0f}, "
                  f"coverage {c:.3f}" if r == r else "median; too few times for an order-statistic interval"
                  for r, m, c in zip(rank, n, coverage)]
        return finish(keys, by_cols, term="median_time", n=n, estimate=estimate, ci_low=low,
                      ci_high=high, confidence_level=level,
                      method=[f"{d}; {note}" for d in detail])
    values = np.log(times) if method == "geometric" else times
    agg = per_group(values, gid, len(keys), "count", "mean", "std")
    n = agg["count"].to_numpy()
    warn_small(n, "times")
    low, high, se = t_interval(agg["mean"], agg["std"], n, level)
    if method == "geometric":
        return finish(keys, by_cols, term="geometric_mean_time", n=n,
                      estimate=np.exp(agg["mean"].to_numpy()), ci_low=np.exp(low), ci_high=np.exp(high),
                      confidence_level=level,
                      method=f"geometric; t interval of log times, back-transformed; {note}")
    return finish(keys, by_cols, term="mean_time", n=n, estimate=agg["mean"].to_numpy(), std_error=se,
                  ci_low=low, ci_high=high, confidence_level=level, method=f"mean; t interval; {note}")


def long_times(data: pd.DataFrame, *, time: str = "time_s", by="task", k: float = 3.0) -> pd.Series:
    """Flag unusually long task times (flagged, never removed).

    Parameters
    ----------
    data : DataFrame
        One row per attempt.
    time : str
        Column of task times in seconds (> 0).
    by : str or list of str, optional
        Groups within which times are compared (default per task); None compares
        all times together.
    k : float
        Fence multiplier: 3 (default) is Tukey's "far out" fence, 1.5 his
        "outside" fence.

    Returns
    -------
    Series of bool
        Named "long_time", on ``data``'s index: True where
        ln t > Q3 + k·IQR of the group's log times (quartiles by linear
        interpolation, pandas' default). Missing times are False.

    Notes
    -----
    Times are compared on the log scale because task times are right-skewed
    (Sauro & Lewis 2016, ch. 3): an upper fence on raw times would flag ordinary
    slow attempts. The fence is Tukey's (1977) boxplot rule. A flagged time calls
    for a look at the session (an interruption, a misunderstood task), not for
    deletion; report analyses with and without it if in doubt.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 3. Morgan Kaufmann.

    Tukey, J. W. (1977). *Exploratory Data Analysis*. Addison-Wesley.

    Examples
    --------
    >>> d = pd.DataFrame({"task": ["A"] * 6, "time_s": [40, 42, 45, 47, 50, 400]})
    >>> long_times(d).tolist()
    [False, False, False, False, False, True]
    """
    by_cols = by_columns(by)
    require(data, [time, *by_cols])
    logs = np.log(numeric(data, time, expected=_TIME, minimum=0, strict=True))
    gid, _ = group_ids(data, by_cols)
    grouped = pd.Series(logs.to_numpy(), index=gid).groupby(level=0)
    q1 = grouped.quantile(0.25).reindex(range(gid.max() + 1 if len(gid) else 0)).to_numpy()[gid]
    q3 = grouped.quantile(0.75).reindex(range(gid.max() + 1 if len(gid) else 0)).to_numpy()[gid]
    flags = logs.to_numpy() > q3 + float(k) * (q3 - q1)
    return pd.Series(flags, index=data.index, name="long_time")
