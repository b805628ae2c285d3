"""Reading XLSX workbooks, Parquet files and JSON records into a frame.

Each reader returns the frame, with columns named as the file names them, and
the row number a user sees for each row (the Excel row; for Parquet and JSON the
record number, from 1). :func:`typed` then gives each column one pyarrow dtype
where its values allow. Blank rows are left in; :func:`uxcx.io.tables.read_table`
removes them.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from uxcx.errors import DataError, Problem
from uxcx.io.shared import column_names, fail, replaced, to_utf8

_XLSX_HINT = "open it in Excel and save it again as .xlsx (a CSV renamed to .xlsx will not open)"
_JSON_EXPECTED = "a list of records ([{...}, ...]) or one record per line (JSON Lines)"


# --- XLSX -------------------------------------------------------------------------

def read_xlsx(data: bytes, file: str, sheet, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The sheet (name, or 0-based position; None for the first) from the header down.

    Empty rows above the header and below the last filled row are skipped, and
    empty columns right of the table removed.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise fail(file, f"the file cannot be read as an Excel workbook ({err})",
                   "an .xlsx workbook", _XLSX_HINT) from None
    try:
        chosen = _sheet(book.worksheets, 0 if sheet is None else sheet, file)
        chosen.reset_dimensions()  # some writers record a wrong size
        values = list(chosen.iter_rows(min_row=1, values_only=True))
    except DataError:
        raise
    except Exception as err:
        raise fail(file, f"the workbook cannot be read ({err})", "an .xlsx workbook",
                   _XLSX_HINT) from None
    finally:
        book.close()
    at = next((i for i, row in enumerate(values)
               if any(v is not None and str(v).strip() for v in row)), None)
    if at is None:
        raise fail(file, f"the sheet {chosen.title!r} is empty", "a header row and data rows",
                   "check the sheet, or pick another one with sheet=")
    if at:
        notes.append(f"the header is in row {at + 1} of sheet {chosen.title!r}; "
                     f"rows above it are empty")
    width = max(map(len, values))  # rows come as long as their last filled cell
    frame = pd.DataFrame([row if len(row) == width else (*row, *(None,) * (width - len(row)))
                          for row in values[at + 1:]], columns=range(width), dtype=object)
    header = list(values[at]) + [None] * (width - len(values[at]))
    used = [i for i, h in enumerate(header) if h is not None or frame[i].notna().any()]
    frame = frame.iloc[:, :used[-1] + 1]  # drop empty columns right of the table
    frame.columns = column_names(header[:used[-1] + 1], file, at + 1, notes)
    filled = np.flatnonzero(frame.notna().to_numpy().any(axis=1))
    frame = frame.iloc[:filled[-1] + 1 if len(filled) else 0].reset_index(drop=True)
    return frame, np.arange(len(frame), dtype=np.int64) + (at + 2)


def _sheet(sheets: list, sheet, file: str):
    """The worksheet named, or at a 0-based position (negative counts from the end)."""
    titles = [s.title for s in sheets]
    if isinstance(sheet, int) and -len(sheets) <= sheet < len(sheets):
        return sheets[sheet]
    if sheet in titles:
        return sheets[titles.index(sheet)]
    raise DataError([Problem(
        file, None, None, sheet, "there is no such sheet",
        expected="one of the sheets " + ", ".join(repr(t) for t in titles)
                 + " (a name, or a position counted from 0)",
        hint="pick one of these sheet names (spelling and capitals count)")])


# --- Parquet ----------------------------------------------------------------------

def read_parquet(data: bytes, file: str, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The table, with categorical columns as plain values and a stored pandas index as columns."""
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(io.BytesIO(data)).read()  # one file; allows duplicate names
    except Exception as err:  # pyarrow raises several kinds for a damaged file
        raise fail(file, f"the file cannot be read as Parquet ({err})", "a Parquet file",
                   "write it again (pandas: DataFrame.to_parquet)") from None
    names = column_names(table.column_names, file, None, notes)
    for i, kind in enumerate(table.schema.types):
        if pa.types.is_dictionary(kind):  # categoricals: plain values
            table = table.set_column(i, table.field(i).name, table.column(i).cast(kind.value_type))
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    if not isinstance(frame.index, pd.RangeIndex):  # a pandas index stored with the data
        named = [n for n in frame.index.names if n is not None and n not in frame.columns]
        frame = frame.reset_index(level=named) if named else frame
        frame = frame.reset_index(drop=True)
        names = [str(n).strip() for n in frame.columns]
    frame.columns = names
    return frame, np.arange(1, len(frame) + 1, dtype=np.int64)


# --- JSON -------------------------------------------------------------------------

