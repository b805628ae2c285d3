"""Fitted models onto the result schema: :func:`tidy` (one row per term), :func:`glance`
(one row per model) and :func:`effect_sentences` (one plain sentence per effect).

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
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError

__all__ = ["tidy", "glance", "effect_sentences"]

_INTERCEPTS = {"intercept", "const", "Intercept", "(Intercept)"}


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
    dist = stats.t(df) if use_t else stats.norm
    p = 2 * dist.sf(np.abs(statistic))
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
        p[k:] = 2 * stats.norm.sf(np.abs(statistic[k:]))
        low[k:], high[k:] = cut - crit * cut_se, cut + crit * cut_se
        methods[k:] = "ordinal logistic, threshold (log-odds)" if ratio else "ordinal regression, threshold"
    out = result_frame({"term": names, "n": int(result.nobs), "estimate": estimate, "std_error": se,
                        "ci_low": low, "ci_high": high, "confidence_level": level, "method": methods,
                        "statistic": statistic, "df": df, "p_value": p, "alternative": "two-sided",
                        "effect_size": beta,
                        "effect_size_type": np.where(np.isnan(beta), None, "standardised beta")})
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
        binomial GLM, else NaN); ``log_likelihood``; ``aic``; ``bic``; ``df_model``;
        ``df_resid``; ``statistic`` (OLS: the F test of all slopes, using the
        model's covariance, so robust for HC3; likelihood models: the likelihood-
        ratio chi-square against the null model); ``p_value``; ``method``.

    Notes
    -----
    McFadden's pseudo R² (McFadden 1974) compares the fitted and intercept-only log
    likelihoods; values of 0.2-0.4 already indicate a good fit, so it is not read
    like an OLS R².

    References
    ----------
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
           "pseudo_r_squared": np.nan, "log_likelihood": get("llf"), "aic": get("aic"), "bic": get("bic"),
           "df_model": get("df_model"), "df_resid": get("df_resid"), "statistic": np.nan,
           "p_value": np.nan, "method": method}
    if hasattr(result, "rsquared"):
        row.update(r_squared=get("rsquared"), adj_r_squared=get("rsquared_adj"),
                   statistic=get("fvalue"), p_value=get("f_pvalue"))
    elif hasattr(result, "llnull"):
        llnull = get("llnull")
        row["pseudo_r_squared"] = 1 - row["log_likelihood"] / llnull
        lr = 2 * (row["log_likelihood"] - llnull)
        row.update(statistic=lr, p_value=float(stats.chi2.sf(lr, row["df_model"])))
    return pd.DataFrame([row])


def _decimals(width: float, minimum: int) -> int:
    """Decimals whose rounding step is at most a quarter of the interval's width (0-4)."""
    if not np.isfinite(width) or width <= 0:
        return max(minimum, 2)
    return int(min(4, max(minimum, np.ceil(-np.log10(width / 4)))))


def _num(x: float, d: int) -> str:
    if d < 0:  # significant figures, for ratios far below 1
        return f"{x:.2g}"
    return f"{x:.{d}f}".replace("-", "\u2212")


def _digits(values, d: int, null: float) -> int:
    """More decimals while a bound that excludes the null would print as the null."""
    low, high = values
    while d < 4 and (low > null or high < null) and null in (round(low, d), round(high, d)):
        d += 1
    return d


def _lookup(value, term, default):
    return value.get(term, default) if isinstance(value, dict) else (default if value is None else value)


