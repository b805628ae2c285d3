"""One source through the data dictionary: map, read, check, drop, and account for every row.

:func:`validate` maps the study's column names onto roles, reads each column as
its role says (:mod:`uxcx.study.coerce`), checks the result with the pandera schema of
:mod:`uxcx.study.schema` (computed directly, as pandera reports it: :mod:`uxcx.study.frame_checks`),
drops invalid rows with their reasons and returns the clean
frame with its :class:`~uxcx.study.ledger.SourceLedger`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.io.unicode_text import arrow_strings
from uxcx.study.frame_checks import failure_cases
from uxcx.study.header_map import NOT_ITEMS, left_out, map_columns, repeated_header, role_with_range
from uxcx.study.ledger import PROBLEM_COLUMNS, SourceLedger
from uxcx.study.privacy import pseudonym_key, pseudonymise
from uxcx.study.schema import (
    DUPLICATE,
    MISSING_KEY,
    NOT_WHOLE,
    OUT_OF_RANGE,
    SOURCES,
    Role,
    role,
)
from uxcx.study.total_rows import drop_total_rows, label_columns
from uxcx.study.withhold import find_personal

__all__ = ["validate"]

REPEATED_HEADER = "repeated header row"


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
    from uxcx.study.dates import file_dayfirst
    from uxcx.study.export_options import apply_options
    from uxcx.study.numbers import file_decimal
    from uxcx.study.plausible import plausibility
    from uxcx.study.reading_options import reading_for

    items = dict(items or {})
    raw, removed = apply_options(raw, source, config)
    table = raw.frame
    headers = list(table.columns)
    ids = legacy_ids(raw.questions) if raw.export == "qualtrics" and not raw.reshaped else {}
    mapping, notes, problems = map_columns(headers, source, config, segments, ids, items)
    problems += [f"measures.items.{name}: {name!r} is the kit's role for {role(name).description}, "
                 "not a rated item; give the item another name"
                 for name in items if name in mapping.values() and role(name).kind in NOT_ITEMS]
    if problems:
        raise StudyError(problems)
    roles_of = {h: role_with_range(name, config, items) for h, name in mapping.items()}
    account = SourceLedger(source=source, file=str(raw.file),
                           notes=_file_notes(raw) + list(raw.notes) + notes)
    sheet_rows = np.asarray(raw.rows, dtype="int64")
    # a reshaped wide sheet repeats its rows: work by record, report by sheet row at the end
    rows = pd.Index(np.arange(len(table)) if raw.reshaped else sheet_rows, name="row")
    n_blank = len(raw.blank_rows)
    account.read = len(table) + n_blank + len(removed)
    if account.read == 0:
        account.notes.append("the file has a header but no data rows")
    in_arrow = _text_in_arrow(table)  # Python-string columns handed to Arrow once, for the checks
    shown = table
    repeated = repeated_header(table, in_arrow)
    if repeated.any():
        table, rows = table[~repeated], rows[~repeated]
        bad_header = pd.DataFrame({
            "row": np.asarray(raw.rows, dtype="int64")[repeated], "column": None, "value": None,
            "reason": REPEATED_HEADER, "expected": "a data row",
            "hint": "the header row appears again here (files pasted together); it is left out"})
    if not raw.reshaped:  # a "Total" row under the data is no customer: dropped, with its reason
        table, rows, removed = drop_total_rows(table, rows, removed, label_columns(mapping))
    if table is not shown:
        in_arrow = _text_in_arrow(table)
    decimal_comma = getattr(raw, "delimiter", None) not in (None, ",")

    personal, why, ignored = find_personal(table, mapping, roles_of, source, config)
    # a key holding emails or names still links the sources: it is replaced by pseudonyms
    hidden_keys = [h for h in personal if roles_of[h].kind == "key"]
    withheld = [h for h in personal if h not in hidden_keys]
    unmapped = [h for h in why if h not in mapping]
    if withheld or unmapped:
        account.notes.append("personal data withheld from the analysis and reports: "
                             + "; ".join(f"{h!r}{why[h]}" for h in withheld + unmapped))
    account.notes += left_out(ignored)
    if hidden_keys:
        account.notes.append("identifiers that are personal data replaced by pseudonyms (keyed "
                             "hash, the same id always the same pseudonym): "
                             + ", ".join(f"{h!r}{why[h]}" for h in hidden_keys))
    keep = {h: name for h, name in mapping.items() if h not in withheld}
    account.notes += check_labels(table, keep, config, source, str(raw.file), sheet_rows)
    account.keys = [h for h, name in keep.items() if role(name).kind == "key"]

    columns, roles, bad_parts, repairs = {}, {}, [], {}
    # one date order for the file: a start with 13/04 settles an end of 01/05
    dayfirst = file_dayfirst([table[h] for h, name in keep.items() if roles_of[h].kind == "date"])
    decimal = file_decimal([table[h] for h in keep if roles_of[h].kind in ("number", "money", "duration")])
    for header, name in keep.items():
        r = roles_of[header]
        cell = table[header].set_axis(rows)
        text = in_arrow[header].set_axis(rows) if header in in_arrow else cell  # the same values
        got = coerce(text, r, label_map(config, name), written=cell, reading=reading_for(
            config, name, source=source, decimal_comma_file=decimal_comma, file_dayfirst=dayfirst,
            file_decimal=decimal))
        account.notes += [f"{header!r}: {note}" for note in got.notes]
        if header in hidden_keys:
            got.values = pseudonymise(got.values, pseudonym_key(pseudonym_secret))
        columns[name], roles[name] = got.values, r
        if got.bad.any():
            bad_parts.append(_problems(got.bad, header, cell, got.reason, r, source, name, config))
        for what, mask in got.repairs.items():
            repairs[f"{header}: {what}"] = mask
    frame = pd.DataFrame(columns, index=rows, copy=False)  # the columns are coerce's own
    table = table.set_axis(rows)  # the file's values by row number, for the messages below
    hints, implausible = plausibility(frame, table, keep, roles, source, config,
                                      decimal_comma_file=decimal_comma)
    account.notes += hints
    bad_parts += implausible
    key = SOURCES[source].unique
    if len(key) == 1 and key[0] not in frame:
        frame.insert(0, key[0], ("row " + rows.astype(str)).astype("string"))
        roles[key[0]] = role(key[0])
        account.notes.append(f"no {key[0]} column: each row's number in the file is its id")

    blanked = pd.DataFrame(columns=PROBLEM_COLUMNS)
    cases = failure_cases(frame, source, roles)  # frame_schema's checks, as pandera reports them
    if len(cases):
        cases = cases.dropna(subset=["index"])
        if config.out_of_range == "blank":  # the cell goes, the row stays
            cell = cases["check"].astype(str).isin([OUT_OF_RANGE, NOT_WHOLE]).to_numpy()
            blanked = _blanked(cases[cell], table, keep, roles, source)
            cases = cases[~cell]
        if len(cases):
            bad_parts.append(_check_problems(cases, frame, table, keep, roles,
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
    gone = frame.index.isin(dropped["row"])
    clean = frame.loc[~gone] if gone.any() else frame  # no copy of a million rows to drop none
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


def _text_in_arrow(table: pd.DataFrame) -> dict:
    """The table's Python-string columns (pandas ``"string"``) as Arrow-backed text, by header."""
    if not table.columns.is_unique:
        return {}
    return {h: arrow_strings(table[h]) for h in table.columns if table[h].dtype == pd.StringDtype("python")}


