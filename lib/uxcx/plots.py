"""Figures for the notebooks: one seaborn theme, colour-blind-safe palette.

Each function draws a new figure and returns it, so a notebook cell is one call.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

__all__ = ["theme", "PALETTE", "ledger_bars", "missingness_heatmap", "distributions", "link_bars"]

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
_KEPT, _REPAIRED, _DROPPED = "#0072B2", "#56B4E9", "#D55E00"


def theme() -> None:
    """Apply the kit's seaborn theme (call once at the top of a notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE,
                  rc={"figure.dpi": 100, "axes.titleweight": "bold", "figure.figsize": (8, 4)})


def ledger_bars(summary: pd.DataFrame):
    """Rows kept (of which repaired) and dropped per source, as stacked horizontal bars."""
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.55 * len(summary)))
    y = range(len(summary))
    clean = summary["kept"] - summary["repaired"]
    ax.barh(y, clean, color=_KEPT, label="kept as read")
    ax.barh(y, summary["repaired"], left=clean, color=_REPAIRED, label="kept, repaired")
    ax.barh(y, summary["dropped"], left=summary["kept"], color=_DROPPED, label="dropped")
    for i, row in enumerate(summary.itertuples()):
        ax.text(row.read, i, f"  {row.read:,} read, {row.dropped:,} dropped", va="center")
    ax.set_yticks(list(y), summary["source"])
    ax.invert_yaxis()
    ax.set_xlabel("rows")
    ax.set_xlim(0, summary["read"].max() * 1.35)
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("Where every row went")
    fig.tight_layout()
    return fig


def missingness_heatmap(missing: pd.DataFrame):
    """Share of missing values per column, one panel row per source."""
    table = missing.assign(label=missing["source"] + " · " + missing["column"])
    table = table.set_index("label")[["share_missing"]]
    fig, ax = plt.subplots(figsize=(4.5, 0.5 + 0.22 * len(table)))
    sns.heatmap(table * 100, ax=ax, cmap="Blues", vmin=0, vmax=100, annot=True, fmt=".0f",
                cbar_kws={"label": "% missing"}, xticklabels=["% missing"])
    ax.set_ylabel("")
    ax.set_title("Missing values")
    fig.tight_layout()
    return fig


def distributions(frame: pd.DataFrame, columns: list[str], *, title: str = ""):
    """A small histogram per column (discrete scales as bars of each value)."""
    n = len(columns)
    ncols = min(4, max(1, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.4 * nrows), squeeze=False)
    for ax, column in zip(axes.flat, columns):
        values = pd.to_numeric(frame[column], errors="coerce").dropna()
        discrete = values.nunique() <= 11 and (values % 1 == 0).all()
        sns.histplot(values, ax=ax, discrete=discrete, color=PALETTE[0],
                     log_scale=column == "time_s" and (values > 0).all())
        ax.set_title(column, fontsize=10)
        ax.set_xlabel("")
        ax.set_ylabel("")
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig


def link_bars(links: pd.DataFrame):
    """Matched and unmatched keys on the left side of each link."""
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.55 * len(links)))
    labels = links["left"] + " → " + links["right"]
    y = range(len(links))
    ax.barh(y, links["left_matched"], color=_KEPT, label="matched")
    ax.barh(y, links["left_unmatched"], left=links["left_matched"], color=_DROPPED,
            label="no partner")
    for i, row in enumerate(links.itertuples()):
        share = row.left_matched / row.left_keys if row.left_keys else 0
        ax.text(row.left_keys, i, f"  {share:.0%} matched", va="center")
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlabel("distinct keys")
    ax.set_xlim(0, max(1, links["left_keys"].max()) * 1.3)
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("How well the sources link")
    fig.tight_layout()
    return fig
