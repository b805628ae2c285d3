"""The tables of notebook 05 (behaviour from an event log), built from the per-person and per-attempt frames.

The study loader turns an event log into two frames inside an engine (:mod:`uxcx.io.events`):
``behaviour``, one row per person × task, and ``attempts``, one row per attempt. This
module counts what the page shows from them; every interval comes from the kit's own
functions (:func:`uxcx.completion_rate`, adjusted Wald), never re-derived here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["LEVEL", "LEVELS", "OUTCOMES", "log_account", "log_table", "task_table", "funnel_table",
           "outcome_table", "failed_levels", "month_of", "id_column", "shown_shares"]

LEVEL = "failed attempts"  # the column of each person's failed-attempt level, as readers see it
LEVELS = ("0", "1", "2+")
# attempt outcomes in the order a reader follows an attempt; censored ones are neither
OUTCOMES = ("success", "timeout", "restarted", "session_end")
_STAGES = (("started", None), ("succeeded on the first attempt", "first_attempt_success"),
           ("succeeded at all", "success"))


def id_column(frame: pd.DataFrame, role: str) -> str:
    """The person's column of ``frame``: the mapped id role, else ``person`` (the engine's name)."""
    return role if role in frame.columns else "person"


def log_account(account, engine: str = "") -> dict:
    """What the ledger says of the event log: read, kept, dropped by reason, notes and the engine.

    ``account`` is ``study.ledger.sources["events"]``: any object with ``read``, ``kept`` and
    ``reasons`` (``{reason: events}``), or the dict its ``as_dict()`` gives.
    """
    doc = account.as_dict() if hasattr(account, "as_dict") else (
        account if isinstance(account, dict) else vars(account))
    reasons = {str(k): int(v) for k, v in (doc.get("reasons") or {}).items()}
    read, kept = int(doc.get("read", 0)), int(doc.get("kept", 0))
    return {"read": read, "kept": kept, "dropped": reasons, "notes": list(doc.get("notes") or []),
            "engine": str(doc.get("engine") or getattr(account, "engine", "") or engine),
            "seconds": doc.get("seconds", getattr(account, "seconds", None))}


def log_table(log: dict) -> pd.DataFrame:
    """One row per fate of the events read: kept, then each reason for dropping, with its share."""
    rows = [("read", log["read"]), ("kept", log["kept"]),
            *[(f"dropped: {reason}", n) for reason, n in sorted(log["dropped"].items(), key=lambda x: -x[1])]]
    out = pd.DataFrame(rows, columns=["events", "count"])
    out["share of read"] = out["count"] / max(log["read"], 1)
    return out


def task_table(attempts: pd.DataFrame, role: str) -> pd.DataFrame:
    """Per task: attempts, people, censored attempts (still open when the log ends), attempts per person."""
    pid = id_column(attempts, role)
    grouped = attempts.groupby("task", sort=True, observed=True)
    censored = (attempts["outcome"] == "censored").groupby(attempts["task"], observed=True).sum()
    out = pd.DataFrame({"attempts": grouped.size(), "censored attempts": censored.astype(int),
                        "people": grouped[pid].nunique()})
    out["attempts per person"] = out["attempts"] / out["people"]
    return out.rename_axis("task").reset_index()


def funnel_table(people: pd.DataFrame, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Per task: people who started, who succeeded on their first attempt, who succeeded at all.

    Each share is of the people who started and whose attempts ended (a person whose only
    attempt is still open when the log ends is neither a success nor a failure), with its
    adjusted-Wald interval (:func:`uxcx.completion_rate`, Sauro & Lewis 2005).
    """
    from uxcx.ux.completion import completion_rate

    started = people.groupby("task", sort=True, observed=True).size()
    parts = [pd.DataFrame({"task": started.index, "stage": "started", "people": started.to_numpy(),
                           "n": started.to_numpy()})]
    for stage, column in _STAGES[1:]:
        rate = completion_rate(people, success=column, by="task", confidence_level=confidence_level)
        count = people[column].eq(1).groupby(people["task"], observed=True).sum()
        parts.append(rate.assign(stage=stage, people=rate["task"].map(count).to_numpy()))
    out = pd.concat(parts, ignore_index=True)
    out["_order"] = out["stage"].map({stage: i for i, (stage, _) in enumerate(_STAGES)})
    out = out.sort_values(["task", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    first = ["task", "stage", "people"]
    return out[first + [c for c in out.columns if c not in first]]


def outcome_table(attempts: pd.DataFrame) -> pd.DataFrame:
    """Per task and outcome: attempts and their share of the attempts that ended (censored apart).

    A censored attempt (its time-out reaches past the end of the log) has no outcome yet,
    so its share is left empty and the others add up to 100%.
    """
    counts = attempts.groupby(["task", "outcome"], sort=True, observed=True).size().rename("attempts")
    out = counts.reset_index()
    ended = out[out["outcome"] != "censored"].groupby("task")["attempts"].sum()
    out["share of ended attempts"] = (out["attempts"] / out["task"].map(ended)).where(
        out["outcome"] != "censored")
    rank = {o: i for i, o in enumerate([*OUTCOMES, "censored"])}
    out["_order"] = out["outcome"].map(rank).fillna(len(rank))
    return out.sort_values(["task", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


def shown_shares(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """``frame`` with the share ``columns`` written as percentages for readers (the CSV keeps numbers).

    >>> shown_shares(pd.DataFrame({"share": [0.95432, 0.000004, 0.99999, None]}), ["share"])["share"].tolist()
    ['95.4%', '< 0.1%', '> 99.9%', '']
    """
    def words(x) -> str:
        if pd.isna(x):
            return ""
        return "< 0.1%" if 0 < x < 0.001 else "> 99.9%" if 0.999 < x < 1 else f"{x:.1%}"

    return frame.assign(**{c: frame[c].map(words) for c in columns})


def failed_levels(failed: pd.Series) -> pd.Series:
    """0, 1 and 2+ failed attempts as text levels (a missing count stays missing).

    >>> failed_levels(pd.Series([0, 1, 2, 5, None])).tolist()
    ['0', '1', '2+', '2+', nan]
    """
    values = pd.to_numeric(failed, errors="coerce")
    text = np.where(values >= 2, "2+", np.where(values >= 1, "1", "0"))
    return pd.Series(text, index=failed.index, dtype=object).where(values.notna())


def month_of(stamps: pd.Series) -> pd.Series:
    """The calendar month (``2025-03``) of each UTC timestamp, for completion over time."""
    stamps = pd.to_datetime(stamps, utc=True)
    return stamps.dt.strftime("%Y-%m").where(stamps.notna())
