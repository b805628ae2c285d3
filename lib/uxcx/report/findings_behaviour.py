"""Plain-language sentences of notebook 05: the event log, task funnels, completion, CX and retention.

In the style of :mod:`uxcx.report.findings` (shares as whole percentages, the interval's
level named, counts with thousands separators). Hazard ratios are worded by
:func:`uxcx.hazard_sentences` and CX comparisons by
:func:`uxcx.report.findings_link.level_findings`; this module adds the sentences around them.
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.findings import number, pd_notna

__all__ = ["log_findings", "funnel_findings", "outcome_findings", "time_findings", "segment_findings",
           "trend_findings", "failed_cx_findings", "hazard_labels"]

_OUTCOME_WORDS = {"success": "succeeded", "timeout": "timed out", "restarted": "were restarted",
                  "session_end": "ended with the session"}


def _level(frame: pd.DataFrame) -> str:
    levels = frame["confidence_level"].dropna() if "confidence_level" in frame else pd.Series(dtype=float)
    return f"{levels.iloc[0]:.0%}" if len(levels) else "95%"


def _share(row, conf: str) -> str:
    """A share with its interval; one decimal where whole percentages would hide it (99.6% is not 100%).

    >>> _share({"estimate": 0.996, "ci_low": 0.991, "ci_high": 0.998}, "95%")
    '99.6% (95% CI 99.1% to 99.8%)'
    """
    values = [row["estimate"], row["ci_low"], row["ci_high"]]
    fine = any(0 < v < 0.01 or 0.99 < v < 1 for v in values) or round(values[1], 2) == round(values[2], 2)
    f = ".1%" if fine else ".0%"
    return f"{values[0]:{f}} ({conf} CI {values[1]:{f}} to {values[2]:{f}})"


def log_findings(log: dict) -> list[str]:
    """The event log's account: events read, kept and dropped by reason, and the engine (its notes
    are shown under the table, as the data-quality page gives them).

    >>> log_findings({"read": 1200, "kept": 1190, "dropped": {"missing id": 10}, "engine": "duckdb",
    ...               "notes": []})[0]
    'Of 1,200 events read from the event log, 1,190 were kept and 10 dropped (missing id: 10), in DuckDB.'
    """
    dropped = sum(log["dropped"].values())
    reasons = "; ".join(f"{k}: {v:,}" for k, v in sorted(log["dropped"].items(), key=lambda x: -x[1]))
    engine = {"duckdb": "DuckDB", "spark": "Apache Spark"}.get(log["engine"], log["engine"])
    sentence = (f"Of {log['read']:,} events read from the event log, {log['kept']:,} were kept and "
                f"{dropped:,} dropped" + (f" ({reasons})" if reasons else ""))
    return [sentence + (f", in {engine}." if engine else ".")]


def funnel_findings(funnel: pd.DataFrame, *, who: str = "people") -> list[str]:
    """Per task: how many started, and the shares that succeeded on the first attempt and at all."""
    out, conf = [], _level(funnel)
    for task, rows in funnel.groupby("task", sort=False):
        stages = rows.set_index("stage")
        started = int(stages.loc["started", "people"])
        first, any_ = stages.loc["succeeded on the first attempt"], stages.loc["succeeded at all"]
        out.append(f"{task}: {started:,} {who} started; {_share(first, conf)} succeeded on their first "
                   f"attempt and {_share(any_, conf)} at all.")
    return out


def outcome_findings(outcomes: pd.DataFrame) -> list[str]:
    """Per task: how the attempts that ended did end, and how many were still open at the log's end."""
    out = []
    for task, rows in outcomes.groupby("task", sort=False):
        ended = rows[rows["outcome"] != "censored"]
        parts = [f"{r['share of ended attempts']:.0%} {_OUTCOME_WORDS.get(r['outcome'], r['outcome'])}"
                 for _, r in ended.iterrows()]
        open_ = int(rows.loc[rows["outcome"] == "censored", "attempts"].sum())
        tail = (f"; {open_:,} attempt{'s' if open_ != 1 else ''} still open when the log ends are "
                "left out of the rates" if open_ else "")
        out.append(f"Of {int(ended['attempts'].sum()):,} {task} attempts that ended, " + ", ".join(parts)
                   + tail + ".")
    return out


def time_findings(times: pd.DataFrame) -> list[str]:
    """Per task: the typical time to succeed (geometric mean of successful attempts) with its interval."""
    conf = _level(times)
    return [f"{r['task']}: typical time to succeed {number(r['estimate'], 0)} s (geometric mean of "
            f"{int(r['n']):,} successful attempts, {conf} CI {number(r['ci_low'], 0)} to "
            f"{number(r['ci_high'], 0)} s)." for _, r in times.iterrows() if pd_notna(r["estimate"])]


