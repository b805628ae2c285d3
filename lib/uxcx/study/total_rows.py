"""Rows at the bottom of a table that sum it up ("Total", "Average"): found, dropped, recorded.

A spreadsheet often ends with a row of totals or averages under the data. Kept, it is one more
participant or customer, with the largest scores of all. :func:`drop_total_rows` finds such
rows among the last rows of a source and moves them to the ledger's dropped rows with the
reason ``"total row"``; :func:`total_rows` says which they are. A line of text under the data
(a note, a source line, an export stamp) is dropped alike as ``"note row"`` (:func:`note_rows`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["total_rows", "note_rows", "drop_total_rows", "label_columns", "TOTAL_ROW", "NOTE_ROW",
           "TOTAL_LABELS"]

TOTAL_ROW = "total row"
NOTE_ROW = "note row"
_LOOKED = 5  # rows at the bottom of the table that are looked at
_BELOW = 3  # rows above a total needed to tell a sum or mean from an answer

# What a total row's id or label reads, in the languages of the kit's users (case ignored; a
# trailing colon and "grand"/"sub" allowed).
# Matched whole against stripped text of at most _LABEL_LONGEST characters, in linear time.
TOTAL_LABELS = re.compile(
    r"(?:(?:grand|sub)[\s-]?)?(?:totals?|sum|sums|summary|average|avg|mean|median|overall|"
    r"all|count|n|σ|Σ|gesamt|insgesamt|summe|durchschnitt|mittelwert|somme|moyenne|"
    r"total général|suma|promedio|media|totaal|gemiddelde|som|totale|média|soma) ?:?",
    re.IGNORECASE)
_LABEL_LONGEST = 20


def total_rows(table: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Which rows of ``table`` are totals, averages or counts of the rows above.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows as read, columns named by the file's headers.
    labels : list of str
        The headers where a total row writes its label: the key columns (participant,
        respondent, customer, task); the first column is always looked at too.

    Returns
    -------
    numpy.ndarray of bool

    Notes
    -----
    Only the last five rows are looked at, from the bottom up, and each stops the search when it
    is no total. A row is a total row when

    * its label (in one of ``labels`` or the first column) reads "Total", "Sum", "Average",
      "Mean", "Count", "Overall", "Grand total", "Subtotal" (or the German, French, Spanish,
      Dutch, Italian or Portuguese word), or
    * with at least three rows above it, it holds two or more numbers and every one of them is
      its column's sum over the rows above (to a millionth), or its mean (to the 0.05 a rounded
      display leaves) where the mean is not a whole number: no respondent's answers are all
      their columns' sums, and a row of non-whole means in whole-number columns is no answer
      either.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["P1", "P2", "P3", "Total"], "nps": [9, 7, 10, 26]})
    >>> total_rows(table, ["id"]).tolist()
    [False, False, False, True]
    >>> table = pd.DataFrame({"id": [1, 2, 3, 6], "nps": [9, 7, 10, 26]})  # AutoSum: no label
    >>> total_rows(table, ["id"]).tolist()
    [False, False, False, True]
    """
    return _trailing(table, labels) == 1


def note_rows(table: pd.DataFrame, labels: list[str] = ()) -> np.ndarray:
    """Which of the last rows are a line of text under the data, not data.

    Among the last five rows (from the bottom up, with the total rows of :func:`total_rows`),
    a row is a note when its one filled cell holds text of three words or more, or text that
    starts with ``*``, ``†``, ``©``, "Note" or "Source", in a table of two columns or more. An
    id, the one cell of a participant who answered nothing, is a single word and stays.

    Examples
    --------
    >>> table = pd.DataFrame({"id": ["P1", "P2", "P12", "Source: panel export, May 2025"],
    ...                       "nps": [9, 7, None, None]})
    >>> note_rows(table).tolist()
    [False, False, False, True]
    """
    return _trailing(table, list(labels)) == 2


