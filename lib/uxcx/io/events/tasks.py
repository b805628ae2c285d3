"""Tasks defined by events: per-attempt and per-person task measures, as SQL both engines run.

A task is named by its events (``start``, ``success``, ``errors``) and a time-out. The UX
measures are the seed's usability metrics, taken from the behaviour of every customer instead
of a test's sample: task success (completion), time on task (from the start to the success),
errors, abandonment, clicks (steps) to completion and retries (Sauro & Lewis, *Quantifying
the User Experience*, 2nd ed., 2016, ch. 2 and ch. 4: completion rates, task time measured
on successful attempts, errors as a count per attempt). The rules, per person (and session,
when the log has one), over the events in time order:

* **Repeats.** An event equal to another in person, session, time (to the microsecond), name
  and every property is a repeat (a logging retry): it is dropped before any rule, and counted
  (the ledger's ``duplicate event``).
* **Order.** Events at the same microsecond are ordered start events first, then other
  events, then errors, then successes, then by event name (and then by their properties), so
  a start and a success logged together make an attempt of 0 s, and an error logged with the
  success belongs to the attempt. (The order among other events at one moment changes no
  measure, so the sort leaves it free.)
* **Attempts.** Every start event of the task begins a new attempt. An attempt ends at the
  first of: its first success event no later than the time-out (``success``, the end is that
  event); the next start event of the task no later than the time-out (``restarted``);
  otherwise, when the time-out (start + ``timeout_s``) reaches past the end of the log
  (``log_end_us``), the attempt is ``censored`` (neither success nor failure: its end, at the
  log's end, was not observed; a session still under way at the log's end may not have ended
  there); otherwise the session's last event no later than the time-out (``session_end``,
  only when the log has sessions); otherwise the time-out (``timeout``, the end is start +
  time-out). "No later than" is inclusive: an event exactly at the time-out counts.
* **Per attempt**: ``person``, ``session``, ``task``, ``attempt`` (1, 2, ... per person and
  task in time order, across sessions), ``start``, ``end`` (UTC timestamps; a censored
  attempt ends at the log's end), ``outcome``, ``success`` (1/0, NaN when censored),
  ``time_s`` (start to success in seconds, NaN unless a success), ``errors`` (the task's error
  events inside the attempt), ``steps`` (every event of the person inside the attempt, the
  start and the success included), ``retry`` (1 when the person's previous attempt at the
  task, in any session, did not succeed, whatever its outcome), and each property of the
  start event.
* **Per person and task** (``people``): the id, ``task``, ``attempts``, ``successes``,
  ``success`` (1 if any attempt succeeded, NaN when none did and one is censored, else 0),
  ``first_attempt_success`` (NaN when the first attempt is censored), ``time_s`` and
  ``clicks`` (of the first successful attempt), ``errors`` (all attempts),
  ``failed_attempts`` (ended without success; censored excluded), ``retries`` (sum of
  ``retry``), ``abandoned`` (1 when the last attempt that is not censored did not succeed,
  NaN when every attempt is censored), ``first_start`` and the properties of the first attempt.
* A success event outside any attempt (before any start, or after an attempt ended) is not an
  attempt (the cleaning step counts it as a note); errors outside an attempt are not counted.

How it scales: the log is read once, streaming, and sorted once per person partition (and
task), by time. Each event is tagged with its kind for every task (a cross join with the small
task list, so the work grows with tasks x events). One window over that sort marks each repeat
(equal events are neighbours when sorted by time and a hash of name and properties; each is
compared whole with the one before it, so a hash collision can at worst leave a repeat
unmarked, never drop an event) and keeps the running values: the segments opened by start
events, the last start and the last success before each event. Steps and errors count the
events of a segment that are no repeat, in time and before its first success; a segment opened
by a repeated start joins the attempt before it. Everything after works on one row per
segment or attempt; no self-join of events. The repeats outside every attempt (before a
person's first start) are counted in one row per task with no person, which the frames leave
out.

The SQL is one text for DuckDB and Spark SQL: window functions with explicit frames, CASE,
GROUP BY, ``hash()`` (a tie order only: the engines' hashes differ, the results do not), ``||`` and
``CHR``; no FILTER, QUALIFY, ``::`` casts or quoted identifiers. Event
names come from the study file: they become string literals with quotes and backslashes
written as ``CHR(39)``/``CHR(92)`` (Spark reads a backslash in a literal as an escape, DuckDB
does not), and control characters are refused.
"""

