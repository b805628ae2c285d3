"""Short questionnaires: the Single Ease Question (SEQ) and the UMUX-Lite.

Re-exported by :mod:`uxcx.ux.questionnaires`. Scoring returns a Series; the
inference functions return result frames in the kit's schema.
"""

from __future__ import annotations

import pandas as pd

from uxcx.errors import UxcxError
from uxcx.ux.questionnaire_stats import (
    ALTERNATIVES,
    check_confidence,
    check_option,
    group_keys,
    item_matrix,
    score_frame,
)

__all__ = ["UMUX_LITE_ITEMS", "seq", "umux_lite_score", "umux_lite_sus", "umux_lite"]

UMUX_LITE_ITEMS = ("umux_lite_1", "umux_lite_2")
# Lewis, Utesch & Maher (2013): SUS ~ 0.65 * UMUX-Lite + 22.9.
UMUX_LITE_SLOPE, UMUX_LITE_INTERCEPT = 0.65, 22.9
# Sauro (2012): the historical average SEQ is about 5.5.
SEQ_BENCHMARK = 5.5


def seq(data: pd.DataFrame, *, score: str = "seq", by=None, benchmark: float = SEQ_BENCHMARK,
        confidence_level: float = 0.95, alternative: str = "two-sided") -> pd.DataFrame:
    """Mean Single Ease Question rating with a t interval, tested against a benchmark.

    Parameters
    ----------
    data : DataFrame
        One row per participant x task (the usability source), SEQ 1 (very
        difficult) to 7 (very easy); empty cells are left out.
    score : str, default "seq"
        The SEQ column.
    by : str or list of str, optional
        Grouping columns, usually ``"task"`` (and ``"design"``). Without it
        all ratings are pooled.
    benchmark : float, default 5.5
        The mean to test against; 5.5 is the historical average SEQ across
        the tasks Sauro (2012) reports on.
    confidence_level : float, default 0.95
        Confidence level of the intervals.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        The alternative hypothesis about the mean against ``benchmark``;
        ``"greater"`` asks whether the task is easier than the benchmark. A
        one-sided alternative gives one-sided intervals (an infinite bound), as
        :func:`scipy.stats.ttest_1samp` does.

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, then the result schema with
        ``term`` = "seq", ``n``, ``estimate`` (mean SEQ), ``std_error``,
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``,
        ``statistic`` (t), ``df`` (n - 1), ``p_value`` (then ``log10_p_value``,
        computed in log space), ``alternative``, ``effect_size`` (Cohen's d =
        (mean - benchmark) / sd) and ``effect_size_type``; ``p_adjusted`` and
        ``p_adjust_method`` are NaN. Two extra columns follow the schema:
        ``effect_size_ci_low`` and ``effect_size_ci_high``, the interval for d.
        For any other score against any benchmark use :func:`uxcx.mean_benchmark`.

    Notes
    -----
    t = (mean - benchmark) / (sd / sqrt(n)) on n - 1 degrees of freedom, the
    one-sample t test Sauro & Lewis (2016, ch. 4) use to compare a rating
    with a benchmark. The interval for d inverts the noncentral t
    distribution: the noncentrality lambda whose distribution puts the
    observed t at the tail probabilities, divided by sqrt(n) (Steiger &
    Fouladi 1997; Cumming & Finch 2001). Ratings are treated as independent:
    group by task so that one participant contributes one rating per row;
    pooling tasks counts each participant several times and makes the
    interval too narrow. The SEQ itself is from Sauro & Dumas (2009).

    References
    ----------
    .. [1] Sauro, J., & Dumas, J. S. (2009). Comparison of three one-question,
       post-task usability questionnaires. *Proceedings of CHI 2009*
       (pp. 1599-1608). ACM.
    .. [2] Sauro, J. (2012). 10 things to know about the Single Ease Question
       (SEQ). MeasuringU, https://measuringu.com/seq10/.
    .. [3] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience*
       (2nd ed.), ch. 4. Cambridge, MA: Morgan Kaufmann.
    .. [4] Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval
       estimation and the evaluation of statistical models. In L. L. Harlow,
       S. A. Mulaik & J. H. Steiger (Eds.), *What If There Were No
       Significance Tests?* (pp. 221-257). Mahwah, NJ: Erlbaum.
    .. [5] Cumming, G., & Finch, S. (2001). A primer on the understanding,
       use, and calculation of confidence intervals that are based on central
       and noncentral distributions. *Educational and Psychological
       Measurement*, 61(4), 532-574.

    Examples
    --------
    >>> attempts = pd.DataFrame({"task": ["A"] * 5 + ["B"] * 5,
    ...                          "seq": [6, 7, 5, 6, 7, 3, 4, 5, 2, 4]})
    >>> r = seq(attempts, by="task")
    >>> r[["task", "n", "estimate", "statistic", "p_value", "effect_size"]].round(3).to_dict("records")
    [{'task': 'A', 'n': 5, 'estimate': 6.2, 'statistic': 1.871, 'p_value': 0.135, 'effect_size': 0.837}, \
{'task': 'B', 'n': 5, 'estimate': 3.6, 'statistic': -3.726, 'p_value': 0.02, 'effect_size': -1.666}]
    """
    level = check_confidence(confidence_level)
    check_option("alternative", alternative, ALTERNATIVES)
    keys = group_keys(data, by)
    values = pd.Series(item_matrix(data, [score], 1, 7, "SEQ")[:, 0], index=data.index)
    method = f"one-sample t test against {benchmark:g}; t interval; d interval by noncentral t"
    return score_frame(values, data, keys, term="seq", confidence_level=level, alternative=alternative,
                       mu=float(benchmark), what="SEQ ratings", method=method)


