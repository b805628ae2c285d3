"""Figures for linking UX to CX: scatter with fit, correlation heatmap, driver quadrant, mediation paths.

Same theme and palette as :mod:`uxcx.report.plots`; each function draws a figure and returns it,
into the caller's ``ax=`` when given. The heatmap is seaborn's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import PercentFormatter

from uxcx.report.findings import adjustment_words, number
from uxcx.report.plots import PALETTE, figure_axes, term_label

__all__ = ["scatter_fit", "correlation_heatmap", "driver_quadrant", "mediation_diagram", "stars"]


def stars(p) -> np.ndarray:
    """Significance marks: * below .05, ** below .01, *** below .001, empty otherwise."""
    p = np.asarray(p, dtype=float)
    return np.select([p < 0.001, p < 0.01, p < 0.05], ["***", "**", "*"], "")


def scatter_fit(data: pd.DataFrame, *, x: str, y: str, confidence_level: float = 0.95,
                xlabel: str = "", ylabel: str = "", title: str = "", seed: int = 0, ax=None):
    """Each person as a dot, the least-squares line and its confidence band.

    Rating scales put many people on the same point, so dots are jittered by up to
    a quarter of a step where a column holds whole numbers (the fit uses the values as
    recorded), and drawn translucent where there are many. The band is the interval
    for the mean of ``y`` at each ``x`` (:func:`uxcx.link.line_fit.line_fit`).
    """
    from uxcx.link.line_fit import line_fit

    both = data[[x, y]].dropna().astype(float)
    band, slope, n = line_fit(both, x=x, y=y, confidence_level=confidence_level)
    rng = np.random.default_rng(seed)

    def jitter(v: pd.Series) -> np.ndarray:
        whole = np.allclose(v % 1, 0)
        return v.to_numpy() + (rng.uniform(-0.25, 0.25, len(v)) if whole else 0)

    fig, ax = figure_axes(ax, (7, 4.5))
    alpha = float(np.clip(60 / max(len(both), 1), 0.08, 0.8))
    ax.scatter(jitter(both[x]), jitter(both[y]), s=12, alpha=alpha, color=PALETTE[0], linewidths=0)
    ax.fill_between(band["x"], band["ci_low"], band["ci_high"], color=PALETTE[1], alpha=0.3,
                    label=f"{confidence_level:.0%} confidence band")
    ax.plot(band["x"], band["fit"], color=PALETTE[1], lw=2,
            label=f"fit: {number(slope, 2, sign=True)} per point (n = {n:,})")
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel or y)
    ax.legend(frameon=False, loc="best")
    if title:
        ax.set_title(title)
    return fig


def correlation_heatmap(result: pd.DataFrame, *, x: str = "x", y: str = "y", p: str = "p_adjusted",
                        labels: dict | None = None, title: str = "UX measures against CX outcomes",
                        xlabel: str = "UX measure", ylabel: str = "CX outcome", ax=None):
    """Correlations of every UX x CX pair as a diverging heatmap, marked by adjusted significance.

    ``result`` has one row per pair (``x``, ``y``, ``estimate``, ``p``); the colour runs
    from -1 to 1 so that its strength reads the same in every report. Drawn by seaborn's
    ``heatmap``; rows and columns carry the study's ``labels``.
    """
    import seaborn as sns

    grid = result.pivot(index=y, columns=x, values="estimate")
    marks = result.assign(_m=stars(result[p])).pivot(index=y, columns=x, values="_m")
    grid = grid.loc[list(dict.fromkeys(result[y])), list(dict.fromkeys(result[x]))]
    marks = marks.loc[grid.index, grid.columns]
    made = ax is None
    fig, ax = figure_axes(ax, (2.2 + 1.1 * grid.shape[1], 1.6 + 0.6 * grid.shape[0]))
    values = grid.to_numpy(float)
    # two decimals, and a correlation that rounds to zero shows no sign ("-0.00")
    text = np.array([[f"{round(r, 2) + 0.0:.2f}{marks.iat[i, j]}" if np.isfinite(r) else ""
                      for j, r in enumerate(row)] for i, row in enumerate(values)])
    sns.heatmap(grid.astype(float), annot=text, fmt="", cmap="RdBu_r", vmin=-1, vmax=1, center=0,
                annot_kws={"fontsize": 9}, linewidths=0.5, linecolor="white",
                cbar_kws={"shrink": 0.8, "label": "correlation (−1 to 1)"}, ax=ax)
    ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [term_label(c, labels) for c in grid.columns], rotation=30,
                  ha="right")
    ax.set_yticks(np.arange(grid.shape[0]) + 0.5, [term_label(c, labels) for c in grid.index], rotation=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    method = str(result["p_adjust_method"].dropna().iloc[0]) if "p_adjust_method" in result and \
        result["p_adjust_method"].notna().any() else "none"
    adjusted = (f"p-values {adjustment_words(method)}-adjusted for {len(result)} pairs (analysis.p_adjust: "
                f"{method})" if method != "none" else "p-values not adjusted")
    ax.set_title(title)
    note = f"* p < .05, ** p < .01, *** p < .001; {adjusted}"
    if made:
        fig.text(0.01, 0.01, note, fontsize=8)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    else:
        ax.set_xlabel(f"{xlabel}\n{note}")
    return fig


def driver_quadrant(quadrants: pd.DataFrame, *, driver: str = "driver", importance: str = "share",
                    performance: str = "performance", title: str = "Importance and performance",
                    labels: dict | None = None, ax=None):
    """Importance x performance: where to act first (important but weak) and what to keep.

    One dot per driver; the dashed lines are the mean importance and mean performance,
    which split the chart into the four quadrants named in the corners. Drivers are named
    by the study's ``labels``.
    """
    fig, ax = figure_axes(ax, (7, 5))
    imp = quadrants[importance].to_numpy(float) * (100 if quadrants[importance].max() <= 1 else 1)
    perf = quadrants[performance].to_numpy(float)
    ax.scatter(imp, perf, s=60, color=PALETTE[0], zorder=3)
    for name, i, q in zip(quadrants[driver], imp, perf):
        ax.annotate(term_label(name, labels), (i, q), textcoords="offset points", xytext=(6, 4), fontsize=9)
    ax.axvline(imp.mean(), color="0.5", ls="--", lw=1)
    ax.axhline(perf.mean(), color="0.5", ls="--", lw=1)
    pad_x, pad_y = 0.15 * (np.ptp(imp) or 1), 0.15 * (np.ptp(perf) or 1)
    ax.set_xlim(imp.min() - pad_x, imp.max() + pad_x)
    ax.set_ylim(perf.min() - pad_y, perf.max() + pad_y)
    corners = [(0.98, 0.02, "Priority to fix", "right", "bottom"),
               (0.98, 0.98, "Key strength", "right", "top"),
               (0.02, 0.98, "Secondary strength", "left", "top"),
               (0.02, 0.02, "Lower priority", "left", "bottom")]
    for cx, cy, text, ha, va in corners:
        ax.text(cx, cy, text, transform=ax.transAxes, ha=ha, va=va, fontsize=9, color="0.35", style="italic")
    ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_xlabel("importance: share of the explained variance")
    ax.set_ylabel("performance: mean answer, 0 (scale low) to 100 (high)")
    ax.set_title(title)
    return fig


def mediation_diagram(result: pd.DataFrame, *, x: str, m: str, y: str, digits: int = 2, ax=None):
    """The mediation triangle: X -> M (a), M -> Y (b), X -> Y direct (c'), with intervals.

    ``result`` is a :func:`uxcx.mediation` frame (rows ``a``, ``b``, ``direct``,
    ``total``, ``indirect``). The indirect effect a x b and the total effect are written
    under the diagram.
    """
    rows = result.set_index("term")

    def label(term: str, name: str) -> str:
        r = rows.loc[term]
        low, high = number(r.ci_low, digits), number(r.ci_high, digits)
        return f"{name} = {number(r.estimate, digits)}\n[{low}, {high}]"

    fig, ax = figure_axes(ax, (8, 4.2))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6)
    ax.axis("off")
    boxes = {"x": (1.6, 1.2, x), "m": (5.0, 4.6, m), "y": (8.4, 1.2, y)}
    for cx, cy, text in boxes.values():
        ax.add_patch(FancyBboxPatch((cx - 1.3, cy - 0.45), 2.6, 0.9, boxstyle="round,pad=0.05",
                                    fc="#E8F1F8", ec=PALETTE[0], lw=1.5))
        ax.text(cx, cy, text, ha="center", va="center", fontsize=10, wrap=True)

    paths = [((2.2, 1.65), (4.2, 4.15), label("a", "a"), (2.4, 3.4)),
             ((5.8, 4.15), (7.8, 1.65), label("b", "b"), (7.6, 3.4)),
             ((2.9, 1.2), (7.1, 1.2), label("direct", "c'"), (5.0, 0.75))]
    for start, end, text, at in paths:
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": "0.25", "lw": 1.5})
        ax.text(*at, text, ha="center", va="center", fontsize=9)
    level = rows["confidence_level"].dropna()
    level_text = f"{level.iloc[0]:.0%} " if len(level) else ""
    ax.text(5, -0.1, f"indirect a×b = {number(rows.loc['indirect', 'estimate'], digits)} "
            f"({level_text}CI {number(rows.loc['indirect', 'ci_low'], digits)} to "
            f"{number(rows.loc['indirect', 'ci_high'], digits)});  total c = "
            f"{number(rows.loc['total', 'estimate'], digits)}", ha="center", fontsize=9.5)
    return fig
