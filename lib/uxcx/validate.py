"""One source through the data dictionary: map, read, check, drop, and account for every row.

:func:`validate` maps the study's column names onto roles, reads each column as
its role says (:mod:`uxcx.coerce`), checks the result with the pandera schema of
:mod:`uxcx.schema`, drops invalid rows with their reasons and returns the clean
frame with its :class:`~uxcx.ledger.SourceLedger`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .ledger import SourceLedger
from .schema import DUPLICATE, MISSING_KEY, SOURCES, Role, frame_schema, known_role, role

__all__ = ["validate"]


# Ids a source may do without: each row's number then serves (surveys and questionnaires
# exported without a respondent id, such as Google Forms).
_ROW_IDS = {"respondent", "participant"}

# Headers that hold personal data whatever the study maps them to.
_PERSONAL_HEADER = re.compile(
    r"e-?mail|phone|mobile|ip.?address|first.?name|last.?name|full.?name|^name$|latitude|"
    r"longitude|recipient|street|postcode|zip.?code", re.IGNORECASE)


def _normal(header: str) -> str:
    return " ".join(str(header).lower().split())


def _snake(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header).lower()).strip("_")


def _map_columns(headers, source: str, config, segments) -> tuple[dict[str, str], list[str], list[str]]:
    """Match the study's mapping to the file's headers: {header: role}, notes, problems."""
    by_normal = {_normal(h): h for h in headers}
    mapping, notes, problems = {}, [], []
    for header, name in config.columns.items():
        if header in headers:
            mapping[header] = name
        elif _normal(header) in by_normal:
            found = by_normal[_normal(header)]
            mapping[found] = name
            notes.append(f"header {found!r} matched to {header!r} ignoring case and spaces")
        else:
            near = difflib.get_close_matches(header, list(headers), n=1, cutoff=0.6)
            problems.append(
                f"sources.{source}.columns: column {header!r} is not in {config.path}"
                + (f"; did you mean {near[0]!r}?" if near else "")
                + f" The file's headers are: {', '.join(repr(h) for h in headers)}")
    wanted = set(segments) | set(SOURCES[source].required)
    for header in headers:
        name = _snake(header)
        if header not in mapping and name not in mapping.values() and (
                known_role(name) or name in wanted):
            mapping[header] = name
            notes.append(f"column {header!r} taken as role {name!r} by its name")
    seen: dict[str, str] = {}
    for header, name in mapping.items():
        if name in seen:
            problems.append(f"sources.{source}.columns: {seen[name]!r} and {header!r} both map "
                            f"to role {name!r}; map one of them to another name")
        seen[name] = header
    missing = [r for r in SOURCES[source].required if r not in seen and r not in _ROW_IDS]
    if missing:
        problems.append(f"sources.{source}: no column is mapped to {', '.join(missing)} "
                        f"({SOURCES[source].description}); add it under sources.{source}.columns")
    ignored = [h for h in headers if h not in mapping]
    if ignored:
        notes.append(f"{len(ignored)} column(s) not in the mapping left out: "
                     + ", ".join(repr(h) for h in ignored[:12]) + (" ..." if len(ignored) > 12 else ""))
    return mapping, notes, problems


def _role_with_range(name: str, config) -> Role:
    found = role(name)
    if name in config.ranges:
        low, high = config.ranges[name]
        return replace(found, low=low, high=high, integer=found.integer and float(low).is_integer())
    return found


def validate(raw, source: str, config, *, segments=()) -> tuple[pd.DataFrame, SourceLedger]:
    """Map, read and check one source; drop what is invalid and account for every row.

    Parameters
    ----------
    raw : uxcx.io.RawTable
        The table as read from the file.
    source : str
        Which source it is (a key of :data:`SOURCES`).
    config : uxcx.study.SourceConfig
        The study file's settings for this source.
    segments : sequence of str
        Segment columns the study names (taken by their header when unmapped).

    Returns
    -------
    frame : DataFrame
        Columns named by role, index ``row`` = the row number in the user's file.
        Personal-data columns are left out unless the study opts in.
    ledger : SourceLedger
        Rows read, kept, repaired and dropped (with row, column, value, reason).

    Raises
    ------
    StudyError
        The mapping names a column the file does not have, or misses a required role.
    """
    from .coerce import coerce
    from .errors import StudyError

    table = raw.frame
    headers = list(table.columns)
    mapping, notes, problems = _map_columns(headers, source, config, segments)
    if problems:
        raise StudyError(problems)
    account = SourceLedger(source=source, file=str(raw.file), notes=list(raw.notes) + notes)
    rows = pd.Index(np.asarray(raw.rows, dtype="int64"), name="row")
    n_blank = len(raw.blank_rows)
    account.read = len(table) + n_blank

    withheld = [h for h, name in mapping.items()
                if (role(name).personal or name in config.personal or _PERSONAL_HEADER.search(h))
                and name not in config.include_personal]
    if withheld:
        account.notes.append("personal data withheld from the analysis and reports: "
                             + ", ".join(repr(h) for h in withheld))
    keep = {h: name for h, name in mapping.items() if h not in withheld}

    columns, roles, bad_parts, repairs = {}, {}, [], {}
    for header, name in keep.items():
        r = _role_with_range(name, config)
        cell = table[header].set_axis(rows)
        got = coerce(cell, r, config.value_map(name))
        columns[name], roles[name] = got.values, r
        if got.bad.any():
            bad_parts.append(_problems(got.bad, header, cell, got.reason, r, source, name, config))
        for what, mask in got.repairs.items():
            repairs[f"{header}: {what}"] = mask
    frame = pd.DataFrame(columns, index=rows)
    key = SOURCES[source].unique
    if len(key) == 1 and key[0] not in frame:
        frame.insert(0, key[0], ("row " + rows.astype(str)).astype("string"))
        roles[key[0]] = role(key[0])
        account.notes.append(f"no {key[0]} column: each row's number in the file is its id")

    check = frame_schema(source, roles)
    try:
        check.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        bad_parts.append(_check_problems(err.failure_cases, frame, table.set_axis(rows),
                                         keep, roles, source))
    blank = pd.DataFrame({"row": raw.blank_rows, "column": None, "value": None,
                          "reason": "blank row", "expected": "", "hint": ""})
    dropped = pd.concat([blank, *bad_parts], ignore_index=True) if bad_parts else blank
    dropped["row"] = dropped["row"].astype("int64")
    account.dropped = dropped.sort_values("row", kind="stable").reset_index(drop=True)
    clean = frame.loc[~frame.index.isin(account.dropped["row"])]
    account.kept = len(clean)
    fixed = pd.Series(False, index=clean.index)
    for what, mask in repairs.items():
        mask = mask.reindex(clean.index, fill_value=False).astype(bool)
        if mask.any():
            account.repairs[what] = int(mask.sum())
            fixed |= mask
    account.repaired_rows = int(fixed.sum())
    account.check()
    return clean, account


def _problems(bad, header, cell, reason, r: Role, source, name, config) -> pd.DataFrame:
    values = cell[bad]
    if reason == "label not in the value map":
        labels = sorted({str(v).strip() for v in values.dropna()})
        shown = ", ".join(repr(x) for x in labels[:15]) + (" ..." if len(labels) > 15 else "")
        hint = f"add them under sources.{source}.values.{name}; labels found: {shown}"
    elif r.kind in ("score", "count", "number", "money"):
        hint = f"write a number, or map the text under sources.{source}.values.{name}"
    else:
        hint = f"write {r.expected}, or map the text under sources.{source}.values.{name}"
    return pd.DataFrame({"row": values.index, "column": header, "value": values.astype(object).values,
                         "reason": reason, "expected": r.expected, "hint": hint})


def _check_problems(cases: pd.DataFrame, frame, table, keep, roles, source) -> pd.DataFrame:
    """pandera's failure cases as the ledger's problems, with the file's own values."""
    header_of = {name: h for h, name in keep.items()}
    cases = cases.dropna(subset=["index"])
    out = []
    dup = cases["check"].astype(str).str.contains("uniqueness")
    if dup.any():
        keys = [k for k in SOURCES[source].unique]
        rows = pd.Index(cases.loc[dup, "index"].unique())
        first = frame.reset_index().groupby(keys, dropna=False)["row"].transform("first")
        first.index = frame.index
        out.append(pd.DataFrame({
            "row": rows, "column": " + ".join(header_of[k] for k in keys),
            "value": frame.loc[rows, keys].astype("string").fillna("(blank)")
                     .agg(" / ".join, axis=1).values,
            "reason": DUPLICATE, "expected": "a unique " + " x ".join(keys),
            "hint": [f"the same {' x '.join(keys)} as row {first[r]}; remove the repeat or "
                     f"give it its own identifier" for r in rows]}))
    rest = cases.loc[~dup]
    if len(rest):
        check = rest["check"].astype(str)
        reason = np.where(check.eq("not_nullable"), MISSING_KEY, check)
        names = rest["column"].astype(str)
        out.append(pd.DataFrame({
            "row": rest["index"].astype("int64").values,
            "column": names.map(header_of).values,
            "value": [table.at[r, header_of[n]] for r, n in zip(rest["index"], names)],
            "reason": reason,
            "expected": [roles[n].expected if reason[i] != MISSING_KEY else f"a {n} id"
                         for i, n in enumerate(names)],
            "hint": [f"correct the value, or declare the scale under sources.{source}.ranges.{n}"
                     if reason[i] != MISSING_KEY else "fill in the identifier or delete the row"
                     for i, n in enumerate(names)]}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=list(cases.columns))
