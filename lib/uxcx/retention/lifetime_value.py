"""Lifetime value and revenue at stake: the restricted mean survival time in money.

:func:`lifetime_value` multiplies a segment's mean revenue per period by its RMST to a
horizon (:mod:`uxcx.retention.restricted_mean`); :func:`revenue_at_stake` prices the
gap between a segment and the best one. Both are pinned in the tests to the RMST
that R's ``print(survfit(...), rmean = tau)`` gives.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core.checks import by_columns, check_level, numeric, require
from uxcx._core.common import group_ids
from uxcx._core.results import result_frame
from uxcx.errors import UxcxWarning
from uxcx.retention.restricted_mean import (
    METHOD,
    against_reference,
    horizon_label,
    rmst_groups,
    segments,
    tau_value,
    with_interval,
)

__all__ = ["lifetime_value", "revenue_at_stake"]


def _revenue(data, revenue, gid, n_groups):
    require(data, [revenue])
    values = numeric(data, revenue, expected="a revenue per period >= 0", minimum=0)
    frame = pd.DataFrame({"g": gid, "v": values.to_numpy()})
    agg = frame.groupby("g")["v"].agg(["mean", "std", "count"]).reindex(range(n_groups))
    missing = int(values.isna().sum())
    if missing:
        warnings.warn(f"{missing} customer(s) have no {revenue!r}; the mean revenue of their segment uses "
                      f"the others", UxcxWarning, stacklevel=3)
    se = agg["std"].fillna(0).to_numpy() / np.sqrt(agg["count"].clip(lower=1).to_numpy())
    return agg["mean"].to_numpy(), se


def lifetime_value(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", by=None, tau,
                   revenue: str = "revenue", confidence_level: float = 0.95) -> pd.DataFrame:
    """Customer lifetime value to horizon ``tau``: revenue per period × RMST, per segment.

    Parameters
    ----------
    data : DataFrame
        One row per customer, with a ``duration``, an ``event`` and a revenue column.
    duration, event : str
        Columns: time as a customer and 1 = churned, 0 = censored.
    by : str or list of str, optional
        Segment column(s).
    tau : float
        The horizon, in the duration's unit (revenue is per one such unit).
    revenue : str
        Revenue per customer per time unit (e.g. monthly revenue).
    confidence_level : float
        Level of the normal interval.

    Returns
    -------
    DataFrame
        Result schema, one row per segment: segment columns, ``term`` ("lifetime
        value to 12 months"), ``n``, ``estimate`` (revenue per customer within tau),
        ``std_error``, ``ci_low``, ``ci_high``, ``confidence_level``, ``method``.

    Notes
    -----
    ``LTV = R × RMST(tau)`` with ``R`` the segment's mean revenue per period: the
    expected revenue of a customer over the first tau periods, undiscounted.
    Its standard error by the delta method, treating ``R`` and the RMST as
    independent: ``sqrt(RMST^2 se_R^2 + R^2 se_RMST^2)``, ``se_R = sd / sqrt(n)``.
    A simple, transparent value for comparing segments, not a forecast: it
    ignores discounting, and revenue that changes with tenure.

    References
    ----------
    Gupta, S., Hanssens, D., Hardie, B., et al. (2006). Modeling customer
    lifetime value. *Journal of Service Research*, 9(2), 139-155.

    Royston, P., & Parmar, M. K. B. (2013). Restricted mean survival time: an
    alternative to the hazard ratio for the design and analysis of randomized
    trials with a time-to-event outcome. *BMC Medical Research Methodology*, 13, 152.

    Examples
    --------
    >>> d = pd.DataFrame({"duration": [2, 4, 6, 8, 10], "event": [1, 1, 1, 1, 0],
    ...                   "revenue": [10.0, 10.0, 10.0, 10.0, 10.0]})
    >>> float(lifetime_value(d, tau=10).loc[0, "estimate"])
    60.0
    """
    level = check_level(confidence_level)
    tau = tau_value(tau)
    by_cols = by_columns(by)
    keys, mean, se, n = rmst_groups(data, duration, event, by_cols, tau)
    rev, rev_se = _revenue(data, revenue, group_ids(data, by_cols)[0], len(keys))
    value = rev * mean
    value_se = np.sqrt(mean**2 * rev_se**2 + rev**2 * se**2)
    frame = keys.assign(term=f"lifetime value to {horizon_label(tau, data)}", n=n,
                        method=f"mean {revenue} × RMST; delta-method interval ({METHOD})")
    return result_frame(with_interval(frame, value, value_se, level), groups=by_cols)


def revenue_at_stake(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", by, tau,
                     revenue: str = "revenue", reference=None,
                     confidence_level: float = 0.95) -> pd.DataFrame:
    """Revenue lost within ``tau`` because a segment leaves sooner than the best one (a UX gap in money).

    Parameters
    ----------
    data : DataFrame
        One row per customer, with a ``duration``, an ``event`` and a revenue column.
    duration, event : str
        Columns: time as a customer and 1 = churned, 0 = censored.
    by : str or list of str
        Segment column(s), e.g. a SUS grade or a design.
    tau : float
        The horizon, in the duration's unit.
    revenue : str
        Revenue per customer per time unit.
    reference : optional
        The segment the others are measured against (its label). Default: the
        segment with the longest RMST (the best experience).
    confidence_level : float
        Level of the normal interval.

    Returns
    -------
    DataFrame
        Result schema, one row per other segment: segment columns, ``term``
        ("revenue at stake to 12 months: C − A"), ``n`` (customers in the
        segment), ``estimate``, ``std_error``, ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``.

    Notes
    -----
    ``(RMST_ref - RMST_j) × R_j × n_j``: the months the segment's customers
    would stay on top within tau if they stayed as long as the reference's,
    times their mean revenue per month, times how many they are. Delta-method
    standard error ``sqrt((R_j n_j)^2 (se_ref^2 + se_j^2) + (gap n_j)^2 se_R^2)``.
    Read it as an upper bound of what closing the gap could earn: segments may
    differ in more than their experience.

    References
    ----------
    Royston, P., & Parmar, M. K. B. (2013). Restricted mean survival time: an
    alternative to the hazard ratio for the design and analysis of randomized
    trials with a time-to-event outcome. *BMC Medical Research Methodology*, 13, 152.

    Examples
    --------
    >>> d = pd.DataFrame({"duration": [2, 4, 6, 8, 10, 3, 6, 9, 12, 12],
    ...                   "event": [1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
    ...                   "grade": ["C"] * 5 + ["A"] * 5, "revenue": [10.0] * 10})
    >>> r = revenue_at_stake(d, by="grade", tau=10)
    >>> r["grade"].tolist(), round(float(r.loc[0, "estimate"]), 2)
    (['C'], 80.0)
    """
    level = check_level(confidence_level)
    tau = tau_value(tau)
    by_cols, keys, mean, se, n, labels, ref = segments(data, duration, event, by, tau, reference,
                                                        "revenue_at_stake", default="longest")
    rev, rev_se = _revenue(data, revenue, group_ids(data, by_cols)[0], len(keys))
    seg, frame = against_reference(keys, labels, ref, f"revenue at stake to {horizon_label(tau, data)}")
    gap = mean[ref] - mean[seg]
    value = gap * rev[seg] * n[seg]
    s = np.sqrt((rev[seg] * n[seg]) ** 2 * (se[ref] ** 2 + se[seg] ** 2)
                + (gap * n[seg]) ** 2 * rev_se[seg] ** 2)
    frame = frame.assign(n=n[seg], method=f"RMST gap × mean {revenue} × customers; delta-method interval")
    return result_frame(with_interval(frame, value, s, level), groups=by_cols)
