"""A Cox model's fit as R's ``summary(coxph)`` reports it: log-likelihoods, three global tests, concordance.

:func:`uxcx.cox` stores the records in ``attrs["model_fit"]`` (records, not a frame:
pandas compares attrs when frames are concatenated); :func:`cox_fit_summary` reads
them as a result frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.pvalues import chi2_log_p, with_p_values
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError
from uxcx.retention.concordance import concordance

__all__ = ["model_fit_records", "cox_fit_summary"]

_TESTS = {"likelihood ratio test": "2 (log L - log L0)",
          "Wald test": "b' V^-1 b",
          "score (log-rank) test": "U0' I0^-1 U0 at b = 0"}


def model_fit_records(fit, time, status, codes, level: float) -> dict:
    """The model-fit rows of a :class:`uxcx.retention.cox_fit.CoxFit` as a dict of lists."""
    df = fit.coef.size
    n, events = len(time), int(np.sum(status))
    tests = {"likelihood ratio test": 2 * (fit.loglik - fit.loglik_null),
             "Wald test": float(fit.coef @ np.linalg.solve(fit.var, fit.coef)),
             "score (log-rank) test": fit.score_test}
    conc = concordance(time, status, fit.linear_predictor, codes, exit_class=fit.exit_class)
    z = float(special.ndtri(0.5 + level / 2))
    ties = fit.ties.capitalize()
    rows = [{"term": "log-likelihood, null model", "n": n, "estimate": fit.loglik_null,
             "method": f"Cox partial log-likelihood at b = 0 ({ties} ties)"},
            {"term": "log-likelihood, fitted model", "n": n, "estimate": fit.loglik,
             "method": f"Cox partial log-likelihood at the estimates ({ties} ties)"}]
    rows += [{"term": name, "n": n, "statistic": stat, "df": df,
              "method": f"{name}: {_TESTS[name]}, chi-squared on {df} df (as R summary.coxph)"}
             for name, stat in tests.items()]
    c, se = conc["concordance"], conc["std_error"]
    pairs = conc["concordant"] + conc["discordant"] + conc["tied_risk"]
    rows.append({"term": "concordance", "n": n, "estimate": c, "std_error": se, "ci_low": c - z * se,
                 "ci_high": c + z * se, "confidence_level": level,
                 "method": (f"Harrell's C over {pairs:,.0f} "
                            "comparable pairs, ties on the risk score counted half; infinitesimal-jackknife "
                            "standard error and normal interval (as R survival concordance)")})
    frame = result_frame(rows)
    log_p = [chi2_log_p(s, df) if s == s else np.nan for s in frame["statistic"]]
    frame = with_p_values(frame, log_p)
    frame["events"] = events
    # records, not a frame: pandas compares attrs when frames are concatenated, and frames there raise
    return frame.to_dict("list")


def cox_fit_summary(result: pd.DataFrame) -> pd.DataFrame:
    """The fit of a Cox model, as R's ``summary(coxph)`` reports it, from a :func:`uxcx.cox` result.

    Parameters
    ----------
    result : DataFrame
        What :func:`uxcx.cox` returned (its ``attrs["model_fit"]``).

    Returns
    -------
    DataFrame
        The result schema (with ``log10_p_value`` after ``p_value``), six rows:
        ``log-likelihood, null model`` and ``log-likelihood, fitted model``
        (``estimate``: R's ``fit$loglik``), the ``likelihood ratio test``, ``Wald test``
        and ``score (log-rank) test`` that every coefficient is 0 (``statistic``
        chi-squared, ``df`` = coefficients, ``p_value``, ``log10_p_value``), and the
        ``concordance`` (``estimate`` Harrell's C, ``std_error``, normal ``ci_low``,
        ``ci_high``). Extra column ``events``.

    Notes
    -----
    The likelihood-ratio statistic is ``2 (log L(b) - log L(0))``, the Wald statistic
    ``b' V^-1 b`` and the score statistic ``U(0)' I(0)^-1 U(0)``, which for a single
    categorical covariate is the log-rank test (R's ``summary.coxph`` rounds its Wald
    statistic to two decimals before its p-value; the kit does not). The concordance is
    the share of comparable pairs (a churn, and a customer still at risk then, in the
    same stratum) in which the one who churned had the higher risk score, ties counted
    half, with survival's infinitesimal-jackknife standard error
    (:func:`uxcx.retention.concordance.concordance`). p-values are computed in log
    space, so a model on a large customer table gets its true tiny p.

    References
    ----------
    Therneau, T. M., & Grambsch, P. M. (2000). *Modeling Survival Data: Extending the
    Cox Model*, sec. 3.4. Springer.
    Harrell, F. E., Lee, K. L., & Mark, D. B. (1996). Multivariable prognostic models.
    *Statistics in Medicine*, 15(4), 361-387.

    Examples
    --------
    >>> from uxcx.retention.proportional_hazards import cox
    >>> aml = pd.DataFrame({"duration": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...                                  5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    ...                     "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0,
    ...                               1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    ...                     "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
    >>> fit = cox_fit_summary(cox(aml, covariates="x"))
    >>> fit[["term", "estimate", "std_error", "statistic", "p_value"]].round(4)
                               term  estimate  std_error  statistic  p_value
    0    log-likelihood, null model  -42.7248        NaN        NaN      NaN
    1  log-likelihood, fitted model  -41.0326        NaN        NaN      NaN
    2         likelihood ratio test       NaN        NaN     3.3844   0.0658
    3                     Wald test       NaN        NaN     3.1983   0.0737
    4         score (log-rank) test       NaN        NaN     3.4167   0.0645
    5                   concordance    0.6190     0.0632        NaN      NaN
    """
    records = result.attrs.get("model_fit") if isinstance(result, pd.DataFrame) else None
    if records is None:
        raise UxcxError("cox_fit_summary needs the result of uxcx.cox (its attrs['model_fit']); this frame "
                        "has none (attrs are lost by some pandas operations: pass the frame cox returned)")
    return pd.DataFrame(records)
