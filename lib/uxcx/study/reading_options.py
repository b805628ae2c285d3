"""How a source writes its numbers, dates, times and missing answers: the study file's say.

The loader detects each column's convention from the whole column (decimal comma or
point, day or month first); these options state it instead, for the source as a whole
or per role (a map of role or pattern such as ``time_*`` to the value)::

    sources:
      customers:
        path: customers.csv
        decimal: ","          # 1.234,50 -> 1234.5
        thousands: "."        # optional: the grouping mark ("none" for no grouping)
        dayfirst: true        # 03/04/2025 is 3 April
        date_format: "%d.%m.%Y"   # or a format (strftime codes) per role
        units: {time_s: ms}   # bare numbers of a time column in ms, s, min or h
        missing: {region: ["n/a", "unknown"]}   # text that means no answer in a text column

:class:`ReadingOptions` holds the fields (the study file's ``SourceConfig`` inherits them);
:func:`reading_for` gives the settings for one role as a :class:`Reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ReadingOptions", "Reading", "reading_for", "UNIT_SECONDS"]

Decimal = Literal[",", "."]
Thousands = Literal[",", ".", " ", "'", "none"]
Unit = Literal["ms", "s", "min", "h"]
#: Seconds in one of each unit a time column may be written in.
UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0}

T = TypeVar("T")


class ReadingOptions(BaseModel):
    """Conventions of the file, stated for the whole source or per role (``{role: value}``)."""

    model_config = ConfigDict(extra="forbid")

    decimal: Decimal | dict[str, Decimal] | None = Field(
        None, description="decimal mark of numbers ('.' or ','); default: detected per column")
    thousands: Thousands | dict[str, Thousands] | None = Field(
        None, description="thousands separator (',', '.', ' ', \"'\" or 'none'); default: the "
        "mark that is not the decimal one, and spaces")
    dayfirst: bool | dict[str, bool] | None = Field(
        None, description="dates such as 03/04/2025 read day first (true) or month first "
        "(false); default: detected per column")
    date_format: str | dict[str, str] | None = Field(
        None, description="the exact date format (strftime codes, e.g. '%d.%m.%Y %H:%M')")
    units: Unit | dict[str, Unit] | None = Field(
        None, description="unit of bare numbers in time columns (ms, s, min or h); default s")
    missing: dict[str, list[str | int | float]] = Field(
        default_factory=dict, description="by role: texts meaning 'no answer' in a text, "
        "category or key column (numeric columns already read NA, N/A, null ... as missing)")


@dataclass(frozen=True)
class Reading:
    """The settings that apply to one role (None: detect from the column)."""

    role: str = ""
    source: str = ""
    decimal: str | None = None
    thousands: str | None = None
    dayfirst: bool | None = None
    date_format: str | None = None
    units: str | None = None
    missing: tuple[str, ...] = field(default_factory=tuple)
    decimal_comma_file: bool = False  # the file's fields are not separated by commas
    file_decimal: str | None = None  # the mark the file's other number columns show


def _matches(pattern: str, role: str) -> bool:
    return pattern == role or ("*" in pattern and re.fullmatch(pattern.replace("*", ".*"), role) is not None)


def _for(value: T | dict[str, T] | None, role: str) -> T | None:
    if isinstance(value, dict):
        return next((v for k, v in value.items() if _matches(k, role)), None)
    return value


def _first(*values):
    return next((v for v in values if v is not None), None)


def reading_for(config, role: str, *, source: str = "", decimal_comma_file: bool = False,
                file_dayfirst: bool | None = None, file_decimal: str | None = None) -> Reading:
    """The settings of ``config`` (a source's settings) that apply to ``role``.

    ``file_dayfirst`` is the order the file's date columns show together
    (:func:`uxcx.study.dates.file_dayfirst`); the study file's ``dayfirst:`` wins over it.
    ``file_decimal`` is the decimal mark its number columns show
    (:func:`uxcx.study.numbers.file_decimal`), used where a column alone does not settle it.

    Examples
    --------
    >>> from uxcx.study.study_file import SourceConfig
    >>> c = SourceConfig(path="x.csv", decimal=",", units={"time_*": "ms"})
    >>> r = reading_for(c, "time_s")
    >>> r.decimal, r.units, reading_for(c, "nps").units
    (',', 'ms', None)
    """
    return Reading(
        role=role, source=source,
        decimal=_for(getattr(config, "decimal", None), role),
        thousands=_for(getattr(config, "thousands", None), role),
        dayfirst=_first(_for(getattr(config, "dayfirst", None), role), file_dayfirst),
        date_format=_for(getattr(config, "date_format", None), role),
        units=_for(getattr(config, "units", None), role),
        missing=tuple(str(m) for m in _for(getattr(config, "missing", None) or None, role) or ()),
        decimal_comma_file=decimal_comma_file, file_decimal=file_decimal)
