"""Retention as survival: survival data from a customer table, Kaplan-Meier curves, log-rank tests.

A customer's *duration* is the time from start to churn, or to the end of
observation when still a customer (then the duration is *censored*: the
customer stayed at least that long). :func:`survival_data` builds the
``duration`` and ``event`` columns, :func:`kaplan_meier` the retention curves by
segment with their medians and retention at chosen horizons. The log-rank test
that the curves are equal lives in :mod:`uxcx.retention.log_rank`, restricted mean
survival time and lifetime value in :mod:`uxcx.retention.restricted_mean`, the figure in
:mod:`uxcx.report.plots_survival`.

The curves are computed here in numpy (one sort, cumulative sums in log space),
pinned in the tests to R's ``survfit`` and ``survdiff`` (survival package) and
to lifelines; ``benchmarks/bench_survival.py`` measures the gain over lifelines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.checks import by_columns, cell_problem, check_level, check_option, require, source_name
from uxcx._core.common import group_ids
from uxcx._core.results import result_frame
from uxcx.errors import DataError
from uxcx.retention.data import DAYS_PER_MONTH, TIME_UNITS, survival_data  # noqa: F401 (re-exported)

__all__ = ["survival_data", "kaplan_meier", "KaplanMeier", "CI_METHODS", "DAYS_PER_MONTH", "km_table"]

CI_METHODS = ("log-log", "log", "plain")
_TOL = np.sqrt(np.finfo(float).eps)  # R's tolerance in print.survfit's median (all.equal)


def survival_columns(data, duration, event, by_cols=(), strata_cols=()):
    """Durations and event flags as float arrays; every bad cell reported at once.

    Shared by every survival analysis of the kit (Kaplan-Meier, log-rank, RMST, Cox,
    churn by a horizon): a duration must be a number of 0 or more and an event flag
    1 (churned) or 0 (censored); a missing one is a problem too.
    """
    require(data, [duration, event, *by_cols, *strata_cols])
    file = source_name(data)
    times = pd.to_numeric(data[duration], errors="coerce").astype(float)
    flag = data[event]
    if flag.dtype == bool or str(flag.dtype) == "boolean":
        flag = flag.astype("Float64")
    events = pd.to_numeric(flag, errors="coerce").astype(float)
    problems = [cell_problem(file, data.index, i, duration, data[duration].loc[i],
                             "duration missing, negative or not a number", expected="a number >= 0",
                             hint="correct the cell, or drop the customer")
                for i in data.index[~(times >= 0).to_numpy()]]
    problems += [cell_problem(file, data.index, i, event, data[event].loc[i], "event flag must be 0 or 1",
                              expected="1 (churned) or 0 (censored)", hint="map the values to 0 and 1")
                 for i in data.index[~((events == 0) | (events == 1)).to_numpy()]]
    if problems:
        raise DataError(problems)
    return times.to_numpy(), events.to_numpy()


def km_table(times: np.ndarray, events: np.ndarray, gid: np.ndarray) -> dict:
    """The Kaplan-Meier table of every group at once: one entry per distinct (group, time).

    Returns arrays ``group, time, n_at_risk, n_events, n_censored, survival`` and
    ``greenwood`` (the sum of d / (n (n - d)), the variance of log S; NaN once S = 0).
    Vectorised: distinct times by hashing (``pd.factorize``), counts by ``np.bincount`` on
    the (group, distinct time) grid (a sort when that grid would be large), grouped
    cumulative sums of log(1 - d/n) for the product-limit estimate.
    """
    if len(times) == 0:
        empty = np.array([], dtype=float)
        return dict.fromkeys(("group", "time", "n_at_risk", "n_events", "n_censored", "survival",
                              "greenwood"), empty)
    codes, uniq = pd.factorize(times, sort=True)  # hashing: O(n), then only the distinct times sorted
    n_cells = (int(gid.max()) + 1) * len(uniq)
    if n_cells <= max(4 * len(times), 1_000_000):  # counts on the (group x distinct time) grid
        key = gid * len(uniq) + codes
        count = np.bincount(key, minlength=n_cells).astype(float)
        d = np.bincount(key, weights=events, minlength=n_cells)
        cells = np.flatnonzero(count)
        count, d, gu, tu = count[cells], d[cells], cells // len(uniq), uniq[cells % len(uniq)]
    else:  # many groups and many distinct times: sort by (group, time) instead
        order = np.argsort(codes, kind="stable")
        order = order[np.argsort(gid[order], kind="stable")]
        g, c, e = gid[order], codes[order], events[order]
        idx = np.flatnonzero(np.r_[True, (g[1:] != g[:-1]) | (c[1:] != c[:-1])])
        count = np.diff(np.r_[idx, len(g)]).astype(float)
        d = np.add.reduceat(e, idx)
        gu, tu = g[idx], uniq[c[idx]]
    first = np.r_[True, gu[1:] != gu[:-1]]
    seg = np.cumsum(first) - 1  # segment number of every row of the table

    def grouped_cumsum(x):
        c = np.cumsum(x)
        return c - (c - x)[first][seg]

    before = grouped_cumsum(count) - count
    total = np.add.reduceat(count, np.flatnonzero(first))[seg]
    n = total - before
    dead = d >= n
    log_step = np.where(dead, 0.0, np.log1p(-np.where(dead, 0.0, d / n)))
    zero = grouped_cumsum(dead.astype(float)) > 0
    survival = np.where(zero, 0.0, np.exp(grouped_cumsum(log_step)))
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(dead, 0.0, d / (n * (n - d)))
    greenwood = np.where(zero, np.nan, grouped_cumsum(term))
    return {"group": gu, "time": tu, "n_at_risk": n, "n_events": d, "n_censored": count - d,
            "survival": survival, "greenwood": greenwood}


def _ci(surv, greenwood, z, method):
    """Pointwise interval of S(t) as R's survfit (conf.type), from the Greenwood variance of log S."""
    se = np.sqrt(greenwood)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "log-log":
            x = np.where((surv == 0) | (surv == 1), np.nan, surv)
            a, b = np.log(-np.log(x)), z * se / np.log(x)
            return np.exp(-np.exp(a - b)), np.exp(-np.exp(a + b))
        if method == "log":
            x = np.where(surv == 0, np.nan, surv)
            return np.exp(np.log(x) - z * se), np.minimum(np.exp(np.log(x) + z * se), 1.0)
        half = z * se * surv
        return np.maximum(surv - half, 0.0), np.minimum(surv + half, 1.0)


