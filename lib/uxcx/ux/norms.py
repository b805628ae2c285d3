"""Norms for reading a SUS score: curved grades, adjectives, acceptability, percentile ranks.

Each table is written out once here, with its source; :func:`sus_norms` looks
scores up in the tables a study names (``"sauro-lewis"``, ``"bangor"``).
Scores between two published ranges (the tables print one decimal) take the
range whose lower bound they reach: a lower bound is a cut-point.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core.docs import fill_doc
from uxcx.ux.questionnaire_stats import check_option

__all__ = ["SAURO_LEWIS_GRADES", "BANGOR_ADJECTIVES", "BANGOR_ADJECTIVE_MEANS", "BANGOR_ACCEPTABILITY",
           "SUS_NORM_MEAN", "SUS_NORM_SD", "NORMS", "sus_grade", "sus_adjective", "sus_acceptability",
           "sus_percentile", "sus_norms"]

# Sauro & Lewis (2016), Table 8.5: the curved grading scale, as (lowest SUS of the range, grade).
SAURO_LEWIS_GRADES = ((0.0, "F"), (51.7, "D"), (62.7, "C-"), (65.0, "C"), (71.1, "C+"), (72.6, "B-"),
                      (74.1, "B"), (77.2, "B+"), (78.9, "A-"), (80.8, "A"), (84.1, "A+"))
# Bangor, Kortum & Miller (2009), Table 3: the mean SUS of people choosing each adjective
# (n = 959). Used as cut-points: an adjective applies from its mean up to the next one's.
BANGOR_ADJECTIVES = ((0.0, "Worst imaginable"), (20.3, "Awful"), (35.7, "Poor"), (50.9, "OK"),
                     (71.4, "Good"), (85.5, "Excellent"), (90.9, "Best imaginable"))
BANGOR_ADJECTIVE_MEANS = {"Worst imaginable": 12.5, **{label: low for low, label in BANGOR_ADJECTIVES[1:]}}
# Bangor, Kortum & Miller (2008, Fig. 13; 2009, Fig. 4): below 50 not acceptable,
# 50 to 70 marginal, above 70 acceptable.
BANGOR_ACCEPTABILITY = ((50.0, "not acceptable"), (70.0, "marginal"), (100.0, "acceptable"))
# Sauro (2011): SUS scores of about 500 studies have mean 68 and SD 12.5.
SUS_NORM_MEAN, SUS_NORM_SD = 68.0, 12.5

NORMS = {
    "sauro-lewis": "grade: Sauro & Lewis (2016) curved grading scale",
    "bangor": "adjective and acceptability: Bangor, Kortum & Miller (2008, 2009)",
}

_REFERENCES = """
    .. [1] Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience:
       Practical Statistics for User Research* (2nd ed.), ch. 8, Table 8.5.
       Cambridge, MA: Morgan Kaufmann.
    .. [2] Bangor, A., Kortum, P. T., & Miller, J. T. (2008). An empirical
       evaluation of the System Usability Scale. *International Journal of
       Human-Computer Interaction*, 24(6), 574-594.
    .. [3] Bangor, A., Kortum, P., & Miller, J. (2009). Determining what
       individual SUS scores mean: adding an adjective rating scale.
       *Journal of Usability Studies*, 4(3), 114-123.
    .. [4] Sauro, J. (2011). *A Practical Guide to the System Usability Scale*.
       Denver, CO: Measuring Usability LLC.
