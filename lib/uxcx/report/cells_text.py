"""Text of single cells: numbers, p-values, interval spans and labels as a reader reads them.

Thousands separators and a true minus (never "−0"), p-values as APA writes them
("< .001"), an interval as one cell ("35% to 68%"), the kit's terms by name. Used by
:mod:`uxcx.report.cells_rows` and :mod:`uxcx.report.cells_methods`; re-exported by
:mod:`uxcx.report.cells`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = ["MINUS", "DASH", "number", "significant", "fewest", "numbers", "p_cell", "percent_text",
           "ci_label", "interval_span", "texts", "KIT_TERMS", "humane", "single", "caption_value"]

MINUS = "\u2212"
DASH = "\u2014"


# --- numbers --------------------------------------------------------------------------------------

def number(value: float, decimals: int, *, signed: bool = False) -> str:
    """``value`` with ``decimals`` places, thousands separators, a true minus and never "−0".

    >>> number(-1234.5, 0), number(-0.0004, 2), number(3.8, 1, signed=True)
    ('\u22121,234', '0.00', '+3.8')"""
    if value is None or pd.isna(value):
        return ""
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "\u221e"
    text = f"{abs(value):,.{decimals}f}"
    zero = float(text.replace(",", "")) == 0
    prefix = "" if zero else MINUS if value < 0 else "+" if signed else ""
    return prefix + text


def significant(value: float, digits: int = 3) -> int:
    """Decimals that give ``value`` about ``digits`` significant figures (none at 100 and above)."""
    if value == 0 or pd.isna(value):
        return 0
    return int(np.clip(digits - 1 - math.floor(math.log10(abs(value))), 0, 6))


def fewest(value: float, digits: int = 3) -> int:
    """The fewest decimals that show ``value`` to ``digits`` significant figures: 0.8, not 0.800."""
    most = significant(value, digits)
    return next(d for d in range(most + 1) if round(value, d) == round(value, most))


def numbers(values) -> list[str]:
    """Each value as a whole number when it is one, else to three significant figures."""
    return ["" if pd.isna(v) else number(v, 0 if float(v).is_integer() else significant(v)) for v in values]


def p_cell(value) -> str:
    """A p-value as APA writes it: "< .001", ".034", "> .999".

    >>> p_cell(0.0004), p_cell(0.0342), p_cell(0.9996)
    ('< .001', '.034', '> .999')"""
    if value is None or pd.isna(value):
        return ""
    if value < 0.001:
        return "< .001"
    if value > 0.999:
        return "> .999"
    return f"{value:.3f}".lstrip("0")


def percent_text(level) -> str:
    return f"{100 * float(level):.{0 if float(100 * level).is_integer() else 1}f}%"


def ci_label(level) -> str:
    """The interval's header: "95% CI" (or "CI" when the level is not known)."""
    return f"{percent_text(level)} CI" if level is not None and pd.notna(level) else "CI"


def interval_span(low: str, high: str) -> str:
    if not low and not high:
        return ""
    return f"{low or DASH} to {high or DASH}"


# --- text -----------------------------------------------------------------------------------------

def texts(series: pd.Series) -> list[str]:
    """Cells as text: missing as empty, a date without a time as 2025-03-01."""
    out = []
    for v in series:
        if v is None or (np.ndim(v) == 0 and not isinstance(v, str) and pd.isna(v)):
            out.append("")
        elif isinstance(v, pd.Timestamp) and v == v.normalize():
            out.append(v.strftime("%Y-%m-%d"))
        else:
            out.append(str(v))
    return out


# Terms the kit itself makes, as the figures and sentences name them.
KIT_TERMS = {"ux_sd": "UX score (per SD)", "ux": "UX score", "(model)": "all drivers together"}


def humane(value) -> str:
    """A label or term as words: the kit's own terms by name, a model's level of a category
    (``plan[Plus]``, patsy's ``plan[T.Plus]``) as "plan: Plus", underscores as spaces.

    >>> humane("plan[T.Plus]"), humane("ux_sd"), humane("time_s")
    ('plan: Plus', 'UX score (per SD)', 'time s')"""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value).strip()
    if text in KIT_TERMS:
        return KIT_TERMS[text]
    level = re.fullmatch(r"(.+?)\[(?:T\.)?(.+)\]", text)
    if level:
        return f"{humane(level[1])}: {level[2]}"
    return text.replace("_", " ")


def single(series: pd.Series):
    """The one value a column holds (missing cells aside), else None."""
    values = series.dropna()
    values = values[~values.map(lambda v: isinstance(v, str) and not v.strip())]
    if len(values) == 0 or values.astype(str).nunique() != 1:
        return None
    return values.iloc[0]


def caption_value(series: pd.Series) -> str:
    """The value of a column the same in every row, as the caption writes it (0.05, 2,997, Current)."""
    value = series.iloc[0]
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return number(value, fewest(value))
    return str(value)

