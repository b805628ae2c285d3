"""What a study can answer: its measures, outcomes, segments and labels, read from the study.

A notebook serves any study whose file validates, so nothing here names the sample
study. Each notebook declares what it needs (``metadata.uxcx.needs`` in the notebook,
read by the report runner); :func:`unmet` says in words why a study cannot feed it,
or ``None``. Inside a notebook the functions below turn the study into the parameters
of each section: the UX measures and CX outcomes to link (:func:`ux_measures`,
:func:`cx_outcomes`), the segments to break results down by (:func:`segments`), the
design factor of a usability test (:func:`design`), the items of an index, the
key-driver and mediation set-up, and how every measure is named for readers
(:func:`labels`). The study file's ``measures:`` section overrides each default.

Only names are decided here; the scores themselves are computed by ``uxcx.ux``,
``uxcx.cx`` and ``uxcx.link``.
"""

from __future__ import annotations

import re

import pandas as pd

from uxcx.study.schema import role, score_range

__all__ = ["NEEDS", "unmet", "missing", "rating_scales", "ranges", "crossed_tasks", "tested_ux_measures",
           "design_comparison_missing", "UMUX_ITEMS", "TEST_MEASURES", "describe_sources",
           "segments", "design", "ux_measures", "cx_outcomes",
           "index_items", "drivers", "mediation_path", "labels", "currency", "UX_ROLES", "CX_ROLES"]

# Per-person UX measures, in the order a reader expects them; the kit computes the
# derived ones (sus, umux_lite, ease, success_rate, ...) from the items.
UX_ROLES = ("sus", "umux_lite", "ease", "seq_mean", "seq", "reported_success", "success_rate",
            "time_s", "errors_per_task", "clicks_per_task")
CX_ROLES = ("nps", "csat", "ces", "loyalty")
_SUS = [f"sus_{i}" for i in range(1, 11)]
_UMUX = ["umux_lite_1", "umux_lite_2"]
UMUX_ITEMS = tuple(_UMUX)
# Per-participant measures of a usability test, as uxcx.link.participant_measures names them.
TEST_MEASURES = ("sus", "umux_lite", "success_rate", "time_s", "seq_mean")

_NAMES = {
    "sus": "SUS (0-100)", "umux_lite": "UMUX-Lite (0-100)", "ux_index": "UX index", "ease": "Ease (mean)",
    "seq": "SEQ", "seq_mean": "SEQ (mean)", "reported_success": "Completed goal (self-reported)",
    "success_rate": "Task success", "time_s": "Task time", "errors_per_task": "Errors per task",
    "clicks_per_task": "Clicks per task", "nps": "Likelihood to recommend", "promoter": "Being a promoter",
    "csat": "Satisfaction (CSAT)", "ces": "Effort (CES)", "loyalty": "Loyalty index",
}


def _columns(study, source: str) -> set[str]:
    frame = study.frames.get(source)
    return set() if frame is None or not len(frame) else set(frame.columns)


def _items(study, side: str) -> list[str]:
    return [name for name, item in study.config.measures.items.items() if item.side == side]


def _has_usability_scores(study) -> bool:
    return any(set(_SUS) <= _columns(study, s) or set(_UMUX) <= _columns(study, s)
               for s in ("questionnaire", "survey"))


def _survey_ux(study) -> bool:
    cols = _columns(study, "survey")
    return bool(set(_SUS) <= cols or set(_UMUX) <= cols or any(c.startswith("ease_") for c in cols)
                or {"seq", "reported_success"} & cols or set(_items(study, "ux")) & cols)


def _survey_cx(study) -> bool:
    cols = _columns(study, "survey")
    return bool(set(CX_ROLES) & cols or any(c.startswith("loyalty_") for c in cols)
                or set(_items(study, "cx")) & cols)


def _linked(study, a: str, b: str) -> bool:
    """Whether a link of the study joins source a to source b (directly, either way)."""
    return any({left.split(".")[0], right.split(".")[0]} == {a, b} for left, right in study.config.links)


def _tested_cx(study) -> bool:
    # behaviour of test participants (else of the event log's people) joined to their survey answers
    # through a customer key
    tested = _columns(study, "usability") or _columns(study, "behaviour")
    return bool(tested and _survey_cx(study) and "customer" in tested
                and "customer" in _columns(study, "survey"))