def _first_below(y, x):
    """R's ``minmin`` (print.survfit): first x where y <= 0.5, averaging across an exact 0.5 plateau."""
    keep = ~np.isnan(y) & (y < 0.5 + _TOL)
    if not keep.any():
        return np.nan
    x, y = x[keep], y[keep]
    if abs(y[0] - 0.5) < _TOL and (y < y[0]).any():
        return (x[0] + x[np.argmax(y < y[0])]) / 2
    return x[0]


@dataclass(frozen=True)
class KaplanMeier:
    """What :func:`kaplan_meier` returns: the curves, the medians and the retention at horizons.

    Attributes
    ----------
    curve : DataFrame
        One row per segment and distinct time: segment columns, ``time``,
        ``n_at_risk``, ``n_events``, ``n_censored``, ``survival``, ``std_error``
        (Greenwood standard error of S), ``ci_low``, ``ci_high``. A plain frame for
        plotting (:func:`uxcx.report.plots_survival.km_plot`), not the result schema.
    medians : DataFrame
        Result schema, one row per segment: term "median survival".
    retention : DataFrame
        Result schema, one row per segment and horizon: term "retention at 6 months".
    """

    curve: pd.DataFrame
    medians: pd.DataFrame
    retention: pd.DataFrame

    @property
    def summary(self) -> pd.DataFrame:
        """``medians`` and ``retention`` in one result frame."""
        return pd.concat([self.medians, self.retention], ignore_index=True)


