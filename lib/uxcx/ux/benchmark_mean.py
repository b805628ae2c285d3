"""A mean against a benchmark for any score: SUS against 68, CSAT or CES against a target, any rating.

The general form of the tests :func:`uxcx.seq` (against 5.5), :func:`uxcx.sus`,
:func:`uxcx.umux_lite` and :func:`uxcx.mean_score` run when given ``benchmark=``;
all share :func:`uxcx._core.benchmark.mean_rows`, so they give the same numbers.
"""

from __future__ import annotations

import pandas as pd

from uxcx._core.benchmark import group_names, mean_frame, mean_rows
from uxcx._core.checks import ALTERNATIVES, by_columns, check_level, check_option, require
from uxcx._core.common import group_ids
from uxcx._core.targets import default_target
from uxcx.errors import UxcxError
from uxcx.ux.score_values import score_values

__all__ = ["mean_benchmark"]


def _benchmark(score: str, benchmark) -> float:
    value = default_target(score) if benchmark is None else benchmark
    if value is None:
        raise UxcxError(f"benchmark is needed for {score!r}: the field has no one published average for "
                        f"it, so state the target to test against (benchmark=4.0, or measures.targets in "
                        f"the study file); SUS, UMUX-Lite (SUS scale), SEQ and completion have defaults")
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(benchmark, bool) or value != value or abs(value) == float("inf"):
        raise UxcxError(f"benchmark must be a number on the score's scale, such as 68 for the SUS; "
                        f"got {benchmark!r}")
    return value


