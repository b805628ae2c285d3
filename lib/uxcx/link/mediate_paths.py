"""The point fits of a mediation model's paths (a, b, c', c) and their rows in the result schema.

A linear path is one least-squares solve with the classical standard errors, as
``statsmodels.OLS(...).fit()`` and R's ``lm`` report them; statsmodels is imported only for a
logistic path (a 0/1 mediator or outcome), so the linear case does not pay for it. scipy's
special functions (t quantiles, log-space p-values) are imported where a row is written.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np

from uxcx.errors import UxcxError

__all__ = ["PathFit", "fit_path", "path_row", "sobel_row"]


class PathFit(NamedTuple):
    """Coefficients, standard errors and residual df (NaN for a logistic fit: z tests)."""

    params: np.ndarray
    bse: np.ndarray
    df_resid: float


def fit_path(X: np.ndarray, v: np.ndarray, binary: bool, what: str) -> PathFit:
    """OLS of ``v`` on ``X`` (which holds the intercept), or logistic regression when ``binary``.

    Raises :class:`UxcxError` for perfectly collinear predictors and for a logistic equation
    that does not converge (perfect or quasi-complete separation).
    """
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise UxcxError(f"the predictors of {what} are perfectly collinear (one is a combination of the "
                        f"others); drop the redundant covariate.")
    return _logit(X, v, what) if binary else _ols(X, v)


def _ols(X: np.ndarray, v: np.ndarray) -> PathFit:
    """b = argmin |v - X b|^2; se from s^2 (X'X)^-1, s^2 = RSS / (n - k) (Draper & Smith 1998, ch. 5)."""
    coef, *_ = np.linalg.lstsq(X, v, rcond=None)
    resid = v - X @ coef
    df = X.shape[0] - X.shape[1]
    cov = (resid @ resid / df) * np.linalg.inv(X.T @ X)
    return PathFit(coef, np.sqrt(np.diag(cov)), float(df))


def _logit(X: np.ndarray, v: np.ndarray, what: str) -> PathFit:
    import statsmodels.api as sm  # only a 0/1 mediator or outcome needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = sm.Logit(v, X).fit(disp=0, maxiter=100)
        except Exception as exc:  # statsmodels raises several kinds on separation
            res, err = None, exc
        else:
            err = None
    ok = res is not None and res.mle_retvals.get("converged", False) and np.all(np.abs(res.params) < 30)
    if not ok:
        raise UxcxError(f"the logistic regression for {what} does not converge: the 0/1 column is "
                        f"perfectly (or almost) predicted by the others (perfect separation"
                        f"{'; ' + str(err) if err else ''}). Use a continuous version of that measure "
                        f"or drop the predictor that separates it.")
    return PathFit(np.asarray(res.params), np.asarray(res.bse), math.nan)


def _p_fields(log_p: float) -> dict:
    from uxcx._core.pvalues import finish_p

    p, log10 = finish_p(log_p)
    return {"p_value": p, "log10_p_value": log10, "alternative": "two-sided"}


def path_row(fit: PathFit, j: int, level: float, text: str, n: int) -> dict:
    """The row of coefficient ``j``: estimate, t (OLS) or Wald z (logistic) test and interval."""
    from scipy import special

    from uxcx._core.pvalues import norm_log_p, t_log_p, underflow_note

    est, se = float(fit.params[j]), float(fit.bse[j])
    binary = math.isnan(fit.df_resid)
    half = 0.5 + level / 2
    crit = float(special.ndtri(half) if binary else special.stdtrit(fit.df_resid, half))
    statistic = est / se
    fields = _p_fields(norm_log_p(statistic) if binary else t_log_p(statistic, fit.df_resid))
    method = (f"logistic regression, {text}: log-odds, Wald z test and interval" if binary
              else f"OLS, {text}: t test and interval")
    return {"n": n, "estimate": est, "std_error": se, "ci_low": est - crit * se, "ci_high": est + crit * se,
            "confidence_level": level, "statistic": statistic, "df": fit.df_resid, **fields,
            "method": method + underflow_note(fields["log10_p_value"])}


def sobel_row(med: PathFit, out: PathFit, method: str) -> dict:
    """Sobel (1982) test of a*b: z = a b / sqrt(a^2 se_b^2 + b^2 se_a^2), with its p in log space."""
    from uxcx._core.pvalues import norm_log_p, underflow_note

    a, b, se_a, se_b = med.params[1], out.params[2], med.bse[1], out.bse[2]
    se = float(np.sqrt(a**2 * se_b**2 + b**2 * se_a**2))
    z = float(a * b / se)
    fields = _p_fields(norm_log_p(z))
    note = underflow_note(fields["log10_p_value"])
    return {"std_error": se, "statistic": z, **fields, "method": method + note}
