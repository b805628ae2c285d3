"""Tables for people: a result frame as a stakeholder reads it (issue 12).

:func:`table` turns any frame, usually a result frame (DESIGN.md, Conventions),
into a reader view: labelled columns ("95% CI", "p (Holm-adjusted)", "n"),
one interval column, proportions as percentages, rounding fitted to each row's
interval, nothing that is empty or the same in every row (what is the same is
said once beneath the table), the method named once, long tables cut with a
note, and HTML that fits the page. The CSV downloads keep the full schema.

The HTML is rendered by great_tables (Posit's port of R's gt), which escapes
every value and writes no external fonts or scripts. The cell text is built
here, row by row, because a result frame mixes kinds in one column (a
completion rate above a time ratio) where a great_tables formatter formats a
column.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Table", "table", "reader_view"]

#: A table longer than this shows its first :data:`SHOWN_WHEN_LONG` rows and a note.
MAX_ROWS = 25
SHOWN_WHEN_LONG = 20
#: A method longer than this is shortened in its cell and given in full beneath the table.
SHORT = 48
MINUS = "\u2212"
DASH = "\u2014"
#: Columns of the schema that carry the answer: never folded into the caption.
ANSWER = ("estimate", "ci_low", "ci_high", "statistic", "p_value", "p_adjusted", "effect_size")
#: Columns of the schema said once (in a header or beneath the table) when the same in every row.
CAPTIONED = ("confidence_level", "alternative", "p_adjust_method", "effect_size_type")
#: Columns of the schema holding numbers.
NUMBERS = ("n", "estimate", "std_error", "ci_low", "ci_high", "confidence_level", "statistic", "df",
           "p_value", "p_adjusted", "effect_size")
#: Columns only an analyst reads: kept in the CSV, left out of the reader view.
TECHNICAL = ("mc_error_low", "mc_error_high", "coef")
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


@dataclass(eq=False)
class Table:
    """A reader view of a frame; Jupyter displays it as HTML (``_repr_html_``).

    Attributes
    ----------
    view : DataFrame
        The cells as text, columns under their reader labels.
    notes : list of str
        The caption beneath the table: what every row shares, the method, notes on
        shortened methods and on rows left out.
    numeric : list of str
        Labels of the columns holding numbers (right-aligned, never wrapped).
    prose : list of str
        Labels of the columns holding long text (wrapped).
    """

    view: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    numeric: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        return self.html

    @property
    def html(self) -> str:
        """The table as an HTML fragment: a great_tables table, or one sentence when it has no rows."""
        if self.view.empty:
            return "<p class=\"uxcx-table-empty\">" + " ".join(_escape(n) for n in self.notes) + "</p>"
        return _render(self)

    def __repr__(self) -> str:
        body = self.view.to_string(index=False) if not self.view.empty else ""
        return "\n".join([body, *self.notes]).strip()


def table(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS) -> Table:
    """A result frame as a reader sees it: labelled, rounded, captioned, fitting the page.

    Parameters
    ----------
    frame : DataFrame
        Any frame; result frames (grouping columns, then the fixed schema) get
        the full treatment, other columns are labelled and rounded as they come.
    max_rows : int
        A longer table shows its first 20 rows and says how many more the CSV
        download holds.

    Returns
    -------
    Table
        Displayed as HTML by Jupyter and kept by nbconvert; ``.view`` holds the
        cells as text and ``.notes`` the caption.

    Notes
    -----
    - ``ci_low``/``ci_high`` become one column, "95% CI", reading "52% to 61%".
    - A proportion (a method such as adjusted-Wald, Wilson, top box, completion or
      share, with values in [0, 1]) is a percentage, a difference of two a number
      of points; counts are whole numbers with thousands separators; other numbers
      keep the decimals their interval's width calls for (one more place than the
      width's first digit), so an interval never reads "10 to 10".
    - p-values read "< .001" or ".034"; the adjusted one is labelled by its method
      ("p (Holm-adjusted)"); the effect size is labelled by its type.
    - Columns empty in every row are dropped; a column the same in every row (or
      the method, the confidence level, the alternative) is said once in the
      caption. A method that differs by row is shortened in the cell, its full
      text given once beneath.
    - Every value is escaped: a segment named ``<script>`` is shown as text.

    Examples
    --------
    >>> r = pd.DataFrame({"task": ["Pay", "Find"], "term": "completion", "n": [30, 29],
    ...                   "estimate": [0.517, 0.862], "ci_low": [0.346, 0.688], "ci_high": [0.683, 0.951],
    ...                   "confidence_level": 0.95, "method": "adjusted-wald"})
    >>> t = table(r)
    >>> t.view.to_dict("records")[0]
    {'task': 'Pay', 'n': '30', 'completion': '52%', '95% CI': '35% to 68%'}
    >>> t.notes
    ['Method: adjusted-Wald.']
    """
    view, notes, numeric, prose = reader_view(frame, max_rows=max_rows)
    return Table(view, notes, numeric, prose)


def reader_view(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS):
    """The cells of :func:`table` as text: ``(view, notes, numeric labels, prose labels)``."""
    if frame is None or len(frame) == 0 or frame.shape[1] == 0:
        return pd.DataFrame(), ["No rows."], [], []
    data = _plain(frame)
    data = data.loc[:, ~_blank(data).all()]
    for column in set(NUMBERS) & set(data.columns):  # a schema name on text ("n": "all") is just text
        if not pd.api.types.is_numeric_dtype(data[column]) or pd.api.types.is_bool_dtype(data[column]):
            numbers = pd.to_numeric(data[column], errors="coerce")
            if numbers.notna().sum() == data[column].notna().sum():
                data[column] = numbers
            else:
                data = data.rename(columns={column: f"{column} "})
    if data.shape[1] == 0:
        return pd.DataFrame(), [f"No values in any of the {len(frame):,} rows."], [], []
    total = len(data)
    shown = data.head(SHOWN_WHEN_LONG) if total > max_rows else data
    columns, notes = _columns(data, shown)
    if total > max_rows:
        notes.append(f"Showing the first {len(shown):,} of {total:,} rows; "
                     f"the other {total - len(shown):,} are in the CSV download.")
    labels = _unique([c.label for c in columns])
    view = pd.DataFrame({i: c.cells for i, c in enumerate(columns)}, index=range(len(shown)))
    view.columns = labels
    numeric = [label for label, c in zip(labels, columns) if c.number]
    prose = [label for label, c in zip(labels, columns) if not c.number and _long(c.cells)]
    return view, notes, numeric, prose


# --- building the columns -------------------------------------------------------------------------

@dataclass
class _Column:
    label: str
    cells: list
    number: bool = False


def _columns(data: pd.DataFrame, shown: pd.DataFrame) -> tuple[list[_Column], list[str]]:
    """The reader's columns, in the frame's order with the method last, and the caption."""
    same = _same_everywhere(data)
    single = {c: _single(data[c]) if c in data else None for c in ("term", "method", *CAPTIONED)}
    level = single["confidence_level"]
    kinds = _row_kinds(shown)
    term_heads = single["term"] is not None and not _blank(data[["term"]]).any().any() and "estimate" in data
    effect_is_estimate = _effect_is_estimate(data)
    out, notes, in_every_row = [], [], []
    for column in data.columns:
        s = shown[column]
        if column == "term":
            if not term_heads:
                out.append(_Column("", [_humane(v) for v in s]))
        elif column == "estimate":
            label = (single["effect_size_type"] if effect_is_estimate
                     else _humane(single["term"]) if term_heads else "estimate")
            out.append(_Column(label, _estimates(shown, kinds), True))
        elif column in ("ci_low", "ci_high"):
            if column == "ci_low" or "ci_low" not in data:
                out.append(_Column(_ci_label(level), _intervals(shown, kinds), True))
        elif column == "std_error":
            bounds = data[[c for c in ("ci_low", "ci_high") if c in data]]
            if not (bounds.notna().any(axis=1) | data["std_error"].isna()).all():
                out.append(_Column("SE", _estimates(shown, kinds, column="std_error", sign=False), True))
        elif column == "statistic":
            out.append(_Column("test", _statistics(shown), True))
        elif column == "df":
            if "statistic" not in data:
                out.append(_Column("df", _numbers(s), True))
        elif column == "p_value":
            out.append(_Column("p", [_p(v) for v in s], True))
        elif column == "p_adjusted":
            out += _adjusted(shown, single["p_adjust_method"])
        elif column == "effect_size":
            if not effect_is_estimate:
                label, cells = _effects(data, shown, single["effect_size_type"], level)
                out.append(_Column(label, cells, True))
        elif column == "alternative":
            if single["alternative"] is None:
                out.append(_Column("alternative", _texts(s)))
            else:
                notes.append(f"{str(single['alternative']).capitalize()} tests.")
        elif column in ("method", *CAPTIONED, *TECHNICAL) or _paired_bound(column, data):
            continue
        elif column in same:
            in_every_row.append(f"{_humane(column)} = {_one(data[column])}")
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            low, high = f"{column}_ci_low", f"{column}_ci_high"
            if low in data and high in data:
                out.append(_Column(f"{_humane(column)} ({_ci_label(level)})",
                                   _with_interval(data[column], s, shown[low], shown[high]), True))
            else:
                out.append(_Column(_humane(column), _column_numbers(data[column], s), True))
        else:
            out.append(_Column(_humane(column), _texts(s)))
    if in_every_row:
        notes.insert(0, "In every row: " + "; ".join(in_every_row) + ".")
    if "method" in data:
        cells, method_notes = _methods(data, shown, single["method"], keys=[c for c in data if c not in same])
        notes += method_notes
        if cells is not None:
            out.append(_Column("method", cells))
    return out, notes


def _adjusted(shown: pd.DataFrame, method) -> list[_Column]:
    """The adjusted p-value, labelled by its method ("p (Holm-adjusted)"), or by row when methods differ."""
    if method == "none":
        return []
    if method is not None:
        label = f"p ({NAMES.get(method, method)}-adjusted)"
        return [_Column(label, [_p(v) for v in shown["p_adjusted"]], True)]
    methods = shown["p_adjust_method"] if "p_adjust_method" in shown else [None] * len(shown)
    cells = [_p(v) + (f" ({NAMES.get(m, m)})" if isinstance(m, str) and _p(v) else "")
             for v, m in zip(shown["p_adjusted"], methods)]
    return [_Column("p (adjusted)", cells, True)]


def _row_kinds(frame: pd.DataFrame) -> list[str]:
    """Each row's estimate kind: "percent", "points" (a difference of two), "nps", "count" or "number"."""
    term = frame["term"] if "term" in frame else pd.Series("", index=frame.index)
    method = frame["method"] if "method" in frame else pd.Series("", index=frame.index)
    values = frame[[c for c in ("estimate", "ci_low", "ci_high") if c in frame]]
    kinds = []
    for (_, row), t, m in zip(values.iterrows(), term, method):
        t, m = _humane(t) if isinstance(t, str) else "", m if isinstance(m, str) else ""
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
        first = next((v * scale for v in (estimate, low, high) if pd.notna(v)), np.nan)
        if pd.notna(width) and width > 0:
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
        if len(x) and ((x > 0).all() or (x < 0).all()) and (np.round(x, decimals) == 0).any():
            decimals = max(decimals, min(_significant(np.abs(x).min(), 1), 6 if kind == "number" else 1))
        out.append(decimals)
    return out


