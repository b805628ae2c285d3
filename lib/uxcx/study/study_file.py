"""The study file: what the data are, where they are, and how to analyse them.

A study file is YAML (see ``data/sample/study.yml`` and the README, "Using
your own data"). It is validated with pydantic when it is read: an unknown
key is an error with a did-you-mean, a missing file names the path it
resolved, and every problem of the file is reported at once.
:func:`uxcx.study.load.load_study` then reads the data it names.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from uxcx._core.checks import P_ADJUST_METHODS
from uxcx._core.targets import DEFAULT_TARGETS, TARGET_RANGES
from uxcx.errors import StudyError
from uxcx.io.secrets import known_secrets, redact
from uxcx.io.source_file import DEFAULT_MAX_MB, path_problem
from uxcx.study.events_options import EventsConfig, EventTask
from uxcx.study.privacy_options import Privacy
from uxcx.study.reading_options import ReadingOptions
from uxcx.study.study_checks import check_files, check_links, study_key
from uxcx.study.study_yaml import parse_study_yaml
from uxcx.study.value_maps import answer_map

__all__ = ["StudyFile", "SourceConfig", "Analysis", "Measures", "Item", "read_study"]

# The sources a study can have (uxcx.study.schema.SOURCES describes each); kept here so that
# reading a study file needs neither pandas nor pandera.
SOURCE_NAMES = ("usability", "questionnaire", "survey", "customers")

Format = Literal["auto", "csv", "tsv", "xlsx", "parquet", "json", "qualtrics", "surveymonkey",
                 "google-forms", "wide-tasks", "testing-platform"]


class _Strict(BaseModel):
    # a number where text is expected is the text written (title: 2024, a header 1998)
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class SourceConfig(_Strict, ReadingOptions):
    """One source: its file and how its columns map onto roles (and, from
    :class:`~uxcx.study.reading_options.ReadingOptions`, how it writes numbers, dates and times)."""

    path: str = Field(description="file path, relative to the study file")
    format: Format = "auto"
    sheet: str | int | None = Field(None, description="XLSX sheet name or 0-based index")
    columns: dict[str, str] = Field(default_factory=dict, description="your header: role")
    values: dict[str, dict[str | int | float | bool, float | None]] = Field(
        default_factory=dict, description="value maps by role (or role pattern such as sus_*)")
    ranges: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="allowed range by role, overriding the data dictionary")
    personal: list[str] = Field(
        default_factory=list, description="roles holding personal data: never reach a report")
    include_personal: list[str] = Field(
        default_factory=list, description="personal roles the study opts in to keep")
    # survey and testing-tool exports (uxcx.io.exports, uxcx.io.wide, uxcx.io.labels)
    unfinished: Literal["drop", "keep"] = Field(
        "drop", description="Qualtrics responses with Finished = False: drop (default) or keep")
    match: Literal["id", "text"] = Field(
        "id", description="Qualtrics: the columns: mapping names column ids or question texts")
    labels: dict[str, str | dict[str | int | float | bool, float | None]] = Field(
        default_factory=dict, description="label scale by role or pattern: a built-in scale's "
        "name (agreement, likelihood-11, ...) or your own label: value map")
    reverse: list[str] = Field(
        default_factory=list, description="roles or patterns whose label scale runs the other way")
    sus_by_position: bool | int | str = Field(
        False, description="map ten columns to sus_1..sus_10 in order: true (the ten unmapped "
        "columns), or the first item's header or 1-based column number")
    multi_select: list[str] = Field(
        default_factory=list, description="columns of answers joined with ', ' (Google Forms "
        "checkboxes): spread into one 1/0 column per option")
    multi_select_separator: str = Field(
        ", ", min_length=1, max_length=8,
        description="what joins the choices of a multi_select column (', ' by default; ';' in some exports)")
    out_of_range: Literal["drop", "blank"] = Field(
        "drop", description="a value outside its role's range: drop the row (default) or blank that "
        "cell only; either way the ledger records row, column, value and reason")
    wide_pattern: str | None = Field(
        None, description="wide-tasks: regular expression with groups (?P<task>) and "
        "(?P<measure>) for the task columns; default matches 'T1 success', 'Task 2 time'")
    max_file_mb: float = Field(
        DEFAULT_MAX_MB, gt=0, description="the largest file read into memory, in megabytes; "
        "raise it for a larger export")

    @field_validator("values", "labels")
    @classmethod
    def _one_value_per_answer(cls, maps: dict, info) -> dict:
        return {role: (answer_map(role, mapping)
                       if isinstance(mapping, dict) else mapping) for role, mapping in maps.items()}

    @field_validator("sus_by_position", mode="before")
    @classmethod
    def _yes_no(cls, value):
        words = {"yes": True, "y": True, "on": True, "no": False, "n": False, "off": False}
        return words.get(value.strip().lower(), value) if isinstance(value, str) else value

    @field_validator("ranges")
    @classmethod
    def _ranges_ordered(cls, ranges: dict) -> dict:
        bad = [f"{role}: [{low:g}, {high:g}]" for role, (low, high) in ranges.items()
               if math.isnan(low) or math.isnan(high) or low >= high]
        if bad:
            raise ValueError(f"each range is [lowest, highest] with lowest below highest, got {bad}")
        return ranges

    @field_validator("labels")
    @classmethod
    def _scales_exist(cls, labels: dict) -> dict:
        from uxcx.io.labels import SCALES

        bad = [f"{k}: {v}" for k, v in labels.items() if isinstance(v, str) and v not in SCALES]
        if bad:
            raise ValueError(f"unknown label scale in {bad}; built-in scales are "
                             + ", ".join(SCALES) + ", or write your own map of label: value")
        return labels

    @field_validator("columns")
    @classmethod
    def _roles_are_names(cls, columns: dict[str, str]) -> dict[str, str]:
        bad = [r for r in columns.values() if not re.fullmatch(r"[a-z][a-z0-9_]*", str(r))]
        if bad:
            raise ValueError(
                f"roles must be lower-case names such as nps or sus_1, got {bad!r}")
        return columns

    def value_map(self, role: str) -> dict | None:
        """The value map for ``role``: its own, or the first pattern (``sus_*``) that fits."""
        if role in self.values:
            return self.values[role]
        for key, mapping in self.values.items():
            if "*" in key and re.fullmatch(key.replace("*", ".*"), role):
                return mapping
        return None


class Analysis(_Strict):
    """Settings shared by every analysis of the study."""

    confidence_level: float = Field(0.95, gt=0, lt=1)
    alpha: float = Field(0.05, gt=0, lt=1)
    p_adjust: Literal[P_ADJUST_METHODS] = "holm"
    seed: int = Field(20261123, ge=0, lt=2**63, description="seed of every random step: a whole "
                      "number from 0 (numpy's generators take no negative seed)")
    segments: list[str] = Field(default_factory=list)
    partial_success: Literal[0, 0.5, 1] = 0.5
    time_unit: Literal["days", "months"] = "months"
    observed_until: date | None = Field(
        None, description="end of observation for customers still active; default the latest date seen")
    horizons: list[float] = Field(default_factory=lambda: [3, 6, 12], min_length=1,
                                  description="retention horizons, in time_unit")
    pseudonym_key: str | None = Field(
        None, repr=False, exclude=True,
        description="secret for the keyed hash of ids in exported tables; the environment "
                    "variable UXCX_PSEUDONYM_KEY takes precedence; never written to any output")

    @field_validator("seed", mode="before")
    @classmethod
    def _whole_seed(cls, seed):
        if isinstance(seed, bool):
            raise ValueError("the seed is a whole number such as 20261123, not yes/no")
        if isinstance(seed, (int, float)) and seed < 0:
            raise ValueError("the seed is a whole number from 0, such as 20261123 (numpy's random "
                             "generators take no negative seed, so every notebook that draws would fail)")
        return seed

    @field_validator("horizons")
    @classmethod
    def _positive_horizons(cls, horizons: list[float]) -> list[float]:
        bad = [h for h in horizons if not (math.isfinite(h) and h > 0)]
        if bad:
            raise ValueError(f"horizons are times after the start, above 0, in time_unit; got {bad}")
        return sorted(set(horizons))


SourceName = Literal["usability", "questionnaire", "survey", "customers"]


class Item(_Strict):
    """A rated item of the study's own (not one of the kit's roles)."""

    range: tuple[float, float] = Field(description="lowest and highest answer, e.g. [1, 5]")
    side: Literal["ux", "cx"] = Field(description="ux: measures the experience of use (ease, "
                                      "usefulness); cx: a customer outcome (satisfaction, loyalty)")
    label: str | None = Field(None, max_length=80, description="how the report names it")
    higher_is_better: bool = True

    @field_validator("range")
    @classmethod
    def _ordered(cls, bounds: tuple[float, float]) -> tuple[float, float]:
        low, high = bounds
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"range is [lowest, highest] answer with lowest below highest, got "
                             f"[{low:g}, {high:g}]")
        return bounds


class Drivers(_Strict):
    """Key-driver analysis: which outcome, explained by which candidates."""

    outcome: str
    candidates: list[str] = Field(min_length=2)


class Mediation(_Strict):
    """A mediation path x -> mediator -> outcome (Hayes model 4)."""

    x: str
    mediator: str
    outcome: str


class Measures(_Strict):
    """What the study is about. Every key is optional: defaults come from the roles present.

    Names here are roles (``nps``, ``sus_3``, ``ease_search``), your own ``items``, or the
    per-person scores the kit computes from them (``sus``, ``umux_lite``, ``ease``,
    ``loyalty``, ``ux_index``, ``success_rate``, ``time_s``, ``seq_mean``, ``promoter``).
    """

    items: dict[str, Item] = Field(default_factory=dict,
                                   description="your own rated items: range, side (ux or cx), label")
    ux: list[str] | None = Field(None, description="UX measures to link; default every UX measure present")
    cx: list[str] | None = Field(None, description="CX outcomes; default every CX outcome present")
    ux_index: list[str] | None = Field(
        None, description="items averaged (standardised) into one UX index per person; default the "
        "UMUX-Lite, ease and ux items of the survey")
    loyalty_index: list[str] | None = Field(
        None, description="items averaged into the loyalty index; default the loyalty_* items")
    design: str | None = Field(None, description="the segment holding the designs compared in the "
                               "usability test; default the first segment with 2+ designs")
    drivers: Drivers | None = None
    mediation: Mediation | None = None
    labels: dict[str, str] = Field(default_factory=dict, description="display names in the report")
    currency: str | None = Field(None, max_length=8, description="currency of revenue, e.g. EUR or $")
    targets: dict[str, float] = Field(
        default_factory=dict, description="benchmarks the results are tested against, by measure "
        "(sus: 68, csat: 4.0, nps: 30, completion: 0.78, or one of your items); SUS and UMUX-Lite "
        "default to 68, SEQ to 5.5, completion to 0.78; CSAT, CES and NPS are tested only when stated")

    @field_validator("targets")
    @classmethod
    def _targets_on_their_scales(cls, targets: dict[str, float], info) -> dict[str, float]:
        own = {name: item.range for name, item in (info.data.get("items") or {}).items()}
        problems = []
        for name, value in targets.items():
            scale = TARGET_RANGES.get(name) or own.get(name)
            if scale is None:
                allowed = [*TARGET_RANGES, *own]
                near = difflib.get_close_matches(name, allowed, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                problems.append(f"{name!r} is not a measure with a target{hint}; targets can be set for "
                                f"{', '.join(allowed)}")
            elif not (math.isfinite(value) and scale[0] <= value <= scale[1]):
                problems.append(f"{name}: {value:g} is outside its scale {scale[0]:g} to {scale[1]:g}")
        if problems:
            raise ValueError("; ".join(problems))
        return targets

    def target(self, measure: str) -> float | None:
        """The benchmark of ``measure``: the study's, else the published default, else None.

        >>> Measures(targets={"csat": 4.0}).target("csat"), Measures().target("sus"), Measures().target("nps")
        (4.0, 68.0, None)
        """
        return self.targets.get(measure, DEFAULT_TARGETS.get(measure))

    @field_validator("labels")
    @classmethod
    def _short_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        long = [k for k, v in labels.items() if len(str(v)) > 80]
        if long:
            raise ValueError(f"labels longer than 80 characters: {long}")
        return labels


class StudyFile(_Strict):
    """The whole study file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                      description="short name; reports go to reports/<name>/")
    title: str | None = None
    description: str | None = None
    sources: dict[SourceName, SourceConfig] = Field(default_factory=dict)
    events: EventsConfig | None = Field(None, description="a product event log and the tasks its "
                                        "events define (uxcx.study.events_options)")
    links: list[tuple[str, str]] = Field(default_factory=list)
    analysis: Analysis = Field(default_factory=Analysis)
    measures: Measures = Field(default_factory=Measures)
    on_invalid: Literal["drop", "stop"] = "drop"
    privacy: Privacy = Field(default_factory=Privacy)


