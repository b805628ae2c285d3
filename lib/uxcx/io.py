"""Reading a researcher's table: CSV/TSV, XLSX, Parquet and JSON, fast and honestly.

:func:`read_table` reads the file once into memory, works out how it is written
(format, text encoding, delimiter) and returns a :class:`RawTable`: the data
rows, the row number a spreadsheet shows for each of them, the blank rows it
removed, and notes on any file-level repair. Values are typed only as far as the
parser infers them; :mod:`uxcx.schema` checks them against the study's roles. A
file that cannot be read raises a :class:`~uxcx.errors.DataError` that names the
file (and the row, where there is one) and says how to fix it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from uxcx.errors import DataError, Problem

__all__ = ["RawTable", "read_table", "detect_format"]

_FORMATS = ("auto", "csv", "tsv", "xlsx", "parquet", "json")  # read_table(format=...)

_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
}
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
_SNIFF_BYTES = 1 << 16  # enough for the header and the next few lines
_SNIFF_RECORDS = 6  # the header and five records
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or a password-protected .xlsx

_LEADING_BLANKS = re.compile(rb"(?:[ \t]*(?:\r\n|\n|\r))+")
_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
_SPACE_LINE = re.compile(rb"\n[ \t]+(?=\r?\n|\r?\Z)")  # a line of spaces only
_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
_EOF_IN_QUOTES = re.compile(r"EOF inside string starting at row (\d+)")
_DATE_LIKE = re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d")
# The types pyarrow's CSV reader infers for text, in its order (Arrow csv/inference).
_ARROW_TEXT_TYPES = (
    pa.date32(), pa.time32("s"), pa.timestamp("s"), pa.timestamp("s", tz="UTC"),
    pa.timestamp("ns"), pa.timestamp("ns", tz="UTC"),
)


@dataclass
class RawTable:
    """A table as read from a file, before any column is checked.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data rows, with columns named as the file's header names them
        (surrounding spaces removed; an empty name becomes ``"Unnamed: i"``,
        as in pandas). RangeIndex 0..n-1. Fully blank rows are removed.
    rows : numpy.ndarray of int64
        For each row of ``frame``, the row number a spreadsheet shows: for a CSV
        with one header line the first data row is 2; for XLSX the Excel row;
        for Parquet and JSON the record number, counting from 1.
    blank_rows : list of int
        Row numbers (as in ``rows``) of the fully blank rows that were removed.
    file : str
        The path as given.
    format : str
        ``"csv"``, ``"xlsx"``, ``"parquet"`` or ``"json"``.
    encoding : str or None
        The text encoding the file was decoded with (None for XLSX and Parquet).
    delimiter : str or None
        The field delimiter of a CSV/TSV file (None for the other formats).
    notes : list of str
        File-level repairs and guesses, in plain words.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    blank_rows: list[int]
    file: str
    format: str
    encoding: str | None
    delimiter: str | None
    notes: list[str] = field(default_factory=list)


def detect_format(path) -> str:
    """The format of a table file, from its extension or else its first bytes.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    str
        ``"csv"`` (also for ``.txt``, ``.tsv``, ``.tab``), ``"xlsx"`` (``.xlsm``),
        ``"parquet"`` (``.pq``) or ``"json"`` (``.jsonl``, ``.ndjson``). A file
        with another extension is recognised by content: a ZIP container is
        XLSX, ``PAR1`` is Parquet, a leading ``[`` or ``{`` is JSON, anything
        else CSV. A binary signature overrides a text extension (an Excel
        workbook saved as ``.csv`` is XLSX).

    Raises
    ------
    DataError
        The file does not exist, or is an old ``.xls`` workbook.

    Examples
    --------
    >>> detect_format("responses.tsv")
    'csv'
    """
    file, path = str(path), Path(path)
    ext = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as err:
        if ext not in _EXTENSIONS or not isinstance(err, FileNotFoundError):
            raise _open_error(file, path, err) from None
        head = b""  # a known extension is enough
    return _detect(file, ext, head)[0]