def _estimates(frame, kinds, *, column="estimate", sign=True):
    decimals = _row_decimals(frame, kinds)
    return [_format(v, k, d, sign=sign) for v, k, d in zip(frame[column], kinds, decimals)]


def _intervals(frame, kinds):
    decimals = _row_decimals(frame, kinds)
    low = frame["ci_low"] if "ci_low" in frame else pd.Series(np.nan, index=frame.index)
    high = frame["ci_high"] if "ci_high" in frame else pd.Series(np.nan, index=frame.index)
    levels = frame["confidence_level"] if "confidence_level" in frame else None
    varying = levels is not None and _single(levels) is None
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


def _span(low: str, high: str) -> str:
    if not low and not high:
        return ""
    return f"{low or DASH} to {high or DASH}"


def _format(value, kind: str, decimals: int, *, sign: bool = True, unit: bool = True) -> str:
    """One number as a reader reads it: 52%, +37 points, +3.8 (NPS), 1,202, −0.29."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    if kind in ("percent", "points"):
        text = _number(100 * value, decimals, signed=sign and kind == "points")
        return text + ("%" if kind == "percent" else " points" if unit else "")
    return _number(value, decimals, signed=sign and kind == "nps")


def _number(value: float, decimals: int, *, signed: bool = False) -> str:
    """``value`` with ``decimals`` places, thousands separators, a true minus and never "−0"."""
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


def _numbers(values) -> list[str]:
    return ["" if pd.isna(v) else _number(v, 0 if float(v).is_integer() else _significant(v)) for v in values]


def _column_numbers(full: pd.Series, shown: pd.Series) -> list[str]:
    """A column of numbers with one number of decimals (or as percentages for a share in [0, 1])."""
    x = pd.to_numeric(full, errors="coerce").dropna()
    if (x == np.round(x)).all():
        return [_number(v, 0) if pd.notna(v) else "" for v in shown]
    if _share_column(full.name) and x.between(0, 1).all():
        return [_format(v, "percent", 0) for v in shown]
    decimals = max(_fewest(v) for v in x)
    return [_number(v, decimals) if pd.notna(v) else "" for v in shown]


def _share_column(name) -> bool:
    return bool(re.search(r"(^|_)(share|pct|percent|rate|proportion)(_|$)", str(name), re.I))


def _with_interval(full, values, low, high) -> list[str]:
    """An extra measure with its own ``<name>_ci_low``/``_ci_high``: "17% (15% to 19%)"."""
    percent = _share_column(full.name) and pd.to_numeric(full, errors="coerce").dropna().between(0, 1).all()
    kind = "percent" if percent else "number"
    decimals = 0 if percent else _significant(pd.to_numeric(full, errors="coerce").abs().max())
    out = []
    for v, lo, hi in zip(values, low, high):
        span = _span(_format(lo, kind, decimals), _format(hi, kind, decimals))
        out.append(_format(v, kind, decimals) + (f" ({span})" if span else ""))
    return out


def _statistics(frame: pd.DataFrame) -> list[str]:
    """The test statistic, with its letter when the method names the test, and its df: t(149) = −3.50."""
    methods = frame["method"] if "method" in frame else pd.Series("", index=frame.index)
    dfs = frame["df"] if "df" in frame else pd.Series(np.nan, index=frame.index)
    out = []
    for value, df, method in zip(frame["statistic"], dfs, methods):
        if pd.isna(value):
            out.append("")
            continue
        number = _number(value, _significant(value))
        df_text = _numbers([df])[0] if pd.notna(df) else ""
        method = method if isinstance(method, str) else ""
        letter = next((ch for pattern, ch in _LETTERS if pattern.search(method)), None)
        if letter:
            out.append(f"{letter}({df_text}) = {number}" if df_text else f"{letter} = {number}")
        else:
            out.append(f"{number} (df {df_text})" if df_text else number)
    return out


def _p(value) -> str:
    """A p-value as APA writes it: "< .001", ".034", "> .999"."""
    if value is None or pd.isna(value):
        return ""
    if value < 0.001:
        return "< .001"
    if value > 0.999:
        return "> .999"
    return f"{value:.3f}".lstrip("0")


def _effects(data, shown, kind, level):
    """The effect size, its type in the header when one type fills the column, else in the cell."""
    low, high = "effect_size_ci_low", "effect_size_ci_high"
    with_ci = low in data and high in data
    types = shown["effect_size_type"] if "effect_size_type" in shown else pd.Series(None, index=shown.index)
    out = []
    estimates = shown["estimate"] if "estimate" in shown else pd.Series(np.nan, index=shown.index)
    for i, (value, t, estimate) in enumerate(zip(shown["effect_size"], types, estimates)):
        if pd.isna(value) or value == estimate:  # a ratio that is its own effect size: said once
            out.append("")
            continue
        text = _number(value, 2)
        if with_ci:
            span = _span(_number(shown[low].iloc[i], 2), _number(shown[high].iloc[i], 2))
            text += f" ({span})" if span else ""
        if kind is None and isinstance(t, str):
            text += f" ({t})"
        out.append(text)
    label = kind if kind else "effect size"
    return (f"{label} ({_ci_label(level)})" if with_ci else label), out


def _effect_is_estimate(data) -> bool:
    """True when the effect size repeats the estimate (a correlation): the estimate then takes its name."""
    if not {"effect_size", "estimate", "effect_size_type"} <= set(data):
        return False
    if _single(data["effect_size_type"]) is None:
        return False
    both = data["effect_size"].notna()
    return bool(both.any() and (data.loc[both, "effect_size"] == data.loc[both, "estimate"]).all()
                and data["effect_size"].notna().equals(data["estimate"].notna()))


def _methods(data, shown, single, *, keys):
    """The method column: said once beneath when the same for all rows, else shortened with notes."""
    if single is not None:
        return None, [f"Method: {_tidy_method(single)}."]
    full = [(_tidy_method(m) if isinstance(m, str) else "") for m in data["method"]]
    parts = [[p.strip() for p in m.split(";") if p.strip()] for m in full]
    common = [p for p in parts[0] if all(p in q for q, m in zip(parts, full) if m)] if full[0] else []
    rest = ["; ".join(p for p in q if p not in common) for q in parts]
    notes = [f"Method, all rows: {'; '.join(common)}."] if common else []
    key = _method_key(data, rest, keys)
    if key is not None:
        names = data[key].map(_humane) if key == "term" else pd.Series(_texts(data[key]))
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
    schema = {*ANSWER, *CAPTIONED, "method"}
    for column in ["term", *keys]:
        if column not in keys or column in schema or pd.api.types.is_numeric_dtype(data[column]):
            continue
        pairs = pd.DataFrame({"key": data[column].astype(str), "method": rest}).drop_duplicates()
        if len(pairs) == len(distinct) and pairs["key"].is_unique and pairs["method"].is_unique:
            return column
    return None


def _shorten_all(texts: list[str]) -> dict[str, str]:
    """A short cell for each method; methods that would read alike keep their last, distinguishing clause."""
    first = {t: _shorten(t.split(";")[0]) for t in texts}
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


def _tidy_method(text: str) -> str:
    return _NAMES.sub(lambda m: NAMES[m.group(1)], text.strip().rstrip("."))


# --- helpers ----------------------------------------------------------------------------------------

def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with a plain index (a meaningful index becomes columns) and unique string column names."""
    data = frame.copy()
    if not isinstance(data.index, pd.RangeIndex) or any(n is not None for n in data.index.names):
        data = data.reset_index()
    data.columns = _unique([str(c) for c in data.columns])
    return data.reset_index(drop=True)


