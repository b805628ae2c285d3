"""The ``log10_p_value`` column of the link stage's result frames (models, mediation).

The p-values themselves come from :mod:`uxcx._core.pvalues`, in log space; this module
turns a vector of natural-log p-values into the two columns and the method words, and
places ``log10_p_value`` right after ``p_value``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.pvalues import finish_p, underflow_note

__all__ = ["p_columns", "with_log10", "noted"]


def p_columns(log_p) -> tuple[np.ndarray, np.ndarray]:
    """``(p_value, log10_p_value)`` arrays from natural-log p-values (NaN stays NaN).

    >>> p, lg = p_columns([np.log(0.5), -2000.0, np.nan])
    >>> bool(p[1] > 0), round(float(lg[1]), 1), bool(np.isnan(p[2]))
    (True, -868.6, True)
    """
    pairs = [finish_p(v) for v in np.atleast_1d(np.asarray(log_p, dtype=float))]  # a handful of terms
    if not pairs:
        return np.empty(0), np.empty(0)
    p, log10 = np.array(pairs).T
    return p, log10


def noted(methods, log10) -> np.ndarray:
    """Each method text with :func:`uxcx._core.pvalues.underflow_note` added where p underflows."""
    return np.array([f"{m}{underflow_note(v)}" for m, v in zip(methods, log10)], dtype=object)


def with_log10(frame: pd.DataFrame, log10) -> pd.DataFrame:
    """``frame`` with ``log10_p_value`` set, placed right after ``p_value``."""
    frame = frame.drop(columns="log10_p_value", errors="ignore")
    frame.insert(frame.columns.get_loc("p_value") + 1, "log10_p_value", np.asarray(log10, dtype=float))
    return frame
