"""Reading CSV/TSV text: encoding, leading blank lines, delimiter, then the parse.

:func:`read_csv` finds how the text is written and parses it with pandas'
pyarrow engine; where that engine cannot parse the file, pandas' C engine reads
it instead and its columns are typed as pyarrow would type them, so both paths
give the same frame. Blank lines stay in place as rows of nulls so that row
numbers hold (:func:`uxcx.io.tables.read_table` removes them). The rules are described
under :func:`uxcx.io.tables.read_table`, Notes.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from uxcx.errors import DataError, Problem
from uxcx.io.markers import literal_text, literal_text_c
from uxcx.io.shared import column_names, fail, replaced, to_utf8
from uxcx.io.unicode_text import arrow_strings, python_strings

_DELIMITERS = (",", ";", "\t", "|")  # in order of preference on a tie
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
_SNIFF_BYTES = 1 << 16  # enough for the header and the next few lines of most files
_SNIFF_RECORDS = 6  # the header and five records
# A header line longer than this is no export (a wide survey's is a few hundred KB).
MAX_HEADER_BYTES = 1 << 25

_LEADING_BLANKS = re.compile(rb"(?:[ \t]*(?:\r\n|\n|\r))+")
_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
_SPACE_LINE = re.compile(rb"\n[ \t]+(?=\r?\n|\r?\Z)")  # a line of spaces only
_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
_EOF_IN_QUOTES = re.compile(r"EOF inside string starting at row (\d+)")
_DATE_LIKE = re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d")
# pandas' default missing-value markers (pandas.read_csv, na_values), as its pyarrow engine passes them.
_PANDAS_NA = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
              "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
# The types pyarrow's CSV reader infers for text, in its order (Arrow csv/inference).
_ARROW_TEXT_TYPES = (
    pa.date32(), pa.time32("s"), pa.timestamp("s"), pa.timestamp("s", tz="UTC"),
    pa.timestamp("ns"), pa.timestamp("ns", tz="UTC"),
)


def read_csv(data: bytes, file: str, delimiter: str | None, wanted: set, notes: list[str]):
    """Parse CSV/TSV bytes; blank lines stay as rows of nulls.

    Parameters
    ----------
    data : bytes
        The whole file, not empty.
    file : str
        The path as given, for errors.
    delimiter : str or None
        ``"\\t"`` for TSV; None to find it.
    wanted : set of str
        Header names to keep as text (pandas ``"string"`` dtype).
    notes : list of str
        File-level repairs are appended here.

    Returns
    -------
    frame : pandas.DataFrame
    rows : numpy.ndarray of int64
        The line number of each row's record, as a spreadsheet counts it.
    encoding : str
    delimiter : str

    Examples
    --------
    >>> frame, rows, encoding, delimiter = read_csv(b"id|nps\\n1|9\\n", "a.csv", None, set(), [])
    >>> frame["nps"].tolist(), rows.tolist(), encoding, delimiter
    ([9], [2], 'utf-8', '|')
    """
    body, encoding = to_utf8(data, file, notes)
    skipped = 0
    lead = _LEADING_BLANKS.match(body)
    if lead:
        skipped = len(_LINE_BREAK.findall(lead.group()))
        body = body[lead.end():]
        notes.append(f"skipped {skipped} blank line{'s' * (skipped > 1)} before the header")
    if not body or body.isspace():
        raise fail(file, "the file is empty (blank lines only)", "a header row and data rows",
                   "check that you exported the right file")
    first_break = _LINE_BREAK.search(body, 0, MAX_HEADER_BYTES + 2)
    if first_break is None and len(body) > MAX_HEADER_BYTES:
        raise fail(file, f"the first line is over {MAX_HEADER_BYTES / (1 << 20):g} MB long with no line "
                   "break: no table's header is", "a header line, then one line per row",
                   "check that this is the data file; save it again as CSV UTF-8")
    header, delimiter, width = _sniff(body, delimiter)
    for _ in range(5):  # title rows above the header ("Checkout study, March")
        title = _title_row(body, header, delimiter)
        if title is None:
            break
        body, header, delimiter, width, lines = title
        skipped += lines
        notes.append(f"skipped a title row above the header (row {skipped - lines + 1})")
    header_row = skipped + 1
    names = column_names(header, file, header_row, notes)
    text_at = [i for i, name in enumerate(names) if name in wanted]
    frame = _read_fast(body, delimiter, [header[i] for i in text_at])
    if frame is None or list(frame.columns) != [h or n for h, n in zip(header, names, strict=True)]:
        frame = _read_slow(body, delimiter, len(names), width, text_at, file, header_row, notes)
    frame.columns = names
    rows = np.arange(len(frame), dtype=np.int64) + (header_row + 1)
    _check_cut_short(body, delimiter, len(names), rows, file)
    return frame, rows, encoding, delimiter


def _title_row(body: bytes, header: list[str], delimiter: str):
    """The text below a title row, with its header, delimiter, width and the lines skipped.

    A title row has at most half as many filled fields as the row below it,
    which has at least two, and the records below all have that row's width
    (None when the first row is no title).
    """
    brk = _LINE_BREAK.search(_sample(body))
    if brk is None:
        return None
    rest = body[brk.end():]
    lead = _LEADING_BLANKS.match(rest)
    lines = 1 + (len(_LINE_BREAK.findall(lead.group())) if lead else 0)
    rest = rest[lead.end():] if lead else rest
    if not rest or rest.isspace():  # as `not rest.strip()`, without copying the file
        return None
    below, found, width = _sniff(rest, None)
    sample = _sample(rest)
    records = _first_records(sample.decode("utf-8", errors="replace"), found, len(rest) == len(sample))
    if len(records) < 2 or any(len(r) != len(below) for r in records):
        return None  # the rows below do not agree with each other: no table starts there
    filled_below = sum(1 for h in below if h.strip())
    first = body[:brk.start()].decode("utf-8", errors="replace")
    with _long_fields(len(first)):
        filled = sum(1 for h in next(csv.reader([first], delimiter=found), [""]) if h.strip())
    if filled_below < 2 or filled > filled_below // 2 or '"' in first:
        return None
    return rest, below, found, width, lines


def _check_cut_short(body: bytes, delimiter: str, n_names: int, rows, file: str) -> None:
    """Raise when the file ends, without a line break, in the middle of its last row."""
    if not len(rows) or body.endswith((b"\n", b"\r")):
        return
    last = body[max(body.rfind(b"\n"), body.rfind(b"\r")) + 1:].decode("utf-8", errors="replace")
    with _long_fields(len(last)):
        fields = next(csv.reader([last], delimiter=delimiter), [])
    if 0 < len(fields) < n_names and '"' not in last:
        raise DataError([Problem(
            file, int(rows[-1]), None, last[:80],
            f"the file ends in the middle of this row ({len(fields)} of {n_names} fields, "
            "no line break after it): it looks cut short",
            expected=f"{n_names} fields",
            hint="export or copy the file again and check that it finished saving; or "
                 "delete the incomplete last row")])


# --- delimiter ------------------------------------------------------------------

def _sniff(body: bytes, forced: str | None) -> tuple[list[str], str, int]:
    """The header fields, the delimiter and the widest of the first records."""
    sample = _sample(body)
    complete = len(body) <= len(sample)
    text = sample.decode("utf-8", errors="replace")
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


def _sample(body: bytes) -> bytes:
    """The start of ``body`` that holds the header and the next records whole.

    64 KB, or up to the line break ending the sixth line when the lines are longer
    (a survey with thousands of questions has a header of several hundred KB): a cut
    header would lose every column past the cut.
    """
    if len(body) <= _SNIFF_BYTES:
        return body
    end, seen = 0, 0
    for brk in _LINE_BREAK.finditer(body, 0, MAX_HEADER_BYTES * _SNIFF_RECORDS):
        end, seen = brk.end(), seen + 1
        if seen == _SNIFF_RECORDS:
            break
    return body[:max(_SNIFF_BYTES, end if seen else len(body))]


@contextmanager
def _long_fields(size: int):
    """Let the csv module read fields up to ``size`` characters (its default stops at 128 KB)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(limit)


