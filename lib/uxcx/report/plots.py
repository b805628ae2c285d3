"""Figures for the notebooks: one theme (seaborn's look), colour-blind-safe palette.

Each function draws a new figure and returns it, so a notebook cell is one call.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.ticker import LogLocator, NullLocator, ScalarFormatter

from uxcx.study.quality import key_columns
from uxcx.study.schema import role

__all__ = ["theme", "PALETTE", "ledger_bars", "missingness_bars", "distributions", "link_bars"]

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
_KEPT, _REPAIRED, _DROPPED = "#0072B2", "#56B4E9", "#D55E00"


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


def ledger_bars(summary: pd.DataFrame):
    """Where each source's rows went, as shares of the rows read (so small files show too)."""
    read = summary["read"].where(summary["read"] > 0, 1)
    clean = (summary["kept"] - summary["repaired"]) / read * 100
    repaired = summary["repaired"] / read * 100
    dropped = summary["dropped"] / read * 100
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.5 * len(summary)))
    y = np.arange(len(summary))
    ax.barh(y, clean, color=_KEPT, label="kept as read")
    ax.barh(y, repaired, left=clean, color=_REPAIRED, label="kept, repaired")
    ax.barh(y, dropped, left=clean + repaired, color=_DROPPED, label="dropped")
    labels = [f"{r.source}\n{r.read:,} read · {r.dropped:,} dropped" for r in summary.itertuples()]
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of rows read")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 - 0.1 / len(summary)), ncols=3,
              frameon=False)
    ax.set_title("Where every row went")
    return fig


def missingness_bars(missing: pd.DataFrame):
    """Share of missing values in each column that has any (the rest are complete)."""
    gaps = missing[missing["missing"] > 0]
    complete = len(missing) - len(gaps)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.3 * max(len(gaps), 1)))
    if len(gaps):
        share = gaps["share_missing"].to_numpy() * 100
        y = np.arange(len(gaps))
        ax.barh(y, share, color=_DROPPED)
        ax.barh(y, 100 - share, left=share, color="#DDDDDD")
        for i, (value, n) in enumerate(zip(share, gaps["missing"])):
            ax.text(min(value, 80) + 1, i, f"{value:.0f}% ({n:,})", va="center", fontsize=8)
        ax.set_yticks(y, gaps["source"] + " · " + gaps["column"], fontsize=9)
        ax.invert_yaxis()
    else:
        ax.set_yticks([])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of kept rows missing")
    ax.grid(False)
    ax.set_title(f"Missing values ({complete} other column{'s' if complete != 1 else ''} complete)")
    return fig


def distributions(frame: pd.DataFrame, *, title: str = "", limit: int = 3):
    """How the measured columns of a frame are spread, in one figure.

    Rating scales and yes/no columns share one panel: a bar per column split into
    the share of each answer, lowest scale point on the left (orange) to highest
    (purple), so a scale used only at one end or a reversed item stands out.
    Up to ``limit`` other measures (times, counts, money) get a histogram each;
    times are binned on a log scale, as they are skewed (Sauro & Lewis 2016, ch. 3).
    """
    columns = key_columns(frame)
    scales = [c for c in columns if role(c).kind in ("score", "binary")]
    others = [c for c in columns if c not in scales][:limit]
    panels = (1 if scales else 0) + len(others)
    widths = ([3] if scales else []) + [1.4] * len(others)
    height = max(2.4, 0.5 + 0.28 * len(scales))
    fig, axes = plt.subplots(1, max(panels, 1), figsize=(min(1.7 * sum(widths) + 1.5, 13), height),
                             width_ratios=widths or None, squeeze=False,
                             gridspec_kw={"wspace": 0.35})
    axes = list(axes.flat)
    if scales:
        _scale_bars(axes.pop(0), frame, scales)
    for ax, column in zip(axes, others):
        values = pd.to_numeric(frame[column], errors="coerce").dropna().to_numpy(float)
        if column == "time_s" and len(values) and values.min() > 0:
            ax.hist(values, bins=np.geomspace(values.min(), values.max(), 25), color=PALETTE[0])
            ax.set_xscale("log")
            ax.xaxis.set_minor_locator(NullLocator())  # minor log ticks cost more than the plot
        elif len(values) and np.all(values % 1 == 0) and np.ptp(values) <= 30:
            levels, counts = np.unique(values, return_counts=True)
            ax.bar(levels, counts, width=0.8, color=PALETTE[0])
        else:
            ax.hist(values, bins=25, color=PALETTE[0])
        ax.set_title(column, fontsize=10)
        ax.tick_params(labelsize=8)
    if title:
        fig.suptitle(title, fontweight="bold", x=0.02, ha="left")
    return fig


