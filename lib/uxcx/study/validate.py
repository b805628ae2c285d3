"""One source through the data dictionary: map, read, check, drop, and account for every row.

:func:`validate` maps the study's column names onto roles, reads each column as
its role says (:mod:`uxcx.study.coerce`), checks the result with the pandera schema of
:mod:`uxcx.study.schema`, drops invalid rows with their reasons and returns the clean
frame with its :class:`~uxcx.study.ledger.SourceLedger`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from uxcx.study.ledger import PROBLEM_COLUMNS, SourceLedger
from uxcx.study.privacy import personal_findings, pseudonym_key, pseudonymise
from uxcx.study.schema import (
    DUPLICATE,
    MISSING_KEY,
    NOT_WHOLE,
    OUT_OF_RANGE,
    SOURCES,
    Role,
    frame_schema,
    known_role,
    role,
)

__all__ = ["validate"]

REPEATED_HEADER = "repeated header row"


# Ids a source may do without: each row's number then serves (surveys and questionnaires
# exported without a respondent id, such as Google Forms).
_ROW_IDS = {"respondent", "participant"}

# Headers that say a column holds personal data. They (and the content test of
# uxcx.study.privacy) decide for unmapped columns and for columns mapped to a key, text or
# category role; a column mapped to a numeric analysis role is analysed whatever its header says.
_PERSONAL_HEADER = re.compile(
    r"e-?mail|phone|mobile.?(?:number|no\b)|ip.?address|first.?name|last.?name|full.?name|^name$|"
    r"latitude|longitude|recipient|street|postcode|zip.?code", re.IGNORECASE)

# Kinds of role whose columns the header and content tests look at (the others are numbers,
# yes/no values, durations and dates the analysis reads as such).
_SCANNED_KINDS = ("key", "category", "text")


def _normal(header: str) -> str:
    return " ".join(str(header).lower().split())


def _snake(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header).lower()).strip("_")


def _map_columns(headers, source: str, config, segments, ids=None,
                 items=()) -> tuple[dict[str, str], list[str], list[str]]:
    """Match the study's mapping to the file's headers: {header: role}, notes, problems.

    ``ids`` maps column ids to the headers they are read under (the ``V1``, ``V2``, ... of a
    legacy Qualtrics export, :func:`uxcx.io.exports.legacy_ids`); ``items`` are the study's own
    item names, taken by their header like the segments.
    """
    by_normal = {_normal(h): h for h in headers}
    ids = {k: v for k, v in (ids or {}).items() if v in headers and k != v}
    mapping, notes, problems = {}, [], []
    for header, name in config.columns.items():
        if header in headers:
            mapping[header] = name
        elif _normal(header) in by_normal:
            found = by_normal[_normal(header)]
            mapping[found] = name
            notes.append(f"header {found!r} matched to {header!r} ignoring case and spaces")
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
                + f" The file's headers are: {', '.join(repr(h) for h in headers)}")
    wanted = set(segments) | set(SOURCES[source].required) | set(items)
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
        shown = ", ".join(repr(str(h)[:60]) for h in headers[:20]) + (" ..." if len(headers) > 20 else "")
        one = (" The file was read as one column: check that its fields are separated by commas, "
               "semicolons, tabs or pipes." if len(headers) == 1 else "")
        problems.append(f"sources.{source}: no column is mapped to {', '.join(missing)} "
                        f"({SOURCES[source].description}); add it under sources.{source}.columns. "
                        f"The headers of {config.path} are: {shown}.{one}")
    return mapping, notes, problems


def _left_out(ignored) -> list[str]:
    if not ignored:
        return []
    return [f"{len(ignored)} column(s) not in the mapping left out: "
            + ", ".join(repr(h) for h in ignored[:12]) + (" ..." if len(ignored) > 12 else "")]


_NOT_ITEMS = ("key", "text", "date")


def _role_with_range(name: str, config, items=None) -> Role:
    """The role ``name`` with its range: the source's ``ranges:``, else the study's declared item.

    A name declared under ``measures.items`` is read as a number on its declared range even
    when it matches no role of the kit (a kit scale such as ``ease_*`` keeps its whole numbers
    when the declared ends are whole); the source's ``ranges:`` still wins.
    """
    found = role(name)
    if items and name in items and found.kind not in _NOT_ITEMS:
        low, high = items[name].range
        whole = float(low).is_integer() and float(high).is_integer()
        base = found if found.kind in ("score", "count", "number", "money", "duration", "binary") \
            else Role("score", description=items[name].label or f"the study's item {name}")
        found = replace(base, low=low, high=high, integer=base.integer and whole)
    if name in config.ranges:
        low, high = config.ranges[name]
        return replace(found, low=low, high=high, integer=found.integer and float(low).is_integer())
    return found


def validate(raw, source: str, config, *, segments=(), pseudonym_secret=None,
             items=None) -> tuple[pd.DataFrame, SourceLedger]:
    """Map, read and check one source; drop what is invalid and account for every row.

    Parameters
    ----------
    raw : uxcx.io.tables.RawTable
        The table as read from the file.
    source : str
        Which source it is (a key of :data:`SOURCES`).
    config : uxcx.study.study_file.SourceConfig
        The study file's settings for this source.
    segments : sequence of str
        Segment columns the study names (taken by their header when unmapped).
    pseudonym_secret : str, optional
        The study's key for pseudonyms (see :func:`uxcx.study.privacy.pseudonym_key`).
    items : dict of str to uxcx.study.study_file.Item, optional
        The study's own items (``measures.items``): a column mapped to one is read as a
        number and checked against the item's range (the source's ``ranges:`` wins).

    Returns
    -------
    frame : DataFrame
        Columns named by role, index ``row`` = the row number in the user's file.
        Personal-data columns are left out unless the study opts in (``include_personal:``):
        by role (email, name, phone, ip_address, comment, comment_*), by the study's
        ``personal:`` list, and, for unmapped columns and columns mapped to a key, text or
        category role, by header or content (:func:`uxcx.study.privacy.personal_findings`);
        a column mapped to a numeric analysis role is never withheld by its header or
        content. The ledger's note names each withheld column and why, quoting no cell.
        A key column holding personal data is pseudonymised.
        A row repeating the header (files pasted together) is dropped as
        ``"repeated header row"``. A value outside its role's range (or not whole on a
        whole-number scale) drops its row, or with ``out_of_range: blank`` only blanks the
        cell, recorded in ``ledger.repaired_cells``.
    ledger : SourceLedger
        Rows read, kept, repaired and dropped (with row, column, value, reason).

    Raises
    ------
    StudyError
        The mapping names a column the file does not have, or misses a required role.
    """
    from uxcx.errors import StudyError
    from uxcx.io.exports import legacy_ids
    from uxcx.io.labels import check_labels, label_map
    from uxcx.study.coerce import coerce
    from uxcx.study.export_options import apply_options

    items = dict(items or {})
    raw, removed = apply_options(raw, source, config)
    table = raw.frame
    headers = list(table.columns)
    ids = legacy_ids(raw.questions) if raw.export == "qualtrics" and not raw.reshaped else {}
    mapping, notes, problems = _map_columns(headers, source, config, segments, ids, items)
    problems += [f"measures.items.{name}: {name!r} is the kit's role for {role(name).description}, "
                 "not a rated item; give the item another name"
                 for name in items if name in mapping.values() and role(name).kind in _NOT_ITEMS]
    if problems:
        raise StudyError(problems)
    roles_of = {h: _role_with_range(name, config, items) for h, name in mapping.items()}
    account = SourceLedger(source=source, file=str(raw.file),
                           notes=_file_notes(raw) + list(raw.notes) + notes)
    sheet_rows = np.asarray(raw.rows, dtype="int64")
    # a reshaped wide sheet repeats its rows: work by record, report by sheet row at the end
    rows = pd.Index(np.arange(len(table)) if raw.reshaped else sheet_rows, name="row")
    n_blank = len(raw.blank_rows)
    account.read = len(table) + n_blank + len(removed)
    if account.read == 0:
        account.notes.append("the file has a header but no data rows")
    repeated = _repeated_header(table)
    if repeated.any():
        table, rows = table[~repeated], rows[~repeated]
        bad_header = pd.DataFrame({
            "row": np.asarray(raw.rows, dtype="int64")[repeated], "column": None, "value": None,
            "reason": REPEATED_HEADER, "expected": "a data row",
            "hint": "the header row appears again here (files pasted together); it is left out"})
    decimal_comma = getattr(raw, "delimiter", None) not in (None, ",")

    personal, why, ignored = _personal(table, mapping, roles_of, source, config)
    # a key holding emails or names still links the sources: it is replaced by pseudonyms
    hidden_keys = [h for h in personal if roles_of[h].kind == "key"]
    withheld = [h for h in personal if h not in hidden_keys]
    unmapped = [h for h in why if h not in mapping]
    if withheld or unmapped:
        account.notes.append("personal data withheld from the analysis and reports: "
                             + "; ".join(f"{h!r}{why[h]}" for h in withheld + unmapped))
    account.notes += _left_out(ignored)
    if hidden_keys:
        account.notes.append("identifiers that are personal data replaced by pseudonyms (keyed "
                             "hash, the same id always the same pseudonym): "
                             + ", ".join(f"{h!r}{why[h]}" for h in hidden_keys))
    keep = {h: name for h, name in mapping.items() if h not in withheld}
    account.notes += check_labels(table, keep, config, source, str(raw.file), sheet_rows)
    account.keys = [h for h, name in keep.items() if role(name).kind == "key"]

    columns, roles, bad_parts, repairs = {}, {}, [], {}
    for header, name in keep.items():
        r = roles_of[header]
        cell = table[header].set_axis(rows)
        got = coerce(cell, r, label_map(config, name), decimal_comma=decimal_comma)
        if header in hidden_keys:
            got.values = pseudonymise(got.values, pseudonym_key(pseudonym_secret))
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
    blanked = pd.DataFrame(columns=PROBLEM_COLUMNS)
    try:
        check.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"])
        if config.out_of_range == "blank":  # the cell goes, the row stays
            cell = cases["check"].astype(str).isin([OUT_OF_RANGE, NOT_WHOLE]).to_numpy()
            blanked = _blanked(cases[cell], table.set_axis(rows), keep, roles, source)
            cases = cases[~cell]
        if len(cases):
            bad_parts.append(_check_problems(cases, frame, table.set_axis(rows), keep, roles,
                                             source))
    blank = pd.DataFrame({"row": raw.blank_rows, "column": None, "value": None,
                          "reason": "blank row", "expected": "", "hint": ""})
    if repeated.any():
        bad_parts.append(bad_header)
    if raw.reshaped:  # blank sheet rows get records after the table's
        blank["row"] = np.arange(len(sheet_rows), len(sheet_rows) + len(blank))
    parts = [p for p in (blank, removed, *bad_parts) if len(p)]
    dropped = pd.concat(parts, ignore_index=True) if parts else blank
    dropped["row"] = dropped["row"].astype("int64")
    if len(blanked):
        # a row dropped for another reason is not repaired: its cell's problem joins the row's
        gone = blanked["row"].isin(dropped["row"]).to_numpy()
        if gone.any():
            dropped = pd.concat([dropped, blanked[gone]], ignore_index=True)
        blanked = blanked[~gone].reset_index(drop=True)
        for name, at in blanked.groupby("role", sort=False).groups.items():
            frame.loc[blanked.loc[at, "row"].to_numpy(), name] = np.nan
            for reason, part in blanked.loc[at].groupby("reason", sort=False):
                repairs[f"{part['column'].iloc[0]}: {reason}: blanked"] = pd.Series(
                    frame.index.isin(part["row"]), index=frame.index)
        blanked = blanked.assign(reason=blanked["reason"] + ": blanked").drop(columns="role")
    dropped = dropped.drop(columns="role", errors="ignore")
    dropped = dropped.sort_values("row", kind="stable").reset_index(drop=True)
    clean = frame.loc[~frame.index.isin(dropped["row"])]
    # repairs are counted by record (a reshaped sheet's task row), as drops are
    fixed = pd.Series(False, index=clean.index)
    for what, mask in repairs.items():
        mask = mask.reindex(clean.index, fill_value=False).astype(bool)
        if mask.any():
            account.repairs[what] = int(mask.sum())
            fixed |= mask
    account.repaired_rows = int(fixed.sum())
    if raw.reshaped:
        dropped = _sheet_rows(dropped, frame, sheet_rows, raw)
        blanked = _sheet_rows(blanked, frame, sheet_rows, raw)
        clean = clean.set_axis(pd.Index(sheet_rows[clean.index.to_numpy()], name="row"))
    account.dropped = dropped
    account.repaired_cells = blanked.sort_values("row", kind="stable").reset_index(drop=True)
    account.kept = len(clean)
    account.check()
    return clean, account


def _sheet_rows(problems: pd.DataFrame, frame, sheet_rows, raw) -> pd.DataFrame:
    """Problems of a reshaped wide sheet by the sheet's row and header (``T2 time``)."""
    from uxcx.io.wide import sheet_columns

    record = problems["row"].to_numpy(dtype="int64")
    tasks = frame["task"].reindex(record) if "task" in frame else pd.Series([None] * len(record))
    return problems.assign(
        record=record, row=np.concatenate([sheet_rows, raw.blank_rows]).astype("int64")[record],
        column=sheet_columns(problems, tasks.to_numpy(), raw))


