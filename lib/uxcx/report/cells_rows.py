"""Row kinds and decimals: each row's estimate, interval, statistic and effect size as cells.

A result frame mixes kinds in one column (a completion rate above a time ratio), so each
row's kind (a proportion as a percentage, a difference of two in points, an NPS, a count,
a number) and the decimals its interval's width calls for (never "10 to 10") are found row
by row; the test statistic gets its letter and df ("t(149) = −3.50"). Re-exported by
:mod:`uxcx.report.cells`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from uxcx.report.cells_text import (
    ci_label,
    fewest,
    humane,
    interval_span,
    number,
    numbers,
    percent_text,
    significant,
    single,
)

__all__ = ["row_kinds", "estimates", "intervals", "column_numbers", "with_interval", "statistics",
           "effects"]

# What marks a row's estimate as a proportion (shown as %): its method or term says so and its
# values lie in [0, 1]. A term naming another quantity (NPS, a mean, a ratio) never is one.
_PROPORTION = re.compile(r"adjusted-wald|wilson|clopper|jeffreys|agresti|\bshare\b|completion|top-?\d* ?box|"
                         r"\btop \d|abandon|retention|\bproportions?\b|\bphi\(|errors/opportunities|\bsum\b|"
                         r"\brate\b", re.I)
_NOT_PROPORTION = re.compile(r"\bnps\b|mean|median|ratio|odds|hazard|rmst|value|importance|alpha|omega", re.I)
_DIFFERENCE_TERM = re.compile(r"\u2212| - | vs\.? ", re.I)
_DIFFERENCE_METHOD = re.compile(r"difference|two-proportion", re.I)
_NPS = re.compile(r"\bnps\b", re.I)
# The test statistic's letter, from the method text; no letter when the method does not say.
_LETTERS = ((re.compile(r"mann-whitney", re.I), "U"), (re.compile(r"wilcoxon", re.I), "W"),
            (re.compile(r"chi-square|log-rank|score test", re.I), "\u03c7\u00b2"),
            (re.compile(r"\bz test|two-proportion test|sobel|cox proportional|logistic regr", re.I), "z"),
            (re.compile(r"\bt test|\bOLS\b|^pearson r|^spearman", re.I), "t"),
            (re.compile(r"\bF test|anova", re.I), "F"))


# --- a row's estimate and interval ----------------------------------------------------------------

def row_kinds(frame: pd.DataFrame) -> list[str]:
    """Each row's estimate kind: "percent", "points" (a difference of two), "nps", "count" or "number"."""
    term = frame["term"] if "term" in frame else pd.Series("", index=frame.index)
    method = frame["method"] if "method" in frame else pd.Series("", index=frame.index)
    values = frame[[c for c in ("estimate", "ci_low", "ci_high") if c in frame]]
    kinds = []
    for (_, row), t, m in zip(values.iterrows(), term, method):
        t, m = humane(t) if isinstance(t, str) else "", m if isinstance(m, str) else ""
        v = row.dropna().to_numpy(float)
        difference = bool(_DIFFERENCE_TERM.search(t) or _DIFFERENCE_METHOD.search(m.split(";")[0]))
        in_range = len(v) > 0 and bool(((v >= -1 if difference else v >= 0) & (v <= 1)).all())
        named = _PROPORTION.search(f"{t} {m}") and not _NOT_PROPORTION.search(t) and not _NPS.search(m)
        if in_range and named:
            kinds.append("points" if difference else "percent")
        elif _NPS.search(f"{t} {m}"):
            kinds.append("nps")
        elif len(v) and (v == np.round(v)).all() and not (np.abs(v) < 1).all():
            kinds.append("count")
        else:
            kinds.append("number")
    return kinds


def _row_decimals(frame: pd.DataFrame, kinds: list[str]) -> list[int]:
    """Decimals for each row's estimate and interval.

    Two significant digits of the interval's width, so an interval never reads
    "10 to 10". Rows of one kind and method share the fewest such places (at
    most one fewer than a row's own), so a column reads alike; and a value on
    the same side of zero as the rest of its row never shows as 0 ("0.63 (0.04
    to 1.23)", an odds of 0.00009).
    """
    values = frame.reindex(columns=["estimate", "ci_low", "ci_high"])
    methods = frame["method"].astype(str) if "method" in frame else pd.Series("", index=frame.index)
    own = []
    for (_, (estimate, low, high)), kind in zip(values.iterrows(), kinds):
        scale, cap = (100, 1) if kind in ("percent", "points") else (1, 6)
        width = abs(high - low) * scale
        first = next((v * scale for v in (estimate, low, high) if pd.notna(v) and np.isfinite(v)), np.nan)
        if pd.notna(width) and np.isfinite(width) and width > 0:  # an unbounded interval has no width
            own.append(int(np.clip(1 - math.floor(math.log10(width)), 0, cap)))
        elif pd.notna(first):
            own.append(min(significant(first, 1 if scale == 100 else 3), cap))
        else:
            own.append(cap)  # nothing to show: no say in its group's decimals
    shared = pd.Series(own).groupby([pd.Series(kinds), methods.reset_index(drop=True)]).transform("min")
    out = []
    for (_, row), kind, mine, group in zip(values.iterrows(), kinds, own, shared):
        if kind == "count":
            out.append(0)
            continue
        decimals = max(group, mine - 1, 1 if kind == "nps" else 0)
        x = row.dropna().to_numpy(float) * (100 if kind in ("percent", "points") else 1)
        x = x[np.isfinite(x)]  # "∞" needs no decimals
        if len(x) and ((x > 0).all() or (x < 0).all()) and (np.round(x, decimals) == 0).any():
            decimals = max(decimals, min(significant(np.abs(x).min(), 1), 6 if kind == "number" else 1))
        out.append(decimals)
    return out


