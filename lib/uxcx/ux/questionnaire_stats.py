"""What the questionnaire measures share: checking items and options, t intervals and tests.

Used by :mod:`uxcx.ux.questionnaires` (SUS) and :mod:`uxcx.ux.short_questionnaires`
(SEQ, UMUX-Lite). Items are checked against their scale and every bad cell is
reported at once; group means carry a Student t interval, and a one-sample t
test adds Cohen's d with an interval from the noncentral t distribution (the
arithmetic is :mod:`uxcx._core.benchmark`, shared with the CX ratings).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.benchmark import cohens_d_interval, group_names, mean_frame, mean_rows  # noqa: F401
from uxcx._core.checks import ALTERNATIVES, by_columns, cell_problem, check_option, require, source_name  # noqa: F401
from uxcx._core.checks import check_level as check_confidence  # noqa: F401
from uxcx._core.common import group_ids
from uxcx.errors import DataError, Problem

__all__ = ["source_name", "group_keys", "check_option", "item_matrix", "score_frame",
           "cohens_d_interval"]

# How many bad cells an error lists one by one (DataError summarises the rest).
_LISTED = 50


def group_keys(data: pd.DataFrame, by) -> list[str]:
    """``by`` as a list of column names of ``data`` (``None`` gives ``[]``); a missing one is a DataError."""
    keys = by_columns(by)
    require(data, {("by" if len(keys) == 1 else f"by[{i}]"): k for i, k in enumerate(keys)})
    return keys


def item_matrix(data: pd.DataFrame, items, low: int, high: int, scale: str) -> np.ndarray:
    """The item columns as a float array, NaN where empty; every bad cell raises together.

    A cell is bad when it is not a whole number from ``low`` to ``high``.
    A frame as loaded (indexed by ``row``) names the spreadsheet row; any
    other frame names the index label.

    Examples
    --------
    >>> item_matrix(pd.DataFrame({"a": [1, None], "b": [7, 2]}), ["a", "b"], 1, 7, "UMUX-Lite")
    array([[ 1.,  7.],
           [nan,  2.]])
    """
    items = list(items)
    require(data, items, hint=f"map your {scale} item columns onto these names in the study file, or pass "
                              "items= the names your data use")
    raw = data[items]
    values = raw.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    empty = raw.isna().to_numpy()
    bad = ~empty & (np.isnan(values) | (values < low) | (values > high) | (values != np.round(values)))
    if bad.any():
        rows, cols = np.nonzero(bad)
        file = source_name(data)
        problems = [cell_problem(file, raw.index, raw.index[r], items[c], raw.iat[r, c],
                                 f"not a {scale} answer",
                                 expected=f"a whole number from {low} to {high}, or empty",
                                 hint="correct the answer or leave the cell empty; map text labels to "
                                      "numbers with values: in the study file")
                    for r, c in zip(rows[:_LISTED], cols[:_LISTED])]
        if len(rows) > _LISTED:
            problems.append(Problem(file, None, None, None,
                                    f"{len(rows) - _LISTED} more cells outside {low}-{high}"))
        raise DataError(problems)
    return values


def score_frame(values: pd.Series, data: pd.DataFrame, keys: list[str], *, term: str, method: str,
                confidence_level: float, alternative: str = "two-sided", mu: float | None = None,
                what: str = "scores") -> pd.DataFrame:
    """The result frame of a score's mean per group (:func:`uxcx._core.benchmark.mean_frame`).

    With ``mu`` the frame carries the one-sample t test against it, ``log10_p_value``
    after ``p_value`` and the interval of Cohen's d in ``effect_size_ci_low`` and
    ``effect_size_ci_high`` after the schema.
    """
    gid, key_frame = group_ids(data, keys)
    rows = mean_rows(values, gid, group_names(key_frame, keys), confidence_level=confidence_level,
                     alternative=alternative, mu=mu, what=what)
    return mean_frame(key_frame, keys, rows, term=term, method=method, confidence_level=confidence_level,
                      alternative=alternative)
