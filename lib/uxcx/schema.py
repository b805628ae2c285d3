"""The data dictionary as code: roles, their types and ranges, and checks.

Each column of a source is mapped by the study file onto a **role**
(``participant``, ``success``, ``nps``, ...). A role has a kind that says how
its values are read (a key, a yes/no value, a score on a scale, a duration,
...) and, for scores, the scale's range. :func:`role` looks a name up;
names that match no role are kept as categories (segments such as ``design``).

The checks that follow the reading (ranges, whole numbers, required keys,
duplicate keys) are a pandera schema built from the roles
(:func:`frame_schema`), validated lazily so every failing cell is reported.
Reading values (:mod:`uxcx.coerce`) and these checks are the loader's two steps.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .ledger import SourceLedger

__all__ = ["Role", "SourceSpec", "SOURCES", "role", "known_role", "frame_schema", "validate", "KINDS"]

KINDS = ("key", "category", "text", "binary", "score", "count", "duration", "date", "money", "number")


@dataclass(frozen=True)
class Role:
    """How a role's values are read and checked.

    ``low``/``high`` bound the values (inclusive); ``integer`` asks for whole
    numbers; ``positive`` excludes ``low`` itself (times must be > 0).
    """

    kind: str
    low: float | None = None
    high: float | None = None
    integer: bool = False
    positive: bool = False
    personal: bool = False
    description: str = ""

    @property
    def expected(self) -> str:
        if self.kind == "binary":
            return "1/0, yes/no or true/false"
        if self.low is None and self.high is None:
            return {"count": "a whole number >= 0", "duration": "a time > 0"}.get(self.kind, self.kind)
        whole = "a whole number" if self.integer else "a number"
        if self.high is None:
            return f"{whole} {'>' if self.positive else '>='} {self.low:g}"
        return f"{whole} from {self.low:g} to {self.high:g}"


def _scale(low: int, high: int, description: str) -> Role:
    return Role("score", low, high, integer=True, description=description)


ROLES: dict[str, Role] = {
    # keys
    "participant": Role("key", description="usability-test participant id"),
    "respondent": Role("key", description="survey respondent id"),
    "customer": Role("key", description="customer id (links the sources)"),
    "task": Role("category", description="task name or id"),
    # usability
    "success": Role("binary", 0, 1, description="task success: 1, 0, or 0.5 for partial success"),
    "time_s": Role("duration", 0, None, positive=True, description="time on task in seconds"),
    "errors": Role("count", 0, None, integer=True, description="errors in the attempt"),
    "clicks": Role("count", 0, None, integer=True, description="clicks or taps in the attempt"),
    "optimal_clicks": Role("count", 1, None, integer=True, description="clicks on the optimal path"),
    "abandoned": Role("binary", 0, 1, description="1 when the participant gave up"),
    "pages_unique": Role("count", 0, None, integer=True, description="distinct pages visited"),
    "pages_total": Role("count", 0, None, integer=True, description="pages visited, repeats included"),
    "pages_min": Role("count", 1, None, integer=True, description="pages on the shortest path"),
    "seq": _scale(1, 7, "Single Ease Question, 1 (very difficult) to 7 (very easy)"),
    "reported_success": Role("binary", 0, 1, description="self-reported task success"),
    # survey
    "nps": _scale(0, 10, "likelihood to recommend, 0 to 10"),
    "csat": _scale(1, 5, "customer satisfaction, 1 to 5"),
    "ces": _scale(1, 7, "customer effort score, 1 to 7 (7 = very easy)"),
    "date": Role("date", description="date of the response"),
    # customers
    "start": Role("date", description="date the customer started"),
    "end": Role("date", description="date the customer left (empty while still a customer)"),
    "revenue": Role("money", 0, None, description="revenue per period"),
    # personal data and free text: never in a report unless the study opts in
    "email": Role("text", personal=True, description="email address"),
    "name": Role("text", personal=True, description="person's name"),
    "phone": Role("text", personal=True, description="phone number"),
    "ip_address": Role("text", personal=True, description="IP address"),
    "comment": Role("text", personal=True, description="free-text answer"),
}

# Families of roles, by name pattern.
PATTERNS: list[tuple[re.Pattern, Role]] = [
    (re.compile(r"sus_([1-9]|10)"), _scale(1, 5, "SUS item, 1 (strongly disagree) to 5")),
    (re.compile(r"umux_lite_[12]"), _scale(1, 7, "UMUX-Lite item, 1 to 7")),
    (re.compile(r"ease_\w+"), _scale(1, 7, "ease rating, 1 (very difficult) to 7 (very easy)")),
    (re.compile(r"loyalty_\w+"), _scale(1, 5, "loyalty intention item, 1 to 5")),
    (re.compile(r"item_\w+"), Role("number", description="any rated item (declare its range)")),
    (re.compile(r"comment_\w+"), Role("text", personal=True, description="free-text answer")),
]

_SEGMENT = Role("category", description="segment or other category")


def role(name: str) -> Role:
    """The role called ``name``; a name that matches none is a category.

    >>> role("nps").expected
    'a whole number from 0 to 10'
    >>> role("sus_3").high
    5
    >>> role("design").kind
    'category'
    """
    if name in ROLES:
        return ROLES[name]
    for pattern, found in PATTERNS:
        if pattern.fullmatch(name):
            return found
    return _SEGMENT


def known_role(name: str) -> bool:
    """Whether ``name`` is one of the kit's roles (not a free segment name)."""
    return name in ROLES or any(p.fullmatch(name) for p, _ in PATTERNS)


