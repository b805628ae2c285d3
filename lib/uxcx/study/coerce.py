"""Reading a column's values as its role says, vectorised, recording repairs.

Every function takes the column as read (any dtype: pyarrow, object, string)
and returns a :class:`Coerced`: the values in the role's type, a mask of
cells that could not be read (with the reason), and the repairs made (a
description and a mask of the cells changed). Nothing is dropped here; the
loader decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from uxcx.study.schema import Role

__all__ = ["Coerced", "coerce"]

# Spellings of yes and no that need no value map (compared case-insensitively).
_TRUE = {"1", "1.0", "yes", "y", "true", "t", "success", "succeeded", "pass", "passed",
         "completed", "complete", "done"}
_FALSE = {"0", "0.0", "no", "n", "false", "f", "fail", "failed", "failure", "not completed",
          "incomplete"}
_PARTIAL = {"0.5", "partial", "partly", "partially"}

# Excel stores dates as days since 1899-12-30; serials in this span are 1954-2118.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_SERIALS = (20_000, 80_000)


@dataclass
class Coerced:
    values: pd.Series
    bad: pd.Series  # bool mask: the cell held something that could not be read
    reason: str = ""
    repairs: dict[str, pd.Series] = field(default_factory=dict)


def coerce(series: pd.Series, r: Role, value_map: Mapping | None = None, *,
           decimal_comma: bool = False) -> Coerced:
    """Read ``series`` as role ``r``, applying ``value_map`` (label -> value) first.

    With ``decimal_comma`` (a file whose fields are not separated by commas), a
    number written with a decimal comma ("4,5") is read as 4.5 and the repair
    is recorded.
    """
    blank = _blank(series)
    repairs = {}
    if decimal_comma and r.kind in _NUMERIC_KINDS and not pd.api.types.is_numeric_dtype(series.dtype):
        series, fixed = _decimal_comma(series)
        if fixed.any():
            repairs["decimal commas read as decimal points"] = fixed
    if value_map:
        series, mapped = _apply_map(series, value_map)
        # Labels mapped to nothing ("N/A", "Don't know") are missing answers, not errors.
        to_missing = mapped & pd.isna(series)
        if to_missing.any():
            blank = blank | to_missing
            repairs["labels mapped to missing (e.g. N/A)"] = to_missing
    else:
        mapped = pd.Series(False, index=series.index)
    reader = _READERS[r.kind]
    out = reader(series, blank, mapped)
    out.repairs.update(repairs)
    # A label the map did not cover reads better than "not a number".
    if value_map and r.kind in ("score", "number", "count", "binary"):
        out.reason = "label not in the value map" if _has_text(series, out.bad) else out.reason
    return out


_NUMERIC_KINDS = ("score", "count", "number", "duration", "money")
_DECIMAL_COMMA = r"^\s*[+-]?\d*,\d+\s*$"


def _decimal_comma(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """"4,5" -> "4.5" in a text column; the mask of cells changed."""
    text = series.astype(_ARROW_TEXT)
    hit = text.str.match(_DECIMAL_COMMA).fillna(False).astype(bool)
    if not hit.any():
        return series, hit
    out = series.astype(object).copy()
    out[hit] = text[hit].str.replace(",", ".", regex=False).str.strip()
    return out, hit


# Text work runs on Arrow-backed strings (vectorised in C++); results go back to "string".
_ARROW_TEXT = pd.StringDtype("pyarrow")


def _blank(series: pd.Series) -> pd.Series:
    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return pd.Series(series.isna().to_numpy(bool), index=series.index)
    text = series.astype(_ARROW_TEXT)
    return (text.isna() | (text.str.strip() == "")).fillna(True).astype(bool)


def _text(series: pd.Series) -> pd.Series:
    """Values as stripped strings (missing stays missing); numbers lose a trailing '.0'."""
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.astype("float64")
        whole = values.notna() & (values % 1 == 0)
        text = values.astype(_ARROW_TEXT)
        text[whole] = values[whole].astype("int64").astype(_ARROW_TEXT)
        return text
    return series.astype(_ARROW_TEXT).str.strip()


def _apply_map(series: pd.Series, value_map: Mapping) -> tuple[pd.Series, pd.Series]:
    keys = {_norm(k): v for k, v in value_map.items()}
    norm = _text(series).str.lower().str.split().str.join(" ")
    hit = norm.isin(list(keys)).fillna(False).astype(bool)
    out = series.astype(object).copy()
    out[hit] = norm[hit].map(keys)
    return out, hit


def _norm(label) -> str:
    return " ".join(str(label).lower().split())


def _has_text(series: pd.Series, bad: pd.Series) -> bool:
    if not bad.any():
        return False
    numeric = pd.to_numeric(_text(series[bad]), errors="coerce")
    return bool(numeric.isna().any())


def _numbers(series: pd.Series, blank: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.astype("float64")
    else:
        values = pd.to_numeric(_text(series), errors="coerce").astype("float64")
    return values, values.isna() & ~blank


def _read_number(series, blank, mapped) -> Coerced:
    values, bad = _numbers(series, blank)
    return Coerced(values, bad, "not a number")


def _read_money(series, blank, mapped) -> Coerced:
    values, bad = _numbers(series, blank)
    if bad.any():
        # "$1,234.50", "€ 12", "12 USD": drop currency marks and thousands commas.
        cleaned = _text(series[bad]).str.replace(r"[^\d.\-]", "", regex=True)
        fixed = pd.to_numeric(cleaned, errors="coerce")
        ok = fixed.notna()
        values[ok[ok].index] = fixed[ok]
        repaired = pd.Series(False, index=series.index)
        repaired[ok[ok].index] = True
        bad = values.isna() & ~blank
        return Coerced(values, bad, "not a number",
                       {"currency signs or thousands separators removed": repaired})
    return Coerced(values, bad, "not a number")


def _read_binary(series, blank, mapped) -> Coerced:
    if mapped.any() or not pd.api.types.is_numeric_dtype(series.dtype):
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
    # h:mm:ss(.f)
    (r"^(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)$", "h:mm:ss"),
    # m:ss(.f)
    (r"^(?P<m>\d+):(?P<s>\d{1,2}(?:\.\d+)?)$", "m:ss"),
    # 1h 2m 3s, 2 min 5 s, 83s, 83 sec, 1.5 min
    (r"^(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:rs?|ours?)?)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?"
     r"\s*(?:(?P<s>\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?$", "units"),
]


_UNITS = (("h", 3600.0), ("m", 60.0), ("s", 1.0))


def _read_duration(series, blank, mapped) -> Coerced:
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        values = series.dt.total_seconds().astype("float64")
        return Coerced(values, values.isna() & ~blank, "not a duration")
    values, bad = _numbers(series, blank)
    repairs = {}
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
    return Coerced(values, bad, "not a duration", repairs)


def _read_date(series, blank, mapped) -> Coerced:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        values = series.astype("datetime64[ns]")
        return Coerced(values, values.isna() & ~blank, "not a date")
    repairs = {}
    values = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    numeric = pd.to_numeric(_text(series), errors="coerce")
    serial = numeric.between(*_EXCEL_SERIALS)
    if serial.any():
        values[serial] = _EXCEL_EPOCH + pd.to_timedelta(numeric[serial], unit="D")
        repairs["Excel serial numbers read as dates"] = serial.fillna(False).astype(bool)
    rest = ~serial.fillna(False).astype(bool) & ~blank
    if rest.any():
        text = _text(series[rest])
        parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
        again = parsed.isna()
        if again.any():
            parsed[again] = pd.to_datetime(text[again], errors="coerce", format="mixed")
        values[rest] = parsed.astype("datetime64[ns]")
    return Coerced(values, values.isna() & ~blank, "not a date", repairs)


def _read_key(series, blank, mapped) -> Coerced:
    raw = series.astype(_ARROW_TEXT)
    values = _text(series)
    floats = values.str.fullmatch(r"\d+\.0+").fillna(False).astype(bool)  # 123.0 stored as a number
    if floats.any():
        values[floats] = values[floats].str.split(".").str[0]
    values[blank] = pd.NA
    changed = (raw != values).fillna(False).astype(bool) & ~blank
    values = values.astype("string")
    repairs = {"identifiers trimmed or written without a trailing .0": changed} if changed.any() else {}
    return Coerced(values, pd.Series(False, index=series.index), "", repairs)


def _read_category(series, blank, mapped) -> Coerced:
    values = _text(series)
    values[blank] = pd.NA
    values = values.astype("string")
    return Coerced(values, pd.Series(False, index=series.index))


def _read_text(series, blank, mapped) -> Coerced:
    values = series.astype("string")
    values[blank] = pd.NA
    return Coerced(values, pd.Series(False, index=series.index))


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
