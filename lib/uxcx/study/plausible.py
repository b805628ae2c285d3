"""Values that read fine but look wrong: a hint naming the likely cause and the setting that fixes it.

Run on a source's values after they are read and before the range checks
(:func:`uxcx.study.validate.validate`), so a scale exported as choice positions
is named before half its rows are dropped as out of range:

- **choice positions**: a 0-10 scale whose every answer lies in 1-11, with some
  11 and no 0, is the NPS question exported as positions (``labels: {nps:
  positions-11}``); a 1-5 or 1-7 scale answered 0-4 or 0-6 is coded from 0
  (``zero-based-5``, ``zero-based-7``);
- **labels in a number column**: answers that are a built-in scale's labels
  ("10 - Extremely likely") name the scale to set under ``labels:``;
- **time units**: task times with a median over an hour look like milliseconds
  (``units: {time_s: ms}``); a median under five seconds written in decimals
  looks like minutes (``units: {time_s: min}``);
- **thousands that read as decimals**: a number column the reader typed as
  numbers, none with more than three decimals and some with three (``1.234``),
  may hold thousands separators (``decimal: ","``);
- **a churn date before the start date**: the customer's row is dropped with
  the reason (the retention page then runs on the others) instead of failing it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.io.labels import SCALES, label_map, normal_label

__all__ = ["plausibility", "END_BEFORE_START"]

END_BEFORE_START = "churn date before the start date"
_MIN_ANSWERS = 5
_SHIFT_SCALES = {(0, 10, +1): "positions-11", (1, 5, -1): "zero-based-5", (1, 7, -1): "zero-based-7"}


def plausibility(frame: pd.DataFrame, table: pd.DataFrame, keep: dict, roles: dict, source: str,
                 config, *, decimal_comma_file: bool = False) -> tuple[list[str], list[pd.DataFrame]]:
    """Hints on a source's values as read, and the rows to drop (a churn date before the start).

    Parameters
    ----------
    frame : DataFrame
        The values as read, by role (before the range checks).
    table : DataFrame
        The file's cells, by header, on the same index.
    keep : dict
        header -> role of the columns read.
    roles : dict
        role -> :class:`~uxcx.study.schema.Role`.
    source : str
    config : uxcx.study.study_file.SourceConfig
    decimal_comma_file : bool
        The file's fields are not separated by commas.

    Returns
    -------
    notes : list of str
        Sentences for the ledger, each naming the setting that fixes it.
    problems : list of DataFrame
        Rows to drop (row, column, value, reason, expected, hint).
    """
    header_of = {name: h for h, name in keep.items()}
    notes = _shifted_scales(frame, roles, source, config)
    notes += _labels_in_numbers(frame, table, header_of, roles, source, config)
    notes += _time_units(frame, roles, source, config)
    if getattr(config, "decimal", None) is None:
        notes += _three_decimals(frame, table, header_of, roles, source)
    problems = _end_before_start(frame, table, header_of, source)
    return notes, problems


def _whole_values(columns: list[pd.Series]) -> np.ndarray | None:
    """The answers of a family of items, missing ones left out, when all are whole numbers."""
    v = np.concatenate([c.to_numpy(dtype=float, na_value=np.nan) for c in columns])
    v = v[~np.isnan(v)]
    if len(v) < _MIN_ANSWERS or not np.all(v == np.round(v)):
        return None
    return v


def _shifted_scales(frame, roles, source, config) -> list[str]:
    # items of one questionnaire (sus_1 ... sus_10) are judged together: one item may lack a 0
    families: dict[tuple, list[str]] = {}
    for name, r in roles.items():
        if r.kind == "score" and r.low is not None and r.high is not None and not label_map(config, name):
            families.setdefault((name.rstrip("0123456789"), r.low, r.high), []).append(name)
    notes = []
    for (_, low, high), names in families.items():
        v = _whole_values([frame[n] for n in names])
        if v is None:
            continue
        for shift in (+1, -1):
            # every answer one step off the scale, many beyond its end (the scale's own end
            # answer), none at its other end: a stray typo (one 11) is no such sign
            beyond, other_end = (high + 1, low) if shift > 0 else (low - 1, high)
            if v.min() >= low + shift and v.max() <= high + shift \
                    and (v == beyond).sum() >= max(2, 0.05 * len(v)) and not (v == other_end).any():
                notes.append(_shift_note(names, low, high, shift, source))
    return notes


def _shift_note(names, low, high, shift, source) -> str:
    scale = _SHIFT_SCALES.get((low, high, shift))
    pattern = _pattern(names)
    recoded = ", ".join(f"{v + shift:g}: {v:g}" for v in range(int(low), int(high) + 1))
    setting = f"labels: {{{pattern}: {scale}}}" if scale else f"values: {{{pattern}: {{{recoded}}}}}"
    cause = ("choice positions (1 for the lowest answer) rather than the scale's values"
             if shift > 0 else "the scale coded from 0")
    edge = high + shift if shift > 0 else low + shift
    lose = (f"answers of {edge:g} are dropped as out of range and the rest read one point "
            + ("too high" if shift > 0 else "too low"))
    shown = ", ".join(names) if len(names) <= 3 else f"{names[0]} ... {names[-1]}"
    return (f"{shown}: every answer lies in {low + shift:g}-{high + shift:g} (the scale is "
            f"{low:g}-{high:g}): this looks like {cause}, so {lose}; if so, set {setting} under "
            f"sources.{source}")


def _pattern(names: list[str]) -> str:
    if len(names) > 1:
        stem = names[0].rstrip("0123456789")
        if all(n.startswith(stem) for n in names) and stem.endswith("_"):
            return f'"{stem}*"'
    return names[0] if len(names) == 1 else "{" + ", ".join(names) + "}"


def _labels_in_numbers(frame, table, header_of, roles, source, config) -> list[str]:
    notes = []
    for name, r in roles.items():
        if r.kind not in ("score", "number", "count") or label_map(config, name) or name not in header_of:
            continue
        column = table[header_of[name]]
        if not (pd.api.types.is_string_dtype(column.dtype) or pd.api.types.is_object_dtype(column.dtype)):
            continue  # read as numbers: no label there
        raw = column.astype("string").str.strip()
        text = raw[frame[name].isna() & raw.notna() & raw.ne("")]
        if not len(text):
            continue
        labels = set(text.map(normal_label).unique())
        scales = [k for k, v in SCALES.items() if len(labels & set(v)) >= max(1, len(labels) // 2)
                  and not k.startswith(("positions", "zero-based"))]
        if scales:
            best = max(scales, key=lambda k: (len(labels & set(SCALES[k])), -len(SCALES[k])))
            notes.append(f"{header_of[name]}: {len(text)} answer(s) are labels of the built-in scale "
                         f"{best} (such as {text.iloc[0]!r}) and are not read as numbers; set labels: "
                         f"{{{name}: {best}}} under sources.{source}")
    return notes


def _time_units(frame, roles, source, config) -> list[str]:
    notes = []
    for name, r in roles.items():
        if r.kind != "duration" or getattr(config, "units", None):
            continue
        v = frame[name].dropna().to_numpy(dtype=float)
        if len(v) < _MIN_ANSWERS:
            continue
        median = float(np.median(v))
        if median > 3600:
            notes.append(f"{name}: the median time is {median:,.0f} s ({median / 3600:.1f} hours) per "
                         f"task: the times look like milliseconds; if so, set units: {{{name}: ms}} "
                         f"under sources.{source}")
        elif median < 5 and np.mean(v != np.round(v)) >= 0.3:
            notes.append(f"{name}: the median time is {median:g} s, written with decimals: the times "
                         f"may be minutes (as some tools export them); if so, set units: {{{name}: min}} "
                         f"under sources.{source}")
    return notes


def _three_decimals(frame, table, header_of, roles, source) -> list[str]:
    notes = []
    for name, r in roles.items():
        if r.kind not in ("money", "number") or name not in header_of:
            continue
        column = table[header_of[name]]
        if not pd.api.types.is_float_dtype(column.dtype):
            continue  # read as text: numbers.read_numbers already decided with the whole column
        v = column.dropna().to_numpy(dtype=float)
        if len(v) < _MIN_ANSWERS:
            continue
        thousandths = np.round(v * 1000)
        # no value with more than three decimals, some with a third, none below 1: 1.234, 2.5 (2.500)
        if np.allclose(v * 1000, thousandths) and np.any(thousandths % 10 != 0) \
                and np.all(np.abs(v) >= 1):
            example = v[thousandths % 10 != 0][0]
            notes.append(f"{header_of[name]}: no value has more than three decimals and some have "
                         f"three (such as {example:.3f}), as thousands separators would: if the dots "
                         f"separate thousands, set decimal: ',' under sources.{source}")
    return notes


def _end_before_start(frame, table, header_of, source) -> list[pd.DataFrame]:
    if source != "customers" or not {"start", "end"} <= set(frame.columns):
        return []
    start, end = frame["start"], frame["end"]
    if not (pd.api.types.is_datetime64_any_dtype(start) and pd.api.types.is_datetime64_any_dtype(end)):
        return []
    before = (end < start).fillna(False).to_numpy(dtype=bool)
    if not before.any():
        return []
    rows = frame.index[before]
    shown = start[before].dt.strftime("%Y-%m-%d").to_numpy()
    return [pd.DataFrame({
        "row": rows, "column": header_of.get("end", "end"),
        "value": table.loc[rows, header_of["end"]].astype(object).to_numpy() if "end" in header_of
        else end[before].astype(object).to_numpy(),
        "reason": END_BEFORE_START, "expected": [f"a date on or after the start, {d}" for d in shown],
        "hint": "check the two dates (swapped?); the customer is left out of the analysis"})]
