"""P-values computed in log space, so that no result ever reads ``p = 0``.

One convention for every test in the kit:

* ``log10_p_value``: log10 of the p-value, computed from the statistic's
  distribution in log space, finite however far into the tail the statistic lies;
* ``p_value``: the p-value itself, or :data:`SMALLEST_P` (the smallest positive
  double) when the true value is below the floating-point range, in which case
  :func:`underflow_note` gives the words the ``method`` column carries.

The tails are exact, not asymptotic approximations:

* normal: ``scipy.special.log_ndtr``;
* chi-squared with integer df: the closed form of Abramowitz & Stegun 26.4.4-5,
  summed with ``logsumexp``;
* Student t and F through the regularized incomplete beta function, whose small-x
  form ``I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * 2F1(a+b, 1; a+1; x)``
  (DLMF 8.17.8 with 15.8.1) is taken in logs where ``scipy.special.betainc``
  underflows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.checks import ALTERNATIVES, check_option

__all__ = ["SMALLEST_P", "finish_p", "underflow_note", "norm_log_p", "t_log_p", "chi2_log_p",
           "f_log_p", "beta_log_sf", "log_sum_p", "p_columns", "noted", "place_log10", "with_p_values"]

SMALLEST_P = float(np.finfo(float).smallest_subnormal)  # 5e-324
LOG10 = math.log(10.0)
# Below this the ordinary tail function loses relative precision, so the log-space form is used.
UNDERFLOW = 1e-280


def _check_alternative(alternative: str) -> None:
    check_option("alternative", alternative, ALTERNATIVES)


def finish_p(log_p) -> tuple[float, float]:
    """``(p_value, log10_p_value)`` from a natural-log p-value.

    ``p_value`` is never 0: below the floating-point range it holds :data:`SMALLEST_P`.
    A missing statistic gives ``(nan, nan)``.

    >>> finish_p(math.log(0.05))[0] == 0.05 or round(finish_p(math.log(0.05))[0], 15) == 0.05
    True
    >>> finish_p(-2000.0)[0] > 0, round(finish_p(-2000.0)[1], 3)
    (True, -868.589)
    """
    log_p = float(log_p)
    if math.isnan(log_p):
        return math.nan, math.nan
    log_p = min(log_p, 0.0)
    p = math.exp(log_p)
    return (p if p > 0 else SMALLEST_P), log_p / LOG10


def underflow_note(log10_p: float) -> str:
    """The words a ``method`` column adds when p is below the floating-point range ("" otherwise).

    >>> underflow_note(-3.0)
    ''
    >>> underflow_note(-868.6)
    '; p < 1e-300 (log10 p = -868.6; p_value holds the smallest positive double)'
    """
    if not (log10_p < -300):
        return ""
    return f"; p < 1e-300 (log10 p = {log10_p:.1f}; p_value holds the smallest positive double)"


def norm_log_p(z: float, alternative: str = "two-sided") -> float:
    """Natural log of the normal-test p-value for statistic ``z``.

    >>> from scipy import stats
    >>> math.isclose(math.exp(norm_log_p(1.96)), 2 * stats.norm.sf(1.96), rel_tol=1e-12)
    True
    """
    _check_alternative(alternative)
    z = float(z)
    if math.isnan(z):
        return math.nan
    if alternative == "greater":
        return float(special.log_ndtr(-z))
    if alternative == "less":
        return float(special.log_ndtr(z))
    return min(0.0, math.log(2.0) + float(special.log_ndtr(-abs(z))))


def beta_log_sf(x: float, a: float, b: float, one_minus_x: float | None = None) -> float:
    """log I_x(a, b), the regularized incomplete beta function, accurate for tiny results.

    >>> math.isclose(beta_log_sf(0.3, 2.0, 3.0), math.log(special.betainc(2.0, 3.0, 0.3)), rel_tol=1e-12)
    True
    """
    x, a, b = float(x), float(a), float(b)
    if x <= 0:
        return -math.inf
    if x >= 1:
        return 0.0
    if x > 0.5:  # I_x(a, b) = 1 - I_(1-x)(b, a), with 1 - x as the caller computed it exactly:
        rest = float(one_minus_x) if one_minus_x is not None else 1.0 - x
        complement = float(special.betainc(b, a, rest))
        if complement <= 0.5:  # the result is near 1, where log1p keeps its digits
            return math.log1p(-complement)
    value = float(special.betainc(a, b, x))
    if value > UNDERFLOW:
        return math.log(value)
    return (a * math.log(x) + b * math.log1p(-x) - math.log(a) - float(special.betaln(a, b))
            + math.log(float(special.hyp2f1(a + b, 1.0, a + 1.0, x))))


def t_log_p(t: float, df: float, alternative: str = "two-sided") -> float:
    """Natural log of Student's t-test p-value for statistic ``t`` on ``df`` degrees of freedom.

    Uses ``P(T > |t|) = I_{df/(df+t^2)}(df/2, 1/2) / 2``.

    >>> from scipy import stats
    >>> math.isclose(math.exp(t_log_p(2.5, 9)), 2 * stats.t.sf(2.5, 9), rel_tol=1e-10)
    True
    """
    _check_alternative(alternative)
    t, df = float(t), float(df)
    if math.isnan(t) or math.isnan(df) or df <= 0:
        return math.nan
    if math.isinf(df):
        return norm_log_p(t, alternative)
    # one tail beyond |t|, kept in log space
    x = df / (df + t * t) if math.isfinite(t) else 0.0
    tail = beta_log_sf(x, df / 2.0, 0.5, one_minus_x=t * t / (df + t * t) if math.isfinite(t) else 1.0)
    tail -= math.log(2.0)
    if alternative == "two-sided":
        return min(0.0, tail + math.log(2.0))
    upper = (alternative == "greater") == (t > 0)
    if upper:
        return tail
    return math.log1p(-math.exp(tail)) if tail < 0 else -math.inf


def chi2_log_p(x: float, df: int) -> float:
    """Natural log of P(X > x) for X ~ chi-squared(df), df a positive integer.

    Closed form (Abramowitz & Stegun 26.4.4-5) summed in log space.

    >>> from scipy import stats
    >>> math.isclose(chi2_log_p(3.0, 1), float(stats.chi2.logsf(3.0, 1)), rel_tol=1e-12)
    True
    """
    x = float(x)
    if math.isnan(x) or df is None or (isinstance(df, float) and math.isnan(df)) or df < 1:
        return math.nan
    if int(df) != df:  # non-integer df: the regularized gamma, exact enough above the underflow
        return float(np.log(special.gammaincc(df / 2.0, max(x, 0.0) / 2.0)))
    df = int(df)
    if x <= 0:
        return 0.0
    half = x / 2
    if df % 2 == 0:
        i = np.arange(df // 2)
        terms = i * np.log(half) - special.gammaln(i + 1) - half
    else:
        i = np.arange((df - 1) // 2)
        terms = np.r_[np.log(2) + special.log_ndtr(-np.sqrt(x)),
                      (i + 0.5) * np.log(half) - special.gammaln(i + 1.5) - half]
    return min(0.0, float(special.logsumexp(terms)))


def f_log_p(f: float, df1: float, df2: float) -> float:
    """Natural log of P(F > f) for F ~ F(df1, df2): ``I_{df2/(df2+df1 f)}(df2/2, df1/2)``.

    >>> from scipy import stats
    >>> math.isclose(math.exp(f_log_p(4.2, 3, 20)), stats.f.sf(4.2, 3, 20), rel_tol=1e-10)
    True
    """
    f, df1, df2 = float(f), float(df1), float(df2)
    if math.isnan(f) or df1 <= 0 or df2 <= 0:
        return math.nan
    if f <= 0:
        return 0.0
    return beta_log_sf(df2 / (df2 + df1 * f), df2 / 2.0, df1 / 2.0, one_minus_x=df1 * f / (df2 + df1 * f))


def log_sum_p(log_terms) -> float:
    """Natural log of a p-value that is a sum of probabilities given as logs (exact tests).

    >>> math.isclose(log_sum_p([math.log(0.01), math.log(0.02)]), math.log(0.03))
    True
    """
    terms = np.asarray(log_terms, dtype=float)
    if terms.size == 0:
        return -math.inf
    return min(0.0, float(special.logsumexp(terms)))


def place_log10(frame: pd.DataFrame, log10) -> pd.DataFrame:
    """Set ``frame``'s ``log10_p_value`` (in place), right after ``p_value`` when it is new; returns it."""
    values = np.asarray(log10, dtype=float)
    if "log10_p_value" in frame.columns:
        frame["log10_p_value"] = values
    else:
        frame.insert(frame.columns.get_loc("p_value") + 1, "log10_p_value", values)
    return frame