def read_table(path, *, format="auto", sheet=None, text_columns: Iterable[str] = ()) -> RawTable:
    """Read a researcher's table from CSV/TSV, XLSX, Parquet or JSON.

    Parameters
    ----------
    path : str or path-like
        The file. It is read once, whole, into memory.
    format : {"auto", "csv", "tsv", "xlsx", "parquet", "json"}, default "auto"
        ``"auto"`` uses :func:`detect_format`; ``"tsv"`` is CSV with tabs.
    sheet : str or int, optional
        XLSX only: the sheet's name or 0-based position; default the first.
    text_columns : iterable of str, default ()
        Header names to keep as text (pandas ``"string"`` dtype), exactly as
        written: ``00123`` stays ``"00123"``. Use it for identifiers. Names not
        in the header are ignored here.

    Returns
    -------
    RawTable
        The rows, their spreadsheet row numbers, the blank rows removed, the
        format, encoding and delimiter found, and notes.

    Raises
    ------
    DataError
        The file is missing, empty or unreadable, has a column name twice, has
        a row with more fields than the header or an unclosed quote, or
        ``format`` is not one of the values above. Every problem names the file
        and, where there is one, the row; a header with no data rows is not an
        error (the frame is empty).

    Notes
    -----
    *Encoding* (text formats): a UTF-8 byte-order mark gives ``"utf-8-sig"``, a
    UTF-16 one ``"utf-16"``; otherwise valid UTF-8 is ``"utf-8"`` and anything
    else is decoded as ``"cp1252"`` (Windows Western European; ``"latin-1"``
    if even that fails), with a note.

    *Delimiter*: among ``,`` ``;`` tab and ``|``, the one that splits the header
    and the next five records (outside quotes) into the same number (more than
    one) of fields; if several do, the one giving most fields, and on a tie the
    earlier in that list. A file with one column is fine.

    *Parsing*: pandas ``read_csv`` with the pyarrow engine and pyarrow dtypes,
    with ``skip_blank_lines=False`` so that blank lines stay in place as rows of
    nulls and the row numbering holds. Where pyarrow cannot parse the file (a
    line of spaces only, a ragged row, an unclosed quote, quoted values spanning
    lines in a file over 1 MB, a delimiter ending every line), pandas' C engine
    reads it instead, also keeping blank lines; its text columns of ISO dates
    or times are then typed as pyarrow would, so both give the same values.
    Empty cells and the usual missing markers (``NA``, ``N/A``, ``null``, ...)
    are missing in every column.

    *Blank rows*: rows with every cell empty (including lines of delimiters
    only, like ``,,,``) are removed and listed in ``blank_rows``. Row numbers
    count records, as a spreadsheet does, so a quoted value spanning several
    lines is one row. Blank lines before a CSV header and empty rows below the
    last row of an XLSX sheet are skipped without listing.

    *Parquet and JSON*: JSON is a list of records (``[{...}, ...]``) or one
    record per line (JSON Lines). Their rows are numbered by record, from 1.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
    >>> _ = path.write_bytes(b"id;nps\\n00123;9\\n\\n00124;7\\n")
    >>> table = read_table(path, text_columns=["id"])
    >>> table.delimiter, table.rows.tolist(), table.blank_rows
    (';', [2, 4], [3])
    >>> table.frame["id"].tolist(), table.frame["nps"].tolist()
    (['00123', '00124'], [9, 7])
    """
    file, path = str(path), Path(path)
    wanted = {text_columns} if isinstance(text_columns, str) else set(text_columns)
    fmt = format.lower().strip() if isinstance(format, str) else format
    if fmt not in _FORMATS:
        raise DataError([Problem(
            file, None, None, format, "unknown format",
            expected="one of " + ", ".join(repr(f) for f in _FORMATS),
            hint="leave format='auto' to go by the file's extension and content")])
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _open_error(file, path, err) from None
    if not data or data.isspace():
        raise _fail(file, "the file is empty", "a header row and data rows",
                    "check that you exported the right file and that it finished saving")
    notes: list[str] = []
    if fmt == "auto":
        fmt, note = _detect(file, path.suffix.lower(), data[:64])
        notes += [note] if note else []
    elif fmt == "xlsx" and data.startswith(_OLE_MAGIC):
        _detect(file, ".xls", data[:64])  # raises the .xls error

    if fmt in ("csv", "tsv"):
        frame, rows, encoding, delimiter = _read_text(
            data, file, "\t" if fmt == "tsv" else None, wanted, notes)
        fmt = "csv"
    else:
        encoding = delimiter = None
        if fmt == "xlsx":
            frame, rows = _read_xlsx(data, file, sheet, notes)
        elif fmt == "parquet":
            frame, rows = _read_parquet(data, file, notes)
        else:
            frame, rows, encoding = _read_json(data, file, notes)
        frame = _typed(frame, wanted)
    frame, rows, blank = _drop_blank(frame, rows)
    return RawTable(frame, rows, blank, file, fmt, encoding, delimiter, notes)


