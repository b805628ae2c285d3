"""Reading JSON records (a list of objects, or JSON Lines) into a frame, within set bounds.

:func:`read_json` returns the frame, with columns named as the records name them, the record
number (from 1) of each row and the text encoding found. Before anything is parsed the file's
size and nesting depth are checked (:data:`MAX_JSON_BYTES`, :data:`MAX_JSON_DEPTH`), so a file
nested thousands of levels deep gives a message instead of Python's ``RecursionError`` and a
huge file does not take the machine's memory.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from uxcx.errors import DataError, Problem
from uxcx.io.shared import column_names, fail, to_utf8

__all__ = ["read_json", "json_depth", "MAX_JSON_BYTES", "MAX_JSON_DEPTH", "MAX_JSON_COLUMNS"]

# A table's records nest a level or two ({"rows": [{"id": .., "answers": {..}}]}); exports of
# survey tools nest up to about ten. Deeper nesting is no table (and Python's parser stops
# near 1,000 levels with a RecursionError).
MAX_JSON_DEPTH = 64
# Parsed JSON takes about ten times its size in memory; bigger tables belong in CSV or Parquet.
MAX_JSON_BYTES = 256 * 2**20
# Excel's own limit; records whose keys all differ would otherwise make a table of n × n cells.
MAX_JSON_COLUMNS = 16_384

_JSON_EXPECTED = "a list of records ([{...}, ...]) or one record per line (JSON Lines)"
_ESCAPE = re.compile(rb"\\.", re.DOTALL)  # \" and \\ inside strings say nothing of nesting
# A line break between records, with the spaces around it; a match starts only where a run of
# spaces does, so a long run without a line break costs linear time.
_LINE_BREAK = re.compile(rb"(?<![ \t\r])[ \t\r]*\n\s*")
_CHUNK = 1 << 22
_OPEN, _CLOSE, _QUOTE = np.zeros(256, bool), np.zeros(256, bool), np.zeros(256, bool)
_OPEN[[ord("["), ord("{")]] = _CLOSE[[ord("]"), ord("}")]] = _QUOTE[ord('"')] = True
_SPECIAL = _OPEN | _CLOSE | _QUOTE


def json_depth(text: bytes) -> tuple[int, int]:
    """How deep the brackets of a JSON text nest, and the line where that depth is first reached.

    Brackets inside strings do not count. The text is read in blocks of 4 MB with numpy, so
    the time is linear in its length and the memory small, whatever the nesting.

    Examples
    --------
    >>> json_depth(b'[{"a": [1, 2]}, {"b": "[[["}]')
    (3, 1)
    >>> json_depth(b'{"a": 1}\\n{"b": {"c": [{}]}}')
    (4, 2)
    """
    plain = _ESCAPE.sub(b"", text)
    codes = np.frombuffer(plain, dtype=np.uint8)
    depth, inside, deepest, where = 0, False, 0, 0
    for start in range(0, len(codes), _CHUNK):
        part = codes[start:start + _CHUNK]
        at = np.flatnonzero(_SPECIAL[part])
        kind = part[at]
        quote = _QUOTE[kind]
        # a bracket is outside strings when the quotes before it (and the carried state) pair up
        outside = (np.cumsum(quote) % 2 == 1) == inside
        step = np.where(_OPEN[kind], 1, np.where(_CLOSE[kind], -1, 0)) * (outside & ~quote)
        levels = depth + np.cumsum(step)
        if len(levels) and levels.max() > deepest:
            deepest = int(levels.max())
            where = start + int(at[np.argmax(levels)])
        if len(levels):
            depth = int(levels[-1])
        inside ^= bool(quote.sum() % 2)
    return deepest, plain.count(b"\n", 0, where) + 1


def read_json(data: bytes, file: str, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray, str]:
    """A list of records or JSON Lines; also the text encoding found.

    Raises
    ------
    DataError
        The file is larger than :data:`MAX_JSON_BYTES`, nests deeper than
        :data:`MAX_JSON_DEPTH`, is not valid JSON, or holds no records.
    """
    if len(data) > MAX_JSON_BYTES:
        raise fail(file, f"the JSON file is {len(data) / 2**20:,.0f} MB, more than the "
                         f"{MAX_JSON_BYTES // 2**20} MB the kit reads as JSON",
                   f"a JSON file of at most {MAX_JSON_BYTES // 2**20} MB",
                   "export the table as CSV or Parquet, which are read in far less memory")
    body, encoding = to_utf8(data, file, notes)
    text = body.strip()
    depth, line = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise fail(file, f"the JSON nests {depth:,} levels deep (first at line {line:,}); "
                         f"the kit reads records nested at most {MAX_JSON_DEPTH} levels",
                   _JSON_EXPECTED,
                   "export the table as flat records (one object per row, its answers as "
                   "fields) or as CSV; a file nested this deep is no table")
    records = _records(text, file)
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
    keys = set().union(*map(dict.keys, records))
    if len(keys) > MAX_JSON_COLUMNS:
        raise fail(file, f"the records hold {len(keys):,} different field names, more than the "
                         f"{MAX_JSON_COLUMNS:,} columns the kit reads",
                   "records that share their field names (the columns of one table)",
                   "the file may hold answers as field names (one key per respondent): export "
                   "the table as records of the same fields, or as CSV")
    frame = pd.DataFrame(records, dtype=object)
    if frame.shape[1] == 0:
        raise fail(file, "the file holds no records", _JSON_EXPECTED,
                   "check that you exported the right file")
    frame.columns = column_names(list(frame.columns), file, None, notes)
    frame = _spread_lists(frame, notes)
    return frame, np.arange(1, len(frame) + 1, dtype=np.int64), encoding


def _records(text: bytes, file: str) -> list:
    """The parsed list of records (a JSON array, one object, or JSON Lines)."""
    try:
        if text.startswith(b"["):
            records = json.loads(text)
            return records if isinstance(records, list) else [records]
        if text.startswith(b"{"):
            try:
                return [json.loads(text)]
            except json.JSONDecodeError as err:
                if err.msg != "Extra data":
                    raise
                return json.loads(b"[" + _LINE_BREAK.sub(b",", text) + b"]")
    except json.JSONDecodeError as err:
        raise fail(file, f"the file is not valid JSON: {_json_error(text, err)}", _JSON_EXPECTED,
                   "check it in a JSON validator; it may be cut short or edited by hand") from None
    except RecursionError:  # cannot happen below MAX_JSON_DEPTH; a message all the same
        raise fail(file, "the JSON nests too deep to read", _JSON_EXPECTED,
                   "export the table as flat records or as CSV") from None
    raise fail(file, "the file is not JSON records", _JSON_EXPECTED,
               "export the table as JSON records, or as CSV")


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
