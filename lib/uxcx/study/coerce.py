"""Reading a column's values as its role says, vectorised, recording repairs.

Every function takes the column as read (any dtype: pyarrow, object, string)
and returns a :class:`Coerced`: the values in the role's type, a mask of
cells that could not be read (with the reason), the repairs made (a
description and a mask of the cells changed) and notes for the ledger (a
convention assumed, a value written in another one). Nothing is dropped here;
the loader decides.

Text is compared as a reader sees it (:mod:`uxcx.io.unicode_text`: NFC, no
invisible characters), so ids and labels that differ only there are one.
Missing markers (``NA``, ``null``, ``None``, :mod:`uxcx.io.markers`) are missing
in number, date and yes/no roles; key, category and text roles keep them as
text unless the study lists them under ``missing:``. Numbers are read with one
decimal convention per column (:mod:`uxcx.study.numbers`), dates with one order
(:mod:`uxcx.study.dates`), bare numbers of times in the study's ``units:``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from uxcx.io.markers import is_marker
from uxcx.io.unicode_text import arrow_strings, arrow_text, python_strings, visible, visible_with_changes
from uxcx.study.dates import read_dates
from uxcx.study.numbers import as_float, read_numbers
from uxcx.study.reading_options import UNIT_SECONDS, Reading
from uxcx.study.schema import Role

__all__ = ["Coerced", "coerce", "NOT_A_POSITION"]

# Spellings of yes and no that need no value map (compared case-insensitively).
_TRUE = {"1", "1.0", "yes", "y", "true", "t", "success", "succeeded", "pass", "passed",
         "completed", "complete", "done"}
_FALSE = {"0", "0.0", "no", "n", "false", "f", "fail", "failed", "failure", "not completed",
          "incomplete"}
_PARTIAL = {"0.5", "partial", "partly", "partially"}

# Excel stores dates as days since 1899-12-30; serials in this span are 1954-2118.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIALS = (20_000, 80_000)

NOT_A_POSITION = "number the map does not recode"  # a map of numbers (positions-11) covers them all
_TEXT_KINDS = ("key", "category", "text")
_UNICODE_REPAIR = "invisible characters removed or Unicode normalised (NFC)"


@dataclass
class Coerced:
    values: pd.Series
    bad: pd.Series  # bool mask: the cell held something that could not be read
    reason: str = ""
    repairs: dict[str, pd.Series] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def coerce(series: pd.Series, r: Role, value_map: Mapping | None = None, *,
           decimal_comma: bool = False, reading: Reading | None = None,
           written: pd.Series | None = None) -> Coerced:
    """Read ``series`` as role ``r``, applying ``value_map`` (label -> value) first.

    Parameters
    ----------
    series : pandas.Series
        The column as read.
    r : Role
    value_map : mapping, optional
        Label -> value (None for a missing answer), from ``labels:`` and ``values:``.
    decimal_comma : bool
        The file's fields are not separated by commas: where no value of a number
        column settles its decimal mark, a decimal comma is assumed.
    reading : Reading, optional
        The study file's conventions for this role (:func:`uxcx.study.reading_options.reading_for`):
        ``decimal``, ``thousands``, ``dayfirst``, ``date_format``, ``units``, ``missing``.
    written : pandas.Series, optional
        The column as the reader gave it, when ``series`` holds the same text in Arrow
        (converted once for several checks): unchanged keys keep these Python strings.
    """
    reading = reading or Reading(decimal_comma_file=decimal_comma)
    if decimal_comma and not reading.decimal_comma_file:
        reading = replace(reading, decimal_comma_file=True)
    repairs: dict[str, pd.Series] = {}
    written = series if written is None else written
    if _is_text(series):
        clean, fixed = visible_with_changes(series)
        if r.kind in _TEXT_KINDS:
            if fixed.any():
                repairs[_UNICODE_REPAIR] = fixed
        series = clean
    blank = _blank(series)
    if _is_text(series) and r.kind not in _TEXT_KINDS:
        blank = blank | is_marker(series)  # NA, N/A, null, None: no number here
    if reading.missing:
        declared = _text(series).str.lower().isin([" ".join(visible(m).lower().split())
                                                  for m in reading.missing])
        declared = declared.fillna(False).astype(bool) & ~blank
        if declared.any():
            blank, series = blank | declared, series.where(~declared)
            repairs["texts listed under missing: read as missing"] = declared
    if value_map:
        series, mapped = _apply_map(series.where(~blank), value_map, r.kind)
        # Labels mapped to nothing ("N/A", "Don't know") are missing answers, not errors.
        to_missing = mapped & pd.isna(series)
        if to_missing.any():
            blank = blank | to_missing
            repairs["labels mapped to missing (e.g. N/A)"] = to_missing
    else:
        mapped = pd.Series(False, index=series.index)
    reader = _READERS[r.kind]
    out = reader(series, blank, mapped, reading)
    if r.kind == "key":  # read in Arrow; the frame holds Python strings
        unchanged = not repairs and not out.repairs and not mapped.any()
        out.values = _key_strings(out.values, written, blank, unchanged)
    out.repairs.update(repairs)
    # A label the map did not cover reads better than "not a number".
    if value_map and r.kind in ("score", "number", "count", "binary"):
        out.reason = "label not in the value map" if _has_text(series, out.bad) else out.reason
        if _positions(value_map):  # positions 1-11 read as 0-10: a number outside them is wrong
            outside = ~mapped & ~blank & ~out.bad
            if outside.any():
                out.bad = out.bad | outside
                out.values = out.values.where(~outside)
                out.reason = NOT_A_POSITION
    return out


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series.dtype) or series.dtype == object


def _positions(value_map: Mapping) -> bool:
    """Whether every label of the map is a number (a scale of choice positions)."""
    keys = [k for k, v in value_map.items() if v is not None]
    return bool(keys) and all(str(k).lstrip("-").replace(".", "", 1).isdigit() for k in keys)


# Text work runs on Arrow-backed strings (vectorised in C++); results go back to "string".
_ARROW_TEXT = pd.StringDtype("pyarrow")


def _blank(series: pd.Series) -> pd.Series:
    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return pd.Series(series.isna().to_numpy(bool), index=series.index)
    text = pa.array(arrow_strings(series).array)  # missing or only spaces (stripped as .str.strip does)
    empty = pc.or_kleene(pc.is_null(text), pc.equal(pc.utf8_trim_whitespace(text), ""))
    return pd.Series(pc.fill_null(empty, True).to_numpy(zero_copy_only=False), index=series.index,
                     name=series.name)


def _text(series: pd.Series) -> pd.Series:
    """Values as stripped strings (missing stays missing); numbers lose a trailing '.0'."""
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.astype("float64")
        whole = values.notna() & (values % 1 == 0)
        text = values.astype(_ARROW_TEXT)
        text[whole] = values[whole].astype("int64").astype(_ARROW_TEXT)
        return text
    return arrow_strings(series).str.strip()


def _apply_map(series: pd.Series, value_map: Mapping, kind: str = "") -> tuple[pd.Series, pd.Series]:
    keys = {_norm(k): v for k, v in value_map.items()}
    labels = pa.array(list(keys), type=pa.large_string())
    where = pc.index_in(_map_norm(series), value_set=labels)  # null where no label matches
    hit = pd.Series(pc.is_valid(where).to_numpy(zero_copy_only=False), index=series.index)
    if kind in _NUMBER_KINDS and _numbers_only(keys.values()) and (hit | series.isna()).all():
        # Every answer is a label and every label a number: the values are one float column.
        numbers = np.array([np.nan if v is None else float(v) for v in keys.values()])
        taken = pc.take(pa.array(numbers), where).to_numpy(zero_copy_only=False)
        return pd.Series(taken, index=series.index, name=series.name).astype("float64"), hit
    out = series.astype(object).copy()
    positions = pc.drop_null(where).to_numpy(zero_copy_only=False)
    out[hit.to_numpy()] = np.array(list(keys.values()), dtype=object)[positions]
    return out, hit


# Roles whose reader takes a float column as it is (a map to numbers needs no text).
_NUMBER_KINDS = ("binary", "score", "count", "number", "money")
# Python's str.split() whitespace (str.isspace), which RE2's \s does not all cover.
_SPACE_RUN = ("[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\x{1680}\\x{2000}-\\x{200a}"
              "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]+")


def _map_norm(series: pd.Series):
    """Labels as compared with the map's (:func:`_norm`): lower case, one space between words (Arrow)."""
    text = arrow_text(_text(series))
    # answers repeat a few labels: each distinct text is normalised once, then spread back
    encoded = pc.dictionary_encode(text)
    collapsed = pc.replace_substring_regex(pc.utf8_lower(encoded.dictionary), _SPACE_RUN, " ")
    return pc.take(pc.utf8_trim(collapsed, " "), encoded.indices)


