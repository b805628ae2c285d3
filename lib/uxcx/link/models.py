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
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from uxcx._core.checks import check_level, check_option, require, source_name
from uxcx._core.results import result_frame
from uxcx.errors import ModelError, UxcxWarning
from uxcx.link.model_design import (
    NPS_ORDER,
    check_design,
    column_names,
    complete_rows,
    design_matrix,
    model_outcome,
)
from uxcx.link.ordinal_fit import fit_ordinal

__all__ = ["ModelError", "regress", "vif", "KINDS", "NPS_ORDER"]

KINDS = ("auto", "ols", "logit", "ordinal")
_METHOD = {"ols": "OLS, HC3 errors", "logit": "logistic regression, odds ratio",
           "ordinal": "ordinal logistic (proportional odds), odds ratio"}


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
    spacing is not meaningful (NPS category). statsmodels' ``OrderedModel`` with
    the exact score and Hessian of the cumulative-logit likelihood
    (:mod:`uxcx.link.ordinal_fit`): BFGS, then Newton's method until no parameter
    moves by 1e-11, so coefficients, cut points and standard errors (the inverse of
    the exact observed information) are those of a converged ``MASS::polr`` (whose
    default tolerance stops in the 5th digit).

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
    preds = column_names(predictors, "predictors")
    covs = column_names(covariates, "covariates")
    if not preds:
        raise ModelError("predictors is empty: name at least one column to explain the outcome with")
    if outcome in preds + covs or set(preds) & set(covs):
        raise ModelError(f"a column is used twice: outcome={outcome!r}, predictors={preds}, "
                         f"covariates={covs}")
    require(data, [outcome, *preds, *covs])
    frame = complete_rows(data, outcome, preds + covs, "model")
    if frame.empty:
        raise ModelError(f"no row of {source_name(data)} has all of {[outcome, *preds, *covs]}")
    kind, y = model_outcome(frame[outcome], kind, order, outcome)
    X = design_matrix(frame, preds + covs, dict(reference or {}))
    n_extra = (len(y.cat.categories) - 1) if kind == "ordinal" else 1
    check_design(X, n_extra, "predictors and " + ("cut points" if kind == "ordinal" else "the intercept"))
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
        return fit_ordinal(y, X)
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
    preds = column_names(predictors, "predictors")
    if len(preds) < 2:
        raise ModelError("vif needs at least two predictors: with one there is nothing to be collinear with")
    require(data, preds)
    frame = complete_rows(data, None, preds, "VIF")
    X = design_matrix(frame, preds, dict(reference or {}))
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