def with_p_values(frame: pd.DataFrame, log_p) -> pd.DataFrame:
    """A copy of ``frame`` with ``p_value`` and ``log10_p_value`` from natural-log p-values (one per row).

    NaN means no test. ``method`` gains :func:`underflow_note` where p is below 1e-300.

    >>> f = pd.DataFrame({"term": ["a", "b"], "p_value": np.nan, "method": "z test"})
    >>> out = with_p_values(f, [np.log(0.05), -1000.0])
    >>> list(out.columns), round(float(out.loc[0, "log10_p_value"]), 4), bool(out.loc[1, "p_value"] > 0)
    (['term', 'p_value', 'log10_p_value', 'method'], -1.301, True)
    >>> out.loc[1, "method"]
    'z test; p < 1e-300 (log10 p = -434.3; p_value holds the smallest positive double)'
    """
    pairs = [finish_p(x) for x in np.asarray(log_p, dtype=float).ravel()]  # one per test, not per row of data
    frame = frame.copy()
    frame["p_value"] = [p for p, _ in pairs]
    log10 = [lg for _, lg in pairs]
    place_log10(frame, log10)
    if "method" in frame.columns:
        frame["method"] = [str(m) + underflow_note(lg) for m, lg in zip(frame["method"], log10)]
    return frame


def p_columns(log_p) -> tuple[np.ndarray, np.ndarray]:
    """``(p_value, log10_p_value)`` arrays from natural-log p-values (NaN stays NaN).

    >>> p, lg = p_columns([np.log(0.5), -2000.0, np.nan])
    >>> bool(p[1] > 0), round(float(lg[1]), 1), bool(np.isnan(p[2]))
    (True, -868.6, True)
    """
    pairs = [finish_p(v) for v in np.atleast_1d(np.asarray(log_p, dtype=float))]  # one per test
    if not pairs:
        return np.empty(0), np.empty(0)
    p, log10 = np.array(pairs).T
    return p, log10


def noted(methods, log10) -> np.ndarray:
    """Each method text with :func:`underflow_note` added where p underflows."""
    return np.array([f"{m}{underflow_note(v)}" for m, v in zip(methods, log10)], dtype=object)
