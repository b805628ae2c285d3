"""The mean of a score per group, with its t interval and a one-sample t test against a benchmark.

The one engine under every mean the kit reports for a score or a rating (SUS, SEQ,
UMUX-Lite, CSAT, CES, any item): :func:`uxcx.mean_benchmark`, :func:`uxcx.sus`,
:func:`uxcx.seq`, :func:`uxcx.umux_lite` and :func:`uxcx.mean_score` all call
:func:`mean_rows`, so they agree to the last digit and share one rule for
degenerate input:

* a group with fewer than two values has its mean but no interval or test (a
  :class:`~uxcx.errors.SmallSampleWarning` names it);
* a group whose values are all equal ("essentially constant" as R's ``t.test``
  has it: standard error below ``10 * eps * |mean|``) has its mean, a standard
  error of 0 and no interval or test: a t interval of zero width would claim a
  certainty that one identical answer after another does not give. A
  :class:`~uxcx.errors.UxcxWarning` names the group, and ``method`` says so.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import elementwise

from uxcx._core.pvalues import finish_p, place_log10, t_log_p, underflow_note
from uxcx._core.results import COLUMNS, result_frame
from uxcx.errors import SmallSampleWarning, UxcxWarning

__all__ = ["mean_rows", "mean_frame", "cohens_d_intervals", "cohens_d_interval",
           "essentially_constant",
           "group_names", "BENCHMARK_EFFECT"]

#: What ``effect_size`` holds in a test against a benchmark.
BENCHMARK_EFFECT = "Cohen's d"

# R's t.test: "data are essentially constant" when the standard error is below this times |mean|.
_CONSTANT = 10 * np.finfo(float).eps
# How many group names a warning lists before summarising the rest.
_SHOWN = 10


def group_names(keys: pd.DataFrame, by_cols: list[str], everyone: str = "all the data") -> list[str]:
    """A readable name per group for messages: "design='B', device='Mobile'", or ``everyone``.

    >>> group_names(pd.DataFrame({"design": ["A", "B"]}), ["design"])
    ["design='A'", "design='B'"]
    """
    if not by_cols:
        return [everyone] * len(keys)
    return [", ".join(f"{c}={v!r}" for c, v in zip(by_cols, row))
            for row in keys[by_cols].itertuples(index=False, name=None)]


def essentially_constant(mean, se, n) -> np.ndarray:
    """True where a group of two or more values has no spread (R's rule in ``t.test``).

    >>> essentially_constant(np.array([5.0, 4.0]), np.array([0.0, 0.3]), np.array([10, 10])).tolist()
    [True, False]
    """
    mean, se, n = (np.asarray(a, dtype=float) for a in (mean, se, n))
    with np.errstate(invalid="ignore"):
        return (n >= 2) & ((se == 0) | (se < _CONSTANT * np.abs(mean)))


def _listed(names: list[str]) -> str:
    text = "; ".join(names[:_SHOWN])
    return text + (f"; and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def _warn(names: list[str], n, few, constant, what: str) -> None:
    if few is not None and few.any():
        shown = [f"{names[i]} (n={int(n[i])})" for i in np.flatnonzero(few)]
        warnings.warn(f"fewer than two {what} in {_listed(shown)}: the mean has no interval or test",
                      SmallSampleWarning, stacklevel=4)
    if constant.any():
        shown = [f"{names[i]} (all {int(n[i])} equal)" for i in np.flatnonzero(constant)]
        warnings.warn(f"the {what} are all the same in {_listed(shown)}: with no spread a t "
                      f"interval would have zero width and the test nothing to go on (R's t.test stops: "
                      f"'data are essentially constant'), so the interval and test are left empty; "
                      f"report the mean with the number of answers, or collect more varied data",
                      UxcxWarning, stacklevel=4)


def _bounds(mean, se, df, level: float, alternative: str):
    """The t interval of a mean, one-sided for a one-sided alternative (as R's ``t.test``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if alternative == "two-sided":
            q = stats.t.ppf((1 + level) / 2, df)
            return mean - q * se, mean + q * se
        q = stats.t.ppf(level, df)
        if alternative == "greater":
            return mean - q * se, np.where(np.isnan(mean - q * se), np.nan, np.inf)
        return np.where(np.isnan(mean + q * se), np.nan, -np.inf), mean + q * se


def _ncp_gap(lam, t, df, prob):
    return stats.nct.cdf(t, df, lam) - prob


def _ncp(t, df, prob):
    """The noncentrality lambda with ``P(T <= t | df, lambda) = prob``, for every group at once.

    Solved for |t| (by ``F(t; lambda) = 1 - F(-t; -lambda)``), where the noncentral t CDF
    is well behaved: far in the lower tail scipy's ``nct.cdf`` returns NaN.
    """
    flip = t < 0
    at, p = np.where(flip, -t, t), np.where(flip, 1 - prob, prob)
    bracket = elementwise.bracket_root(_ncp_gap, at - 1.0, at + 1.0, args=(at, df, p))
    root = elementwise.find_root(_ncp_gap, bracket.bracket, args=(at, df, p),
                                 tolerances={"xatol": 1e-12, "xrtol": 4 * np.finfo(float).eps})
    lam = np.where(bracket.success & root.success, root.x, np.nan)
    return np.where(flip, -lam, lam)


def cohens_d_intervals(t, n, confidence_level: float, alternative: str) -> tuple[np.ndarray, np.ndarray]:
    """Interval for Cohen's d of a one-sample t test per group, by inverting the noncentral t.

    The noncentrality parameter lambda = d * sqrt(n) is found where the noncentral t CDF at
    the observed t equals the tail probabilities (Steiger & Fouladi 1997; Cumming & Finch
    2001), every group in one vectorised root search (Chandrupatla's method,
    ``scipy.optimize.elementwise.find_root``); the bounds are lambda / sqrt(n). NaN where t
    is not finite or n < 2; an infinite bound for a one-sided alternative.
    """
    t, n = np.atleast_1d(np.asarray(t, dtype=float)), np.atleast_1d(np.asarray(n, dtype=float))
    ok = np.isfinite(t) & (n >= 2)
    tt, nn = np.where(ok, t, 0.0), np.where(ok, n, 2.0)
    df, root_n = nn - 1, np.sqrt(nn)

    def bound(prob):
        return np.where(ok, _ncp(tt, df, np.full_like(tt, prob)) / root_n, np.nan)

    nan_inf = np.where(ok, np.inf, np.nan)
    if alternative == "two-sided":
        return bound((1 + confidence_level) / 2), bound((1 - confidence_level) / 2)
    if alternative == "greater":
        return bound(confidence_level), nan_inf
    return -nan_inf, bound(1 - confidence_level)


def cohens_d_interval(t: float, n: int, confidence_level: float, alternative: str) -> tuple[float, float]:
    """:func:`cohens_d_intervals` for one group.

    Examples
    --------
    >>> low, high = cohens_d_interval(2.0, 16, 0.95, "two-sided")
    >>> round(low, 4), round(high, 4)
    (-0.0284, 1.0138)
    """
    low, high = cohens_d_intervals(t, n, confidence_level, alternative)
    return float(low[0]), float(high[0])


def mean_rows(values: pd.Series, gid: np.ndarray, names: list[str], *, confidence_level: float,
              alternative: str = "two-sided", mu: float | None = None,
              what: str = "values", warn_few: bool = True) -> dict[str, np.ndarray]:
    """Mean, t interval and (given ``mu``) the one-sample t test of ``values`` in every group.

    Parameters
    ----------
    values : Series of float
        One value per row, NaN for none (left out of ``n``).
    gid : array of int
        The group of every row, 0 .. len(names) - 1 (:func:`uxcx._core.common.group_ids`).
    names : list of str
        How warnings name each group (:func:`group_names`).
    confidence_level : float
    alternative : {"two-sided", "greater", "less"}
        Sets the test and the interval (one-sided for a one-sided alternative).
    mu : float, optional
        The benchmark. Without it only the estimate columns are filled.
    what : str
        What the values are, in warnings ("SUS scores", "ratings").
    warn_few : bool
        Warn about groups with fewer than two values (False where the caller
        has its own small-sample rule, as the CX measures do).

    Returns
    -------
    dict of arrays, one entry per group
        ``n``, ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``sd``,
        ``constant`` (bool), ``note`` (the method text's addition per group:
        empty, or why a group has no interval or test) and, with ``mu``, ``statistic`` (t), ``df``,
        ``p_value``, ``log10_p_value``, ``effect_size`` (Cohen's d), ``benchmark`` (``mu``),
        ``effect_size_ci_low`` and ``effect_size_ci_high``.

    Notes
    -----
    t = (mean - mu) / (s / sqrt(n)) on n - 1 degrees of freedom (Student 1908);
    the p-value is computed in log space from the t distribution
    (:func:`uxcx._core.pvalues.t_log_p`), so it never reads 0. d = (mean - mu) / s,
    its interval by the noncentral t (:func:`cohens_d_interval`).
    """
    n_groups = len(names)
    frame = pd.DataFrame({"g": np.asarray(gid), "v": values.to_numpy(dtype=float)})
    agg = frame.groupby("g")["v"].agg(["count", "mean", "std"]).reindex(range(n_groups))
    n = agg["count"].fillna(0).to_numpy(dtype=float)
    mean, sd = agg["mean"].to_numpy(dtype=float), agg["std"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(n >= 2, sd / np.sqrt(n), np.nan)
    constant = essentially_constant(mean, se, n)
    usable = (n >= 2) & ~constant
    df = np.where(usable, n - 1, np.nan)
    low, high = _bounds(np.where(usable, mean, np.nan), se, df, confidence_level, alternative)
    _warn(names, n, (n < 2) if warn_few else None, constant, what)
    note = np.where(constant, "; all values equal: no interval", "").astype(object)
    out = {"n": n.astype(np.int64), "estimate": mean, "std_error": se, "ci_low": low, "ci_high": high,
           "sd": sd, "constant": constant, "note": note}
    if mu is None:
        return out
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(usable, (mean - mu) / se, np.nan)
        d = np.where(usable, (mean - mu) / sd, np.nan)
    p, log10 = np.array([finish_p(t_log_p(ti, di, alternative)) for ti, di in zip(t, df)]).reshape(-1, 2).T
    d_low, d_high = cohens_d_intervals(t, n, confidence_level, alternative)
    note = np.where(constant, "; all values equal: no interval or test",
                    np.array([underflow_note(v) for v in log10], dtype=object))
    out.update(benchmark=float(mu), statistic=t, df=df, p_value=p, log10_p_value=log10, effect_size=d,
               effect_size_ci_low=d_low, effect_size_ci_high=d_high, note=note)
    return out


def mean_frame(keys: pd.DataFrame, by_cols: list[str], rows: dict, *, term: str, method,
               confidence_level: float, alternative: str = "two-sided") -> pd.DataFrame:
    """The result frame of :func:`mean_rows`: group keys, the schema, and for a test
    ``log10_p_value`` after ``p_value`` and ``benchmark``, ``effect_size_ci_low``,
    ``effect_size_ci_high`` after the schema.

    ``method`` (str or array) gets each group's note appended.
    """
    frame = keys[by_cols].reset_index(drop=True).copy()
    schema = {c: rows[c] for c in COLUMNS if c in rows}
    for name, value in schema.items():
        frame[name] = value
    frame["term"], frame["confidence_level"] = term, confidence_level
    frame["method"] = np.asarray(np.broadcast_to(np.asarray(method, dtype=object), len(frame)),
                                 dtype=object) + rows["note"]
    tested = "statistic" in rows
    if tested:
        frame["alternative"], frame["effect_size_type"] = alternative, BENCHMARK_EFFECT
    out = result_frame(frame, groups=by_cols)
    out["n"] = out["n"].astype("int64")
    if tested:
        place_log10(out, rows["log10_p_value"])
        out["benchmark"] = rows["benchmark"]
        out["effect_size_ci_low"] = rows["effect_size_ci_low"]
        out["effect_size_ci_high"] = rows["effect_size_ci_high"]
    return out
