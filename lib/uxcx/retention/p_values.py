"""The kit's p-value convention on retention result frames: ``log10_p_value`` beside every ``p_value``.

Each test of the stage computes its p-value in log space (:mod:`uxcx._core.pvalues`);
:func:`with_log10_p` writes ``p_value`` (never 0: the smallest positive double when the
true p underflows) and ``log10_p_value`` right after it, and adds the underflow note to
``method`` where p is below 1e-300.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.pvalues import finish_p, underflow_note

__all__ = ["with_log10_p"]


def with_log10_p(frame: pd.DataFrame, log_p) -> pd.DataFrame:
    """``frame`` with ``p_value`` and ``log10_p_value`` from natural-log p-values (one per row; NaN: no test).

    >>> f = pd.DataFrame({"term": ["a", "b"], "p_value": np.nan, "method": "z test"})
    >>> out = with_log10_p(f, [np.log(0.05), -1000.0])
    >>> list(out.columns), round(float(out.loc[0, "log10_p_value"]), 4), bool(out.loc[1, "p_value"] > 0)
    (['term', 'p_value', 'log10_p_value', 'method'], -1.301, True)
    >>> out.loc[1, "method"]
    'z test; p < 1e-300 (log10 p = -434.3; p_value holds the smallest positive double)'
    """
    pairs = [finish_p(x) for x in np.asarray(log_p, dtype=float).ravel()]
    frame = frame.copy()
    frame["p_value"] = [p for p, _ in pairs]
    log10 = [lg for _, lg in pairs]
    if "log10_p_value" in frame.columns:
        frame["log10_p_value"] = log10
    else:
        frame.insert(frame.columns.get_loc("p_value") + 1, "log10_p_value", log10)
    if "method" in frame.columns:
        frame["method"] = [str(m) + underflow_note(lg) for m, lg in zip(frame["method"], log10)]
    return frame