def segment_findings(rates: pd.DataFrame, *, segment: str, label: str = "") -> list[str]:
    """Per task: the segment level with the lowest and highest completion, when their intervals part."""
    out, conf = [], _level(rates)
    known = rates[rates[segment] != "(not known)"].dropna(subset=["estimate"])
    for task, rows in known.groupby("task", sort=False):
        if len(rows) < 2:
            continue
        low, high = rows.loc[rows["estimate"].idxmin()], rows.loc[rows["estimate"].idxmax()]
        apart = low["ci_high"] < high["ci_low"]
        verdict = ("their intervals do not overlap" if apart
                   else "their intervals overlap, so the gap may be chance")
        out.append(f"{task} by {label or segment}: completion ranges from {_share(low, conf)} for "
                   f"{low[segment]} to {_share(high, conf)} for {high[segment]}; {verdict}.")
    return out


def trend_findings(rates: pd.DataFrame, *, period: str = "month", minimum: int = 30) -> list[str]:
    """Per task: completion in the first and the last period of ``minimum`` people or more, and whether
    their intervals part (a month of a handful of first attempts says little)."""
    out, conf = [], _level(rates)
    for task, rows in rates[rates["n"] >= minimum].dropna(subset=["estimate"]).groupby("task", sort=False):
        rows = rows.sort_values(period)
        if len(rows) < 2:
            continue
        first, last = rows.iloc[0], rows.iloc[-1]
        change = last["estimate"] - first["estimate"]
        moved = "rose from" if change > 0.0005 else "fell from" if change < -0.0005 else "was"
        link = "to" if moved != "was" else "and"
        apart = first["ci_high"] < last["ci_low"] or last["ci_high"] < first["ci_low"]
        verdict = "a change beyond the intervals" if apart else "within the intervals, so no clear change"
        out.append(f"{task}: completion {moved} {_share(first, conf)} in {first[period]} {link} "
                   f"{_share(last, conf)} in {last[period]}; {verdict}.")
    return out


def failed_cx_findings(result: pd.DataFrame, *, task: str, outcome: str, label: str = "",
                       level: str) -> list[str]:
    """The plain sentence of a CX outcome by failed-attempt level: the worst level against none failed.

    ``result`` is :func:`uxcx.compare_by_level` of ``outcome`` (a role: ``nps`` is worded as
    an NPS, any other as a mean) on the levels 0, 1 and 2+ of ``level``.

    >>> r = pd.DataFrame({"failed": ["0", "2+"], "kind": "level", "estimate": [4.2, 2.9], "n": [211, 107],
    ...                   "ci_low": [4.1, 2.7], "ci_high": [4.3, 3.1], "confidence_level": 0.95})
    >>> failed_cx_findings(r, task="checkout", outcome="csat", label="CSAT", level="failed")[0]
    'Customers whose checkout failed more than once gave a mean CSAT of 2.90 (95% CI 2.70 to 3.10, \
n = 107), against 4.20 (95% CI 4.10 to 4.30, n = 211) for those whose checkout never failed.'
    """
    rows = result[result["kind"] == "level"].set_index(level)
    if "0" not in rows.index or len(rows) < 2:
        return []
    worst_level = "2+" if "2+" in rows.index else rows.index[-1]
    worst, none = rows.loc[worst_level], rows.loc["0"]
    conf, nps = _level(result), outcome == "nps"
    d = 0 if nps else 2

    def value(row) -> str:
        return (f"{number(row['estimate'], d)} ({conf} CI {number(row['ci_low'], d)} to "
                f"{number(row['ci_high'], d)}, n = {int(row['n']):,})")

    who = "more than once" if worst_level == "2+" else "once"
    what = "had an NPS of" if nps else f"gave a mean {label or outcome} of"
    return [f"Customers whose {task} failed {who} {what} {value(worst)}, against {value(none)} for those "
            f"whose {task} never failed."]


def hazard_labels(task: str, level: str) -> dict[str, str]:
    """Words for the Cox terms of the failed-attempt levels, for :func:`uxcx.hazard_sentences`.

    >>> hazard_labels("checkout", "failed")["failed[2+]"]
    'Customers whose checkout failed more than once'
    """
    return {f"{level}[2+]": f"Customers whose {task} failed more than once",
            f"{level}[1]": f"Customers whose {task} failed once",
            f"{level}[0]": f"those whose {task} never failed"}
