"""Task sheets as researchers keep them: wide (one row per participant) and testing-platform exports.

:func:`wide_to_long` turns a sheet with one row per participant and columns per
task ("T1 success", "T1 time", "Task 2 - errors") into the usability source's
long form, one row per participant x task; every long row keeps the row number
of the sheet row it came from. :func:`platform_long` reads the generic
testing-platform format (one row per participant x task: participant, task,
outcome, duration, clicks, misclicks), the shape into which the exports of Maze,
Lyssna, Optimal Workshop and UserTesting are mapped (docs/importers.md).
Both run from :func:`uxcx.study.export_options.apply_options` when the study file says
``format: wide-tasks`` or ``format: testing-platform``.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from uxcx.errors import DataError, Problem

__all__ = ["wide_to_long", "platform_long", "MEASURES", "OUTCOMES", "PLATFORM_COLUMNS"]

_PATTERN = r"^(?P<task>(?:task|t)\s*\d+)\s*[\s_.:\-]\s*(?P<measure>.+)$"

# Measure words in wide headers -> the usability roles.
MEASURES = {
    "success": "success", "completed": "success", "complete": "success", "completion": "success",
    "outcome": "success", "time": "time_s", "time s": "time_s", "time (s)": "time_s",
    "time_s": "time_s", "seconds": "time_s", "duration": "time_s", "time on task": "time_s",
    "errors": "errors", "error": "errors", "clicks": "clicks", "seq": "seq", "ease": "seq",
    "abandoned": "abandoned", "gave up": "abandoned", "optimal clicks": "optimal_clicks",
}

# The generic testing-platform columns: role -> header spellings (compared ignoring case/spaces).
PLATFORM_COLUMNS = {
    "participant": ("participant", "participant id", "tester", "tester id", "session", "session id",
                    "respondent", "respondent id"),
    "task": ("task", "task id", "task name", "mission", "mission name"),
    "outcome": ("outcome", "result", "task result", "status", "task outcome"),
    "time_s": ("duration", "duration (s)", "duration_s", "time", "time (s)", "time_s", "time on task"),
    "clicks": ("clicks", "click count", "total clicks"),
    "errors": ("misclicks", "misclick count", "errors"),
}

# Outcome words -> (success, abandoned).
OUTCOMES = {
    "success": (1.0, 0.0), "succeeded": (1.0, 0.0), "completed": (1.0, 0.0), "complete": (1.0, 0.0),
    "pass": (1.0, 0.0), "passed": (1.0, 0.0), "direct success": (1.0, 0.0),
    "indirect success": (1.0, 0.0), "partial": (0.5, 0.0), "partial success": (0.5, 0.0),
    "fail": (0.0, 0.0), "failed": (0.0, 0.0), "failure": (0.0, 0.0), "direct fail": (0.0, 0.0),
    "indirect fail": (0.0, 0.0), "direct failure": (0.0, 0.0), "indirect failure": (0.0, 0.0),
    "give up": (0.0, 1.0), "gave up": (0.0, 1.0), "give-up": (0.0, 1.0), "abandoned": (0.0, 1.0),
    "skip": (0.0, 1.0), "skipped": (0.0, 1.0), "direct skip": (0.0, 1.0), "indirect skip": (0.0, 1.0),
    "bounce": (0.0, 1.0), "1": (1.0, 0.0), "0": (0.0, 0.0), "0.5": (0.5, 0.0),
}


def _key(text) -> str:
    return " ".join(str(text).lower().replace("_", " ").split())


def wide_to_long(raw, config):
    """A wide task sheet as the long usability table, rows still the sheet's.

    Parameters
    ----------
    raw : uxcx.io.tables.RawTable
        One row per participant; task columns named ``<task> <measure>``.
    config : uxcx.study.study_file.SourceConfig
        ``wide_pattern`` (a regular expression with groups ``task`` and
        ``measure``) replaces the default, which reads "T1 success", "t2_time",
        "Task 3 - errors".

    Returns
    -------
    uxcx.io.tables.RawTable
        One row per participant x task, in sheet order; ``task`` holds the
        task as written ("T1"), the measures are named by role where the word is
        known (time -> ``time_s``, see :data:`MEASURES`) and as written
        otherwise; the other columns repeat on every task row. ``rows`` repeats
        each sheet row once per task; ``reshaped`` is True and ``questions``
        maps ``"<task>|<measure>"`` to the sheet's header. Task rows whose every
        measure is blank (task not given) are left out, with a note.

    A header the pattern fits while its ``task`` (or ``measure``) group takes
    no part in the match (an optional group, ``(?P<task>T[0-9]+)?``) names no task:
    it stays a column of its own, with a note.

    Raises
    ------
    DataError
        No header matches the pattern.
    StudyError
        ``wide_pattern`` is no regular expression or lacks a ``task`` or
        ``measure`` group, or a measure would replace a column the sheet
        already has (header, pattern and fix named).

    Examples
    --------
    >>> from uxcx.io.tables import RawTable
    >>> from uxcx.study.study_file import SourceConfig
    >>> sheet = pd.DataFrame({"id": ["p1", "p2"], "T1 success": [1, 0], "T1 time": [30, 41],
    ...                       "T2 success": [1, None], "T2 time": [25, None]})
    >>> raw = RawTable(sheet, np.array([2, 3]), [], "tasks.csv", "csv", None, None)
    >>> long = wide_to_long(raw, SourceConfig(path="tasks.csv"))
    >>> long.frame[["id", "task", "success", "time_s"]].values.tolist()
    [['p1', 'T1', 1.0, 30.0], ['p1', 'T2', 1.0, 25.0], ['p2', 'T1', 0.0, 41.0]]
    >>> long.rows.tolist()
    [2, 2, 3]
    """
    pattern = _pattern(config)
    frame = raw.frame
    found = {c: pattern.match(" ".join(str(c).split())) for c in frame.columns}
    task_cols = {c: m for c, m in found.items() if m and _part(m, "task") and _part(m, "measure")}
    # a header the pattern fits with an empty or absent task or measure group names no task
    partial = [c for c, m in found.items() if m and c not in task_cols]
    if not task_cols:
        shown = (f"; the headers {[str(c) for c in partial[:5]]} fit wide_pattern "
                 f"{pattern.pattern!r} but with no task or no measure") if partial else ""
        raise DataError([Problem(
            raw.file, 1, None, None, "no header names a task and a measure",
            expected="headers such as 'T1 success', 'T1 time', 'Task 2 - errors'",
            hint="rename the task columns so, or give wide_pattern: a regular expression with "
                 "groups (?P<task>...) and (?P<measure>...), both matching in every task header"
                 + shown)])
    keep = [c for c in frame.columns if c not in task_cols]
    tasks = list(dict.fromkeys(_part(m, "task") for m in task_cols.values()))
    named = {c: MEASURES.get(_key(_part(m, "measure")), _part(m, "measure"))
             for c, m in task_cols.items()}
    _check_names(task_cols, named, keep, partial, pattern, raw)
    blocks, sources = [], {}
    for t_at, task in enumerate(tasks):
        measures = {}
        for c, m in task_cols.items():
            if _part(m, "task") == task:
                name = named[c]
                measures[name] = frame[c]
                sources[f"{task}|{name}"] = c
        block = frame[keep].copy()
        block.insert(min(1, len(keep)), "task", task)
        for name, values in measures.items():
            block[name] = values.to_numpy()
        filled = pd.DataFrame(measures).notna().any(axis=1).to_numpy()
        blocks.append(block.assign(_sheet=np.asarray(raw.rows), _task=t_at, _filled=filled))
    long = pd.concat(blocks, ignore_index=True).sort_values(["_sheet", "_task"], kind="stable")
    empty = int((~long["_filled"]).sum())
    long = long[long["_filled"]]
    rows = long["_sheet"].to_numpy(dtype=np.int64)
    long = long.drop(columns=["_sheet", "_task", "_filled"]).reset_index(drop=True)
    notes = raw.notes + [f"wide task sheet: {len(frame)} participant rows x {len(tasks)} tasks "
                         f"({', '.join(tasks)}) reshaped to {len(long)} participant x task rows"]
    if empty:
        notes.append(f"{empty} participant x task cell group(s) blank in every measure: task not "
                     "given, left out")
    if partial:
        notes.append("header(s) " + ", ".join(repr(str(c)) for c in partial) + " fit the task "
                     "pattern but name no task or no measure (a group of the pattern matched "
                     "nothing): kept as columns of their own, repeated on every task row")
    return replace(raw, frame=long, rows=rows, notes=notes, reshaped=True, questions=sources)


def _pattern(config) -> re.Pattern:
    """The study's ``wide_pattern`` compiled, or a StudyError saying what is wrong with it."""
    from uxcx.errors import StudyError

    if not config.wide_pattern:
        return re.compile(_PATTERN, re.IGNORECASE)
    where = f"wide_pattern {config.wide_pattern!r}"
    fix = ("write a regular expression with the named groups (?P<task>...) and (?P<measure>...), "
           r"e.g. '(?P<task>T\d+) (?P<measure>success|time)'")
    try:
        pattern = re.compile(config.wide_pattern, re.IGNORECASE)
    except re.error as err:
        raise StudyError(f"{where} is not a valid regular expression ({err}); {fix}") from None
    missing = [g for g in ("task", "measure") if g not in pattern.groupindex]
    if missing:
        raise StudyError(f"{where} has no group named {' or '.join(missing)}; {fix}")
    return pattern


