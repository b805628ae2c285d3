"""Figures for the notebooks: one theme (seaborn's look), colour-blind-safe palette.

Each function draws a figure and returns it, so a notebook cell is one call. Every one
takes ``ax=``: given an axes of the researcher's own figure it draws there (a figure of
several panels takes that axes' place in its grid) and returns that figure. Axes name
what they show with the study's display labels (``labels=``, from
:func:`uxcx.study.plan.labels`) and units, and shares are drawn on percent axes, as the
sentences give them. Histograms and heatmaps are seaborn's, imported when first drawn.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator, PercentFormatter

from uxcx.errors import UxcxError
from uxcx.report.findings import number
from uxcx.study.quality import key_columns
from uxcx.study.schema import role

__all__ = ["theme", "PALETTE", "ledger_bars", "missingness_bars", "distributions", "link_bars"]

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
_KEPT, _REPAIRED, _DROPPED = "#0072B2", "#56B4E9", "#D55E00"
# What one row of each kind of source is, for axis labels ("errors per attempt").
_ROW_WORDS = (({"participant", "task"}, "attempt"), ({"respondent"}, "respondent"),
              ({"customer", "start"}, "customer"), ({"participant"}, "participant"))


def theme() -> None:
    """Apply the kit's theme to figures and tables (call once at the top of a notebook).

    seaborn's whitegrid look with the Okabe-Ito palette, set through matplotlib's
    own copy of the style so that a notebook which draws no seaborn plot does not
    pay seaborn's import (about 1 s, most of it scipy.stats).
    """
    plt.style.use("seaborn-v0_8-whitegrid")
    # Tables in notebooks: whole sentences in text columns, thousands readable.
    pd.set_option("display.max_colwidth", 200)
    plt.rcParams.update({"axes.prop_cycle": cycler(color=PALETTE), "figure.dpi": 100,
                         "axes.titleweight": "bold", "figure.figsize": (8, 4)})


# --- shared pieces -------------------------------------------------------------------------------

def figure_axes(ax, figsize):
    """A new figure and axes, or the caller's axes and its figure."""
    if ax is None:
        return plt.subplots(figsize=figsize)
    return ax.figure, ax


def panel_axes(ax, nrows: int, ncols: int, figsize, *, sharex: bool = False, **grid):
    """``nrows`` x ``ncols`` axes: a new figure, or the place of the caller's ``ax`` split up.

    ``ax`` may also be a list of axes to draw into, one per panel. ``grid`` takes
    ``width_ratios``, ``height_ratios``, ``wspace`` and ``hspace``.
    """
    grid = {k: v for k, v in grid.items() if v is not None}
    if ax is None:
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, sharex=sharex,
                                 gridspec_kw=grid)
        return fig, list(axes.flat)
    if np.iterable(ax):
        axes = list(np.ravel(ax))
        if len(axes) < nrows * ncols:
            raise UxcxError(f"this figure draws {nrows * ncols} panels; ax holds {len(axes)} axes")
        return axes[0].figure, axes[:nrows * ncols]
    spec = ax.get_subplotspec()
    if spec is None:
        raise UxcxError("this figure has several panels, so ax must sit in a grid (plt.subplots, "
                        "fig.add_subplot or fig.subfigures) for them to share its place; or pass one "
                        f"axes per panel ({nrows * ncols}) as a list")
    fig = ax.figure
    ax.remove()
    sub = spec.subgridspec(nrows, ncols, **grid)
    axes = []
    for i in range(nrows):
        for j in range(ncols):
            axes.append(fig.add_subplot(sub[i, j], sharex=axes[0] if sharex and axes else None))
    return fig, axes


def _percent(axis, *, absolute: bool = False) -> None:
    """Ticks of an axis drawn in percent points (0-100) read as "40%"."""
    if absolute:  # diverging bars: both sides are shares
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}%"))
    else:
        axis.set_major_formatter(PercentFormatter(100, decimals=0))


