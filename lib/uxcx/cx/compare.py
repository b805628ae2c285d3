"""Comparing Net Promoter Scores between segments: differences with z tests, and chi-square association."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
from scipy.stats.contingency import association

from uxcx._core.checks import ALTERNATIVES, check_level, require
from uxcx._core.compare import ComparisonError, adjust_p, check_choice, pick_reference, term, z_crit
from uxcx._core.contingency import chisq_test, table_test
from uxcx._core.pvalues import finish_p, norm_log_p, underflow_note
from uxcx._core.results import result_frame
from uxcx.cx.common import NPS_MIN, warn_segments
from uxcx.cx.nps import CATEGORIES, nps_category, nps_counts, nps_moments
from uxcx.errors import UxcxWarning

__all__ = ["compare_nps", "nps_association"]


def _by_column(by) -> str:
    if not isinstance(by, str):
        raise ComparisonError(f"by must name one column of segments (such as 'region'); got {by!r}")
    return by


def compare_nps(data: pd.DataFrame, *, score: str = "nps", by: str, reference=None,
                pairs: str = "reference", method: str = "adjusted-wald", alternative: str = "two-sided",
                confidence_level: float = 0.95, p_adjust: str = "holm") -> pd.DataFrame:
    """Compare the NPS of segments: each difference with an interval and a z test.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        Likelihood-to-recommend ratings, whole numbers 0-10; missing left out.
    by : str
        The column of segments (two or more levels). Rows with no segment are left
        out with a warning.
    reference : optional
        The segment subtracted (default: the first level in sorted order).
    pairs : {"reference", "all"}
        "reference" (default): every other segment against the reference, k - 1
        comparisons; "all": every pair of segments, k(k - 1)/2 comparisons (the
        later level in sorted order minus the earlier).
    method : {"adjusted-wald", "wald"}
        Adjusted (default) or raw counts in the variances and the centre of the test.
    alternative : {"two-sided", "less", "greater"}
        "greater": the segment's NPS is higher than the reference's.
    confidence_level : float
        Of the (two-sided) interval of each difference.
    p_adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Adjustment across the comparisons (:func:`uxcx._core.compare.adjust_p`); with
        two segments there is one test and nothing to adjust.

    Returns
    -------
    DataFrame
        Result schema, one row per comparison: ``term`` ("West − East"), ``n``
        (respondents in both segments), ``estimate`` (difference of the NPS, in
        points), ``std_error`` (of the difference, points), ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``, ``statistic`` (z), ``p_value`` (never 0: the
        smallest positive double below the floating-point range, with a note in
        ``method``), ``log10_p_value`` (computed in log space from the normal tail),
        ``alternative``, ``p_adjusted``, ``p_adjust_method``; ``df``,
        ``effect_size`` and ``effect_size_type`` NaN (the difference in points is
        itself the effect size). After the schema: ``group``, ``reference``,
        ``n_group``, ``n_reference``, ``nps_group``, ``nps_reference``.

    Notes
    -----
    Lewis & Sauro's (2021) test: for each segment, the adjusted shares
    p_P = (P + ¾)/(n + 3) and p_D = (D + ¾)/(n + 3), the adjusted NPS p_P - p_D and
    its trinomial variance var = (p_P + p_D - (p_P - p_D)²)/(n + 3). The
    segments are independent, so var_diff = var_1 + var_2, z = (NPS_1 - NPS_2)/sqrt(var_diff)
    on the adjusted scores, the p-value from the normal distribution, and the
    interval (NPS_1 - NPS_2) ± z_crit·sqrt(var_diff) around the adjusted difference
    (clipped to ±200). ``estimate`` is the difference of the raw scores. "wald" uses
    the raw counts throughout. Segments with fewer than 2 respondents give NaN.
    Lewis & Sauro (2021, February 16) found this test's error rates acceptable on
    real data; Rocks (2016) gives the variance.

    References
    ----------
    Lewis, J. R., & Sauro, J. (2021). How to statistically compare two Net Promoter
    Scores. MeasuringU. https://measuringu.com/nps-significance-test/

    Lewis, J. R., & Sauro, J. (2021, February 16). Evaluating NPS significance
    tests with real-world data. MeasuringU.
    https://measuringu.com/nps-three-significance-tests/

    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The
    American Statistician*, 70(4), 365-372.

    Examples
    --------
    >>> d = pd.DataFrame({"nps": [10] * 50 + [7] * 25 + [3] * 25 + [10] * 30 + [7] * 30 + [3] * 40,
    ...                   "wave": ["2025"] * 100 + ["2024"] * 100})
    >>> r = compare_nps(d, by="wave")
    >>> r.loc[0, "term"], round(float(r.loc[0, "estimate"]), 1), round(float(r.loc[0, "p_value"]), 3)
    ('2025 − 2024', 35.0, 0.003)
    """
    by = _by_column(by)
    check_choice("pairs", pairs, ("reference", "all"))
    check_choice("method", method, ("adjusted-wald", "wald"))
    check_choice("alternative", alternative, ALTERNATIVES)
    level = check_level(confidence_level)
    require(data, [score, by])
    blank = data[by].isna()
    if blank.any():
        warnings.warn(f"{int(blank.sum())} row(s) have no {by!r} and are left out of the comparison.",
                      UxcxWarning, stacklevel=2)
    keys, pro, pas, det, _ = nps_counts(data.loc[~blank], score, [by])
    levels = keys[by].tolist()
    if len(levels) < 2:
        raise ComparisonError(f"by={by!r} must have at least two segments to compare; it has "
                              f"{len(levels)}: {[str(v) for v in levels]}.")
    reference = pick_reference(levels, reference, by)
    n = (pro + pas + det).astype(float)
    warn_segments(keys, [by], n, minimum=NPS_MIN, what="respondents", measure="NPS")
    centre, var = nps_moments(pro, det, n, method)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = 100 * (pro - det) / np.where(n > 0, n, np.nan)
    index = {level_: i for i, level_ in enumerate(levels)}
    if pairs == "reference":
        todo = [(index[v], index[reference]) for v in levels if v != reference]
    else:
        todo = [(j, i) for i, j in itertools.combinations(range(len(levels)), 2)]
    a, b = np.array([t[0] for t in todo]), np.array([t[1] for t in todo])
    se = np.sqrt(var[a] + var[b])
    diff_adj = centre[a] - centre[b]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = diff_adj / se
    half = z_crit(level) * se
    low, high = np.clip(100 * (diff_adj - half), -200, 200), np.clip(100 * (diff_adj + half), -200, 200)
    p, log10 = zip(*[finish_p(norm_log_p(zz, alternative) if np.isfinite(zz) else np.nan) for zz in z])
    records = [{"term": term(levels[i], levels[j]), "n": int(n[i] + n[j]), "estimate": raw[i] - raw[j],
                "std_error": 100 * s, "ci_low": lo, "ci_high": hi, "confidence_level": level, "statistic": zz,
                "p_value": pp, "log10_p_value": lg, "alternative": alternative,
                "method": f"z test of NPS difference, {method} trinomial variances{underflow_note(lg)}"}
               for i, j, s, lo, hi, zz, pp, lg in zip(a, b, se, low, high, z, p, log10)]
    out = adjust_p(result_frame(records), method=p_adjust)
    out["group"] = [levels[i] for i in a]
    out["reference"] = [levels[j] for j in b]
    out["n_group"], out["n_reference"] = n[a].astype(np.int64), n[b].astype(np.int64)
    out["nps_group"], out["nps_reference"] = raw[a], raw[b]
    return out


def nps_association(data: pd.DataFrame, *, score: str = "nps", by: str, method: str = "chi-square"
                    ) -> pd.DataFrame:
    """Are NPS categories associated with a segment? Chi-square (or Fisher's exact) test with Cramér's V.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        Likelihood-to-recommend ratings, whole numbers 0-10; missing left out.
    by : str
        A categorical column (region, device, plan, ...); missing left out.
    method : {"chi-square", "auto", "fisher"}
        "chi-square" (default): Pearson's test; "fisher": Fisher's exact test of the
        3 × k table (R's ``fisher.test``); "auto": Fisher's when an expected count is
        below 5 (Cochran 1954), else the chi-square test.

    Returns
    -------
    DataFrame
        Result schema, one row: ``term`` ("NPS category × region"), ``n``
        (respondents in the table), ``statistic`` (Pearson's chi-square; NaN for
        Fisher's test), ``df``,
        ``p_value``, ``log10_p_value`` (computed in log space from the chi-square tail,
        :func:`uxcx._core.pvalues.chi2_log_p`), ``effect_size`` (Cramér's V), ``effect_size_type``
        ("Cramér's V"), ``method``; the estimate, interval and adjustment columns
        NaN. After the schema: ``cramers_v_corrected``, Bergsma's (2013)
        bias-corrected V.

    Warns
    -----
    UxcxWarning
        When the chi-square test runs and more than 20% of the expected counts are
        below 5 (Cochran 1954): its p-value is then approximate.

    Notes
    -----
    The 3 × k table of promoters, passives and detractors by segment is tested for
    independence with Pearson's chi-square (:func:`uxcx._core.contingency.chisq_test`,
    R's ``chisq.test(correct = FALSE)``, so V matches the statistic), or with Fisher's
    exact test (:func:`uxcx._core.contingency.table_test`, the tables with the same
    margins enumerated), exact however few the respondents. A category
    or segment with no respondents is dropped from the table (and ``method`` says
    so). Cramér's V = sqrt(chi² / (n·(min(r, c) - 1))), from 0 (no association) to 1
    (``scipy.stats.contingency.association``). V is biased upwards: with few
    respondents per cell it is above 0 even when there is no association.
    Bergsma's correction subtracts the expected bias,
    phi²~ = max(0, chi²/n - (r - 1)(c - 1)/(n - 1)), with r~ = r - (r - 1)²/(n - 1),
    c~ likewise, and V~ = sqrt(phi²~ / min(r~ - 1, c~ - 1)); prefer it for small
    samples or many segments. Use this test for "does the mix of promoters,
    passives and detractors differ between segments at all?"; use
    :func:`compare_nps` for "by how many points does the NPS differ?".

    References
    ----------
    Bergsma, W. (2013). A bias-correction for Cramér's V and Tschuprow's T.
    *Journal of the Korean Statistical Society*, 42(3), 323-328.

    Cochran, W. G. (1954). Some methods for strengthening the common χ² tests.
    *Biometrics*, 10(4), 417-451.

    Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press.

    Examples
    --------
    >>> d = pd.DataFrame({"nps": [10] * 50 + [7] * 25 + [3] * 25 + [10] * 30 + [7] * 30 + [3] * 40,
    ...                   "region": ["North"] * 100 + ["South"] * 100})
    >>> r = nps_association(d, by="region")
    >>> r[["n", "df"]].values.tolist(), round(float(r.loc[0, "effect_size"]), 3)
    ([[200.0, 2.0]], 0.211)
    """
    by = _by_column(by)
    check_choice("method", method, ("chi-square", "auto", "fisher"))
    require(data, [score, by])
    category = nps_category(data, score=score)
    keep = category.notna() & data[by].notna()
    # arrays, not Series: a frame concatenated from parts may repeat index labels
    table = pd.crosstab(category[keep].to_numpy(), data.loc[keep, by].to_numpy())
    table = table.reindex(list(CATEGORIES)).fillna(0)
    dropped = [str(c) for c in table.index[table.sum(axis=1) == 0]]
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        raise ComparisonError(f"a chi-square test needs at least two NPS categories and two segments of "
                              f"{by!r} with respondents; the table is {table.shape[0]} × {table.shape[1]}.")
    observed = table.to_numpy(dtype=float)
    result = chisq_test(observed, correct=False)
    expected = result["expected"]
    tested = table_test(observed, method=method, correct=False)
    if method == "chi-square" and np.mean(expected < 5) > 0.2:
        warnings.warn(f"{int(np.sum(expected < 5))} of {expected.size} expected counts in the NPS category × "
                      f"{by!r} table are below 5: the chi-square p-value is approximate; merge small "
                      f"segments, collect more responses, or pass method='fisher'.", UxcxWarning,
                      stacklevel=2)
    n = observed.sum()
    r, c = observed.shape
    phi2 = max(0.0, result["statistic"] / n - (r - 1) * (c - 1) / (n - 1))
    r_t, c_t = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    corrected = np.sqrt(phi2 / min(r_t - 1, c_t - 1)) if min(r_t, c_t) > 1 else np.nan
    note = f"; no {', '.join(dropped)}s: category left out" if dropped else ""
    fisher = tested["test"] == "fisher"
    pearson = "Pearson chi-square test of independence (no continuity correction)"
    name = tested["method"] if method != "chi-square" else pearson + underflow_note(tested["log10_p_value"])
    out = result_frame([{
        "term": f"NPS category \u00d7 {by}", "n": int(n),
        "statistic": np.nan if fisher else result["statistic"],
        "df": np.nan if fisher else float(result["df"]), "p_value": tested["p_value"],
        "log10_p_value": tested["log10_p_value"],
        "effect_size": float(association(observed.astype(np.int64), method="cramer", correction=False)),
        "effect_size_type": "Cram\u00e9r's V",
        "method": name + note}])
    out["cramers_v_corrected"] = corrected
    return out
