"""The cleaning step: an event log's mapped columns to the view ``clean_events``, and its ledger.

:func:`clean_log` reads the raw view (made by :meth:`Engine.read_source` as ``events_raw``)
and builds, inside the engine:

``events_parsed`` (a view): one row per event read, with ``reason`` NULL for an event kept
and else the first of these that applies, in this order:

- ``missing id``: the id (customer or participant) is empty after trimming spaces;
- ``not a timestamp``: the time cannot be read (see below);
- ``missing event name``: the event name is empty;
- ``outside the study window``: before the first day or after the last day of ``window:``
  (whole days in the study's ``timezone``);

``clean_events`` (a view): the events kept, columns ``person, session, ts_us, event,
<property>...`` (text, ``ts_us`` BIGINT UTC microseconds). An event that repeats another
(same person, session, ts_us, event and properties) is still in it: the task step drops each
repeat as it sorts each person's events by time, where repeats are neighbours
(:mod:`uxcx.io.events.tasks`), and counts it as ``duplicate event``. (Found there, in the one
sort the rules need anyway, repeats cost a comparison with the row before; a DISTINCT over the
whole log first cost as much as the task step itself, and held the whole log or spilled it.)

**Timestamps to UTC microseconds**, by the column's type (the family found by
:mod:`uxcx.io.events.sources`):

- a timestamp with a time zone (Parquet ``isAdjustedToUTC``) is an instant: converted;
- a timestamp without one, or a date, is a wall clock read in ``timezone`` (a session across a
  clock change therefore gets its true elapsed seconds);
- an integer is seconds, milliseconds, microseconds or nanoseconds since 1970-01-01 UTC,
  decided per value by its magnitude: below 1e11 seconds (up to the year 5138), below 1e14
  milliseconds, below 1e17 microseconds, else nanoseconds (a float: the same, rounded down to
  the microsecond);
- text (every CSV column) is ISO 8601, ``2025-03-30 01:30:00``, ``2025-03-30T01:30:00.250+02:00``,
  ``...Z``, or a date: with an offset (``Z``, ``+02:00``, ``+0200``, ``+02``) an instant, without
  a wall clock in ``timezone``; text of 9 to 19 digits is an epoch number as above; anything else is
  ``not a timestamp``. (The pattern is checked before the engine parses, so that DuckDB and
  Spark, whose parsers accept different odd forms, read the same values.)

A wall clock skipped by a clock change (02:30 on the spring day in Berlin) takes the offset
before the change (it reads as 03:30 summer time); one repeated (02:30 on the autumn day) its
first occurrence (summer time): the rule of Python's ``zoneinfo`` (``fold=0``), Java and Spark,
which DuckDB follows through :data:`~uxcx.io.events.engines.DIALECT` (exact for the one-hour
changes of nearly every zone; a zone with a 30-minute change, Lord Howe Island, may read the
half hour after its autumn change 30 minutes early on DuckDB).

:func:`clean_log` then counts, in one aggregate query over ``events_parsed``, the events
read, dropped by reason and kept per name (``uxcx_event_counts``, one row per name and reason,
kept in the engine); :meth:`CleanLog.add_duplicates` adds the repeats the task step found, with
examples read again for their ids only; and it notes the events whose time is
earlier than the previous event's in the same file (``out of file order``: not dropped, since
the task rules sort by time; one sort of the log, so by default only in logs of up to
:data:`ORDER_CHECK_MAX` events). It keeps up to :data:`EXAMPLES` example rows per reason (file
name, row, column, the value cut to 40 characters, and the cleaned id in column ``person``
for the study layer to pseudonymise; it is never put in a message here), and notes the task
event names that never occur among the events kept, with a did-you-mean.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from uxcx.io.events.engines import sql_literal

__all__ = ["CleanLog", "clean_log", "ts_us_sql", "window_us", "REASONS", "EXAMPLES", "ISO_PATTERN",
           "ORDER_CHECK_MAX"]

REASONS = ("missing id", "not a timestamp", "missing event name", "outside the study window",
           "duplicate event")
EXAMPLES = 5
ORDER_CHECK_MAX = 20_000_000  # events out of file order are counted up to this size by default (one sort)
ISO_PATTERN = ("^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?)?"
               " ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$")
# an offset follows a time (the -01 of a date is none)
OFFSET_PATTERN = "[0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
DIGITS_PATTERN = "^[0-9]{9,19}$"  # an epoch number written as text (a year such as 2025 is none)
EXAMPLE_COLUMNS = ["file", "row", "reason", "column", "value", "person"]
COUNTS = "uxcx_event_counts"  # events per name and reason: one row each, kept in the engine
NAMES_SHOWN = 10_000  # the most frequent names a did-you-mean looks among
ROLES = ("session", "timestamp", "event")


@dataclass
class CleanLog:
    """What the cleaning step counted: ``read == kept + sum(dropped.values())``.

    ``duplicate event`` is counted by the task step, which drops the repeats as it sorts each
    person's events (:func:`uxcx.io.events.task_frames.measure_tasks`); until :meth:`add_duplicates`
    has it, ``kept`` is the events that passed every check, repeats included.
    """

    read: int
    kept: int
    dropped: dict[str, int]
    examples: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    log_end_us: int | None = None   # the last kept event's time (None: nothing kept)
    events: dict[str, int] = field(default_factory=dict)  # task event names found -> events passing checks

    def add_duplicates(self, engine, config, count: int, people: list[str]) -> None:
        """Count ``count`` repeats as dropped, with examples of the repeats of ``people`` (raw ids)."""
        self.kept -= count
        self.dropped["duplicate event"] = count
        if count and people:
            header = {role: col for col, role in config.columns.items()}
            found = _duplicate_examples(engine, header, list(config.properties), people)
            shown = [self.examples, found] if len(self.examples) else [found]
            self.examples = pd.concat(shown, ignore_index=True)
            self.examples["row"] = self.examples["row"].astype("Int64")


def clean_log(engine, config, kinds: dict[str, str], *, raw: str = "events_raw",
              check_order: bool | None = None) -> CleanLog:
    """Build the views ``events_parsed`` and ``clean_events`` from the view ``raw``; count what was dropped.

    ``raw`` holds each mapped column under ``r_<role>`` and ``uxcx_path``, ``uxcx_file``,
    ``uxcx_row`` (see :meth:`Engine.read_source`); ``kinds`` is the family of each mapped column
    by its header. ``check_order`` counts the events out of file order (one sort of the log);
    None (the default) counts them in logs of up to :data:`ORDER_CHECK_MAX` events.
    """
    header = {role: col for col, role in config.columns.items()}
    props = list(config.properties)
    engine.view("events_parsed", _parsed_sql(engine, config, header, kinds, raw))
    keys = ["person", "session", "ts_us", "event"] + [engine.quote(p) for p in props]
    # a view, not a table: the task step reads the log once more, streaming, and drops the repeats
    engine.view("clean_events", f"SELECT {', '.join(keys)} FROM events_parsed WHERE reason IS NULL")
    # one pass: the events of each name kept, and those dropped by reason (a small table)
    engine.materialise(COUNTS, "SELECT reason, CASE WHEN reason IS NULL THEN event END AS event, "
                       "CAST(COUNT(*) AS BIGINT) AS n, MAX(ts_us) AS last_us FROM events_parsed "
                       "GROUP BY reason, CASE WHEN reason IS NULL THEN event END")
    by_reason = engine.sql(f"SELECT reason, CAST(SUM(n) AS BIGINT) AS n, MAX(last_us) AS last_us "
                           f"FROM {COUNTS} GROUP BY reason")
    counted = {(None if pd.isna(r) else r): int(n)
               for r, n in zip(by_reason["reason"], by_reason["n"], strict=True)}
    valid = counted.get(None, 0)
    end = by_reason.loc[by_reason["reason"].isna(), "last_us"]
    wanted = _task_names(config.tasks)
    names = engine.sql(f"SELECT event, n FROM {COUNTS} WHERE reason IS NULL AND (event IN "
                       f"({', '.join(sql_literal(n) for n in wanted)}) "
                       f"OR event IN (SELECT event FROM {COUNTS} "
                       f"WHERE reason IS NULL ORDER BY n DESC, event LIMIT {NAMES_SHOWN}))")
    events = dict(zip(names["event"], names["n"].astype(int), strict=True))
    dropped = {r: counted.get(r, 0) for r in REASONS[:-1]}
    dropped["duplicate event"] = 0  # found by the task step: CleanLog.add_duplicates
    read = sum(counted.values())
    notes = _order_note(engine, read, check_order) + _missing_names(config.tasks, events)
    return CleanLog(read, valid, dropped, _examples(engine, header, dropped), notes,
                    None if end.empty or pd.isna(end.iloc[0]) else int(end.iloc[0]),
                    {e: n for e, n in events.items() if e in set(wanted)})


def _order_note(engine, read: int, check_order: bool | None) -> list[str]:
    if check_order is False or (check_order is None and read > ORDER_CHECK_MAX):
        return [] if check_order is False else [
            f"events out of file order not counted ({read:,} events, above {ORDER_CHECK_MAX:,}): the task "
            "rules sort each person's events by time in any case"]
    late = int(engine.sql("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM (SELECT ts_us, LAG(ts_us) OVER ("
                          "PARTITION BY uxcx_path ORDER BY uxcx_row) AS prev_ts FROM events_parsed) ordered "
                          "WHERE ts_us < prev_ts")["n"].iloc[0])
    if not late:
        return []
    return [f"{late:,} events are earlier than the event before them in their file (out of file order); "
            "kept, as every task rule sorts each person's events by time"]


def ts_us_sql(engine, col: str, kind: str, timezone: str) -> str:
    """SQL turning the expression ``col`` of family ``kind`` into UTC microseconds (NULL if unreadable)."""
    f = engine.fragment
    local = timezone not in ("UTC", "Etc/UTC", "GMT")

    def to_utc(wall: str) -> str:
        return f("wall_to_utc", col=wall, tz=timezone.replace("'", "")) if local else wall

    if kind == "timestamp_tz":
        return f("utc_us", col=col)
    if kind == "timestamp_tz_ns":
        return f("utc_ns_us", col=col)
    if kind in ("timestamp", "date"):
        return to_utc(f("wall_us", col=col))
    if kind == "timestamp_ns":
        return to_utc(f("wall_ns_us", col=col))
    if kind == "integer":
        return _epoch_int(engine, f"CAST({col} AS BIGINT)")
    if kind == "float":
        return _epoch_float(engine, f"CAST({col} AS DOUBLE)")
    text = f"TRIM(CAST({col} AS STRING))"
    return (f"CASE WHEN {f('matches', col=text, pattern=ISO_PATTERN)} THEN "
            f"CASE WHEN {f('matches', col=text, pattern=OFFSET_PATTERN)} THEN {f('text_us', col=text)} "
            f"ELSE {to_utc(f('text_us', col=text))} END "
            f"WHEN {f('matches', col=text, pattern=DIGITS_PATTERN)} THEN "
            f"{_epoch_int(engine, f('try_bigint', col=text))} ELSE NULL END")


def window_us(window, timezone: str) -> tuple[int, int] | None:
    """The study window's first day 00:00 and the day after its last, in ``timezone``, as UTC microseconds."""
    if window is None:
        return None
    zone = ZoneInfo(timezone)
    first = datetime.combine(window[0], time(0), tzinfo=zone)
    after = datetime.combine(window[1] + timedelta(days=1), time(0), tzinfo=zone)
    return _us(first), _us(after)


