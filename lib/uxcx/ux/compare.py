"""Comparisons of two designs as Sauro & Lewis (2016, ch. 5-7) make them.

Completion rates (N-1 two-proportion test; McNemar mid-p or exact within subjects),
task times (Welch, Student or paired t on log time, ratio of geometric means), ratings
(t or rank tests as R's ``t.test`` and ``wilcox.test``, with effect sizes),
multiple-comparison adjustment, the Single Usability Metric (:mod:`uxcx.ux.single_metric`)
and sample-size planning (:mod:`uxcx.ux.planning`).

Every test compares two levels of ``by``; the ``term`` column says which is
subtracted from which ("Redesign − Current"); ``reference=`` picks the level
subtracted (default: the first in sorted order).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core.compare import (
    ALTERNATIVES,
    ComparisonError,
    adjust_p,
    check_choice,
    check_level,
    comparison_frame,
    p_log10_from_z,
    run_by_task,
    split_groups,
    term,
    two_levels,
    z_crit,
)
from uxcx._core.docs import fill_doc
from uxcx._core.effects import cohens_h, hedges_g
from uxcx._core.mcnemar import MCNEMAR_TESTS, mcnemar_p
from uxcx._core.pvalues import underflow_note
from uxcx._core.rating_tests import compare_ratings
from uxcx._core.t_tests import t_compare
from uxcx.errors import UxcxWarning
from uxcx.ux.completion import SUCCESS_EXPECTED, SUCCESS_VALUES, partial_credit
from uxcx.ux.planning import (
    discovery,
    sample_size_discovery,
    sample_size_margin,
    sample_size_two_proportions,
)
from uxcx.ux.single_metric import sum_score

__all__ = ["compare_completion", "compare_times", "compare_ratings", "hedges_g", "adjust_p", "sum_score",
           "sample_size_margin", "sample_size_two_proportions", "sample_size_discovery", "discovery",
           "ComparisonError"]

_REFS = """
    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience: Practical
    Statistics for User Research* (2nd ed.), chapter 5. Morgan Kaufmann.