def read_study(path) -> tuple[StudyFile, Path]:
    """Read and validate a study file without loading its data.

    Returns the validated settings and the study file's absolute path.
    Raises :class:`~uxcx.errors.StudyError` listing every problem.
    """
    path = Path(os.path.realpath(Path(path).expanduser()))  # realpath: a link loop is no crash
    problem = path_problem(path, data=False)
    if problem:
        raise StudyError(f"no such file: {path}" if problem.missing
                         else f"{problem.reason}; give the path of the study file (.yml) itself", path)
    raw = parse_study_yaml(path)
    if not isinstance(raw, dict):
        raise StudyError("expected a mapping of keys (name:, sources:, ...) at the top", path)
    secrets = known_secrets([study_key(raw)])
    try:
        config = StudyFile.model_validate(raw)
    except ValidationError as err:
        raise StudyError([redact(_explain(e, raw), secrets) for e in err.errors()], path) from None
    problems = check_files(config, path.parent) + check_links(config)
    if not config.sources and config.events is None:  # a file, not a settings object, needs data
        problems.insert(0, "sources: required key is missing: name at least one source "
                        f"({', '.join(SOURCE_NAMES)}) or an events: block")
    if problems:
        raise StudyError([redact(p, secrets) for p in problems], path)
    return config, path


