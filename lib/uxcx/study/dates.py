"""Dates read with one order per column: day first or month first, never both.

``03/04/2025`` is 3 April in most of the world and March 4 in the US; a
reader that guesses per value reads ``03/04`` as March 4 beside ``13/04`` as
April 13. :func:`read_dates` decides the order once for the whole column:

- the study file's ``date_format:`` (strftime codes) or ``dayfirst:`` wins;
- else a value whose first number is above 12 shows day first, one whose
  second number is above 12 shows month first; the order with more such values
  in the file's date columns together (:func:`file_dayfirst`: a ``start`` with
  13/04 settles an ``end`` of 01/05) is used, and values written in the other
  order are not read (their rows are dropped with the reason and the fix),
  never swapped silently;
- where no value settles it, dates with dots or dashes (``03.04.2025``) are
  read day first and dates with slashes month first, and a note says which
  order was assumed and how to state it.

ISO dates (``2025-04-03``), dates with month names and Excel serial numbers
(:func:`uxcx.study.coerce.coerce`) have one reading and need none of this.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.io.unicode_text import arrow_text, visible_series
from uxcx.study.numbers import as_float

__all__ = ["read_dates", "file_dayfirst", "OTHER_ORDER"]

OTHER_ORDER = "date in another order than the column's"

# day/month/year or month/day/year with one separator, then an optional time
_NUMERIC = (r"^(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})"
            r"(?:[ T,]+(?P<rest>.+))?$")


def read_dates(series: pd.Series, blank: pd.Series, *, dayfirst: bool | None = None,
               date_format: str | None = None, role: str = "", source: str = ""):
    """Read a text column of dates with one order for every row.

    Parameters
    ----------
    series : pandas.Series
        The column as read (text).
    blank : pandas.Series of bool
        Cells already known to be empty or missing.
    dayfirst : bool, optional
        The study file's ``dayfirst:``; default: decided from the column.
    date_format : str, optional
        The study file's ``date_format:``: every value must have this format.
    role, source : str
        For the notes' wording.

    Returns
    -------
    values : pandas.Series of datetime64[ns]
    bad : pandas.Series of bool
        Cells that are not dates (in the column's order).
    reason : str
    notes : list of str

    Examples
    --------
    >>> s = pd.Series(["03/04/2025", "13/04/2025"])
    >>> values, bad, reason, notes = read_dates(s, pd.Series([False, False]))
    >>> [str(v.date()) for v in values]
    ['2025-04-03', '2025-04-13']
    """
    text = visible_series(series).str.strip().where(~blank)
    notes: list[str] = []
    if date_format:
        values = pd.to_datetime(text, format=date_format, errors="coerce")
        values = values.astype("datetime64[ns]")
        return values, values.isna() & ~blank, f"not a date in the format {date_format}", notes
    parts = _extract(text)
    numeric = parts["a"].notna().to_numpy()
    values = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    reason = "not a date"
    other = np.zeros(len(text), dtype=bool)
    if numeric.any():
        first, second = as_float(parts["a"]), as_float(parts["b"])
        show_day = numeric & (first > 12) & (second <= 12)
        show_month = numeric & (second > 12) & (first <= 12)
        if dayfirst is None:
            dayfirst = _decide(int(show_day.sum()), int(show_month.sum()), parts["sep"][numeric],
                               role, source, notes)
        other = show_month if dayfirst else show_day
        day, month = (first, second) if dayfirst else (second, first)
        year = as_float(parts["y"])
        year = np.where(year < 100, np.where(year <= 68, 2000 + year, 1900 + year), year)
        at = numeric & ~other
        values[at] = _assemble(year[at], month[at], day[at], parts["rest"][at], dayfirst)
        if other.any():
            notes.append(_conflict(dayfirst, int(other.sum()), role, source))
    rest = ~numeric & ~blank.to_numpy()
    if rest.any():
        values[rest] = _parse(text[rest], bool(dayfirst))
    bad = values.isna() & ~blank
    if other.any() and not (bad & ~other).any():  # one reason names every cell not read
        reason = OTHER_ORDER
    return values, bad, reason, notes


def file_dayfirst(columns) -> bool | None:
    """The order the date columns of one file show together (None where they show none).

    A file writes all its dates one way: ``start`` with a 13/04 settles an ``end`` column
    whose dates are all ambiguous. ``columns`` are the file's date columns as read.

    >>> file_dayfirst([pd.Series(["13/04/2025"]), pd.Series(["01/05/2025"])])
    True
    """
    n_day = n_month = 0
    for column in columns:
        if pd.api.types.is_datetime64_any_dtype(column.dtype) or pd.api.types.is_numeric_dtype(column.dtype):
            continue
        parts = _extract(visible_series(column).str.strip())
        first, second = as_float(parts["a"]), as_float(parts["b"])
        n_day += int(((first > 12) & (second <= 12)).sum())
        n_month += int(((second > 12) & (first <= 12)).sum())
    return None if n_day == n_month else n_day > n_month


def _extract(text: pd.Series) -> pd.DataFrame:
    """The parts of d/m/y dates (a, sep, b, y, rest), by Arrow's regex engine (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = arrow_text(text)
    found = pc.extract_regex(arrow, _NUMERIC)
    matched = found.is_valid().to_numpy(zero_copy_only=False)
    out = {}
    for name in ("a", "sep", "b", "y", "rest"):
        field = pc.if_else(pa.array(matched), found.field(name), pa.scalar(None, pa.large_string()))
        part = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([field.cast(pa.large_string())])),
                         index=text.index)
        out[name] = part.where(part.ne("").fillna(False).to_numpy(dtype=bool))
    return pd.DataFrame(out)


