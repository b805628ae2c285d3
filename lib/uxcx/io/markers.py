"""Text that looks missing ("NA", "None", "null"): missing in a number column, text in a text column.

Spreadsheet and statistics tools write a missing number as ``NA``, ``N/A``,
``null``, ``None``, ``#N/A`` or ``NaN``; pandas reads those as missing in every
column. But "NA" is also North America, "None" a real answer to "Which
features do you use?". So the CSV reader keeps them as written in the columns
it reads as text (:func:`literal_text`): the loader reads them as missing only
for number, date and yes/no roles (:data:`MISSING_MARKERS`, see
:func:`uxcx.study.coerce.coerce`), and a text, category or key role keeps its
text unless the study lists it under ``missing:``.
"""

from __future__ import annotations

__all__ = ["MISSING_MARKERS", "is_marker", "literal_text", "literal_text_c"]

#: pandas' default missing-value markers (``pandas.read_csv``, ``na_values``), compared
#: without case and surrounding spaces.
MISSING_MARKERS = frozenset({
    "#n/a", "#n/a n/a", "#na", "-1.#ind", "-1.#qnan", "-nan", "1.#ind", "1.#qnan", "<na>", "n/a",
    "na", "null", "nan", "none"})


def is_marker(text):
    """Mask of the cells of a text column that are a missing marker (vectorised).

    >>> import pandas as pd
    >>> is_marker(pd.Series(["NA", " null ", "North", None])).tolist()
    [True, True, False, False]
    """
    from uxcx.io.unicode_text import arrow_strings

    norm = arrow_strings(text).str.strip().str.lower()
    return norm.isin(list(MISSING_MARKERS)).fillna(False).astype(bool)


def literal_text(frame, body: bytes, parse_options, nulls, *, strings_as_written=False) -> object:
    """``frame`` (read by pyarrow) with its text columns as written: markers kept, only empty is missing.

    pyarrow's reader applies the missing markers to every column; a second read of
    the text columns alone, with only the empty cell missing, gives back "NA" and
    "None" where the file has them. It runs only when a text column has a missing
    cell, so files without gaps in their text pay nothing. With ``strings_as_written``
    the caller read its text columns with only the empty cell missing, so only the
    columns read as nothing (every cell empty or a marker) are read again.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    text = _text_with_gaps(frame, nothing_only=strings_as_written)
    if not text or not any(m in body for m in _marker_bytes(nulls)):
        return frame
    table = pa_csv.read_csv(
        pa.py_buffer(body), parse_options=parse_options,
        convert_options=pa_csv.ConvertOptions(
            include_columns=text, column_types={name: pa.string() for name in text},
            null_values=[""], strings_can_be_null=True))
    out = frame.copy()
    for name in text:
        literal = table.column(name).to_pandas(types_mapper=pd.ArrowDtype)
        if literal.notna().sum() > frame[name].notna().sum():  # an empty column stays as it was
            out[name] = literal.astype(_text_type(frame[name])).set_axis(frame.index)
    return out


def literal_text_c(frame, body: bytes, options: dict):
    """:func:`literal_text` for a frame read by pandas' C engine with ``options``."""
    import io

    import pandas as pd

    text = _text_with_gaps(frame)
    if not text:
        return frame
    again = pd.read_csv(io.BytesIO(body), **{**options, "on_bad_lines": "skip"}, usecols=text,
                        keep_default_na=False, na_values=[""],
                        dtype={name: _text_type(frame[name]) for name in text})
    out = frame.copy()
    for name in text:
        if again[name].notna().sum() > frame[name].notna().sum():
            out[name] = again[name].set_axis(frame.index)
    return out


def _text_with_gaps(frame, nothing_only=False) -> list:
    """Columns read as text (or as nothing: every cell a marker) that have a missing cell."""
    import pandas as pd
    import pyarrow as pa

    repeated = set(frame.columns[frame.columns.duplicated()])  # one pass: wide files have 10,000 columns
    names = [c for c in frame.columns if str(c) != "" and c not in repeated]
    out = []
    for name in names:
        dtype = frame[name].dtype
        null = (isinstance(dtype, pd.ArrowDtype) and pa.types.is_null(dtype.pyarrow_dtype)) or (
            pd.api.types.is_object_dtype(dtype) and frame[name].isna().all())
        text = pd.api.types.is_string_dtype(dtype) and not nothing_only
        if (null or text) and frame[name].isna().any():
            out.append(name)
    return out


def _text_type(column):
    import pandas as pd
    import pyarrow as pa

    dtype = column.dtype
    if (isinstance(dtype, pd.ArrowDtype) and pa.types.is_null(dtype.pyarrow_dtype)) or \
            pd.api.types.is_object_dtype(dtype):
        return pd.ArrowDtype(pa.string())
    return dtype


def _marker_bytes(nulls) -> list[bytes]:
    return [m.encode() for m in nulls if m]
