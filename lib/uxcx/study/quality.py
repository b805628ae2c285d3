"""Data-quality views of a loaded study: missingness, the columns worth a look, and flags.

Flags mark kept rows a researcher should look at (nothing is dropped): SUS
respondents who straight-lined, participants who lack some of the tasks.
The loader records them in the ledger.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.study.schema import role, score_range

__all__ = ["missingness", "key_columns", "same_answer", "missing_tasks", "flags", "scale_items"]

SUS_ITEMS = [f"sus_{i}" for i in range(1, 11)]


def missingness(study) -> pd.DataFrame:
    """Missing values per source and column of the clean frames.

    The frames an event log yields (``behaviour``, ``attempts``) are left out: they are
    measured, not read, and a time on task is missing by design where a task was not completed.

    Returns
    -------
    DataFrame
        ``source``, ``column``, ``kind`` (the role's kind), ``n`` (rows kept),
        ``missing`` (count) and ``share_missing`` (0-1), one row per column.
    """
    rows = []
    for source, frame in study.frames.items():
        if source in ("behaviour", "attempts"):  # measured, not read: no time of a task never done
            continue
        missing = frame.isna().sum()
        for column in frame.columns:
            rows.append({"source": source, "column": column, "kind": role(column).kind,
                         "n": len(frame), "missing": int(missing[column])})
    out = pd.DataFrame(rows, columns=["source", "column", "kind", "n", "missing"])
    out["share_missing"] = (out["missing"] / out["n"].where(out["n"] > 0)).fillna(0.0)
    return out


def key_columns(frame: pd.DataFrame, *, limit: int = 12) -> list[str]:
    """The measured columns of a frame (scores, counts, durations, money, yes/no), in order.

    >>> key_columns(pd.DataFrame(columns=["participant", "task", "success", "time_s", "design"]))
    ['success', 'time_s']
    """
    measured = ("binary", "score", "count", "duration", "money", "number")
    return [c for c in frame.columns if role(c).kind in measured][:limit]


def same_answer(items: pd.DataFrame) -> pd.Series:
    """True where every item is answered and all answers are equal (straight-lining).

    On the standard SUS, whose items alternate positive and negative wording, one
    answer to all ten contradicts itself (Sauro & Lewis 2011).

    >>> same_answer(pd.DataFrame({"a": [3, 3, 3], "b": [3, 4, None]})).tolist()
    [True, False, False]
    """
    values = items.to_numpy(dtype=float)
    answered = ~np.isnan(values).any(axis=1)
    with np.errstate(invalid="ignore"):
        equal = np.nanmax(values, axis=1, initial=-np.inf) == np.nanmin(values, axis=1, initial=np.inf)
    return pd.Series(answered & equal, index=items.index, name="straight_lining")


def missing_tasks(usability: pd.DataFrame, *, subject: str = "participant",
                  task: str = "task") -> pd.DataFrame:
    """The participant x task pairs absent from a usability sheet where others did the task.

    >>> u = pd.DataFrame({"participant": ["P1", "P1", "P2"], "task": ["a", "b", "a"]})
    >>> missing_tasks(u).to_dict("records")
    [{'participant': 'P2', 'task': 'b'}]
    """
    # groupby + unstack: pd.crosstab aggregates group by group in Python (minutes at 1M rows)
    counts = usability.groupby([subject, task], observed=True).size().unstack(fill_value=0).stack()
    return counts[counts == 0].index.to_frame(index=False, name=[subject, task])


def flags(source: str, frame: pd.DataFrame) -> dict[str, str]:
    """Plain sentences on kept rows worth a look in one source (empty when there are none)."""
    out = {}
    if source == "questionnaire" and all(c in frame for c in SUS_ITEMS):
        lined = frame.index[same_answer(frame[SUS_ITEMS]).to_numpy()]
        if len(lined):
            out["straight-lining"] = (
                f"{len(lined)} respondent(s) gave the same answer to all ten SUS items, which "
                f"contradicts the alternating wording (rows {_rows(lined)}); kept, check them")
    if source == "usability" and {"participant", "task"} <= set(frame.columns):
        gaps = missing_tasks(frame)
        if len(gaps):
            who = ", ".join(f"{p} ({t})" for p, t in gaps.head(8).itertuples(index=False))
            more = f" and {len(gaps) - 8} more" if len(gaps) > 8 else ""
            out["missing tasks"] = (f"{len(gaps)} participant x task pair(s) have no row, so "
                                    f"per-task numbers rest on fewer people: {who}{more}")
    return out


def _rows(index) -> str:
    shown = ", ".join(str(r) for r in list(index)[:10])
    return shown + (f" and {len(index) - 10} more" if len(index) > 10 else "")


def scale_items(frame: pd.DataFrame, *, prefix: str | tuple = "", scale: tuple | None = None) -> list[str]:
    """The rated columns of a frame, by name prefix and/or by the scale their role has.

    >>> scale_items(pd.DataFrame(columns=["respondent", "csat", "ces", "loyalty_a"]), scale=(1, 5))
    ['csat', 'loyalty_a']
    """
    return [c for c in frame.columns if str(c).startswith(prefix) and score_range(c) is not None
            and (scale is None or score_range(c) == tuple(scale))]