from __future__ import annotations

import re
from typing import Protocol

from uxcx.errors import StudyError
from uxcx.io.events.engines import sql_literal

__all__ = ["task_queries", "attempts_sql", "people_sql", "check_tasks", "literal", "TaskRules",
           "ATTEMPT_TABLE", "KEEP"]

# The relation the attempts are kept in between the two queries of measure_tasks.
ATTEMPT_TABLE = "uxcx_task_attempts"
START, OTHER, ERROR, SUCCESS = 0, 1, 2, 3  # the kind of an event for a task; also the tie order
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PROPERTY = re.compile(r"[a-z][a-z0-9_]*")
_TAKEN = {"person", "session", "task", "attempt", "start", "end", "outcome", "success", "time_s", "errors",
          "steps", "retry", "attempts", "successes", "first_attempt_success", "failed_attempts", "clicks",
          "retries", "abandoned", "first_start", "customer", "participant", "ts_us", "event"}
_FAILED = "('timeout', 'restarted', 'session_end')"
# A relation made from a query and kept for the next one (the only dialect-specific text here).
KEEP = {"duckdb": ("CREATE OR REPLACE TEMP TABLE {name} AS {query}", "DROP TABLE IF EXISTS {name}"),
         "spark": ("CACHE TABLE {name} AS {query}", "DROP VIEW IF EXISTS {name}")}


class TaskRules(Protocol):
    start: list[str]
    success: list[str]
    errors: list[str]
    timeout_s: float


def literal(text: str) -> str:
    """``text`` as an SQL string literal both DuckDB and Spark read alike.

    >>> literal("it's")
    "'it' || CHR(39) || 's'"
    """
    if not isinstance(text, str) or _CONTROL.search(text):
        raise StudyError(f"event and task names are printable text; got {str(text)[:40]!r} (a control "
                         "character such as a tab or line break): write the name as the log has it")
    return sql_literal(text)


def _in_list(names: list[str]) -> str:
    return "(" + ", ".join(literal(n) for n in dict.fromkeys(names)) + ")"


def check_tasks(tasks: dict[str, TaskRules], properties: list[str]) -> None:
    if not tasks:
        raise StudyError("events: tasks: name at least one task (its start, success and error events)")
    for name, task in tasks.items():
        parts = {"start": task.start, "success": task.success, "errors": task.errors}
        if not task.start or not task.success:
            raise StudyError(f"task {name!r}: give at least one start and one success event")
        seen: dict[str, str] = {}
        for part, names in parts.items():
            for event in names:
                if seen.setdefault(event, part) != part:
                    raise StudyError(f"task {name!r}: event {event!r} is both a {seen[event]} and a {part} "
                                     "event; an event plays one part in a task")
        if not task.timeout_s > 0:
            raise StudyError(f"task {name!r}: the time-out is above 0 seconds, got {task.timeout_s!r}")
    bad = [p for p in properties if not _PROPERTY.fullmatch(p) or p in _TAKEN]
    if bad:
        raise StudyError(f"events: columns: the property roles {bad} clash with the task measures' own "
                         f"columns ({', '.join(sorted(_TAKEN))}) or are not lower-case names: rename them")


def _kind_case(tasks: dict[str, TaskRules], single: bool) -> tuple[str, str]:
    """The kind of each event for its task, and its name's rank among the task's names of that kind."""
    kinds, ranks = [], []
    for name, task in tasks.items():
        task_is = "" if single else f"t.task = {literal(name)} AND "
        for kind, names in ((START, task.start), (ERROR, task.errors), (SUCCESS, task.success)):
            if names:
                kinds.append(f"WHEN {task_is}e.event IN {_in_list(names)} THEN {kind}")
                ranks += [f"WHEN {task_is}e.event = {literal(n)} THEN {i}"
                          for i, n in enumerate(sorted(set(names)))]
    return (f"CASE {' '.join(kinds)} ELSE {OTHER} END", f"CASE {' '.join(ranks)} ELSE 0 END")