def _trailing(table: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """For each row: 1 for a total row, 2 for a note row, 0 for data (the last rows only)."""
    out = np.zeros(len(table), dtype=np.int8)
    if not len(table):
        return out
    start = max(len(table) - _LOOKED, 0)
    named = np.zeros(len(table), dtype=bool)
    columns = list(dict.fromkeys([table.columns[0], *[c for c in labels if c in table.columns]]))
    for column in columns:  # the last rows only: a label is looked for nowhere else
        named[start:] |= _is_label(table[column].iloc[start:])
    noted = np.zeros(len(table), dtype=bool)
    noted[start:] = _notes(table.iloc[start:])
    tail, body = _numbers(table, start)
    for at in range(len(table) - 1, start - 1, -1):  # five rows at most, from the bottom up
        if noted[at]:
            out[at] = 2
        elif named[at] or _sums_up(tail, body, at - start, at):
            out[at] = 1
        else:
            break
    return out


def _is_label(cells: pd.Series) -> np.ndarray:
    """Which cells read as a total's label (short texts only: the pattern stays linear)."""
    text = cells.astype("string").str.strip()
    text = text.where(text.str.len() <= _LABEL_LONGEST)
    return text.str.fullmatch(TOTAL_LABELS).fillna(False).to_numpy(dtype=bool)


def _first_filled(rows: pd.DataFrame) -> np.ndarray:
    """Each row's first filled cell (None for an empty row); for the few rows at the bottom."""
    filled = rows.notna().to_numpy()
    return np.array([row[f][0] if f.any() else None  # five rows at most
                     for row, f in zip(rows.to_numpy(dtype=object), filled, strict=True)] or [],
                    dtype=object)


def _notes(rows: pd.DataFrame) -> np.ndarray:
    """Rows whose one filled cell is a line of text (three words, or a note's mark)."""
    if rows.shape[1] < 2:
        return np.zeros(len(rows), dtype=bool)
    one = rows.notna().to_numpy().sum(axis=1) == 1
    cell = pd.Series(np.where(one, _first_filled(rows), None), dtype=object)
    text = cell.where(cell.map(lambda v: isinstance(v, str)), None).astype("string").str.strip()
    words = text.str.split().str.len()
    marked = text.str.contains(r"^(?:[*†©]|note\b|notes\b|source\b)", case=False, regex=True)
    return (one & ((words >= 3) | marked).fillna(False).to_numpy(dtype=bool))


def _as_numbers(column: pd.Series) -> pd.Series:
    """A column's numbers as floats (NaN where a cell holds no number; yes/no is no number)."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return pd.Series(np.nan, index=column.index)
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.astype("float64")
    return pd.to_numeric(column.astype(object), errors="coerce").astype("float64")


def _numbers(table: pd.DataFrame, start: int) -> tuple[np.ndarray, np.ndarray]:
    """The last rows' numbers (rows ``start`` on), and per column the sum, count and largest
    absolute value of the rows above them.

    Only columns with a number in the last rows are read whole, once.
    """
    tails, body = [], []
    for name in table.columns:
        column = table[name]
        tail = _as_numbers(column.iloc[start:]).to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(tail).all():
            continue
        tails.append(tail)
        body.append(_sum_count_largest(column.iloc[:start]))
    if not tails:
        return np.empty((len(table) - start, 0)), np.empty((3, 0))
    return np.column_stack(tails), np.array(body, dtype=float).T


def _sum_count_largest(column: pd.Series) -> tuple[float, int, float]:
    """The sum, count and largest absolute value of a column's numbers.

    Computed in numpy on the float values as pandas' ``sum``, ``count`` and ``abs().max()``
    compute them (missing cells as 0 in the sum), without their overhead per call.
    """
    if not (pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)):
        above = _as_numbers(column)
        return above.sum(), above.count(), above.abs().max() if above.count() else 0.0
    values = _floats(column)
    missing = np.isnan(values)
    count = int(len(values) - missing.sum())
    with np.errstate(invalid="ignore"):  # inf - inf: the sum is NaN, as pandas gives it
        total = np.where(missing, 0.0, values).sum()
    return total, count, np.nanmax(np.abs(values)) if count else 0.0


def _floats(column: pd.Series) -> np.ndarray:
    """A numeric column as float64, missing as NaN (an Arrow column cast in Arrow: twice as fast)."""
    if isinstance(column.dtype, pd.ArrowDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        try:  # a safe cast: an integer beyond 2**53 stops it, and numpy converts instead
            cast = pc.cast(pa.array(column.array), pa.float64())
            return pc.fill_null(cast, np.nan).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return column.to_numpy(dtype="float64", na_value=np.nan)


def _sums_up(tail: np.ndarray, body: np.ndarray, at: int, row_number: int) -> bool:
    """Whether tail row ``at`` holds the sums or means of every row above it."""
    if row_number < _BELOW or not tail.shape[1]:
        return False
    row, before = tail[at], tail[:at]
    filled = ~np.isnan(row)
    if filled.sum() < 2:
        return False
    total = body[0] + np.nansum(before, axis=0)
    count = body[1] + (~np.isnan(before)).sum(axis=0)
    largest = np.fmax(body[2], np.nanmax(np.abs(before), axis=0, initial=0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        # a sum is larger than any one value above it (two values or more of one sign)
        is_sum = (np.abs(row - total) <= 1e-6 * np.maximum(np.abs(total), 1)) & (np.abs(total) > largest)
        whole_mean = np.abs(mean - np.round(mean)) <= 0.05
        is_mean = (np.abs(row - mean) <= 0.05) & ~whole_mean
    many = count >= _BELOW
    return bool(((is_sum | is_mean) & many)[filled].all())


def _labels(rows: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Each total row's label ("Total"), or None for a row of sums without one.

    The value belongs to no one (it is no id), so the ledger shows it as it is.
    """
    out = np.full(len(rows), None, dtype=object)
    for column in reversed(list(dict.fromkeys([rows.columns[0], *[c for c in labels
                                                                   if c in rows.columns]]))):
        named = _is_label(rows[column])
        out[named] = rows[column].astype("string").str.strip()[named].to_numpy(dtype=object)
    return out


def label_columns(mapping: dict) -> list[str]:
    """The headers mapped to a key or the task: where a total row writes its label."""
    return [h for h, name in mapping.items() if name in ("participant", "respondent", "customer",
                                                          "task")]


def drop_total_rows(table: pd.DataFrame, rows: pd.Index, removed: pd.DataFrame, labels: list[str]
                    ) -> tuple[pd.DataFrame, pd.Index, pd.DataFrame]:
    """The table without its total rows, and ``removed`` with one ledger row for each.

    ``rows`` are the table's row numbers (as the ledger counts them); ``removed`` holds the
    rows taken out so far (row, column, value, reason, expected, hint). The read count does not
    change: a total row is read, then dropped with the reason ``"total row"``.
    """
    kind = _trailing(table, labels)
    total = kind > 0
    if not total.any():
        return table, rows, removed
    reason = np.where(kind[total] == 1, TOTAL_ROW, NOTE_ROW)
    first = table.columns[0]
    notes = _first_filled(table[total])
    found = pd.DataFrame({
        "row": np.asarray(rows)[total], "column": None,
        "value": np.where(kind[total] == 1, _labels(table[total], labels), notes),
        "reason": reason, "expected": "a data row",
        "hint": np.where(kind[total] == 1,
                         "the row sums up the rows above it (a total, sum or average) and is left "
                         "out; delete it from the file to keep this note away",
                         "a line of text under the data (a note or a source) is left out; "
                         f"delete it from the file, or move it out of column {first!r}")})
    removed = pd.concat([removed, found], ignore_index=True) if len(removed) else found
    return table[~total], rows[~total], removed
