"""Figures of notebook 05 (behaviour from an event log): the log's account, funnels, outcomes, trends.

Drawn with the kit's theme (:mod:`uxcx.report.plots_axes`); each takes ``ax=`` and returns
its figure, as every figure of :mod:`uxcx.report.plots` does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.report.plots_axes import DROPPED, KEPT, PALETTE, figure_axes, percent_axis

__all__ = ["log_bars", "funnel_bars", "outcome_bars", "rate_over_time"]

_OUTCOME_WORDS = {"success": "succeeded", "timeout": "timed out", "restarted": "restarted",
                  "session_end": "session ended"}


def log_bars(log: pd.DataFrame, *, ax=None):
    """The events read: kept, and dropped by reason, as shares of those read (a log-free count axis)."""
    rows = log[log["events"] != "read"]
    fig, ax = figure_axes(ax, (8, 1.2 + 0.45 * len(rows)))
    y = np.arange(len(rows))
    colours = [KEPT if what == "kept" else DROPPED for what in rows["events"]]
    ax.barh(y, rows["share of read"] * 100, color=colours)
    for i, (share, count) in enumerate(zip(rows["share of read"], rows["count"])):
        ax.text(min(share * 100, 100) + 1, i, f"{count:,}", va="center", fontsize=8)
    ax.set_yticks(y, list(rows["events"]), fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    percent_axis(ax.xaxis)
    ax.set_xlabel("share of the events read")
    ax.set_title("Where every event of the log went")
    return fig


def funnel_bars(funnel: pd.DataFrame, *, ax=None):
    """Per task: people who started, succeeded on the first attempt, succeeded at all (share of starters)."""
    tasks = list(dict.fromkeys(funnel["task"]))
    stages = list(dict.fromkeys(funnel["stage"]))
    fig, ax = figure_axes(ax, (8, 1.2 + 0.9 * len(tasks)))
    height = 0.8 / len(stages)
    for k, stage in enumerate(stages):
        rows = funnel[funnel["stage"] == stage].set_index("task").reindex(tasks)
        pos = np.arange(len(tasks)) + (k - (len(stages) - 1) / 2) * height
        share = rows["estimate"].fillna(1.0).to_numpy(float) * 100  # "started" is all of them
        ax.barh(pos, share, height=height * 0.9, color=PALETTE[k % len(PALETTE)], label=stage)
        if "ci_low" in rows and k:
            err = np.vstack([share - rows["ci_low"] * 100, rows["ci_high"] * 100 - share])
            ax.errorbar(share, pos, xerr=err, fmt="none", color="0.2", capsize=2, linewidth=1)
        for p, s, n in zip(pos, share, rows["people"]):
            ax.text(101, p, f"{s:.0f}% · {int(n):,}", va="center", fontsize=8)
    ax.set_yticks(range(len(tasks)), tasks)
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    percent_axis(ax.xaxis)
    ax.set_xlabel("share of the people who started the task (bars: adjusted-Wald interval)")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_title("From starting a task to succeeding")
    return fig


def outcome_bars(outcomes: pd.DataFrame, *, ax=None):
    """How each task's attempts ended, as shares of the attempts that ended; censored ones counted apart."""
    tasks = list(dict.fromkeys(outcomes["task"]))
    ended = outcomes[outcomes["outcome"] != "censored"]
    fig, ax = figure_axes(ax, (8, 1.4 + 0.5 * len(tasks)))
    left = np.zeros(len(tasks))
    for k, outcome in enumerate(dict.fromkeys(ended["outcome"])):
        share = (ended[ended["outcome"] == outcome].set_index("task")["share of ended attempts"]
                 .reindex(tasks).fillna(0).to_numpy() * 100)
        ax.barh(range(len(tasks)), share, left=left, color=PALETTE[k % len(PALETTE)],
                label=_OUTCOME_WORDS.get(outcome, str(outcome)))
        left += share
    censored = outcomes[outcomes["outcome"] == "censored"].set_index("task")["attempts"]
    names = [f"{t}\n{int(censored.get(t, 0)):,} still open at the log's end" if censored.get(t, 0) else t
             for t in tasks]
    ax.set_yticks(range(len(tasks)), names, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    percent_axis(ax.xaxis)
    ax.set_xlabel("share of the attempts that ended")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_title("How attempts ended")
    return fig


def rate_over_time(rates: pd.DataFrame, *, period: str = "month", hue: str = "task", title: str = "",
                   ylabel: str = "completion rate", ax=None):
    """The rate per period as a line, one per ``hue`` level, with its interval as a band."""
    periods = sorted(pd.unique(rates[period].astype(str)))
    fig, ax = figure_axes(ax, (8, 3.4))
    x = {p: i for i, p in enumerate(periods)}
    for k, (name, rows) in enumerate(rates.groupby(hue, sort=False, observed=True)):
        rows = rows.sort_values(period)
        pos = rows[period].astype(str).map(x).to_numpy()
        colour = PALETTE[k % len(PALETTE)]
        ax.fill_between(pos, rows["ci_low"] * 100, rows["ci_high"] * 100, color=colour, alpha=0.2)
        ax.plot(pos, rows["estimate"] * 100, marker="o", color=colour, label=str(name))
    ax.set_xticks(range(len(periods)), periods, rotation=45 if len(periods) > 8 else 0,
                  ha="right" if len(periods) > 8 else "center", fontsize=8)
    percent_axis(ax.yaxis)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(f"{period} of the person's first attempt (band: adjusted-Wald interval)")
    ax.legend(title=hue, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_title(title or "Completion over time")
    return fig