def _first_records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    records = []
    try:
        with _long_fields(len(text)):
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


# --- the two engines --------------------------------------------------------------

def _read_fast(body, delimiter, text_names):
    """pyarrow's CSV reader, or None where it cannot parse the file.

    Called directly rather than through ``pd.read_csv(engine="pyarrow")`` because
    pandas 2 applies ``dtype`` only after parsing, so an id column such as 00123
    would be read as the number 123 first. The options are those pandas passes
    (its missing-value markers, text columns typed as text while parsing).
    Blank lines are kept as rows of nulls (``ignore_empty_lines=False``,
    ARROW-6004), so the row numbering holds; a line of spaces is an error there.
    """
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(body),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in text_names},
                null_values=_PANDAS_NA, strings_can_be_null=False))
        frame = _empty_as_null(table).to_pandas(types_mapper=pd.ArrowDtype)
        wanted = [name for name in text_names if name in frame]
        if frame.columns.is_unique:  # as astype("string"), each label made once
            frame = replaced(frame, {name: python_strings(arrow_strings(frame[name])) for name in wanted})
        elif wanted:  # astype({}) copies every column
            frame = frame.astype(dict.fromkeys(wanted, "string"))
        # "NA" (North America), "None": text columns keep them (read as written above,
        # only the empty cell missing); the loader decides by role. Columns of markers
        # alone were read as nothing and are read again as text.
        frame = literal_text(frame, body, pa_csv.ParseOptions(delimiter=delimiter,
                                                              ignore_empty_lines=False), _PANDAS_NA,
                             strings_as_written=True)
    except (ValueError, pa.ArrowException):
        return None
    if len(frame) and b'"' in body:
        # pyarrow takes a quote left open to the end of the file as one value;
        # the C engine reports it, so an odd number of quotes or a multi-line value
        # in the last row goes there
        if body.count(b'"') % 2:
            return None
        last = frame.iloc[-1]
        if any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in last):
            return None
    return frame