def _seconds(axis, span: float = 100.0) -> None:
    """A log axis with plain ticks (20, 50, 100 s; 0.5, 0.7, 1.0 for ratios), not 10^2.

    ``span`` is the ratio of the largest to the smallest value shown: the narrower it
    is, the more ticks between the powers of ten (a forest plot from 0.5 to 1.4 needs them).
    """
    subs = (1, 1.5, 2, 3, 5, 7) if span < 4 else (1, 2, 3, 5, 7) if span < 12 else (1, 2, 5)
    axis.set_minor_locator(NullLocator())  # minor log ticks cost more than the plot
    axis.set_major_locator(LogLocator(subs=subs, numticks=12))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


def term_label(term, labels: dict | None = None) -> str:
    """A measure or model term as readers name it.

    The study's label when it has one; a level of a categorical term, ``plan[Plus]``
    (patsy's ``plan[T.Plus]`` too), reads "plan: Plus" with the covariate's label.

    >>> term_label("plan[Plus]"), term_label("ux_sd", {"ux_sd": "UX score (per SD)"})
    ('plan: Plus', 'UX score (per SD)')
    """
    labels = labels or {}
    text = str(term)
    if text in labels:
        return str(labels[text])
    found = re.fullmatch(r"(.+?)\[(?:T\.)?(.+)\]", text)
    if found:
        return f"{labels.get(found[1], found[1])}: {found[2]}"
    return text


def capitalised(text: str) -> str:
    """First letter up, the rest as written: "success" -> "Success", "UX level" unchanged."""
    return text[:1].upper() + text[1:]


def _row_word(frame: pd.DataFrame) -> str:
    columns = set(frame.columns)
    return next((word for keys, word in _ROW_WORDS if keys <= columns), "row")


def _unit(column: str, kind: str, *, row: str, currency: str, time_unit: str) -> str:
    """The x-axis words of a histogram: what one value counts, in which unit."""
    if kind == "duration":
        return "seconds"
    if kind == "count":
        return f"number per {row}"
    if kind == "money":
        per = f" per {time_unit.rstrip('s')}" if time_unit else " per period"
        return f"{currency or 'amount'}{per}"
    return ""


# --- data quality ---------------------------------------------------------------------------------

def ledger_bars(summary: pd.DataFrame, *, ax=None):
    """Where each source's rows went, as shares of the rows read (so small files show too)."""
    read = summary["read"].where(summary["read"] > 0, 1)
    clean = (summary["kept"] - summary["repaired"]) / read * 100
    repaired = summary["repaired"] / read * 100
    dropped = summary["dropped"] / read * 100
    fig, ax = figure_axes(ax, (8, 1.2 + 0.5 * len(summary)))
    y = np.arange(len(summary))
    ax.barh(y, clean, color=_KEPT, label="kept as read")
    ax.barh(y, repaired, left=clean, color=_REPAIRED, label="kept, repaired")
    ax.barh(y, dropped, left=clean + repaired, color=_DROPPED, label="dropped")
    labels = [f"{r.source}\n{r.read:,} read · {r.dropped:,} dropped" for r in summary.itertuples()]
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _percent(ax.xaxis)
    ax.set_xlabel("share of the rows read")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 - 0.1 / len(summary)), ncols=3,
              frameon=False)
    ax.set_title("Where every row went")
    return fig


def missingness_bars(missing: pd.DataFrame, *, labels: dict | None = None, ax=None):
    """Share of missing values in each column that has any (the rest are complete)."""
    import seaborn as sns

    gaps = missing[missing["missing"] > 0]
    complete = len(missing) - len(gaps)
    fig, ax = figure_axes(ax, (8, 1.2 + 0.3 * max(len(gaps), 1)))
    if len(gaps):
        share = gaps["share_missing"].to_numpy(float) * 100
        names = [f"{source} · {term_label(column, labels)}" for source, column in zip(gaps["source"],
                                                                                        gaps["column"])]
        ax.barh(np.arange(len(gaps)), 100, color="#DDDDDD")  # the complete rest, behind
        sns.barplot(x=share, y=np.arange(len(gaps)), orient="h", color=_DROPPED, saturation=1, width=0.8,
                    errorbar=None, ax=ax)
        for i, (value, n) in enumerate(zip(share, gaps["missing"])):
            ax.text(min(value, 80) + 1, i, f"{value:.0f}% ({n:,})", va="center", fontsize=8)
        ax.set_yticks(np.arange(len(gaps)), names, fontsize=9)
        ax.set_ylim(len(gaps) - 0.5, -0.5)
    else:
        ax.set_yticks([])
    ax.set_xlim(0, 100)
    _percent(ax.xaxis)
    ax.set_xlabel("share of kept rows missing")
    ax.set_ylabel("")
    ax.grid(False)
    ax.set_title(f"Missing values ({complete} other column{'s' if complete != 1 else ''} complete)")
    return fig


