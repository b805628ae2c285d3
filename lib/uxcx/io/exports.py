"""Survey-tool exports: Qualtrics, SurveyMonkey and Google Forms files as they come.

Two steps. :func:`shape_export` runs while the file is read (:func:`uxcx.io.tables.read_table`):
it removes the extra header rows an export carries, keeps the question texts,
names multi-option columns and reads Google Forms timestamps; row numbers keep
pointing at the spreadsheet's rows. :func:`uxcx.study.export_options.apply_options`
runs when the source is checked (:func:`uxcx.study.validate.validate`) and applies the study file's options:
preview and unfinished responses (dropped, with their rows, into the ledger),
matching headers by question text, answers joined with ``multi_select_separator`` spread into 1/0
columns, SUS items by position, and wide task sheets or testing-platform exports
reshaped (:mod:`uxcx.io.wide`).

The shapes, as the tools export them:

- **Qualtrics** CSV/XLSX: row 1 column ids (``ResponseId``, ``Q1``, ``QID2_1``...),
  row 2 question texts, row 3 ``{"ImportId": ...}``; the legacy format has two
  header rows, ids ``V1``, ``V2``, ... then texts. ``Status`` ("Survey Preview")
  or ``DistributionChannel`` ("preview") marks previews; ``Finished`` False
  marks unfinished responses.
- **SurveyMonkey** CSV/XLSX: row 1 questions (blank over the further columns of
  a multi-option question), row 2 the option, or "Response".
- **Google Forms** CSV: ``Timestamp`` first, question texts as headers (line
  breaks allowed), checkbox answers joined with ", ".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from uxcx.errors import DataError, Problem

__all__ = ["EXPORTS", "detect_export", "shape_export", "split_choices", "parse_timestamps",
           "synthetic_header", "legacy_ids", "unique_names", "TIMESTAMP_HEADERS"]

EXPORTS = ("qualtrics", "surveymonkey", "google-forms", "wide-tasks", "testing-platform")

_IMPORT_ID = '{"importid"'
_LEGACY_ID = re.compile(r"V\d+")
_SM_RESPONSE = {"response", "open-ended response", ""}
#: The first header of a Google Forms export, in the languages Forms writes it in.
TIMESTAMP_HEADERS = {"timestamp", "marca temporal", "zeitstempel", "horodatage", "informazioni cronologiche",
                     "carimbo de data/hora", "tijdstempel", "sygnatura czasowa"}
_GMT = re.compile(r"\s*(?:GMT|UTC)\s*([+-]\d{1,2}(?::?\d\d)?)?\s*$", re.IGNORECASE)
_TIME_FORMATS = ("%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y/%m/%d %I:%M:%S %p",
                 "%Y/%m/%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M",
                 "%Y-%m-%d %H:%M:%S", "%m/%d/%Y", "%d/%m/%Y")


def _cell(frame: pd.DataFrame, i: int) -> list[str]:
    return ["" if pd.isna(v) else " ".join(str(v).split()) for v in frame.iloc[i]]


def detect_export(frame: pd.DataFrame) -> str | None:
    """Which tool exported the table, where its shape leaves no doubt; else None.

    Qualtrics: the third row holds ``{"ImportId": ...}`` cells, or the header
    is ``V1``, ``V2``, ... over a row with ``ResponseID``. SurveyMonkey: the
    header has "Respondent ID" and "Collector ID" and the next row says
    "Response". Google Forms: the first header is "Timestamp" (or its
    translation). Wide task sheets and testing-platform exports are never
    guessed; name them with ``format:``.

    Examples
    --------
    >>> detect_export(pd.DataFrame({"Timestamp": ["11/20/2025 10:11:34"], "Q": ["Agree"]}))
    'google-forms'
    >>> detect_export(pd.DataFrame({"id": [1], "nps": [9]})) is None
    True
    """
    names = [str(c).strip().lower() for c in frame.columns]
    if len(frame) >= 2 and sum(v.lower().startswith(_IMPORT_ID) for v in _cell(frame, 1)) \
            >= max(1, frame.shape[1] // 2):
        return "qualtrics"
    if len(frame) >= 1 and len(names) > 1 and all(_LEGACY_ID.fullmatch(str(c)) for c in frame.columns[:2]) \
            and "responseid" in [v.lower() for v in _cell(frame, 0)]:
        return "qualtrics"
    if len(frame) >= 1 and {"respondent id", "collector id"} <= set(names) \
            and "response" in [v.lower() for v in _cell(frame, 0)]:
        return "surveymonkey"
    if names and names[0] in TIMESTAMP_HEADERS:
        return "google-forms"
    return None


def shape_export(raw, kind: str):
    """The table without the export's extra header rows, its columns named for people.

    Parameters
    ----------
    raw : uxcx.io.tables.RawTable
        The file as read with its first row as the header.
    kind : str
        One of :data:`EXPORTS`.

    Returns
    -------
    uxcx.io.tables.RawTable
        A copy: the header rows removed (``rows`` still the spreadsheet's),
        ``export`` set to ``kind`` and ``questions`` mapping each column to its
        question text (Qualtrics).

    Raises
    ------
    DataError
        The file does not have the header rows of ``kind``.
    """
    frame, rows, notes = raw.frame, np.asarray(raw.rows), list(raw.notes)
    questions: dict[str, str] = {}
    if kind == "qualtrics":
        third = len(frame) >= 2 and any(v.lower().startswith(_IMPORT_ID) for v in _cell(frame, 1))
        legacy = bool(len(frame)) and bool(_LEGACY_ID.fullmatch(str(frame.columns[0])))
        if not (third or legacy):
            raise _shape_error(raw.file, "Qualtrics", "three header rows (column ids, question texts, "
                               "ImportId) or the legacy two (V1, V2, ... then texts)")
        texts = _cell(frame, 0)
        questions = dict(zip(frame.columns, texts))
        skip = 2 if third else 1
        frame, rows = frame.iloc[skip:].reset_index(drop=True), rows[skip:]
        if legacy and not third:  # V1... ids mean nothing: the texts are the names
            names = [t if _LEGACY_ID.fullmatch(str(c)) and t else c for c, t in zip(frame.columns, texts)]
            frame.columns = unique_names(names)  # as legacy_ids() gives them
        start = rows[0] if len(rows) else "-"
        notes.append(f"Qualtrics export: {skip + 1} header rows; data from row {start}")
    elif kind == "surveymonkey":
        if not len(frame):
            raise _shape_error(raw.file, "SurveyMonkey", "two header rows (question, then option or "
                               "'Response')")
        names, question = [], ""
        for header, option in zip(frame.columns, _cell(frame, 0)):
            if not str(header).startswith("Unnamed: "):
                question = " ".join(str(header).split())
            names.append(question if option.lower() in _SM_RESPONSE else f"{question} - {option}")
        frame = frame.iloc[1:].reset_index(drop=True)
        frame.columns = unique_names(names)
        rows = rows[1:]
        notes.append("SurveyMonkey export: 2 header rows; a multi-option question's columns are "
                     "named 'question - option'")
    elif kind == "google-forms":
        frame = frame.copy()
        frame.columns = unique_names([" ".join(str(c).split()) for c in frame.columns])
        first = frame.columns[0]
        if len(frame) and str(first).lower() in TIMESTAMP_HEADERS:
            stamps, note = parse_timestamps(frame[first])
            frame[first] = stamps
            notes.append(f"Google Forms export: {note}")
    return replace(raw, frame=frame, rows=rows, notes=notes, export=kind, questions=questions)


def legacy_ids(questions: dict) -> dict[str, str]:
    """A legacy Qualtrics export's column ids (``V1``, ``V2``, ...) and the names they are read under.

    The legacy format's ids say nothing, so its columns are named by their second header
    row (``ResponseID``, ``Status``, the question texts; a repeated text gains `` (2)``);
    a study file may still name a column by its id (``V1: respondent``).

    Parameters
    ----------
    questions : dict
        Column id -> text of the second header row, in column order
        (``RawTable.questions`` of a Qualtrics export).

    Returns
    -------
    dict of str to str
        Id -> the column's name after reading; ids other than ``V<n>`` keep their name.

    Examples
    --------
    >>> legacy_ids({"V1": "ResponseID", "V2": "Name", "V3": "Name", "Q1": "How easy?"})
    {'V1': 'ResponseID', 'V2': 'Name', 'V3': 'Name (2)', 'Q1': 'Q1'}
    """
    ids = list(questions)
    names = [t if _LEGACY_ID.fullmatch(str(c)) and t else c for c, t in questions.items()]
    return dict(zip(ids, unique_names(names)))


def unique_names(names: list[str]) -> list[str]:
    """``names`` with repeats numbered ("Q", "Q (2)", ...), as the export tools' own readers name them."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _shape_error(file, tool, expected) -> DataError:
    return DataError([Problem(file, 1, None, None, f"the file does not look like a {tool} export",
                              expected=expected,
                              hint="check the export settings, or set format: csv (or xlsx)")])


def parse_timestamps(values: pd.Series) -> tuple[pd.Series, str]:
    """Timestamps in any of the usual export formats as datetimes, and a note on how they were read.

    A trailing time-zone tag (``GMT+1``, ``UTC``) is removed and named in the
    note; times stay as written (local). The first format of the list below
    that reads every value is used: month/day/year before day/month/year (as
    Google Forms writes for US English) unless a day above 12 settles it; where
    no value settles it, the note says which order was assumed.

    Examples
    --------
    >>> stamps, note = parse_timestamps(pd.Series(["20/11/2025 10:11:34", "21/11/2025 09:00:00"]))
    >>> stamps.dt.day.tolist(), note
    ([20, 21], 'timestamps read as %d/%m/%Y %H:%M:%S')
    >>> parse_timestamps(pd.Series(["2025/11/20 1:05:09 PM GMT+1"]))[0].dt.hour.tolist()
    [13]
    >>> parse_timestamps(pd.Series(["03/04/2025 10:00:00"]))[1]  # doctest: +ELLIPSIS
    'timestamps read as %m/%d/%Y %H:%M:%S; no day is above 12, so month first is assumed ...'
    """
    text = values.astype("string").str.strip()
    zones = text.str.extract(_GMT)[0].dropna().unique().tolist()
    text = text.str.replace(_GMT, "", regex=True)
    present = text.notna() & text.ne("")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values, "timestamps already dates"
    for fmt in _TIME_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if bool(parsed[present].notna().all()) and present.any():
            zone = f" (time zone {', '.join('GMT' + z for z in zones)} removed; times are local)" \
                if zones else ""
            return parsed.astype("datetime64[ns]"), f"timestamps read as {fmt}{zone}{_order(text, fmt)}"
    return values, "timestamps left as text (no common format reads them all)"


def _order(text: pd.Series, fmt: str) -> str:
    """Where the other order of day and month reads every value too, say which was assumed."""
    swapped = {"%m/%d": "%d/%m", "%d/%m": "%m/%d"}
    head = next((k for k in swapped if fmt.startswith(k)), None)
    if head is None:
        return ""
    other = swapped[head] + fmt[len(head):]
    present = text.notna() & text.ne("")
    again = pd.to_datetime(text, format=other, errors="coerce")
    if not bool(again[present].notna().all()):
        return ""
    first = "month" if head == "%m/%d" else "day"
    return (f"; no day is above 12, so {first} first is assumed (as Google Forms writes for "
            f"{'US English' if first == 'month' else 'most other languages'}); check a date you know")


def split_choices(values: pd.Series, *, options=None, sep: str = ", ", prefix: str = "") -> pd.DataFrame:
    """Answers of a multi-select question, joined with ``sep``, as one 1/0 column per option.

    Parameters
    ----------
    values : pandas.Series
        One cell per respondent, e.g. ``"Email, Phone"``.
    options : list of str, optional
        The question's options. Give them when an option holds ``sep`` itself
        ("Yes, sometimes"): they are matched whole first. Default: the parts
        found.
    sep : str, default ", "
        How the tool joins the chosen options (Google Forms: ", ").
    prefix : str, default ""
        Put before each option in the column names (``"question - "``).

    Returns
    -------
    pandas.DataFrame
        Same index; one float column per option (in order of first
        appearance): 1 chosen, 0 not chosen, NaN where the answer is blank
        (question skipped).

    Examples
    --------
    >>> out = split_choices(pd.Series(["Email, Phone", "Phone", None]))
    >>> out.columns.tolist(), out["Email"].tolist()
    (['Email', 'Phone'], [1.0, 0.0, nan])
    >>> both = split_choices(pd.Series(["Yes, sometimes, Never"]), options=["Yes, sometimes", "Never"])
    >>> both.iloc[0].tolist()
    [1.0, 1.0]
    """
    text = values.astype("string").str.strip()
    blank = text.isna() | text.eq("")
    rest = text.fillna("")
    found: dict[str, pd.Series] = {}
    for option in options or []:
        pattern = r"(?:^|(?<=" + re.escape(sep) + r"))" + re.escape(option) + r"(?=" + re.escape(sep) + r"|$)"
        found[option] = rest.str.contains(pattern, regex=True)
        rest = rest.str.replace(pattern, "", regex=True)
    parts = rest.str.split(re.escape(sep), regex=True).explode().str.strip()
    for option in dict.fromkeys(parts[parts.ne("") & parts.notna()]):
        found[option] = parts.eq(option).groupby(level=0).any().reindex(values.index, fill_value=False)
    out = pd.DataFrame({f"{prefix}{k}": v.astype("float64") for k, v in found.items()}, index=values.index)
    out[blank.to_numpy()] = np.nan
    return out


def synthetic_header(body: bytes) -> bytes | None:
    """A header line for a CSV whose first line is data (answers only, some repeated); else None.

    A first line whose every field is a number or a scale label, with a value
    used twice, cannot be a header (a header names each column once): the
    columns are then named ``column_1``, ``column_2``, ...

    Examples
    --------
    >>> synthetic_header(b"4;2;5;1;4;2;5;1;4;2\\n3;3;3;3;3;3;3;3;3;3\\n")
    b'column_1;column_2;column_3;column_4;column_5;column_6;column_7;column_8;column_9;column_10\\n'
    >>> synthetic_header(b"id,nps\\n1,9\\n") is None
    True
    """
    from uxcx.io.labels import MISSING_LABELS, SCALES, normal_label

    brk = re.search(rb"\r\n|\n|\r", body)  # the first line only: no copy of the rest of the file
    line = (body[:brk.start()] if brk else body).decode("utf-8", errors="replace")
    if not line.strip():
        return None

    def split(d):
        try:
            return next(csv.reader(io.StringIO(line), delimiter=d), [])
        except csv.Error:  # a NUL byte or an open quote: not a line of answers
            return []

    best = max((",", ";", "\t", "|"), key=lambda d: len(split(d)))
    fields = split(best)
    if len(fields) < 2 or len(set(fields)) == len(fields):
        return None
    known = set(MISSING_LABELS).union(*SCALES.values())
    numeric = re.compile(r"-?\d+(?:[.,]\d+)?")
    if not all(numeric.fullmatch(f.strip()) or normal_label(f) in known for f in fields):
        return None
    return best.join(f"column_{i}" for i in range(1, len(fields) + 1)).encode() + b"\n"