def mean_benchmark(data: pd.DataFrame, *, score: str, benchmark: float | None = None, by=None,
                   alternative: str = "two-sided", scale=None, items=None,
                   confidence_level: float = 0.95) -> pd.DataFrame:
    """Is the mean of a score above, below or different from a benchmark? One-sample t test.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (or per participant x task for SEQ).
    score : str
        A column (``csat``, ``ces``, ``seq``, ``ease_checkout``, a ``sus`` column of
        scores, any numeric column), or ``"sus"``, ``"umux_lite"``,
        ``"umux_lite_sus"`` scored from their items when the data have no such
        column (:func:`uxcx.ux.score_values.score_values`).
    benchmark : float, optional
        The mean to test against, on the score's scale. Default only where the
        field has a published average: 68 for SUS and the SUS-comparable
        UMUX-Lite (Sauro 2011), 5.5 for SEQ (Sauro 2012); otherwise required.
    by : str or list of str, optional
        Grouping columns: one test per group (no multiplicity adjustment).
    alternative : {"two-sided", "greater", "less"}, default "two-sided"
        "greater" asks whether the mean exceeds the benchmark (the usual question
        of "is our SUS above average?"); the interval follows it, one-sided for a
        one-sided test (an infinite bound), as R's ``t.test`` reports it.
    scale : (int, int), optional
        Whole-number range of a rating column; default the role's range.
    items : sequence of str, optional
        Item columns of a questionnaire scored here.
    confidence_level : float, default 0.95

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, then the result schema with
        ``term`` (the score), ``n``, ``estimate`` (mean), ``std_error`` (s/sqrt(n)),
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``, ``statistic``
        (t), ``df`` (n - 1), ``p_value``, ``log10_p_value`` (log10 of p, computed
        in log space), ``alternative``, ``effect_size`` (Cohen's d =
        (mean - benchmark) / s), ``effect_size_type``; ``p_adjusted`` and
        ``p_adjust_method`` NaN. After the schema: ``benchmark``,
        ``effect_size_ci_low`` and ``effect_size_ci_high`` (the interval of d).

    Warns
    -----
    SmallSampleWarning
        Naming each group with fewer than two values (no interval, no test).
    UxcxWarning
        Naming each group whose values are all equal: no interval or test, as R's
        ``t.test`` refuses "essentially constant" data.

    Notes
    -----
    t = (mean - benchmark) / (s / sqrt(n)) on n - 1 degrees of freedom (Student
    1908), the test Sauro & Lewis (2016, ch. 4) use to compare a SUS, SEQ or any
    rating mean with a benchmark; the interval mean +/- t(n - 1) s / sqrt(n) is
    the one they recommend for rating means at any sample size (ch. 3). The
    p-value is computed in log space (:mod:`uxcx._core.pvalues`), so it never
    reads 0. d's interval inverts the noncentral t (Steiger & Fouladi 1997;
    Cumming & Finch 2001). Rows are treated as independent: one row per person.

    Calibration (simulated, 4,000 samples each, true mean at the benchmark): for a 1-5
    rating spread over the scale (mean 3.35) the two-sided test rejects 5.2-5.5% at n = 10
    to 50. For a rating piled up near the top (mean 4.0, skewness -1.3) one-sided tests
    are not: "greater" rejects 12% at n = 10, 9% at n = 20, 6.6% at n = 50, and "less"
    about 2%; the two-sided test 9%, 7%, 5%. Claims that a skewed rating beats its target
    from fewer than about 50 answers deserve the median's distribution-free interval
    (:func:`uxcx.median_score`) beside them.
    For an NPS target use :func:`uxcx.nps_benchmark`; for a completion rate
    :func:`uxcx.completion_benchmark`; for the median :func:`uxcx.median_score`.

    References
    ----------
    .. [1] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience*
       (2nd ed.), ch. 3, 4 and 8. Cambridge, MA: Morgan Kaufmann.
    .. [2] Sauro, J. (2011). *A Practical Guide to the System Usability Scale*.
       Denver, CO: Measuring Usability LLC.
    .. [3] Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.
    .. [4] Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval
       estimation and the evaluation of statistical models. In *What If There
       Were No Significance Tests?* (pp. 221-257). Mahwah, NJ: Erlbaum.
    .. [5] Cumming, G., & Finch, S. (2001). A primer on the understanding, use,
       and calculation of confidence intervals that are based on central and
       noncentral distributions. *Educational and Psychological Measurement*,
       61(4), 532-574.

    Examples
    --------
    Ten CSAT ratings against a target of 4.0, and SUS from its items against 68:

    >>> d = pd.DataFrame({"csat": [5, 4, 4, 5, 3, 5, 4, 5, 5, 4]})
    >>> r = mean_benchmark(d, score="csat", benchmark=4.0, alternative="greater")
    >>> r[["n", "estimate", "statistic", "df", "p_value"]].round(4).to_dict("records")
    [{'n': 10, 'estimate': 4.4, 'statistic': 1.8091, 'df': 9.0, 'p_value': 0.0519}]
    >>> answers = pd.DataFrame([[4, 1, 5, 2, 5, 1, 4, 2, 3, 1], [3, 2, 4, 2, 4, 2, 4, 2, 3, 3],
    ...                         [5, 1, 5, 1, 4, 2, 5, 1, 4, 2]], columns=[f"sus_{i}" for i in range(1, 11)])
    >>> mean_benchmark(answers, score="sus")[["term", "estimate", "benchmark"]].round(2).to_dict("records")
    [{'term': 'sus', 'estimate': 80.83, 'benchmark': 68.0}]
    """
    by_cols = by_columns(by)
    check_option("alternative", alternative, ALTERNATIVES)
    level = check_level(confidence_level)
    mu = _benchmark(score, benchmark)
    require(data, {("by" if len(by_cols) == 1 else f"by[{i}]"): c for i, c in enumerate(by_cols)})
    values, read = score_values(data, score, scale=scale, items=items)
    gid, keys = group_ids(data, by_cols)
    rows = mean_rows(values, gid, group_names(keys, by_cols), confidence_level=level,
                     alternative=alternative, mu=mu, what=f"{score} values")
    method = f"one-sample t test against {mu:g} ({read}); t interval; d interval by noncentral t"
    return mean_frame(keys, by_cols, rows, term=score, method=method, confidence_level=level,
                      alternative=alternative)
