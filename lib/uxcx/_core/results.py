"""The one schema of result frames: every estimate or test is a row with these columns.

Grouping columns come first, then :data:`COLUMNS`. A column that does not
apply is NaN, never absent, so results from any function concatenate and
export cleanly (DESIGN.md, Conventions).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ESTIMATE_COLUMNS", "TEST_COLUMNS", "COLUMNS", "result_frame"]

ESTIMATE_COLUMNS = ["term", "n", "estimate", "std_error", "ci_low", "ci_high",
                    "confidence_level", "method"]
TEST_COLUMNS = ["statistic", "df", "p_value", "log10_p_value", "alternative", "p_adjusted", "p_adjust_method",
                "effect_size", "effect_size_type"]
COLUMNS = ESTIMATE_COLUMNS + TEST_COLUMNS


def result_frame(records, *, groups=()) -> pd.DataFrame:
    """Rows of results in the fixed schema: grouping columns, then :data:`COLUMNS`.

    Parameters
    ----------
    records : list of dict or DataFrame
        The rows; keys outside the schema and the grouping columns are an error.
    groups : sequence of str
        Grouping columns, placed first.

    Examples
    --------
    >>> r = result_frame([{"task": "Checkout", "n": 12, "estimate": 0.75}], groups=["task"])
    >>> list(r.columns[:3]), bool(pd.isna(r.loc[0, "p_value"]))
    (['task', 'term', 'n'], True)
    """
    frame = pd.DataFrame(records)
    extra = set(frame.columns) - set(COLUMNS) - set(groups)
    if extra:
        raise ValueError(f"columns outside the result schema: {sorted(extra)}")
    return frame.reindex(columns=[*groups, *COLUMNS])
