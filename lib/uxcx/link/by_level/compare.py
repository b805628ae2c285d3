"""A CX outcome compared across UX levels: the test chosen from the design and outcome, run, and explained.

The one idea here is choosing and running the test. :func:`compare_by_level` answers
"do people who completed the task (or whose SUS
grade is higher) rate us higher?": it looks at the design (two levels or more,
paired or not) and the outcome (binary, categorical, a short rating scale, a
continuous score, NPS), picks the test the way Qualtrics Stats iQ describes it, and
says why. Two-level tests reuse :mod:`uxcx.ux.compare` (``compare_ratings``,
``compare_completion``, ``hedges_g``) and NPS reuses :func:`uxcx.cx.compare_nps`; the
tables of counts (Fisher or chi-square by Cochran's rule) are
:mod:`uxcx.link.by_level.categories`, the k-level tests of scores
:mod:`uxcx.link.by_level.k_levels`, the effect-size intervals
:mod:`uxcx.link.level_effects`, and reading the outcome's scale, its normality and the
per-level rows :mod:`uxcx.link.by_level.outcome`. Every p-value comes with its
``log10_p_value``, computed in log space.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core.bootstrap import generator
from uxcx._core.checks import numeric, require
from uxcx._core.compare import (
    ComparisonError,
    adjust_p,
    check_choice,
    check_level,
    pick_reference,
)
from uxcx._core.effects import g_two
from uxcx._core.results import COLUMNS, result_frame
from uxcx.cx.compare import compare_nps
from uxcx.errors import UxcxWarning
from uxcx.link.by_level.categories import category_rows, table_comparison, two_shares
from uxcx.link.by_level.k_levels import k_level_test
from uxcx.link.by_level.outcome import SCALES, level_rows, normal_enough, outcome_scale
from uxcx.link.level_effects import boot_effect, cliffs_delta
from uxcx.ux.compare import compare_completion, compare_ratings

__all__ = ["compare_by_level"]

def compare_by_level(data: pd.DataFrame, *, outcome: str, level: str, subject: str | None = None,
                     paired: bool = False, scale: str = "auto", reference=None,
                     confidence_level: float = 0.95, alpha: float = 0.05, n_boot: int = 2000,
                     seed: int | None = None) -> pd.DataFrame:
    """A CX outcome (NPS, CSAT, loyalty) compared across UX levels, the test chosen from the data.

    Parameters
    ----------
    data : DataFrame
        One row per person (or per person and level when ``paired``).
    outcome : str
        The CX outcome column.
    level : str
        The UX level of each row: completed the task or not, SUS grade, design, ...
    subject : str, optional
        Person id. Needed when ``paired``; unpaired, several rows of one person at one
        level are averaged first (not for binary or NPS outcomes).
    paired : bool
        The same people at every level (a within-subjects study).
    scale : {"auto", "continuous", "ordinal", "binary", "nps", "categorical"}
        "auto": "nps" for a column named ``nps`` (the kit's role name); "binary" for 0/1;
        "ordinal" for whole numbers with at most 7 distinct values (CSAT, CES, SEQ,
        Likert items); otherwise "continuous". Pass it to override; "categorical" (never
        chosen by "auto") compares unordered values of any type (a plan, a channel, a
        reason for leaving) as a levels × values table.
    reference : optional
        The level subtracted in two-level and NPS comparisons (default: first in sorted order).
    confidence_level : float
    alpha : float
        Significance level of the Shapiro-Wilk normality checks behind the choice.
    n_boot : int
        Resamples of the bootstrap intervals of epsilon², Kendall's W, Cramér's V and the
        matched-pairs rank-biserial.
    seed : int, optional
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        Group column ``level`` first, then the result schema; after it ``kind`` and
        ``reason``. Rows of three kinds: ``"level"``, one per level: ``n``,
        ``estimate`` (mean with its t interval; share with its adjusted-Wald interval
        for binary; NPS with its interval), ``std_error``, ``ci_low``, ``ci_high``;
        ``"test"``: ``term`` ("Yes − No" or "across 4 levels"), ``statistic``, ``df``,
        ``p_value``, ``log10_p_value`` (placed after ``p_value``; log10 of the p-value
        computed in log space, finite where ``p_value`` underflows to the smallest
        positive double, as :mod:`uxcx._core.pvalues` describes), ``alternative``,
        ``p_adjusted``, ``p_adjust_method`` and, for two
        levels, ``estimate`` with its interval (difference of means or shares, the
        Hodges-Lehmann shift, the NPS difference), ``effect_size``, ``effect_size_type``;
        ``"effect"``: the effect size as ``estimate`` with ``ci_low``/``ci_high``
        (Hedges' g, Cliff's delta, odds ratio, omega², epsilon², Kendall's W,
        Cramér's V, matched-pairs rank-biserial). ``reason`` says in words why the test
        was chosen; ``method`` names it.

    Notes
    -----
    The choice follows Qualtrics Stats iQ's logic: the number of levels, paired or
    not, and whether the outcome is binary, ordinal or roughly normal.

    =====================  =========================================  ======================================
    situation              test                                       effect size (interval)
    =====================  =========================================  ======================================
    NPS, k levels          z test of NPS differences vs the reference  the difference (Lewis & Sauro 2021)
    binary, 2 levels       N-1 two-proportion test (Campbell 2007)     odds ratio (Woolf log interval)
    ... an expected < 5    Fisher's exact test (Cochran 1954)          conditional MLE odds ratio (exact)
    binary, 2 paired       McNemar mid-p (Fagerland et al. 2013)       difference of shares (Agresti-Min)
    binary or categorical  chi-square test of independence             Cramér's V (bootstrap)
    ... an expected < 5    Fisher's exact r × c test (Freeman-Halton)  Cramér's V (bootstrap)
    binary, k paired       Cochran's Q (1950)                          Kendall's W (bootstrap)
    normal, 2 levels       Welch t (1947)                              Hedges' g (noncentral t)
    normal, 2 paired       paired t                                    Hedges' g_z (noncentral t)
    ordinal/non-normal, 2  Mann-Whitney U (1947)                       Cliff's delta (Brunner-Munzel 2000)
    ordinal, 2 paired      Wilcoxon signed-rank (1945)                 rank-biserial (bootstrap)
    normal, k levels       Welch's one-way ANOVA (1951)                omega² (noncentral F, Steiger 2004)
    ordinal/non-normal, k  Kruskal-Wallis (1952)                       epsilon² = H/(n-1) (bootstrap)
    k paired               Friedman (1937)                             Kendall's W (bootstrap)
    =====================  =========================================  ======================================

    Tables of counts follow Cochran's (1954) rule: when any count expected under
    independence is below 5 the chi-square (and N-1) approximation is not trusted and
    Fisher's exact test runs instead (:func:`uxcx._core.contingency.table_test`, as R's
    ``fisher.test``); ``method`` and ``reason`` say which test ran and why. An r × c
    table whose exact test would need more than 2,000,000 partial tables at a step keeps
    the chi-square test, with a warning. The chi-square test of a categorical 2 × 2 table
    is Yates-corrected, as R's ``chisq.test``.

    "Normal" means: every group has at least 15 observations (the central limit
    theorem makes the mean close to normal), or Shapiro & Wilk (1965) p >= ``alpha``
    in every group (the rule of :func:`uxcx.ux.compare.compare_ratings`). Ratings with
    few points are ordinal, so rank tests compare them without treating the steps
    as equal. Welch's tests are used rather than Student's, as they do not assume
    equal variances and lose almost nothing when the variances are equal (Delacre,
    Lakens & Leys 2017). With k paired levels the Friedman test needs neither
    normality nor sphericity; on 0/1 data its tie-corrected statistic is Cochran's Q.
    Bootstrap intervals are percentile intervals, resampling within groups (or
    subjects when paired); epsilon², W and V are biased upwards near 0, so read their
    lower bound rather than the point when the test is not significant. Cliff's delta,
    P(a > b) - P(a < b), equals the rank-biserial r; its interval is 2p̂ - 1 with
    p̂ ± t·SE from Brunner & Munzel's variance.
    omega² is computed from the classical ANOVA table and its interval inverts the
    noncentral F of the classical F statistic, lambda/(lambda + n) at each bound.

    References
    ----------
    Qualtrics (2024). Stats iQ: Relate — which statistical test is used. Qualtrics XM support.

    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34(1-2), 28-35.

    Welch, B. L. (1951). On the comparison of several mean values: an alternative
    approach. *Biometrika*, 38(3/4), 330-336.

    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables
    is stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50-60.

    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin*, 1(6), 80-83.

    Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance
    analysis. *Journal of the American Statistical Association*, 47(260), 583-621.

    Friedman, M. (1937). The use of ranks to avoid the assumption of normality implicit in
    the analysis of variance. *Journal of the American Statistical Association*, 32(200), 675-701.

    Cochran, W. G. (1950). The comparison of percentages in matched samples. *Biometrika*,
    37(3/4), 256-266.

    Brunner, E., & Munzel, U. (2000). The nonparametric Behrens-Fisher problem: asymptotic
    theory and a small-sample approximation. *Biometrical Journal*, 42(1), 17-25.

    Cliff, N. (1993). Dominance statistics: ordinal analyses to answer ordinal questions.
    *Psychological Bulletin*, 114(3), 494-509.

    Steiger, J. H. (2004). Beyond the F test: effect size confidence intervals and tests
    of close fit in the analysis of variance and contrast analysis. *Psychological
    Methods*, 9(2), 164-182.

    Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates
    revisited. *Trends in Sport Sciences*, 21(1), 19-25.

    Delacre, M., Lakens, D., & Leys, C. (2017). Why psychologists should by default use
    Welch's t-test instead of Student's t-test. *International Review of Social
    Psychology*, 30(1), 92-101.

    Campbell, I. (2007). Chi-squared and Fisher-Irwin tests of two-by-two tables with
    small sample recommendations. *Statistics in Medicine*, 26(19), 3661-3675.

    Lewis, J. R., & Sauro, J. (2021). How to statistically compare two Net Promoter
    Scores. MeasuringU. https://measuringu.com/nps-significance-test/

    Cochran, W. G. (1954). Some methods for strengthening the common χ² tests.
    *Biometrics*, 10(4), 417-451.

    Freeman, G. H., & Halton, J. H. (1951). Note on an exact treatment of contingency,
    goodness of fit and other problems of significance. *Biometrika*, 38(1/2), 141-149.

    Shapiro, S. S., & Wilk, M. B. (1965). An analysis of variance test for normality
    (complete samples). *Biometrika*, 52(3-4), 591-611.

    Examples
    --------
    >>> d = pd.DataFrame({"completed": ["Yes"] * 8 + ["No"] * 6,
    ...                   "csat": [5, 4, 5, 4, 4, 5, 3, 5, 3, 2, 4, 3, 2, 3]})
    >>> r = compare_by_level(d, outcome="csat", level="completed")
    >>> r.loc[r["kind"] == "test", ["term", "statistic", "p_value"]].round(4).to_dict("records")
    [{'term': 'Yes − No', 'statistic': 44.0, 'p_value': 0.0091}]
    >>> import textwrap; print(textwrap.fill(r.loc[r["kind"] == "test", "reason"].iloc[0], 80))
    Two independent groups; csat is a rating with 4 observed values (2-5), so a rank
    test (Mann-Whitney U) compares them without assuming normality or equal steps.
    """
    check_choice("scale", scale, SCALES)
    conf = check_level(confidence_level)
    if not 0 < alpha < 1:
        raise ComparisonError(f"alpha must be between 0 and 1 (such as 0.05); got {alpha!r}")
    if paired and subject is None:
        raise ComparisonError("paired=True needs subject= naming the person id that pairs the levels.")
    require(data, {"outcome": outcome, "level": level, "subject": subject})
    frame = data[[c for c in dict.fromkeys([level, subject, outcome]) if c is not None]].copy()
    if scale != "categorical":
        frame[outcome] = numeric(frame, outcome, "outcome")
    blank = frame[outcome].isna() | frame[level].isna()
    if blank.any():
        warnings.warn(f"{int(blank.sum())} row(s) without {outcome!r} or {level!r} are left out.",
                      UxcxWarning, stacklevel=2)
    frame = frame.loc[~blank]
    kind, described = outcome_scale(frame[outcome], outcome, scale)
    levels = sorted(pd.unique(frame[level]), key=str)
    if len(levels) < 2:
        raise ComparisonError(f"level={level!r} must have at least two levels to compare; it has "
                              f"{[str(v) for v in levels]}.")
    reference = pick_reference(levels, reference, level)
    k = len(levels)
    if paired and kind in ("nps", "categorical"):
        raise ComparisonError(f"a paired {'NPS' if kind == 'nps' else 'categorical'} comparison is not "
                              "available; compare the ratings themselves with scale='ordinal'"
                              + ("." if kind == "nps" else ", or a 0/1 recoding with scale='binary'."))
    if (subject is not None and kind not in ("binary", "nps", "categorical")
            and frame.duplicated([subject, level]).any()):
        frame = frame.groupby([subject, level], observed=True, sort=True)[outcome].mean().reset_index()
        described += f" (averaged per {subject})"
    if paired:
        wide = frame.groupby([subject, level], observed=True)[outcome].mean().unstack(level)[levels]
        complete = wide.dropna()
        if len(complete) < len(wide):
            warnings.warn(f"{len(wide) - len(complete)} {subject}(s) lack a value at some level and are left "
                          "out of the paired comparison.", UxcxWarning, stacklevel=2)
        if len(complete) < 2:
            raise ComparisonError(f"a paired comparison needs at least 2 {subject}s with every level.")
        frame = frame[frame[subject].isin(complete.index)]
    dtype = object if kind == "categorical" else float
    samples = {str(v): frame.loc[frame[level] == v, outcome].to_numpy(dtype) for v in levels}
    if min(len(s) for s in samples.values()) < 2:
        raise ComparisonError(f"every level needs at least 2 observations; got "
                              f"{ {k_: len(s) for k_, s in samples.items()} }.")
    design = (f"{'Two' if k == 2 else k} levels measured on the same {subject}s" if paired
              else f"{'Two' if k == 2 else k} independent groups")
    rng = generator(seed)
    other = next(v for v in levels if v != reference)
    two = dict(by=level, reference=reference, confidence_level=conf)
    effect = None
    if kind == "nps":
        tests = compare_nps(frame, score=outcome, by=level, reference=reference, confidence_level=conf)
        why = (f"{described}, a difference of two shares, so each level's NPS is compared with {reference}'s "
               "by the z test of Lewis & Sauro (2021)" + (", Holm-adjusted" if k > 2 else ""))
    elif kind == "binary" and k == 2 and not paired:
        tests, effect, why = two_shares(frame, outcome, level, levels, reference, described, conf)
    elif kind == "categorical" or (kind == "binary" and not paired):
        row, effect, why = table_comparison(frame, outcome, level, levels, reference, kind, described, conf,
                                            n_boot, rng)
        tests = result_frame([row])
    elif kind == "binary" and k == 2:
        tests = compare_completion(frame, success=outcome, paired=True, subject=subject, **two)
        why = f"{described}, so the McNemar mid-p test compares the discordant pairs"
    elif k == 2:
        tests, effect, why = _two_scores(frame, samples, outcome, kind, described, paired, subject, other,
                                         reference, alpha, conf, n_boot, rng, two)
    else:
        row, effect, why = k_level_test(samples, levels, kind=kind, described=described, paired=paired,
                                        subject=subject, alpha=alpha, conf=conf, n_boot=n_boot, rng=rng)
        tests = result_frame([row])
    tests = adjust_p(_log10_filled(tests[COLUMNS]), method="holm")
    reason = f"{design}; {why}."
    per_level = (category_rows(frame, outcome, level, levels, conf) if kind == "categorical"
                 else level_rows(frame, outcome, level, kind, levels, conf))
    parts = [per_level.assign(kind="level", reason=None),
             tests.assign(**{level: None}).assign(kind="test", reason=reason)]
    if effect is not None:
        effect = {"term": tests["term"].iloc[0], "n": tests["n"].iloc[0], "confidence_level": conf, **effect,
                  "effect_size": effect["estimate"]}
        parts.append(result_frame([effect]).assign(**{level: None}, kind="effect", reason=reason))
    out = pd.concat([p[[level, *COLUMNS, "kind", "reason"]] for p in parts], ignore_index=True)
    out["n"] = out["n"].astype("int64")
    return out


def _log10_filled(tests: pd.DataFrame) -> pd.DataFrame:
    """``tests`` with ``log10_p_value`` filled from ``p_value`` where a reused test left it blank.

    Every test run here fills the column in log space; this serves a reused two-level test
    whose function does not (yet) give it, and is exact wherever ``p_value`` is a positive
    double, which is all a p-value computed without logs can be.
    """
    tests = tests.copy()
    p = pd.to_numeric(tests["p_value"], errors="coerce").to_numpy(float)
    blank = tests["log10_p_value"].isna().to_numpy() & (p > 0)
    tests.loc[blank, "log10_p_value"] = np.log10(p[blank])
    return tests


def _two_scores(frame, samples, outcome, kind, described, paired, subject, other, reference, alpha, conf,
                n_boot, rng, two):
    """Two levels of a score or rating: Welch or paired t with Hedges' g, or a rank test with its effect."""
    normal, check = (False, "") if kind == "ordinal" else normal_enough(
        {"the differences": samples[str(other)] - samples[str(reference)]} if paired else samples, alpha)
    test = "t" if normal else "rank"
    tests = compare_ratings(frame, score=outcome, paired=paired, method=test, subject=subject, **two)
    name = {(True, "t"): "paired t test", (False, "t"): "Welch t test", (True, "rank"):
            "Wilcoxon signed-rank test", (False, "rank"): "Mann-Whitney U"}[(paired, test)]
    if kind == "ordinal":
        why = f"{described}, so a rank test ({name}) compares them without assuming normality or equal steps"
    elif normal:
        why = f"{described} and {check}, so the {name} compares the means"
    else:
        why = f"{described} but {check}, so a rank test ({name}) compares them"
    if test == "t":
        g = g_two(samples[str(other)], samples[str(reference)], conf, paired)
        effect = {**g, "effect_size_type": "Hedges' g_z" if paired else "Hedges' g",
                  "method": "noncentral-t interval (Steiger & Fouladi 1997), as uxcx.hedges_g"}
    elif paired:
        diff = samples[str(other)] - samples[str(reference)]
        low, high, se = boot_effect("signed", [diff], conf, n_boot, rng)
        effect = {"estimate": tests["effect_size"].iloc[0], "std_error": se, "ci_low": low, "ci_high": high,
                  "effect_size_type": "rank-biserial r (matched pairs)",
                  "method": f"percentile bootstrap over {subject}s ({n_boot} resamples)"}
    else:
        effect = {**cliffs_delta(samples[str(other)], samples[str(reference)], conf),
                  "effect_size_type": "Cliff's delta", "method": "Brunner-Munzel (2000) interval"}
    return tests, effect, why