# --- format and encoding --------------------------------------------------------

def _detect(file: str, ext: str, head: bytes) -> tuple[str, str | None]:
    """The format from extension and first bytes, and a note if they disagree."""
    if ext == ".xls" or head.startswith(_OLE_MAGIC):
        raise _fail(file, "this is an old Excel workbook (.xls) or a password-protected one",
                    "an .xlsx workbook, CSV, Parquet or JSON",
                    "open it in Excel, remove any password, and save it as .xlsx or CSV UTF-8")
    by_content = ("xlsx" if head.startswith(b"PK\x03\x04")
                  else "parquet" if head.startswith(b"PAR1") else None)
    by_ext = _EXTENSIONS.get(ext)
    if by_ext in ("csv", "json") and by_content:
        return by_content, f"read as {by_content}: the file is named {ext} but holds {by_content}"
    if by_ext:
        return by_ext, None
    if by_content:
        return by_content, None
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    return ("json" if text[:1] in (b"[", b"{") else "csv"), None


def _to_utf8(data: bytes, file: str, notes: list[str]) -> tuple[bytes, str]:
    """The text as UTF-8 bytes (without a byte-order mark), and the encoding found."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError:
            raise _fail(file, "the file starts like UTF-16 text but is not valid UTF-16",
                        "text in UTF-8 or UTF-16",
                        "open it in a spreadsheet and save it again as CSV UTF-8") from None
    if data.isascii():
        return data, "utf-8"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
        notes.append("decoded as cp1252 (not valid UTF-8)")
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
        notes.append("decoded as latin-1 (neither valid UTF-8 nor cp1252)")
    return text.encode("utf-8"), encoding


# --- CSV / TSV ------------------------------------------------------------------

def _read_text(data, file, delimiter, wanted, notes):
    body, encoding = _to_utf8(data, file, notes)
    skipped = 0
    lead = _LEADING_BLANKS.match(body)
    if lead:
        skipped = len(_LINE_BREAK.findall(lead.group()))
        body = body[lead.end():]
        notes.append(f"skipped {skipped} blank line{'s' * (skipped > 1)} before the header")
    if not body or body.isspace():
        raise _fail(file, "the file is empty (blank lines only)", "a header row and data rows",
                    "check that you exported the right file")
    header, delimiter, width = _sniff(body, delimiter)
    header_row = skipped + 1
    names = _column_names(header, file, header_row, notes)
    text_at = [i for i, name in enumerate(names) if name in wanted]
    frame = _read_fast(body, delimiter, {header[i]: "string" for i in text_at})
    if frame is None or list(frame.columns) != [h or n for h, n in zip(header, names, strict=True)]:
        frame = _read_slow(body, delimiter, len(names), width, text_at, file, header_row, notes)
    frame.columns = names
    rows = np.arange(len(frame), dtype=np.int64) + (header_row + 1)
    return frame, rows, encoding, delimiter


def _sniff(body: bytes, forced: str | None) -> tuple[list[str], str, int]:
    """The header fields, the delimiter and the widest of the first records."""
    complete = len(body) <= _SNIFF_BYTES
    text = body[:_SNIFF_BYTES].decode("utf-8", errors="replace")
    if not complete:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[:cut + 1] if cut > 0 else text
    candidates = (forced,) if forced else _DELIMITERS
    parsed = {d: _first_records(text, d, complete) for d in candidates}

    def score(d):
        records = parsed[d]
        n = len(records[0])
        agree = sum(len(r) == n for r in records[1:])
        return (n > 1, agree == len(records) - 1, agree, n, -candidates.index(d))

    best = max(candidates, key=score)
    if len(parsed[best][0]) < 2 and not forced:  # one column: a delimiter it never uses
        best = next((d for d in _DELIMITERS if d not in text), ",")
        parsed[best] = _first_records(text, best, complete)
    records = parsed[best]
    return records[0], best, max(len(r) for r in records)


def _first_records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    records = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(value.strip() for value in record):
                records.append(record)
                if len(records) == _SNIFF_RECORDS:
                    break
    except csv.Error:
        pass
    if not complete and 1 < len(records) < _SNIFF_RECORDS:
        records.pop()  # may be cut short by the end of the sample
    return records or [[""]]


def _column_names(header: list[str], file: str, header_row: int | None,
                  notes: list[str]) -> list[str]:
    """Header names stripped of surrounding spaces; raise if one is used twice."""
    names = [str(h).strip() if h is not None else "" for h in header]
    changed = [repr(str(h)) for h, n in zip(header, names, strict=True) if n and str(h) != n]
    if changed:
        notes.append("removed spaces around the column names " + ", ".join(changed))
    where: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name:
            where.setdefault(name, []).append(i)
    problems = [
        Problem(file, header_row, name, name,
                f"the column name is used {len(at)} times, in columns "
                + ", ".join(f"{i + 1} ({_letters(i)})" for i in at),
                expected="every column name once",
                hint="rename the columns so each name differs (for example 'q1' and "
                     "'q1_repeat'), or delete the extra copy")
        for name, at in where.items() if len(at) > 1
    ]
    if problems:
        raise DataError(problems)
    return [name or f"Unnamed: {i}" for i, name in enumerate(names)]


def _read_fast(body, delimiter, dtype):
    """pandas' pyarrow engine, or None where it cannot parse the file.

    Blank lines are kept as rows of nulls (pyarrow's ``ignore_empty_lines=False``,
    ARROW-6004), so the row numbering holds; a line of spaces is an error there.
    """
    try:
        frame = pd.read_csv(io.BytesIO(body), sep=delimiter, engine="pyarrow",
                            dtype_backend="pyarrow", dtype=dtype or None,
                            skip_blank_lines=False)
    except (ValueError, pa.ArrowException):  # pandas' ParserError is a ValueError
        return None
    if len(frame) and b'"' in body:
        # pyarrow takes a quote left open to the end of the file as one value;
        # the C engine reports it, so a multi-line value in the last row goes there
        last = frame.iloc[-1]
        if any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in last):
            return None
    return frame


def _read_slow(body, delimiter, n_names, width, text_at, file, header_row, notes):
    """pandas' C engine, keeping blank lines as rows; ragged rows are errors."""
    if _SPACE_LINE.search(body):  # lines of spaces only are blank lines too
        body = _SPACE_LINE.sub(b"\n", body)
    width = max(width, n_names)
    # header=0 with names replaces the header; when the first records are wider than
    # the header pandas needs it skipped instead (slower, so only then)
    header = {"header": 0} if width == n_names else {"header": None, "skiprows": 1}
    text = {i: pd.ArrowDtype(pa.large_string()) for i in text_at}  # the C engine's fastest
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(
                io.BytesIO(body), sep=delimiter, engine="c", **header,
                names=list(range(width)), index_col=False, dtype=text or None,
                dtype_backend="pyarrow", skip_blank_lines=False, on_bad_lines="warn",
                low_memory=False)
        except (ValueError, pa.ArrowException) as err:
            raise DataError([_parser_problem(err, file, header_row, delimiter)]) from None
    problems = [
        _ragged(file, int(line) + header_row - 1, int(saw), int(expected), delimiter)
        for w in caught for line, expected, saw in _SKIPPED.findall(str(w.message))
    ]
    if width > n_names:  # the first records are wider than the header
        filled = frame.iloc[:, n_names:].notna().to_numpy()
        extra = filled.any(axis=1)
        saw = n_names + filled.shape[1] - np.argmax(filled[:, ::-1], axis=1)  # last value
        problems += [_ragged(file, int(i) + header_row + 1, int(saw[i]), n_names, delimiter)
                     for i in np.flatnonzero(extra)]
        frame = frame.iloc[:, :n_names]
        if not extra.any():
            notes.append("ignored empty fields after the last column (a delimiter at the "
                         "end of each line)")
    if problems:
        raise DataError(sorted(problems, key=lambda p: p.row))
    frame = frame.astype({i: "string" for i in text_at})
    return _like_arrow(frame, skip=set(text_at))


