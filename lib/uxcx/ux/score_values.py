"""Any score by its name: a column of the data, or a questionnaire scored from its items.

:func:`score_values` is what :func:`uxcx.mean_benchmark` and :func:`uxcx.median_score`
read, so both accept the same names: a column (a rating role such as ``csat``,
``ces``, ``seq``, ``nps``, ``ease_*``, checked against the role's scale; a column of
scores such as ``sus`` from :func:`uxcx.participant_measures`; any numeric column),
or, where the data hold the items rather than the score, ``"sus"`` (the ten
``sus_*`` items, Brooke 1996), ``"umux_lite"`` and ``"umux_lite_sus"`` (the two
``umux_lite_*`` items, Lewis, Utesch & Maher 2013).
"""

from __future__ import annotations

import pandas as pd

from uxcx._core.checks import numeric, require
from uxcx.errors import UxcxError
from uxcx.study.schema import scale_bounds
from uxcx.ux.questionnaires import SUS_ITEMS, sus_score
from uxcx.ux.short_questionnaires import UMUX_LITE_ITEMS, umux_lite_score, umux_lite_sus

__all__ = ["SCORED", "score_values"]

#: The scores computed from items when the data have no column of that name.
SCORED = {"sus": (sus_score, SUS_ITEMS), "umux_lite": (umux_lite_score, UMUX_LITE_ITEMS),
          "umux_lite_sus": (umux_lite_sus, UMUX_LITE_ITEMS)}


def score_values(data: pd.DataFrame, score: str, *, scale=None, items=None) -> tuple[pd.Series, str]:
    """The values of ``score`` (one float per row, NaN where missing) and how they were read.

    Parameters
    ----------
    data : DataFrame
    score : str
        A column of ``data``, or "sus", "umux_lite", "umux_lite_sus" scored from items.
    scale : (int, int), optional
        Whole-number range of a rating column; default the role's range (csat 1-5,
        ces 1-7, seq 1-7, nps 0-10, ``ease_*`` 1-7, ...), any number for other columns.
    items : sequence of str, optional
        The item columns of a scored questionnaire (default its ``sus_*`` or
        ``umux_lite_*`` roles).

    Returns
    -------
    values : Series of float
        Indexed like ``data``.
    read : str
        For the ``method`` column: "scored from sus_1 ... sus_10" or "column csat".

    Raises
    ------
    DataError
        A missing column (with the closest names the data have), or cells that are
        not numbers on the scale, every one named.

    Examples
    --------
    >>> values, read = score_values(pd.DataFrame({"csat": [5, 4, None]}), "csat")
    >>> values.tolist(), read
    ([5.0, 4.0, nan], 'column csat (1-5)')
    """
    if not isinstance(score, str) or not score:
        raise UxcxError(f"score must name a column or a questionnaire ('sus', 'umux_lite'); got {score!r}")
    if score not in data and score in SCORED:
        scorer, default_items = SCORED[score]
        chosen = list(default_items if items is None else items)
        values = scorer(data, items=chosen)
        return values.astype(float), f"scored from {chosen[0]} ... {chosen[-1]}"
    require(data, {"score": score})
    bounds = scale_bounds(score, scale)
    if bounds is None:
        return numeric(data, score, "score"), f"column {score}"
    low, high = bounds
    values = numeric(data, score, "score", expected=f"a whole number from {low} to {high}",
                     allowed=set(range(low, high + 1)))
    return values, f"column {score} ({low}-{high})"