def _personal(table, mapping, roles_of, source, config):
    """The personal columns (mapped ones), why each counts (any column), and the unmapped rest.

    Returns ``(personal, why, ignored)``: the mapped headers to withhold or pseudonymise
    (the study's ``include_personal:`` honoured), ``{header: ": reason and reason"}`` for
    every personal column, mapped or not, and the unmapped headers that hold no personal data.
    """
    required = SOURCES[source].required
    # the 1/0 columns of a multi_select question are named 'question - option': the option
    # ("Email", "Phone") is no personal data, so their headers are not tested
    spread = tuple(_normal(m) + " - " for m in config.multi_select)
    choices = {h for h in table.columns if spread and _normal(h).startswith(spread)}
    scanned = [h for h in table.columns
               if h not in mapping or (roles_of[h].kind in _SCANNED_KINDS
                                       and (roles_of[h].kind == "key" or mapping[h] not in required))]
    found = personal_findings(table, columns=scanned) if scanned else {}
    reasons: dict[str, list[str]] = {}
    for h in table.columns:
        name = mapping.get(h)
        said = []
        if name is not None and role(name).personal:
            said.append(f"role {name!r} is personal data")
        if name is not None and name in config.personal:
            said.append(f"listed under sources.{source}.personal")
        if h in scanned and not said:  # personal by role or by the study: reason enough
            hit = None if h in choices else _PERSONAL_HEADER.search(str(h))
            if hit:
                said.append(f"header matches {hit.group(0).lower()!r}")
            if h in found:
                said.append(found[h].reason)
        if said and (name is None or name not in config.include_personal):
            kind = f" ({found[h].kind})" if h in found else ""
            reasons[h] = f"{kind}: " + ", ".join(said)
    personal = [h for h in mapping if h in reasons]
    ignored = [h for h in table.columns if h not in mapping and h not in reasons]
    return personal, reasons, ignored


