"""Reading Parquet files into a frame, and typing the columns of XLSX, Parquet and JSON tables.

Each reader returns the frame, with columns named as the file names them, and
the row number a user sees for each row (the Excel row; for Parquet and JSON the
record number, from 1). :func:`typed` then gives each column one pyarrow dtype
where its values allow. Blank rows are left in; :func:`uxcx.io.tables.read_table`
removes them. The XLSX reader lives in :mod:`uxcx.io.xlsx` and the JSON reader in
:mod:`uxcx.io.json_records`; their names still import from here.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa

from uxcx.io.json_records import read_json
from uxcx.io.shared import column_names, fail, replaced
from uxcx.io.xlsx import read_xlsx

__all__ = ["read_xlsx", "read_parquet", "read_json", "typed"]


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
