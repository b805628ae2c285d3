"""Kaplan-Meier retention curves with interval bands and a number-at-risk table under them."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from uxcx.report.plots import PALETTE, capitalised, figure_axes, panel_axes, term_label

__all__ = ["km_plot", "projection_plot"]

_CURVE = {"time", "n_at_risk", "n_events", "n_censored", "survival", "std_error", "ci_low", "ci_high"}


def _at_risk(part: pd.DataFrame, ticks: np.ndarray) -> np.ndarray:
    """Customers still at risk at each tick: those whose time is >= the tick."""
    pos = np.searchsorted(part["time"].to_numpy(), ticks, side="left")
    return np.append(part["n_at_risk"].to_numpy(), 0)[pos]


def km_plot(curve: pd.DataFrame, *, times=None, bands: bool = True, at_risk: bool = True, title: str = "",
            xlabel: str = "Time", ylabel: str = "Still a customer", labels: dict | None = None, ax=None):
    """Kaplan-Meier step curves by segment, with interval bands and an at-risk table below.

    Parameters
    ----------
    curve : DataFrame
        ``kaplan_meier(...).curve``: segment columns, then ``time``,
        ``n_at_risk``, ``n_events``, ``n_censored``, ``survival``, ``ci_low``, ``ci_high``.
    times : sequence of float, optional
        Times at which the at-risk table counts customers (and the x ticks).
        Default: about six regular ticks from 0 to the last time.
    bands : bool
        Shade the pointwise interval of each curve.
    at_risk : bool
        Draw the number-at-risk table under the axis (as R's survminer and
        lifelines' ``add_at_risk_counts``).
    title, xlabel, ylabel : str
        Labels (``xlabel`` with its unit: "months as a customer").
    labels : dict, optional
        Display names of the segment columns, for the legend's title.
    ax : matplotlib Axes, optional
        Draw here (split into curve and table when ``at_risk``); default a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure: the curve axis first, the at-risk table axis second.

    Notes
    -----
    Each curve starts at (0, 1) and steps down at each churn time; a band is
    drawn where the interval is defined (before the first churn the log-log
    interval is undefined and the band has no width). Colours follow the
    Okabe-Ito palette of :data:`uxcx.report.plots.PALETTE`, safe for colour-blind readers.
    The table counts customers still observed (neither churned nor censored) just
    before each tick, so a reader sees how much data each part of a curve rests on.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete
    observations. *Journal of the American Statistical Association*, 53(282), 457-481.

    Morris, T. P., Jarvis, C. I., Cragg, W., et al. (2019). Proposals on
    Kaplan-Meier plots in medical research and a survey of stakeholder views:
    KMunicate. *BMJ Open*, 9(9), e030215.

    Examples
    --------
    >>> from uxcx.retention.curves import kaplan_meier
    >>> d = pd.DataFrame({"duration": [1, 2, 3, 4, 5, 2, 4, 6, 8, 9], "event": [1, 1, 0, 1, 1, 1, 0, 1, 0, 0],
    ...                   "design": ["A"] * 5 + ["B"] * 5})
    >>> fig = km_plot(kaplan_meier(d, by="design").curve, times=[0, 3, 6, 9])
    >>> len(fig.axes)
    2
    """
    by_cols = [c for c in curve.columns if c not in _CURVE]
    if by_cols:
        parts = list(curve.groupby(by_cols, sort=False, dropna=False, observed=True))
    else:
        parts = [((), curve)]
    last = float(curve["time"].max()) if len(curve) else 1.0
    ticks = (np.asarray(times, dtype=float) if times is not None
             else MaxNLocator(nbins=6, steps=[1, 2, 3, 5, 6, 10]).tick_values(0, last))
    ticks = ticks[(ticks >= 0) & (ticks <= max(last, ticks.min() if len(ticks) else 0))]
    made = ax is None
    if at_risk:
        fig, (ax, table) = panel_axes(ax, 2, 1, (8, 5.5 + 0.25 * len(parts)), sharex=True,
                                   height_ratios=[4, 0.6 + 0.3 * len(parts)])
    else:
        fig, ax = figure_axes(ax, (8, 5))
    drawn = []
    for k, (key, part) in enumerate(parts):
        colour = PALETTE[k % len(PALETTE)]
        part = part.sort_values("time")
        t = np.r_[0.0, part["time"].to_numpy()]
        s = np.r_[1.0, part["survival"].to_numpy()]
        label = " / ".join(map(str, key if isinstance(key, tuple) else (key,))) or "all"
        drawn.append((label, colour, part))
        ax.step(t, s, where="post", color=colour, label=label, linewidth=1.8)
        if bands:
            low = np.r_[1.0, part["ci_low"].to_numpy()]
            high = np.r_[1.0, part["ci_high"].to_numpy()]
            undefined = np.isnan(low) & (s == 1)
            low, high = np.where(undefined, s, low), np.where(undefined, s, high)
            ax.fill_between(t, low, high, step="post", color=colour, alpha=0.18, linewidth=0)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_title(title)
    if by_cols:
        ax.legend(title=capitalised(", ".join(term_label(c, labels) for c in by_cols)), frameon=False,
                  loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    if at_risk:
        for row, (_label, colour, part) in enumerate(drawn):
            counts = _at_risk(part, ticks)
            y = len(drawn) - 1 - row
            for x, c in zip(ticks, counts):
                # on a white ground: no gridline may run through a count ("-2,507")
                table.text(x, y, f"{int(c):,}", ha="center", va="center", color=colour, fontsize=9,
                           bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"})
        table.set_yticks(range(len(drawn)))
        table.set_yticklabels([lab for lab, *_ in drawn][::-1])
        table.set_ylim(-0.6, len(drawn) - 0.4)
        table.set_title("Number at risk", fontsize=9, loc="left")
        for side in ("top", "right", "left", "bottom"):
            table.spines[side].set_visible(False)
        table.tick_params(axis="y", length=0, pad=14)
        table.grid(False)
        table.set_xlabel(xlabel)
        ax.tick_params(axis="x", labelbottom=False)
        bottom = table
    else:
        ax.set_xlabel(xlabel)
        bottom = ax
    bottom.set_xticks(ticks)
    span = max(last, float(ticks.max()) if len(ticks) else last)
    ax.set_xlim(-0.04 * span, span * 1.02)
    if made:
        fig.tight_layout()
    return fig


def projection_plot(projection: pd.DataFrame, observed: pd.DataFrame | None = None, *, xlabel: str = "period",
                    title: str = "Cohort retention: fitted and projected", ylabel: str = "still customers",
                    ax=None):
    """A shifted-beta-geometric projection with its band, against the observed Kaplan-Meier curve.

    ``projection`` is :func:`uxcx.sbg_project` (``period``, ``survival``,
    ``survival_low``, ``survival_high``, ``fitted``); periods beyond the fitted ones are
    drawn dashed, so what is data and what is projection reads at a glance.
    ``observed`` is an (unsegmented) ``kaplan_meier(...).curve``.
    """
    fig, ax = figure_axes(ax, (8, 4.2))
    periods = np.concatenate([[0], projection["period"].to_numpy(float)])
    surv = np.concatenate([[1.0], projection["survival"].to_numpy(float)])
    low = np.concatenate([[1.0], projection["survival_low"].to_numpy(float)])
    high = np.concatenate([[1.0], projection["survival_high"].to_numpy(float)])
    fitted = np.concatenate([[True], projection["fitted"].to_numpy(bool)])
    last = int(np.flatnonzero(fitted)[-1])
    ax.fill_between(periods, low, high, color=PALETTE[1], alpha=0.25, label="projection interval")
    ax.plot(periods[:last + 1], surv[:last + 1], "o-", color=PALETTE[1], ms=3, label="model, fitted periods")
    ax.plot(periods[last:], surv[last:], "o--", color=PALETTE[1], ms=3, label="model, projected")
    if observed is not None and len(observed):
        ax.step(np.concatenate([[0], observed["time"]]), np.concatenate([[1.0], observed["survival"]]),
                where="post", color=PALETTE[0], lw=1.5, label="observed (Kaplan-Meier)")
    ax.axvline(periods[last], color="0.5", ls=":", lw=1)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, loc="lower left")
    ax.set_title(title)
    return fig