def _blank(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds nothing: NaN, None or an empty string."""
    text = frame.apply(lambda s: s.map(lambda v: isinstance(v, str) and not v.strip()) if s.dtype == object
                       else pd.Series(False, index=s.index))
    return frame.isna() | text.astype(bool)


def _same_everywhere(data: pd.DataFrame) -> set[str]:
    """Columns holding one value in every row (of two or more rows), answers excepted."""
    if len(data) < 2:
        return set()
    blank = _blank(data)
    out = set()
    for c in data.columns:
        if c in ANSWER or blank[c].any():
            continue
        if data[c].astype(str).nunique() == 1:
            out.add(c)
    return out


def _single(series: pd.Series):
    """The one value a column holds (missing cells aside), else None."""
    values = series.dropna()
    values = values[~values.map(lambda v: isinstance(v, str) and not v.strip())]
    if len(values) == 0 or values.astype(str).nunique() != 1:
        return None
    return values.iloc[0]


def _one(series: pd.Series) -> str:
    """The value of a column the same in every row, as the caption writes it (0.05, 2,997, Current)."""
    value = series.iloc[0]
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return _number(value, _fewest(value))
    return str(value)


def _fewest(value: float, digits: int = 3) -> int:
    """The fewest decimals that show ``value`` to ``digits`` significant figures: 0.8, not 0.800."""
    most = _significant(value, digits)
    return next(d for d in range(most + 1) if round(value, d) == round(value, most))


def _paired_bound(column: str, data: pd.DataFrame) -> bool:
    """``x_ci_low``/``x_ci_high`` of a column ``x`` shown with it (``effect_size`` included)."""
    for end in ("_ci_low", "_ci_high"):
        if column.endswith(end):
            base = column[: -len(end)]
            return base in data and f"{base}_ci_low" in data and f"{base}_ci_high" in data
    return False


def _ci_label(level) -> str:
    return f"{_percent_text(level)} CI" if level is not None and pd.notna(level) else "CI"


def _percent_text(level) -> str:
    return f"{100 * float(level):.{0 if float(100 * level).is_integer() else 1}f}%"


def _texts(series: pd.Series) -> list[str]:
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


def _humane(value) -> str:
    """A label or term as words: underscores as spaces."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).replace("_", " ").strip()


def _long(values) -> bool:
    return any(isinstance(v, str) and len(v) > 40 for v in values)


def _unique(names: list[str]) -> list[str]:
    seen, out = {}, []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _escape(text: str) -> str:
    import html

    return html.escape(str(text), quote=True)


# --- rendering --------------------------------------------------------------------------------------

def _render(t: Table) -> str:
    """HTML by great_tables: left-aligned, compact, numbers unwrapped, long text wrapped, CSS scoped."""
    from great_tables import GT, loc, style

    view = t.view.copy()
    keys = [f"c{i}" for i in range(view.shape[1])]
    labels = dict(zip(keys, view.columns))
    view.columns = keys
    numbers = [k for k in keys if labels[k] in t.numeric]
    words = [k for k in keys if k not in numbers]
    prose = [k for k in keys if labels[k] in t.prose]
    digest = hashlib.sha1((view.to_csv() + "\n".join(t.notes) + repr(labels)).encode()).hexdigest()[:10]
    table_id = f"uxcx-{digest}"
    gt = GT(view, id=table_id).cols_label(**labels)
    if numbers:
        gt = gt.cols_align("right", columns=numbers).tab_style(style.css("white-space: nowrap"),
                                                               loc.body(columns=numbers))
    if words:
        gt = gt.cols_align("left", columns=words)
    if prose:
        gt = gt.tab_style(style.css("min-width: 12em; max-width: 26em; white-space: normal"),
                          loc.body(columns=prose))
    for note in t.notes:
        gt = gt.tab_source_note(note)
    gt = gt.tab_options(table_font_size="13px", table_margin_left="0px", table_margin_right="0px",
                        data_row_padding="3px", column_labels_padding="4px", column_labels_font_weight="bold",
                        source_notes_font_size="12px", container_width="100%", table_width="auto")
    # the caption wraps to the table's width instead of widening it (a narrow table keeps room to read)
    wide = max(map(len, t.notes), default=0) > 120
    gt = gt.opt_css(f"#{table_id} .gt_sourcenote .gt_from_md {{display: block; width: 0; min-width: 100%}}"
                    + (f" #{table_id} .gt_table {{min-width: min(100%, 40em)}}" if wide else ""))
    return _scoped(gt.as_raw_html(make_page=False, inline_css=False), table_id)


def _scoped(html: str, table_id: str) -> str:
    """great_tables writes a few rules (``tr``, ``td``) for the whole page; scope them to this table."""
    def scope(match):
        selectors = ", ".join(s if s.startswith(f"#{table_id}") else f"#{table_id} {s}"
                              for s in (x.strip() for x in match.group(1).split(",")) if s)
        return f"{selectors} {{{match.group(2)}}}"

    def fix(block):
        return block.group(1) + re.sub(r"([^{}@]+?)\s*\{([^{}]*)\}", scope, block.group(2)) + block.group(3)

    return re.sub(r"(<style[^>]*>)(.*?)(</style>)", fix, html, count=1, flags=re.S)
