"""Models of a CX outcome on UX measures: one entry point, :func:`regress`, and :func:`vif`.

:func:`regress` picks ordinary least squares with HC3 errors, logistic or ordinal
logistic regression from the outcome (or as told), dummy-codes text predictors
against a stated reference level, checks the data for what would otherwise end
in a linear-algebra error, and returns the statsmodels results object.
:func:`uxcx.link.model_tidy.tidy` maps it onto the result schema.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from uxcx._core.checks import check_level, check_option, require, source_name
from uxcx._core.results import result_frame
from uxcx.errors import ModelError, UxcxWarning

__all__ = ["ModelError", "regress", "vif", "KINDS", "NPS_ORDER"]

KINDS = ("auto", "ols", "logit", "ordinal")
#: NPS categories from lowest to highest, as :func:`uxcx.nps_category` names them.
NPS_ORDER = ("detractor", "passive", "promoter")
_METHOD = {"ols": "OLS, HC3 errors", "logit": "logistic regression, odds ratio",
           "ordinal": "ordinal logistic (proportional odds), odds ratio"}


def _names(value, what: str) -> list[str]:
    if value is None:
        return []
    names = [value] if isinstance(value, str) else list(value)
    if len(set(names)) != len(names):
        raise ModelError(f"{what} names a column twice: {names}")
    return names


def _is_text(values: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(values) or isinstance(values.dtype, pd.CategoricalDtype)


def _outcome(values: pd.Series, kind: str, order, name: str):
    """The kind of model and the outcome coded for it."""
    distinct = pd.unique(values)
    if len(distinct) < 2:
        raise ModelError(f"outcome {name!r} has one value ({distinct[0]!r}) in every row used: there is "
                         f"nothing to explain. Check the filter, or model an outcome that varies.")
    text = _is_text(values) and values.dtype != bool
    ordered = isinstance(values.dtype, pd.CategoricalDtype) and values.dtype.ordered
    nps_like = text and set(map(str, distinct)) <= set(NPS_ORDER)
    if kind == "auto":
        binary = values.dtype == bool or (not text and set(distinct) <= {0, 1})
        if binary:
            kind = "logit"
        elif ordered or nps_like or order is not None:
            kind = "ordinal"
        elif not text:
            kind = "ols"
        else:
            raise ModelError(f"outcome {name!r} is text with levels {sorted(map(str, distinct))[:10]}: pass "
                             f"kind='ordinal' with order=[lowest, ..., highest], or code it 0/1 and pass "
                             f"kind='logit'.")
    if kind == "ols":
        if text:
            raise ModelError(f"kind='ols' needs a numeric outcome; {name!r} is text. Pass kind='ordinal' "
                             f"with order=[...] for ordered categories.")
        return kind, values.astype(float)
    if kind == "logit":
        if values.dtype == bool:
            return kind, values.astype(float)
        if text or not set(distinct) <= {0, 1}:
            raise ModelError(f"kind='logit' needs an outcome coded 0/1 (1 = the event, e.g. promoter); "
                             f"{name!r} has values {sorted(map(str, distinct))[:10]}. Recode it, e.g. "
                             f"(data[{name!r}] >= 9).astype(int) for promoters.")
        return kind, values.astype(float)
    if order is not None:
        levels = list(order)
    elif ordered:
        levels = list(values.dtype.categories)
    elif nps_like:
        levels = list(NPS_ORDER)
    elif not text:
        levels = sorted(distinct)
        if all(float(v).is_integer() for v in levels):
            levels = [int(v) for v in levels]
            values = values.astype("int64")
    else:
        raise ModelError(f"outcome {name!r} holds text without an order; pass order=[lowest, ..., "
                         f"highest] (its levels: {sorted(map(str, distinct))[:10]}).")
    stray = [v for v in distinct if v not in levels]
    if stray:
        raise ModelError(f"outcome {name!r} has values missing from order={levels}: {stray[:10]}")
    coded = pd.Categorical(values, categories=levels, ordered=True).remove_unused_categories()
    return kind, pd.Series(coded, index=values.index, name=name)


def _design(frame: pd.DataFrame, columns: list[str], reference: dict) -> pd.DataFrame:
    """Numeric columns as they are; text columns as dummies ``"col: level vs reference"``."""
    parts = []
    for col in columns:
        values = frame[col]
        if not _is_text(values) or values.dtype == bool:
            parts.append(values.astype(float).rename(col))
            continue
        if isinstance(values.dtype, pd.CategoricalDtype):
            levels = [v for v in values.dtype.categories if (values == v).any()]
        else:
            levels = sorted(pd.unique(values), key=str)
        ref = reference.get(col, levels[0])
        if ref not in levels:
            raise ModelError(f"reference level {ref!r} of {col!r} is not in the data; its levels are "
                             f"{[str(v) for v in levels][:20]}")
        for level in levels:
            if level != ref:
                parts.append((values == level).astype(float).rename(f"{col}: {level} vs {ref}"))
        if len(levels) == 1:
            parts.append(pd.Series(0.0, index=frame.index, name=col))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)


def _check_design(X: pd.DataFrame, n_extra: int, what: str) -> None:
    """A clear error for too few rows, a constant predictor, or perfectly collinear predictors."""
    n, k = X.shape
    if n <= k + n_extra:
        raise ModelError(f"{n} rows for {k + n_extra} terms ({what}): a model needs more rows than terms. "
                         f"Use fewer predictors, merge categories, or collect more data.")
    values = X.to_numpy()
    constant = [c for c, col in zip(X.columns, values.T) if np.ptp(col) == 0]
    if constant:
        raise ModelError(f"predictor(s) {constant} have the same value in every row used, so they cannot "
                         f"explain anything; drop them.")
    basis = [np.ones(n)]
    names: list[str] = ["the intercept"]
    for name, col in zip(X.columns, values.T):
        B = np.column_stack(basis)
        coef, *_ = np.linalg.lstsq(B, col, rcond=None)
        residual = col - B @ coef
        if np.linalg.norm(residual) <= 1e-9 * max(np.linalg.norm(col), 1.0):
            involved = [nm for nm, c in zip(names, coef) if abs(c) > 1e-9] or names
            raise ModelError(f"predictors are perfectly collinear: {name!r} is an exact linear combination "
                             f"of {', '.join(map(repr, involved))}. Drop one of them or combine them into "
                             f"one index.")
        basis.append(col)
        names.append(name)


def _frame(data, outcome, columns, what):
    """The rows with every needed value present (listwise), with a warning naming what was dropped."""
    used = data[[*([outcome] if outcome else []), *columns]]
    keep = used.notna().all(axis=1)
    if not keep.all():
        gaps = used.isna().sum()
        gaps = ", ".join(f"{c} ({k})" for c, k in gaps[gaps > 0].items())
        warnings.warn(f"{int((~keep).sum())} of {len(used)} rows of {source_name(data)} left out of the "
                      f"{what} for missing values in: {gaps}", UxcxWarning, stacklevel=3)
    return used[keep]


def regress(data: pd.DataFrame, *, outcome: str, predictors, kind: str = "auto", covariates=None,
            reference: dict | None = None, order=None, confidence_level: float = 0.95):
    """Regress a CX outcome on UX predictors: OLS (HC3), logistic or ordinal logistic.

    Parameters
    ----------
    data : DataFrame
        One row per person (respondent or participant); never modified.
    outcome : str
        The CX outcome: a rating (likelihood to recommend, CSAT), a 0/1 event
        (promoter or not, churned or not) or ordered categories (NPS category).
    predictors : str or list of str
        The UX measures. Numeric columns enter as they are; text or categorical
        columns are dummy-coded against a reference level.
    kind : {"auto", "ols", "logit", "ordinal"}
        The model. "auto" (default) takes: an outcome coded 0/1 (or True/False) ->
        "logit"; an ordered categorical, the NPS categories, or any outcome given an
        ``order`` -> "ordinal"; any other numeric outcome -> "ols". A 1-5 CSAT or
        0-10 likelihood-to-recommend rating is therefore modelled as continuous (as
        most UX and CX research reports means of ratings; Norman 2010; Sauro & Lewis
        2016); pass ``kind="ordinal"`` for the proportional-odds model instead.
    covariates : str or list of str, optional
        Further columns held constant (segment, device, plan); coded like predictors.
    reference : dict, optional
        Reference level per text column, e.g. ``{"design": "Current"}``; default the
        first category of a categorical column, else the first level in sorted order.
    order : list, optional
        Outcome levels from lowest to highest for the ordinal model (default: the
        categories of an ordered categorical, detractor < passive < promoter for the
        NPS categories, or numeric order).
    confidence_level : float
        Kept on the result for :func:`uxcx.tidy` (it can be overridden there).

    Returns
    -------
    statsmodels results
        ``RegressionResultsWrapper`` (OLS, HC3 covariance, t-based inference),
        ``BinaryResultsWrapper`` (Logit) or ``OrderedResultsWrapper`` (OrderedModel,
        logit link). Terms are named after the columns; a dummy is named
        ``"column: level vs reference"``; the OLS and logit intercept is
        ``"intercept"``. The attribute ``uxcx`` holds a dict with ``kind``,
        ``outcome``, ``predictors``, ``covariates``, ``levels`` (ordinal), ``method``
        and ``confidence_level``.

    Raises
    ------
    ModelError
        The outcome has one value; the outcome does not suit the kind; a predictor is
        constant; predictors are perfectly collinear; there are no more rows than
        terms; a logistic model meets perfect separation. Each message says what to do.

    Warns
    -----
    UxcxWarning
        Rows left out for missing values (listwise deletion); the fit did not converge.

    Notes
    -----
    **OLS**: b = (X'X)^-1 X'y with the HC3 covariance (X'X)^-1 X' diag(e_i^2 /
    (1 - h_ii)^2) X (X'X)^-1 (MacKinnon & White 1985), the heteroscedasticity-
    consistent estimator Long & Ervin (2000) recommend for any n, in particular
    below 250; tests use t with n - k - 1 df (as R's ``lmtest::coeftest(m,
    vcovHC(m, type = "HC3"))``). Ratings are bounded and skewed, so unequal error
    variance is the rule, not the exception. :func:`uxcx.tidy` adds the
    standardised coefficient beta = b sd(x) / sd(y).

    **Logistic**: log(p / (1 - p)) = b0 + b'x by maximum likelihood; exp(b) is the
    odds ratio per unit of x (Hosmer, Lemeshow & Sturdivant 2013).

    **Ordinal logistic** (proportional odds; McCullagh 1980): logit P(Y <= j) =
    theta_j - b'x, so exp(b) multiplies the odds of a *higher* category, the same
    at every cut point. Use it when the outcome is a few ordered categories whose
    spacing is not meaningful (NPS category). statsmodels' ``OrderedModel``,
    matching R's ``MASS::polr``.

    Rows with a missing value in any used column are left out (with a warning).

    References
    ----------
    MacKinnon, J. G., & White, H. (1985). Some heteroskedasticity-consistent
    covariance matrix estimators with improved finite sample properties. *Journal
    of Econometrics*, 29(3), 305-325.

    Long, J. S., & Ervin, L. H. (2000). Using heteroscedasticity consistent standard
    errors in the linear regression model. *The American Statistician*, 54(3), 217-224.

    Hosmer, D. W., Lemeshow, S., & Sturdivant, R. X. (2013). *Applied Logistic
    Regression* (3rd ed.). Wiley.

    McCullagh, P. (1980). Regression models for ordinal data. *Journal of the Royal
    Statistical Society, Series B*, 42(2), 109-142.

    Norman, G. (2010). Likert scales, levels of measurement and the "laws" of
    statistics. *Advances in Health Sciences Education*, 15(5), 625-632.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.).
    Morgan Kaufmann.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"ease": rng.normal(5, 1, 200), "device": rng.choice(["Desktop", "Mobile"], 200)})
    >>> d["ltr"] = 2 + 0.9 * d["ease"] - 0.5 * (d["device"] == "Mobile") + rng.normal(0, 1, 200)
    >>> fit = regress(d, outcome="ltr", predictors="ease", covariates="device")
    >>> fit.uxcx["method"], list(fit.params.index)
    ('OLS, HC3 errors', ['intercept', 'ease', 'device: Mobile vs Desktop'])
    >>> round(float(fit.params["ease"]), 2)
    0.9
    >>> d["promoter"] = (d["ltr"] >= 7).astype(int)
    >>> regress(d, outcome="promoter", predictors="ease").uxcx["kind"]
    'logit'
    """
    check_option("kind", kind, KINDS, error=ModelError)
    level = check_level(confidence_level, error=ModelError)
    preds = _names(predictors, "predictors")
    covs = _names(covariates, "covariates")
    if not preds:
        raise ModelError("predictors is empty: name at least one column to explain the outcome with")
    if outcome in preds + covs or set(preds) & set(covs):
        raise ModelError(f"a column is used twice: outcome={outcome!r}, predictors={preds}, "
                         f"covariates={covs}")
    require(data, [outcome, *preds, *covs])
    frame = _frame(data, outcome, preds + covs, "model")
    if frame.empty:
        raise ModelError(f"no row of {source_name(data)} has all of {[outcome, *preds, *covs]}")
    kind, y = _outcome(frame[outcome], kind, order, outcome)
    X = _design(frame, preds + covs, dict(reference or {}))
    n_extra = (len(y.cat.categories) - 1) if kind == "ordinal" else 1
    _check_design(X, n_extra, "predictors and " + ("cut points" if kind == "ordinal" else "the intercept"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = _fit(kind, y, X)
        except np.linalg.LinAlgError as exc:
            raise ModelError(f"the model could not be fitted ({exc}); check for predictors that are "
                             f"nearly collinear or categories with very few rows") from None
    _raise_or_warn(caught, result, kind)
    result.uxcx = {"kind": kind, "outcome": outcome, "predictors": preds, "covariates": covs,
                   "levels": list(y.cat.categories) if kind == "ordinal" else None,
                   "method": _METHOD[kind], "confidence_level": level}
    return result


def _fit(kind: str, y: pd.Series, X: pd.DataFrame):
    if kind == "ordinal":
        return OrderedModel(y, X, distr="logit").fit(method="bfgs", disp=0, maxiter=2000)
    Xc = pd.concat([pd.Series(1.0, index=X.index, name="intercept"), X], axis=1)
    if kind == "ols":
        return sm.OLS(y, Xc).fit(cov_type="HC3", use_t=True)
    try:
        return sm.Logit(y, Xc).fit(disp=0, maxiter=200)
    except Exception as exc:  # PerfectSeparationError in statsmodels < 0.14
        if "separation" in str(exc).lower():
            raise ModelError(_SEPARATION) from None
        raise


_SEPARATION = ("perfect separation: the predictors divide the outcome exactly (every 1 on one side, every 0 "
               "on the other), so the odds ratio runs to infinity and has no interval. Look for a "
               "predictor or category that only ever occurs with one outcome; drop it, merge sparse "
               "categories, or collect more data.")


def _raise_or_warn(caught, result, kind: str) -> None:
    for w in caught:
        if "separation" in type(w.message).__name__.lower() or "separation" in str(w.message).lower():
            raise ModelError(_SEPARATION)
    converged = getattr(result, "mle_retvals", {}).get("converged", True) if kind != "ols" else True
    if not converged or any(issubclass(w.category, ConvergenceWarning) for w in caught):
        warnings.warn("the model did not converge; estimates may be unreliable (often a sign of near-"
                      "separation or a category with very few rows)", UxcxWarning, stacklevel=3)


def vif(data: pd.DataFrame, *, predictors, reference: dict | None = None) -> pd.DataFrame:
    """Variance inflation factors: how much collinearity inflates each coefficient's variance.

    Parameters
    ----------
    data : DataFrame
        One row per person; never modified. Rows with a missing predictor are left out.
    predictors : list of str
        The predictors of the planned model (text columns are dummy-coded as in
        :func:`regress`, one row per dummy).
    reference : dict, optional
        Reference level per text column, as in :func:`regress`.

    Returns
    -------
    DataFrame
        The result schema, one row per term: ``term``, ``n`` (rows used),
        ``estimate`` (the VIF), ``method`` ("variance inflation factor"), the other
        schema columns NaN; then ``flag``: "ok" (VIF <= 5), "moderate (above 5)",
        "serious (above 10)", or "perfect (exact linear combination)" (VIF infinite).

    Notes
    -----
    VIF_j = 1 / (1 - R^2_j), R^2_j from regressing predictor j on all the others
    with an intercept (statsmodels ``variance_inflation_factor`` on the design with
    a constant). sqrt(VIF_j) is how many times wider predictor j's standard error is
    than with uncorrelated predictors. Values above 5 (James et al. 2013) or 10
    (the common rule O'Brien 2007 discusses) flag collinearity worth a look; O'Brien
    warns that these are not thresholds for dropping a predictor: a large sample
    can carry a large VIF. Use it on the drivers of a model before reading single
    coefficients; key-driver importances (Shapley/LMG) share the variance fairly
    instead. A dummy's VIF depends on the reference level; the generalised VIF of
    Fox & Monette (1992) is not computed.

    References
    ----------
    James, G., Witten, D., Hastie, T., & Tibshirani, R. (2013). *An Introduction to
    Statistical Learning*, section 3.3.3. Springer.

    O'Brien, R. M. (2007). A caution regarding rules of thumb for variance inflation
    factors. *Quality & Quantity*, 41(5), 673-690.

    Fox, J., & Monette, G. (1992). Generalized collinearity diagnostics. *Journal of
    the American Statistical Association*, 87(417), 178-183.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> a = rng.normal(size=100)
    >>> d = pd.DataFrame({"a": a, "b": a + rng.normal(0, 0.3, 100), "c": rng.normal(size=100)})
    >>> vif(d, predictors=["a", "b", "c"])[["term", "flag"]].to_dict("list")
    {'term': ['a', 'b', 'c'], 'flag': ['serious (above 10)', 'serious (above 10)', 'ok']}
    """
    preds = _names(predictors, "predictors")
    if len(preds) < 2:
        raise ModelError("vif needs at least two predictors: with one there is nothing to be collinear with")
    require(data, preds)
    frame = _frame(data, None, preds, "VIF")
    X = _design(frame, preds, dict(reference or {}))
    if len(X) <= X.shape[1] + 1:
        raise ModelError(f"{len(X)} rows for {X.shape[1]} predictors: VIF needs more rows than terms")
    constant = [c for c in X.columns if np.ptp(X[c].to_numpy()) == 0]
    if constant:
        raise ModelError(f"predictor(s) {constant} have the same value in every row; drop them")
    exog = np.column_stack([np.ones(len(X)), X.to_numpy()])
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "poorly conditioned": the flag says so
        values = np.array([variance_inflation_factor(exog, j + 1) for j in range(X.shape[1])])
    values = np.where(np.isfinite(values) & (values < 1e12), values, np.inf)
    out = result_frame({"term": list(X.columns), "n": len(X), "estimate": values,
                        "method": "variance inflation factor"})
    flags = ["perfect (exact linear combination)", "serious (above 10)", "moderate (above 5)"]
    out["flag"] = np.select([np.isinf(values), values > 10, values > 5], flags, "ok")
    return out
