"""Reading a researcher's table: CSV/TSV, XLSX, Parquet and JSON, fast and honestly.

:func:`read_table` reads the file once into memory, works out how it is written
(format, text encoding, delimiter) and returns a :class:`RawTable`: the data
rows, the row number a spreadsheet shows for each of them, the blank rows it
removed, and notes on any file-level repair. Values are typed only as far as the
parser infers them; :mod:`uxcx.study.schema` checks them against the study's roles. A
file that cannot be read raises a :class:`~uxcx.errors.DataError` that names the
file (and the row, where there is one) and says how to fix it.

This module decides the format and removes blank rows; the parsing lives in
:mod:`uxcx.io.delimited` (CSV/TSV) and :mod:`uxcx.io.xlsx_parquet_json`, with what
they share in :mod:`uxcx.io.shared`.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from uxcx.errors import DataError, Problem
from uxcx.io.delimited import read_csv
from uxcx.io.exports import EXPORTS, detect_export, shape_export, synthetic_header
from uxcx.io.shared import fail, to_utf8
from uxcx.io.source_file import PathProblem, outside_folder, path_problem, read_source
from uxcx.io.xlsx_parquet_json import read_json, read_parquet, read_xlsx, typed

__all__ = ["RawTable", "read_table", "detect_format"]

_FORMATS = ("auto", "csv", "tsv", "xlsx", "parquet", "json", *EXPORTS)  # read_table(format=...)

_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or a password-protected .xlsx


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
    export : str or None
        The tool that exported the file (``"qualtrics"``, ``"surveymonkey"``,
        ``"google-forms"``, ...; :mod:`uxcx.io.exports`), None for a plain table.
    questions : dict
        Qualtrics: column id -> question text; a reshaped wide sheet:
        ``"<task>|<measure>"`` -> the sheet's header.
    reshaped : bool
        True when several rows come from one sheet row (a wide task sheet
        reshaped to long form): ``rows`` then repeats.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    blank_rows: list[int]
    file: str
    format: str
    encoding: str | None
    delimiter: str | None
    notes: list[str] = field(default_factory=list)
    export: str | None = None
    questions: dict = field(default_factory=dict)
    reshaped: bool = False


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
    problem = path_problem(path)
    if problem and not (problem.missing and ext in _EXTENSIONS):  # a known extension is enough
        raise _open_error(file, path, problem)
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        head = b""
    return _detect(file, ext, head)[0]


def read_table(path, *, format="auto", sheet=None, text_columns: Iterable[str] = (),
               folder=None, max_mb: float | None = None, secrets: Iterable[str] = ()) -> RawTable:
    """Read a researcher's table from CSV/TSV, XLSX, Parquet or JSON.

    Parameters
    ----------
    path : str or path-like
        The file. It is read once, whole, into memory.
    format : {"auto", "csv", "tsv", "xlsx", "parquet", "json", "qualtrics", "surveymonkey", \
"google-forms", "wide-tasks", "testing-platform"}, default "auto"
        ``"auto"`` uses :func:`detect_format`; ``"tsv"`` is CSV with tabs. A
        tool's name reads its CSV or XLSX export (:mod:`uxcx.io.exports`);
        ``"auto"`` also recognises Qualtrics, SurveyMonkey and Google Forms
        exports by their header rows (:func:`uxcx.io.exports.detect_export`).
    sheet : str or int, optional
        XLSX only: the sheet's name or 0-based position; default the first.
    text_columns : iterable of str, default ()
        Header names to keep as text (pandas ``"string"`` dtype), exactly as
        written: ``00123`` stays ``"00123"``. Use it for identifiers. Names not
        in the header are ignored here.
    folder : path-like, optional
        The study's folder: a file outside it (links followed) gets a note.
    max_mb : float, optional
        The largest file read into memory, in megabytes (default ``UXCX_MAX_FILE_MB``,
        else 1024; :mod:`uxcx.io.source_file`).
    secrets : iterable of str, default ()
        Pseudonym keys besides the environment's and the key file's: a file holding
        one is refused without being quoted.

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
        ``format`` is not one of the values above. A path that is no data file
        (a named pipe, a device, a system file under ``/proc``, ``/sys`` or
        ``/dev``, a symbolic link in a loop), a file over the size bound, and
        content that is no table (a web page, a PDF, an archive, binary data, a
        file holding the pseudonym key) are refused before anything of the file
        is parsed or quoted (:mod:`uxcx.io.source_file`). Every problem names the file
        and, where there is one, the row; a header with no data rows is not an
        error (the frame is empty).

    Notes
    -----
    *Compression*: a gzip-compressed file (recognised by its first bytes, whatever its
    name: ``survey.csv.gz`` or ``survey.csv``) is decompressed in memory, within the
    size bound, with a note.

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

    *No header*: a CSV whose first line holds only numbers or scale labels,
    one of them repeated, has no header (a header names each column once): its
    columns are named ``column_1``, ``column_2``, ... and the first line is row 1.

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
    export = fmt if fmt in EXPORTS else None
    if export:  # an export is a CSV or XLSX file with its own header rows
        fmt = "auto"
    if fmt not in _FORMATS:
        raise DataError([Problem(
            file, None, None, format, "unknown format",
            expected="one of " + ", ".join(repr(f) for f in _FORMATS),
            hint="leave format='auto' to go by the file's extension and content")])
    notes: list[str] = []
    try:
        data = read_source(path, file, max_mb=max_mb, secrets=secrets, notes=notes)
    except OSError as err:
        raise _open_error(file, path, err) from None
    if not data or data.isspace():
        raise fail(file, "the file is empty", "a header row and data rows",
                   "check that you exported the right file and that it finished saving")
    if folder is not None and outside_folder(path, folder):
        notes.append("this file lies outside the study file's folder (by its path or a link): "
                     "check that it is the file you mean")
    if fmt == "auto":
        fmt, note = _detect(file, _inner_suffix(path), data[:64])
        if note:
            notes.append(note)
    elif fmt == "xlsx" and data.startswith(_OLE_MAGIC):
        _detect(file, ".xls", data[:64])  # raises the .xls error

    encoding = delimiter = None
    if fmt in ("csv", "tsv"):
        body, found = to_utf8(data, file, notes)
        header = synthetic_header(body.lstrip(b"\r\n")) if export is None else None
        if header:
            notes.append("the first row holds answers, not column names: columns named "
                         "column_1, column_2, ... and the first row read as data")
        frame, rows, encoding, delimiter = read_csv(
            (header or b"") + body, file, "\t" if fmt == "tsv" else None, wanted, notes)
        encoding, rows = found, rows - (1 if header else 0)
        fmt = "csv"
    else:
        if fmt == "xlsx":
            frame, rows = read_xlsx(data, file, sheet, notes)
        elif fmt == "parquet":
            frame, rows = read_parquet(data, file, notes)
        else:
            frame, rows, encoding = read_json(data, file, notes)
        frame = typed(frame, wanted)
    frame, rows, blank = _drop_blank(frame, rows)
    table = RawTable(frame, rows, blank, file, fmt, encoding, delimiter, notes)
    export = export or (detect_export(frame) if format == "auto" else None)
    if export in ("qualtrics", "surveymonkey", "google-forms"):
        table = shape_export(table, export)
    return table if export is None else replace(table, export=export)


