"""Cox proportional hazards for churn: hazard ratios, the model's fit, the proportional-hazards check.

:func:`cox` fits the model with the kit's own Newton-Raphson on time-sorted cumulative
sums (:mod:`uxcx.retention.cox_fit`: R's ``coxph`` algorithm, Efron or Breslow ties,
strata), falling back to lifelines only if that does not converge;
:func:`cox_fit_summary` gives the model's fit as ``summary(coxph)`` prints it
(:mod:`uxcx.retention.cox_summary`); :func:`ph_check` is R's ``cox.zph`` (survival >= 3.0:
a score test for adding ``x * g(t)`` terms, with the full information matrix), computed
from the fit's final sums. The design-matrix helper is shared with
:mod:`uxcx.retention.churn`, which also holds the sentences (``hazard_sentences``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.checks import by_columns, check_level, check_option, numeric, require, source_name
from uxcx._core.pvalues import chi2_log_p, norm_log_p, with_p_values
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError, UxcxWarning
from uxcx.retention import cox_fit
from uxcx.retention.cox_summary import cox_fit_summary, model_fit_records
from uxcx.retention.curves import survival_columns

__all__ = ["cox", "ph_check", "cox_fit_summary"]

COX_METHOD = "Cox proportional hazards, Efron ties"
TIES = ("efron", "breslow")
ZPH_METHOD = "Scaled Schoenfeld residuals score test, km transform (Grambsch & Therneau 1994; R cox.zph)"
EXTRA = ["coef", "events", "covariate", "level", "reference"]
# The fallback: lifelines' Newton-Raphson stops at |step| < 1e-7 by default, short of R's optimum.
FIT_OPTIONS = {"precision": 1e-12, "r_precision": 1e-14, "max_steps": 500}


def design(data: pd.DataFrame, covariates, reference=None, *, extra=()):
    """Rows kept, the float design matrix and one record per column (covariate, level, reference).

    Text, category and boolean-looking text columns are dummy-coded against the
    reference level (``reference[covariate]`` or else the first level: the category
    order of a pandas Categorical, otherwise sorted order, as R's factor). Rows with a
    missing value in a covariate or in ``extra`` are dropped; the caller reports how many.
    """
    covariates = by_columns(covariates)
    if not covariates:
        raise UxcxError("covariates must name at least one column")
    reference = dict(reference or {})
    require(data, [*covariates, *extra, *reference])
    keep = data[[*covariates, *extra]].notna().all(axis=1).to_numpy()
    frame = data if keep.all() else data.loc[keep]  # no copy of a large table with nothing missing
    columns, records = {}, []
    for cov in covariates:
        raw = frame[cov]
        categorical = raw.dtype == object or isinstance(raw.dtype, (pd.CategoricalDtype, pd.StringDtype))
        if not categorical:
            values = numeric(frame, cov, expected="a number (or text for a categorical covariate)")
            if len(values) and values.min() == values.max():  # min/max: no hashing of every value
                _constant(frame, cov, values)
            columns[cov] = values.to_numpy()
            records.append({"covariate": cov, "level": np.nan, "reference": np.nan, "term": cov})
            continue
        codes, uniques = pd.factorize(raw)  # one hashing pass; the dummies compare integer codes
        levels = (list(raw.cat.categories[raw.cat.categories.isin(uniques)])
                  if isinstance(raw.dtype, pd.CategoricalDtype) else sorted(uniques, key=str))
        code_of = {level: i for i, level in enumerate(uniques)}
        if len(levels) < 2:
            _constant(frame, cov, raw)
        ref = reference.get(cov, levels[0])
        if ref not in levels:
            raise UxcxError(f"reference level {ref!r} of {cov!r} is not in the data; its levels are "
                            f"{[str(v) for v in levels]}")
        for level in (v for v in levels if v != ref):
            term = f"{cov}[{level}]"
            columns[term] = (codes == code_of[level]).astype(float)
            records.append({"covariate": cov, "level": level, "reference": ref, "term": term})
    return keep, pd.DataFrame(columns, index=frame.index), records


def _constant(frame, cov, values) -> None:
    shown = values.dropna().iloc[0] if values.notna().any() else None
    raise UxcxError(f"covariate {cov!r} has the same value ({shown!r}) for every customer in "
                    f"{source_name(frame)}, so it cannot have an effect; drop it from covariates")


def _prepare(data, duration, event, covariates, strata, reference):
    strata_cols = by_columns(strata)
    require(data, [duration, event, *strata_cols])
    keep, X, records = design(data, covariates, reference, extra=[duration, event, *strata_cols])
    dropped = int((~keep).sum())
    if dropped:
        warnings.warn(f"{dropped} row(s) with a missing duration, event, covariate or stratum were left "
                      f"out of the Cox model ({int(keep.sum())} used)", UxcxWarning, stacklevel=3)
    frame = data.loc[keep]
    time, status = survival_columns(frame, duration, event)
    if status.sum() == 0:
        raise UxcxError(f"no customer in {source_name(data)} has an event (every one is censored), so "
                        "no hazard ratio can be estimated; check the event column and its coding")
    codes = (frame.groupby(strata_cols, sort=True, dropna=False, observed=True).ngroup().to_numpy()
             if strata_cols else np.zeros(len(frame), dtype=np.int64))
    for rec, col in zip(records, X.columns):
        if rec["level"] == rec["level"]:  # a dummy column: a level without events has an infinite HR
            if status[X[col].to_numpy() == 1].sum() == 0:
                warnings.warn(f"{rec['covariate']} = {rec['level']!r} has no events, so its hazard ratio "
                              "against the reference is 0 (log hazard ratio -infinity); the estimate and "
                              "interval reported are not usable. Merge the level with another or drop it",
                              UxcxWarning, stacklevel=3)
    return X, time, status, codes, records, dropped


def _lifelines(X, time, status, codes):
    """Coefficients from lifelines' CoxPHFitter (Efron), for the rare fit the Newton steps do not finish."""
    from lifelines import CoxPHFitter  # imported here: lifelines is slow to import

    frame = pd.DataFrame(X.to_numpy(), columns=[f"x{i}" for i in range(X.shape[1])])
    frame["_t"], frame["_e"] = time, status
    kwargs = {}
    if codes.max() > 0:
        frame["_s"] = codes
        kwargs["strata"] = ["_s"]
    batch = True if np.unique(time).size < 0.5 * len(time) else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitter = CoxPHFitter().fit(frame, "_t", "_e", batch_mode=batch, fit_options=FIT_OPTIONS, **kwargs)
    for w in caught:
        if "lifelines" in type(w.message).__module__:
            warnings.warn(f"lifelines: {w.message}", UxcxWarning, stacklevel=4)
    return fitter.params_.to_numpy()


def _fit(X, time, status, codes, ties):
    """The Newton fit (R's coxph); lifelines' coefficients if it has not converged in R's 20 steps."""
    x = X.to_numpy(dtype=float)
    fit = cox_fit.fit_cox(x, time, status, codes, ties=ties, names=X.columns)
    method = f"Cox proportional hazards, {ties.capitalize()} ties"
    if fit.converged:
        return fit, method
    if ties == "efron":
        fit = cox_fit.fit_cox(x, time, status, codes, ties=ties, names=X.columns,
                              at=_lifelines(X, time, status, codes))
        return fit, method + (f" (fitted by lifelines: Newton-Raphson had not converged in "
                              f"{cox_fit.MAX_ITER} steps)")
    warnings.warn(f"The Cox fit did not converge in {cox_fit.MAX_ITER} Newton steps (R's coxph warns too); "
                  "the estimates are those of the last step. A coefficient may be infinite (a level with no "
                  "churn, or a covariate that separates churners perfectly)", UxcxWarning, stacklevel=3)
    return fit, method + f"; not converged in {cox_fit.MAX_ITER} steps"


def cox(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", covariates,
        ties: str = "efron", strata=None, reference=None, check_ph: bool = True, alpha: float = 0.05,
        confidence_level: float = 0.95) -> pd.DataFrame:
    """Cox proportional-hazards model of churn: one hazard-ratio row per term.

    Parameters
    ----------
    data : DataFrame
        One row per customer, with a duration and an event flag (see
        ``uxcx.survival_data``). Not modified.
    duration : str
        Column of time from start to churn or to the end of observation (>= 0;
        customers censored at 0 are kept, as R does, and change nothing).
    event : str
        Column: 1 = churned, 0 = still a customer (censored).
    covariates : str or list of str
        Columns of UX measures and controls. Numbers enter as they are; text or
        category columns are dummy-coded against a reference level.
    ties : {"efron", "breslow"}
        Handling of tied churn times: Efron's approximation (default, as R's ``coxph``)
        or Breslow's (R's ``ties = "breslow"``, SAS's and Stata's default).
    strata : str or list of str, optional
        Columns whose levels get their own baseline hazard (for a covariate that
        breaks proportional hazards).
    reference : dict, optional
        Reference level per categorical covariate, e.g. ``{"plan": "Basic"}``.
        Default: the first level (category order of a pandas Categorical, else
        sorted order, as R's ``factor``).
    check_ph : bool
        Run :func:`ph_check` and warn (:class:`uxcx.errors.UxcxWarning`) naming each
        term whose proportional-hazards test has p < ``alpha``.
    alpha : float
        Significance level of that check.
    confidence_level : float
        Level of the Wald intervals.

    Returns
    -------
    DataFrame
        The result schema, one row per term: ``term`` ("plan[Pro]" for a level,
        the column name for a number), ``n`` (customers used), ``estimate`` the
        hazard ratio exp(b), ``std_error`` the standard error of b (log scale),
        ``ci_low``/``ci_high`` exp(b -/+ z se), ``confidence_level``, ``method``,
        ``statistic`` the Wald z = b/se, ``p_value`` two-sided, ``log10_p_value``
        (its log10, from the normal tail in log space: finite however small p is;
        ``p_value`` is then the smallest positive double and ``method`` says so),
        ``alternative``; ``df``, ``p_adjusted``, ``p_adjust_method``, ``effect_size``,
        ``effect_size_type`` NaN. Extra columns after the schema: ``coef`` (b, the
        log hazard ratio), ``events`` (churns used), ``covariate``, ``level`` and
        ``reference`` (NaN for a numeric covariate). ``attrs["dropped"]`` counts
        rows left out for a missing value (with a warning); ``attrs["model_fit"]``
        holds the model's fit, read as a frame with :func:`cox_fit_summary`
        (log-likelihoods, likelihood-ratio, Wald and score tests, concordance).

    Notes
    -----
    The hazard of customer i is ``h0(t) exp(x_i' b)``; b maximises Cox's partial
    likelihood with Efron's (1977) or Breslow's (1974) handling of tied times, by
    R's own Newton-Raphson (:func:`uxcx.retention.cox_fit.fit_cox`: start at 0,
    step-halving, stop when the log-likelihood changes by less than 1e-9 relatively,
    20 steps at most), so estimates, standard errors and log-likelihoods are R's
    (pinned in the tests to 1e-6 and better). One sort, then per step cumulative sums
    over the time-sorted customers: about 50x faster than lifelines when durations are
    all distinct (``benchmarks/bench_cox.py``). If the steps do not converge, an Efron
    model is refitted by lifelines' ``CoxPHFitter`` and ``method`` says so. Use a
    Cox model when you want the effect of UX measures on churn *speed* with
    controls, without assuming a shape for the baseline hazard; check proportional
    hazards (:func:`ph_check`) before reading one hazard ratio for all times.

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. *Journal of the Royal
    Statistical Society B*, 34(2), 187-220.
    Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
    *Journal of the American Statistical Association*, 72(359), 557-565.
    Breslow, N. (1974). Covariance analysis of censored survival data. *Biometrics*,
    30(1), 89-99.
    Therneau, T. M. (2024). *A Package for Survival Analysis in R* (survival package:
    ``coxph``, ``coxfit6.c``).

    Examples
    --------
    >>> aml = pd.DataFrame({"duration": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...                                  5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    ...                     "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0,
    ...                               1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    ...                     "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
    >>> r = cox(aml, covariates="x")
    >>> r[["term", "coef", "std_error", "estimate"]].round(4)
                   term    coef  std_error  estimate
    0  x[Nonmaintained]  0.9155     0.5119    2.4981
    """
    check_option("ties", ties, TIES)
    level = check_level(confidence_level)
    X, time, status, codes, records, dropped = _prepare(data, duration, event, covariates, strata, reference)
    fit, method = _fit(X, time, status, codes, ties)
    coef = fit.coef
    se = np.sqrt(np.diag(fit.var))
    z = float(special.ndtri(0.5 + level / 2))
    with np.errstate(over="ignore"):  # a level without events: inf, already warned about
        hr, low, high = np.exp(coef), np.exp(coef - z * se), np.exp(coef + z * se)
    rows = pd.DataFrame({"term": [r["term"] for r in records], "n": len(time), "estimate": hr,
                         "std_error": se, "ci_low": low, "ci_high": high,
                         "confidence_level": level, "method": method, "statistic": coef / se,
                         "alternative": "two-sided"})
    out = with_p_values(result_frame(rows), [norm_log_p(v) for v in coef / se])
    out["coef"], out["events"] = coef, int(status.sum())
    for key in ("covariate", "level", "reference"):
        out[key] = [r[key] for r in records]
    out.attrs["dropped"] = dropped
    out.attrs["model_fit"] = model_fit_records(fit, time, status, codes, level)
    if check_ph:
        _warn_ph(_zph_table(fit, records, len(time)), alpha)
    return out


def ph_check(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", covariates,
             ties: str = "efron", strata=None, reference=None, alpha: float = 0.05,
             warn: bool = True) -> pd.DataFrame:
    """Proportional-hazards test per covariate and globally, as R's ``cox.zph``.

    Parameters
    ----------
    data, duration, event, covariates, ties, strata, reference
        As :func:`cox`; the model is fitted the same way.
    alpha : float
        A term with p < alpha fails the check.
    warn : bool
        Warn (:class:`uxcx.errors.UxcxWarning`) naming each failing term and what to do.

    Returns
    -------
    DataFrame
        The result schema, one row per covariate (a categorical covariate's levels
        are tested together, as R's ``terms=TRUE``) and a last row ``GLOBAL``:
        ``term``, ``n``, ``statistic`` (chi-square), ``df``, ``p_value``,
        ``log10_p_value`` (its log10, finite however small p is), ``method``; the other
        schema columns NaN.

    Notes
    -----
    With g(t) = 1 - KM(t-) (the Kaplan-Meier of all customers, centred on its mean
    over events), the test is the score test of gamma = 0 in the model with hazard
    ``h0(t) exp(x'b + g(t) x'gamma)`` at (b_hat, 0): statistic ``u' I^-1 u`` where u is
    the sum over events of g(t) times the Schoenfeld residuals and I the 2p x 2p
    information (with the fit's ties) of (b, gamma); per term only its gammas are free.
    Both come from the per-time sums the Newton fit ends with (every block is a
    g-weighted sum of the same risk-set moments), so the check costs no pass over the
    customers. This is
    R's survival >= 3.0 computation (Therneau & Grambsch 2000, sec. 6.2); lifelines'
    ``proportional_hazard_test`` uses the older approximation and gives different
    numbers. A small p means the hazard ratio drifts over time: stratify by that
    covariate (``strata=``) or model its effect as changing with time.

    References
    ----------
    Grambsch, P. M., & Therneau, T. M. (1994). Proportional hazards tests and
    diagnostics based on weighted residuals. *Biometrika*, 81(3), 515-526.
    Therneau, T. M., & Grambsch, P. M. (2000). *Modeling Survival Data: Extending the
    Cox Model*. Springer.

    Examples
    --------
    >>> aml = pd.DataFrame({"duration": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...                                  5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    ...                     "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0,
    ...                               1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    ...                     "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
    >>> ph_check(aml, covariates="x")[["term", "statistic", "df", "p_value"]].round(5)
         term  statistic  df  p_value
    0       x    0.00788   1  0.92929
    1  GLOBAL    0.00788   1  0.92929
    """
    check_option("ties", ties, TIES)
    X, time, status, codes, records, _ = _prepare(data, duration, event, covariates, strata, reference)
    fit, _ = _fit(X, time, status, codes, ties)
    table = _zph_table(fit, records, len(time))
    if warn:
        _warn_ph(table, alpha)
    return table


def _warn_ph(table: pd.DataFrame, alpha: float) -> None:
    bad = table[(table["term"] != "GLOBAL") & (table["p_value"] < alpha)]
    for term, p in zip(bad["term"], bad["p_value"]):
        warnings.warn(f"The proportional-hazards check fails for {term!r} (p = {p:.2g}): its hazard ratio "
                      f"changes over time, so one hazard ratio misdescribes it. Stratify by it "
                      f"(strata={term!r}) or add its interaction with time", UxcxWarning, stacklevel=3)


def _zph_table(fit, records, n: int) -> pd.DataFrame:
    """R's cox.zph table from the fit's final sums: score of the gamma block and 2p x 2p information."""
    sums = fit.sums
    g = _km_transform(fit)
    u = sums.score(g)
    cross = sums.information(g)
    imat = np.block([[sums.information(), cross], [cross, sums.information(g * g)]])
    p = u.size
    terms = list(dict.fromkeys(r["covariate"] for r in records))
    rows, log_p = [], []
    for term in [*terms, "GLOBAL"]:
        jj = [j for j, r in enumerate(records) if term in ("GLOBAL", r["covariate"])]
        kk = [*range(p), *(j + p for j in jj)]
        uu = np.concatenate([np.zeros(p), u[jj]])
        chisq = float(uu @ np.linalg.solve(imat[np.ix_(kk, kk)], uu))
        rows.append({"term": term, "n": n, "statistic": chisq, "df": len(jj), "method": ZPH_METHOD})
        log_p.append(chi2_log_p(chisq, len(jj)))
    return with_p_values(result_frame(rows), log_p)


def _km_transform(fit) -> np.ndarray:
    """g(t) = 1 - KM(t-) of all customers (strata ignored, as R) at each death group, centred on
    its mean over deaths (R's ``cox.zph(transform = "km")``)."""
    times, inverse = np.unique(fit.group_time, return_inverse=True)  # the groups' times: few, or sorted
    size = np.bincount(inverse, weights=fit.group_size, minlength=times.size)
    deaths = np.bincount(inverse, weights=fit.group_deaths, minlength=times.size)
    at_risk = size[::-1].cumsum()[::-1]
    km_before = np.r_[1.0, np.cumprod(1 - deaths / at_risk)[:-1]]
    g = 1 - km_before[np.searchsorted(times, fit.sums.time)]
    return g - (g @ fit.sums.deaths) / fit.sums.deaths.sum()
