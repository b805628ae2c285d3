"""Which role each of a file's headers takes: the study's mapping matched to the file.

:func:`map_columns` matches the study's ``columns:`` to the file's headers (exactly,
ignoring case and spaces, by a legacy Qualtrics column id, or by a role's own name) and
says what is missing; :func:`role_with_range` gives each mapped role its range from the
source's ``ranges:`` or the study's declared items; :func:`repeated_header` finds rows
that repeat the headers (files pasted together). :func:`uxcx.study.validate.validate`
runs them first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from uxcx.io.shared import shown_headers
from uxcx.io.unicode_text import arrow_strings, visible
from uxcx.study.schema import SOURCES, Role, known_role, role

__all__ = ["map_columns", "role_with_range", "left_out", "normal_header", "repeated_header",
           "NOT_ITEMS"]


# Ids a source may do without: each row's number then serves (surveys and questionnaires
# exported without a respondent id, such as Google Forms).
_ROW_IDS = {"respondent", "participant"}


def normal_header(header: str) -> str:
    """A header as compared: NFC, no invisible characters, lower case, single spaces.

    >>> normal_header(" NPS\\u200b "), normal_header("Cafe\\u0301 visits") == normal_header("Café visits")
    ('nps', True)
    """
    return " ".join(visible(header).lower().split())


def _snake(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", visible(header).lower()).strip("_")


def map_columns(headers, source: str, config, segments, ids=None,
                 items=()) -> tuple[dict[str, str], list[str], list[str]]:
    """Match the study's mapping to the file's headers: {header: role}, notes, problems.

    ``ids`` maps column ids to the headers they are read under (the ``V1``, ``V2``, ... of a
    legacy Qualtrics export, :func:`uxcx.io.exports.legacy_ids`); ``items`` are the study's own
    item names, taken by their header like the segments.
    """
    bynormal_header = {normal_header(h): h for h in headers}
    ids = {k: v for k, v in (ids or {}).items() if v in headers and k != v}
    mapping, notes, problems = {}, [], []
    for header, name in config.columns.items():
        if header in headers:
            mapping[header] = name
        elif normal_header(header) in bynormal_header:
            found = bynormal_header[normal_header(header)]
            mapping[found] = name
            notes.append(f"header {found!r} matched to {header!r} ignoring case, spaces and "
                         "invisible characters")
        elif str(header).strip() in ids:
            found = ids[str(header).strip()]
            mapping[found] = name
            notes.append(f"column id {header!r} of the legacy Qualtrics export is the column "
                         f"{found!r}")
        else:
            near = difflib.get_close_matches(header, list(headers), n=1, cutoff=0.6)
            problems.append(
                f"sources.{source}.columns: column {header!r} is not in {config.path}"
                + (f"; did you mean {near[0]!r}?" if near else "")
                + f" The file's headers are: {shown_headers(headers)}")
    wanted = set(segments) | set(SOURCES[source].required) | set(items)
    for header in headers:
        name = _snake(header)
        if header not in mapping and name not in mapping.values() and (
                known_role(name) or name in wanted):
            mapping[header] = name
            notes.append(f"column {header!r} taken as role {name!r} by its name")
    problems += _collisions(headers, mapping, source, config)
    seen: dict[str, str] = {}
    for header, name in mapping.items():
        if name in seen:
            problems.append(f"sources.{source}.columns: {seen[name]!r} and {header!r} both map "
                            f"to role {name!r}; map one of them to another name")
        seen[name] = header
    missing = [r for r in SOURCES[source].required if r not in seen and r not in _ROW_IDS]
    if missing:
        shown = shown_headers(headers)
        one = (" The file was read as one column: check that its fields are separated by commas, "
               "semicolons, tabs or pipes." if len(headers) == 1 else "")
        problems.append(f"sources.{source}: no column is mapped to {', '.join(missing)} "
                        f"({SOURCES[source].description}); add it under sources.{source}.columns. "
                        f"The headers of {config.path} are: {shown}.{one}")
    return mapping, notes, problems


def _collisions(headers, mapping, source, config) -> list[str]:
    """Headers the kit would take for one another (case, spaces, invisible characters), one mapped."""
    groups: dict[str, list[str]] = {}
    for header in headers:
        groups.setdefault(normal_header(header), []).append(header)
    return [f"sources.{source}: the headers {' and '.join(repr(h) for h in same)} of {config.path} "
            "differ only in case, spaces or invisible characters, so the kit cannot tell which one "
            f"the study means; rename one of them in the file"
            for same in groups.values() if len(same) > 1 and any(h in mapping for h in same)]


def left_out(ignored) -> list[str]:
    if not ignored:
        return []
    return [f"{len(ignored)} column(s) not in the mapping left out: "
            + ", ".join(repr(h) for h in ignored[:12]) + (" ..." if len(ignored) > 12 else "")]


NOT_ITEMS = ("key", "text", "date")


def role_with_range(name: str, config, items=None) -> Role:
    """The role ``name`` with its range: the source's ``ranges:``, else the study's declared item.

    A name declared under ``measures.items`` is read as a number on its declared range even
    when it matches no role of the kit (a kit scale such as ``ease_*`` keeps its whole numbers
    when the declared ends are whole); the source's ``ranges:`` still wins.
    """
    found = role(name)
    if items and name in items and found.kind not in NOT_ITEMS:
        low, high = items[name].range
        whole = float(low).is_integer() and float(high).is_integer()
        base = found if found.kind in ("score", "count", "number", "money", "duration", "binary") \
            else Role("score", description=items[name].label or f"the study's item {name}")
        found = replace(base, low=low, high=high, integer=base.integer and whole)
    if name in config.ranges:
        low, high = config.ranges[name]
        return replace(found, low=low, high=high, integer=found.integer and float(low).is_integer())
    return found


def repeated_header(table: pd.DataFrame, in_arrow: dict | None = None) -> np.ndarray:
    """Rows whose every filled cell repeats its column's name (at least two cells, or the one).

    ``in_arrow`` may give columns of ``table`` (by header) already as Arrow-backed text.
    """
    in_arrow = in_arrow or {}
    out = np.zeros(len(table), dtype=bool)
    # a typed column (numbers, dates) cannot hold its header's text
    texts = [at for at in range(table.shape[1])
             if pd.api.types.is_string_dtype(table.iloc[:, at].dtype) or table.iloc[:, at].dtype == object]
    if not len(table) or not texts:
        return out
    candidate = np.zeros(len(table), dtype=bool)
    for at in texts[:2]:  # a repeated header repeats one of its first two text columns
        column = in_arrow.get(table.columns[at]) if table.columns.is_unique else None
        candidate |= _is_header(table.iloc[:, at] if column is None else column, table.columns[at])
    if not candidate.any():
        return out
    part = table[candidate]
    same = np.zeros(len(part), dtype=np.int64)
    filled = np.zeros(len(part), dtype=np.int64)
    for at in texts:
        text = arrow_strings(part.iloc[:, at]).str.strip()
        filled += (text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool)
        same += _is_header(part.iloc[:, at], table.columns[at])
    need = min(2, table.shape[1])
    out[candidate] = (same >= need) & (same == filled)
    return out


def _is_header(column: pd.Series, header) -> np.ndarray:
    text = arrow_strings(column).str.strip().str.lower()  # vectorised (Arrow)
    return (text == normal_header(header)).fillna(False).to_numpy(dtype=bool)
