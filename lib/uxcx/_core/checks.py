"""The one set of checks of arguments and input shared by every analysis module.

Argument checks (:func:`check_option`, :func:`check_level`) raise the kit's error
naming the parameter, what is allowed and what was given (as seaborn's
``_check_argument`` does), never an ``assert``. Input checks (:func:`require`,
:func:`numeric`) raise one :class:`~uxcx.errors.DataError` holding every problem at
once: each missing column with the closest name the data have, each bad cell with
its row as the user's spreadsheet numbers it (see :func:`spreadsheet_row`), the
column, the value, what was expected and how to fix it.

The vocabularies of the choices several modules share, :data:`ALTERNATIVES` and
:data:`P_ADJUST_METHODS`, are defined here and nowhere else.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from uxcx.errors import DataError, Problem, UxcxError

__all__ = ["ALTERNATIVES", "P_ADJUST_METHODS", "check_option", "check_level", "source_name", "by_columns",
           "spreadsheet_row", "cell_problem", "require", "numeric"]

#: The alternative hypotheses, in scipy's words.
ALTERNATIVES = ("two-sided", "less", "greater")
#: Multiple-testing adjustments, in statsmodels' names (see :func:`uxcx._core.padjust.p_adjust`).
P_ADJUST_METHODS = ("holm", "fdr_bh", "bonferroni", "none")

# How many of the data's column names a missing-column message lists.
_NAMES_SHOWN = 20


def check_option(name: str, value, allowed: Sequence, *, error: type[UxcxError] = UxcxError) -> None:
    """Raise ``error`` naming the parameter, the allowed values and the value given.

    >>> check_option("method", "wald", ("wilson", "exact"))
    Traceback (most recent call last):
    ...
    uxcx.errors.UxcxError: method must be one of 'wilson', 'exact'; got 'wald'
    """
    if value not in allowed:
        raise error(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def check_level(confidence_level, *, error: type[UxcxError] = UxcxError) -> float:
    """The confidence level as a float strictly between 0 and 1, or an error that says so.

    >>> check_level(0.9)
    0.9
    """
    try:
        level = float(confidence_level)
    except (TypeError, ValueError):
        level = np.nan
    if isinstance(confidence_level, bool) or not 0 < level < 1:
        raise error(f"confidence_level must be a number between 0 and 1 (such as 0.95 for a 95% "
                    f"interval); got {confidence_level!r}")
    return level


def source_name(data: pd.DataFrame) -> str:
    """What to call a frame in a message: its ``attrs["source"]`` if set, else "the data"."""
    return str(data.attrs.get("source", "the data"))


def by_columns(by) -> list[str]:
    """``by`` as a list of column names (None gives no grouping).

    >>> by_columns("task"), by_columns(None), by_columns(("task", "design"))
    (['task'], [], ['task', 'design'])
    """
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def spreadsheet_row(index: pd.Index, label) -> int | None:
    """The row of ``label`` as the user's spreadsheet numbers it, or None when the frame does not say.

    A frame as :func:`uxcx.load_study` gives it is indexed by ``row``: the row the
    spreadsheet shows (header = row 1). Any other index (a ``RangeIndex`` counts from
    0, a participant id is no row at all) does not number the spreadsheet's rows, so
    the messages give its label instead.

    >>> spreadsheet_row(pd.Index([2, 3], name="row"), 3)
    3
    >>> spreadsheet_row(pd.RangeIndex(2), 1) is None
    True
    """
    if index.name != "row":
        return None
    try:
        return int(label)
    except (TypeError, ValueError):
        return None


def cell_problem(file: str, index: pd.Index, label, column, value, reason: str, *, expected: str = "",
                 hint: str = "") -> Problem:
    """The :class:`~uxcx.errors.Problem` of one bad cell, the one way the kit words it.

    The row is the spreadsheet's (:func:`spreadsheet_row`); a frame not indexed by
    ``row`` gets the index label in the reason instead, so the cell can still be found.

    >>> str(cell_problem("s.csv", pd.RangeIndex(3), 2, "nps", "x", "not a number", expected="0 to 10"))
    "s.csv, column 'nps': not a number (index label 2) (value 'x'); expected 0 to 10"
    """
    row = spreadsheet_row(index, label)
    if index.name != "row":
        reason += f" (index label {label!r})"
    return Problem(file, row, column, value, reason, expected=expected, hint=hint)


def require(data: pd.DataFrame, columns: Sequence[str] | Mapping[str, str | None], *, hint: str = "") -> None:
    """A :class:`DataError` listing every needed column that ``data`` lacks, with the closest name it has.

    Parameters
    ----------
    data : DataFrame
    columns : list of str, or dict of parameter -> column
        The columns needed. A dict says which parameter named each column, so the
        message can say which keyword to fix; a column of None is not needed.
    hint : str, optional
        How to fix it, when there is better advice than passing the right name.

    Examples
    --------
    >>> try:
    ...     require(pd.DataFrame({"sucess": [1]}), {"success": "success"})
    ... except DataError as err:
    ...     print(err.problems[0])
    the data, column 'success': the column is missing (success='success'); expected a column named \
