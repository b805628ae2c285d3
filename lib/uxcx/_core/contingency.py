"""Tests of a contingency table: Pearson's chi-square (Yates-corrected or not) and Fisher's exact test.

:func:`chisq_test` and :func:`table_test` work on a table of counts and are what the
stages call (``compare_by_level``, ``nps_association``); :func:`contingency_test` is the
researcher's function: two columns of a long frame in, the test that suits the table
chosen by Cochran's rule, and the observed and expected counts out, in the kit's schema.
Every p-value is computed in log space (:mod:`uxcx._core.pvalues`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from uxcx._core.checks import ALTERNATIVES, check_level, check_option, require
from uxcx._core.fisher import TooManyTables, fisher_2x2, fisher_rxc
from uxcx._core.pvalues import chi2_log_p, finish_p, underflow_note
from uxcx._core.results import COLUMNS, result_frame
from uxcx.errors import ComparisonError, UxcxWarning

__all__ = ["METHODS", "MIN_EXPECTED", "expected_counts", "chisq_test", "table_test", "contingency_test"]

METHODS = ("auto", "fisher", "chi-square")
#: Cochran's (1954) rule: below this expected count the chi-square p-value is not trusted.
MIN_EXPECTED = 5.0


def expected_counts(observed: np.ndarray) -> np.ndarray:
    """Counts expected under independence: row total × column total / n."""
    observed = np.asarray(observed, dtype=float)
    return np.outer(observed.sum(1), observed.sum(0)) / observed.sum()


def chisq_test(observed, correct: bool = True) -> dict:
    """Pearson's chi-square test of independence, as R's ``chisq.test(x, correct = correct)``.

    ``statistic = sum((|O - E| - Y)² / E)`` on ``(r - 1)(c - 1)`` df, with Yates' (1934)
    correction ``Y = min(0.5, |O - E|)`` on a 2 × 2 table when ``correct`` (R applies it to
    2 × 2 tables only, and so does this). Returns ``statistic``, ``df``, ``log_p``,
    ``expected`` and ``yates`` (whether the correction was applied).

    >>> r = chisq_test([[12, 5], [3, 10]])
    >>> round(r["statistic"], 4), r["df"], r["yates"]
    (4.8869, 1, True)
    """
    observed = np.asarray(observed, dtype=float)
    expected = expected_counts(observed)
    yates = bool(correct and observed.shape == (2, 2))
    shift = min(0.5, float(np.abs(observed - expected).min())) if yates else 0.0
    statistic = float(((np.abs(observed - expected) - shift) ** 2 / expected).sum())
    df = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    return {"statistic": statistic, "df": df, "log_p": chi2_log_p(statistic, df), "expected": expected,
            "yates": yates and shift > 0}


def _checked_table(observed) -> np.ndarray:
    observed = np.asarray(observed, dtype=float)
    if observed.ndim != 2 or min(observed.shape) < 2:
        raise ComparisonError(f"a contingency test needs at least 2 rows and 2 columns of counts; got shape "
                              f"{observed.shape}.")
    if (observed < 0).any() or (observed != np.round(observed)).any():
        raise ComparisonError("a contingency table holds whole, non-negative counts.")
    if (observed.sum(0) == 0).any() or (observed.sum(1) == 0).any():
        raise ComparisonError("every row and column of a contingency table needs at least one count; "
                              "drop the empty ones.")
    return observed


def table_test(observed, *, method: str = "auto", correct: bool = True, alternative: str = "two-sided",
               confidence_level: float = 0.95) -> dict:
    """The chosen test of a table of counts: a dict of the schema's test fields and the expected counts.

    ``method="auto"`` applies Cochran's (1954) rule: Fisher's exact test when any expected
    count is below 5 (or a one-sided alternative is asked of a 2 × 2 table), else the
    chi-square test (Yates-corrected on a 2 × 2 table when ``correct``). An r × c table
    whose enumeration would hold more than :data:`uxcx._core.fisher.MAX_TABLES` partial
    tables at a step is chi-square-tested instead, with a warning, and ``method`` says
    so. A 2 × 2 Fisher test gives the
    conditional MLE odds ratio and its exact interval as ``estimate``, ``ci_low``,
    ``ci_high``.

    Returns keys ``statistic``, ``df``, ``p_value``, ``log10_p_value``, ``alternative``,
    ``estimate``, ``ci_low``, ``ci_high``, ``method``, ``expected``, ``test`` ("fisher"
    or "chi-square").
    """
    check_option("method", method, METHODS, error=ComparisonError)
    check_option("alternative", alternative, ALTERNATIVES, error=ComparisonError)
    observed = _checked_table(observed)
    expected = expected_counts(observed)
    two_by_two = observed.shape == (2, 2)
    if alternative != "two-sided" and not (two_by_two and method != "chi-square"):
        raise ComparisonError(f"alternative={alternative!r} needs a 2 × 2 table tested by Fisher's exact "
                              "test; the chi-square test and the r × c tests are two-sided.")
    smallest = float(expected.min())
    if method == "auto":
        if smallest < MIN_EXPECTED:
            method, why = "fisher", (f"the smallest expected count, {smallest:.2f}, is below "
                                     f"{MIN_EXPECTED:g}, where the chi-square approximation is not trusted "
                                     "(Cochran 1954)")
        elif alternative != "two-sided":
            method, why = "fisher", "a one-sided alternative; the chi-square test is two-sided"
        else:
            method, why = "chi-square", f"every expected count is at least {MIN_EXPECTED:g} (Cochran 1954)"
    else:
        why = f"method={method!r}"
    out = {"estimate": math.nan, "ci_low": math.nan, "ci_high": math.nan, "statistic": math.nan,
           "df": math.nan, "alternative": alternative, "expected": expected}
    if method == "fisher" and two_by_two:
        res = fisher_2x2(observed.astype(np.int64), alternative, confidence_level)
        out.update(estimate=res["estimate"], ci_low=res["ci_low"], ci_high=res["ci_high"], test="fisher")
        log_p, name = res["log_p"], "Fisher's exact test; conditional MLE odds ratio with exact interval"
    elif method == "fisher":
        try:
            log_p, _ = fisher_rxc(observed.astype(np.int64))
            out["test"], name = "fisher", "Fisher's exact test; the r × c tables with these margins"
        except TooManyTables as err:
            too_many = f"more than {err.budget:,} partial tables"
            method, why = "chi-square", (f"{why}; but an exact test would need {too_many}, so the chi-square "
                                         "p-value is given and is approximate")
            shape = f"{observed.shape[0]} × {observed.shape[1]}"
            warnings.warn(f"Fisher's exact test of this {shape} table would need {too_many}; the chi-square "
                          "p-value is given and is approximate (merge small levels).", UxcxWarning,
                          stacklevel=3)
    if method == "chi-square":
        res = chisq_test(observed, correct)
        out.update(statistic=res["statistic"], df=float(res["df"]), test="chi-square")
        log_p = res["log_p"]
        name = "Pearson's chi-square test" + (" with Yates' continuity correction" if res["yates"] else "")
    p, log10_p = finish_p(log_p)
    # the test's name first, then details after "; " (the report names a test by the first part)
    out.update(p_value=p, log10_p_value=log10_p, method=f"{name}; {why}{underflow_note(log10_p)}")
    return out


def _std_residuals(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Adjusted (standardised) residuals, R's ``chisq.test()$stdres`` (Agresti 2002, 3.3.1)."""
    n = observed.sum()
    share_r, share_c = observed.sum(1, keepdims=True) / n, observed.sum(0, keepdims=True) / n
    return (observed - expected) / np.sqrt(expected * (1 - share_r) * (1 - share_c))