def distributions(frame: pd.DataFrame, *, title: str = "", limit: int = 3, labels: dict | None = None,
                  currency: str = "", time_unit: str = "", study=None, ax=None):
    """How the measured columns of a frame are spread, in one figure.

    Rating scales and yes/no columns share one panel: a bar per column split into
    the share of each answer, lowest scale point on the left (orange) to highest
    (purple), so a scale used only at one end or a reversed item stands out.
    Up to ``limit`` other measures (times, counts, money) get a histogram each (seaborn's
    ``histplot``), titled by the study's ``labels`` with the unit on the axis (money in
    ``currency`` per ``time_unit``); times are binned on a log scale, as they are skewed
    (Sauro & Lewis 2016, ch. 3). Given the ``study``, its labels, currency and time unit
    are the defaults. ``ax`` is split into the panels.
    """
    import seaborn as sns

    if study is not None:
        from uxcx.study.plan import currency as study_currency
        from uxcx.study.plan import labels as study_labels

        labels = labels if labels is not None else study_labels(study, frame.columns)
        currency = currency or study_currency(study)
        time_unit = time_unit or study.analysis.time_unit

    columns = key_columns(frame)
    scales = [c for c in columns if role(c).kind in ("score", "binary")]
    others = [c for c in columns if c not in scales][:limit]
    panels = (1 if scales else 0) + len(others)
    widths = ([3] if scales else []) + [1.4] * len(others)
    height = max(2.6, 0.6 + 0.28 * len(scales))
    fig, axes = panel_axes(ax, 1, max(panels, 1), (min(1.7 * sum(widths) + 1.5, 13), height),
                        width_ratios=widths or None, wspace=0.45)
    first = axes[0]
    if scales:
        _scale_bars(axes.pop(0), frame, scales, labels)
    row = _row_word(frame)
    for panel, column in zip(axes, others):
        values = pd.to_numeric(frame[column], errors="coerce").dropna().to_numpy(float)
        kind = role(column).kind
        unit = _unit(column, kind, row=row, currency=currency, time_unit=time_unit)
        if kind == "duration" and len(values) and values.min() > 0:
            sns.histplot(x=values, bins=25, log_scale=True, color=PALETTE[0], edgecolor="white", ax=panel)
            _seconds(panel.xaxis, values.max() / values.min())
            unit += ", log scale"
        elif len(values) and np.all(values % 1 == 0) and np.ptp(values) <= 30:
            sns.histplot(x=values, discrete=True, shrink=0.8, color=PALETTE[0], edgecolor="white", ax=panel)
        else:
            sns.histplot(x=values, bins=25, color=PALETTE[0], edgecolor="white", ax=panel)
        panel.set_title(capitalised(term_label(column, labels)), fontsize=10)
        panel.set_xlabel(unit, fontsize=8)
        panel.set_ylabel(f"{row}s", fontsize=8)
        panel.tick_params(labelsize=8)
    if title and ax is None:
        fig.suptitle(title, fontweight="bold", x=0.02, ha="left")
    elif title:
        first.annotate(title, (0, 1), xycoords="axes fraction", xytext=(0, 22), textcoords="offset points",
                       fontweight="bold", va="bottom")
    return fig


