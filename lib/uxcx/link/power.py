"""Planning the next study: how many people to detect a UX-CX link of a given size.

Three questions, each vectorised over the effect sizes so a planning table is one
call: a correlation (Fisher z), a regression effect (Cohen's f², noncentral F) and
a difference between two Net Promoter Scores (trinomial variance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from uxcx._core.checks import ALTERNATIVES, check_option
from uxcx.errors import UxcxError

__all__ = ["sample_size_correlation", "sample_size_regression", "sample_size_nps"]


def _share(name: str, value, *, closed: bool = False) -> np.ndarray:
    values = np.asarray(value, dtype=float)
    ok = (values >= 0) & (values <= 1) if closed else (values > 0) & (values < 1)
    if values.size == 0 or not np.all(ok):
        span = "[0, 1]" if closed else "(0, 1), such as 0.8"
        raise UxcxError(f"{name} must be a number in {span}; got {value!r}")
    return values


def _z_alpha(alpha: float, alternative: str) -> float:
    return float(stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha))


def _direction(effect: np.ndarray, alternative: str, what: str) -> None:
    if alternative == "greater" and np.any(effect < 0) or alternative == "less" and np.any(effect > 0):
        sign = ">" if alternative == "greater" else "<"
        raise UxcxError(f"alternative={alternative!r} expects {what} {sign} 0; pass the other alternative "
                        f"or a {'positive' if sign == '>' else 'negative'} value")


def sample_size_correlation(r, *, power: float = 0.8, alpha: float = 0.05,
                            alternative: str = "two-sided") -> pd.DataFrame:
    """People needed to detect a correlation r between a UX and a CX measure.

    Parameters
    ----------
    r : float or array-like
        The smallest population correlation worth detecting (e.g. 0.3); non-zero,
        between -1 and 1. One row per value.
    power : float
        Chance of a significant result when the correlation is ``r`` (1 - beta).
    alpha : float
        Significance level of the test of r = 0.
    alternative : {"two-sided", "greater", "less"}
        One-sided alternatives expect a positive ("greater") or negative r.

    Returns
    -------
    DataFrame
        One row per ``r``: ``r``, ``power``, ``alpha``, ``alternative``, ``n`` (people
        with both measures, rounded up), ``achieved_power`` (the approximation's
        power at that ``n``), ``method``.

    Notes
    -----
    Fisher's z = atanh(r) is about normal with standard error 1/sqrt(n - 3), so
    n = ((z_(1-alpha/2) + z_(1-beta)) / atanh(r))^2 + 3 (Cohen 1988, ch. 3; Hulley et
    al. 2013, chapter 6); z_(1-alpha) for a one-sided test. It gives 85 people for
    r = 0.3 at 80% power and alpha = .05. R's
    ``pwr::pwr.r.test`` adds a bias term r/(2(n-1)) and a t critical value; the
    two differ by a person or two. Use it to plan a study linking, say, SUS to
    likelihood to recommend; the number counts people matched across both sources.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd
    ed.), chapter 3. Erlbaum.

    Hulley, S. B., Cummings, S. R., Browner, W. S., Grady, D. G., & Newman, T. B.
    (2013). *Designing Clinical Research* (4th ed.), chapter 6. Lippincott Williams
    & Wilkins.

    Examples
    --------
    >>> sample_size_correlation([0.1, 0.3, 0.5])["n"].tolist()
    [783, 85, 30]
    """
    check_option("alternative", alternative, ALTERNATIVES)
    power, alpha = float(_share("power", power)), float(_share("alpha", alpha))
    r = np.atleast_1d(np.asarray(r, dtype=float))
    if r.size == 0 or np.any(~np.isfinite(r) | (np.abs(r) >= 1) | (r == 0)):
        raise UxcxError(f"r must be non-zero correlations between -1 and 1 (such as 0.3); got {r.tolist()}")
    _direction(r, alternative, "r")
    za, zb = _z_alpha(alpha, alternative), stats.norm.ppf(power)
    z = np.abs(np.arctanh(r))
    n = np.ceil(((za + zb) / z) ** 2 + 3 - 1e-9)
    achieved = stats.norm.cdf(z * np.sqrt(n - 3) - za)
    if alternative == "two-sided":
        achieved += stats.norm.cdf(-z * np.sqrt(n - 3) - za)
    return pd.DataFrame({"r": r, "power": power, "alpha": alpha, "alternative": alternative,
                         "n": n.astype("int64"), "achieved_power": achieved, "method": "Fisher z"})


def _f_power(n, f2, u, k, alpha):
    """Power of the F test of u of k predictors at total n (Cohen's lambda = f2 (u + v + 1))."""
    v = n - k - 1
    crit = stats.f.isf(alpha, u, v)
    return stats.ncf.sf(crit, u, v, f2 * (u + v + 1))


def sample_size_regression(f2, *, n_predictors: int = 1, n_tested: int = 1, power: float = 0.8,
                           alpha: float = 0.05) -> pd.DataFrame:
    """People needed to detect a regression effect of size f² (one or more added predictors).

    Parameters
    ----------
    f2 : float or array-like
        Cohen's f² of the tested predictors; one row per value. Conventions: 0.02
        small, 0.15 medium, 0.35 large (Cohen 1988).
    n_predictors : int
        Predictors in the full model (tested ones and covariates held constant).
    n_tested : int
        Predictors whose joint effect is tested (1: a single slope).
    power, alpha : float
        Target power and significance level of the F test.

    Returns
    -------
    DataFrame
        One row per ``f2``: ``f2``, ``n_predictors``, ``n_tested``, ``power``,
        ``alpha``, ``n`` (total rows, rounded up), ``achieved_power`` (exact at ``n``),
        ``method``.

    Notes
    -----
    f² = (R²_full - R²_reduced) / (1 - R²_full); for a single standardised slope beta
    of a predictor uncorrelated with the others, f² = beta² / (1 - R²_full), and with
    one predictor alone f² = r² / (1 - r²). The F test of u tested predictors with
    v = n - k - 1 residual df has a noncentral F(u, v, lambda) distribution with
    lambda = f² (u + v + 1) (Cohen 1988, ch. 9; as R's ``pwr::pwr.f2.test`` and
    statsmodels' ``FTestPowerF2``); n is the smallest whole number whose power reaches
    the target. G*Power uses lambda = f² n, which gives slightly smaller n when
    covariates are held constant.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd
    ed.), chapter 9. Erlbaum.

    Faul, F., Erdfelder, E., Buchner, A., & Lang, A.-G. (2009). Statistical power
    analyses using G*Power 3.1: Tests for correlation and regression analyses.
    *Behavior Research Methods*, 41(4), 1149-1160.

    Examples
    --------
    >>> sample_size_regression(0.15, n_predictors=3)["n"].item()
    57
    """
    power, alpha = float(_share("power", power)), float(_share("alpha", alpha))
    f2 = np.atleast_1d(np.asarray(f2, dtype=float))
    if f2.size == 0 or np.any(~np.isfinite(f2) | (f2 <= 0)):
        raise UxcxError(f"f2 must be positive effect sizes (such as 0.15); got {f2.tolist()}")
    k, u = int(n_predictors), int(n_tested)
    if not 1 <= u <= k:
        raise UxcxError(f"n_tested must be between 1 and n_predictors ({k}); got {n_tested!r}")
    low = k + 2.0
    n = np.empty_like(f2)
    for i, effect in enumerate(f2):  # one root per effect size of the planning table
        if _f_power(low, effect, u, k, alpha) >= power:
            n[i] = low
            continue
        high = low * 2
        while _f_power(high, effect, u, k, alpha) < power:
            high *= 2
        root = optimize.brentq(lambda m, e=effect: _f_power(m, e, u, k, alpha) - power, low, high)
        n[i] = np.ceil(root - 1e-9)
    return pd.DataFrame({"f2": f2, "n_predictors": k, "n_tested": u, "power": power, "alpha": alpha,
                         "n": n.astype("int64"), "achieved_power": _f_power(n, f2, u, k, alpha),
                         "method": "noncentral F (Cohen 1988)"})


def sample_size_nps(promoters, detractors, *, power: float = 0.8, alpha: float = 0.05,
                    alternative: str = "two-sided", method: str = "adjusted-wald") -> pd.DataFrame:
    """Respondents per group to detect a difference between two Net Promoter Scores.

    Parameters
    ----------
    promoters : pair of float (or of arrays)
        Expected shares of promoters (9-10) in group 1 and group 2, e.g. (0.45, 0.35).
    detractors : pair of float (or of arrays)
        Expected shares of detractors (0-6) in group 1 and group 2, e.g. (0.15, 0.25).
    power, alpha : float
        Target power and significance level.
    alternative : {"two-sided", "greater", "less"}
        One-sided: "greater" expects group 1's NPS to be higher.
    method : {"adjusted-wald", "wald"}
        The test planned, as in :func:`uxcx.compare_nps`: "adjusted-wald" (default)
        subtracts the 3 responses the adjusted-Wald test adds (Lewis & Sauro 2021);
        "wald" uses the raw counts.

    Returns
    -------
    DataFrame
        One row per scenario: ``nps_1``, ``nps_2`` (points, -100 to 100),
        ``difference`` (nps_1 - nps_2), ``power``, ``alpha``, ``alternative``,
        ``n_per_group`` (rounded up), ``n_total``, ``achieved_power`` (normal
        approximation at that n), ``method``.

    Notes
    -----
    Score a respondent +1 (promoter), 0 (passive) or -1 (detractor); the NPS is the
    mean, with variance per respondent s² = p + d - (p - d)² for shares p and d
    (Rocks 2016). Two independent groups of n each:
    n = (z_(1-alpha/2) + z_(1-beta))² (s_1² + s_2²) / (NPS_1 - NPS_2)², less 3 for the
    adjusted-Wald test (Lewis & Sauro 2021); z_(1-alpha) one-sided. The variance is
    largest when passives are few and the two ends are full, so guess the shares
    from a past survey rather than assuming them. With no passives this is the
    unpooled two-proportion formula for promoter shares (R's
    ``power.prop.test`` pools the variance under the null and asks up to 3% more).

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
    Statistician*, 70(4), 365-372.

    Lewis, J. R., & Sauro, J. (2021). Sample sizes for comparing Net Promoter Scores.
    MeasuringU. https://measuringu.com/nps-sig-test-sample-size/

    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business
    Review*, 81(12), 46-54.

    Examples
    --------
    >>> s = sample_size_nps((0.45, 0.35), (0.15, 0.25))
    >>> s[["nps_1", "nps_2", "n_per_group"]].round(1).iloc[0].tolist()
    [30.0, 10.0, 213.0]
    """
    check_option("alternative", alternative, ALTERNATIVES)
    check_option("method", method, ("adjusted-wald", "wald"))
    power, alpha = float(_share("power", power)), float(_share("alpha", alpha))
    try:
        (p1, p2), (d1, d2) = promoters, detractors
    except (TypeError, ValueError):
        raise UxcxError("promoters and detractors must each be a pair (group 1, group 2) of expected "
                        "shares, e.g. promoters=(0.45, 0.35), detractors=(0.15, 0.25)") from None
    p1, p2, d1, d2 = np.broadcast_arrays(*(np.atleast_1d(_share(nm, v, closed=True)) for nm, v in
                                           (("promoters", p1), ("promoters", p2),
                                            ("detractors", d1), ("detractors", d2))))
    if np.any(p1 + d1 > 1) or np.any(p2 + d2 > 1):
        raise UxcxError("promoters + detractors exceeds 1 in a group; the passives take the rest")
    delta = (p1 - d1) - (p2 - d2)
    if np.any(delta == 0):
        raise UxcxError("the two NPS are equal: no sample size detects a difference of zero")
    _direction(delta, alternative, "NPS_1 - NPS_2")
    var = (p1 + d1 - (p1 - d1) ** 2) + (p2 + d2 - (p2 - d2) ** 2)
    za, zb = _z_alpha(alpha, alternative), stats.norm.ppf(power)
    extra = 3.0 if method == "adjusted-wald" else 0.0
    n = np.maximum(np.ceil((za + zb) ** 2 * var / delta ** 2 - extra - 1e-9), 2)
    achieved = stats.norm.cdf(np.abs(delta) / np.sqrt(var / (n + extra)) - za)
    return pd.DataFrame({"nps_1": 100 * (p1 - d1), "nps_2": 100 * (p2 - d2), "difference": 100 * delta,
                         "power": power, "alpha": alpha, "alternative": alternative,
                         "n_per_group": n.astype("int64"), "n_total": 2 * n.astype("int64"),
                         "achieved_power": achieved, "method": f"{method} NPS z test"})
