"""Churn by a horizon as a yes/no outcome (logistic regression), and sentences for effects.

:func:`churn_by_horizon` is for researchers who prefer "who had left within 12
months" to hazards; :func:`hazard_sentences` words the rows of
:func:`uxcx.cox` and of :func:`churn_by_horizon` in plain language.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.checks import check_level, require, source_name
from uxcx._core.pvalues import norm_log_p, with_p_values
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError, UxcxWarning
from uxcx.retention.curves import survival_columns
from uxcx.retention.proportional_hazards import COX_METHOD, design  # noqa: F401 (doctest)

__all__ = ["churn_by_horizon", "hazard_sentences"]


def churn_by_horizon(data: pd.DataFrame, *, duration: str = "duration", event: str = "event", horizon: float,
                     predictors, reference=None, confidence_level: float = 0.95) -> pd.DataFrame:
    """Odds ratios of having churned by a horizon, from a logistic regression.

    Parameters
    ----------
    data : DataFrame
        One row per customer with a duration and an event flag. Not modified.
    duration, event : str
        Columns of time observed (>= 0) and churn (1) or censoring (0).
    horizon : float
        The time, in the duration's unit, by which churn is counted (e.g. 12 months).
    predictors : str or list of str
        UX measures and controls; text columns are dummy-coded against a reference
        level as in :func:`uxcx.cox`.
    reference : dict, optional
        Reference level per categorical predictor (default: the first level).
    confidence_level : float
        Level of the Wald intervals.

    Returns
    -------
    DataFrame
        The result schema, one row per term (no intercept row): ``term``, ``n``
        (customers in the model), ``estimate`` the odds ratio exp(b), ``std_error``
        of b, ``ci_low``/``ci_high`` exp(b -/+ z se), ``confidence_level``,
        ``method``, ``statistic`` (Wald z), ``p_value`` (two-sided), ``log10_p_value``
        (its log10, computed in log space), ``alternative``;
        the other schema columns NaN. Extra columns: ``coef`` (b, log odds ratio),
        ``events`` (customers churned by the horizon), ``excluded`` (customers
        censored before the horizon, left out), ``horizon``, ``covariate``,
        ``level``, ``reference``. ``attrs["excluded"]`` holds the same count.

    Notes
    -----
    The outcome is 1 when the customer churned at or before the horizon
    (event = 1 and duration <= horizon) and 0 when still a customer at the horizon
    (duration >= horizon). A customer censored *before* the horizon has an unknown
    outcome and is left out, with a warning giving the count: that is unbiased only
    if censoring is unrelated to churn risk, and wastes information, which is why
    :func:`uxcx.cox` is usually the better tool. Fitted with
    statsmodels' ``Logit``: ``logit P(churned) = a + x'b``.

    References
    ----------
    Hosmer, D. W., Lemeshow, S., & Sturdivant, R. X. (2013). *Applied Logistic
    Regression* (3rd ed.). Wiley.

    Examples
    --------
    >>> d = pd.DataFrame({"duration": [2, 5, 14, 14, 3, 14, 8, 14, 1, 14, 6, 14],
    ...                   "event": [1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0],
    ...                   "plan": ["Basic", "Basic", "Basic", "Pro", "Basic", "Pro",
    ...                            "Pro", "Pro", "Basic", "Basic", "Pro", "Pro"]})
    >>> r = churn_by_horizon(d, horizon=12, predictors="plan")
    >>> r[["term", "n", "events", "excluded"]]
            term   n  events  excluded
    0  plan[Pro]  11       5         1
    """
    import statsmodels.api as sm

    level = check_level(confidence_level)
    require(data, [duration, event])
    keep, X, records = design(data, predictors, reference, extra=[duration, event])
    frame = data.loc[keep]
    time, status = survival_columns(frame, duration, event)
    churned = (status == 1) & (time <= horizon)
    known = churned | (time >= horizon)
    excluded = int((~known).sum())
    if excluded:
        warnings.warn(f"{excluded} customer(s) censored before {horizon:g} were left out of the churn-by-"
                      f"{horizon:g} model (whether they churned by then is unknown)", UxcxWarning,
                      stacklevel=2)
    if (~keep).any():
        warnings.warn(f"{int((~keep).sum())} row(s) with a missing value were left out", UxcxWarning,
                      stacklevel=2)
    y, x = churned[known].astype(float), X.to_numpy()[known]
    if y.sum() in (0, len(y)):
        raise UxcxError(f"in {source_name(data)} {'no' if y.sum() == 0 else 'every'} customer churned by "
                        f"{horizon:g}, so there is nothing to model; choose another horizon")
    if np.any(np.ptp(x, axis=0) == 0):
        bad = [r["term"] for r, c in zip(records, np.ptp(x, axis=0) == 0) if c]
        raise UxcxError(f"{bad} take a single value among the customers observed to {horizon:g}; drop them")
    separated = False
    for rec, col in zip(records, x.T):
        if rec["level"] == rec["level"] and y[col == 1].sum() in (0, (col == 1).sum()):
            separated = True
            share = "none" if y[col == 1].sum() == 0 else "all"
            warnings.warn(f"{rec['covariate']} = {rec['level']!r}: {share} of its customers churned by "
                          f"{horizon:g}, so its odds ratio is infinite or 0 and the estimate reported is "
                          "not usable; merge the level or drop it", UxcxWarning, stacklevel=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = sm.Logit(y, sm.add_constant(x, has_constant="add")).fit(disp=0, method="newton", maxiter=100)
    if caught and not separated:  # separation was already said in the kit's words
        warnings.warn(f"The logistic fit of churn by {horizon:g} did not settle (statsmodels: "
                      f"{caught[0].message}); read its estimates with care", UxcxWarning, stacklevel=2)
    coef, se = fit.params[1:], fit.bse[1:]
    z = float(special.ndtri(0.5 + level / 2))
    with np.errstate(over="ignore"):  # a level without events: inf, already warned about
        hr, low, high = np.exp(coef), np.exp(coef - z * se), np.exp(coef + z * se)
    out = result_frame(pd.DataFrame({
        "term": [r["term"] for r in records], "n": int(known.sum()), "estimate": hr,
        "std_error": se, "ci_low": low, "ci_high": high,
        "confidence_level": level, "method": f"Logistic regression of churn by {horizon:g} (Wald interval)",
        "statistic": coef / se, "alternative": "two-sided"}))
    out = with_p_values(out, [norm_log_p(v) for v in coef / se])
    out["coef"], out["events"], out["excluded"], out["horizon"] = coef, int(y.sum()), excluded, horizon
    for key in ("covariate", "level", "reference"):
        out[key] = [r[key] for r in records]
    out.attrs["excluded"] = excluded
    return out


def _num(x: float) -> str:
    return f"{x:.0f}" if x >= 9.95 else f"{x:.1f}" if x >= 0.995 else f"{x:.2f}"


def hazard_sentences(tidy: pd.DataFrame, *, labels=None, per=None) -> list[str]:
    """One plain sentence per effect of a :func:`uxcx.cox` (or :func:`churn_by_horizon`) result.

    Parameters
    ----------
    tidy : DataFrame
        The result of :func:`uxcx.cox` or :func:`churn_by_horizon`
        (odds ratios are worded as odds of having churned by the horizon).
    labels : dict, optional
        Words for a term or covariate: for a level, who they are ("Customers with a SUS
        grade of C or worse"; the reference level's own key gives the comparison group);
        for a categorical covariate, its name ("plan": "Customers whose plan is Plus");
        for a number, what it is ("UMUX-Lite"). A number's label may end with its unit,
        "UX score (per SD)", as the forest plot shows it: the sentence then speaks of
        "each 1-SD higher UX score". Default: the column names.
    per : dict, optional
        Units per covariate for a numeric effect, e.g. ``{"umux_lite": -1}`` says "each
        1-point lower UMUX-Lite"; the ratio and its interval are raised to that power.
        Leave it out to word each ratio per unit, as the result table gives it.

    Returns
    -------
    list of str
        One sentence per row. A level or a unit whose interval contains 1 is said to
        show no clear difference.

    Notes
    -----
    A hazard ratio of 1.6 means churn happens 1.6 times as fast at every time
    (the proportional-hazards reading); for k units of a numeric covariate the ratio
    is exp(k b), with interval exp(k (b -/+ z se)).

    References
    ----------
    Kleinbaum, D. G., & Klein, M. (2012). *Survival Analysis: A Self-Learning Text*
    (3rd ed.), ch. 3. Springer.

    Examples
    --------
    >>> r = pd.DataFrame({"term": ["grade[C or worse]", "umux"], "estimate": [1.6, 0.77],
    ...                   "ci_low": [1.3, 0.7], "ci_high": [2.0, 0.85], "confidence_level": 0.95,
    ...                   "method": COX_METHOD, "covariate": ["grade", "umux"],
    ...                   "level": ["C or worse", np.nan], "reference": ["A or B", np.nan]})
    >>> for s in hazard_sentences(r, labels={"grade[C or worse]": "Customers with a SUS grade of C or "
    ...                           "worse", "grade[A or B]": "those with A or B", "umux": "UMUX-Lite"},
    ...                           per={"umux": -1}): print(s)
    Customers with a SUS grade of C or worse left 1.6 times as fast as those with A or B (95% CI 1.3 to 2.0).
    Each 1-point lower UMUX-Lite goes with 1.3 times the churn rate (95% CI 1.2 to 1.4).
    >>> for s in hazard_sentences(r, labels={"grade": "SUS grade", "umux": "UMUX-Lite (per SD)"}):
    ...     print(s)  # doctest: +NORMALIZE_WHITESPACE
    Customers whose SUS grade is C or worse left 1.6 times as fast as those whose SUS grade is A or B
    (95% CI 1.3 to 2.0).
    Each 1-SD higher UMUX-Lite goes with 0.77 times the churn rate (95% CI 0.70 to 0.85).
    """
    labels, per = dict(labels or {}), dict(per or {})
    out = []
    for _, row in tidy.iterrows():
        odds = str(row["method"]).startswith("Logistic")
        cov, level = row.get("covariate", row["term"]), row.get("level", np.nan)
        k = float(per.get(cov, per.get(row["term"], 1)))
        est, low, high = (float(row[c]) ** k for c in ("estimate", "ci_low", "ci_high"))
        low, high = min(low, high), max(low, high)
        ci = f"{row['confidence_level']:.0%} CI {_num(low)} to {_num(high)}"
        clear = not (low <= 1 <= high)
        horizon = f" by {row['horizon']:g}" if odds and "horizon" in row.index else ""
        if level == level:  # a level of a categorical covariate
            if cov in labels:  # the covariate's display name: "Customers whose plan is Plus"
                who, ref = (f"Customers whose {labels[cov]} is {level}",
                            f"those whose {labels[cov]} is {row['reference']}")
            else:
                who, ref = f"Customers with {cov} = {level}", f"those with {cov} = {row['reference']}"
            who = labels.get(row["term"], who)
            ref = labels.get(f"{cov}[{row['reference']}]", ref)
            if not clear:
                what = "odds of churning" + horizon if odds else "how fast they left"
                out.append(f"{who} showed no clear difference in {what} from {ref} "
                           f"({'odds' if odds else 'hazard'} ratio {_num(est)}, {ci}).")
            elif odds:
                out.append(f"{who} had {_num(est)} times the odds of having churned{horizon} of {ref} "
                           f"({ci}).")
            else:
                out.append(f"{who} left {_num(est)} times as fast as {ref} ({ci}).")
            continue
        name, step = str(labels.get(cov, cov)), "point"
        if name.endswith(")") and " (per " in name:  # "UX score (per SD)": the unit is the label's
            name, step = name[:-1].rsplit(" (per ", 1)
        unit = f"{abs(k):g}-{step} {'lower' if k < 0 else 'higher'} {name}"
        what = f"the odds of having churned{horizon}" if odds else "the churn rate"
        if clear:
            out.append(f"Each {unit} goes with {_num(est)} times {what} ({ci}).")
        else:
            out.append(f"Each {unit} shows no clear difference in {what} "
                       f"({'odds' if odds else 'hazard'} ratio {_num(est)}, {ci}).")
    return out