def _task_list(tasks: dict[str, TaskRules]) -> str:
    rows = [f"SELECT {literal(name)} AS task, CAST({_micros(task)} AS BIGINT) AS timeout_us"
            for name, task in tasks.items()]
    return " UNION ALL ".join(rows)


def _micros(task: TaskRules) -> int:
    return round(task.timeout_s * 1e6)


def attempts_sql(tasks: dict[str, TaskRules], has_session: bool, properties: list[str],
                 log_end_us: int, *, ordered: bool = True) -> str:
    # One task (the common case): no task column through the sort, its name and time-out are literals.
    single = len(tasks) == 1
    only = next(iter(tasks))
    t_ = "" if single else "task, "
    timeout = f"CAST({_micros(tasks[only])} AS BIGINT)" if single else "timeout_us"
    task_out = f"{literal(only)} AS task" if single else "task"
    carry = "" if single else "task, timeout_us, "
    props = [f"p_{i}" for i in range(len(properties))]
    kind, rank = _kind_case(tasks, single)
    raw = "".join(f", e.{p} AS raw_{a}" for p, a in zip(properties, props))
    raws = "".join(f", raw_{a}" for a in props)
    # Properties matter on start events only: others carry NULL through the sort (less to move).
    keep = "".join(f", CASE WHEN kind = {START} THEN raw_{a} END AS {a}" for a in props)
    session = "e.session" if has_session else "CAST(NULL AS STRING)"
    part = f"{t_}person, session" if has_session else f"{t_}person"
    # One sort: a repeat is the neighbour of the event it repeats in this order (the hash of name
    # and properties last), compared whole with the row before it (a hash collision can at worst
    # leave a repeat unmarked); every running value below shares the order, so the engine sorts once.
    hashed = f"hash({', '.join(['e.event', *(f'e.{p}' for p in properties)])})"  # both engines have hash()
    order = "ts_us, kind, name_rank" + "".join(f", {a} NULLS FIRST" for a in props) + ", uxcx_hash"
    window = f"OVER (PARTITION BY {part} ORDER BY {order})"
    same = " AND ".join([f"ts_us = LAG(ts_us) {window}", f"event = LAG(event) {window}",
                         *(f"raw_{a} IS NOT DISTINCT FROM LAG(raw_{a}) {window}" for a in props)])
    running = window[:-1] + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    before = window[:-1] + " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    in_time = f"ts_us - attempt_start <= {timeout}"
    # An event counts for its attempt when it is no repeat, in time, and no success of the attempt
    # came before it: the steps and errors up to the first success, or all those in time.
    counted = f"dup = 0 AND {in_time} AND (success_before IS NULL OR success_before < attempt_start)"
    # one start per attempt (a repeated start brings none)
    start_props = "".join(f", MAX(CASE WHEN dup = 0 THEN {a} END) AS {a}" for a in props)
    merged_props = "".join(f", MAX({a}) AS {a}" for a in props)
    session_end = f"WHEN session_last_us - start_us <= {timeout} THEN 'session_end' " if has_session else ""
    by_person = f"PARTITION BY {t_}person ORDER BY start_us, session NULLS FIRST, attempt_no"
    source = "clean_events e" if single else "clean_events e CROSS JOIN task_list t"
    pass_task = "" if single else "t.task, t.timeout_us, "
    listed = "" if single else f"task_list AS ({_task_list(tasks)}),"
    log_end = f"CAST({int(log_end_us)} AS BIGINT)"
    # The events before a person's (session's) first start are in no attempt: one row per task
    # (no person) keeps only their repeats' count.
    person_or_none = "CASE WHEN segment > 0 THEN person END"
    session_or_none = "CASE WHEN segment > 0 THEN session END"
    props_out = "".join(", " + a for a in props)
    return f"""
WITH {listed}
tagged AS (
  SELECT {pass_task}e.person, {session} AS session, e.ts_us, e.event, {kind} AS kind,
    {rank} AS name_rank{raw},
    {hashed} AS uxcx_hash
  FROM {source}
),
marked AS (
  SELECT {carry}person, session, ts_us, event, kind, name_rank{raws}{keep}, uxcx_hash FROM tagged
),
running AS (
  SELECT {carry}person, session, ts_us, kind{props_out},
    CASE WHEN {same} THEN 1 ELSE 0 END AS dup,
    SUM(CASE WHEN kind = {START} THEN 1 ELSE 0 END) {running} AS segment,
    MAX(CASE WHEN kind = {START} THEN ts_us END) {running} AS attempt_start,
    MAX(CASE WHEN kind = {SUCCESS} THEN ts_us END) {before} AS success_before
  FROM marked
),
segments AS (
  SELECT {carry}{person_or_none} AS person, {session_or_none} AS session, segment,
    MAX(CASE WHEN kind = {START} THEN dup END) AS repeated_start,
    MIN(ts_us) AS start_us,
    MIN(CASE WHEN kind = {SUCCESS} AND dup = 0 AND {in_time} THEN ts_us END) AS success_us,
    SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS steps_in_time,
    SUM(CASE WHEN kind = {ERROR} AND {counted} THEN 1 ELSE 0 END) AS errors_in_time,
    MAX(ts_us) AS last_us{start_props},
    SUM(dup) AS duplicates, SUM(CASE WHEN kind = {SUCCESS} THEN dup ELSE 0 END) AS duplicate_successes,
    MIN(CASE WHEN dup = 1 THEN person END) AS duplicate_person
  FROM running
  GROUP BY {carry}{person_or_none}, {session_or_none}, segment
),
numbered_segments AS (
  -- a repeated start opened a segment of its own: it joins the attempt of the start it repeats
  SELECT s.*, SUM(CASE WHEN repeated_start = 1 THEN 0 ELSE 1 END) OVER (PARTITION BY {part} ORDER BY segment
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - CASE WHEN segment = 0 THEN 1 ELSE 0 END AS attempt_no
  FROM segments s
),
per_attempt AS (
  SELECT {carry}person, session, attempt_no, MIN(start_us) AS start_us, MIN(success_us) AS success_us,
    SUM(steps_in_time) AS steps_in_time, SUM(errors_in_time) AS errors_in_time, MAX(last_us) AS last_us{
        merged_props},
    SUM(duplicates) AS duplicates, SUM(duplicate_successes) AS duplicate_successes,
    MIN(duplicate_person) AS duplicate_person
  FROM numbered_segments
  GROUP BY {carry}person, session, attempt_no
),
bounded AS (
  SELECT a.*,
    LEAD(start_us) OVER (PARTITION BY {part} ORDER BY attempt_no) AS next_start_us,
    MAX(last_us) OVER (PARTITION BY {part}) AS session_last_us
  FROM per_attempt a
),
ended AS (
  SELECT b.*, CASE
    WHEN attempt_no = 0 THEN NULL
    WHEN success_us IS NOT NULL THEN 'success'
    WHEN next_start_us - start_us <= {timeout} THEN 'restarted'
    WHEN start_us + {timeout} > {log_end} THEN 'censored'
    {session_end}ELSE 'timeout' END AS outcome
  FROM bounded b
),
numbered AS (
  SELECT d.*, ROW_NUMBER() OVER ({by_person}) AS attempt, LAG(outcome) OVER ({by_person}) AS previous
  FROM ended d
)
SELECT person, session, {task_out}, attempt, start_us,
  CASE outcome WHEN 'success' THEN success_us WHEN 'restarted' THEN next_start_us
    WHEN 'censored' THEN {log_end} WHEN 'session_end' THEN session_last_us
    ELSE start_us + {timeout} END AS end_us,
  outcome,
  CASE outcome WHEN 'success' THEN 1 WHEN 'censored' THEN NULL ELSE 0 END AS success,
  CASE WHEN outcome = 'success' THEN success_us - start_us END AS time_us,
  CAST(errors_in_time AS BIGINT) AS errors, CAST(steps_in_time AS BIGINT) AS steps,
  CAST(CASE WHEN previous IS NOT NULL AND previous <> 'success' THEN 1 ELSE 0 END AS BIGINT) AS retry{
      ''.join(', ' + a for a in props)},
  duplicates, duplicate_successes, duplicate_person
FROM numbered{f'''
ORDER BY {t_}person, attempt''' if ordered else ''}"""