def role_names() -> list[str]:
    """Every fixed role name, for did-you-mean hints."""
    return [*ROLES, "sus_1", "umux_lite_1", "ease_<task>", "loyalty_<item>", "item_<name>"]


@dataclass(frozen=True)
class SourceSpec:
    """What a source must have: required roles and the key that must be unique."""

    required: tuple[str, ...]
    unique: tuple[str, ...]
    description: str


SOURCES: dict[str, SourceSpec] = {
    "usability": SourceSpec(("participant", "task"), ("participant", "task"),
                            "one row per participant x task"),
    "questionnaire": SourceSpec(("participant",), ("participant",), "one row per participant"),
    "survey": SourceSpec(("respondent",), ("respondent",), "one row per respondent"),
    "customers": SourceSpec(("customer",), ("customer",), "one row per customer"),
}

# Names of the checks, as they appear in ledger reasons.
OUT_OF_RANGE, NOT_WHOLE, MISSING_KEY, DUPLICATE = (
    "out of range", "not a whole number", "missing key", "duplicate key")


def frame_schema(source: str, roles: dict[str, Role]) -> pa.DataFrameSchema:
    """The pandera schema that checks a source after its values are read.

    Parameters
    ----------
    source : str
        One of :data:`SOURCES`.
    roles : dict of str to Role
        The roles present in the frame (after the study's range overrides).

    Returns
    -------
    pandera.DataFrameSchema
        Ranges and whole numbers per numeric role, non-missing required keys,
        and uniqueness of the source's key (the first occurrence is kept).
    """
    spec = SOURCES[source]
    columns = {}
    for name, r in roles.items():
        checks = []
        if r.low is not None or r.high is not None:
            lo = -float("inf") if r.low is None else r.low
            hi = float("inf") if r.high is None else r.high
            checks.append(pa.Check.in_range(lo, hi, include_min=not r.positive, error=OUT_OF_RANGE))
        if r.integer:
            checks.append(pa.Check(lambda s: s % 1 == 0, error=NOT_WHOLE))
        required = name in spec.required
        if checks or required:
            columns[name] = pa.Column(checks=checks, nullable=not required, required=False)
    unique = [k for k in spec.unique if k in roles]
    return pa.DataFrameSchema(
        columns,
        unique=unique if len(unique) == len(spec.unique) else None,
        report_duplicates="exclude_first",
    )


# --- validation: a raw table in, a clean frame and its ledger out -----------------------------

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