def _retention(study) -> bool:
    cols = _columns(study, "customers")
    return "start" in cols or "tenure" in cols


# need -> (test, what it means in words)
NEEDS = {
    "any": (lambda study: True, "a study"),
    "tasks": (lambda study: "task" in _columns(study, "usability"), "task rows from a usability source"),
    "usability_scores": (_has_usability_scores, "SUS or UMUX-Lite items in a questionnaire or survey source"),
    "cx": (_survey_cx, "a CX outcome in a survey source (nps, csat, ces, loyalty items or a cx item of "
                       "measures.items)"),
    "ux_and_cx": (lambda study: (_survey_ux(study) and _survey_cx(study)) or _tested_cx(study),
                  "UX measures and CX outcomes of the same people (a survey with both, or a usability "
                  "test linked to a survey by customer)"),
    "retention": (_retention, "a customers source with start dates (and end dates) or tenure and churned"),
    "behaviour": (lambda study: bool(_columns(study, "behaviour")), "an event log whose tasks were attempted "
                  "(the study file's events: block)"),
}


def describe_sources(study) -> str:
    """The study's sources in a few words, e.g. ``"a survey source (nps, csat, sus_1-sus_10)"``."""
    parts = []
    for name, frame in study.frames.items():
        cols = [c for c in frame.columns if role(c).kind not in ("key", "text")]
        shown = _compress(cols)
        rows = f"{len(frame):,} row{'s' if len(frame) != 1 else ''}"
        parts.append(f"{name} ({rows}{': ' + shown if shown else ''})")
    return "this study has " + (", ".join(parts) if parts else "no source with rows")


def _compress(cols: list[str], limit: int = 8) -> str:
    """sus_1..sus_10 as one name; at most ``limit`` names."""
    out, seen = [], set()
    for c in cols:
        m = re.fullmatch(r"([a-z_]+?)_?(\d+)", c)
        family = m.group(1) if m else None
        if family and family in seen:
            continue
        members = [x for x in cols if m and re.fullmatch(rf"{re.escape(family)}_?\d+", x)]
        if family and len(members) > 2:
            seen.add(family)
            out.append(f"{members[0]}-{members[-1]}")
        else:
            out.append(c)
    return ", ".join(out[:limit]) + (f" and {len(out) - limit} more" if len(out) > limit else "")


def unmet(study, needs) -> str | None:
    """Why the study cannot feed a notebook that needs any one of ``needs``, or None.

    >>> from types import SimpleNamespace
    >>> from uxcx.study.study_file import StudyFile
    >>> config = StudyFile.model_validate({"name": "s", "sources": {"survey": {"path": "x.csv"}}})
    >>> answers = pd.DataFrame({"respondent": ["a"], "nps": [9]})
    >>> study = SimpleNamespace(config=config, frames={"survey": answers})
    >>> print(unmet(study, ["tasks", "usability_scores"]))  # doctest: +NORMALIZE_WHITESPACE
    needs task rows from a usability source, or SUS or UMUX-Lite items in a questionnaire or
    survey source; this study has survey (1 row: nps)
    >>> unmet(study, ["cx"]) is None
    True
    """
    needs = [needs] if isinstance(needs, str) else list(needs)
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        from uxcx.errors import UxcxError

        raise UxcxError(f"unknown need(s) {unknown} in a notebook's metadata; known: {', '.join(NEEDS)}")
    if any(NEEDS[n][0](study) for n in needs):
        return None
    return "needs " + ", or ".join(NEEDS[n][1] for n in needs) + "; " + describe_sources(study)


def missing(frame: pd.DataFrame | None, columns, source: str) -> str:
    """Why a section that needs ``columns`` of ``source`` cannot run ("" when it can).

    >>> missing(None, ["task"], "usability")
    'this study has no usability rows'
    >>> missing(pd.DataFrame({"task": ["a"], "success": [None]}), ["task", "success", "time_s"], "usability")
    'the usability source has no success or time_s values'
    """
    if frame is None or not len(frame):
        return f"this study has no {source} rows"
    absent = [c for c in columns if c not in frame.columns or not frame[c].notna().any()]
    return f"the {source} source has no {' or '.join(absent)} values" if absent else ""


def tested_ux_measures(people: pd.DataFrame | None, *, minimum: int = 10) -> list[str]:
    """The usability-test measures of ``people`` (one row per participant) with ``minimum`` answers."""
    if people is None:
        return []
    return [c for c in TEST_MEASURES if c in people and people[c].notna().sum() >= minimum]