def _format(value, kind: str, decimals: int, *, sign: bool = True, unit: bool = True) -> str:
    """One number as a reader reads it: 52%, +37 points, +3.8 (NPS), 1,202, −0.29."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    if kind in ("percent", "points"):
        text = number(100 * value, decimals, signed=sign and kind == "points")
        return text + ("%" if kind == "percent" else " points" if unit else "")
    return number(value, decimals, signed=sign and kind == "nps")


def estimates(frame, kinds, *, column="estimate", sign=True):
    """Each row's ``column`` (the estimate, or its standard error) in its kind, to its row's decimals."""
    decimals = _row_decimals(frame, kinds)
    return [_format(v, k, d, sign=sign) for v, k, d in zip(frame[column], kinds, decimals)]


def intervals(frame, kinds):
    """Each row's interval as one cell, "35% to 68%", its level added when the levels differ by row."""
    decimals = _row_decimals(frame, kinds)
    low = frame["ci_low"] if "ci_low" in frame else pd.Series(np.nan, index=frame.index)
    high = frame["ci_high"] if "ci_high" in frame else pd.Series(np.nan, index=frame.index)
    levels = frame["confidence_level"] if "confidence_level" in frame else None
    varying = levels is not None and single(levels) is None
    out = []
    for i, (lo, hi, kind, d) in enumerate(zip(low, high, kinds, decimals)):
        unit = " points" if kind == "points" else ""
        text = interval_span(*(_format(x, kind, d, sign=False, unit=False) for x in (lo, hi)))
        if text and unit:
            text += unit
        if text and varying and pd.notna(levels.iloc[i]):
            text += f" ({percent_text(levels.iloc[i])})"
        out.append(text)
    return out


# --- other columns of numbers ---------------------------------------------------------------------

def column_numbers(full: pd.Series, shown: pd.Series) -> list[str]:
    """A column of numbers with one number of decimals (or as percentages for a share in [0, 1])."""
    x = pd.to_numeric(full, errors="coerce").dropna()
    if (x == np.round(x)).all():
        return [number(v, 0) if pd.notna(v) else "" for v in shown]
    if _share_column(full.name) and x.between(0, 1).all():
        return [_format(v, "percent", 0) for v in shown]
    decimals = max(fewest(v) for v in x)
    return [number(v, decimals) if pd.notna(v) else "" for v in shown]


def _share_column(name) -> bool:
    return bool(re.search(r"(^|_)(share|pct|percent|rate|proportion)(_|$)", str(name), re.I))


def with_interval(full, values, low, high) -> list[str]:
    """An extra measure with its own ``<name>_ci_low``/``_ci_high``: "17% (15% to 19%)"."""
    percent = _share_column(full.name) and pd.to_numeric(full, errors="coerce").dropna().between(0, 1).all()
    kind = "percent" if percent else "number"
    decimals = 0 if percent else significant(pd.to_numeric(full, errors="coerce").abs().max())
    out = []
    for v, lo, hi in zip(values, low, high):
        span = interval_span(_format(lo, kind, decimals), _format(hi, kind, decimals))
        out.append(_format(v, kind, decimals) + (f" ({span})" if span else ""))
    return out


def statistics(frame: pd.DataFrame) -> list[str]:
    """The test statistic, with its letter when the method names the test, and its df: t(149) = −3.50."""
    methods = frame["method"] if "method" in frame else pd.Series("", index=frame.index)
    dfs = frame["df"] if "df" in frame else pd.Series(np.nan, index=frame.index)
    out = []
    for value, df, method in zip(frame["statistic"], dfs, methods):
        if pd.isna(value):
            out.append("")
            continue
        text = number(value, significant(value))
        df_text = numbers([df])[0] if pd.notna(df) else ""
        method = method if isinstance(method, str) else ""
        letter = next((ch for pattern, ch in _LETTERS if pattern.search(method)), None)
        if letter:
            out.append(f"{letter}({df_text}) = {text}" if df_text else f"{letter} = {text}")
        else:
            out.append(f"{text} (df {df_text})" if df_text else text)
    return out


def effects(data, shown, kind, level):
    """The effect size, its type in the header when one type fills the column, else in the cell."""
    low, high = "effect_size_ci_low", "effect_size_ci_high"
    with_ci = low in data and high in data
    types = shown["effect_size_type"] if "effect_size_type" in shown else pd.Series(None, index=shown.index)
    out = []
    estimated = shown["estimate"] if "estimate" in shown else pd.Series(np.nan, index=shown.index)
    for i, (value, t, estimate) in enumerate(zip(shown["effect_size"], types, estimated)):
        if pd.isna(value) or value == estimate:  # a ratio that is its own effect size: said once
            out.append("")
            continue
        text = number(value, 2)
        if with_ci:
            span = interval_span(number(shown[low].iloc[i], 2), number(shown[high].iloc[i], 2))
            text += f" ({span})" if span else ""
        if kind is None and isinstance(t, str):
            text += f" ({t})"
        out.append(text)
    label = kind if kind else "effect size"
    return (f"{label} ({ci_label(level)})" if with_ci else label), out