# --- format, blank rows, open errors ---------------------------------------------

def _detect(file: str, ext: str, head: bytes) -> tuple[str, str | None]:
    """The format from extension and first bytes, and a note if they disagree."""
    if ext == ".xls" or head.startswith(_OLE_MAGIC):
        raise fail(file, "this is an old Excel workbook (.xls) or a password-protected one",
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


def _drop_blank(frame, rows):
    """Remove rows whose every cell is empty; their row numbers."""
    if frame.shape[1] == 0 or len(frame) == 0:
        return frame.reset_index(drop=True), rows, []
    # a column without gaps: no row is blank (Arrow columns first: they know their count)
    order = sorted(range(frame.shape[1]), key=lambda j: not isinstance(frame.dtypes.iloc[j], pd.ArrowDtype))
    if any(_null_count(frame.iloc[:, j]) == 0 for j in order):
        return frame, rows, []
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


def _inner_suffix(path: Path) -> str:
    """The extension, looking through ``.gz`` (``survey.csv.gz`` is a CSV)."""
    ext = path.suffix.lower()
    return Path(path.stem).suffix.lower() if ext == ".gz" else ext


def _open_error(file: str, path: Path, err: OSError | PathProblem) -> DataError:
    where = os.path.realpath(path)
    if isinstance(err, PathProblem):
        if not err.missing:
            return fail(file, err.reason, "a data file", err.hint)
        err = FileNotFoundError()
    if isinstance(err, FileNotFoundError):
        return fail(file, f"file not found: {where}", "an existing file",
                    "check the path and its spelling; relative paths start from "
                    f"{Path.cwd()} (in a study file, from the study file's folder)")
    if isinstance(err, IsADirectoryError):
        return fail(file, f"this is a folder, not a file: {where}", "a file",
                    "name the file inside the folder")
    return fail(file, f"the file cannot be opened: {where} ({err.strerror or err})",
                "a readable file", "check that it is not open elsewhere and that you may read it")