def umux_lite_score(data: pd.DataFrame, *, items=UMUX_LITE_ITEMS) -> pd.Series:
    """UMUX-Lite score (0-100) of every respondent.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the two items answered 1 (strongly disagree)
        to 7 (strongly agree).
    items : pair of str, default ("umux_lite_1", "umux_lite_2")
        The item columns: capabilities meet my requirements; easy to use.

    Returns
    -------
    Series of float
        ``(item1 + item2 - 2) / 12 * 100``, 0 to 100; NaN when either item is
        unanswered. Named ``umux_lite``, indexed like ``data``.

    Notes
    -----
    The UMUX-Lite is the two positively worded items of the UMUX (Lewis,
    Utesch & Maher 2013), rescaled linearly to 0-100. Compare it with SUS
    norms through :func:`umux_lite_sus`.

    References
    ----------
    .. [1] Lewis, J. R., Utesch, B. S., & Maher, D. E. (2013). UMUX-LITE:
       when there's no time for the SUS. *Proceedings of CHI 2013*
       (pp. 2099-2102). ACM.

    Examples
    --------
    >>> answers = pd.DataFrame({"umux_lite_1": [7, 4, 1], "umux_lite_2": [6, 4, None]})
    >>> umux_lite_score(answers).round(2).tolist()
    [91.67, 50.0, nan]
    """
    items = list(items)
    x = item_matrix(data, items, 1, 7, "UMUX-Lite")
    if x.shape[1] != 2:
        raise UxcxError(f"items must name the two UMUX-Lite item columns; got {items}")
    return pd.Series((x.sum(axis=1) - 2) / 12 * 100, index=data.index, name="umux_lite")


def umux_lite_sus(data: pd.DataFrame, *, items=UMUX_LITE_ITEMS) -> pd.Series:
    """UMUX-Lite on the SUS scale, by Lewis, Utesch & Maher's (2013) regression.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the two items answered 1 to 7.
    items : pair of str, default ("umux_lite_1", "umux_lite_2")
        The item columns.

    Returns
    -------
    Series of float
        ``0.65 * umux_lite_score + 22.9``, from 22.9 to 87.9; NaN when either
        item is unanswered. Named ``umux_lite_sus``.

    Notes
    -----
    The regression of SUS on UMUX-Lite in Lewis et al. (2013), checked on
    independent data by Lewis, Utesch & Maher (2015, mean difference 1.1
    points). Use it to read a UMUX-Lite mean against SUS norms. It cannot
    reach 0 or 100, and later MeasuringU work finds the plain score
    (:func:`umux_lite_score`) tracks the SUS as well or better for products
    with above-average usability, so say which one a report uses.

    References
    ----------
    .. [1] Lewis, J. R., Utesch, B. S., & Maher, D. E. (2013). UMUX-LITE:
       when there's no time for the SUS. *Proceedings of CHI 2013*
       (pp. 2099-2102). ACM.
    .. [2] Lewis, J. R., Utesch, B. S., & Maher, D. E. (2015). Investigating
       the correspondence between UMUX-LITE and SUS scores. In A. Marcus
       (Ed.), *Design, User Experience, and Usability*, LNCS 9186
       (pp. 204-211). Cham: Springer.

    Examples
    --------
    >>> umux_lite_sus(pd.DataFrame({"umux_lite_1": [7, 1], "umux_lite_2": [7, 1]})).round(2).tolist()
    [87.9, 22.9]
    """
    score = umux_lite_score(data, items=items)
    return (UMUX_LITE_SLOPE * score + UMUX_LITE_INTERCEPT).rename("umux_lite_sus")