def _scale_bars(ax, frame: pd.DataFrame, columns: list[str]) -> None:
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
    ax.set_yticks(range(len(columns)), columns, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of answers, lowest scale point (orange) to highest (purple)", fontsize=8)
    ax.grid(False)
    ax.set_title("rating scales and yes/no", fontsize=10)


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
    return fig


def dot_whisker(results: pd.DataFrame, *, y: str, hue: str | None = None, xlabel: str = "",
                log: bool = False, percent: bool = False, title: str = "", reference: float | None = None):
    """Estimates with their intervals: one row per ``y`` level, one colour per ``hue`` level.

    ``results`` is a result frame (``estimate``, ``ci_low``, ``ci_high``). Rows of
    different ``hue`` are dodged so their whiskers do not overlap. ``reference`` draws
    the line of no effect (0 for a difference, 1 for a ratio), so a forest plot reads at a glance.
    """
    levels = list(dict.fromkeys(results[y]))
    groups = list(dict.fromkeys(results[hue])) if hue else [None]
    fig, ax = plt.subplots(figsize=(8, 1 + 0.5 * len(levels)))
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
    ax.set_yticks(range(len(levels)), levels)
    ax.invert_yaxis()
    if reference is not None:
        ax.axvline(reference * scale, color="0.4", linestyle="--", linewidth=1, zorder=0)
    if log:
        ax.set_xscale("log")
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
        ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.set_xlabel(xlabel)
    if hue:
        ax.legend(title=hue, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    if title:
        ax.set_title(title)
    return fig


def sus_bands(scores: pd.DataFrame, *, score: str = "sus", by: str | None = None, title: str = ""):
    """SUS scores as dots over the curved grade bands (Sauro & Lewis 2016, Table 8.5).

    One row of dots per ``by`` level, the group mean as a bar; bands shaded from F to A+
    so a reader sees where a design lands on the scale the field uses.
    """
    from uxcx.ux.norms import SAURO_LEWIS_GRADES

    groups = sorted(scores[by].dropna().unique()) if by else [None]
    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.6 * len(groups)))
    lows = [low for low, _ in SAURO_LEWIS_GRADES] + [100.0]
    cmap = plt.get_cmap("Greys")
    for i, (low, grade) in enumerate(SAURO_LEWIS_GRADES):
        ax.axvspan(low, lows[i + 1], color=cmap(0.08 + 0.035 * (i % 2)), zorder=0)
        ax.text((low + lows[i + 1]) / 2, -0.5, grade, ha="center", va="center", fontsize=7,
                color="#555555")
    rng = np.random.default_rng(0)  # jitter only; fixed so the figure is the same every run
    for k, group in enumerate(groups):
        values = (scores if group is None else scores[scores[by] == group])[score].dropna()
        ax.scatter(values, k + rng.uniform(-0.15, 0.15, len(values)), s=14, alpha=0.6,
                   color=PALETTE[k % len(PALETTE)], zorder=2)
        ax.plot([values.mean()] * 2, [k - 0.3, k + 0.3], color="black", lw=2, zorder=3)
    ax.set_yticks(range(len(groups)), ["all" if g is None else str(g) for g in groups])
    ax.set_ylim(len(groups) - 0.4, -0.75)
    ax.set_xlim(0, 100)
    ax.set_xlabel("SUS score (bar: mean; bands: Sauro-Lewis curved grades)")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return fig


