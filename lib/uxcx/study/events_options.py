"""The study file's ``events:`` block: a product event log and the tasks defined by its events.

An event log is read by an engine (:mod:`uxcx.io.events`: DuckDB embedded by default,
Apache Spark with ``engine: spark``) and turned into per-attempt and per-person task measures
there; only those reach pandas. The block sits beside ``sources:``, not in it, because its
shape differs: an event log has no value maps or ranges, but tasks, a time zone and an engine.

.. code-block:: yaml

    events:
      path: events/               # a file, a folder (its *.parquet / *.csv) or a glob
      columns: {user_id: customer, session_id: session, event_time: timestamp,
                event_name: event, device: device}
      tasks:
        checkout: {start: [cart_viewed], success: [order_placed],
                   errors: [payment_error, form_error], timeout: 30 min}
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["EventsConfig", "EventTask", "ID_ROLES", "EVENT_ROLES", "parse_timeout"]

ID_ROLES = ("customer", "participant")
# roles with a meaning of their own; every other mapped role is a property kept on each attempt
EVENT_ROLES = ("session", "timestamp", "event")
_UNITS = {"s": 1, "sec": 1, "second": 1, "seconds": 1, "secs": 1, "m": 60, "min": 60, "mins": 60,
          "minute": 60, "minutes": 60, "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
          "d": 86400, "day": 86400, "days": 86400}
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,200}")  # an event name: printable, at most 200 characters


def parse_timeout(value) -> float:
    """A time-out as written (``30 min``, ``1 h``, ``90 s``, ``1800``) in seconds.

    >>> parse_timeout("30 min"), parse_timeout("1.5 h"), parse_timeout(90)
    (1800.0, 5400.0, 90.0)
    """
    if isinstance(value, bool):
        raise ValueError("a time-out is a duration such as 30 min, not yes/no")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match.group(2).lower() if match else None
        if not match or (unit and unit not in _UNITS):
            raise ValueError("a time-out is a number and a unit (s, min, h, d), such as 30 min")
        seconds = float(match.group(1)) * _UNITS.get(unit, 1)
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"a time-out is above 0, got {value!r}")
    return seconds


class EventTask(BaseModel):
    """A task defined by its events: where it starts, what counts as success, what as an error."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: list[str] = Field(min_length=1, description="event names that begin an attempt")
    success: list[str] = Field(min_length=1, description="event names that complete it")
    errors: list[str] = Field(default_factory=list, description="event names counted as errors")
    timeout_s: float = Field(alias="timeout", description="time from the start after which an "
                             "attempt with no success is abandoned: 30 min, 1 h, 90 s")

    @field_validator("start", "success", "errors", mode="before")
    @classmethod
    def _names(cls, names):
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list):
            raise ValueError("a list of event names, such as [cart_viewed]")
        bad = [str(n)[:40] for n in names if not isinstance(n, str) or not _NAME.fullmatch(n)]
        if bad:
            raise ValueError(f"event names are text of 1 to 200 printable characters, got {bad}")
        return [n.strip() for n in names]

    @field_validator("timeout_s", mode="before")
    @classmethod
    def _timeout(cls, value):
        return parse_timeout(value)

    @model_validator(mode="after")
    def _disjoint(self):
        kinds = {"start": self.start, "success": self.success, "errors": self.errors}
        seen: dict[str, str] = {}
        for kind, names in kinds.items():
            for name in names:
                if name in seen and seen[name] != kind:
                    raise ValueError(f"event {name!r} is both a {seen[name]} and a {kind} event of "
                                     "the task; an event can play one part in a task")
                seen[name] = kind
        return self


class EventsConfig(BaseModel):
    """The ``events:`` block: the log's file(s), its columns, time zone, window, engine and tasks."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, populate_by_name=True)

    path: str = Field(description="a Parquet or CSV file, a folder of them, or a glob "
                      "(events/*.parquet), relative to the study file")
    format: Literal["auto", "parquet", "csv"] = "auto"
    columns: dict[str, str] = Field(description="your column: role; the roles customer (or "
                                    "participant), timestamp and event are required, session optional, "
                                    "any other role is a property kept on each attempt")
    timezone: str = Field("UTC", description="the time zone of timestamps written without one (IANA "
                          "name such as Europe/Berlin); timestamps with an offset are converted")
    window: tuple[date, date] | None = Field(None, description="first and last day of the study: "
                                             "events outside are dropped with a reason")
    engine: Literal["duckdb", "spark"] = Field("duckdb", description="duckdb (embedded, the default) "
                                               "or spark (pip install 'uxcx[spark]' and a Java runtime)")
    spark_master: str | None = Field(None, alias="spark", description="Spark's master URL; default the "
                                     "environment's UXCX_SPARK_MASTER, else local[*]")
    memory_limit: str = Field("4GB", pattern=r"^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$",
                              description="DuckDB's memory limit; beyond it DuckDB spills to disk")
    tasks: dict[str, EventTask] = Field(min_length=1, description="task name: its events")

    @field_validator("spark_master", mode="before")
    @classmethod
    def _master(cls, value):
        if isinstance(value, dict):  # spark: {master: local[2]}
            extra = set(value) - {"master"}
            if extra:
                raise ValueError(f"spark: takes master only, got {sorted(extra)}")
            value = value.get("master")
        return value

    @field_validator("columns")
    @classmethod
    def _roles(cls, columns: dict[str, str]) -> dict[str, str]:
        roles = list(columns.values())
        bad = [r for r in roles if not re.fullmatch(r"[a-z][a-z0-9_]*", str(r))]
        if bad:
            raise ValueError(f"roles must be lower-case names such as customer or device, got {bad!r}")
        twice = sorted({r for r in roles if roles.count(r) > 1})
        if twice:
            raise ValueError(f"each role is mapped from one column; mapped more than once: {twice}")
        ids = [r for r in roles if r in ID_ROLES]
        if len(ids) != 1:
            raise ValueError("map exactly one column to the person's id: customer (to link to the "
                             f"customers and the survey) or participant; got {ids or 'none'}")
        missing = [r for r in ("timestamp", "event") if r not in roles]
        if missing:
            raise ValueError(f"map a column to each of the roles {missing} (the time of each event "
                             "and its name)")
        return columns

    @field_validator("timezone")
    @classmethod
    def _zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone[:40]!r}; use an IANA name such as UTC or "
                             "Europe/Berlin") from None
        return zone

    @field_validator("window")
    @classmethod
    def _ordered(cls, window):
        if window is not None and window[0] > window[1]:
            raise ValueError(f"window is [first day, last day], got {window[0]} after {window[1]}")
        return window

    @field_validator("tasks")
    @classmethod
    def _task_names(cls, tasks: dict) -> dict:
        bad = [str(t)[:40] for t in tasks if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,59}", str(t))]
        if bad:
            raise ValueError(f"task names are letters, digits, spaces, _ . - (up to 60), got {bad}")
        return tasks

    @property
    def id_role(self) -> str:
        """``customer`` or ``participant``: the role of the person's id."""
        return next(r for r in self.columns.values() if r in ID_ROLES)

    @property
    def has_session(self) -> bool:
        return "session" in self.columns.values()

    @property
    def properties(self) -> list[str]:
        """Roles kept on each attempt (device, page, ...), in the order mapped."""
        return [r for r in self.columns.values() if r not in ID_ROLES and r not in EVENT_ROLES]

    def header(self, role: str) -> str:
        """The column of the log mapped to ``role``."""
        return next(h for h, r in self.columns.items() if r == role)