def _us(moment: datetime) -> int:
    delta = moment - datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC"))
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _epoch_int(engine, x: str) -> str:
    return (f"CASE WHEN abs({x}) < 100000000000 THEN {x} * 1000000 "
            f"WHEN abs({x}) < 100000000000000 THEN {x} * 1000 "
            f"WHEN abs({x}) < 100000000000000000 THEN {x} "
            f"ELSE {engine.fragment('int_div', col=x, by=1000)} END")


def _epoch_float(engine, x: str) -> str:
    big = engine.fragment("try_bigint", col="floor({x} * {k})")
    return (f"CASE WHEN NOT (abs({x}) < 1e300) THEN NULL "   # NaN and infinity are no time
            f"WHEN abs({x}) < 1e11 THEN {big.format(x=x, k='1e6')} "
            f"WHEN abs({x}) < 1e14 THEN {big.format(x=x, k='1e3')} "
            f"WHEN abs({x}) < 1e17 THEN {big.format(x=x, k='1')} "
            f"ELSE {big.format(x=x, k='1e-3')} END")


def _text(col: str) -> str:
    return f"NULLIF(TRIM(CAST({col} AS STRING)), '')"


def _parsed_sql(engine, config, header: dict[str, str], kinds: dict[str, str], raw: str) -> str:
    q = engine.quote
    id_role = config.id_role
    ts = ts_us_sql(engine, "r_timestamp", kinds[header["timestamp"]], config.timezone)
    session = _text("r_session") if "session" in header else "CAST(NULL AS STRING)"
    props = "".join(f", {_text(q('r_' + p))} AS {q(p)}" for p in config.properties)
    bounds = window_us(config.window, config.timezone)
    outside = f"WHEN ts_us < {bounds[0]} OR ts_us >= {bounds[1]} THEN 'outside the study window' " \
        if bounds else ""
    inner = (f"SELECT {_text('r_' + id_role)} AS person, {session} AS session, {ts} AS ts_us, "
             f"{_text('r_event')} AS event{props}, uxcx_path, uxcx_file, uxcx_row, "
             f"CAST(r_{id_role} AS STRING) AS raw_id, CAST(r_timestamp AS STRING) AS raw_ts, "
             f"CAST(r_event AS STRING) AS raw_event FROM {raw}")
    return (f"SELECT *, CASE WHEN person IS NULL THEN 'missing id' "
            "WHEN ts_us IS NULL THEN 'not a timestamp' WHEN event IS NULL THEN 'missing event name' "
            f"{outside}ELSE NULL END AS reason FROM ({inner}) parsed")


