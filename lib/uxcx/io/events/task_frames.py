"""Running the task queries on an engine, and typing what comes back: attempts and people as pandas frames.

:func:`measure_tasks` keeps the attempts in the engine once (:data:`~uxcx.io.events.tasks.ATTEMPT_TABLE`),
summarises them per person there, and fetches both; :func:`attempts_frame` and :func:`people_frame`
give the queries' results their names and types. The rules and their SQL are in
:mod:`uxcx.io.events.tasks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from uxcx.io.events.engines import ARROW_TEXT
from uxcx.io.events.tasks import ATTEMPT_TABLE, KEEP, TaskRules, attempts_sql, check_tasks, people_sql

__all__ = ["measure_tasks", "TaskMeasures", "attempts_frame", "people_frame"]


class _Engine(Protocol):
    dialect: str

    def sql(self, query: str, *, arrow_text: bool = False) -> pd.DataFrame: ...

    def execute(self, query: str) -> None: ...


@dataclass
class TaskMeasures:
    """What :func:`measure_tasks` found: the two frames, and the repeated events it left out.

    ``duplicates`` counts the events dropped as repeats of an event kept (the log's, counted once
    whatever the number of tasks); ``duplicate_successes`` those of each task's success events;
    ``duplicate_people`` up to five ids with a repeat (raw ids, for the ledger's examples).
    """

    attempts: pd.DataFrame
    people: pd.DataFrame
    duplicates: int = 0
    duplicate_successes: dict[str, int] = field(default_factory=dict)
    duplicate_people: list[str] = field(default_factory=list)


def measure_tasks(engine: _Engine, tasks: dict[str, TaskRules], *, has_session: bool,
                  properties: list[str], log_end_us: int, id_role: str = "person") -> TaskMeasures:
    """Run the task queries on ``engine`` over its view ``clean_events``.

    The attempts are computed once and kept in the engine (``ATTEMPT_TABLE``: a temporary
    table in DuckDB, a cached view in Spark), then fetched and summarised per person from
    there, so the log is read once; the repeats the query dropped are counted from there too.
    The frames are typed by :func:`attempts_frame` and :func:`people_frame`; the person's id
    column of ``people`` is named ``id_role``.
    """
    properties = list(properties)
    check_tasks(tasks, properties)
    query = attempts_sql(tasks, has_session, properties, log_end_us, ordered=False)
    keep, drop = KEEP[engine.dialect]
    engine.execute(keep.format(name=ATTEMPT_TABLE, query=query))
    try:
        shown = ", ".join(["person", "session", "task", "attempt", "start_us", "end_us", "outcome", "success",
                           "time_us", "errors", "steps", "retry",
                           *(f"p_{i}" for i in range(len(properties)))])
        # the people first: the engine's sort of the attempts then has no frame beside it; each
        # result is typed as it arrives, so that no raw frame lives beside a typed one
        people = people_frame(engine.sql(people_sql(ATTEMPT_TABLE, len(properties))), properties,
                              id_role=id_role)
        attempts = attempts_frame(engine.sql(f"SELECT {shown} FROM {ATTEMPT_TABLE} WHERE person IS NOT NULL "
                                             "ORDER BY task, person, attempt", arrow_text=True), properties)
        repeats = engine.sql(f"SELECT task, CAST(SUM(duplicates) AS BIGINT) AS n, "
                             f"CAST(SUM(duplicate_successes) AS BIGINT) AS successes FROM {ATTEMPT_TABLE} "
                             "GROUP BY task")
        who = engine.sql(f"SELECT DISTINCT duplicate_person AS person FROM {ATTEMPT_TABLE} "
                         "WHERE duplicate_person IS NOT NULL ORDER BY person LIMIT 5")
    finally:
        engine.execute(drop.format(name=ATTEMPT_TABLE))
    # every task sees every event, so each task's count is the log's
    total = int(repeats["n"].max()) if len(repeats) else 0
    by_task = {t: int(n) for t, n in zip(repeats["task"], repeats["successes"], strict=True)}
    return TaskMeasures(attempts, people, total, by_task,
                        [str(p) for p in who["person"]])


def _timestamps(micros: pd.Series) -> pd.Series:
    return pd.to_datetime(pd.to_numeric(micros).astype("Int64"), unit="us", utc=True)


def _whole(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values).fillna(0).astype("int64")


def _share(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values).astype("float64")


def attempts_frame(raw: pd.DataFrame, properties: list[str]) -> pd.DataFrame:
    """The attempts query's result with names and types: text Arrow-backed, counts int64, times UTC.

    The query's rows with no person (each task's count of repeats outside any attempt) are left
    out. Text is ``string[pyarrow]``: at a hundred million events the attempts are millions of
    rows, whose ids as Python strings would take most of the memory.
    """
    if raw["person"].isna().any():
        raw = raw[raw["person"].notna()]
    out = pd.DataFrame({
        "person": raw["person"].astype(ARROW_TEXT), "session": raw["session"].astype(ARROW_TEXT),
        "task": raw["task"].astype(ARROW_TEXT), "attempt": _whole(raw["attempt"]),
        "start": _timestamps(raw["start_us"]), "end": _timestamps(raw["end_us"]),
        "outcome": raw["outcome"].astype(ARROW_TEXT), "success": _share(raw["success"]),
        "time_s": _share(raw["time_us"]) / 1e6, "errors": _whole(raw["errors"]),
        "steps": _whole(raw["steps"]), "retry": _whole(raw["retry"]),
    })
    for i, name in enumerate(properties):
        out[name] = raw[f"p_{i}"].astype(ARROW_TEXT)
    return out.reset_index(drop=True)


def people_frame(raw: pd.DataFrame, properties: list[str], *, id_role: str = "person") -> pd.DataFrame:
    """The people query's result with names and types; the id column is named ``id_role``."""
    out = pd.DataFrame({
        id_role: raw["person"].astype("string"), "task": raw["task"].astype("string"),
        "attempts": _whole(raw["attempts"]), "successes": _whole(raw["successes"]),
        "success": _share(raw["success"]), "first_attempt_success": _share(raw["first_attempt_success"]),
        "time_s": _share(raw["time_us"]) / 1e6, "errors": _whole(raw["errors"]),
        "failed_attempts": _whole(raw["failed_attempts"]), "clicks": _share(raw["clicks"]),
        "retries": _whole(raw["retries"]), "abandoned": _share(raw["abandoned"]),
        "first_start": _timestamps(raw["first_start_us"]),
    })
    for i, name in enumerate(properties):
        out[name] = raw[f"p_{i}"].astype("string")
    return out.reset_index(drop=True)
