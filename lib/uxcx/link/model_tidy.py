"""Fitted models onto the result schema: :func:`tidy` (one row per term), :func:`glance`
(one row per model); :func:`effect_sentences` (one plain sentence per effect) lives in
:mod:`uxcx.link.model_sentences` and is served here too.

The names follow R's broom. Ratio models (logistic, ordinal logistic, log-link
GLMs) report ``estimate``, ``ci_low`` and ``ci_high`` as ratios and keep the
log-scale coefficient in ``coef`` and its standard error in ``std_error``, the
convention of the kit's survival models.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core.checks import check_level
from uxcx._core.pvalues import chi2_log_p, f_log_p, norm_log_p, noted, p_columns, place_log10, t_log_p
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError
from uxcx.link.model_sentences import effect_sentences

__all__ = ["tidy", "glance", "effect_sentences"]

def _kind(result) -> tuple[str, str, str | None]:
    """(kind, method, ratio name or None) of a statsmodels result."""
    import statsmodels.api as sm
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    model = getattr(result, "model", None)
    if model is None or not hasattr(result, "params") or not hasattr(result, "bse"):
        raise UxcxError(f"tidy() takes a fitted statsmodels result (from uxcx.regress or statsmodels "
                        f"fit()); got {type(result).__name__}")
    if isinstance(model, OrderedModel):
        distr = getattr(model.distr, "name", "")
        if model.distr is stats.logistic or distr == "logistic":
            return "ordinal", "ordinal logistic (proportional odds), odds ratio", "odds"
        return "ordinal-other", f"ordinal regression ({type(model.distr).__name__}), coefficient", None
    if isinstance(model, sm.Logit):
        return "logit", "logistic regression, odds ratio", "odds"
    if isinstance(model, sm.GLM):
        family = type(model.family).__name__
        link = type(model.family.link).__name__.lower()
        if link == "logit" and family == "Binomial":
            return "glm", "GLM binomial (logit link), odds ratio", "odds"
        if link == "log":
            ratio = "rate" if family in ("Poisson", "NegativeBinomial") else "ratio"
            return "glm", f"GLM {family.lower()} (log link), {ratio} ratio", ratio
        return "glm", f"GLM {family.lower()} ({link} link), coefficient", None
    name = "OLS" if type(model) is sm.OLS else type(model).__name__
    if not isinstance(model, sm.regression.linear_model.RegressionModel):
        return "other", f"{name}, coefficient", None
    cov = getattr(result, "cov_type", "nonrobust")
    cov = "classical" if cov == "nonrobust" else cov
    return ("ols" if name == "OLS" else "other"), f"{name}, {cov} errors", None


def _series(values) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(-1).copy()


def tidy(result, *, confidence_level: float | None = None) -> pd.DataFrame:
    """One row per model term in the result schema, from any fitted statsmodels model.

    Parameters
    ----------
    result : statsmodels results
        From :func:`uxcx.regress`, or a model a user fitted: OLS (any covariance
        type), Logit, GLM, ``OrderedModel``; other results with ``params``, ``bse``
        and ``conf_int`` are reported as plain coefficients.
    confidence_level : float, optional
        Of the intervals; default the level given to :func:`uxcx.regress`, else 0.95.

    Returns
    -------
    DataFrame
        Schema columns, one row per term, then ``coef``:

        - ``term``: the parameter name (``"intercept"``; a dummy ``"column: level vs
          reference"``; an ordinal cut point ``"threshold 3/4"``).
        - ``n``: observations used. ``estimate``: the coefficient, or for ratio
          models the ratio exp(coef) (odds ratio for logistic and ordinal models).
        - ``std_error``: of ``coef`` (log scale for ratios). ``ci_low``, ``ci_high``:
          Wald interval, exponentiated for ratios (t-based when the model uses t).
        - ``confidence_level``; ``method``, e.g. "OLS, HC3 errors", "logistic
          regression, odds ratio", "ordinal logistic (proportional odds), odds ratio".
        - ``statistic``: t or z of ``coef``; ``df``: residual df for a t, else NaN;
          ``p_value``: two-sided; ``alternative``: "two-sided".
        - ``effect_size``: the standardised coefficient beta = b sd(x) / sd(y) for
          OLS terms (NaN for the intercept and other models); ``effect_size_type``:
          "standardised beta".
        - ``p_adjusted``, ``p_adjust_method``: NaN (one model, no adjustment).
        - ``coef``: the coefficient on the model's own scale (log odds for logistic).

    Notes
    -----
    Ordinal models add a row per cut point theta_j on the log-odds scale (not
    exponentiated; ``estimate`` = ``coef``), with the delta-method standard error of
    statsmodels' increment parametrisation (theta_1, log(theta_2 - theta_1), ...),
    which at the maximum equals the standard error R's ``MASS::polr`` reports. The
    interval of a ratio is exp of the coefficient's Wald interval, as R's
    ``exp(confint.default(fit))``. beta uses sample standard deviations of the
    design column and the outcome (a dummy's beta uses the dummy's sd), as SPSS and
    R's ``lm.beta`` do (Bring 1994 discusses its limits).

    References
    ----------
    Robinson, D., Hayes, A., & Couch, S. (2024). *broom: Convert statistical objects
    into tidy tibbles* (R package). https://broom.tidymodels.org

    Bring, J. (1994). How to standardize regression coefficients. *The American
    Statistician*, 48(3), 209-213.

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> rng = np.random.default_rng(3)
    >>> x = rng.normal(size=100)
    >>> d = pd.DataFrame({"x": x, "y": 1 + 0.5 * x + rng.normal(size=100)})
    >>> fit = sm.OLS(d["y"], sm.add_constant(d[["x"]])).fit(cov_type="HC3")
    >>> t = tidy(fit)
    >>> t[["term", "method", "effect_size_type"]].iloc[1].tolist()
    ['x', 'OLS, HC3 errors', 'standardised beta']
    """
    kind, method, ratio = _kind(result)
    stored = getattr(result, "uxcx", {}).get("confidence_level", 0.95)
    level = check_level(stored if confidence_level is None else confidence_level)
    model = result.model
    names = list(getattr(result.params, "index", None) if hasattr(result.params, "index")
                 else model.exog_names)
    coef = _series(result.params)
    se = _series(result.bse)
    use_t = bool(getattr(result, "use_t", False))
    df = float(result.df_resid) if use_t else np.nan
    crit = stats.t.ppf(0.5 + level / 2, df) if use_t else stats.norm.ppf(0.5 + level / 2)
    low, high = coef - crit * se, coef + crit * se
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = coef / se
    beta = np.full(len(coef), np.nan)
    if kind == "ols":
        exog = np.asarray(model.exog, dtype=float)
        sd_x = exog.std(axis=0, ddof=1)
        sd_y = np.asarray(model.endog, dtype=float).std(ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            beta = np.where(sd_x > 0, coef * sd_x / sd_y, np.nan)
    methods = np.full(len(coef), method, dtype=object)
    estimate = coef.copy()
    if ratio is not None:
        estimate, low, high = np.exp(coef), np.exp(low), np.exp(high)
    if kind in ("ordinal", "ordinal-other"):
        k = len(coef) - (model.k_levels - 1)
        cut, cut_se = _thresholds(result, coef, k)
        names = names[:k] + [f"threshold {nm}" for nm in names[k:]]
        coef[k:], se[k:], estimate[k:] = cut, cut_se, cut
        statistic[k:] = cut / cut_se
        low[k:], high[k:] = cut - crit * cut_se, cut + crit * cut_se
        methods[k:] = "ordinal logistic, threshold (log-odds)" if ratio else "ordinal regression, threshold"
    # two-sided, in log space, so that no term reads p = 0 (uxcx._core.pvalues)
    p, log10 = p_columns([t_log_p(z, df) if use_t else norm_log_p(z) for z in statistic])
    out = result_frame({"term": names, "n": int(result.nobs), "estimate": estimate, "std_error": se,
                        "ci_low": low, "ci_high": high, "confidence_level": level,
                        "method": noted(methods, log10), "statistic": statistic, "df": df, "p_value": p,
                        "alternative": "two-sided", "effect_size": beta,
                        "effect_size_type": np.where(np.isnan(beta), None, "standardised beta")})
    out = place_log10(out, log10)
    out["coef"] = coef
    return out


def _thresholds(result, coef: np.ndarray, k: int):
    """Cut points theta_j and their delta-method standard errors from the increments."""
    raw = coef[k:]
    cut = raw[0] + np.concatenate([[0.0], np.cumsum(np.exp(raw[1:]))])
    m = len(raw)
    jac = np.zeros((m, m))
    jac[:, 0] = 1.0
    for j in range(1, m):  # a handful of cut points
        jac[j:, j] = np.exp(raw[j])
    cov = np.asarray(result.cov_params(), dtype=float)[k:, k:]
    return cut, np.sqrt(np.einsum("ij,jk,ik->i", jac, cov, jac))


def glance(result) -> pd.DataFrame:
    """One row of model-level fit: n, R², adjusted R², pseudo R², AIC, BIC, overall test.

    Parameters
    ----------
    result : statsmodels results
        As for :func:`tidy`.

    Returns
    -------
    DataFrame
        One row: ``n``; ``r_squared`` and ``adj_r_squared`` (OLS, else NaN);
        ``pseudo_r_squared`` (McFadden's 1 - llf/llnull for logistic, ordinal and
        binomial GLM, else NaN); ``log_likelihood``; ``aic`` and ``bic``, counted as
        R's ``AIC()`` and ``BIC()`` count them (see Notes); ``df_model``;
        ``df_resid``; ``statistic`` (OLS: the F test of all slopes, using the
        model's covariance, so robust for HC3; likelihood models: the likelihood-
        ratio chi-square against the null model); ``p_value`` and ``log10_p_value``
        (computed in log space, so never 0; ``method`` then says "p < 1e-300");
        ``method``.

    Notes
    -----
    AIC = -2 log L + 2 k and BIC = -2 log L + log(n) k (Akaike 1974; Schwarz 1978), k
    the estimated parameters. For OLS (and a Gaussian GLM) k counts the coefficients
    *and the error variance*, as R's ``AIC(lm(...))`` and ``BIC(lm(...))`` do;
    statsmodels' own ``aic`` and ``bic`` leave the variance out and so read 2 and
    log(n) lower. Differences between models fitted to the same rows are unchanged
    either way. Logistic models (as R's ``glm``) and ordinal models (as
    ``MASS::polr``) count their coefficients and cut points.

    McFadden's pseudo R² (McFadden 1974) compares the fitted and intercept-only log
    likelihoods; values of 0.2-0.4 already indicate a good fit, so it is not read
    like an OLS R².

    References
    ----------
    Akaike, H. (1974). A new look at the statistical model identification. *IEEE
    Transactions on Automatic Control*, 19(6), 716-723.

    Schwarz, G. (1978). Estimating the dimension of a model. *The Annals of
    Statistics*, 6(2), 461-464.

    McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior.
    In P. Zarembka (Ed.), *Frontiers in Econometrics* (pp. 105-142). Academic Press.

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> rng = np.random.default_rng(4)
    >>> x = rng.normal(size=50)
    >>> fit = sm.OLS(1 + x + rng.normal(size=50), sm.add_constant(x)).fit()
    >>> g = glance(fit)
    >>> bool(0 < g.loc[0, "r_squared"] < 1), int(g.loc[0, "n"])
    (True, 50)
    """
    kind, method, _ = _kind(result)

    def get(name):
        try:
            value = getattr(result, name)
        except (AttributeError, NotImplementedError, ValueError):
            return np.nan
        return float(np.asarray(value).reshape(-1)[0]) if value is not None else np.nan

    row = {"n": int(result.nobs), "r_squared": np.nan, "adj_r_squared": np.nan,
           "pseudo_r_squared": np.nan, "log_likelihood": get("llf"), "df_model": get("df_model"),
           "df_resid": get("df_resid"), "statistic": np.nan, "p_value": np.nan, "method": method}
    row.update(_information_criteria(result, row["log_likelihood"], get))
    log_p = np.nan
    if hasattr(result, "rsquared"):
        row.update(r_squared=get("rsquared"), adj_r_squared=get("rsquared_adj"), statistic=get("fvalue"))
        log_p = f_log_p(row["statistic"], row["df_model"], row["df_resid"])
    elif hasattr(result, "llnull"):
        llnull = get("llnull")
        row["pseudo_r_squared"] = 1 - row["log_likelihood"] / llnull
        row["statistic"] = 2 * (row["log_likelihood"] - llnull)
        log_p = chi2_log_p(row["statistic"], row["df_model"])
    (row["p_value"],), (log10,) = p_columns([log_p])
    row["method"] += noted([""], [log10])[0]
    frame = pd.DataFrame([row])[["n", "r_squared", "adj_r_squared", "pseudo_r_squared", "log_likelihood",
                                 "aic", "bic", "df_model", "df_resid", "statistic", "p_value", "method"]]
    return place_log10(frame, [log10])


def _information_criteria(result, llf: float, get) -> dict:
    """AIC and BIC counted as R's ``AIC()`` and ``BIC()`` count them.

    A linear model (OLS, or a Gaussian GLM) also estimates the error variance, which R
    counts as a parameter and statsmodels does not: one more parameter here. Logistic and
    ordinal models have none, and their counts already agree with R's.
    """
    import statsmodels.api as sm

    aic, bic = get("aic"), get("bic")
    model = result.model
    gaussian = isinstance(model, sm.GLM) and isinstance(model.family, sm.families.Gaussian)
    if isinstance(model, sm.regression.linear_model.RegressionModel) or gaussian:
        k = result.nobs - result.df_resid + 1  # coefficients (rank) and the error variance
        aic, bic = -2 * llf + 2 * k, -2 * llf + np.log(result.nobs) * k
    return {"aic": aic, "bic": bic}