def read_json(data: bytes, file: str, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray, str]:
    """A list of records or JSON Lines; also the text encoding found."""
    body, encoding = to_utf8(data, file, notes)
    text = body.strip()
    try:
        if text.startswith(b"["):
            records = json.loads(text)
        elif text.startswith(b"{"):
            try:
                records = [json.loads(text)]
            except json.JSONDecodeError as err:
                if err.msg != "Extra data":
                    raise
                records = json.loads(b"[" + re.sub(rb"\s*\n\s*", b",", text) + b"]")
        else:
            raise fail(file, "the file is not JSON records", _JSON_EXPECTED,
                       "export the table as JSON records, or as CSV")
    except json.JSONDecodeError as err:
        raise fail(file, f"the file is not valid JSON: {_json_error(text, err)}", _JSON_EXPECTED,
                   "check it in a JSON validator; it may be cut short or edited by hand") from None
    if len(records) == 1 and isinstance(records[0], dict):
        nested = [k for k, v in records[0].items()
                  if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(nested) > 1:
            raise fail(file, f"the file holds one object with several lists of records: {nested}",
                       _JSON_EXPECTED, f"save the list you want (one of {nested}) by itself")
        if nested:
            # An export wrapped in one object ({"rows": [...]}): its one list is the table.
            notes.append(f"records read from the list {nested[0]!r} of the file's one object")
            records = records[0][nested[0]]
    bad = [i + 1 for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise DataError([Problem(file, i, None, None, "this record is not an object",
                                 expected=_JSON_EXPECTED, hint="write each record as {\"column\": value}")
                         for i in bad])
    frame = pd.DataFrame(records, dtype=object)
    if frame.shape[1] == 0:
        raise fail(file, "the file holds no records", _JSON_EXPECTED,
                   "check that you exported the right file")
    frame.columns = column_names(list(frame.columns), file, None, notes)
    frame = _spread_lists(frame, notes)
    return frame, np.arange(1, len(frame) + 1, dtype=np.int64), encoding


def _spread_lists(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Columns holding lists of one length (``"ratings": [4, 1, 5, ...]``) become numbered columns.

    >>> _spread_lists(pd.DataFrame({"id": ["a"], "r": [[4, 1]]}, dtype=object), []).columns.tolist()
    ['id', 'r_1', 'r_2']
    """
    for column in list(frame.columns):
        values = frame[column]
        if not values.map(lambda v: isinstance(v, list)).all() or not len(values):
            continue
        lengths = values.map(len)
        if lengths.nunique() != 1:
            continue
        width = int(lengths.iloc[0])
        spread = pd.DataFrame(values.tolist(), index=frame.index, dtype=object,
                              columns=[f"{column}_{i}" for i in range(1, width + 1)])
        at = frame.columns.get_loc(column)
        frame = pd.concat([frame.iloc[:, :at], spread, frame.iloc[:, at + 1:]], axis=1)
        notes.append(f"list column {column!r} spread into {column}_1 ... {column}_{width}")
    return frame


def _json_error(text: bytes, err: json.JSONDecodeError) -> str:
    """Where the JSON goes wrong, in the file's own lines."""
    if err.doc is text or err.doc == text.decode("utf-8", "replace"):
        return f"{err.msg} at line {err.lineno}, column {err.colno}"
    for number, line in enumerate(text.splitlines(), 1):  # JSON Lines: only on error
        try:
            if line.strip():
                json.loads(line)
        except json.JSONDecodeError as inner:
            return f"{inner.msg} at line {number}, column {inner.colno}"
    return err.msg


# --- column types -------------------------------------------------------------------

def typed(frame: pd.DataFrame, wanted: set) -> pd.DataFrame:
    """pyarrow dtypes for columns of one kind; the ``wanted`` columns as pandas strings.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": [123.0, 45.0], "nps": [9, 7]}, dtype=object)
    >>> out = typed(frame, {"id"})
    >>> out["id"].tolist(), str(out["nps"].dtype)
    (['123', '45'], 'int64[pyarrow]')
    """
    out = {}
    for name in frame.columns:
        column = frame[name]
        if name in wanted:
            out[name] = _as_text(column)
        elif column.dtype == object:
            arrow = _arrow(column)
            if arrow is not None:  # else mixed kinds (numbers and text): keep Python values
                out[name] = arrow
    return replaced(frame, out)


def _as_text(column: pd.Series) -> pd.Series:
    if column.dtype == object:
        arrow = _arrow(column)
        column = column if arrow is None else arrow
    kind = column.dtype.pyarrow_dtype if isinstance(column.dtype, pd.ArrowDtype) else None
    if kind is not None and pa.types.is_floating(kind):
        values = column.dropna().to_numpy(dtype=float)
        if np.isfinite(values).all() and (values == np.round(values)).all():
            column = column.astype("int64[pyarrow]")  # 123.0 → "123"
    return column.astype("string")


def _arrow(column: pd.Series) -> pd.Series | None:
    """An object column as one pyarrow type, or None where its values have no single type."""
    try:
        arrow = pa.array(column.to_numpy(), from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    return pd.Series(pd.arrays.ArrowExtensionArray(arrow), index=column.index)