def _empty_as_null(table):
    """Text columns read with no missing marker get their empty cells back as missing."""
    for i, column in enumerate(table.columns):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            blanked = pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)
            table = table.set_column(i, table.field(i), blanked)
    return table


def _read_slow(body, delimiter, n_names, width, text_at, file, header_row, notes):
    """pandas' C engine, keeping blank lines as rows; ragged rows are errors."""
    body = _SPACE_LINE.sub(b"\n", body)  # lines of spaces only are blank lines too
    width = max(width, n_names)
    # header=0 with names replaces the header; when the first records are wider than
    # the header pandas needs it skipped instead (slower, so only then)
    header = {"header": 0} if width == n_names else {"header": None, "skiprows": 1}
    text = {i: pd.ArrowDtype(pa.large_string()) for i in text_at}  # the C engine's fastest
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        options = dict(sep=delimiter, engine="c", **header, names=list(range(width)), index_col=False,
                       dtype_backend="pyarrow", skip_blank_lines=False, low_memory=False)
        try:
            frame = pd.read_csv(io.BytesIO(body), dtype=text or None, on_bad_lines="warn", **options)
        except (ValueError, pa.ArrowException) as err:
            raise DataError([_parser_problem(err, file, header_row, delimiter)]) from None
    problems = [
        _ragged(file, int(line) + header_row - 1, int(saw), int(expected), delimiter)
        for w in caught for line, expected, saw in _SKIPPED.findall(str(w.message))
    ]
    if width > n_names:
        frame, wide = _cut_to_header(frame, n_names, file, header_row, delimiter, notes)
        problems += wide
    if problems:
        raise DataError(sorted(problems, key=lambda p: p.row))
    frame = frame.astype({i: "string" for i in text_at})
    frame = literal_text_c(frame, body, options)  # text columns keep "NA", "None" as written
    return _like_arrow(frame, skip=set(text_at))


def _cut_to_header(frame, n_names, file, header_row, delimiter, notes):
    """The frame cut to the header's width, and a problem for each row with values beyond it."""
    filled = frame.iloc[:, n_names:].notna().to_numpy()
    extra = filled.any(axis=1)
    saw = n_names + filled.shape[1] - np.argmax(filled[:, ::-1], axis=1)  # last value
    problems = [_ragged(file, int(i) + header_row + 1, int(saw[i]), n_names, delimiter)
                for i in np.flatnonzero(extra)]
    if not extra.any():
        notes.append("ignored empty fields after the last column (a delimiter at the "
                     "end of each line)")
    return frame.iloc[:, :n_names], problems


def _like_arrow(frame: pd.DataFrame, skip: set) -> pd.DataFrame:
    """Give C-engine columns the types pyarrow's engine infers (dates, times, empty)."""
    out = {}
    for at, name in enumerate(frame.columns):
        if at in skip:
            continue
        column = frame[name]
        if column.dtype == object and column.isna().all():
            out[name] = pd.Series(pd.array([None] * len(column), dtype=pd.ArrowDtype(pa.null())))
        elif column.dtype == pd.ArrowDtype(pa.string()):
            first = column.first_valid_index()
            if first is not None and _DATE_LIKE.match(column[first]):
                converted = _arrow_time(pa.array(column.array))
                if converted is not None:
                    out[name] = pd.Series(pd.arrays.ArrowExtensionArray(converted))
    return replaced(frame, out)


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


# --- problems -----------------------------------------------------------------------

def _ragged(file, row, saw, expected, delimiter):
    separator = _DELIMITER_NAMES[delimiter]
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
                   expected=f"fields separated by {_DELIMITER_NAMES[delimiter]}",
                   hint="check the delimiter and the quoting, or save the file again as CSV UTF-8")