def _examples(engine, header: dict[str, str], dropped: dict[str, int]) -> pd.DataFrame:
    """Up to EXAMPLES rows per reason: file name, row, reason, column, value (40 characters), person."""
    if not any(dropped[r] for r in REASONS[:-1]):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXAMPLE_COLUMNS})
    column = (f"CASE reason WHEN 'missing id' THEN {sql_literal(header[_id(header)])} "
              f"WHEN 'missing event name' THEN {sql_literal(header['event'])} "
              f"ELSE {sql_literal(header['timestamp'])} END")
    value = ("NULLIF(SUBSTRING(CASE reason WHEN 'missing id' THEN raw_id WHEN 'missing event name' THEN "
             "raw_event ELSE raw_ts END, 1, 40), '')")  # Spark reads an empty CSV field as NULL
    out = engine.sql(
        f"SELECT file, row, reason, col AS {engine.quote('column')}, value, person FROM ("
        f"SELECT uxcx_file AS file, uxcx_row AS row, reason, {column} AS col, {value} AS value, person, "
        "ROW_NUMBER() OVER (PARTITION BY reason ORDER BY uxcx_path, uxcx_row) AS k "
        f"FROM events_parsed WHERE reason IS NOT NULL) picked WHERE k <= {EXAMPLES} "
        "ORDER BY reason, file, row")[EXAMPLE_COLUMNS]
    out["row"] = out["row"].astype("Int64")
    return out


