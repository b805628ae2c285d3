"""Data-quality figures: where rows went, what is missing, how columns spread, links.

Drawn with the theme and axes of :mod:`uxcx.report.plots_axes`; re-exported by
:mod:`uxcx.report.plots`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from uxcx.report.plots_axes import (
    DROPPED,
    KEPT,
    PALETTE,
    REPAIRED,
    capitalised,
    figure_axes,
    panel_axes,
    percent_axis,
    seconds_axis,
    term_label,
)
from uxcx.study.quality import key_columns
from uxcx.study.schema import role

__all__ = ["ledger_bars", "missingness_bars", "distributions", "link_bars"]

# What one row of each kind of source is, for axis labels ("errors per attempt").
_ROW_WORDS = (({"attempt", "outcome"}, "attempt"), ({"attempts", "task"}, "person and task"),
              ({"participant", "task"}, "attempt"), ({"respondent"}, "respondent"),
              ({"customer", "start"}, "customer"), ({"participant"}, "participant"))


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
    ax.barh(y, clean, color=KEPT, label="kept as read")
    ax.barh(y, repaired, left=clean, color=REPAIRED, label="kept, repaired")
    ax.barh(y, dropped, left=clean + repaired, color=DROPPED, label="dropped")
    labels = [f"{r.source}\n{r.read:,} read · {r.dropped:,} dropped" for r in summary.itertuples()]
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    percent_axis(ax.xaxis)
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
        sns.barplot(x=share, y=np.arange(len(gaps)), orient="h", color=DROPPED, saturation=1, width=0.8,
                    errorbar=None, ax=ax)
        for i, (value, n) in enumerate(zip(share, gaps["missing"])):
            ax.text(min(value, 80) + 1, i, f"{value:.0f}% ({n:,})", va="center", fontsize=8)
        ax.set_yticks(np.arange(len(gaps)), names, fontsize=9)
        ax.set_ylim(len(gaps) - 0.5, -0.5)
    else:
        ax.set_yticks([])
    ax.set_xlim(0, 100)
    percent_axis(ax.xaxis)
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
            seconds_axis(panel.xaxis, values.max() / values.min())
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
    percent_axis(ax.xaxis)
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
    ax.barh(y, links["left_matched"], color=KEPT, label="matched")
    ax.barh(y, links["left_unmatched"], left=links["left_matched"], color=DROPPED, label="no partner")
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

