"""Comparing ratings (SEQ, SUS, UMUX-Lite, ...) of two designs: t or rank tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core.compare import (
    ALTERNATIVES,
    ComparisonError,
    check_choice,
    check_level,
    comparison_frame,
    run_by_task,
    split_groups,
    term,
    two_levels,
)
from uxcx._core.effects import g_two
from uxcx._core.pvalues import underflow_note
from uxcx._core.rank_sum import rank_sum_test
from uxcx._core.signed_rank import signed_rank_test
from uxcx._core.t_tests import t_compare

__all__ = ["compare_ratings", "normality_rule", "AUTO_MIN_N", "SHAPIRO_ALPHA"]

#: The "auto" rule: rank tests when the smallest group has fewer than this many
#: observations and a Shapiro-Wilk test rejects normality at ``SHAPIRO_ALPHA``.
AUTO_MIN_N = 15
SHAPIRO_ALPHA = 0.05


def normality_rule(samples: dict, alpha: float = SHAPIRO_ALPHA) -> tuple[str, object, float]:
    """Which branch of the kit's normality rule the samples fall in, and why.

    Returns ``("large", None, nan)`` when every group has at least :data:`AUTO_MIN_N`
    observations (means close to normal by the central limit theorem), ``("not normal",
    group, p)`` with the smallest Shapiro-Wilk p below ``alpha`` otherwise (groups of 3 or
    more distinct-valued observations are tested), else ``("normal", None, nan)``. Used by
    :func:`compare_ratings` (``method="auto"``) and :func:`uxcx.compare_by_level`.
    """
    if min(len(v) for v in samples.values()) >= AUTO_MIN_N:
        return "large", None, np.nan
    shapiro = {k: stats.shapiro(v).pvalue for k, v in samples.items() if len(v) >= 3 and np.ptp(v) > 0}
    failing = {k: p for k, p in shapiro.items() if p < alpha}
    if failing:
        k, p = min(failing.items(), key=lambda kv: kv[1])
        return "not normal", k, p
    return "normal", None, np.nan


def _auto(samples: dict[str, np.ndarray]) -> tuple[str, str]:
    """("t" or "rank", the reason) by the stated rule."""
    verdict, k, p = normality_rule(samples)
    if verdict == "large":
        return "t", f"auto: n >= {AUTO_MIN_N} per group"
    if verdict == "not normal":
        return "rank", f"auto: n < {AUTO_MIN_N} and Shapiro-Wilk p = {p:.3f} < .05 in {k}"
    return "t", f"auto: n < {AUTO_MIN_N} but Shapiro-Wilk p >= .05"


def _check_combination(*, paired, method, equal_var, correct, exact) -> None:
    """An option that cannot apply to the test asked for is an error, not silently ignored."""
    if equal_var and paired:
        raise ComparisonError("equal_var=True applies to the unpaired t test; a paired t test has one "
                              "variance, that of the differences. Leave equal_var out or set paired=False.")
    if method == "t" and (not correct or exact is not None):
        raise ComparisonError("correct= and exact= apply to the rank tests; method='t' has neither. Use "
                              "method='rank' (or 'auto') or leave them out.")
    if method == "rank" and equal_var:
        raise ComparisonError("equal_var=True applies to the t test; method='rank' has no variance "
                              "assumption. Use method='t' (or 'auto') or leave it out.")


def compare_ratings(data: pd.DataFrame, *, score: str, by: str = "design", paired: bool = False,
                    method: str = "auto", subject: str = "participant", task: str | None = None,
                    reference=None, alternative: str = "two-sided", confidence_level: float = 0.95,
                    p_adjust: str = "holm", equal_var: bool = False, correct: bool = True,
                    exact: bool | None = None) -> pd.DataFrame:
    """Compare ratings of two designs with a t test or a rank test.

    Parameters
    ----------
    data : DataFrame
        Long-form: one row per rating.
    score : str
        The rating column (SEQ, a SUS score, ...).
    by : str
        The column holding the two designs.
    paired : bool
        Within subjects: paired t or Wilcoxon signed-rank on the differences.
    method : {"auto", "t", "rank"}
        "t": Welch's t (``equal_var=True``: Student's pooled t; paired: paired t); "rank":
        Mann-Whitney U (paired: Wilcoxon signed-rank);
        "auto": rank test when the smallest group has fewer than 15 ratings **and**
        a Shapiro-Wilk test has p < .05 in a group (paired: in the differences),
        otherwise t. The reason is written into ``method``.
    subject : str
        Participant id: pairs ratings when ``paired``; unpaired rows of one
        participant and design are averaged first so each participant counts once.
    task : str, optional
        Compare task by task: one row per task, p-values adjusted across tasks.
    reference : optional
        The design subtracted (default: the first in sorted order).
    alternative : {"two-sided", "less", "greater"}
        "greater": the other design is rated higher than the reference.
    confidence_level : float
        Of the (always two-sided) interval.
    p_adjust : {"holm", "fdr_bh", "bonferroni", "none"}
    equal_var : bool
        Unpaired t only: False (default) Welch's t; True Student's t with the pooled variance,
        as R's ``t.test(var.equal=TRUE)``. The effect size is Hedges' g either way.
    correct : bool
        Rank tests: the continuity correction of the normal approximation, as R's
        ``wilcox.test(correct=TRUE)`` (default); False leaves it out.
    exact : bool or None
        Rank tests: None (default) follows R's rule, exact when fewer than 50 values per group
        (paired: nonzero differences) and no ties (or zero differences); True asks for the exact
        test (normal with a warning when ties make it impossible); False always normal.

    Returns
    -------
    DataFrame
        Result schema, one row per task (or one row): ``term`` ("Redesign − Current"),
        ``n`` (ratings in both groups, or pairs), ``estimate`` with ``ci_low``/``ci_high``
        (t: difference of means with its Welch, Student or paired t interval; rank: the
        Hodges-Lehmann shift with its distribution-free interval), ``std_error`` (t
        only), ``statistic`` (t; U of the other design; or W+ = R's V, the sum of the
        positive ranks), ``df`` (t only), ``p_value`` (never 0: the smallest positive double
        when the true p is below the floating-point range), ``log10_p_value`` (computed in
        log space), ``alternative``, ``p_adjusted``,
        ``p_adjust_method``, ``effect_size`` and ``effect_size_type`` (Hedges' g /
        g_z for t; rank-biserial r for rank tests), ``confidence_level`` (rank tests: the
        level reached, with a warning, when so few distinct values cannot reach the one asked
        for, as R reports it), ``method`` (the test as R names it, zero differences dropped,
        and a note when the Hodges-Lehmann interval has zero width).

    Notes
    -----
    Ratings are bounded and discrete, yet Sauro & Lewis (2016, ch. 5 and 9) show the
    t test is robust for them and recommend it; rank tests are the fallback for
    small, clearly non-normal samples, hence the "auto" rule above (Shapiro & Wilk
    1965 as the check). The t tests are those of R's ``t.test`` (Welch 1947; Student's
    pooled variance; paired), by :func:`uxcx._core.t_tests.t_compare`; data without any
    spread (R: "data are essentially constant") give a warning and no test, and a design
    whose ratings are all the same is named in a warning. The rank tests are those of R's
    ``wilcox.test`` (:func:`uxcx._core.rank_sum.rank_sum_test`,
    :func:`uxcx._core.signed_rank.signed_rank_test`): exact below 50 values without ties
    (or zero differences), else normal with tie and continuity corrections; zero
    differences dropped; the Hodges-Lehmann interval exact or by inverting the normal
    approximation, as R gives it, with a note and a warning when ties make it zero-width
    (Hollander, Wolfe & Chicken 2014, ch. 3-4). The interval is two-sided whatever the
    ``alternative``.

    Effect sizes: Hedges' g = J(df) (mean_a - mean_b) / s_pooled and, paired,
    g_z = J(n - 1) mean(d) / SD(d) (Hedges 1981); their noncentral-t intervals come
    from :func:`uxcx.ux.compare.hedges_g`. The rank-biserial correlation is
    r = 2U/(n_a n_b) - 1 for Mann-Whitney and (W+ - W-)/(W+ + W-) for the signed-rank
    test (Kerby 2014); it runs from -1 (all of the reference above) to 1.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    chapters 5 and 9. Morgan Kaufmann.

    Welch, B. L. (1947). The generalization of "Student's" problem when several
    different population variances are involved. *Biometrika*, 34(1-2), 28-35.

    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random
    variables is stochastically larger than the other. *Annals of Mathematical
    Statistics*, 18(1), 50-60.

    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics
    Bulletin*, 1(6), 80-83.

    Shapiro, S. S., & Wilk, M. B. (1965). An analysis of variance test for normality
    (complete samples). *Biometrika*, 52(3-4), 591-611.

    Kerby, D. S. (2014). The simple difference formula: an approach to teaching
    nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.

    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric Statistical
    Methods* (3rd ed.). Wiley.

    Examples
    --------
    >>> d = pd.DataFrame({"design": ["A"] * 6 + ["B"] * 6, "participant": range(12),
    ...                   "seq": [6, 7, 5, 6, 7, 6, 4, 5, 3, 5, 4, 6]})
    >>> r = compare_ratings(d, score="seq", method="rank", reference="B")
    >>> r[["term", "estimate", "statistic", "effect_size"]].round(3).to_dict("records")
    [{'term': 'A − B', 'estimate': 2.0, 'statistic': 32.5, 'effect_size': 0.806}]
    """
    check_choice("method", method, ("auto", "t", "rank"))
    for name, value in (("equal_var", equal_var), ("correct", correct)):
        check_choice(name, value, (True, False))
    check_choice("exact", exact, (None, True, False))
    check_choice("alternative", alternative, ALTERNATIVES)
    _check_combination(paired=paired, method=method, equal_var=equal_var, correct=correct, exact=exact)
    level = check_level(confidence_level)
    frame = comparison_frame(data, score, "score", by=by, subject=subject, task=task, need_subject=paired)
    levels = two_levels(frame[by], by, reference)
    subj = subject if subject in frame.columns else None

    def kernel(part, label):
        a, b, note = split_groups(part, value=score, by=by, subject=subj, paired=paired, levels=levels,
                                  aggregate="mean", label=label)
        if min(len(a), len(b)) < 2:
            raise ComparisonError(f"each design needs at least 2 ratings{label}; got {len(a)} and {len(b)}.")
        if method == "auto":
            samples = {"the differences": a - b} if paired else {str(levels[0]): a, str(levels[1]): b}
            chosen, reason = _auto(samples)
            reason = f" ({reason})"
        else:
            chosen, reason = method, ""
        row = {"term": term(*levels), "alternative": alternative, "confidence_level": level}
        if chosen == "t":
            res = t_compare(a, b, paired=paired, equal_var=equal_var, alternative=alternative,
                            confidence_level=level, names=(f"{by} {levels[0]}", f"{by} {levels[1]}"),
                            label=label)
            g = g_two(a, b, level, paired)
            name = res.pop("name")
            return {**row, **res, "n": g["n"], "effect_size": g["estimate"],
                    "effect_size_type": "Hedges' g_z" if paired else "Hedges' g",
                    "method": f"{name}{note}; difference of means{reason}"
                              + underflow_note(res["log10_p_value"])}
        options = dict(alternative=alternative, confidence_level=level, correct=correct, exact=exact,
                       label=label)
        if paired:
            res = signed_rank_test(a - b, **options)
            es_type = "rank-biserial r (matched pairs)"
        else:
            res = rank_sum_test(a, b, **options)
            es_type = "rank-biserial r"
        test, _, rest = res.pop("method").partition(";")
        return {**row, **res, "effect_size_type": es_type, "method": f"{test}{note};{rest}{reason}"}

    return run_by_task(frame, task=task, kernel=kernel, p_adjust=p_adjust)
