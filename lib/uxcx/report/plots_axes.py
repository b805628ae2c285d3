"""The figures' look and shared pieces: theme, colour-blind-safe palette, axes, labels.

One theme (seaborn's look) and the Okabe-Ito palette; a new figure or the caller's axes
(:func:`figure_axes`, :func:`panel_axes`); percent and log-seconds ticks; terms as
readers name them. :mod:`uxcx.report.plots` gathers the figures drawn with them.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.ticker import Formatter, FuncFormatter, LogLocator, NullLocator

from uxcx.errors import UxcxError

__all__ = ["theme", "PALETTE", "KEPT", "REPAIRED", "DROPPED", "figure_axes", "panel_axes",
           "percent_axis", "seconds_axis", "term_label", "capitalised"]

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
KEPT, REPAIRED, DROPPED = "#0072B2", "#56B4E9", "#D55E00"


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
    from uxcx.report.plots_alt import describe_figures

    describe_figures()  # every figure's PNG says what it shows (its <img alt>)


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


class _PercentTicks(Formatter):
    """Percent ticks with as many decimals as their spacing needs: 20%, 40%; 98.5%, 99.0%; 99.25%."""

    def format_ticks(self, values):
        steps = np.diff(np.asarray(values, float))
        step = float(np.min(np.abs(steps[steps != 0]))) if (steps != 0).any() else 1.0
        decimals = 0
        while decimals < 4 and abs(round(step * 10**decimals) - step * 10**decimals) > 1e-6:
            decimals += 1
        return [f"{v:.{decimals}f}%" for v in values]

    def __call__(self, x, pos=None):
        return f"{x:g}%"


def percent_axis(axis, *, absolute: bool = False) -> None:
    """Ticks of an axis drawn in percent points (0-100) read as "40%"."""
    if absolute:  # diverging bars: both sides are shares
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}%"))
    else:
        axis.set_major_formatter(_PercentTicks())


def seconds_axis(axis, span: float = 100.0) -> None:
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