def design_comparison_missing(usability: pd.DataFrame | None, design: str | None) -> str:
    """Why designs cannot be compared task by task ("" when they can)."""
    missing_rows = missing(usability, ["task", "success"], "usability")
    if missing_rows:
        return missing_rows
    if not design:
        return ("the study names no design factor with two or more designs "
                "(set measures.design, or list it under analysis.segments)")
    return "" if crossed_tasks(usability, design) else f"no task was attempted under every {design}"


def rating_scales(study, frame: pd.DataFrame) -> dict[tuple[float, float], list[str]]:
    """The rated items of ``frame`` grouped by answer scale, NPS apart: ``{(1, 5): ["csat", ...]}``.

    Built-in roles with a scale (csat, ces, loyalty_*, ease_*, sus_*, ...) and the study's own
    ``measures.items``, by their declared range.
    """
    declared = {name: tuple(item.range) for name, item in study.config.measures.items.items()}
    out: dict[tuple[float, float], list[str]] = {}
    for column in frame.columns:
        scale = declared.get(column) or score_range(column)
        if scale is None or column == "nps" or not frame[column].notna().any():
            continue
        out.setdefault(_whole(scale), []).append(column)
    return out


def _whole(scale) -> tuple:
    """(1.0, 5.0) -> (1, 5): answer scales count in whole steps."""
    return tuple(int(x) if float(x).is_integer() else float(x) for x in scale)


def ranges(study, names) -> dict[str, tuple]:
    """The answer range of each of ``names`` that has one: declared items, built-in scales, 0-100 scores."""
    declared = {name: tuple(item.range) for name, item in study.config.measures.items.items()}
    out = {}
    for name in names:
        scale = declared.get(name) or score_range(name) or ((0, 100) if name in ("sus", "umux_lite")
                                                             else None)
        if scale is not None:
            out[name] = _whole(scale)
    return out


def crossed_tasks(usability: pd.DataFrame, design: str) -> list:
    """The tasks attempted under every level of ``design`` (only those can be compared between designs)."""
    levels = usability[design].nunique()
    per_task = usability.dropna(subset=[design]).groupby("task", observed=True)[design].nunique()
    return per_task[per_task == levels].index.tolist()


def segments(study, frame: pd.DataFrame, *, min_levels: int = 2, exclude=()) -> list[str]:
    """The study's ``analysis.segments`` that ``frame`` holds with at least ``min_levels`` values."""
    return [s for s in study.analysis.segments
            if s in frame.columns and s not in exclude and frame[s].nunique() >= min_levels]


def design(study, usability: pd.DataFrame | None) -> str | None:
    """The between-subjects factor whose levels a usability test compares, or None.

    ``measures.design`` when the study says; else the first of ``analysis.segments`` that
    the task rows hold with 2+ values, constant within each participant.
    """
    if usability is None or not len(usability):
        return None
    chosen = study.config.measures.design
    candidates = [chosen] if chosen else study.analysis.segments
    for name in candidates:
        if name in usability.columns and usability[name].nunique() >= 2:
            if "participant" not in usability or usability.groupby("participant", observed=True)[name] \
                    .nunique().le(1).all():
                return name
    return None


def _usable(frame: pd.DataFrame, name: str, minimum: int) -> bool:
    """A numeric column with ``minimum`` answers and two distinct values (text cannot be correlated)."""
    return (name in frame.columns and pd.api.types.is_numeric_dtype(frame[name])
            and frame[name].notna().sum() >= minimum and frame[name].nunique() >= 2)


def ux_measures(study, frame: pd.DataFrame, *, minimum: int = 3) -> list[str]:
    """Per-person UX measures of ``frame`` to link: ``measures.ux``, else every UX measure present.

    Default order: SUS, UMUX-Lite, the UX index, ease, SEQ, self-reported success, task
    measures, then the study's own ``ux`` items. A measure needs ``minimum`` answers
    and two distinct values to be correlated at all.
    """
    chosen = study.config.measures.ux
    names = chosen if chosen is not None else [*UX_ROLES, *_items(study, "ux")]
    return [n for n in dict.fromkeys(names) if _usable(frame, n, minimum)]


