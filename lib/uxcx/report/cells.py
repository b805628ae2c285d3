"""Cells for people: each value of a result frame as a reader reads it in a table.

The text of one cell, built row by row because a result frame mixes kinds in
one column (a completion rate above a time ratio): a row's kind (a proportion
as a percentage, a difference of two in points, an NPS, a count, a number), the
decimals its interval's width calls for (never "10 to 10"), thousands
separators and a true minus (never "−0"), p-values as APA writes them ("< .001"),
the test statistic with its letter and df ("t(149) = −3.50"), an interval as
one cell ("35% to 68%"), and method names tidied and shortened with footnotes.
:mod:`uxcx.report.tables` lays these cells out as a table.

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"term": ["completion", "time ratio"], "estimate": [0.517, 1.234],
...                   "ci_low": [0.346, 1.02], "ci_high": [0.683, 1.49], "statistic": [-3.5, 2.1],
...                   "df": [149, 40], "method": ["adjusted-wald", "Welch t test"]})
>>> kinds = row_kinds(r)
>>> kinds
['percent', 'number']
>>> estimates(r, kinds), intervals(r, kinds)
(['52%', '1.23'], ['35% to 68%', '1.02 to 1.49'])
>>> statistics(r)[1]
't(40) = 2.10'
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

__all__ = ["MINUS", "DASH", "SHORT", "NAMES", "number", "numbers", "p_cell", "ci_label", "row_kinds",
           "estimates", "intervals", "column_numbers", "with_interval", "statistics", "effects", "methods",
           "texts", "humane", "single", "caption_value"]

#: A method longer than this is shortened in its cell and given in full beneath the table.
SHORT = 48
MINUS = "\u2212"
DASH = "\u2014"
#: Method names as a reader writes them.
NAMES = {"adjusted-wald": "adjusted-Wald", "wilson": "Wilson", "holm": "Holm", "bonferroni": "Bonferroni",
         "fdr_bh": "Benjamini-Hochberg", "clopper-pearson": "Clopper-Pearson"}
_NAMES = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, NAMES)) + r")(?![\w-])")

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
_SUPERSCRIPT = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


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


def _significant(value: float, digits: int = 3) -> int:
    """Decimals that give ``value`` about ``digits`` significant figures (none at 100 and above)."""
    if value == 0 or pd.isna(value):
        return 0
    return int(np.clip(digits - 1 - math.floor(math.log10(abs(value))), 0, 6))


def _fewest(value: float, digits: int = 3) -> int:
    """The fewest decimals that show ``value`` to ``digits`` significant figures: 0.8, not 0.800."""
    most = _significant(value, digits)
    return next(d for d in range(most + 1) if round(value, d) == round(value, most))


def numbers(values) -> list[str]:
    """Each value as a whole number when it is one, else to three significant figures."""
    return ["" if pd.isna(v) else number(v, 0 if float(v).is_integer() else _significant(v)) for v in values]


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


def _percent_text(level) -> str:
    return f"{100 * float(level):.{0 if float(100 * level).is_integer() else 1}f}%"


def ci_label(level) -> str:
    """The interval's header: "95% CI" (or "CI" when the level is not known)."""
    return f"{_percent_text(level)} CI" if level is not None and pd.notna(level) else "CI"


def _span(low: str, high: str) -> str:
    if not low and not high:
        return ""
    return f"{low or DASH} to {high or DASH}"


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
            own.append(min(_significant(first, 1 if scale == 100 else 3), cap))
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
            decimals = max(decimals, min(_significant(np.abs(x).min(), 1), 6 if kind == "number" else 1))
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
        text = _span(*(_format(x, kind, d, sign=False, unit=False) for x in (lo, hi)))
        if text and unit:
            text += unit
        if text and varying and pd.notna(levels.iloc[i]):
            text += f" ({_percent_text(levels.iloc[i])})"
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
    decimals = max(_fewest(v) for v in x)
    return [number(v, decimals) if pd.notna(v) else "" for v in shown]


def _share_column(name) -> bool:
    return bool(re.search(r"(^|_)(share|pct|percent|rate|proportion)(_|$)", str(name), re.I))