def people_sql(source: str, n_properties: int) -> str:
    props = [f"p_{i}" for i in range(n_properties)]
    first_props = "".join(f", MAX(CASE WHEN attempt = 1 THEN {a} END) AS {a}" for a in props)
    of_first_success = "CASE WHEN attempt = first_success THEN {} END"
    return f"""
WITH marked AS (
  SELECT a.*,
    MIN(CASE WHEN outcome = 'success' THEN attempt END) OVER (PARTITION BY task, person) AS first_success,
    MAX(CASE WHEN outcome <> 'censored' THEN attempt END) OVER (PARTITION BY task, person) AS last_observed
  FROM {source} a
  WHERE person IS NOT NULL
)
SELECT person, task, COUNT(*) AS attempts,
  SUM(CASE WHEN outcome = 'success' THEN 1 ELSE 0 END) AS successes,
  CASE WHEN MAX(first_success) IS NOT NULL THEN 1
    WHEN SUM(CASE WHEN outcome = 'censored' THEN 1 ELSE 0 END) > 0 THEN NULL ELSE 0 END AS success,
  MAX(CASE WHEN attempt = 1 THEN success END) AS first_attempt_success,
  MAX({of_first_success.format('time_us')}) AS time_us,
  SUM(errors) AS errors,
  SUM(CASE WHEN outcome IN {_FAILED} THEN 1 ELSE 0 END) AS failed_attempts,
  MAX({of_first_success.format('steps')}) AS clicks,
  SUM(retry) AS retries,
  MAX(CASE WHEN attempt = last_observed THEN 1 - success END) AS abandoned,
  MIN(start_us) AS first_start_us{first_props}
FROM marked
GROUP BY task, person
ORDER BY task, person"""