def _explain(error: dict, raw: dict) -> str:
    """A pydantic error in words, with a did-you-mean for unknown keys."""
    loc = ".".join(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        key = str(error["loc"][-1])
        model = _model_at(error["loc"][:-1])
        keys = [field.alias or name for name, field in model.model_fields.items()] if model else []
        near = difflib.get_close_matches(key, keys, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        allowed = f" Allowed here: {', '.join(keys)}." if model else ""
        return f"{loc}: unknown key{hint}{allowed}"
    if error["type"] == "literal_error" and len(error["loc"]) >= 2 and error["loc"][0] == "sources" \
            and error["loc"][-1] == "[key]":
        key = str(error["input"])[:60]  # a name typed by the user, quoted short
        near = difflib.get_close_matches(key, SOURCE_NAMES, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return f"sources: unknown source {key!r}{hint} Sources are {', '.join(SOURCE_NAMES)}."
    if error["type"] == "missing":
        return f"{loc}: required key is missing"
    secret = "pseudonym_key" in loc or loc == "analysis"  # the input may be the key
    got = "" if secret else f" (got {_short(error.get('input'))})"
    return f"{loc}: {error['msg'].removeprefix('Value error, ')}{got}"


def _short(value) -> str:
    """A value as a message quotes it: at most 80 characters (a huge alias expansion is no message)."""
    if isinstance(value, (dict, list, tuple, set)) and len(value) > 20:
        return f"a {type(value).__name__} of {len(value)} entries"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] | None = StudyFile
    skip = False
    for part in loc:
        if skip:
            skip = False
            continue
        if model is StudyFile and part == "sources":
            model, skip = SourceConfig, True  # next part is the source name
        elif model is StudyFile and part == "analysis":
            model = Analysis
        elif model is StudyFile and part == "measures":
            model = Measures
        elif model is StudyFile and part == "privacy":
            model = Privacy
        elif model is StudyFile and part == "events":
            model = EventsConfig
        elif model is EventsConfig and part == "tasks":
            model, skip = EventTask, True  # next part is the task's name
        elif model is Measures and part in ("drivers", "mediation"):
            model = Drivers if part == "drivers" else Mediation
        elif model is Measures and part == "items":
            model, skip = Item, True  # next part is the item's name
        else:
            return None
    return model
