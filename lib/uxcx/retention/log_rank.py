"""The log-rank test that retention is the same in every segment, and its p-value far into the tail.

:func:`logrank` compares the Kaplan-Meier curves of :func:`uxcx.retention.curves.kaplan_meier`
(optionally within strata), pinned in the tests to R's ``survdiff`` (survival
package); its p-value is computed in log space (:func:`uxcx._core.pvalues.chi2_log_p`,
also importable here as :func:`chi2_logsf`), so a strong difference in a large
customer table still gets its true, tiny p in ``log10_p_value``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.checks import by_columns
from uxcx._core.common import group_ids
from uxcx._core.pvalues import chi2_log_p, with_p_values
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError
from uxcx.retention.curves import survival_columns

__all__ = ["logrank", "chi2_logsf"]

#: log P(X > x) for X ~ chi-squared(df): the kit's :func:`uxcx._core.pvalues.chi2_log_p`, under the
#: name this module gave it first.
chi2_logsf = chi2_log_p


def _risk_table(t: np.ndarray, e: np.ndarray, g: np.ndarray, n_groups: int):
    """Customers at risk and churns per segment (columns) at each distinct churn time (rows).

    Distinct times by hashing (``pd.factorize``), counts on the (time x segment) grid by
    ``np.bincount``, at risk as the reverse cumulative count; a sort per segment when that
    grid would be large (many distinct times and many segments).
    """
    codes, uniq = pd.factorize(t, sort=True)
    if uniq.size * n_groups <= max(4 * t.size, 1_000_000):
        cell = codes * n_groups + g
        size = np.bincount(cell, minlength=uniq.size * n_groups).reshape(uniq.size, n_groups)
        dead = np.bincount(cell, weights=e, minlength=uniq.size * n_groups).reshape(uniq.size, n_groups)
        rows = dead.sum(axis=1) > 0
        return size[::-1].cumsum(axis=0)[::-1][rows].astype(float), dead[rows]
    death_times = np.unique(t[e == 1])
    at_risk = np.empty((len(death_times), n_groups))
    deaths = np.empty_like(at_risk)
    for j in range(n_groups):  # a loop over segments, each vectorised over times
        tj, dj = np.sort(t[g == j]), np.sort(t[(g == j) & (e == 1)])
        at_risk[:, j] = len(tj) - np.searchsorted(tj, death_times, side="left")
        deaths[:, j] = np.searchsorted(dj, death_times, "right") - np.searchsorted(dj, death_times, "left")
    return at_risk, deaths


def logrank(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", by,
            strata=None) -> pd.DataFrame:
    """Log-rank test that retention is the same in every segment (optionally stratified).

    Parameters
    ----------
    data : DataFrame
        One row per customer, as :func:`uxcx.retention.curves.survival_data` returns it.
    duration, event : str
        Columns: time as a customer (>= 0) and 1 = churned, 0 = censored.
    by : str or list of str
        Segment column(s): two or more segments are compared.
    strata : str or list of str, optional
        Stratify: compare segments within each stratum and pool the observed and
        expected counts and variances (R's ``survdiff(... + strata(x))``).

    Returns
    -------
    DataFrame
        Result schema, one row: ``term`` ("log-rank test by plan"), ``n``,
        ``statistic`` (chi-squared), ``df`` (segments with expected churn > 0,
        minus 1), ``p_value``, ``log10_p_value`` (right after it), ``method``; other
        columns NaN. Observed and expected
        churn per segment are in ``attrs["observed_expected"]`` (a dict of lists).

    Notes
    -----
    At each distinct churn time, with ``d`` churns among ``n`` at risk, segment j
    expects ``n_j d / n``; ``U = O - E`` summed over times, with variance
    ``V_jk = sum d (n - d) / (n - 1) (n_j / n) (delta_jk - n_k / n)``; the statistic
    is ``U' V^- U`` on segments - 1 degrees of freedom (Mantel 1966; Peto & Peto
    1972), exactly as R's ``survdiff`` (rho = 0), including dropping segments with
    no expected churn. It weights all times equally and is most powerful when
    hazards are proportional.

    The p-value is computed in log space (:func:`uxcx._core.pvalues.chi2_log_p`), so a
    large statistic gives its true tiny p (statsmodels' ``survdiff`` returns 0.0 below
    about 1e-16): ``log10_p_value`` is always finite, and when p is below 1e-300
    ``p_value`` holds the smallest positive double and ``method`` says so.

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order
    statistics arising in its consideration. *Cancer Chemotherapy Reports*, 50(3), 163-170.

    Peto, R., & Peto, J. (1972). Asymptotically efficient rank invariant test
    procedures. *Journal of the Royal Statistical Society A*, 135(2), 185-207.

    Examples
    --------
    >>> d = pd.DataFrame({"duration": [1, 2, 3, 4, 5, 6, 7, 8], "event": [1] * 8,
    ...                   "design": ["A", "A", "A", "A", "B", "B", "B", "B"]})
    >>> r = logrank(d, by="design")
    >>> round(float(r.loc[0, "statistic"]), 3), int(r.loc[0, "df"])  # R: survdiff gives 7.344
    (7.344, 1)
    """
    by_cols, strata_cols = by_columns(by), by_columns(strata)
    if not by_cols:
        raise UxcxError("logrank needs by=: the segment column(s) to compare")
    times, events = survival_columns(data, duration, event, by_cols, strata_cols)
    gid, keys = group_ids(data, by_cols)
    n_groups = len(keys)
    if n_groups < 2:
        raise UxcxError(f"logrank needs at least two segments in {by_cols}; the data have {n_groups}")
    sid = group_ids(data, strata_cols)[0]
    observed, expected = np.zeros(n_groups), np.zeros(n_groups)
    var = np.zeros((n_groups, n_groups))
    for s in np.unique(sid):  # a handful of strata; everything inside is vectorised over times
        ins = sid == s
        t, e, g = times[ins], events[ins], gid[ins]
        if not e.any():
            continue
        at_risk, deaths = _risk_table(t, e, g, n_groups)
        n, d = at_risk.sum(1), deaths.sum(1)
        observed += deaths.sum(0)
        expected += (at_risk * (d / n)[:, None]).sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(n > 1, d * (n - d) / (n * n * (n - 1)), 0.0)
        var += np.diag((w * n) @ at_risk) - (at_risk * w[:, None]).T @ at_risk
    keep = expected > 0  # as R's survdiff: segments with no expected churn leave the test
    df = int(keep.sum()) - 1
    u = (observed - expected)[keep][1:]
    v = var[np.ix_(keep, keep)][1:, 1:]
    chi = float(u @ np.linalg.lstsq(v, u, rcond=None)[0]) if df >= 1 else np.nan
    log_p = chi2_log_p(chi, df) if df >= 1 else np.nan
    method = "log-rank test (Mantel-Haenszel)"
    if strata_cols:
        method += f", stratified by {', '.join(strata_cols)}"
    if df < 1:
        method += "; fewer than two segments with expected churn: no test"
    out = result_frame([{"term": f"log-rank test by {', '.join(by_cols)}", "n": len(times), "statistic": chi,
                         "df": df if df >= 1 else np.nan, "method": method}])
    out = with_p_values(out, [log_p])
    table = keys.copy() if by_cols else pd.DataFrame(index=range(n_groups))
    # records, not a frame: pandas compares attrs when frames are concatenated, and frames there raise
    out.attrs["observed_expected"] = table.assign(n=np.bincount(gid, minlength=n_groups), observed=observed,
                                                  expected=expected).to_dict("list")
    return out

