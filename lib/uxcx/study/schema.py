"""The data dictionary as code: roles, their types and ranges, and checks.

Each column of a source is mapped by the study file onto a **role**
(``participant``, ``success``, ``nps``, ...). A role has a kind that says how
its values are read (a key, a yes/no value, a score on a scale, a duration,
...) and, for scores, the scale's range. :func:`role` looks a name up;
names that match no role are kept as categories (segments such as ``design``).

The checks that follow the reading (ranges, whole numbers, required keys,
duplicate keys) are a pandera schema built from the roles
(:func:`frame_schema`), validated lazily so every failing cell is reported.
Reading values (:mod:`uxcx.study.coerce`) and these checks are the loader's two steps;
:mod:`uxcx.study.validate` runs them on one source and keeps its ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Role", "SourceSpec", "SOURCES", "role", "score_range", "scale_bounds", "known_role",
           "frame_schema", "KINDS"]

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
    "tenure": Role("number", 0, None, description="time as a customer, in the study's time_unit "
                   "(instead of start and end dates)"),
    "churned": Role("binary", 0, 1, description="1 when the customer left, 0 while still a customer"),
    # task measures from an event log (uxcx.io.events), per attempt and per person x task
    "session": Role("key", description="session id of an event log"),
    "attempts": Role("count", 0, None, integer=True, description="attempts at the task"),
    "successes": Role("count", 0, None, integer=True, description="successful attempts"),
    "failed_attempts": Role("count", 0, None, integer=True,
                            description="attempts that ended without success"),
    "retries": Role("count", 0, None, integer=True, description="attempts after an unsuccessful one"),
    "first_attempt_success": Role("binary", 0, 1, description="1 when the first attempt succeeded"),
    "steps": Role("count", 0, None, integer=True,
                  description="events in the attempt, start and end included"),
    "first_start": Role("date", description="when the person first started the task"),
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


def score_range(name: str) -> tuple[float, float] | None:
    """The (low, high) of a rating-scale role, or None for a role that is no bounded scale.

    >>> score_range("csat"), score_range("time_s")
    ((1, 5), None)
    """
    r = role(name)
    return (r.low, r.high) if r.kind == "score" and None not in (r.low, r.high) else None

def scale_bounds(score: str, scale) -> tuple[int, int] | None:
    """The (low, high) of a rating scale: ``scale`` if given, else the role's range, else None."""
    if scale is None:
        found = score_range(score)
        return None if found is None else (int(found[0]), int(found[1]))
    try:
        low, high = (int(v) for v in scale)
        ok = low < high and tuple(scale) == (low, high)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        from uxcx.errors import UxcxError

        raise UxcxError(f"scale must be a pair of whole numbers (low, high) with low < high, such as "
                        f"(1, 5); got {scale!r}")
    return low, high


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


def frame_schema(source: str, roles: dict[str, Role]):
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
    import pandera.pandas as pa  # imported here: a notebook reading a loaded study never needs it

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
