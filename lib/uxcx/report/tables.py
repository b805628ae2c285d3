"""Tables for people: a result frame as a stakeholder reads it (issue 12).

:func:`table` turns any frame, usually a result frame (DESIGN.md, Conventions),
into a reader view: labelled columns ("95% CI", "p (Holm-adjusted)", "n"),
one interval column, proportions as percentages, rounding fitted to each row's
interval, nothing that is empty or the same in every row (what is the same is
said once beneath the table), the method named once, long tables cut with a
note, and HTML that fits the page. The CSV downloads keep the full schema.

The HTML is rendered by great_tables (Posit's port of R's gt), which escapes
every value and writes no external fonts or scripts. The text of each cell comes
from :mod:`uxcx.report.cells`, row by row, because a result frame mixes kinds in
one column (a completion rate above a time ratio) where a great_tables formatter
formats a column; this module chooses the columns, their labels and the caption,
and renders the table.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd

from uxcx.report.cells import (
    NAMES,
    caption_value,
    ci_label,
    column_numbers,
    effects,
    estimates,
    humane,
    intervals,
    methods,
    numbers,
    p_cell,
    row_kinds,
    single,
    statistics,
    texts,
    with_interval,
)

__all__ = ["Table", "table", "reader_view"]

#: A table longer than this shows its first :data:`SHOWN_WHEN_LONG` rows and a note.
MAX_ROWS = 25
SHOWN_WHEN_LONG = 20
#: Columns of the schema that carry the answer: never folded into the caption.
ANSWER = ("estimate", "ci_low", "ci_high", "statistic", "p_value", "p_adjusted", "effect_size")
#: Columns of the schema said once (in a header or beneath the table) when the same in every row.
CAPTIONED = ("confidence_level", "alternative", "p_adjust_method", "effect_size_type")
#: Columns of the schema holding numbers.
NUMBERS = ("n", "estimate", "std_error", "ci_low", "ci_high", "confidence_level", "statistic", "df",
           "p_value", "p_adjusted", "effect_size")
#: Columns only an analyst reads: kept in the CSV, left out of the reader view (a p below the
#: floating-point range reads "< .001", and its method note gives log10 p).
TECHNICAL = ("mc_error_low", "mc_error_high", "coef", "log10_p_value")


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


def table(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS, note: str = "") -> Table:
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
    - ``note`` adds a line to the caption, e.g. the currency of amounts ("Amounts in EUR.").

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
    return Table(view, [*notes, note] if note else notes, numeric, prose)


def reader_view(frame: pd.DataFrame, *, max_rows: int = MAX_ROWS):
    """The cells of :func:`table` as text: ``(view, notes, numeric labels, prose labels)``."""
    if frame is None or len(frame) == 0 or frame.shape[1] == 0:
        return pd.DataFrame(), ["No rows."], [], []
    data = _plain(frame)
    data = data.loc[:, ~_blank(data).all()]
    for column in set(NUMBERS) & set(data.columns):  # a schema name on text ("n": "all") is just text
        if not pd.api.types.is_numeric_dtype(data[column]) or pd.api.types.is_bool_dtype(data[column]):
            values = pd.to_numeric(data[column], errors="coerce")
            if values.notna().sum() == data[column].notna().sum():
                data[column] = values
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
    only = {c: single(data[c]) if c in data else None for c in ("term", "method", *CAPTIONED)}
    level = only["confidence_level"]
    kinds = row_kinds(shown)
    term_heads = only["term"] is not None and not _blank(data[["term"]]).any().any() and "estimate" in data
    effect_is_estimate = _effect_is_estimate(data)
    out, notes, in_every_row = [], [], []
    for column in data.columns:
        s = shown[column]
        if column == "term":
            if not term_heads:
                out.append(_Column("", [humane(v) for v in s]))
        elif column == "estimate":
            label = (only["effect_size_type"] if effect_is_estimate
                     else humane(only["term"]) if term_heads else "estimate")
            out.append(_Column(label, estimates(shown, kinds), True))
        elif column in ("ci_low", "ci_high"):
            if column == "ci_low" or "ci_low" not in data:
                out.append(_Column(ci_label(level), intervals(shown, kinds), True))
        elif column == "std_error":
            bounds = data[[c for c in ("ci_low", "ci_high") if c in data]]
            if not (bounds.notna().any(axis=1) | data["std_error"].isna()).all():
                out.append(_Column("SE", estimates(shown, kinds, column="std_error", sign=False), True))
        elif column == "statistic":
            out.append(_Column("test", statistics(shown), True))
        elif column == "df":
            if "statistic" not in data:
                out.append(_Column("df", numbers(s), True))
        elif column == "p_value":
            out.append(_Column("p", [p_cell(v) for v in s], True))
        elif column == "p_adjusted":
            out += _adjusted(shown, only["p_adjust_method"])
        elif column == "effect_size":
            if not effect_is_estimate:
                label, cells = effects(data, shown, only["effect_size_type"], level)
                out.append(_Column(label, cells, True))
        elif column == "alternative":
            if only["alternative"] is None:
                out.append(_Column("alternative", texts(s)))
            else:
                notes.append(f"{str(only['alternative']).capitalize()} tests.")
        elif column in ("method", *CAPTIONED, *TECHNICAL) or _paired_bound(column, data):
            continue
        elif column in same:
            in_every_row.append(f"{humane(column)} = {caption_value(data[column])}")
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            low, high = f"{column}_ci_low", f"{column}_ci_high"
            if low in data and high in data:
                out.append(_Column(f"{humane(column)} ({ci_label(level)})",
                                   with_interval(data[column], s, shown[low], shown[high]), True))
            else:
                out.append(_Column(humane(column), column_numbers(data[column], s), True))
        else:
            out.append(_Column(humane(column), texts(s)))
    if in_every_row:
        notes.insert(0, "In every row: " + "; ".join(in_every_row) + ".")
    if "method" in data:
        schema = {*ANSWER, *CAPTIONED, "method"}
        keys = [c for c in data if c not in same and c not in schema]
        cells, method_notes = methods(data, shown, only["method"], keys=keys)
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
        return [_Column(label, [p_cell(v) for v in shown["p_adjusted"]], True)]
    adjust_methods = shown["p_adjust_method"] if "p_adjust_method" in shown else [None] * len(shown)
    cells = [p_cell(v) + (f" ({NAMES.get(m, m)})" if isinstance(m, str) and p_cell(v) else "")
             for v, m in zip(shown["p_adjusted"], adjust_methods)]
    return [_Column("p (adjusted)", cells, True)]


def _effect_is_estimate(data) -> bool:
    """True when the effect size repeats the estimate (a correlation): the estimate then takes its name."""
    if not {"effect_size", "estimate", "effect_size_type"} <= set(data):
        return False
    if single(data["effect_size_type"]) is None:
        return False
    both = data["effect_size"].notna()
    return bool(both.any() and (data.loc[both, "effect_size"] == data.loc[both, "estimate"]).all()
                and data["effect_size"].notna().equals(data["estimate"].notna()))


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


def _paired_bound(column: str, data: pd.DataFrame) -> bool:
    """``x_ci_low``/``x_ci_high`` of a column ``x`` shown with it (``effect_size`` included)."""
    for end in ("_ci_low", "_ci_high"):
        if column.endswith(end):
            base = column[: -len(end)]
            return base in data and f"{base}_ci_low" in data and f"{base}_ci_high" in data
    return False


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
    right = [k for k in keys if labels[k] in t.numeric]
    words = [k for k in keys if k not in right]
    prose = [k for k in keys if labels[k] in t.prose]
    digest = hashlib.sha1((view.to_csv() + "\n".join(t.notes) + repr(labels)).encode()).hexdigest()[:10]
    table_id = f"uxcx-{digest}"
    gt = GT(view, id=table_id).cols_label(**labels)
    if right:
        gt = gt.cols_align("right", columns=right).tab_style(style.css("white-space: nowrap"),
                                                               loc.body(columns=right))
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
