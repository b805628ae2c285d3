"""Which files an event log is, and whether its partitions agree on the mapped columns.

An event log is named by ``path`` relative to the study folder: one file, a folder (every
``*.parquet`` and ``*.csv`` under it, recursively; hidden files and Spark's ``_SUCCESS``
markers skipped) or a glob (``events/2025-*/*.parquet``; ``**`` descends into folders). A
path that leads nowhere, or a glob or folder that matches no data file, is a
:class:`~uxcx.errors.StudyError` naming the path as written.

Before any engine reads a row, the partitions are checked against each other, so that a
schema that differs between them is a :class:`~uxcx.errors.DataError` naming the file and
the column, not an engine traceback: Parquet footers are read with
:func:`pyarrow.parquet.read_schema` (the footer only, at most :data:`MAX_CHECKED` files, the
rest trusted to agree), CSV headers from the first line. A mapped column missing from a
partition, or stored with a type of another family than in the other partitions (text where
the others hold integers, a timestamp with a time zone where the others hold one without,
nanoseconds where the others hold microseconds), is a problem of that file. Integer widths
(32 or 64 bit) and float widths are one family each and read together.

The family of each mapped column (:data:`KINDS`) tells the cleaning step how to turn the
timestamp into UTC microseconds; CSV columns are all ``text``.
"""

from __future__ import annotations

import glob
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from uxcx.errors import DataError, Problem, StudyError

__all__ = ["EventSource", "event_source", "resolve_paths", "arrow_kind", "MAX_CHECKED", "KINDS"]

MAX_CHECKED = 10_000
SUFFIXES = {"parquet": (".parquet", ".parq", ".pq"), "csv": (".csv",)}
KINDS = ("text", "integer", "float", "boolean", "date", "timestamp", "timestamp_ns", "timestamp_tz",
         "timestamp_tz_ns")
_GLOB = set("*?[")


@dataclass(frozen=True)
class EventSource:
    """The files of an event log, their format and the family of each mapped column."""

    label: str                  # the path as the study file writes it
    paths: list[str]            # absolute, sorted
    fmt: str                    # "parquet" or "csv"
    kinds: dict[str, str] = field(default_factory=dict)  # mapped column -> one of KINDS
    notes: list[str] = field(default_factory=list)


def resolve_paths(path: str, folder, *, fmt: str = "auto") -> list[Path]:
    """The data files ``path`` names, relative to ``folder``: a file, a folder or a glob.

    Raises :class:`~uxcx.errors.StudyError` naming ``path`` when nothing matches.
    """
    base = Path(folder) if folder is not None else Path.cwd()
    full = Path(path) if Path(path).is_absolute() else base / path
    suffixes = SUFFIXES["parquet"] + SUFFIXES["csv"] if fmt == "auto" else SUFFIXES[fmt]
    if _GLOB & set(str(path)):
        found = [Path(p) for p in glob.glob(str(full), recursive=True)]
        files = [p for p in found if p.is_file() and _is_data(p, suffixes)]
        if not files:
            raise StudyError(f"events: path {path!r} matches no {_what(fmt)} file (glob relative to "
                             f"the study folder); check the pattern, e.g. events/*.parquet")
    elif full.is_dir():
        files = [p for p in full.rglob("*") if p.is_file() and _is_data(p, suffixes)]
        if not files:
            raise StudyError(f"events: folder {path!r} holds no {_what(fmt)} file; put the log's "
                             "partitions there or name the files with a glob")
    elif full.is_file():
        files = [full]
    else:
        raise StudyError(f"events: no file or folder {path!r} (relative to the study folder); "
                         "name a Parquet or CSV file, a folder of them, or a glob")
    return sorted(files)


def event_source(path: str, folder, *, fmt: str = "auto", columns: list[str]) -> EventSource:
    """Resolve ``path``, decide the format and check the partitions' schemas for ``columns``.

    Raises
    ------
    StudyError
        Nothing matches, or a folder mixes Parquet and CSV with ``format: auto``.
    DataError
        A mapped column is missing from a partition or has a type of another family there.
    """
    files = resolve_paths(path, folder, fmt=fmt)
    fmt = _format(files, fmt, path)
    notes = []
    if len(files) > MAX_CHECKED:
        notes.append(f"{len(files):,} files: the schemas of the first {MAX_CHECKED:,} were checked, "
                     "the rest are trusted to agree")
    checked = files[:MAX_CHECKED]
    if fmt == "parquet":
        kinds = _parquet_kinds(checked, columns)
    else:
        _csv_headers(checked, columns)
        kinds = dict.fromkeys(columns, "text")
    return EventSource(str(path), [str(f.resolve()) for f in files], fmt, kinds, notes)