def _like_arrow(frame: pd.DataFrame, skip: set) -> pd.DataFrame:
    """Give C-engine columns the types pyarrow's engine infers (dates, times, empty)."""
    out = {}
    for at, name in enumerate(frame.columns):
        column = frame[name]
        if at in skip:
            continue
        if column.dtype == object and column.isna().all():
            out[name] = pd.Series(pd.array([None] * len(column), dtype=pd.ArrowDtype(pa.null())))
        elif column.dtype == pd.ArrowDtype(pa.string()):
            first = column.first_valid_index()
            if first is not None and _DATE_LIKE.match(column[first]):
                converted = _arrow_time(pa.array(column.array))
                if converted is not None:
                    out[name] = pd.Series(pd.arrays.ArrowExtensionArray(converted))
    return _replaced(frame, out)


def _arrow_time(text: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """ISO dates, times or timestamps as pyarrow's CSV reader would type them."""
    for kind in _ARROW_TEXT_TYPES:
        try:
            if kind == pa.time32("s"):  # no direct cast: read as a time on 1970-01-01
                day = pc.binary_join_element_wise("1970-01-01", text, " ")
                return day.cast(pa.timestamp("s")).cast(kind)
            return text.cast(kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return None


def _ragged(file, row, saw, expected, delimiter):
    separator = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
    return Problem(
        file, row, None, None, f"this row has {saw} fields but the header has {expected}",
        expected=f"{expected} fields separated by {separator}",
        hint=f"put double quotes around any value that contains {delimiter!r} "
             f"(\"Smith{delimiter} Jane\"), or check that the delimiter is right")


def _parser_problem(err, file, header_row, delimiter) -> Problem:
    match = _EOF_IN_QUOTES.search(str(err))
    if match:
        return Problem(
            file, int(match.group(1)) + header_row, None, None,
            "a quoted value starts in this row and is never closed",
            expected="a closing double quote (\")",
            hint="add the missing closing quote or remove the stray one; inside a quoted "
                 "value write a double quote as two (\"\")")
    return Problem(file, None, None, None, f"the file cannot be parsed as CSV ({err})",
                   expected=f"fields separated by {_DELIMITER_NAMES.get(delimiter, delimiter)}",
                   hint="check the delimiter and the quoting, or save the file again as CSV UTF-8")


# --- XLSX, Parquet, JSON ----------------------------------------------------------

def _read_xlsx(data, file, sheet, notes):
    import openpyxl

    hint = "open it in Excel and save it again as .xlsx (a CSV renamed to .xlsx will not open)"
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise _fail(file, f"the file cannot be read as an Excel workbook ({err})",
                    "an .xlsx workbook", hint) from None
    try:
        sheets = book.worksheets
        titles = [s.title for s in sheets]
        if sheet is None:
            sheet = 0
        chosen = (sheets[sheet] if isinstance(sheet, int) and -len(sheets) <= sheet < len(sheets)
                  else sheets[titles.index(sheet)] if sheet in titles else None)
        if chosen is None:
            raise DataError([Problem(
                file, None, None, sheet, "there is no such sheet",
                expected="one of the sheets " + ", ".join(repr(t) for t in titles)
                         + " (a name, or a position counted from 0)",
                hint="pick one of these sheet names (spelling and capitals count)")])
        chosen.reset_dimensions()  # some writers record a wrong size
        values = list(chosen.iter_rows(min_row=1, values_only=True))
    except DataError:
        raise
    except Exception as err:
        raise _fail(file, f"the workbook cannot be read ({err})", "an .xlsx workbook",
                    hint) from None
    finally:
        book.close()
    at = next((i for i, row in enumerate(values)
               if any(v is not None and str(v).strip() for v in row)), None)
    if at is None:
        raise _fail(file, f"the sheet {chosen.title!r} is empty", "a header row and data rows",
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
    names = _column_names(header[:used[-1] + 1], file, at + 1, notes)
    frame.columns = names
    filled = np.flatnonzero(frame.notna().to_numpy().any(axis=1))
    frame = frame.iloc[:filled[-1] + 1 if len(filled) else 0].reset_index(drop=True)
    return frame, np.arange(len(frame), dtype=np.int64) + (at + 2)


def _read_parquet(data, file, notes):
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(io.BytesIO(data)).read()  # one file; allows duplicate names
    except Exception as err:  # pyarrow raises several kinds for a damaged file
        raise _fail(file, f"the file cannot be read as Parquet ({err})", "a Parquet file",
                    "write it again (pandas: DataFrame.to_parquet)") from None
    names = _column_names(table.column_names, file, None, notes)
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


def _read_json(data, file, notes):
    body, encoding = _to_utf8(data, file, notes)
    text = body.strip()
    expected = "a list of records ([{...}, ...]) or one record per line (JSON Lines)"
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
            raise _fail(file, "the file is not JSON records", expected,
                        "export the table as JSON records, or as CSV")
    except json.JSONDecodeError as err:
        raise _fail(file, f"the file is not valid JSON: {_json_error(text, err)}", expected,
                    "check it in a JSON validator; it may be cut short or edited by hand") from None
    if len(records) == 1 and isinstance(records[0], dict):
        nested = [k for k, v in records[0].items()
                  if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if nested:
            raise _fail(file, f"the file holds one object whose {nested[0]!r} is a list",
                        expected, f"save the list under {nested[0]!r} by itself")
    bad = [i + 1 for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise DataError([Problem(file, i, None, None, "this record is not an object",
                                 expected=expected, hint="write each record as {\"column\": value}")
                         for i in bad])
    frame = pd.DataFrame(records, dtype=object)
    if frame.shape[1] == 0:
        raise _fail(file, "the file holds no records", expected,
                    "check that you exported the right file")
    frame.columns = _column_names(list(frame.columns), file, None, notes)
    return frame, np.arange(1, len(frame) + 1, dtype=np.int64), encoding


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


# --- shared -------------------------------------------------------------------

def _typed(frame: pd.DataFrame, wanted: set) -> pd.DataFrame:
    """pyarrow dtypes for columns of one kind; text columns as pandas strings."""
    out = {}
    for name in frame.columns:
        column = frame[name]
        if name in wanted:
            out[name] = _as_text(column)
        elif column.dtype == object:
            try:
                arrow = pa.array(column.to_numpy(), from_pandas=True)
            except (pa.ArrowException, TypeError, ValueError):
                continue  # mixed kinds (numbers and text): keep as Python values
            out[name] = pd.Series(pd.arrays.ArrowExtensionArray(arrow), index=frame.index)
    return _replaced(frame, out)


def _as_text(column: pd.Series) -> pd.Series:
    if column.dtype == object:
        arrow = None
        try:
            arrow = pa.array(column.to_numpy(), from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            pass
        if arrow is not None:
            column = pd.Series(pd.arrays.ArrowExtensionArray(arrow), index=column.index)
    kind = column.dtype.pyarrow_dtype if isinstance(column.dtype, pd.ArrowDtype) else None
    if kind is not None and pa.types.is_floating(kind):
        values = column.dropna().to_numpy(dtype=float)
        if np.isfinite(values).all() and (values == np.round(values)).all():
            column = column.astype("int64[pyarrow]")  # 123.0 → "123"
    return column.astype("string")


def _replaced(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """The frame with some columns replaced (names may be any hashable)."""
    if not columns:
        return frame
    return pd.DataFrame({name: columns.get(name, frame[name]) for name in frame.columns},
                        index=frame.index)


def _drop_blank(frame, rows):
    """Remove rows whose every cell is empty; their row numbers."""
    if frame.shape[1] == 0 or len(frame) == 0:
        return frame.reset_index(drop=True), rows, []
    if any(_null_count(frame.iloc[:, j]) == 0 for j in range(frame.shape[1])):
        return frame, rows, []  # a column without gaps: no row is blank
    blank = np.logical_and.reduce([frame.iloc[:, j].isna().to_numpy(dtype=bool)
                                   for j in range(frame.shape[1])])
    if not blank.any():
        return frame, rows, []
    return frame[~blank].reset_index(drop=True), rows[~blank], rows[blank].tolist()


def _null_count(column: pd.Series) -> int:
    """Missing values in a column (free for Arrow-backed columns)."""
    try:
        return column.array.__arrow_array__().null_count
    except (AttributeError, TypeError, pa.ArrowException):
        return int(column.isna().sum())


def _letters(i: int) -> str:
    """The spreadsheet letters of a 0-based column position (0 → A, 26 → AA)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _fail(file, reason, expected="", hint="") -> DataError:
    return DataError([Problem(file, None, None, None, reason, expected, hint)])


def _open_error(file: str, path: Path, err: OSError) -> DataError:
    where = path.resolve()
    if isinstance(err, FileNotFoundError):
        return _fail(file, f"file not found: {where}", "an existing file",
                     "check the path and its spelling; relative paths start from "
                     f"{Path.cwd()} (in a study file, from the study file's folder)")
    if isinstance(err, IsADirectoryError):
        return _fail(file, f"this is a folder, not a file: {where}", "a file",
                     "name the file inside the folder")
    return _fail(file, f"the file cannot be opened: {where} ({err.strerror or err})",
                 "a readable file", "check that it is not open elsewhere and that you may read it")
