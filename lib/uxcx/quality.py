"""Data-quality views of a loaded study: missingness and the columns worth a look."""

from __future__ import annotations

import pandas as pd

from .schema import role

__all__ = ["missingness", "key_columns"]


def missingness(study) -> pd.DataFrame:
    """Missing values per source and column of the clean frames.

    Returns
    -------
    DataFrame
        ``source``, ``column``, ``kind`` (the role's kind), ``n`` (rows kept),
        ``missing`` (count) and ``share_missing`` (0-1), one row per column.
    """
    rows = []
    for source, frame in study.frames.items():
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