def arrow_kind(arrow_type) -> str | None:
    """The family (:data:`KINDS`) of a pyarrow type, or None for one no event column can hold."""
    import pyarrow as pa

    t = arrow_type.value_type if pa.types.is_dictionary(arrow_type) else arrow_type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or getattr(pa.types, "is_string_view",
                                                                       lambda _: False)(t):
        return "text"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp" + ("_tz" if t.tz else "") + ("_ns" if t.unit == "ns" else "")
    return None


def _is_data(p: Path, suffixes) -> bool:
    name = p.name
    return not name.startswith((".", "_")) and name.lower().endswith(suffixes)


def _what(fmt: str) -> str:
    return "Parquet or CSV" if fmt == "auto" else {"parquet": "Parquet", "csv": "CSV"}[fmt]


def _format(files: list[Path], fmt: str, path: str) -> str:
    if fmt != "auto":
        return fmt
    found = {k for f in files for k, s in SUFFIXES.items() if f.name.lower().endswith(s)}
    if len(found) > 1:
        raise StudyError(f"events: path {path!r} holds both Parquet and CSV files; name one kind with a "
                         "glob (events/*.parquet) or set format: parquet")
    if not found:
        raise StudyError(f"events: {path!r} is neither Parquet (.parquet) nor CSV (.csv); set format: "
                         "parquet or format: csv")
    return found.pop()


def _parquet_kinds(files: list[Path], columns: list[str]) -> dict[str, str]:
    import pyarrow.parquet as pq

    problems, seen = [], {c: {} for c in columns}  # column -> {file name: (kind, type text)}
    for f in files:
        try:
            schema = pq.read_schema(f)
        except (OSError, ValueError) as err:
            problems.append(Problem(f.name, None, None, None, "not a readable Parquet file ("
                                    + str(err).splitlines()[0][:120].replace(str(f.parent) + os.sep, "")
                                    + ")", hint="rewrite the partition or remove it from the folder"))
            continue
        for c in columns:
            if c not in schema.names:
                problems.append(Problem(f.name, None, c, None, "this partition has no such column",
                                        expected="every partition holds every mapped column",
                                        hint=_have(c, schema.names)))
                continue
            kind = arrow_kind(schema.field(c).type)
            if kind is None:
                problems.append(Problem(f.name, None, c, None, f"type {schema.field(c).type} holds no "
                                        "single value", expected="text, a number or a timestamp"))
                continue
            seen[c][f.name] = (kind, str(schema.field(c).type))
    kinds = {}
    for c, by_file in seen.items():
        if not by_file:
            continue
        counts = Counter(k for k, _ in by_file.values())
        kinds[c] = counts.most_common(1)[0][0]
        example = next(n for n, (k, _) in by_file.items() if k == kinds[c])
        for name, (kind, text) in by_file.items():
            if kind != kinds[c]:
                problems.append(Problem(
                    name, None, c, None, f"stored as {text} ({kind}) here but as {kinds[c]} in "
                    f"{counts[kinds[c]]} other partition(s), e.g. {example}",
                    expected="one type for a column in every partition",
                    hint="rewrite this partition with the column's type of the others"))
    if problems:
        raise DataError(problems)
    return kinds


def _csv_headers(files: list[Path], columns: list[str]) -> None:
    import csv

    problems = []
    for f in files:
        try:
            with open(f, encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), [])
        except (OSError, UnicodeDecodeError, csv.Error) as err:
            problems.append(Problem(f.name, 1, None, None,
                                    f"the header cannot be read ({type(err).__name__})",
                                    hint="save the log as UTF-8 CSV with a header row"))
            continue
        names = [h.strip() for h in header]
        problems += [Problem(f.name, 1, c, None, "the header has no such column",
                             expected="every file holds every mapped column", hint=_have(c, names))
                     for c in columns if c not in names]
    if problems:
        raise DataError(problems)


def _have(column: str, names: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(column, names, n=1, cutoff=0.6)
    near = f"did you mean {close[0]!r}? " if close else ""
    shown = ", ".join(repr(n) for n in names[:12]) + (", ..." if len(names) > 12 else "")
    return f"{near}this file has {shown}"
