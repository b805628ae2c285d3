"""Contractual retention projection: the shifted-beta-geometric model (Fader & Hardie 2007).

Each customer renews every period with a constant probability 1 - theta, and theta
varies across customers as Beta(alpha, beta). :func:`sbg_fit` estimates alpha and
beta from the share of a cohort still alive at each renewal; :func:`sbg_project`
projects survival and retention rates; :func:`sbg_derl` is the expected discounted
residual lifetime (Fader & Hardie 2010).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from uxcx._core.checks import check_level
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError

__all__ = ["sbg_fit", "sbg_project", "sbg_derl"]

METHOD = "Shifted-beta-geometric maximum likelihood (Fader & Hardie 2007), Wald interval on the log scale"


def _survival(log_ab, t):
    """S(t) = B(alpha, beta + t) / B(alpha, beta) for an array of periods t >= 0."""
    a, b = np.exp(log_ab)
    return np.exp(special.betaln(a, b + t) - special.betaln(a, b))


def _loglik(log_ab, lost, last_alive, periods):
    a, b = np.exp(log_ab)
    t = np.arange(1, periods + 1)
    log_p = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)  # P(T = t)
    return float(lost @ log_p + last_alive * np.log(_survival(log_ab, periods)))


def sbg_fit(alive, *, n: float | None = None, confidence_level: float = 0.95) -> pd.DataFrame:
    """Fit the shifted-beta-geometric model to a cohort's survivors by period.

    Parameters
    ----------
    alive : sequence of float
        Customers (or percent of the cohort) alive at the start of period 1, 2, ...:
        ``alive[0]`` is the cohort at acquisition, e.g. ``[100, 63.1, 46.8, ...]``.
    n : float, optional
        The cohort's size in customers when ``alive`` is in percent (the standard
        errors depend on it; the estimates do not). Default: ``alive[0]``.
    confidence_level : float
        Level of the intervals.

    Returns
    -------
    DataFrame
        The result schema, rows ``alpha`` and ``beta`` (``term``): ``n`` (cohort
        size), ``estimate``, ``std_error`` (delta method), ``ci_low``/``ci_high``
        (Wald on the log scale, so positive), ``confidence_level``, ``method``;
        the test columns NaN. Extra column ``log_lik``; ``attrs`` hold
        ``cov_log`` (covariance of log alpha, log beta, as nested lists) and
        ``periods`` (periods fitted).

    Notes
    -----
    With lost customers ``n_t = alive[t-1] - alive[t]`` in period t = 1..T and
    ``alive[T]`` still alive, the log-likelihood is
    ``sum_t n_t log P(T = t) + alive[T] log S(T)`` with
    ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)`` and
    ``S(t) = B(alpha, beta + t) / B(alpha, beta)``. It is maximised over
    (log alpha, log beta) with L-BFGS-B; the covariance is the inverse observed
    information (numerical Hessian). Use it for subscriptions renewed at discrete
    times (yearly, monthly) and cohort counts only; with customer-level data and
    covariates use :func:`uxcx.retention.proportional_hazards.cox`. The mean churn probability is
    alpha / (alpha + beta); a small alpha + beta means customers differ a lot, so
    retention rates rise with tenure.

    References
    ----------
    Fader, P. S., & Hardie, B. G. S. (2007). How to project customer retention.
    *Journal of Interactive Marketing*, 21(1), 76-90.

    Examples
    --------
    >>> regular = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]
    >>> fit = sbg_fit(regular, n=1000)  # 7 years of renewals
    >>> fit[["term", "estimate"]].round(3)
        term  estimate
    0  alpha     0.704
    1   beta     1.182
    """
    level = check_level(confidence_level)
    alive = np.asarray(alive, dtype=float)
    if alive.ndim != 1 or alive.size < 3 or not np.all(np.isfinite(alive)):
        raise UxcxError("alive must be a list of at least 3 numbers: the cohort at acquisition, then those "
                        "still customers at the start of each later period")
    if np.any(np.diff(alive) > 0) or alive[-1] < 0:
        raise UxcxError("alive must not increase from one period to the next and must stay >= 0; got "
                        f"{alive.tolist()}")
    if alive[-1] == alive[0] or alive[-1] == 0:
        raise UxcxError("the model needs some customers lost and some still alive at the end; got "
                        f"{alive.tolist()}")
    scale = (n if n is not None else alive[0]) / alive[0]
    counts = alive * scale
    lost, periods = -np.diff(counts), alive.size - 1
    res = optimize.minimize(lambda p: -_loglik(p, lost, counts[-1], periods), np.zeros(2), method="L-BFGS-B",
                            options={"ftol": 1e-15, "gtol": 1e-10})
    from statsmodels.tools.numdiff import approx_hess

    cov = np.linalg.inv(approx_hess(res.x, lambda p: -_loglik(p, lost, counts[-1], periods)))
    se_log = np.sqrt(np.diag(cov))
    z = stats.norm.ppf(0.5 + level / 2)
    est = np.exp(res.x)
    out = result_frame(pd.DataFrame({
        "term": ["alpha", "beta"], "n": counts[0], "estimate": est, "std_error": est * se_log,
        "ci_low": np.exp(res.x - z * se_log), "ci_high": np.exp(res.x + z * se_log),
        "confidence_level": level, "method": METHOD}))
    out["log_lik"] = -res.fun
    out.attrs["cov_log"] = cov.tolist()
    out.attrs["periods"] = periods
    return out


def _params(fit: pd.DataFrame):
    est = fit.set_index("term")["estimate"]
    return np.log([est["alpha"], est["beta"]])


def sbg_project(fit: pd.DataFrame, periods: int) -> pd.DataFrame:
    """Projected survival and retention rate for periods 1..``periods`` from :func:`sbg_fit`.

    Parameters
    ----------
    fit : DataFrame
        The result of :func:`sbg_fit` (its ``alpha`` and ``beta`` rows; with its
        ``attrs["cov_log"]`` the survival gets a delta-method interval).
    periods : int
        How many periods to project (from the start, so fitted periods are included).

    Returns
    -------
    DataFrame
        Columns ``period`` (1..periods), ``survival`` S(t) (share of the cohort
        still a customer after t periods), ``survival_low``/``survival_high``
        (interval at the fit's confidence level, on the logit scale; NaN without
        ``cov_log``), ``retention`` r(t) = S(t)/S(t-1) = (beta + t - 1)/(alpha + beta
        + t - 1), and ``fitted`` (True for periods used in the fit).

    Notes
    -----
    The retention rate of the surviving cohort rises with t because the customers
    most likely to leave leave first (Fader & Hardie 2007, eq. 5), not because any
    customer grows more loyal.

    References
    ----------
    Fader, P. S., & Hardie, B. G. S. (2007). How to project customer retention.
    *Journal of Interactive Marketing*, 21(1), 76-90.

    Examples
    --------
    >>> fit = sbg_fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1], n=1000)
    >>> sbg_project(fit, 12)[["period", "survival", "retention"]].round(3).tail(2)
        period  survival  retention
    10      11      0.18      0.941
    11      12      0.17      0.945
    """
    if int(periods) < 1:
        raise UxcxError(f"periods must be 1 or more; got {periods!r}")
    log_ab = _params(fit)
    t = np.arange(1, int(periods) + 1)
    s = _survival(log_ab, t)
    a, b = np.exp(log_ab)
    low = high = np.full(t.size, np.nan)
    cov = fit.attrs.get("cov_log")
    if cov is not None:
        eps = 1e-6
        logit = special.logit(s)
        grad = np.column_stack([(special.logit(_survival(log_ab + eps * e, t)) - logit) / eps
                                for e in np.eye(2)])
        se = np.sqrt(np.einsum("ti,ij,tj->t", grad, np.asarray(cov), grad))
        z = stats.norm.ppf(0.5 + float(fit["confidence_level"].iloc[0]) / 2)
        low, high = special.expit(logit - z * se), special.expit(logit + z * se)
    return pd.DataFrame({"period": t, "survival": s, "survival_low": low, "survival_high": high,
                         "retention": (b + t - 1) / (a + b + t - 1),
                         "fitted": t <= fit.attrs.get("periods", 0)})


def sbg_derl(fit: pd.DataFrame, *, discount: float, renewals: int = 0) -> float:
    """Expected discounted residual lifetime of a customer, in payments (Fader & Hardie 2010).

    Parameters
    ----------
    fit : DataFrame
        The result of :func:`sbg_fit`.
    discount : float
        Discount rate per period (e.g. 0.1).
    renewals : int
        Renewals the customer has made so far (0 = just acquired, first payment made).

    Returns
    -------
    float
        ``DERL = (beta + n - 1)/(alpha + beta + n - 1) * 2F1(1, beta + n; alpha + beta + n; 1/(1 + d))``
        with n = renewals + 1: the expected number of future payments, each discounted
        to the present (the next one undiscounted at the moment it falls due). Times
        the revenue per period it is the customer's expected residual value.

    References
    ----------
    Fader, P. S., & Hardie, B. G. S. (2010). Customer-base valuation in a contractual
    setting: the perils of ignoring heterogeneity. *Marketing Science*, 29(1), 85-93.

    Examples
    --------
    >>> fit = sbg_fit([100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1], n=1000)
    >>> round(sbg_derl(fit, discount=0.1), 2)
    2.96
    """
    if not discount > 0:
        raise UxcxError(f"discount must be a rate above 0 (such as 0.1); got {discount!r}")
    a, b = np.exp(_params(fit))
    n = int(renewals) + 1
    return float((b + n - 1) / (a + b + n - 1) * special.hyp2f1(1, b + n, a + b + n, 1 / (1 + discount)))