def with_interval(full, values, low, high) -> list[str]:
    """An extra measure with its own ``<name>_ci_low``/``_ci_high``: "17% (15% to 19%)"."""
    percent = _share_column(full.name) and pd.to_numeric(full, errors="coerce").dropna().between(0, 1).all()
    kind = "percent" if percent else "number"
    decimals = 0 if percent else _significant(pd.to_numeric(full, errors="coerce").abs().max())
    out = []
    for v, lo, hi in zip(values, low, high):
        span = _span(_format(lo, kind, decimals), _format(hi, kind, decimals))
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
        text = number(value, _significant(value))
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
            span = _span(number(shown[low].iloc[i], 2), number(shown[high].iloc[i], 2))
            text += f" ({span})" if span else ""
        if kind is None and isinstance(t, str):
            text += f" ({t})"
        out.append(text)
    label = kind if kind else "effect size"
    return (f"{label} ({ci_label(level)})" if with_ci else label), out


# --- methods --------------------------------------------------------------------------------------

def _tidy_method(text: str) -> str:
    return _NAMES.sub(lambda m: NAMES[m.group(1)], text.strip().rstrip("."))


def methods(data, shown, method, *, keys):
    """The method column: said once beneath when the same for all rows, else shortened with notes.

    ``method`` is the one method of every row (else None); ``keys`` are the label
    columns (none of the schema's) that may name each row's method instead.
    Returns the cells (None when the method is said beneath) and the notes.
    """
    if method is not None:
        return None, [f"Method: {_tidy_method(method)}."]
    full = [(_tidy_method(m) if isinstance(m, str) else "") for m in data["method"]]
    parts = [[p.strip() for p in m.split(";") if p.strip()] for m in full]
    common = [p for p in parts[0] if all(p in q for q, m in zip(parts, full) if m)] if full[0] else []
    rest = ["; ".join(p for p in q if p not in common) for q in parts]
    notes = [f"Method, all rows: {'; '.join(common)}."] if common else []
    key = _method_key(data, rest, keys)
    if key is not None:
        names = data[key].map(humane) if key == "term" else pd.Series(texts(data[key]))
        pairs = dict.fromkeys(zip(names, rest))
        return None, notes + [f"{label}: {_without_prefix(text, label)}." for label, text in pairs if text]
    short = _shorten_all(sorted(set(rest) - {""}, key=rest.index))
    marks, cells = {}, []
    for text in rest[:len(shown)]:
        cell = text if len(text) <= SHORT else short[text]
        if cell != text:
            marks.setdefault(text, len(marks) + 1)
            cell += str(marks[text]).translate(_SUPERSCRIPT)
        cells.append(cell)
    notes += [f"{str(n).translate(_SUPERSCRIPT)} {text}." for text, n in marks.items()]
    return cells, notes


def _method_key(data, rest, keys):
    """A shown label column pairing one to one with the methods (SUM: term), so each is said once."""
    distinct = set(rest) - {""}
    if not 2 <= len(distinct) <= 8:
        return None
    for column in ["term", *keys]:
        if column not in keys or pd.api.types.is_numeric_dtype(data[column]):
            continue
        pairs = pd.DataFrame({"key": data[column].astype(str), "method": rest}).drop_duplicates()
        if len(pairs) == len(distinct) and pairs["key"].is_unique and pairs["method"].is_unique:
            return column
    return None


def _shorten_all(full: list[str]) -> dict[str, str]:
    """A short cell for each method; methods that would read alike keep their last, distinguishing clause."""
    first = {t: _shorten(t.split(";")[0]) for t in full}
    out = {}
    for text, short in first.items():
        clashes = [t for t, s in first.items() if s == short]
        if len(clashes) > 1 and ";" in text:
            short = f"{short}; {_shorten(text.split(';')[-1])}"
        out[text] = short
    return out


def _without_prefix(text: str, label: str) -> str:
    """"time: Phi(...)" under the label "time" reads "Phi(...)"."""
    return text[len(label) + 2:] if text.lower().startswith(label.lower() + ": ") else text


def _shorten(text: str, limit: int = SHORT) -> str:
    text = text.strip()
    if ": " in text and text.index(": ") > 2:
        text = text[:text.index(": ")]
    text = re.sub(r"\s*\([^()]*(\([^()]*\)[^()]*)*\)", "", text).strip() or text
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return text


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
        return number(value, _fewest(value))
    return str(value)