def _numbers_only(values) -> bool:
    return all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values)


def _norm(label) -> str:
    return " ".join(visible(label).lower().split())


def _has_text(series: pd.Series, bad: pd.Series) -> bool:
    if not bad.any():
        return False
    numeric = pd.to_numeric(_text(series[bad]), errors="coerce")
    return bool(numeric.isna().any())


def _numbers(series: pd.Series, blank: pd.Series, mapped: pd.Series, reading: Reading, *,
             currency=False, percent=True) -> tuple[pd.Series, pd.Series, str, dict, list]:
    """Values, cells not read, the reason, repairs and notes (one convention per column).

    Cells a value map gave their number keep it; the others are read by
    :func:`uxcx.study.numbers.read_numbers`.
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.astype("float64")
        return values, values.isna() & ~blank, "not a number", {}, []
    got = read_numbers(_text(series.where(~mapped)), blank | mapped, decimal=reading.decimal,
                       thousands=reading.thousands, decimal_comma_file=reading.decimal_comma_file,
                       currency=currency, percent=percent, role=reading.role, source=reading.source,
                       file_decimal=reading.file_decimal)
    values = got.values
    if mapped.any():
        values = values.where(~mapped, pd.to_numeric(series.where(mapped), errors="coerce"))
    return values.astype("float64"), got.bad & ~blank, got.reason, got.repairs, got.notes


def _read_number(series, blank, mapped, reading) -> Coerced:
    return Coerced(*_numbers(series, blank, mapped, reading))


def _read_money(series, blank, mapped, reading) -> Coerced:
    return Coerced(*_numbers(series, blank, mapped, reading, currency=True))


def _read_binary(series, blank, mapped, reading) -> Coerced:
    # A number column (or one a map turned into numbers) reads as its floats: the
    # spellings below would give each number itself.
    if not pd.api.types.is_numeric_dtype(series.dtype):
        norm = _text(series).str.lower()
        values = pd.Series(np.nan, index=series.index, dtype="float64")
        values[norm.isin(_TRUE).fillna(False).astype(bool)] = 1.0
        values[norm.isin(_FALSE).fillna(False).astype(bool)] = 0.0
        values[norm.isin(_PARTIAL).fillna(False).astype(bool)] = 0.5
        numeric = pd.to_numeric(norm, errors="coerce").astype("float64")
        values = values.fillna(numeric)
    else:
        values = series.astype("float64")
    bad = values.isna() & ~blank
    return Coerced(values, bad, "not a yes/no value")


_DURATION_PATTERNS = [
    # 45200 ms
    (r"^(?P<ms>\d+(?:\.\d+)?)\s*(?:ms|msec|millisec(?:ond)?s?)$", "milliseconds"),
    # h:mm:ss(.f)
    (r"^(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)$", "h:mm:ss"),
    # m:ss(.f)
    (r"^(?P<m>\d+):(?P<s>\d{1,2}(?:\.\d+)?)$", "m:ss"),
    # 1h 2m 3s, 2 min 5 s, 83s, 83 sec, 1.5 min
    (r"^(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:rs?|ours?)?)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?"
     r"\s*(?:(?P<s>\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?$", "units"),
]


_UNITS = (("h", 3600.0), ("m", 60.0), ("s", 1.0), ("ms", 0.001))


def _read_duration(series, blank, mapped, reading) -> Coerced:
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        values = series.dt.total_seconds().astype("float64")
        return Coerced(values, values.isna() & ~blank, "not a duration")
    values, bad, _, repairs, notes = _numbers(series, blank, mapped, reading, percent=False)
    bare = values.notna()
    if reading.units and reading.units != "s":  # bare numbers only: 1:23 says its own unit
        factor = UNIT_SECONDS[reading.units]  # ms: divide, so 38050 ms is 38.05 s exactly
        values = values * factor if factor >= 1 else values / round(1 / factor)
        if bare.any():
            repairs[f"numbers read as {reading.units} (units: {reading.units}) and converted to "
                    "seconds"] = bare
    if bad.any():
        text = _text(series[bad]).str.lower()
        for pattern, label in _DURATION_PATTERNS:
            parts = text.str.extract(pattern).astype("float64")
            seconds = sum(parts[unit].fillna(0) * factor for unit, factor in _UNITS
                          if unit in parts)
            ok = parts.notna().any(axis=1) & values[text.index].isna()
            idx = ok.index[ok.to_numpy()]
            if len(idx):
                values[idx] = seconds[idx]
                repairs[f"durations written as {label} converted to seconds"] = pd.Series(
                    series.index.isin(idx), index=series.index)
        bad = values.isna() & ~blank
    return Coerced(values, bad, "not a duration", repairs, notes)


def _read_date(series, blank, mapped, reading) -> Coerced:
    cast = _cast_dates(series) if not reading.date_format else None
    if cast is not None:  # the reader parsed ISO dates: one cast
        return Coerced(cast, cast.isna() & ~blank, "not a date")
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.astype("datetime64[ns]")
        return Coerced(values, values.isna() & ~blank, "not a date")
    repairs, notes, reason = {}, [], "not a date"
    values = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    text = _text(series)
    plain = text.str.fullmatch(r"\d{5}(?:\.\d+)?").fillna(False).astype(bool)  # serials only
    numeric = pd.Series(np.nan, index=series.index)
    if plain.any():
        numeric[plain] = as_float(text[plain])
    serial = numeric.between(*_EXCEL_SERIALS).fillna(False).astype(bool)
    if reading.date_format:
        serial[:] = False  # a stated format says how every value is written
    if serial.any():
        values[serial] = _EXCEL_EPOCH + pd.to_timedelta(numeric[serial], unit="D")
        repairs["Excel serial numbers read as dates"] = serial
    rest = ~serial & ~blank
    if rest.any():
        parsed, _, reason, notes = read_dates(_text(series[rest]), blank[rest], dayfirst=reading.dayfirst,
                                              date_format=reading.date_format, role=reading.role,
                                              source=reading.source)
        values[rest] = parsed
    return Coerced(values, values.isna() & ~blank, reason, repairs, notes)


def _cast_dates(series: pd.Series) -> pd.Series | None:
    """A column that arrived as Arrow dates (or zone-less timestamps) as datetime64[ns], else None.

    None too when a date lies outside what nanoseconds hold (years 1677-2262): the
    text path then reports those cells as not dates.
    """
    if not isinstance(series.dtype, pd.ArrowDtype):
        return None
    kind = series.dtype.pyarrow_dtype
    if not (pa.types.is_date(kind) or (pa.types.is_timestamp(kind) and kind.tz is None)):
        return None
    try:
        cast = pc.cast(pa.array(series.array), pa.timestamp("ns"))
    except pa.ArrowInvalid:
        return None
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=series.index, name=series.name)


def _read_key(series, blank, mapped, reading) -> Coerced:
    raw = arrow_strings(series)
    values = _text(series)
    floats = values.str.fullmatch(r"\d+\.0+").fillna(False).astype(bool)  # 123.0 stored as a number
    if floats.any():
        values[floats] = values[floats].str.split(".").str[0]
    values[blank] = pd.NA
    changed = (raw != values).fillna(False).astype(bool) & ~blank
    repairs = {"identifiers trimmed or written without a trailing .0": changed} if changed.any() else {}
    return Coerced(values, pd.Series(False, index=series.index), "", repairs)  # Arrow: see coerce


def _key_strings(values: pd.Series, written: pd.Series, blank: pd.Series, unchanged: bool) -> pd.Series:
    """Key values as pandas "string" (Python storage), as the reader wrote them when nothing changed.

    The CSV reader gives keys as Python strings already: where no cell was repaired, mapped or
    blanked, those are the values, and making a million of them again costs 0.1 s.
    """
    if (unchanged and written.dtype == pd.StringDtype() and pd.StringDtype() == pd.StringDtype("python")
            and np.array_equal(blank.to_numpy(bool), written.isna().to_numpy(bool))):
        return written.copy()
    return python_strings(values)


def _read_category(series, blank, mapped, reading) -> Coerced:
    values = _text(series)
    values[blank] = pd.NA
    return Coerced(python_strings(values), pd.Series(False, index=series.index))


def _read_text(series, blank, mapped, reading) -> Coerced:
    text = pd.api.types.is_string_dtype(series.dtype) and series.dtype != object
    values = arrow_strings(series) if text else series.astype("string")
    values[blank] = pd.NA
    return Coerced(python_strings(values), pd.Series(False, index=series.index))


_READERS = {
    "key": _read_key,
    "category": _read_category,
    "text": _read_text,
    "binary": _read_binary,
    "score": _read_number,
    "count": _read_number,
    "number": _read_number,
    "duration": _read_duration,
    "date": _read_date,
    "money": _read_money,
}