def _assemble(year, month, day, rest: pd.Series, dayfirst: bool) -> pd.Series:
    """Dates from their numbers (an impossible day is NaT), plus the time of day if written."""
    dates = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    dates = pd.Series(dates.to_numpy(dtype="datetime64[ns]"), index=rest.index)
    timed = rest.notna().to_numpy()
    if timed.any():
        clock = _parse("1970-01-01 " + rest[timed], dayfirst)
        late = clock - pd.Timestamp("1970-01-01")
        dates[timed] = dates[timed] + late.where(clock.notna() & (late < pd.Timedelta(days=1)))
    return dates


def _parse(text: pd.Series, dayfirst: bool) -> pd.Series:
    """ISO first (fast, exact); what is left by the general parser with the column's order."""
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    again = parsed.isna() & text.notna()
    if again.any():
        parsed[again] = pd.to_datetime(text[again], errors="coerce", format="mixed", dayfirst=dayfirst)
    return parsed.astype("datetime64[ns]")


def _decide(n_day, n_month, separators, role, source, notes) -> bool:
    if n_day != n_month:
        return n_day > n_month
    dayfirst = not (separators == "/").mean() > 0.5
    if not n_day:
        example = "03.04.2025" if dayfirst else "03/04/2025"
        notes.append(f"dates read {'day' if dayfirst else 'month'} first ({example} as "
                     f"{'3 April' if dayfirst else 'March 4'}): no value has a day above 12, so "
                     f"the order cannot be told from the column; if that is wrong, state "
                     f"dayfirst: {'false' if dayfirst else 'true'} under "
                     f"sources.{source or '<source>'}" + (f" (or dayfirst: {{{role}: ...}})" if role else ""))
    return dayfirst


def _conflict(dayfirst, n_other, role, source) -> str:
    order, other = ("day first", "month first") if dayfirst else ("month first", "day first")
    return (f"dates read {order}, as most values with a number above 12 show; {n_other} value(s) "
            f"written {other} are not read (their rows are dropped, not swapped): correct them, "
            f"or state dayfirst: or date_format: under sources.{source or '<source>'}"
            + (f" (or dayfirst: {{{role}: ...}})" if role else ""))