"""


def _scores(scores) -> tuple[np.ndarray, pd.Index | None]:
    if isinstance(scores, pd.Series):
        return scores.to_numpy(dtype=float), scores.index
    return np.atleast_1d(np.asarray(scores, dtype=float)), None


def _lookup(scores, table, name: str) -> pd.Series:
    x, index = _scores(scores)
    lows = np.array([low for low, _ in table])
    labels = np.array([label for _, label in table], dtype=object)
    at = np.clip(np.searchsorted(lows, x, side="right") - 1, 0, len(lows) - 1)
    return pd.Series(np.where(np.isnan(x), None, labels[at]), index=index, name=name, dtype=object)


def sus_grade(scores) -> pd.Series:
    """Sauro-Lewis curved grade (A+ to F) of SUS scores (usually study means).

    Parameters
    ----------
    scores : array-like or Series of float
        SUS scores on 0-100.

    Returns
    -------
    Series of str
        The grade; None where the score is missing. Named ``grade``.

    Notes
    -----
    The curved grading scale places a SUS mean among the means of a large
    set of industrial usability studies and surveys (Sauro & Lewis 2016,
    Table 8.5): A+ 84.1-100, A 80.8-84.0, A- 78.9-80.7,
    B+ 77.2-78.8, B 74.1-77.1, B- 72.6-74.0, C+ 71.1-72.5, C 65.0-71.0,
    C- 62.7-64.9, D 51.7-62.6, F 0-51.6. The table prints one decimal; a
    lower bound is the cut-point, so 84.05 is an A. The grades were made for
    study means, not for one person's score.

    References
    ----------
    {refs}

    Examples
    --------
    >>> sus_grade([68.0, 80.8, 84.1, 51.6]).tolist()
    ['C', 'A', 'A+', 'F']
    """
    return _lookup(scores, SAURO_LEWIS_GRADES, "grade")


def sus_adjective(scores) -> pd.Series:
    """Bangor-Kortum-Miller adjective (Worst imaginable to Best imaginable) of SUS scores.

    Parameters
    ----------
    scores : array-like or Series of float
        SUS scores on 0-100.

    Returns
    -------
    Series of str
        The adjective; None where the score is missing. Named ``adjective``.

    Notes
    -----
    Bangor et al. (2009) added a seven-point adjective item to 964 SUS
    questionnaires; the mean SUS of those choosing each adjective (their
    Table 3) is Worst imaginable 12.5, Awful 20.3, Poor 35.7, OK 50.9,
    Good 71.4, Excellent 85.5, Best imaginable 90.9. Here those means are
    cut-points: a score takes the adjective whose mean it reaches (71.4 up
    to 85.4 is Good) and below 20.3 is Worst imaginable. Other tools place
    the boundaries half-way between means; the labels then change a few
    points earlier. Worst imaginable and Awful did not differ significantly.

    References
    ----------
    {refs}

    Examples
    --------
    >>> sus_adjective([71.4, 71.3, 90.9, 10.0]).tolist()
    ['Good', 'OK', 'Best imaginable', 'Worst imaginable']
    """
    return _lookup(scores, BANGOR_ADJECTIVES, "adjective")


def sus_acceptability(scores) -> pd.Series:
    """Bangor-Kortum-Miller acceptability range of SUS scores.

    Parameters
    ----------
    scores : array-like or Series of float
        SUS scores on 0-100.

    Returns
    -------
    Series of str
        ``"not acceptable"`` (below 50), ``"marginal"`` (50 to 70) or
        ``"acceptable"`` (above 70); None where the score is missing. Named
        ``acceptability``.

    Notes
    -----
    From Bangor et al. (2008, Figure 13), repeated with the adjectives in
    Bangor et al. (2009, Figure 4). The ends of the marginal range, 50 and
    70, count as marginal.

    References
    ----------
    {refs}

    Examples
    --------
    >>> sus_acceptability([49.9, 50.0, 70.0, 70.1]).tolist()
    ['not acceptable', 'marginal', 'marginal', 'acceptable']
    """
    x, index = _scores(scores)
    (low, below), (high, marginal), (_, above) = BANGOR_ACCEPTABILITY  # the cut-points, written once
    label = np.select([x < low, x <= high, x > high], [below, marginal, above], "")
    return pd.Series(np.where(np.isnan(x), None, label), index=index, name="acceptability", dtype=object)


def sus_percentile(scores) -> pd.Series:
    """Percentile rank of SUS scores against the SUS norm, by a normal approximation.

    Parameters
    ----------
    scores : array-like or Series of float
        SUS scores on 0-100.

    Returns
    -------
    Series of float
        Percentile rank from 0 to 100; NaN where the score is missing. Named
        ``percentile``.

    Notes
    -----
    ``percentile = 100 * Phi((score - 68) / 12.5)``, with Phi the standard
    normal CDF and 68 and 12.5 the mean and SD of SUS scores across about 500
    studies (Sauro 2011). This is an approximation: Sauro's own look-up table
    is built from the observed, left-skewed distribution and differs by a few
    points (it puts 75 at the 73rd percentile, the normal curve at the 71st).

    References
    ----------
    {refs}

    Examples
    --------
    >>> sus_percentile([68.0, 80.5]).round(1).tolist()
    [50.0, 84.1]
    """
    x, index = _scores(scores)
    return pd.Series(100 * stats.norm.cdf(x, SUS_NORM_MEAN, SUS_NORM_SD), index=index, name="percentile")


def sus_norms(scores, norms="sauro-lewis") -> pd.DataFrame:
    """Grade, adjective, acceptability and percentile rank of SUS scores.

    Parameters
    ----------
    scores : array-like or Series of float
        SUS scores on 0-100 (usually study or group means).
    norms : str or sequence of str, default "sauro-lewis"
        Which tables to read: ``"sauro-lewis"`` fills ``grade``; ``"bangor"``
        fills ``adjective`` and ``acceptability``; both may be given. The
        percentile rank is always filled.

    Returns
    -------
    DataFrame
        Columns ``grade``, ``adjective``, ``acceptability`` (None where the
        table was not asked for) and ``percentile``.

    Notes
    -----
    See :func:`sus_grade`, :func:`sus_adjective`, :func:`sus_acceptability`
    and :func:`sus_percentile` for the tables and how they are read.

    References
    ----------
    {refs}

    Examples
    --------
    >>> r = sus_norms([72.5], norms=["sauro-lewis", "bangor"])
    >>> r.iloc[0, :3].tolist(), round(float(r.loc[0, "percentile"]), 1)
    (['C+', 'Good', 'acceptable'], 64.1)
    """
    names = [norms] if isinstance(norms, str) else list(norms)
    for name in names:
        check_option("norms", name, tuple(NORMS))
    x, index = _scores(scores)
    none = pd.Series([None] * len(x), index=index, dtype=object)
    return pd.DataFrame({
        "grade": sus_grade(x).set_axis(none.index) if "sauro-lewis" in names else none,
        "adjective": sus_adjective(x).set_axis(none.index) if "bangor" in names else none,
        "acceptability": sus_acceptability(x).set_axis(none.index) if "bangor" in names else none,
        "percentile": sus_percentile(x).set_axis(none.index),
    }, index=none.index)


for _f in (sus_grade, sus_adjective, sus_acceptability, sus_percentile, sus_norms):
    fill_doc(_f, refs=_REFERENCES.strip())