def _part(match: re.Match, group: str) -> str:
    """A group's text with its spaces tidied; "" when the group took no part in the match."""
    text = match.group(group)
    return " ".join(text.split()) if text else ""


def _check_names(task_cols, named, keep, partial, pattern, raw) -> None:
    """A StudyError when a measure would land on a column the sheet already has."""
    from uxcx.errors import StudyError

    kept = {" ".join(str(c).split()).lower(): c for c in keep}
    clash = {c: kept[n.lower()] for c, n in named.items() if n.lower() in kept}
    if clash:
        header, other = next(iter(clash.items()))
        why = (" (it fits the pattern, but its task group matched nothing)"
               if other in partial else "")
        raise StudyError(
            f"{raw.file}: the task column {header!r} would become the measure "
            f"{named[header]!r}, but the sheet also has a column {other!r}{why}, read by "
            f"wide_pattern {pattern.pattern!r}. Fix: rename or remove the column {other!r}, or "
            "change wide_pattern so that the task group matches in every task header (make "
            "(?P<task>...) required) and no other header fits it")


def sheet_columns(dropped: pd.DataFrame, tasks: pd.Series, raw) -> pd.Series:
    """For problems of a reshaped sheet, the sheet's own header (``T2 time``) of each column."""
    return pd.Series([raw.questions.get(f"{t}|{c}", c) for t, c in zip(tasks, dropped["column"])],
                     index=dropped.index, dtype=object)


