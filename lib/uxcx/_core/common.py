"""Shared machinery of the task metrics: groups and vectorised intervals.

Checks of arguments and input (``by_columns``, ``require``, ``numeric``, ...) are in
:mod:`uxcx._core.checks`.

Everything here works on arrays with one entry per group, so a metric computes
its per-group sums once (``groupby``) and then every interval for every group in
one numpy expression. The public functions live in :mod:`uxcx.ux.completion`,
:mod:`uxcx.ux.timing` and :mod:`uxcx.ux.counts` (all re-exported by :mod:`uxcx.ux`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.results import result_frame
from uxcx.errors import SmallSampleWarning

__all__ = ["PROPORTION_METHODS", "group_ids", "per_group", "proportion_interval", "t_interval",
           "median_interval", "finish", "warn_small"]

PROPORTION_METHODS = ("adjusted-wald", "wilson", "exact")


def group_ids(data: pd.DataFrame, by_cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group number of every row (0..G-1, groups sorted by key) and the key of every group.

    Without grouping there is one group (also for an empty frame). Missing keys
    form their own group, so no row is lost.

    The numbering is that of ``data.groupby(by_cols, dropna=False, sort=True,
    observed=True).ngroup()`` (in each column missing keys sort last, a categorical
    sorts by its categories and keeps only those seen) and the keys those of
    ``groupby(...).first()``, at a fraction of the cost: each column is factorized
    once by hashing, the codes are combined into one mixed-radix integer, and the
    combinations seen are numbered in order by a count over that grid (by a sort
    when the grid would be large).
    """
    if not by_cols:
        return np.zeros(len(data), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    n_rows = len(data)
    code, size = np.zeros(n_rows, dtype=np.int64), 1
    for column in by_cols:
        codes, uniques = pd.factorize(data[column], sort=True)
        codes = codes.astype(np.int64, copy=False)
        codes[codes < 0] = len(uniques)  # missing keys: a group of their own, sorted last
        if size * (len(uniques) + 1) >= 2**62:  # the combined code would overflow: renumber first
            code = np.unique(code, return_inverse=True)[1].reshape(-1)
            size = int(code.max()) + 1 if n_rows else 1
        code, size = code * (len(uniques) + 1) + codes, size * (len(uniques) + 1)
    if size <= max(4 * n_rows, 1_000_000):  # number the occupied cells of the grid in order
        gid = (np.cumsum(np.bincount(code, minlength=size) > 0) - 1)[code]
    else:
        gid = np.unique(code, return_inverse=True)[1].reshape(-1)
    gid = gid.astype(np.int64, copy=False)
    first = np.full(int(gid.max()) + 1 if n_rows else 0, n_rows, dtype=np.int64)
    np.minimum.at(first, gid, np.arange(n_rows, dtype=np.int64))  # the first row of every group
    keys = pd.concat([data[c].take(first).reset_index(drop=True) for c in by_cols], axis=1)
    keys.columns = pd.Index(by_cols, name=data.columns.name)
    for j, dtype in enumerate(keys.dtypes):
        if dtype == np.dtype(object):  # a missing key reads None there, as groupby(...).first() gives it
            keys.isetitem(j, keys.iloc[:, j].where(keys.iloc[:, j].notna(), None))
    return gid, keys


def per_group(values: pd.Series, gid: np.ndarray, n_groups: int, *aggs: str) -> pd.DataFrame:
    """``values`` aggregated per group (``aggs`` such as "count", "sum", "mean", "std").

    Every group appears, also one whose values are all missing (count 0, mean NaN).
    """
    out = pd.Series(values.to_numpy(), index=gid).groupby(level=0).agg(list(aggs))
    out = out.reindex(range(n_groups))
    if "count" in aggs:
        out["count"] = out["count"].fillna(0)
    if "sum" in aggs:
        out["sum"] = out["sum"].fillna(0.0)
    return out


def _z(level: float) -> float:
    return float(special.ndtri(1 - (1 - level) / 2))


def proportion_interval(x, n, method: str, level: float):
    """Two-sided interval of a proportion for ``x`` successes in ``n`` trials, per group.

    ``x`` may hold partial credit (not a whole number). Returns ``low, high,
    std_error, clipped`` arrays; bounds are clipped to [0, 1] and ``clipped`` says
    where a bound was cut. ``std_error`` is the adjusted-Wald standard error
    sqrt(p~(1-p~)/n~) for that method and NaN for the others. See
    :func:`uxcx.ux.completion.completion_rate` for the formulas.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    z = _z(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "adjusted-wald":
            n_adj = n + z**2
            p_adj = (x + z**2 / 2) / n_adj
            se = np.sqrt(p_adj * (1 - p_adj) / n_adj)
            low, high = p_adj - z * se, p_adj + z * se
        elif method == "wilson":
            centre = (x + z**2 / 2) / (n + z**2)
            half = z / (n + z**2) * np.sqrt(x * (n - x) / n + z**2 / 4)
            # At x = 0 and x = n the Wilson bounds are exactly 0 and 1; rounding in
            # centre - half would otherwise leave 5e-17 above the estimate of 0.
            low = np.where(x <= 0, 0.0, centre - half)
            high = np.where(x >= n, 1.0, centre + half)
            se = np.full_like(x, np.nan)
        else:  # exact, Clopper & Pearson (1934), from the beta distribution
            alpha = 1 - level
            with np.errstate(all="ignore"):  # the beta quantile (scipy.stats' beta.ppf, without its import)
                low = np.where(x > 0, special.betaincinv(x, n - x + 1, alpha / 2), 0.0)
                high = np.where(x < n, special.betaincinv(x + 1, n - x, 1 - alpha / 2), 1.0)
            se = np.full_like(x, np.nan)
    empty = ~(n > 0)
    low, high = np.where(empty, np.nan, low), np.where(empty, np.nan, high)
    clipped = (low < -1e-12) | (high > 1 + 1e-12)
    return np.clip(low, 0, 1), np.clip(high, 0, 1), np.where(empty, np.nan, se), clipped


def t_interval(mean, sd, n, level: float):
    """Student t interval ``mean ± t(1-α/2, n-1)·sd/√n`` per group; NaN where n < 2.

    Returns ``low, high, std_error``.
    """
    mean, sd, n = (np.asarray(a, dtype=float) for a in (mean, sd, n))
    ok = n >= 2
    df = np.where(ok, n - 1, 1.0)
    se = np.where(ok, sd / np.sqrt(np.where(ok, n, 1.0)), np.nan)
    q = special.stdtrit(df, 1 - (1 - level) / 2)  # Student t quantile
    return mean - q * se, mean + q * se, se


def median_interval(values: pd.Series, gid: np.ndarray, n_groups: int, level: float, *, what: str = "values"):
    """Median with its distribution-free (binomial order-statistic) interval, per group.

    The interval is ``[x_(r), x_(n+1-r)]`` with the largest rank ``r`` for which
    ``1 - 2·P(B <= r-1) >= level``, ``B ~ Binomial(n, 1/2)`` (Conover 1999, sec. 3.2),
    so its coverage is at least ``level`` whatever the distribution. Returns
    ``median, low, high, rank, coverage, n``; bounds are NaN where n is too small
    for any rank to reach the level, with a :class:`SmallSampleWarning` naming ``what``.
    """
    frame = pd.DataFrame({"g": gid, "v": values.to_numpy()}).dropna()
    median = frame.groupby("g")["v"].median().reindex(range(n_groups)).to_numpy()
    n = frame.groupby("g").size().reindex(range(n_groups)).fillna(0).to_numpy()
    from scipy import stats  # the binomial quantile; imported here, off the paths that need none

    half_alpha = (1 - level) / 2
    j = stats.binom.ppf(half_alpha, n, 0.5)
    j = np.where(stats.binom.cdf(j, n, 0.5) <= half_alpha + 1e-12, j, j - 1)
    ok = (j >= 0) & (n > 0)
    rank = np.where(ok, j + 1, np.nan)
    if np.isnan(rank).any():
        needed = int(np.ceil(np.log2(2 / (1 - level))))
        warnings.warn(f"{int(np.isnan(rank).sum())} group(s) have too few {what} for a {level:g} "
                      f"order-statistic interval of the median (at least {needed} are needed); their "
                      "bounds are NaN", SmallSampleWarning, stacklevel=3)
    coverage = np.where(ok, 1 - 2 * stats.binom.cdf(j, n, 0.5), np.nan)
    frame = frame.sort_values(["g", "v"], kind="stable")
    position = frame.groupby("g").cumcount().to_numpy() + 1
    g = frame["g"].to_numpy()
    v = frame["v"].to_numpy()
    lower_rank = rank[g]
    upper_rank = n[g] + 1 - rank[g]
    low = pd.Series(v[position == lower_rank], index=g[position == lower_rank])
    high = pd.Series(v[position == upper_rank], index=g[position == upper_rank])
    low = low.reindex(range(n_groups)).to_numpy()
    high = high.reindex(range(n_groups)).to_numpy()
    return median, low, high, rank, coverage, n


def warn_small(n, what: str, minimum: int = 2) -> None:
    """A :class:`SmallSampleWarning` when any group has fewer than ``minimum`` observations."""
    n = np.asarray(n, dtype=float)
    few = int(np.sum(n < minimum))
    if few:
        amount = f"no {what}" if minimum == 1 else f"fewer than {minimum} {what}"
        warnings.warn(f"{few} group(s) have {amount}; their interval is NaN",
                      SmallSampleWarning, stacklevel=3)


def finish(keys: pd.DataFrame, by_cols: list[str], **columns) -> pd.DataFrame:
    """A result frame: the group keys, then the given schema columns (one entry per group)."""
    frame = keys.copy()
    for name, value in columns.items():
        frame[name] = value
    out = result_frame(frame, groups=by_cols)
    out["n"] = out["n"].astype("int64")
    return out