def table(frame: pd.DataFrame, *, max_rows: int = 25):
    """A result frame as a reader sees it: labelled, rounded, captioned, fitting the page.

    One "95% CI" column, proportions as percentages, p-values as "< .001", the
    adjusted one named by its method; what is empty or the same in every row is
    left out or said once beneath; a table longer than ``max_rows`` shows its
    first rows and a note. See :func:`uxcx.report.tables.table`; the CSV
    downloads keep every column.
    """
    from uxcx.report import tables

    return tables.table(frame, max_rows=max_rows)


def nps_bars(results: pd.DataFrame, *, by: str | None = None, title: str = "Net Promoter Score"):
    """Detractors, passives and promoters as shares of each group, the NPS written beside.

    ``results`` is :func:`uxcx.nps` (columns ``share_detractors``, ``share_passives``,
    ``share_promoters``, ``estimate``, ``ci_low``, ``ci_high``).
    """
    labels = results[by].astype(str).tolist() if by else ["all"]
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.5 * len(labels)))
    y = np.arange(len(labels))
    left = np.zeros(len(labels))
    for column, name, colour in (("share_detractors", "detractors (0-6)", _DROPPED),
                                 ("share_passives", "passives (7-8)", "#BBBBBB"),
                                 ("share_promoters", "promoters (9-10)", _KEPT)):
        width = results[column].to_numpy(float) * 100
        ax.barh(y, width, left=left, color=colour, label=name)
        left += width
    for i, row in enumerate(results.itertuples()):
        ax.text(101, i, f"NPS {row.estimate:+.0f} ({row.ci_low:+.0f} to {row.ci_high:+.0f})",
                va="center", fontsize=9)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of respondents")
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3 - 0.1 / len(labels)), ncols=3, frameon=False)
    ax.set_title(title)
    return fig


def likert_bars(distribution: pd.DataFrame, *, item: str = "item", level: str = "level",
                share: str = "share", scale: tuple[int, int] | None = None, title: str = ""):
    """Diverging stacked bars: answers below the midpoint to the left of zero, above it to the right.

    The neutral answer (odd scales) is split across zero (Robbins & Heiberger 2011).
    ``distribution`` has one row per item and answer level with its share (0-1).
    """
    items = list(dict.fromkeys(distribution[item]))
    low, high = scale or (int(distribution[level].min()), int(distribution[level].max()))
    mid = (low + high) / 2
    cmap = plt.get_cmap("PuOr")
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.45 * len(items)))
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
    ax.set_yticks(range(len(items)), items)
    ax.invert_yaxis()
    ax.set_xlim(-100, 100)
    ax.xaxis.set_major_formatter(lambda x, _: f"{abs(x):.0f}")
    ax.set_xlabel(f"% of answers: below the midpoint (left, orange) and above it (right, purple); "
                  f"scale {low}-{high}", fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def trend_chart(results: pd.DataFrame, *, period: str = "period", ylabel: str = "", title: str = ""):
    """A tracking chart: the estimate per period with its interval as a band."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    x = np.arange(len(results))
    ax.fill_between(x, results["ci_low"], results["ci_high"], color=PALETTE[0], alpha=0.2,
                    label="confidence interval")
    ax.plot(x, results["estimate"], marker="o", color=PALETTE[0], label="estimate")
    ax.set_xticks(x, results[period].astype(str), rotation=45 if len(x) > 8 else 0, ha="right"
                  if len(x) > 8 else "center", fontsize=8)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, loc="best")
    if title:
        ax.set_title(title)
    return fig