def task_queries(tasks: dict[str, TaskRules], *, has_session: bool, properties: list[str],
                 log_end_us: int) -> dict[str, str]:
    """The SQL of the per-attempt and per-person task measures, reading the view ``clean_events``.

    Parameters
    ----------
    tasks : dict
        Task name to an object with ``start``, ``success``, ``errors`` (lists of event names)
        and ``timeout_s`` (seconds), such as :class:`uxcx.study.events_options.EventTask`.
    has_session : bool
        Whether ``clean_events.session`` holds sessions (attempts then also end with them).
    properties : list of str
        The property columns of ``clean_events`` kept on each attempt (from its start event).
    log_end_us : int
        The end of the log in UTC microseconds: attempts whose time-out reaches past it are
        censored.

    Returns
    -------
    dict
        ``"attempts"`` and ``"people"``: each one SQL text for DuckDB and Spark alike, reading
        ``clean_events(person, session, ts_us, event, <properties>)``; the rules are in the
        module's docstring. Times come out as ``start_us``/``end_us``/``time_us``
        (microseconds) and properties as ``p_0``, ``p_1``, ...;
        :mod:`~uxcx.io.events.task_frames` gives them their names and types. The attempts
        also carry ``duplicates``, ``duplicate_successes`` and ``duplicate_person`` (the
        repeats dropped inside each), and one row per task with no person counts those
        before any attempt. ``"people"`` repeats the attempts query inside it;
        :func:`~uxcx.io.events.task_frames.measure_tasks` runs it once instead.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> checkout = SimpleNamespace(start=["cart_viewed"], success=["order_placed"],
    ...                            errors=["payment_error"], timeout_s=1800.0)
    >>> sql = task_queries({"checkout": checkout}, has_session=True, properties=[], log_end_us=0)
    >>> sorted(sql), "clean_events" in sql["people"]
    (['attempts', 'people'], True)
    """
    properties = list(properties)
    check_tasks(tasks, properties)
    attempts = attempts_sql(tasks, has_session, properties, log_end_us)
    people = f"WITH task_attempts AS ({attempts}\n)" + people_sql("task_attempts", len(properties)).replace(
        "WITH marked AS", ",\nmarked AS", 1)
    return {"attempts": attempts, "people": people}