def contingency_test(data: pd.DataFrame, *, x: str, y: str, method: str = "auto", correct: bool = True,
                     alternative: str = "two-sided", confidence_level: float = 0.95) -> pd.DataFrame:
    """Is ``y`` associated with ``x``? Chi-square or Fisher's exact test of their table, with its counts.

    Parameters
    ----------
    data : DataFrame
        One row per person (respondent, customer, participant).
    x, y : str
        Two categorical columns: the rows and the columns of the table (any values;
        blank cells are left out with a warning).
    method : {"auto", "fisher", "chi-square"}
        "auto" (default): Fisher's exact test when an expected count is below 5 (Cochran
        1954), else the chi-square test.
    correct : bool
        Yates' continuity correction of the chi-square test of a 2 × 2 table (R's
        ``chisq.test`` default, ``correct = TRUE``); no effect on larger tables, as in R.
    alternative : {"two-sided", "less", "greater"}
        One-sided alternatives need a 2 × 2 table (and mean Fisher's test): "greater",
        an odds ratio above 1 (the first level of ``y`` more likely at the first level of
        ``x``, levels in sorted order).
    confidence_level : float
        Of the odds ratio's interval (2 × 2 Fisher test).

    Returns
    -------
    DataFrame
        Group columns ``x`` and ``y`` (named as the data's columns), then the result
        schema, then ``observed``, ``expected``, ``std_residual`` and ``kind``. One
        ``kind="test"`` row: ``n``, ``statistic`` (chi-square; NaN for Fisher), ``df``,
        ``p_value``, ``log10_p_value``, ``alternative``, ``estimate``/``ci_low``/``ci_high``
        (the conditional MLE odds ratio of a 2 × 2 Fisher test, as R's ``fisher.test``),
        ``effect_size`` (Cramér's V), ``method`` (which test and why). Then one
        ``kind="cell"`` row per cell: the two levels, ``n`` and ``observed`` (the count),
        ``expected`` (under independence) and ``std_residual`` (adjusted residual, R's
        ``stdres``: beyond ±2 marks a cell that departs from independence).

    Notes
    -----
    The chi-square test compares each count with row total × column total / n
    (Pearson 1900); its p-value is asymptotic and poor when expected counts are small,
    hence Cochran's (1954) rule. Fisher's exact test conditions on both margins: for a
    2 × 2 table the p-value is a hypergeometric tail, and the odds ratio is the
    conditional maximum-likelihood estimate with its exact interval (Cornfield 1956),
    both as R's ``fisher.test`` (:func:`uxcx._core.fisher.fisher_2x2`); for r × c it
    enumerates the tables with the same margins (Freeman & Halton 1951;
    :func:`uxcx._core.fisher.fisher_rxc`, pruned as the network algorithm prunes; beyond
    2,000,000 partial tables at a step it gives the chi-square test with a warning). Fisher's test is
    conservative in small samples (Campbell 2007), never anticonservative.
    Cramér's V = sqrt(X²/(n (min(r, c) - 1))) from the uncorrected statistic.

    References
    ----------
    Pearson, K. (1900). On the criterion that a given system of deviations from the probable ...
    *Philosophical Magazine*, 50(302), 157-175.

    Yates, F. (1934). Contingency tables involving small numbers and the χ² test.
    *Supplement to the Journal of the Royal Statistical Society*, 1(2), 217-235.

    Cochran, W. G. (1954). Some methods for strengthening the common χ² tests.
    *Biometrics*, 10(4), 417-451.

    Freeman, G. H., & Halton, J. H. (1951). Note on an exact treatment of contingency,
    goodness of fit and other problems of significance. *Biometrika*, 38(1/2), 141-149.

    Cornfield, J. (1956). A statistical problem arising from retrospective studies.
    *Proceedings of the Third Berkeley Symposium*, 4, 135-148.

    Campbell, I. (2007). Chi-squared and Fisher-Irwin tests of two-by-two tables with
    small sample recommendations. *Statistics in Medicine*, 26(19), 3661-3675.

    Agresti, A. (2002). *Categorical Data Analysis* (2nd ed.). Wiley.

    Examples
    --------
    >>> d = pd.DataFrame({"poured": ["milk"] * 4 + ["tea"] * 4,
    ...                   "guess": ["milk"] * 3 + ["tea"] + ["milk"] + ["tea"] * 3})
    >>> r = contingency_test(d, x="poured", y="guess")
    >>> r.loc[0, ["p_value", "estimate"]].astype(float).round(4).tolist()
    [0.4857, 6.4083]
    >>> r.loc[0, "method"].split(";")[0]
    "Fisher's exact test"
    >>> r.loc[r["kind"] == "cell", "observed"].tolist()
    [3.0, 1.0, 1.0, 3.0]
    """
    check_option("method", method, METHODS, error=ComparisonError)
    level = check_level(confidence_level, error=ComparisonError)
    require(data, {"x": x, "y": y})
    if x == y:
        raise ComparisonError(f"x and y name the same column ({x!r}); give two different columns.")
    blank = data[x].isna() | data[y].isna()
    if blank.any():
        warnings.warn(f"{int(blank.sum())} row(s) without {x!r} or {y!r} are left out of the table.",
                      UxcxWarning, stacklevel=2)
    kept = data.loc[~blank]
    table = pd.crosstab(kept[x].to_numpy(), kept[y].to_numpy())
    rows, cols = sorted(table.index, key=str), sorted(table.columns, key=str)
    table = table.loc[rows, cols]
    if min(table.shape) < 2:
        raise ComparisonError(f"{x!r} and {y!r} need at least two values each to be tested; the table is "
                              f"{table.shape[0]} × {table.shape[1]}.")
    observed = table.to_numpy(dtype=float)
    res = table_test(observed, method=method, correct=correct, alternative=alternative,
                     confidence_level=level)
    expected = res.pop("expected")
    res.pop("test")
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    v = math.sqrt(chi2 / (observed.sum() * (min(observed.shape) - 1)))
    test = result_frame([{**res, "term": f"{x} \u00d7 {y}", "n": int(observed.sum()),
                          "confidence_level": level,
                          "effect_size": v, "effect_size_type": "Cram\u00e9r's V"}])
    test = test.assign(**{x: None, y: None}, observed=np.nan, expected=np.nan, std_residual=np.nan,
                       kind="test")
    r_idx, c_idx = np.indices(observed.shape)
    cells = result_frame(pd.DataFrame({"n": observed.ravel().astype(np.int64)})).assign(
        **{x: np.asarray(rows, dtype=object)[r_idx.ravel()],
           y: np.asarray(cols, dtype=object)[c_idx.ravel()]},
        observed=observed.ravel(), expected=expected.ravel(),
        std_residual=_std_residuals(observed, expected).ravel(), kind="cell")
    columns = [x, y, *COLUMNS, "observed", "expected", "std_residual", "kind"]
    out = pd.concat([test[columns], cells[columns]], ignore_index=True)
    out["n"] = out["n"].astype("int64")
    return out
