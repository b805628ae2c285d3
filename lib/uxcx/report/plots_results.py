"""Result figures: estimates with intervals, SUS grades, NPS, Likert items, trends.

Drawn with the theme and axes of :mod:`uxcx.report.plots_axes`; re-exported by
:mod:`uxcx.report.plots`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from uxcx.report.findings import number
from uxcx.report.plots_axes import (
    DROPPED,
    KEPT,
    PALETTE,
    capitalised,
    figure_axes,
    percent_axis,
    seconds_axis,
    term_label,
)

__all__ = ["dot_whisker", "sus_bands", "nps_bars", "likert_bars", "trend_chart"]


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
        seconds_axis(ax.xaxis, high / low if low > 0 else 100.0)
    if percent:
        percent_axis(ax.xaxis)
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
    for column, name, colour in (("share_detractors", "detractors (0-6)", DROPPED),
                                 ("share_passives", "passives (7-8)", "#BBBBBB"),
                                 ("share_promoters", "promoters (9-10)", KEPT)):
        width = results[column].to_numpy(float) * 100
        ax.barh(y, width, left=left, color=colour, label=name)
        left += width
    for i, row in enumerate(results.itertuples()):
        ax.text(101, i, f"NPS {number(row.estimate, sign=True)} ({number(row.ci_low, sign=True)} to "
                f"{number(row.ci_high, sign=True)})", va="center", fontsize=9)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    percent_axis(ax.xaxis)
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
    percent_axis(ax.xaxis, absolute=True)
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
        percent_axis(ax.yaxis)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, loc="best")
    if title:
        ax.set_title(title)
    return fig
