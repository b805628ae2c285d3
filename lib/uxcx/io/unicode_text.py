"""Text compared as a reader sees it: Unicode NFC, no invisible characters, plain spaces.

Exports differ in ways no reader can see: macOS tools write "é" as "e" plus a
combining accent (NFD), web forms leave zero-width spaces and byte-order marks
inside ids, spreadsheets use no-break spaces (U+00A0, U+202F) between words.
:func:`visible` and :func:`visible_series` give the one spelling compared for
keys, headers and labels; :func:`changed` says which cells that changed.

The Unicode Standard, Annex #15 (Normalization Forms) defines NFC; the
invisible characters are the format characters (category Cf) that export tools
leave behind: zero-width space, joiners, word joiner, byte-order mark, soft
hyphen, direction marks and embeddings.

This module imports no pandas at load time.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE", "visible", "visible_series", "visible_with_changes", "arrow_text",
           "arrow_strings", "python_strings"]

#: Characters removed before comparing: zero-width space / non-joiner / joiner, word joiner,
#: byte-order mark (zero-width no-break space), soft hyphen, left-to-right and right-to-left
#: marks, the bidirectional embeddings and isolates, and the Mongolian vowel separator.
INVISIBLE = ("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2066\u2067\u2068\u2069\u180e")
#: Spaces that read as a space: no-break, narrow no-break, figure, thin, en/em and the like.
ODD_SPACES = "\u00a0\u202f\u2007\u2009\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u205f\u3000"

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_ODD_SPACE = re.compile(f"[{ODD_SPACES}]")
_STRIP = str.maketrans({c: None for c in INVISIBLE} | {c: " " for c in ODD_SPACES})


def visible(text) -> str:
    """``text`` in NFC, invisible characters removed, odd spaces as plain spaces.

    Examples
    --------
    >>> visible("P0\\u200b1") == "P01", visible("Tre\\u0300s") == "Tr\\u00e8s"
    (True, True)
    >>> visible("2\\u202f500")
    '2 500'
    """
    return unicodedata.normalize("NFC", str(text).translate(_STRIP))


def arrow_strings(series):
    """``series.astype(pd.StringDtype("pyarrow"))``, without a detour through Python objects.

    A column that is Arrow text already (as the CSV reader gives it) is wrapped as it is, and
    a column of Python strings (pandas ``"string"``) is handed to Arrow in one call; pandas'
    ``astype`` makes a Python object of every cell first (0.17 s a million cells). Any other
    column goes through ``astype``.
    """
    import pandas as pd
    import pyarrow as pa

    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                             or pa.types.is_large_string(dtype.pyarrow_dtype)):
        arrow = pa.array(series.array)
    elif isinstance(dtype, pd.StringDtype) and dtype.storage == "python" and dtype.na_value is pd.NA:
        arrow = pa.array(series.array._ndarray, type=pa.large_string(), from_pandas=True)
    else:
        return series.astype(pd.StringDtype("pyarrow"))
    return pd.Series(pd.arrays.ArrowStringArray(arrow), index=series.index, name=series.name)


_FEW = 1_000  # distinct values in a sample of _SAMPLE cells: a column of labels, not of ids
_SAMPLE = 10_000


def python_strings(series):
    """``series.astype("string")`` (Python storage) for Arrow text, each distinct value made once.

    A column of a few labels ("Mobile", "Desktop") repeats a handful of values a million
    times: they are made into Python strings once and the cells point at them (what a sample
    of the column suggests; ids are converted cell by cell, which is faster for them). The
    values, missing cells and dtype are those of ``astype("string")``.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"
            and pd.StringDtype() == pd.StringDtype("python")):  # "string" may name Arrow storage
        return series.astype("string")
    arrow = pa.array(series.array)
    arrow = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
    n = len(arrow)
    sample = arrow.take(np.linspace(0, n - 1, _SAMPLE).astype(np.int64)) if n > _SAMPLE else arrow
    if n > _SAMPLE and pc.count_distinct(sample).as_py() < _FEW:
        encoded = pc.dictionary_encode(arrow)
        words = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), pd.NA)
        at = pc.fill_null(encoded.indices, len(words) - 1).to_numpy(zero_copy_only=False)
        cells = words[at]
    else:
        cells = arrow.to_numpy(zero_copy_only=False)  # missing cells are None: pd.NA below
    return pd.Series(pd.arrays.StringArray(cells), index=series.index, name=series.name)


def arrow_text(series):
    """A text column as one contiguous Arrow ``large_string`` array (chunks combined)."""
    import pyarrow as pa

    arrow = pa.array(arrow_strings(series).array)
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    return arrow.cast(pa.large_string())


def visible_series(series):
    """:func:`visible` for a column of text, vectorised (Arrow); missing stays missing.

    Only cells that are not plain ASCII are touched, so an ASCII column costs one scan.
    """
    return visible_with_changes(series)[0]


def visible_with_changes(series):
    """:func:`visible_series` and the mask of the cells it changed (missing cells never changed)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = arrow_strings(series)
    arrow = arrow_text(text)
    if not len(arrow) or bool(pc.all(pc.fill_null(pc.string_is_ascii(arrow), True)).as_py()):
        return text, pd.Series(False, index=series.index)  # nothing to change, nothing to compare
    cleaned = pc.replace_substring_regex(arrow, _INVISIBLE.pattern, "")
    cleaned = pc.replace_substring_regex(cleaned, _ODD_SPACE.pattern, " ")
    cleaned = pc.utf8_normalize(cleaned, "NFC").cast(pa.large_string())
    changed = pc.fill_null(pc.not_equal(arrow, cleaned), False).to_numpy(zero_copy_only=False)
    out = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([cleaned])), index=series.index,
                    name=series.name)
    return out, pd.Series(changed, index=series.index)
