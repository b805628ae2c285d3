"""Standardised usability questionnaires: SUS scoring, sub-scales, norms and group means.

Scoring is pure (items in, one score per respondent out, as a Series);
inference (:func:`sus`, :func:`~uxcx.ux.short_questionnaires.seq`,
:func:`~uxcx.ux.short_questionnaires.umux_lite`) returns result frames in the
kit's schema. The norm tables live in :mod:`uxcx.ux.norms`, the
shared checks and t machinery in :mod:`uxcx.ux.questionnaire_stats`; SEQ and
UMUX-Lite in :mod:`uxcx.ux.short_questionnaires`. All are importable from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.docs import fill_doc
from uxcx.errors import UxcxError
from uxcx.study.quality import same_answer
from uxcx.ux.norms import (
    NORMS,
    sus_acceptability,
    sus_adjective,
    sus_grade,
    sus_norms,
    sus_percentile,
)
from uxcx.ux.questionnaire_stats import (
    ALTERNATIVES,
    check_confidence,
    check_option,
    group_keys,
    item_matrix,
    score_frame,
)
from uxcx.ux.short_questionnaires import seq, umux_lite, umux_lite_score, umux_lite_sus

__all__ = ["SUS_ITEMS", "MISSING_POLICIES", "sus_score", "sus_subscales", "straight_lining", "sus",
           "sus_grade", "sus_adjective", "sus_acceptability", "sus_percentile", "sus_norms",
           "seq", "umux_lite_score", "umux_lite_sus", "umux_lite"]

SUS_ITEMS = tuple(f"sus_{i}" for i in range(1, 11))
MISSING_POLICIES = ("drop", "neutral", "prorate")
VERSIONS = ("standard", "positive")
# Items of the Lewis & Sauro (2009) sub-scales, numbered 1-10.
USABILITY_ITEMS = (1, 2, 3, 5, 6, 7, 8, 9)
LEARNABILITY_ITEMS = (4, 10)
# missing="prorate" scores a questionnaire with at most this many unanswered items
# (Lewis & Sauro 2017 show any nine-item SUS is within a point of the ten-item one).
PRORATE_MAX_MISSING = 1
NORM_COLUMNS = ["grade", "adjective", "acceptability", "percentile"]

_REFERENCES = """
    .. [1] Brooke, J. (1996). SUS: a "quick and dirty" usability scale. In
       P. W. Jordan, B. Thomas, B. A. Weerdmeester & I. L. McClelland (Eds.),
       *Usability Evaluation in Industry* (pp. 189-194). London: Taylor & Francis.
    .. [2] Sauro, J., & Lewis, J. R. (2011). When designing usability
       questionnaires, does it hurt to be positive? *Proceedings of CHI 2011*
       (pp. 2215-2224). ACM.
    .. [3] Lewis, J. R., & Sauro, J. (2017). Can I leave this one out? The
       effect of dropping an item from the SUS. *Journal of Usability
       Studies*, 13(1), 38-46.