def _duplicate_examples(engine, header: dict[str, str], properties: list[str],
                        people: list[str]) -> pd.DataFrame:
    """Up to EXAMPLES repeated events of ``people`` (read again for those ids only: a small scan)."""
    keys = ", ".join(["person", "session", "ts_us", "event", *(engine.quote(p) for p in properties)])
    return engine.sql(
        "SELECT MAX(uxcx_file) AS file, CASE WHEN MIN(uxcx_path) = MAX(uxcx_path) THEN MAX(uxcx_row) END "
        f"AS row, 'duplicate event' AS reason, {sql_literal(header['timestamp'])} "
        f"AS {engine.quote('column')}, SUBSTRING(MIN(raw_ts), 1, 40) AS value, person FROM events_parsed "
        f"WHERE reason IS NULL AND person IN ({', '.join(sql_literal(p) for p in people)}) "
        f"GROUP BY {keys} HAVING COUNT(*) > 1 ORDER BY file, row LIMIT {EXAMPLES}")[EXAMPLE_COLUMNS]


def _id(header: dict[str, str]) -> str:
    return next(r for r in header if r not in ROLES and r in ("customer", "participant"))


def _task_names(tasks) -> list[str]:
    names = {n for t in tasks.values() for n in (*t.start, *t.success, *t.errors)}
    return sorted(names)


def _missing_names(tasks, events: dict[str, int]) -> list[str]:
    """A note per task event name that no kept event has, with the closest names the log does have."""
    missing = [n for n in _task_names(tasks) if n not in events]
    if not missing:
        return []
    have = sorted(events)
    notes = []
    for name in missing:
        kinds = [f"{kind} event of task {task!r}" for task, t in tasks.items()
                 for kind, names in (("start", t.start), ("success", t.success), ("error", t.errors))
                 if name in names]
        close = difflib.get_close_matches(name, have, n=3, cutoff=0.6)
        near = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        notes.append(f"event {name!r} ({', '.join(kinds)}) never occurs in the log{near}")
    return notes