def effect_sentences(tidy_frame: pd.DataFrame, *, outcome_label: str, per=None, labels=None,
                     unit="point", outcome_unit: str = "points") -> list[str]:
    """A plain sentence per effect of a :func:`tidy` frame, with its interval.

    Parameters
    ----------
    tidy_frame : DataFrame
        From :func:`tidy` (intercepts and ordinal cut points are skipped).
    outcome_label : str
        What the outcome is called in words: "likelihood to recommend" (linear),
        "being a promoter" (logistic: "the odds of being a promoter"), "NPS
        category" (ordinal: "the odds of a higher NPS category").
    per : float or dict, optional
        The step of a numeric predictor the sentence speaks of (default 1), e.g.
        ``per=10`` for "each 10-point rise in SUS", or ``{"sus": 10}`` per term.
    labels : dict, optional
        Words for terms, e.g. ``{"sus": "SUS"}``; default the term itself.
    unit : str or dict
        The unit of a predictor step ("point"; per term as a dict).
    outcome_unit : str
        The unit of a linear outcome ("points").

    Returns
    -------
    list of str
        One sentence per term. A linear effect: "Each 10-point rise in SUS goes with
        0.9 more points of likelihood to recommend (95% CI 0.6 to 1.2)." A ratio:
        "... goes with 1.8 times the odds of being a promoter (95% CI 1.4 to 2.3)."
        A dummy "device: Mobile vs Desktop" reads "Mobile rather than Desktop
        (device) goes with ...". When the interval includes no effect (0, or a ratio
        of 1) the sentence says so.

    Notes
    -----
    A step of ``per`` multiplies a linear coefficient and its interval by ``per``
    and raises a ratio and its interval to the power ``per`` (exp(per b)). Numbers
    are rounded so that the rounding step is at most a quarter of the interval's
    width (at least one decimal for ratios; two significant figures for ratios
    below 0.1), with a decimal more where a bound would otherwise
    print as the null. The sentences describe association, not cause.

    Examples
    --------
    >>> t = pd.DataFrame({"term": ["sus"], "estimate": [0.09], "ci_low": [0.06], "ci_high": [0.12],
    ...                   "confidence_level": [0.95], "method": ["OLS, HC3 errors"]})
    >>> effect_sentences(t, outcome_label="likelihood to recommend", per=10, labels={"sus": "SUS"})
    ['Each 10-point rise in SUS goes with 0.9 more points of likelihood to recommend (95% CI 0.6 to 1.2).']
    """
    missing = [c for c in ("term", "estimate", "ci_low", "ci_high", "method") if c not in tidy_frame]
    if missing:
        raise UxcxError(f"effect_sentences needs a frame from uxcx.tidy(); this one lacks {missing}")
    out = []
    for _, row in tidy_frame.iterrows():  # one row per model term: a handful
        term, method = str(row["term"]), str(row["method"])
        if term in _INTERCEPTS or "threshold" in method:
            continue
        level = row["confidence_level"] if "confidence_level" in row and pd.notna(
            row["confidence_level"]) else 0.95
        ratio = method.split(", ")[-1].replace(" ratio", "") if method.endswith(" ratio") else None
        if ": " in term and " vs " in term:
            variable, rest = term.split(": ", 1)
            level_name, reference = rest.rsplit(" vs ", 1)
            named = _lookup(labels, variable, variable) if isinstance(labels, dict) else variable
            step, lead = 1.0, f"{level_name} rather than {reference} ({named})"
        else:
            step = float(_lookup(per, term, 1))
            if not step > 0:
                raise UxcxError(f"per must be a positive step; got {step!r} for {term!r}")
            name = _lookup(labels, term, term) if isinstance(labels, dict) else term
            lead = f"Each {step:g}-{_lookup(unit, term, 'point')} rise in {name}"
        est, low, high = (float(row[c]) for c in ("estimate", "ci_low", "ci_high"))
        ci_text = f"{level:.0%} CI"
        if ratio is None:
            est, low, high = est * step, low * step, high * step
            d = _digits((low, high), _decimals(high - low, 0), 0.0)
            more = "more" if est >= 0 else "fewer"
            body = f"{_num(abs(est), d)} {more} {outcome_unit} of {outcome_label}"
            null = low <= 0 <= high
        else:
            est, low, high = est ** step, low ** step, high ** step
            d = _digits((low, high), _decimals(high - low, 1), 1.0) if min(est, low) >= 0.1 else -1
            what = f"a higher {outcome_label}" if "ordinal" in method else outcome_label
            body = f"{_num(est, d)} times the {ratio} of {what}"
            null = low <= 1 <= high
        interval = f"{_num(low, d)} to {_num(high, d)}"
        lead = lead[0].upper() + lead[1:]
        if null:
            out.append(f"{lead} goes with {body}, but the {ci_text}, {interval}, includes no effect.")
        else:
            out.append(f"{lead} goes with {body} ({ci_text} {interval}).")
    return out