"""


def _contributions(data: pd.DataFrame, items, version: str) -> np.ndarray:
    """Item contributions 0-4 (NaN where unanswered), one row per respondent, items 1-10 in order."""
    check_option("version", version, VERSIONS)
    x = item_matrix(data, _items(items), 1, 5, "SUS")
    if version == "positive":
        return x - 1
    out = x - 1
    out[:, 1::2] = 5 - x[:, 1::2]
    return out


def _items(items) -> list[str]:
    """The ten SUS item columns in questionnaire order."""
    items = list(SUS_ITEMS if items is None else [items] if isinstance(items, str) else items)
    if len(items) != 10:
        raise UxcxError(f"items must name the ten SUS item columns in order (item 1 first); "
                        f"got {len(items)}: {items}")
    return items


def sus_score(data: pd.DataFrame, *, items=None, missing: str = "drop",
              version: str = "standard") -> pd.Series:
    """System Usability Scale score (0-100) of every respondent.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, items answered 1 (strongly disagree) to 5
        (strongly agree); empty cells are unanswered items.
    items : sequence of 10 str, optional
        The item columns in questionnaire order; default ``sus_1`` ... ``sus_10``.
    missing : {"drop", "neutral", "prorate"}, default "drop"
        What an unanswered item does. ``"drop"``: the score is NaN.
        ``"neutral"``: the item counts as the centre answer, 3 (Brooke 1996 asks
        respondents who cannot answer an item to mark the centre point).
        ``"prorate"``: with at most one item unanswered, the score is the mean
        contribution of the answered items times 10 times 2.5 (Lewis & Sauro
        2017: every nine-item SUS lands within one point of the full SUS); with
        two or more unanswered, NaN. A respondent who answered nothing is NaN
        under every policy.
    version : {"standard", "positive"}, default "standard"
        ``"standard"``: odd items worded positively, even items negatively
        (Brooke 1996). ``"positive"``: the all-positive SUS (Sauro & Lewis 2011),
        every item worded positively.

    Returns
    -------
    Series of float
        The SUS score, 0 to 100, named ``sus``, indexed like ``data``.

    Raises
    ------
    DataError
        An item column is missing, or a cell is not a whole number from 1 to 5
        (every such cell is listed).

    Notes
    -----
    Standard version: contribution = answer - 1 for odd items and 5 - answer
    for even items; SUS = 2.5 * (sum of the ten contributions). Positive version:
    contribution = answer - 1 for every item. Use the standard version's items
    only with ``version="standard"``; scoring a standard questionnaire as
    positive inverts half of it.

    References
    ----------
    {refs}

    Examples
    --------
    Brooke's (1996) worked example scores 85:

    >>> answers = pd.DataFrame([[4, 1, 5, 2, 5, 1, 4, 2, 3, 1]], columns=list(SUS_ITEMS))
    >>> sus_score(answers).tolist()
    [85.0]
    >>> answers.loc[0, "sus_1"] = None
    >>> sus_score(answers).tolist(), sus_score(answers, missing="neutral").tolist()
    ([nan], [82.5])
    >>> round(sus_score(answers, missing="prorate").iloc[0], 2)
    np.float64(86.11)
    """
    check_option("missing", missing, MISSING_POLICIES)
    c = _contributions(data, items, version)
    answered = (~np.isnan(c)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        if missing == "drop":
            score = c.sum(axis=1) * 2.5
        elif missing == "neutral":
            score = np.where(np.isnan(c), 2.0, c).sum(axis=1) * 2.5
        else:
            mean = np.nansum(c, axis=1) / np.where(answered > 0, answered, np.nan)
            score = np.where(10 - answered <= PRORATE_MAX_MISSING, mean * 25.0, np.nan)
    score = np.where(answered == 0, np.nan, score)
    return pd.Series(score, index=data.index, name="sus")


def sus_subscales(data: pd.DataFrame, *, items=None, missing: str = "drop",
                  version: str = "standard") -> pd.DataFrame:
    """SUS usability and learnability sub-scale scores (0-100) of every respondent.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, items 1-5.
    items : sequence of 10 str, optional
        The item columns in questionnaire order; default ``sus_1`` ... ``sus_10``.
    missing : {"drop", "neutral"}, default "drop"
        As in :func:`sus_score`. Prorating is not offered: it was studied for the
        full scale only, and the learnability scale has two items.
    version : {"standard", "positive"}, default "standard"
        As in :func:`sus_score`.

    Returns
    -------
    DataFrame
        Columns ``usability`` and ``learnability``, each 0 to 100, indexed like ``data``.

    Notes
    -----
    Lewis & Sauro (2009) found two factors in the SUS: usability = 3.125 *
    (sum of the contributions of items 1, 2, 3, 5, 6, 7, 8, 9) and
    learnability = 12.5 * (sum of the contributions of items 4 and 10), so both
    run 0-100 and the overall SUS = 0.8 * usability + 0.2 * learnability.
    Later work (Lewis & Sauro 2017) found the split rests largely on item
    wording rather than on two constructs, so report the sub-scales with care.

    References
    ----------
    .. [1] Lewis, J. R., & Sauro, J. (2009). The factor structure of the
       System Usability Scale. In M. Kurosu (Ed.), *Human Centered Design,
       HCII 2009*, LNCS 5619 (pp. 94-103). Berlin: Springer.
    .. [2] Lewis, J. R., & Sauro, J. (2017). Revisiting the factor structure
       of the System Usability Scale. *Journal of Usability Studies*, 12(4),
       183-192.
    .. [3] Brooke, J. (1996). SUS: a "quick and dirty" usability scale. In
       *Usability Evaluation in Industry* (pp. 189-194). London: Taylor & Francis.

    Examples
    --------
    >>> answers = pd.DataFrame([[4, 1, 5, 2, 5, 1, 4, 2, 3, 1]], columns=list(SUS_ITEMS))
    >>> sus_subscales(answers).iloc[0].tolist()
    [84.375, 87.5]
    """
    check_option("missing", missing, ("drop", "neutral"))
    c = _contributions(data, items, version)
    none = np.isnan(c).all(axis=1)
    if missing == "neutral":
        c = np.where(np.isnan(c), 2.0, c)
    usability = c[:, [i - 1 for i in USABILITY_ITEMS]].sum(axis=1) * 3.125
    learnability = c[:, [i - 1 for i in LEARNABILITY_ITEMS]].sum(axis=1) * 12.5
    return pd.DataFrame({"usability": np.where(none, np.nan, usability),
                         "learnability": np.where(none, np.nan, learnability)}, index=data.index)


def straight_lining(data: pd.DataFrame, *, items=None) -> pd.Series:
    """Flag respondents who gave the same answer to all ten SUS items.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, items 1-5.
    items : sequence of 10 str, optional
        The item columns; default ``sus_1`` ... ``sus_10``.

    Returns
    -------
    Series of bool
        True where all ten items are answered and identical; named
        ``straight_lining``, indexed like ``data``. Nothing is dropped: this is a
        flag for the ledger and the notebook.

    Notes
    -----
    The standard SUS alternates positive and negative wording, so one answer
    to all ten items contradicts itself (agreeing that the system is easy and
    that it is unnecessarily complex). Such a respondent scores exactly 50.
    Sauro & Lewis (2011) found about 13% of SUS questionnaires hold some such
    mistake; whether to keep a flagged respondent is the researcher's call.
    On the all-positive version the same pattern is not a contradiction.

    References
    ----------
    {refs}

    Examples
    --------
    >>> answers = pd.DataFrame([[3] * 10, [4, 1, 5, 2, 5, 1, 4, 2, 3, 1]], columns=list(SUS_ITEMS))
    >>> straight_lining(answers).tolist()
    [True, False]
    """
    x = item_matrix(data, _items(items), 1, 5, "SUS")
    return same_answer(pd.DataFrame(x, index=data.index))


def sus(data: pd.DataFrame, *, by=None, items=None, missing: str = "drop", norms="sauro-lewis",
        confidence_level: float = 0.95, version: str = "standard", benchmark: float | None = None,
        alternative: str = "two-sided") -> pd.DataFrame:
    """Mean SUS score per group with a t interval, and what the mean means by the norms.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (the questionnaire source), items 1-5.
    by : str or list of str, optional
        Grouping columns (such as ``"design"``); missing keys form their own group.
    items : sequence of 10 str, optional
        The item columns; default ``sus_1`` ... ``sus_10``.
    missing : {"drop", "neutral", "prorate"}, default "drop"
        How unanswered items are scored (see :func:`sus_score`); respondents
        without a score are left out of ``n``.
    norms : str or sequence of str, default "sauro-lewis"
        Which norm tables label the mean: ``"sauro-lewis"`` (curved grade,
        Sauro & Lewis 2016) and/or ``"bangor"`` (adjective and acceptability,
        Bangor et al. 2008, 2009).
    confidence_level : float, default 0.95
        Confidence level of the two-sided interval.
    version : {"standard", "positive"}, default "standard"
        Standard or all-positive SUS (see :func:`sus_score`).
    benchmark : float, optional
        A mean to test against, usually 68 (the average of about 500 studies,
        Sauro 2011): adds the one-sample t test of :func:`uxcx.mean_benchmark`
        (same numbers), with ``log10_p_value`` after ``p_value`` and
        ``benchmark``, ``effect_size_ci_low``, ``effect_size_ci_high`` after the norms.
    alternative : {"two-sided", "less", "greater"}, default "two-sided"
        The alternative about the mean against ``benchmark`` (one-sided gives a
        one-sided interval); used only with ``benchmark``.

    Returns
    -------
    DataFrame
        One row per group: the grouping columns, then the result schema
        (:data:`uxcx._core.results.COLUMNS`) with ``term`` = "sus", ``n``,
        ``estimate`` (mean SUS), ``std_error``, ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``; the test columns are NaN. After the
        schema come four extra columns, outside the fixed schema because they
        are labels of the mean, not estimates: ``grade`` (Sauro-Lewis, None
        unless asked for), ``adjective`` and ``acceptability`` (Bangor, None
        unless asked for) and ``percentile`` (percentile rank of the mean,
        normal approximation, always filled).

    Notes
    -----
    Interval: mean +/- t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n), the
    interval Sauro & Lewis (2016, ch. 3) recommend for SUS means at any sample
    size. It is not clipped to 0-100. The norms label the point estimate
    only; with small samples the interval often spans several grades, so
    report it too. The percentile uses the normal approximation N(68, 12.5^2)
    to the SUS distribution (Sauro 2011), not Sauro's look-up table.

    References
    ----------
    .. [1] Brooke, J. (1996). SUS: a "quick and dirty" usability scale. In
       *Usability Evaluation in Industry* (pp. 189-194). London: Taylor & Francis.
    .. [2] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience*
       (2nd ed.), ch. 3 and 8. Cambridge, MA: Morgan Kaufmann.
    .. [3] Bangor, A., Kortum, P., & Miller, J. (2009). Determining what
       individual SUS scores mean: adding an adjective rating scale.
       *Journal of Usability Studies*, 4(3), 114-123.
    .. [4] Sauro, J. (2011). *A Practical Guide to the System Usability Scale*.
       Denver, CO: Measuring Usability LLC.

    Examples
    --------
    >>> answers = pd.DataFrame([[4, 1, 5, 2, 5, 1, 4, 2, 3, 1], [3, 2, 4, 2, 4, 2, 4, 2, 3, 3],
    ...                         [5, 1, 5, 1, 4, 2, 5, 1, 4, 2]], columns=list(SUS_ITEMS))
    >>> r = sus(answers, norms=["sauro-lewis", "bangor"])
    >>> r[["n", "estimate", "grade", "adjective", "acceptability"]].round(2).to_dict("records")
    [{'n': 3, 'estimate': 80.83, 'grade': 'A', 'adjective': 'Good', 'acceptability': 'acceptable'}]
    >>> r[["ci_low", "ci_high"]].round(2).to_dict("records")  # three people: a wide interval
    [{'ci_low': 51.48, 'ci_high': 110.18}]
    """
    check_option("missing", missing, MISSING_POLICIES)
    level = check_confidence(confidence_level)
    names = [norms] if isinstance(norms, str) else list(norms)
    for name in names:
        check_option("norms", name, tuple(NORMS))
    keys = group_keys(data, by)
    scores = sus_score(data, items=items, missing=missing, version=version)
    check_option("alternative", alternative, ALTERNATIVES)
    test = [] if benchmark is None else [f"one-sample t test against {float(benchmark):g}"]
    method = "; ".join([*test, f"t interval for the mean SUS (Brooke 1996 scoring, {version} version, "
                        f"missing={missing})", *(NORMS[n] for n in names),
                        "percentile: normal approximation N(68, 12.5) (Sauro 2011)"])
    out = score_frame(scores, data, keys, term="sus", method=method, confidence_level=level,
                      alternative=alternative if test else "two-sided", what="SUS scores",
                      mu=None if benchmark is None else float(benchmark))
    extra = [c for c in ("benchmark", "effect_size_ci_low", "effect_size_ci_high") if c in out]
    labels = sus_norms(out["estimate"].to_numpy(dtype=float), norms=names)
    return pd.concat([out.drop(columns=extra), labels.set_axis(out.index), out[extra]], axis=1)


for _f in (sus_score, straight_lining):
    fill_doc(_f, refs=_REFERENCES.strip())