def cx_outcomes(study, frame: pd.DataFrame, *, minimum: int = 3) -> list[str]:
    """Per-person CX outcomes of ``frame``: ``measures.cx``, else NPS, CSAT, CES, loyalty, cx items."""
    chosen = study.config.measures.cx
    names = chosen if chosen is not None else [*CX_ROLES, *_items(study, "cx")]
    return [n for n in dict.fromkeys(names) if _usable(frame, n, minimum)]


def index_items(study, frame: pd.DataFrame, which: str) -> list[str]:
    """The items of the ``"ux_index"`` or ``"loyalty_index"`` present in ``frame``.

    ``measures.<which>`` when the study names them; else for the UX index every
    UMUX-Lite, SUS, ``ease_*`` and declared ``ux`` item, for loyalty every ``loyalty_*`` item.
    """
    chosen = getattr(study.config.measures, which)
    if chosen is not None:
        return [c for c in chosen if c in frame.columns]
    if which == "loyalty_index":
        return [c for c in frame.columns if str(c).startswith("loyalty_")]
    ux_items = set(_items(study, "ux"))
    return [c for c in frame.columns if str(c).startswith(("umux_lite_", "sus_", "ease_")) or c in ux_items]


def drivers(study, frame: pd.DataFrame, *, minimum: int = 10) -> tuple[str, list[str]] | None:
    """(outcome, candidates) for key drivers, or None when fewer than two candidates are usable.

    ``measures.drivers`` when given; else the first CX outcome explained by the separate
    rated UX items (``ease_*``, declared ux items), or by the UX measures when there are
    no separate items.
    """
    spec = study.config.measures.drivers
    if spec is not None:
        outcome, candidates = spec.outcome, spec.candidates
    else:
        outcomes = cx_outcomes(study, frame, minimum=minimum)
        if not outcomes:
            return None
        outcome = outcomes[0]
        items = [c for c in frame.columns if str(c).startswith("ease_") or c in _items(study, "ux")]
        candidates = items if len(items) >= 2 else ux_measures(study, frame, minimum=minimum)
    usable = [c for c in candidates if c != outcome and _usable(frame, c, minimum)]
    if len(usable) < 2 or not _usable(frame, outcome, minimum):
        return None
    return outcome, usable


def mediation_path(study, frame: pd.DataFrame, *, minimum: int = 20) -> tuple[str, str, str] | None:
    """(x, mediator, outcome): ``measures.mediation``, else the first UX measure through CSAT
    to the first other CX outcome (loyalty before NPS); None when the study has no such chain."""
    spec = study.config.measures.mediation
    if spec is not None:
        path = (spec.x, spec.mediator, spec.outcome)
    else:
        ux = ux_measures(study, frame, minimum=minimum)
        cx = cx_outcomes(study, frame, minimum=minimum)
        if not ux or "csat" not in cx:
            return None
        later = [c for c in ("loyalty", "nps", *cx) if c in cx and c != "csat"]
        if not later:
            return None
        path = (ux[0], "csat", later[0])
    return path if all(_usable(frame, c, minimum) for c in path) else None


def labels(study, names=None) -> dict[str, str]:
    """How each measure is named for readers: the study's ``measures.labels`` and item labels
    first, then the kit's names, then names made from the role (``ease_search`` -> "Ease: search")."""
    out = dict(_NAMES)
    for name, item in study.config.measures.items.items():
        if item.label:
            out[name] = item.label
    out.update(study.config.measures.labels)
    for name in (() if names is None else names):
        if name not in out:
            out[name] = _from_role(name)
    return out


def _from_role(name: str) -> str:
    """A reader's name made from a role: ``ease_search`` -> "Ease: search", ``sus_3`` -> "SUS item 3".

    >>> _from_role("ease_search"), _from_role("umux_lite_1"), _from_role("item_tabs")
    ('Ease: search', 'UMUX-Lite item 1', 'Item: tabs')
    """
    for prefix, word in (("ease_", "Ease"), ("loyalty_", "Loyalty"), ("item_", "Item")):
        if name.startswith(prefix):
            return f"{word}: {name[len(prefix):].replace('_', ' ')}"
    item = re.fullmatch(r"(sus|umux_lite)_(\d+)", name)
    if item:
        return f"{'SUS' if item[1] == 'sus' else 'UMUX-Lite'} item {item[2]}"
    return name.replace("_", " ")


def currency(study) -> str:
    """The currency of revenue as the study states it, or "" (amounts then carry no unit)."""
    return study.config.measures.currency or ""