def _scale_bars(ax, frame: pd.DataFrame, columns: list[str], labels: dict | None) -> None:
    cmap = plt.get_cmap("PuOr")
    for i, column in enumerate(columns):
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        r = role(column)
        low = r.low if r.low is not None else values.min()
        high = r.high if r.high is not None else values.max()
        shares = values.value_counts(normalize=True).sort_index()
        position = (shares.index.to_numpy(float) - low) / max(high - low, 1)
        left = np.concatenate([[0], np.cumsum(shares.to_numpy())[:-1]]) * 100
        ax.barh(i, shares.to_numpy() * 100, left=left, color=cmap(0.1 + 0.8 * position),
                edgecolor="white", linewidth=0.5)
    ax.set_yticks(range(len(columns)), [term_label(c, labels) for c in columns], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _percent(ax.xaxis)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("share of answers, lowest scale point (orange) to highest (purple)", fontsize=8)
    ax.grid(False)
    ax.set_title("Rating scales and yes/no", fontsize=10)


def _side(name: str) -> tuple[str, str]:
    """'usability.participant' -> ('usability', 'participant')."""
    source, _, key = str(name).partition(".")
    return source, key


def link_bars(links: pd.DataFrame, *, ax=None):
    """Matched and unmatched keys on the left side of each link.

    The legend sits above the bars, beside the title, so it never covers the share
    written at the end of a bar.
    """
    fig, ax = figure_axes(ax, (8, 1.2 + 0.55 * len(links)))
    names = []
    for left, right in zip(links["left"], links["right"]):
        (ls, lk), (rs, rk) = _side(left), _side(right)
        names.append(f"{ls} → {rs}\n({lk})" if lk == rk or not rk else f"{ls} ({lk}) → {rs} ({rk})")
    y = np.arange(len(links))
    ax.barh(y, links["left_matched"], color=_KEPT, label="matched")
    ax.barh(y, links["left_unmatched"], left=links["left_matched"], color=_DROPPED, label="no partner")
    for i, row in enumerate(links.itertuples()):
        share = row.left_matched / row.left_keys if row.left_keys else 0
        ax.text(row.left_keys, i, f"  {_share(share)} matched", va="center", fontsize=9)
    ax.set_yticks(y, names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("distinct keys of the first source")
    ax.set_xlim(0, max(1, links["left_keys"].max()) * 1.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, frameon=False, borderaxespad=0.3)
    ax.set_title("How well the sources link", loc="left")
    return fig


def _share(x: float) -> str:
    """A share as a percent that never rounds a gap away: 99.6% matched is "99.6%", not "100%"."""
    text = f"{x:.0%}"
    return f"{x:.1%}" if (text == "100%" and x < 1) or (text == "0%" and x > 0) else text


# --- estimates --------------------------------------------------------------------------------

def dot_whisker(results: pd.DataFrame, *, y: str, hue: str | None = None, xlabel: str = "",
                log: bool = False, percent: bool = False, title: str = "", reference: float | None = None,
                labels: dict | None = None, ylabel: str = "", ax=None):
    """Estimates with their intervals: one row per ``y`` level, one colour per ``hue`` level.

    ``results`` is a result frame (``estimate``, ``ci_low``, ``ci_high``). Rows of
    different ``hue`` are dodged so their whiskers do not overlap. ``reference`` draws
    the line of no effect (0 for a difference, 1 for a ratio), so a forest plot reads at a glance.
    Rows are named by :func:`term_label` with the study's ``labels`` (``plan[Plus]`` reads
    "plan: Plus"); ``percent`` draws shares (0-1) on a percent axis.
    """
    levels = list(dict.fromkeys(results[y]))
    groups = list(dict.fromkeys(results[hue])) if hue else [None]
    fig, ax = figure_axes(ax, (8, 1 + 0.5 * len(levels)))
    scale = 100 if percent else 1
    step = 0.5 / max(1, len(groups))
    for k, group in enumerate(groups):
        rows = results if group is None else results[results[hue] == group]
        pos = np.array([levels.index(v) for v in rows[y]]) + (k - (len(groups) - 1) / 2) * step
        est = rows["estimate"].to_numpy(float) * scale
        err = np.vstack([est - rows["ci_low"].to_numpy(float) * scale,
                         rows["ci_high"].to_numpy(float) * scale - est])
        ax.errorbar(est, pos, xerr=err, fmt="o", color=PALETTE[k % len(PALETTE)], capsize=3,
                    label=None if group is None else str(group))
    ax.set_yticks(range(len(levels)), [term_label(v, labels) for v in levels])
    ax.set_ylim(len(levels) - 0.5, -0.5)
    if reference is not None:
        ax.axvline(reference * scale, color="0.4", linestyle="--", linewidth=1, zorder=0)
    if log:
        ax.set_xscale("log")
        low, high = results["ci_low"].min(), results["ci_high"].max()
        _seconds(ax.xaxis, high / low if low > 0 else 100.0)
    if percent:
        _percent(ax.xaxis)
    ax.set_xlabel(xlabel or "estimate")
    ax.set_ylabel(ylabel)
    if hue:
        ax.legend(title=capitalised(term_label(hue, labels)), frameon=False, loc="upper left",
                  bbox_to_anchor=(1, 1))
    if title:
        ax.set_title(title)
    return fig


def _grade_rows(ax, texts, pad: float = 3.0) -> int:
    """Put each grade label in the first row where it clears its left neighbour; the number of rows.

    Widths are measured with the figure's renderer (pixels), so the labels of the narrow
    grades (C+, B-, B+, A-: under two points of SUS each) never run into each other.
    """
    renderer = ax.figure.canvas.get_renderer()
    ends: list[float] = []
    rows = []
    for text in texts:
        box = text.get_window_extent(renderer)
        row = next((r for r, end in enumerate(ends) if box.x0 >= end + pad), len(ends))
        if row == len(ends):
            ends.append(-np.inf)
        ends[row] = box.x1
        rows.append(row)
    return rows


def sus_bands(scores: pd.DataFrame, *, score: str = "sus", by: str | None = None, title: str = "",
              labels: dict | None = None, ax=None):
    """SUS scores as dots over the curved grade bands (Sauro & Lewis 2016, Table 8.5).

    One row of dots per ``by`` level, the group mean as a bar; bands shaded from F to A+
    so a reader sees where a design lands on the scale the field uses. The grade
    letters of narrow bands are set in staggered rows so that none overlaps another.
    """
    from uxcx.ux.norms import SAURO_LEWIS_GRADES

    groups = sorted(scores[by].dropna().unique()) if by else [None]
    fig, ax = figure_axes(ax, (8, 1.6 + 0.6 * len(groups)))
    ax.set_xlim(0, 100)
    ax.set_ylim(len(groups) - 0.4, -0.75)
    lows = [low for low, _ in SAURO_LEWIS_GRADES] + [100.0]
    cmap = plt.get_cmap("Greys")
    texts = []
    for i, (low, grade) in enumerate(SAURO_LEWIS_GRADES):
        ax.axvspan(low, lows[i + 1], color=cmap(0.08 + 0.035 * (i % 2)), zorder=0)
        texts.append(ax.text((low + lows[i + 1]) / 2, -0.55, grade, ha="center", va="center", fontsize=7,
                             color="#555555"))
    rows = _grade_rows(ax, texts)
    step = 0.28
    for text, row in zip(texts, rows):
        text.set_y(-0.55 - step * row)
    ax.set_ylim(len(groups) - 0.4, -0.75 - step * max(rows))
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is the same every run
    for k, group in enumerate(groups):
        values = (scores if group is None else scores[scores[by] == group])[score].dropna()
        ax.scatter(values, k + rng.uniform(-0.15, 0.15, len(values)), s=14, alpha=0.6,
                   color=PALETTE[k % len(PALETTE)], zorder=2)
        ax.plot([values.mean()] * 2, [k - 0.3, k + 0.3], color="black", lw=2, zorder=3)
    ax.set_yticks(range(len(groups)), ["all" if g is None else str(g) for g in groups])
    if by:
        ax.set_ylabel(capitalised(term_label(by, labels)))
    name = (labels or {}).get(score, "SUS score (0-100)" if score == "sus" else score)
    ax.set_xlabel(f"{name}; bar: mean; bands: Sauro-Lewis curved grades")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return fig


def table(frame: pd.DataFrame, *, max_rows: int = 25, note: str = ""):
    """A result frame as a reader sees it: labelled, rounded, captioned, fitting the page.

    One "95% CI" column, proportions as percentages, p-values as "< .001", the
    adjusted one named by its method; what is empty or the same in every row is
    left out or said once beneath; a table longer than ``max_rows`` shows its
    first rows and a note. See :func:`uxcx.report.tables.table`; the CSV
    downloads keep every column.
    """
    from uxcx.report import tables

    return tables.table(frame, max_rows=max_rows, note=note)


def nps_bars(results: pd.DataFrame, *, by: str | None = None, title: str = "Net Promoter Score",
             labels: dict | None = None, ax=None):
    """Detractors, passives and promoters as shares of each group, the NPS written beside.

    ``results`` is :func:`uxcx.nps` (columns ``share_detractors``, ``share_passives``,
    ``share_promoters``, ``estimate``, ``ci_low``, ``ci_high``).
    """
    names = results[by].astype(str).tolist() if by else ["all"]
    fig, ax = figure_axes(ax, (8, 1.2 + 0.5 * len(names)))
    y = np.arange(len(names))
    left = np.zeros(len(names))
    for column, name, colour in (("share_detractors", "detractors (0-6)", _DROPPED),
                                 ("share_passives", "passives (7-8)", "#BBBBBB"),
                                 ("share_promoters", "promoters (9-10)", _KEPT)):
        width = results[column].to_numpy(float) * 100
        ax.barh(y, width, left=left, color=colour, label=name)
        left += width
    for i, row in enumerate(results.itertuples()):
        ax.text(101, i, f"NPS {number(row.estimate, sign=True)} ({number(row.ci_low, sign=True)} to "
                f"{number(row.ci_high, sign=True)})", va="center", fontsize=9)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    _percent(ax.xaxis)
    ax.set_xlabel("share of respondents")
    if by:
        ax.set_ylabel(capitalised(term_label(by, labels)))
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3 - 0.1 / len(names)), ncols=3, frameon=False)
    ax.set_title(title)
    return fig


