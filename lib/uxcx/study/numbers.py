"""Numbers as a locale writes them, read with one convention per column.

``1.234,50 €`` (German), ``1,234.50`` (English), ``2 500,00`` (French, with a
no-break or narrow no-break space), ``1'234.50`` (Swiss): the decimal mark and
the thousands separator differ by locale, and a value such as ``1.234`` means
1234 in one and 1.234 in the other. :func:`read_numbers` therefore decides the
column's convention from the whole column (or takes the study file's
``decimal:``/``thousands:``) and reads every row with it:

- a value that only one convention reads (``4,5``, ``1.234,50``, ``0.25``)
  is evidence for it; the convention with more evidence wins, and where no
  value settles it (``1.234`` alone) the file decides: decimal comma in a file
  whose fields are not separated by commas, decimal point otherwise (a note
  says which was assumed and how to state it);
- a value written in the other convention is not read (its row is dropped
  with a reason and the fix), never silently given another value;
- thousands groups must be regular (``1.234.567``; a group of three digits
  after a first group of one to three, not starting with 0).

Currency signs and ISO codes (``€``, ``USD``), a percent sign, the minus sign
U+2212 and accounting parentheses ``(12.50)`` are read and the repair counted.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from uxcx.io.unicode_text import arrow_text, visible_series

__all__ = ["read_numbers", "file_decimal", "as_float", "Numbers", "OTHER_NOTATION"]

OTHER_NOTATION = "number in another notation than the column's"

_CODES = ("USD|EUR|GBP|CHF|JPY|CNY|INR|AUD|CAD|NZD|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|RUB|TRY|"
          "KRW|SGD|HKD|ILS|RON|BGN|ISK")
_SIGNS = r"US\$|R\$|[$€£¥₹₩₽₺₪]|kr\.?|zł|Kč|Fr\.?"
# RE2 (Arrow's engine, linear time) has no look-around: the neighbouring digit is kept by a group
_CURRENCY_HEAD = re.compile(rf"^([-+]?)\s*(?:{_SIGNS}|{_CODES})\s*([-+(]?[\d.,])")
_CURRENCY_TAIL = re.compile(rf"([\d.,)])\s*(?:{_SIGNS}|{_CODES})$")
_GROUPS = {",": ",", ".": r"\.", " ": " ", "'": "['’]"}
_GROUPS_OF = {".": (",", " ", "'"), ",": (".", " ", "'")}  # thousands marks beside each decimal


def _pattern(decimal: str, groups: tuple[str, ...]) -> str:
    """Digits with one kind of regular thousands grouping and an optional decimal part."""
    mark = re.escape(decimal)
    grouped = [rf"[1-9]\d{{0,2}}(?:{_GROUPS[g]}\d{{3}})+" for g in groups]
    whole = "|".join([*grouped, r"\d+"])
    # "5." and "1.5E+03" (as spreadsheets write them) are numbers too
    return rf"^[+-]?(?:(?:{whole})(?:{mark}\d*)?|{mark}\d+)(?:[eE][+-]?\d+)?$"


class Numbers:
    """The outcome of :func:`read_numbers`."""

    def __init__(self, values, bad, reason, repairs, notes):
        self.values, self.bad, self.reason, self.repairs, self.notes = values, bad, reason, repairs, notes


def read_numbers(series: pd.Series, blank: pd.Series, *, decimal: str | None = None,
                 thousands: str | None = None, decimal_comma_file: bool = False,
                 currency: bool = False, percent: bool = True, role: str = "",
                 source: str = "", file_decimal: str | None = None) -> Numbers:
    """Read a text column of numbers with one decimal convention for every row.

    Parameters
    ----------
    series : pandas.Series
        The column as read (text).
    blank : pandas.Series of bool
        Cells already known to be empty or missing.
    decimal : {",", "."}, optional
        The study file's ``decimal:``; default: decided from the column.
    thousands : {",", ".", " ", "'", "none"}, optional
        The study file's ``thousands:``; default: any mark that is not the decimal one.
    decimal_comma_file : bool
        The file's fields are not separated by commas (where no value settles the
        convention, a decimal comma is then assumed).
    file_decimal : {",", "."}, optional
        The mark the file's other number columns show (:func:`file_decimal`); where no value
        of this column settles it, it comes before ``decimal_comma_file``.
    currency : bool
        Strip currency signs and codes (money columns).
    percent : bool
        Read a trailing percent sign (45% as 45); else such a value is not read.
    role, source : str
        For the notes' wording.

    Returns
    -------
    Numbers
        ``values`` (float64), ``bad`` (cells not read), ``reason``, ``repairs``
        (description -> mask of cells changed) and ``notes``.

    Examples
    --------
    >>> got = read_numbers(pd.Series(["1.234,50 €", "2\\u202f500,00", "4,5"]), pd.Series([False] * 3),
    ...                    currency=True)
    >>> got.values.tolist()
    [1234.5, 2500.0, 4.5]
    >>> mixed = read_numbers(pd.Series(["4,5", "3,25", "1,234.50"]), pd.Series([False] * 3))
    >>> mixed.values.tolist()[:2], mixed.bad.tolist()
    ([4.5, 3.25], [False, False, True])
    """
    index = series.index
    text = visible_series(series).str.strip()
    repairs: dict[str, pd.Series] = {}

    def record(what, mask):
        mask = pd.Series(np.asarray(mask.fillna(False), dtype=bool), index=index)
        if mask.any():
            repairs[what] = repairs[what] | mask if what in repairs else mask

    minus = text.str.contains("\u2212", regex=False) | text.str.fullmatch(r"\(.*\)")
    if minus.any():
        text = _sub(text.str.replace("\u2212", "-", regex=False), r"^\((.*)\)$", r"-\1")
        record("minus signs (\u2212 or parentheses) read", minus)
    if currency:
        stripped = _sub(_sub(text, _CURRENCY_HEAD.pattern, r"\1\2"), _CURRENCY_TAIL.pattern,
                        r"\1").str.strip()
        record("currency signs or thousands separators removed", stripped != text)
        text = stripped  # "-$5" and "$-5" alike
    if percent:
        record("percent signs removed (45% read as 45)", text.str.endswith("%"))
        text = text.str.replace(r"\s*%$", "", regex=True)

    groups_of = dict(_GROUPS_OF)
    if thousands is not None:
        groups_of = {d: (() if thousands == "none" else (thousands,)) if thousands != d else ()
                     for d in groups_of}
    fits = {d: text.str.fullmatch(_pattern(d, groups_of[d])).fillna(False).astype(bool) & ~blank
            for d in groups_of}
    only = {d: fits[d] & ~fits[o] for d, o in ((".", ","), (",", "."))}
    notes = []
    chosen = decimal or _decide(only, fits, text, decimal_comma_file, role, source, notes, file_decimal)
    other = "," if chosen == "." else "."
    ok = fits[chosen]
    bad = ~ok & ~blank
    cleaned = text.where(ok)
    for g in groups_of[chosen]:
        cleaned = cleaned.str.replace(_GROUPS[g], "", regex=True)
    grouped = ok & (cleaned != text.where(ok)).fillna(False)
    record("currency signs or thousands separators removed", grouped)
    if chosen == ",":
        record("decimal commas read as decimal points", ok & text.str.contains(",", regex=False))
        cleaned = cleaned.str.replace(",", ".", regex=False)
    values = pd.Series(as_float(cleaned), index=index)
    reason = "not a number"
    if (bad & only[other]).any():
        if not (bad & ~only[other]).any():  # one reason names every cell not read
            reason = OTHER_NOTATION
        notes.append(_conflict(chosen, int((bad & only[other]).sum()), int(only[chosen].sum()),
                               role, source))
    # rows repaired only count where the value was read
    repairs = {k: v & ok for k, v in repairs.items() if (v & ok).any()}
    return Numbers(values, bad, reason, repairs, notes)


def file_decimal(columns) -> str | None:
    """The decimal mark the number columns of one file show together (None where none settles it).

    >>> file_decimal([pd.Series(["2,5", "3"]), pd.Series(["1.234"])])
    ','
    """
    count = {".": 0, ",": 0}
    for column in columns:
        if not (pd.api.types.is_string_dtype(column.dtype) or pd.api.types.is_object_dtype(column.dtype)):
            continue
        text = visible_series(column).str.strip()
        fits = {d: text.str.fullmatch(_pattern(d, _GROUPS_OF[d])).fillna(False).astype(bool)
                for d in count}
        count["."] += int((fits["."] & ~fits[","]).sum())
        count[","] += int((fits[","] & ~fits["."]).sum())
    return None if count["."] == count[","] else max(count, key=count.get)


def as_float(text: pd.Series) -> np.ndarray:
    """Text already checked to be numbers (or missing) as floats, cast in C++ (to_numeric is slow)."""
    arrow = arrow_text(text)
    try:
        return arrow.cast(pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _sub(text: pd.Series, pattern: str, repl: str) -> pd.Series:
    """``re.sub`` on Arrow strings in C++ (RE2; pandas runs a group reference in Python)."""
    arrow = arrow_text(text)
    out = pc.replace_substring_regex(arrow, pattern, repl)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([out])), index=text.index)


def _decide(only, fits, text, decimal_comma_file, role, source, notes, file_decimal=None) -> str:
    n_point, n_comma = int(only["."].sum()), int(only[","].sum())
    if n_point != n_comma:
        return "." if n_point > n_comma else ","
    if file_decimal and not n_point:  # the file's other columns settle it
        return file_decimal
    chosen = "," if decimal_comma_file else "."
    # values both conventions read, but to different numbers ("1.234", "1,234")
    either = fits["."] & fits[","] & text.str.contains(r"[.,]", regex=True).fillna(False)
    if either.any() and not n_point:
        example = str(text[either].iloc[0])
        name = "a decimal comma" if chosen == "," else "a decimal point"
        notes.append(f"numbers read with {name} ({example!r} as "
                     f"{_as(example, chosen):g}): no value settles whether {example!r} has a "
                     f"decimal or a thousands separator; if that is wrong, state "
                     f"decimal: {'.' if chosen == ',' else ','!r} under sources.{source or '<source>'}"
                     + (f" (or decimal: {{{role}: ...}})" if role else ""))
    return chosen  # as many values of each notation: the file decides, the others are dropped


def _as(example: str, decimal: str) -> float:
    other = "," if decimal == "." else "."
    return float(re.sub(r"[ '’]", "", example).replace(other, "").replace(decimal, "."))


def _conflict(chosen, n_other, n_chosen, role, source) -> str:
    mark, other = ("a decimal comma", "a decimal point") if chosen == "," else (
        "a decimal point", "a decimal comma")
    return (f"numbers read with {mark}, as {n_chosen} value(s) are written; {n_other} value(s) "
            f"written with {other} are not read (their rows are dropped, not changed): correct "
            f"them, or state decimal: under sources.{source or '<source>'}"
            + (f" (or decimal: {{{role}: ...}})" if role else ""))