"""


def _prepare(data, value, param, *, by, subject, task, paired, alternative, confidence_level, **rules):
    check_choice("alternative", alternative, ALTERNATIVES)
    level = check_level(confidence_level)
    frame = comparison_frame(data, value, param, by=by, subject=subject, task=task, need_subject=paired,
                             **rules)
    return frame, level


def compare_completion(data: pd.DataFrame, *, success: str = "success", by: str = "design",
                       paired: bool = False, subject: str = "participant", task: str | None = None,
                       reference=None, alternative: str = "two-sided", confidence_level: float = 0.95,
                       partial: float = 0.5, p_adjust: str = "holm", mcnemar: str = "mid-p") -> pd.DataFrame:
    """Compare completion rates of two designs.

    Parameters
    ----------
    data : DataFrame
        Long-form usability data: one row per attempt.
    success : str
        Task success: 1, 0, or 0.5 for a partial success.
    by : str
        The column holding the two designs.
    paired : bool
        False: different participants per design (N-1 two-proportion test).
        True: the same participants tried both (McNemar exact mid-p test).
    subject : str
        Participant id; pairs attempts when ``paired``.
    task : str, optional
        Compare task by task: one row per task, p-values adjusted across tasks.
    reference : optional
        The design subtracted (default: the first in sorted order).
    alternative : {"two-sided", "less", "greater"}
        "greater": the other design's rate is higher than the reference's.
    confidence_level : float
        Of the (always two-sided) interval of the difference.
    partial : float
        The credit a partial success (0.5 in the data) earns: 0.5 (default, half a
        success), 0 (strict) or 1 (lenient). Paired comparisons need 0 or 1.
    p_adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Adjustment across tasks (see :func:`adjust_p`).
    mcnemar : {"mid-p", "exact"}
        Paired only: the McNemar mid-p test (default) or the exact conditional test, the
        binomial test of the discordant pairs that R's ``exact2x2::mcnemar.exact`` and
        ``binom.test(b, b + c)`` give.

    Returns
    -------
    DataFrame
        Result schema, one row per task (or one row): ``term`` (e.g. "Redesign −
        Current"), ``n`` (attempts in both groups, or pairs), ``estimate`` (difference
        of completion rates), ``std_error`` and ``ci_low``/``ci_high`` (adjusted-Wald
        interval of the difference), ``statistic`` (z of the N-1 test; paired: the
        number of discordant pairs in which only the other design succeeded), ``df``
        (NaN), ``p_value`` (never 0), ``log10_p_value`` (computed in log space),
        ``alternative``, ``p_adjusted``, ``p_adjust_method``,
        ``effect_size`` (Cohen's h of the two rates), ``effect_size_type``,
        ``confidence_level``, ``method``.

    Notes
    -----
    **Between subjects**, the N-1 two-proportion test (Campbell 2007; Sauro & Lewis
    2016, ch. 5): with x successes of n attempts per group, N = n1 + n2 and
    P = (x1 + x2)/N, Q = 1 - P,

        z = (p1 - p2) / sqrt(P Q (1/n1 + 1/n2)) * sqrt((N - 1)/N).

    Campbell showed it keeps its nominal error rate down to expected cell counts
    of 1, which is why Sauro & Lewis recommend it over chi-square and Fisher's test
    for usability samples. The interval of the difference is the adjusted Wald of
    Agresti & Caffo (2000) as Sauro & Lewis (ch. 5) give it: each group gets
    z^2/4 added to its successes and z^2/2 to its attempts (about 1 success and 1
    failure at 95%), and the Wald interval is built on the adjusted proportions;
    the estimate itself is the observed difference.

    **Within subjects**, the McNemar exact mid-p test (Fagerland, Lydersen & Laake
    2013) on the discordant pairs: with b pairs in which only the other design
    succeeded and c in which only the reference did, b ~ Binomial(b + c, 1/2)
    under the null, and the two-sided mid-p is 2 P(X <= min(b, c)) - P(X = min(b, c)).
    ``mcnemar="exact"`` gives the exact conditional test, 2 P(X <= min(b, c)) capped at 1
    (McNemar 1947 in its exact form; R's ``binom.test(b, b + c)``), which Fagerland et al.
    found conservative; the mid-p keeps closer to the nominal level.
    Both p-values are summed from binomial log-probabilities (:mod:`uxcx._core.mcnemar`)
    and the N-1 test's from the normal tail in log space, so none reads 0.
    The interval is the adjusted Wald for matched pairs (Agresti & Min 2005, as in
    Sauro & Lewis ch. 5): z^2/8 is added to each of the four cells (about 1/2 at
    95%), N' = N + z^2/2, p12 = b'/N', p21 = c'/N', and the interval is
    p12 - p21 +/- z sqrt((p12 + p21 - (p12 - p21)^2) / N'). The estimate is the
    observed difference of the two marginal rates, (b - c)/N.

    When participants attempted several tasks and ``task`` is not given, the
    attempts are pooled and treated as independent, which they are not; a
    :class:`UxcxWarning` says so. Compare task by task (``task="task"``).
{refs}
    Campbell, I. (2007). Chi-squared and Fisher-Irwin tests of two-by-two tables with
    small sample recommendations. *Statistics in Medicine*, 26(19), 3661-3675.

    Agresti, A., & Caffo, B. (2000). Simple and effective confidence intervals for
    proportions and differences of proportions result from adding two successes and
    two failures. *The American Statistician*, 54(4), 280-288.

    Fagerland, M. W., Lydersen, S., & Laake, P. (2013). The McNemar test for binary
    matched-pairs data: mid-p and asymptotic are better than exact conditional.
    *BMC Medical Research Methodology*, 13, 91.

    Agresti, A., & Min, Y. (2005). Simple improved confidence intervals for comparing
    matched proportions. *Statistics in Medicine*, 24(5), 729-740.

    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.). Erlbaum.

    Examples
    --------
    11 of 12 succeed on design A, 5 of 10 on design B:

    >>> d = pd.DataFrame({"design": ["A"] * 12 + ["B"] * 10,
    ...                   "success": [1] * 11 + [0] + [1] * 5 + [0] * 5})
    >>> r = compare_completion(d, reference="B")
    >>> r[["term", "estimate", "statistic", "p_value"]].round(3).to_dict("records")
    [{'term': 'A − B', 'estimate': 0.417, 'statistic': 2.135, 'p_value': 0.033}]
    """
    check_choice("mcnemar", mcnemar, MCNEMAR_TESTS)
    if mcnemar != "mid-p" and not paired:
        raise ComparisonError(f"mcnemar={mcnemar!r} applies to paired comparisons (the same participants on "
                              "both designs); pass paired=True, or leave it out for the N-1 test.")
    frame, level = _prepare(data, success, "success", by=by, subject=subject, task=task, paired=paired,
                            alternative=alternative, confidence_level=confidence_level,
                            expected=SUCCESS_EXPECTED, allowed=SUCCESS_VALUES)
    frame[success] = partial_credit(frame[success], partial, error=ComparisonError)
    if paired and not frame[success].isin([0, 1]).all():
        raise ComparisonError("the McNemar test needs each attempt to be a success or a failure; the "
                              "data hold partial successes. Pass partial=0 (strict) or partial=1 (lenient).")
    levels = two_levels(frame[by], by, reference)
    z = z_crit(level)
    credit = "" if partial == 0.5 or not (data[success] == 0.5).any() else f"; partial success = {partial:g}"

    def unpaired(part, label):
        if subject in part.columns and part.duplicated([subject, by]).any():
            warnings.warn(f"participants made several attempts per design{label}; the N-1 test treats them "
                          "as independent, so its p-value is too small. Pass task= to compare task by task.",
                          UxcxWarning, stacklevel=4)
        a, b, _ = split_groups(part, value=success, by=by, subject=None, paired=False, levels=levels,
                               aggregate=None)
        n1, n2 = len(a), len(b)
        if n1 == 0 or n2 == 0:
            raise ComparisonError(f"each design needs at least one attempt{label}; got {n1} and {n2}.")
        x1, x2 = a.sum(), b.sum()
        p1, p2 = x1 / n1, x2 / n2
        big_n = n1 + n2
        pooled = (x1 + x2) / big_n
        denom = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        stat = (p1 - p2) / denom * np.sqrt((big_n - 1) / big_n) if denom > 0 else 0.0
        a1, a2 = (x1 + z * z / 4) / (n1 + z * z / 2), (x2 + z * z / 4) / (n2 + z * z / 2)
        se = np.sqrt(a1 * (1 - a1) / (n1 + z * z / 2) + a2 * (1 - a2) / (n2 + z * z / 2))
        p, log10_p = p_log10_from_z(stat, alternative)
        return {"n": big_n, "estimate": p1 - p2, "std_error": se,
                "ci_low": max(-1.0, a1 - a2 - z * se), "ci_high": min(1.0, a1 - a2 + z * se),
                "statistic": stat, "p_value": p, "log10_p_value": log10_p, "effect_size": cohens_h(p1, p2)}

    def within(part, label):
        a, b, _ = split_groups(part, value=success, by=by, subject=subject, paired=True, levels=levels,
                               aggregate=None, label=label)
        n = len(a)
        if n == 0:
            raise ComparisonError(f"no participant has attempts on both designs{label}.")
        only_a, only_b = float(np.sum((a == 1) & (b == 0))), float(np.sum((a == 0) & (b == 1)))
        both = float(np.sum((a == 1) & (b == 1)))
        p, log10_p = mcnemar_p(only_a, only_b, alternative, mcnemar)
        add = z * z / 8
        n_adj = n + 4 * add
        p12, p21 = (only_a + add) / n_adj, (only_b + add) / n_adj
        se = np.sqrt((p12 + p21 - (p12 - p21) ** 2) / n_adj)
        pa, pb = (both + only_a) / n, (both + only_b) / n
        return {"n": n, "estimate": pa - pb, "std_error": se,
                "ci_low": max(-1.0, p12 - p21 - z * se), "ci_high": min(1.0, p12 - p21 + z * se),
                "statistic": only_a, "p_value": p, "log10_p_value": log10_p, "effect_size": cohens_h(pa, pb)}

    if paired:
        test = ("McNemar exact mid-p test (Fagerland et al. 2013)" if mcnemar == "mid-p" else
                "McNemar exact conditional test (binomial on the discordant pairs, McNemar 1947)")
        method = f"{test}; adjusted-Wald interval for matched proportions (Agresti & Min 2005)"
    else:
        method = "N-1 two-proportion test (Campbell 2007); adjusted-Wald interval (Agresti & Caffo 2000)"

    def kernel(part, label):
        row = (within if paired else unpaired)(part, label)
        return {"term": term(*levels), **row, "alternative": alternative, "confidence_level": level,
                "method": method + credit + underflow_note(row["log10_p_value"]),
                "effect_size_type": "Cohen's h"}

    return run_by_task(frame, task=task, kernel=kernel, p_adjust=p_adjust)


fill_doc(compare_completion, refs=_REFS)


def compare_times(data: pd.DataFrame, *, time: str = "time_s", by: str = "design", paired: bool = False,
                  subject: str = "participant", task: str | None = None, reference=None,
                  alternative: str = "two-sided", confidence_level: float = 0.95,
                  p_adjust: str = "holm", equal_var: bool = False) -> pd.DataFrame:
    """Compare task times of two designs on the log scale.

    Parameters
    ----------
    data : DataFrame
        Long-form usability data: one row per attempt.
    time : str
        Time on task in seconds (> 0).
    by : str
        The column holding the two designs.
    paired : bool
        False: Welch's t test on log times (Student's with ``equal_var=True``); True: paired
        t test on log times.
    subject : str
        Participant id. Several rows of one participant and design (several tasks
        with ``task`` not given) are first averaged on the log scale, so each
        participant counts once.
    task : str, optional
        Compare task by task: one row per task, p-values adjusted across tasks.
    reference : optional
        The design divided by (default: the first in sorted order).
    alternative : {"two-sided", "less", "greater"}
        "less": the other design is faster than the reference.
    confidence_level : float
        Of the (always two-sided) interval of the ratio.
    p_adjust : {"holm", "fdr_bh", "bonferroni", "none"}
    equal_var : bool
        Unpaired only: True gives Student's t with the pooled variance of the log times, as
        R's ``t.test(log(a), log(b), var.equal=TRUE)``; False (default) Welch's.

    Returns
    -------
    DataFrame
        Result schema, one row per task (or one row): ``term`` ("Redesign − Current",
        a difference of log times), ``n`` (observations in both groups, or pairs),
        ``estimate`` (ratio of geometric-mean times, other / reference: 0.8 means 20%
        faster), ``std_error`` (of the ratio, delta method), ``ci_low``/``ci_high``
        (the t interval of the log difference, exponentiated), ``statistic`` (t),
        ``df`` (Welch-Satterthwaite, n_a + n_b - 2, or n - 1), ``p_value`` (never 0),
        ``log10_p_value`` (computed in log space), ``alternative``,
        ``p_adjusted``, ``p_adjust_method``, ``effect_size`` (the ratio again),
        ``effect_size_type`` ("ratio of geometric means"), ``confidence_level``, ``method``.

    Notes
    -----
    Task times are positively skewed; Sauro & Lewis (2016, ch. 5) compare them
    after a log transform, which makes their distribution close to normal and turns
    the difference of means into a ratio of geometric means,
    exp(mean(ln t_a) - mean(ln t_b)). Welch's t (Welch 1947) does not assume equal
    variances: t = (m_a - m_b) / sqrt(s_a^2/n_a + s_b^2/n_b) with
    Welch-Satterthwaite df; Student's pooled t (``equal_var=True``) assumes equal
    variances of the log times; within subjects the paired t on ln t_a - ln t_b. All three
    are R's ``t.test`` (:func:`uxcx._core.t_tests.t_compare`); times without any spread
    get a warning and no test. For
    an interval of a standardised effect use :func:`hedges_g` on the log times.
{refs}
    Welch, B. L. (1947). The generalization of "Student's" problem when several
    different population variances are involved. *Biometrika*, 34(1-2), 28-35.

    Examples
    --------
    >>> d = pd.DataFrame({"design": ["A"] * 5 + ["B"] * 5, "participant": range(10),
    ...                   "time_s": [40, 52, 38, 61, 45, 60, 75, 58, 90, 66]})
    >>> r = compare_times(d, reference="B")
    >>> r[["term", "estimate", "ci_low", "ci_high", "p_value"]].round(3).to_dict("records")
    [{'term': 'A − B', 'estimate': 0.675, 'ci_low': 0.514, 'ci_high': 0.887, 'p_value': 0.011}]
    """
    if equal_var and paired:
        raise ComparisonError("equal_var=True applies to the unpaired t test; a paired t test has one "
                              "variance, that of the differences. Leave equal_var out or set paired=False.")
    frame, level = _prepare(data, time, "time", by=by, subject=subject, task=task, paired=paired,
                            alternative=alternative, confidence_level=confidence_level,
                            expected="a time in seconds > 0 (times are compared on the log scale)",
                            minimum=0, strict=True)
    frame[time] = np.log(frame[time])
    levels = two_levels(frame[by], by, reference)
    subj = subject if subject in frame.columns else None

    def kernel(part, label):
        a, b, note = split_groups(part, value=time, by=by, subject=subj, paired=paired, levels=levels,
                                  aggregate="mean", label=label)
        res = t_compare(a, b, paired=paired, equal_var=equal_var, alternative=alternative,
                        confidence_level=level, names=(f"{by} {levels[0]}", f"{by} {levels[1]}"),
                        what="log time", label=label)
        name = res.pop("name") + " on log time"
        ratio, se = float(np.exp(res["estimate"])), res["std_error"]
        return {**res, "term": term(*levels), "n": len(a) if paired else len(a) + len(b), "estimate": ratio,
                "std_error": ratio * se, "ci_low": float(np.exp(res["ci_low"])),
                "ci_high": float(np.exp(res["ci_high"])), "confidence_level": level,
                "method": f"{name}{note}; ratio of geometric means{underflow_note(res['log10_p_value'])}",
                "alternative": alternative, "effect_size": ratio,
                "effect_size_type": "ratio of geometric means"}

    return run_by_task(frame, task=task, kernel=kernel, p_adjust=p_adjust)


fill_doc(compare_times, refs=_REFS)