'success'. Fix: did you mean 'sucess'? Pass the right name as success=, or rename the column (the data have: \
sucess)
    """
    if not isinstance(data, pd.DataFrame):
        raise UxcxError(f"data must be a pandas DataFrame (one row per observation); "
                        f"got {type(data).__name__}")
    named = columns.items() if isinstance(columns, Mapping) else ((None, c) for c in columns)
    missing: dict = {}
    for param, column in named:
        if column is not None and column not in data.columns and column not in missing:
            missing[column] = param
    if missing:
        have = [str(c) for c in data.columns]
        shown = ", ".join(have[:_NAMES_SHOWN]) + (", ..." if len(have) > _NAMES_SHOWN else "")
        file = source_name(data)
        raise DataError([Problem(file, None, column, None,
                                 "the column is missing" + (f" ({param}={column!r})" if param else ""),
                                 expected=f"a column named {column!r}",
                                 hint=_did_you_mean(column, have) + (hint or _pass(param))
                                 + f" (the data have: {shown or 'no columns'})")
                         for column, param in missing.items()])


def _did_you_mean(column, have: list[str]) -> str:
    """ "did you mean 'x'? " for the closest name (the same name in other case first), or ""."""
    same = [c for c in have if c.casefold() == str(column).casefold()]
    close = same or difflib.get_close_matches(str(column), have, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _pass(param) -> str:
    return f"Pass the right name as {f'{param}=' if param else 'a keyword'}, or rename the column"


def numeric(data: pd.DataFrame, column: str, param: str | None = None, *, expected: str = "a number",
            allowed=None, minimum: float | None = None, strict: bool = False) -> pd.Series:
    """``data[column]`` as floats, missing left as NaN; one :class:`DataError` lists every bad cell.

    Parameters
    ----------
    data : DataFrame
    column : str
        The column to read (it must exist: see :func:`require`).
    param : str, optional
        The keyword that named the column, said in the message (``success='done'``).
    expected : str
        What a good value is, in words ("1 (success), 0 (failure) or 0.5").
    allowed : set, optional
        The only values permitted.
    minimum : float, optional
        A lower bound, exclusive when ``strict``.

    Returns
    -------
    Series of float
        Same index as ``data``; True/False read as 1/0.

    Raises
    ------
    DataError
        One :class:`~uxcx.errors.Problem` per bad cell (not a number, or breaking
        ``allowed`` or ``minimum``): the row as the spreadsheet numbers it (for a frame
        indexed by ``row``; otherwise the index label is given in the reason), the
        column, the value, ``expected`` and a fix.

    Examples
    --------
    >>> d = pd.DataFrame({"success": [1, "yes", 2]}, index=pd.Index([2, 3, 4], name="row"))
    >>> try:
    ...     numeric(d, "success", expected="1, 0 or 0.5", allowed={0, 0.5, 1})
    ... except DataError as err:
    ...     [(p.row, p.value, p.reason) for p in err.problems]
    [(3, 'yes', 'not a number'), (4, 2, 'value not allowed')]
    """
    raw = data[column]
    read = raw.astype("Float64") if raw.dtype == bool or str(raw.dtype) == "boolean" else raw
    values = pd.to_numeric(read, errors="coerce").astype(float)
    not_number = (values.isna() & read.notna()).to_numpy()
    broken = np.zeros(len(values), dtype=bool)
    if allowed is not None:
        broken |= (values.notna() & ~values.isin(list(allowed))).to_numpy()
    if minimum is not None:
        broken |= ((values <= minimum) if strict else (values < minimum)).to_numpy()
    bad = np.flatnonzero(not_number | broken)
    if bad.size:
        file, named = source_name(data), f" ({param}={column!r})" if param else ""
        raise DataError([cell_problem(file, raw.index, raw.index[i], column, raw.iloc[i],
                                      ("not a number" if not_number[i] else "value not allowed") + named,
                                      expected=expected, hint="correct the cell, or blank it if unknown")
                         for i in bad])
    return values