def _blanked(cases: pd.DataFrame, table, keep, roles, source) -> pd.DataFrame:
    """Out-of-range and not-whole cells of pandera's failure cases, as cells to blank.

    One row per cell (the first failed check names it): row, column (the user's header),
    value (as in the file), reason, expected, hint, and ``role``.
    """
    if not len(cases):
        return pd.DataFrame(columns=[*PROBLEM_COLUMNS, "role"])
    header_of = {name: h for h, name in keep.items()}
    cases = cases.assign(index=cases["index"].astype("int64"), column=cases["column"].astype(str))
    cases = cases.drop_duplicates(["index", "column"]).sort_values(["index", "column"])
    parts = []
    for name, part in cases.groupby("column", sort=False):
        header = header_of[name]
        parts.append(pd.DataFrame({
            "row": part["index"].to_numpy(), "column": header,
            "value": table.loc[part["index"].to_numpy(), header].astype(object).to_numpy(),
            "reason": part["check"].astype(str).to_numpy(), "expected": roles[name].expected,
            "hint": f"correct the value, or declare the scale under sources.{source}.ranges.{name}; "
                    f"the rest of the row is kept (out_of_range: blank)",
            "role": name}))
    return pd.concat(parts, ignore_index=True)


def _file_notes(raw) -> list[str]:
    """How the file was read, where it differs from plain comma-separated UTF-8."""
    out = []
    spelled = {"utf-8-sig": "UTF-8 with a byte-order mark (removed)", "utf-16": "UTF-16"}
    if getattr(raw, "encoding", None) in spelled:
        out.append(f"read as {spelled[raw.encoding]} text")
    names = {";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
    if getattr(raw, "delimiter", None) in names:
        out.append(f"fields separated by {names[raw.delimiter]}")
    return out


def _repeated_header(table: pd.DataFrame) -> np.ndarray:
    """Rows whose every filled cell repeats its column's name (at least two cells, or the one)."""
    out = np.zeros(len(table), dtype=bool)
    # a typed column (numbers, dates) cannot hold its header's text
    texts = [at for at in range(table.shape[1])
             if pd.api.types.is_string_dtype(table.iloc[:, at].dtype) or table.iloc[:, at].dtype == object]
    if not len(table) or not texts:
        return out
    candidate = np.zeros(len(table), dtype=bool)
    for at in texts[:2]:  # a repeated header repeats one of its first two text columns
        candidate |= _is_header(table.iloc[:, at], table.columns[at])
    if not candidate.any():
        return out
    part = table[candidate]
    same = np.zeros(len(part), dtype=np.int64)
    filled = np.zeros(len(part), dtype=np.int64)
    for at in texts:
        text = part.iloc[:, at].astype(pd.StringDtype("pyarrow")).str.strip()
        filled += (text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool)
        same += _is_header(part.iloc[:, at], table.columns[at])
    need = min(2, table.shape[1])
    out[candidate] = (same >= need) & (same == filled)
    return out


def _is_header(column: pd.Series, header) -> np.ndarray:
    text = column.astype(pd.StringDtype("pyarrow")).str.strip().str.lower()  # vectorised (Arrow)
    return (text == _normal(header)).fillna(False).to_numpy(dtype=bool)


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