def umux_lite(data: pd.DataFrame, *, by=None, sus_comparable: bool = True, items=UMUX_LITE_ITEMS,
              confidence_level: float = 0.95, benchmark: float | None = None,
              alternative: str = "two-sided") -> pd.DataFrame:
    """Mean UMUX-Lite score per group with a t interval, tested against a benchmark if one is given.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; the two items answered 1 to 7.
    by : str or list of str, optional
        Grouping columns; missing keys form their own group.
    sus_comparable : bool, default True
        True: the regression score on the SUS scale (:func:`umux_lite_sus`);
        False: the plain 0-100 score (:func:`umux_lite_score`).
    items : pair of str, default ("umux_lite_1", "umux_lite_2")
        The item columns.
    confidence_level : float, default 0.95
        Confidence level of the interval.
    benchmark : float, optional
        A mean to test against on the score's scale (68, the SUS average, for
        the SUS-comparable score): a one-sample t test as in :func:`seq`
        (:func:`uxcx.mean_benchmark` is the same test for any score).
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        The alternative about the mean against ``benchmark``; one-sided gives a
        one-sided interval. Used only with ``benchmark``.

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, then the result schema with
        ``term`` ("umux_lite_sus" or "umux_lite"), ``n``, ``estimate``
        (mean score), ``std_error``, ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``; the test columns are NaN without a
        ``benchmark``, and with one filled as :func:`seq` fills them.

    Notes
    -----
    mean +/- t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n). The regression is
    linear, so the mean of the SUS-comparable scores is the regression of the
    mean score, and its interval is the plain interval times 0.65, shifted.

    References
    ----------
    .. [1] Lewis, J. R., Utesch, B. S., & Maher, D. E. (2013). UMUX-LITE:
       when there's no time for the SUS. *Proceedings of CHI 2013*
       (pp. 2099-2102). ACM.
    .. [2] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience*
       (2nd ed.), ch. 3. Cambridge, MA: Morgan Kaufmann.

    Examples
    --------
    >>> answers = pd.DataFrame({"umux_lite_1": [6, 5, 7, 4], "umux_lite_2": [6, 6, 7, 5]})
    >>> umux_lite(answers)[["term", "n", "estimate", "ci_low", "ci_high"]].round(2).to_dict("records")
    [{'term': 'umux_lite_sus', 'n': 4, 'estimate': 74.36, 'ci_low': 56.42, 'ci_high': 92.3}]
    """
    level = check_confidence(confidence_level)
    check_option("alternative", alternative, ALTERNATIVES)
    keys = group_keys(data, by)
    scorer = umux_lite_sus if sus_comparable else umux_lite_score
    values = scorer(data, items=items)
    method = ("t interval for the mean UMUX-Lite, SUS-comparable (0.65 * score + 22.9, Lewis et al. 2013)"
              if sus_comparable else "t interval for the mean UMUX-Lite (0-100)")
    if benchmark is not None:
        method = f"one-sample t test against {float(benchmark):g}; {method}; d interval by noncentral t"
    return score_frame(values, data, keys, term=values.name, method=method, confidence_level=level,
                       alternative=alternative if benchmark is not None else "two-sided",
                       mu=None if benchmark is None else float(benchmark), what="UMUX-Lite scores")
