"""Shared machinery of the customer-experience measures: reading ratings, counting, segment warnings.

The public functions live in :mod:`uxcx.cx.nps`, :mod:`uxcx.cx.compare`,
:mod:`uxcx.cx.ratings` and :mod:`uxcx.cx.trends` (all re-exported by :mod:`uxcx.cx`).

Small-sample rules (applied per segment, i.e. per group of ``by``):

- an NPS from fewer than :data:`NPS_MIN` = 30 respondents, or a top-box share or mean
  from fewer than :data:`RATING_MIN` = 10, is reported with a :class:`SmallSampleWarning`
  naming the segment: at n = 30 a 95% NPS interval is typically ±25-35 points wide, and
  below 10 answers one respondent moves a top-box share by more than 10 points;
- a segment with fewer than 2 answers has its estimate but a NaN interval (and standard
  error), with the same warning: one answer carries no information about spread (the Wald
  variance of a single answer is 0, and the t interval needs n - 1 >= 1). The other
  segments are unaffected, so one tiny segment never stops a breakdown.
"""

from __future__ import annotations

import fnmatch
import warnings

import numpy as np
import pandas as pd

from uxcx._core.checks import numeric, require
from uxcx.errors import DataError, SmallSampleWarning, UxcxError
from uxcx.study.schema import scale_bounds

__all__ = ["NPS_MIN", "RATING_MIN", "rating_values", "scale_bounds", "segment_names", "warn_segments",
           "expand_items", "missing_note"]

NPS_MIN = 30
RATING_MIN = 10


def rating_values(data: pd.DataFrame, column: str, bounds: tuple[int, int] | None) -> pd.Series:
    """``data[column]`` as floats (missing kept as NaN); a :class:`DataError` names every bad row.

    With ``bounds`` only whole numbers from low to high are allowed; without, any number.
    """
    if bounds is None:
        return numeric(data, column, expected="a number")
    low, high = bounds
    return numeric(data, column, expected=f"a whole number from {low} to {high}",
                   allowed=set(range(low, high + 1)))


def rating_table(data: pd.DataFrame, columns: list[str], bounds) -> pd.DataFrame:
    """Several rating columns checked at once: one :class:`DataError` lists every bad cell."""
    require(data, columns)
    problems, out = [], {}
    for column in columns:
        try:
            out[column] = rating_values(data, column, bounds)
        except DataError as err:
            problems += err.problems
    if problems:
        raise DataError(problems)
    return pd.DataFrame(out, index=data.index)


def expand_items(data: pd.DataFrame, items) -> list[str]:
    """``items`` as a list of columns; a string with ``*`` or ``?`` is a pattern (``"loyalty_*"``)."""
    if isinstance(items, str):
        if any(ch in items for ch in "*?["):
            found = [c for c in data.columns if fnmatch.fnmatchcase(str(c), items)]
            if not found:
                raise UxcxError(f"items={items!r} matches no column; the data have "
                                f"{list(map(str, data.columns))[:20]}")
            return found
        return [items]
    found = list(items)
    if not found:
        raise UxcxError("items must name at least one column")
    return found


def segment_names(keys: pd.DataFrame, by_cols: list[str]) -> list[str]:
    """A readable name per group: "region='West', device='Mobile'" or "all respondents"."""
    if not by_cols:
        return ["all respondents"] * len(keys)
    return [", ".join(f"{c}={v!r}" for c, v in zip(by_cols, row)) for row in keys[by_cols].itertuples(
        index=False, name=None)]


def warn_segments(keys: pd.DataFrame, by_cols: list[str], n, *, minimum: int, what: str,
                  measure: str) -> None:
    """One :class:`SmallSampleWarning` naming every segment with fewer than ``minimum`` answers.

    Segments with fewer than 2 answers are named separately: their interval is NaN.
    """
    n = np.asarray(n, dtype=float)
    names = segment_names(keys, by_cols)
    small = [f"{names[i]} (n={int(n[i])})" for i in np.flatnonzero((n < minimum) & (n >= 2))]
    none = [f"{names[i]} (n={int(n[i])})" for i in np.flatnonzero(n < 2)]
    parts = []
    if small:
        parts.append(f"{len(small)} segment(s) have fewer than {minimum} {what}, so the {measure} is "
                     f"imprecise (a wide interval): {_listed(small)}")
    if none:
        parts.append(f"{len(none)} segment(s) have fewer than 2 {what}: the {measure} interval cannot be "
                     f"formed and is NaN: {_listed(none)}")
    if parts:
        warnings.warn("; ".join(parts), SmallSampleWarning, stacklevel=3)


def _listed(names: list[str], shown: int = 10) -> str:
    text = "; ".join(names[:shown])
    return text + (f"; and {len(names) - shown} more" if len(names) > shown else "")


def missing_note(missing) -> np.ndarray:
    """"; k missing left out" per group (empty where none were missing)."""
    return np.array([f"; {int(m)} missing left out" if m else "" for m in np.asarray(missing)], dtype=object)
