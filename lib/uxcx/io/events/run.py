"""The one entry point of the event layer: an ``events:`` block to per-attempt and per-person measures.

:func:`measure_events` resolves and checks the log's files (:mod:`uxcx.io.events.sources`),
opens the engine the study file names (:mod:`uxcx.io.events.engines`), reads the files into
a view, cleans them into ``clean_events`` and counts what was dropped
(:mod:`uxcx.io.events.clean`), runs the task queries (:mod:`uxcx.io.events.tasks`) and
returns an :class:`EventMeasures`. Only the two result frames and the ledger's counts leave
the engine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from uxcx.io.events.clean import clean_log
from uxcx.io.events.engines import Engine, open_engine
from uxcx.io.events.sources import event_source
from uxcx.io.events.task_frames import measure_tasks

__all__ = ["EventMeasures", "measure_events"]


@dataclass
class EventMeasures:
    """What :func:`measure_events` measured, and what it dropped on the way.

    Attributes
    ----------
    attempts : DataFrame
        One row per attempt (see :mod:`uxcx.io.events.tasks`).
    people : DataFrame
        One row per person x task, the id column named by its role (``customer`` or
        ``participant``): a usability source.
    read, kept : int
        Events read, and events kept; ``read == kept + sum(dropped.values())``.
    dropped : dict
        Reason -> events dropped (:data:`uxcx.io.events.clean.REASONS`, zeros included).
    examples : DataFrame
        Up to 5 rows per reason: ``file`` (name only), ``row``, ``reason``, ``column``,
        ``value`` (at most 40 characters) and ``person`` (the id, raw: pseudonymise it before
        showing it).
    notes : list of str
        What is worth knowing but dropped nothing (out of file order, successes with no
        start, task events that never occur).
    engine : str
        ``duckdb`` or ``spark``.
    seconds : float
        Wall time from resolving the files to the frames.
    files : int
        How many files the log is.
    """

    attempts: pd.DataFrame
    people: pd.DataFrame
    read: int
    kept: int
    dropped: dict[str, int]
    examples: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    engine: str = "duckdb"
    seconds: float = 0.0
    files: int = 0


def measure_events(config, folder, *, engine: Engine | None = None,
                   check_order: bool | None = None) -> EventMeasures:
    """Measure the tasks of an ``events:`` block on its log, inside the engine it names.

    Parameters
    ----------
    config : uxcx.study.events_options.EventsConfig
        The study file's ``events:`` block (any object with its fields and properties).
    folder : path
        The study folder; ``config.path`` is relative to it.
    engine : Engine, optional
        An open engine to use (it is left open); default one opened from ``config.engine``,
        ``config.spark_master`` and ``config.memory_limit``, and closed at the end.
    check_order : bool, optional
        Count the events earlier than the event before them in their file (a note); one
        more sort of the log. Default: in logs of up to 20 million events
        (:data:`uxcx.io.events.clean.ORDER_CHECK_MAX`).

    Returns
    -------
    EventMeasures

    Raises
    ------
    StudyError
        The path matches no file; the engine cannot start.
    DataError
        The partitions disagree on a mapped column, or a file cannot be read (named).
    """
    began = time.perf_counter()
    source = event_source(config.path, folder, fmt=config.format, columns=list(config.columns))
    own = engine is None
    if own:
        engine = open_engine(config.engine, master=config.spark_master, memory_limit=config.memory_limit)
    try:
        engine.read_source("events_raw", source.paths, source.fmt,
                           {header: "r_" + role for header, role in config.columns.items()}, source.kinds)
        log = clean_log(engine, config, source.kinds, check_order=check_order)
        measured = measure_tasks(engine, config.tasks, has_session=config.has_session,
                                 properties=list(config.properties),
                                 log_end_us=log.log_end_us if log.log_end_us is not None else 0,
                                 id_role=config.id_role)
        log.add_duplicates(engine, config, measured.duplicates, measured.duplicate_people)
    finally:
        if own:
            engine.close()
    notes = source.notes + log.notes + _successes_without_start(config.tasks, log.events, measured)
    return EventMeasures(measured.attempts, measured.people, log.read, log.kept, log.dropped, log.examples,
                         notes, engine.dialect, time.perf_counter() - began, len(source.paths))


def _successes_without_start(tasks, events: dict[str, int], measured) -> list[str]:
    """Success events outside any attempt: each successful attempt takes exactly one success event."""
    notes, attempts = [], measured.attempts
    for name, task in tasks.items():
        logged = sum(events.get(e, 0) for e in dict.fromkeys(task.success))
        logged -= measured.duplicate_successes.get(name, 0)
        used = int(((attempts["task"] == name) & (attempts["outcome"] == "success")).sum())
        if logged > used:
            notes.append(f"task {name!r}: {logged - used:,} success events have no start (outside any "
                         "attempt); they are not attempts")
    return notes