def _sheet_rows(problems: pd.DataFrame, frame, sheet_rows, raw) -> pd.DataFrame:
    """Problems of a reshaped wide sheet by the sheet's row and header (``T2 time``)."""
    from uxcx.io.wide import sheet_columns

    record = problems["row"].to_numpy(dtype="int64")
    tasks = frame["task"].reindex(record) if "task" in frame else pd.Series([None] * len(record))
    return problems.assign(
        record=record, row=np.concatenate([sheet_rows, raw.blank_rows]).astype("int64")[record],
        column=sheet_columns(problems, tasks.to_numpy(), raw))




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


_OTHER_CONVENTION = {"number in another notation than the column's": "decimal:",
                     "date in another order than the column's": "dayfirst: or date_format:"}


def _problems(bad, header, cell, reason, r: Role, source, name, config) -> pd.DataFrame:
    values = cell[bad]
    if reason == "label not in the value map":
        labels = sorted({str(v).strip() for v in values.dropna()})
        shown = ", ".join(repr(x) for x in labels[:15]) + (" ..." if len(labels) > 15 else "")
        hint = f"add them under sources.{source}.values.{name}; labels found: {shown}"
    elif reason in _OTHER_CONVENTION:  # the column's convention is in the ledger's notes
        hint = (f"write it as the rest of the column is written, or state "
                f"{_OTHER_CONVENTION[reason]} under sources.{source} (see the notes)")
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