def likert_bars(distribution: pd.DataFrame, *, item: str = "item", level: str = "level",
                share: str = "share", scale: tuple[int, int] | None = None, title: str = "",
                labels: dict | None = None, ax=None):
    """Diverging stacked bars: answers below the midpoint to the left of zero, above it to the right.

    The neutral answer (odd scales) is split across zero (Robbins & Heiberger 2011).
    ``distribution`` has one row per item and answer level with its share (0-1); items
    are named by the study's ``labels``.
    """
    items = list(dict.fromkeys(distribution[item]))
    low, high = scale or (int(distribution[level].min()), int(distribution[level].max()))
    mid = (low + high) / 2
    cmap = plt.get_cmap("PuOr")
    fig, ax = figure_axes(ax, (8, 1.2 + 0.45 * len(items)))
    for i, name in enumerate(items):
        rows = distribution[distribution[item] == name].set_index(level)[share].reindex(
            range(low, high + 1), fill_value=0) * 100
        below = rows[rows.index < mid][::-1]
        neutral = rows.get(mid, 0) if float(mid).is_integer() else 0
        start = -neutral / 2
        ax.barh(i, neutral, left=start, color="#DDDDDD")
        left = start
        for value, width in below.items():
            left -= width
            ax.barh(i, width, left=left, color=cmap(0.1 + 0.8 * (value - low) / max(high - low, 1)))
        left = neutral / 2
        for value, width in rows[rows.index > mid].items():
            ax.barh(i, width, left=left, color=cmap(0.1 + 0.8 * (value - low) / max(high - low, 1)))
            left += width
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(items)), [term_label(v, labels) for v in items])
    ax.invert_yaxis()
    ax.set_xlim(-100, 100)
    _percent(ax.xaxis, absolute=True)
    ax.set_xlabel(f"share of answers: below the midpoint (left, orange) and above it (right, purple); "
                  f"scale {low}-{high}", fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def trend_chart(results: pd.DataFrame, *, period: str = "period", ylabel: str = "", title: str = "",
                percent: bool = False, xlabel: str = "", ax=None):
    """A tracking chart: the estimate per period with its interval as a band.

    ``percent`` draws a share (0-1, such as CSAT's top-2-box) on a percent axis, as the
    sentences give it; ``xlabel`` names the period ("quarter").
    """
    fig, ax = figure_axes(ax, (8, 3.2))
    scale = 100 if percent else 1
    x = np.arange(len(results))
    ax.fill_between(x, results["ci_low"] * scale, results["ci_high"] * scale, color=PALETTE[0], alpha=0.2,
                    label="confidence interval")
    ax.plot(x, results["estimate"] * scale, marker="o", color=PALETTE[0], label="estimate")
    ax.set_xticks(x, results[period].astype(str), rotation=45 if len(x) > 8 else 0, ha="right"
                  if len(x) > 8 else "center", fontsize=8)
    if percent:
        _percent(ax.yaxis)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, loc="best")
    if title:
        ax.set_title(title)
    return fig
