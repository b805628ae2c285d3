"""What the questionnaire measures share: checking items and options, t intervals and tests.

Used by :mod:`uxcx.ux.questionnaires` (SUS) and :mod:`uxcx.ux.short_questionnaires`
(SEQ, UMUX-Lite). Items are checked against their scale and every bad cell is
reported at once; group means carry a Student t interval, and a one-sample t
test adds Cohen's d with an interval from the noncentral t distribution.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import optimize, stats

from uxcx._core.checks import ALTERNATIVES, by_columns, cell_problem, check_option, require, source_name  # noqa: F401
from uxcx._core.checks import check_level as check_confidence  # noqa: F401
from uxcx.errors import DataError, Problem, SmallSampleWarning

__all__ = ["source_name", "group_keys", "check_option", "item_matrix", "t_mean_rows", "cohens_d_interval"]

# How many bad cells an error lists one by one (DataError summarises the rest).
_LISTED = 50


def group_keys(data: pd.DataFrame, by) -> list[str]:
    """``by`` as a list of column names of ``data`` (``None`` gives ``[]``); a missing one is a DataError."""
    keys = by_columns(by)
    require(data, {("by" if len(keys) == 1 else f"by[{i}]"): k for i, k in enumerate(keys)})
    return keys


def item_matrix(data: pd.DataFrame, items, low: int, high: int, scale: str) -> np.ndarray:
    """The item columns as a float array, NaN where empty; every bad cell raises together.

    A cell is bad when it is not a whole number from ``low`` to ``high``.
    A frame as loaded (indexed by ``row``) names the spreadsheet row; any
    other frame names the index label.

    Examples
    --------
    >>> item_matrix(pd.DataFrame({"a": [1, None], "b": [7, 2]}), ["a", "b"], 1, 7, "UMUX-Lite")
    array([[ 1.,  7.],
           [nan,  2.]])
    """
    items = list(items)
    require(data, items, hint=f"map your {scale} item columns onto these names in the study file, or pass "
                              "items= the names your data use")
    raw = data[items]
    values = raw.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    empty = raw.isna().to_numpy()
    bad = ~empty & (np.isnan(values) | (values < low) | (values > high) | (values != np.round(values)))
    if bad.any():
        rows, cols = np.nonzero(bad)
        file = source_name(data)
        problems = [cell_problem(file, raw.index, raw.index[r], items[c], raw.iat[r, c],
                                 f"not a {scale} answer",
                                 expected=f"a whole number from {low} to {high}, or empty",
                                 hint="correct the answer or leave the cell empty; map text labels to "
                                      "numbers with values: in the study file")
                    for r, c in zip(rows[:_LISTED], cols[:_LISTED])]
        if len(rows) > _LISTED:
            problems.append(Problem(file, None, None, None,
                                    f"{len(rows) - _LISTED} more cells outside {low}-{high}"))
        raise DataError(problems)
    return values


def _t_bounds(mean, se, df, level, alternative):
    """Lower and upper bounds of the t interval for a mean (arrays), as scipy reports them."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if alternative == "two-sided":
            q = stats.t.ppf((1 + level) / 2, df)
            return mean - q * se, mean + q * se
        q = stats.t.ppf(level, df)
        if alternative == "greater":
            return mean - q * se, np.full_like(mean, np.inf)
        return np.full_like(mean, -np.inf), mean + q * se


def t_mean_rows(values: pd.Series, data: pd.DataFrame, keys: list[str], *, confidence_level: float,
                alternative: str = "two-sided", mu: float | None = None) -> pd.DataFrame:
    """Mean, t interval and (given ``mu``) a one-sample t test per group of ``keys``.

    Returns the grouping columns and the schema columns ``n``, ``estimate``,
    ``std_error``, ``ci_low``, ``ci_high``, ``confidence_level`` (and, with
    ``mu``, ``statistic``, ``df``, ``p_value``, ``alternative``, ``effect_size``
    = Cohen's d) plus ``sd`` for the caller. NaN values are left out of ``n``.
    A group with fewer than two values has no interval and gives a
    :class:`~uxcx.errors.SmallSampleWarning`.
    """
    frame = data[keys].copy() if keys else pd.DataFrame(index=data.index)
    frame["_value"] = values.to_numpy(dtype=float)
    if keys:
        agg = (frame.groupby(keys, dropna=False, observed=True, sort=True)["_value"]
               .agg(["count", "mean", "std"]).reset_index())
    else:
        v = frame["_value"]
        agg = pd.DataFrame({"count": [v.count()], "mean": [v.mean()], "std": [v.std()]})
    n = agg["count"].to_numpy(dtype=float)
    mean, sd = agg["mean"].to_numpy(dtype=float), agg["std"].to_numpy(dtype=float)
    df = n - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(n)
    low, high = _t_bounds(mean, se, np.where(df > 0, df, np.nan), confidence_level, alternative)
    out = agg[keys].copy()
    out["n"] = n.astype(int)
    out["estimate"], out["std_error"], out["ci_low"], out["ci_high"] = mean, se, low, high
    out["confidence_level"] = confidence_level
    out["sd"] = sd
    if mu is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            t = (mean - mu) / se
            out["effect_size"] = (mean - mu) / sd
        dof = np.where(df > 0, df, np.nan)
        p = {"two-sided": 2 * stats.t.sf(np.abs(t), dof), "greater": stats.t.sf(t, dof),
             "less": stats.t.cdf(t, dof)}[alternative]
        out["statistic"], out["df"], out["p_value"], out["alternative"] = t, dof, p, alternative
    few = out[n < 2]
    if len(few):
        where = ("; ".join(", ".join(f"{k}={v!r}" for k, v in zip(keys, r))
                           for r in few[keys].itertuples(index=False)) if keys else "the data")
        warnings.warn(f"fewer than two scores in {where}: no interval can be computed",
                      SmallSampleWarning, stacklevel=3)
    return out


def cohens_d_interval(t: float, n: int, confidence_level: float, alternative: str) -> tuple[float, float]:
    """Interval for Cohen's d of a one-sample t test, by inverting the noncentral t.

    The noncentrality parameter lambda = d * sqrt(n) is found where the
    noncentral t CDF at the observed t equals the tail probabilities
    (Steiger & Fouladi 1997; Cumming & Finch 2001); the bounds are lambda / sqrt(n).

    Examples
    --------
    >>> low, high = cohens_d_interval(2.0, 16, 0.95, "two-sided")
    >>> round(low, 4), round(high, 4)
    (-0.0284, 1.0138)
    """
    if not (np.isfinite(t) and n >= 2):
        return np.nan, np.nan
    df = n - 1

    def solve(prob):
        f = lambda lam: stats.nct.cdf(t, df, lam) - prob  # noqa: E731 - decreasing in lam
        width = 2.0 + abs(t)
        while f(t - width) < 0 or f(t + width) > 0:
            width *= 2
            if width > 1e4:
                return np.nan
        return float(optimize.brentq(f, t - width, t + width, xtol=1e-12) / np.sqrt(n))

    if alternative == "two-sided":
        return solve((1 + confidence_level) / 2), solve((1 - confidence_level) / 2)
    if alternative == "greater":
        return solve(confidence_level), np.inf
    return -np.inf, solve(1 - confidence_level)