def platform_long(raw, config):
    """A testing-platform export in the generic format, with its columns as usability roles.

    Parameters
    ----------
    raw : uxcx.io.tables.RawTable
        One row per participant x task with the columns of
        :data:`PLATFORM_COLUMNS` (any case and spacing).
    config : uxcx.study.study_file.SourceConfig
        ``values: {success: {...}}`` adds outcome words to :data:`OUTCOMES`.

    Returns
    -------
    uxcx.io.tables.RawTable
        Columns renamed to ``participant``, ``task``, ``time_s``, ``clicks``,
        ``errors`` (misclicks); ``outcome`` kept as written and read into
        ``success`` (1, 0.5, 0) and ``abandoned`` (1 for give up / skip).

    Raises
    ------
    DataError
        No participant or task column, or outcome words that no map covers
        (every distinct one listed, with the map to add).

    Examples
    --------
    >>> from uxcx.io.tables import RawTable
    >>> from uxcx.study.study_file import SourceConfig
    >>> export = pd.DataFrame({"Participant ID": ["a", "a"], "Task": ["1", "2"],
    ...                        "Outcome": ["Direct success", "Give up"], "Duration": [12.5, 40]})
    >>> raw = RawTable(export, np.array([2, 3]), [], "maze.csv", "csv", None, None)
    >>> out = platform_long(raw, SourceConfig(path="maze.csv")).frame
    >>> out[["participant", "success", "abandoned", "time_s"]].values.tolist()
    [['a', 1.0, 0.0, 12.5], ['a', 0.0, 1.0, 40.0]]
    """
    frame = raw.frame
    keys = {_key(c): c for c in frame.columns}
    rename = {}
    for role_name, spellings in PLATFORM_COLUMNS.items():
        hit = next((keys[_key(s)] for s in spellings if _key(s) in keys), None)
        if hit is not None and hit not in rename:
            rename[hit] = role_name
    missing = [r for r in ("participant", "task") if r not in rename.values()]
    if missing:
        raise DataError([Problem(
            raw.file, 1, None, None, f"no {' or '.join(missing)} column in the testing-platform export",
            expected="columns participant, task, outcome, duration, clicks, misclicks (docs/importers.md)",
            hint=f"rename the columns, or map them under columns: with format: csv; headers found: "
                 f"{list(frame.columns)}")])
    out = frame.rename(columns=rename)
    if "outcome" in out:
        extra = {_key(k): (float(v), 0.0) for k, v in (config.value_map("success") or {}).items()
                 if v is not None}
        words = {**OUTCOMES, **extra}
        text = out["outcome"].astype("string").map(_key, na_action="ignore")
        unknown = text.notna() & ~text.isin(list(words)).fillna(False).astype(bool)
        if unknown.any():
            labels = list(dict.fromkeys(out.loc[unknown.to_numpy(), "outcome"].astype(str)))
            snippet = "\n".join(f'      "{w}": null  # 1 success, 0.5 partial, 0 failure' for w in labels)
            raise DataError([Problem(
                raw.file, int(np.asarray(raw.rows)[unknown.to_numpy()][0]), rename and next(
                    k for k, v in rename.items() if v == "outcome"), labels,
                "outcome words that no map covers", expected="success, partial, fail, give up, skip, ...",
                hint="add them to the study file, under the source:\n  values:\n    success:\n" + snippet)])
        out["success"] = text.map({k: v[0] for k, v in words.items()}).astype("float64")
        out["abandoned"] = text.map({k: v[1] for k, v in words.items()}).astype("float64")
    notes = raw.notes + ["testing-platform export: columns read as "
                         + ", ".join(f"{k!r} -> {v}" for k, v in rename.items())]
    return replace(raw, frame=out, notes=notes)