def kaplan_meier(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", by=None,
                 confidence_level: float = 0.95, horizons=None, ci_method: str = "log-log") -> KaplanMeier:
    """Kaplan-Meier retention curves by segment, with median survival and retention at horizons.

    Parameters
    ----------
    data : DataFrame
        One row per customer, as :func:`survival_data` returns it.
    duration, event : str
        Columns: time as a customer (>= 0) and 1 = churned, 0 = censored.
    by : str or list of str, optional
        Segment column(s): one curve per combination (missing keys form a segment).
    confidence_level : float
        Level of the pointwise intervals and of the median's interval.
    horizons : sequence of float, optional
        Times (in the duration's unit) at which to report retention, e.g. [3, 6, 12].
    ci_method : {"log-log", "log", "plain"}
        Transformation of the pointwise interval: "log-log" (default; Kalbfleisch &
        Prentice; lifelines' interval and R's ``conf.type="log-log"``), "log" (R's
        default ``conf.type``) or "plain" (linear, clipped to [0, 1]).

    Returns
    -------
    KaplanMeier
        ``.curve`` (plain frame: segment columns, ``time``, ``n_at_risk``,
        ``n_events``, ``n_censored``, ``survival``, ``std_error``, ``ci_low``,
        ``ci_high``); ``.medians`` and ``.retention`` (result schema: segment
        columns, ``term``, ``n`` (customers in the segment), ``estimate``,
        ``std_error`` (Greenwood, retention only), ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``; test columns NaN); ``.summary`` joins the two.

    Notes
    -----
    Product-limit estimate ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)`` with ``d_i``
    churns and ``n_i`` customers at risk at time ``t_i`` (Kaplan & Meier 1958);
    Greenwood's variance of log S, ``sum d_i / (n_i (n_i - d_i))``. The log-log
    interval is ``S^exp(±z se / log S)``; it is undefined where S = 1 (before the
    first churn, and for a segment with no churn at all) or S = 0, and reported as
    NaN there, as R does.

    The median is the first time at which S(t) <= 0.5 (the midpoint of a plateau
    at exactly 0.5); its interval (Brookmeyer & Crowley 1982) is the set of times
    where the pointwise interval contains 0.5, computed as R's ``print.survfit``.
    When the curve never falls to 0.5 the median is **not reached**: the estimate
    is NaN and ``method`` says so (never the last time seen); an upper limit that is
    not reached is NaN likewise.

    Retention at horizon h is S(h) with its pointwise interval; NaN (and said in
    ``method``) when h lies beyond a segment's last follow-up time.

    Use it to show how retention unfolds by segment; test differences with
    :func:`uxcx.logrank`, summarise them with :func:`uxcx.rmst`.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete
    observations. *Journal of the American Statistical Association*, 53(282), 457-481.

    Kalbfleisch, J. D., & Prentice, R. L. (2002). *The Statistical Analysis of
    Failure Time Data* (2nd ed.), sec. 1.4. Wiley.

    Brookmeyer, R., & Crowley, J. (1982). A confidence interval for the median
    survival time. *Biometrics*, 38(1), 29-41.

    Therneau, T. M. (2024). *A Package for Survival Analysis in R* (survival
    package, ``survfit.formula``, ``print.survfit``).

    Examples
    --------
    >>> d = pd.DataFrame({"duration": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
    ...                   "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]})
    >>> km = kaplan_meier(d, horizons=[20])
    >>> km.medians[["estimate", "ci_low", "ci_high"]].round(1).values.tolist()
    [[31.0, 13.0, nan]]
    >>> round(float(km.retention.loc[0, "estimate"]), 4)
    0.7159
    """
    check_option("ci_method", ci_method, CI_METHODS)
    level = check_level(confidence_level)
    by_cols = by_columns(by)
    times, events = survival_columns(data, duration, event, by_cols)
    gid, keys = group_ids(data, by_cols)
    z = float(special.ndtri(0.5 + level / 2))
    tab = km_table(times, events, gid)
    low, high = _ci(tab["survival"], tab["greenwood"], z, ci_method)
    group = tab["group"].astype(np.int64)
    curve = keys.iloc[group].reset_index(drop=True) if by_cols else pd.DataFrame(index=range(len(group)))
    counts = {k: tab[k].astype(np.int64) for k in ("n_at_risk", "n_events", "n_censored")}
    curve = curve.assign(time=tab["time"], **counts, survival=tab["survival"],
                         std_error=tab["survival"] * np.sqrt(tab["greenwood"]), ci_low=low, ci_high=high)
    n = np.bincount(gid, minlength=len(keys))
    unit = data.attrs.get("time_unit")
    label = f"{ci_method} interval"
    med_rows, ret_rows = [], []
    bounds = np.searchsorted(group, np.arange(len(keys) + 1))
    for k in range(len(keys)):
        sl = slice(bounds[k], bounds[k + 1])
        t, s, var = tab["time"][sl], tab["survival"][sl], tab["greenwood"][sl]
        key = keys.iloc[k].to_dict() if by_cols else {}
        med = _first_below(s, t)
        lo, hi = _first_below(low[sl], t), _first_below(high[sl], t)
        method = f"Kaplan-Meier median; Brookmeyer-Crowley interval ({label})"
        if np.isnan(med):
            method += "; median not reached"
        elif np.isnan(hi):
            method += "; upper limit not reached"
        med_rows.append({**key, "term": "median survival", "n": int(n[k]), "estimate": med, "ci_low": lo,
                         "ci_high": hi, "confidence_level": level, "method": method})
        for h in [] if horizons is None else horizons:
            h = float(h)
            i = np.searchsorted(t, h, side="right") - 1
            if i < 0:  # before the first time: everyone is still a customer
                est, se_ = 1.0, 0.0
                cl = ch = np.nan if ci_method == "log-log" else 1.0
            else:
                est, se_, cl, ch = s[i], s[i] * np.sqrt(var[i]), low[sl][i], high[sl][i]
            m = f"Kaplan-Meier ({label})"
            if len(t) == 0 or (h > t[-1] and s[-1] > 0):
                est = se_ = cl = ch = np.nan
                m += f"; not estimable: beyond the last follow-up time ({t[-1] if len(t) else 'none'})"
            elif est == 1 and np.isnan(cl):
                m += "; no churn by this time: interval undefined"
            term = f"retention at {h:g} {unit}" if unit else f"retention at time {h:g}"
            ret_rows.append({**key, "term": term, "n": int(n[k]), "estimate": est, "std_error": se_,
                             "ci_low": cl, "ci_high": ch, "confidence_level": level, "method": m})
    return KaplanMeier(curve=curve, medians=result_frame(med_rows, groups=by_cols),
                       retention=result_frame(ret_rows, groups=by_cols))
