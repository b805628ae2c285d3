"""How compare_by_level reads its data: the outcome's scale, its normality, the per-level rows.

The one idea here is describing the outcome before any test runs: :func:`outcome_scale`
decides whether it is NPS, binary, ordinal or continuous (and says so in words),
:func:`normal_enough` applies the normality rule of :func:`uxcx.ux.compare.compare_ratings`,
and :func:`level_rows` gives each level's n with its mean, share or NPS and interval.
The test itself is chosen and run in :mod:`uxcx.link.by_level.compare`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core.common import proportion_interval, t_interval
from uxcx._core.compare import ComparisonError
from uxcx._core.rating_tests import AUTO_MIN_N, normality_rule
from uxcx._core.results import COLUMNS, result_frame
from uxcx.cx.nps import nps

__all__ = ["SCALES", "MAX_ORDINAL_VALUES", "outcome_scale", "normal_enough", "level_rows"]

SCALES = ("auto", "continuous", "ordinal", "binary", "nps", "categorical")
#: Whole-number outcomes with at most this many distinct values are treated as ordinal ratings.
MAX_ORDINAL_VALUES = 7


def outcome_scale(values: pd.Series, outcome: str, scale: str) -> tuple[str, str]:
    """The outcome's kind and how to describe it in the reason."""
    if scale == "categorical":
        distinct = sorted(pd.unique(values.dropna()), key=str)
        if len(distinct) < 2:
            raise ComparisonError(f"a categorical outcome needs at least two values; {outcome!r} holds "
                                  f"{[str(v) for v in distinct]}.")
        shown = ", ".join(map(str, distinct[:6])) + (", ..." if len(distinct) > 6 else "")
        return scale, f"{outcome} is categorical with {len(distinct)} values ({shown})"
    distinct = np.unique(values.dropna())
    if scale == "auto":
        if outcome == "nps":
            scale = "nps"
        elif len(distinct) == 2 and set(distinct) <= {0, 1}:
            scale = "binary"
        elif np.all(distinct == np.round(distinct)) and len(distinct) <= MAX_ORDINAL_VALUES:
            scale = "ordinal"
        else:
            scale = "continuous"
    if scale == "binary" and not set(distinct) <= {0, 1}:
        raise ComparisonError(f"a binary outcome must be coded 0/1; {outcome!r} holds "
                              f"{distinct[:6].tolist()}. Recode it, or pass scale='ordinal'.")
    span = f"{distinct.min():g}-{distinct.max():g}" if len(distinct) else ""
    return scale, {"nps": f"{outcome} is a likelihood-to-recommend rating summarised as an NPS",
                   "binary": f"{outcome} is binary (0/1)",
                   "ordinal": f"{outcome} is a rating with {len(distinct)} observed values ({span})",
                   "continuous": f"{outcome} is a continuous score"}[scale]


def normal_enough(samples: dict, alpha: float) -> tuple[bool, str]:
    """The normality rule of :func:`uxcx.ux.compare.compare_ratings` with ``alpha`` as its level."""
    verdict, k, p = normality_rule(samples, alpha)
    if verdict == "large":
        return True, (f"every group has at least {AUTO_MIN_N} observations (means close to normal by "
                      "the central limit theorem)")
    if verdict == "not normal":
        return False, (f"a group has fewer than {AUTO_MIN_N} observations and is not normal "
                       f"(Shapiro-Wilk p = {p:.3f} in {k})")
    return True, f"Shapiro-Wilk finds no departure from normality (p >= {alpha:g} in every group)"


def level_rows(frame, outcome, level, scale, levels, conf) -> pd.DataFrame:
    """One row per level: its n and its mean, share or NPS with the interval that suits the scale."""
    if scale == "nps":
        with warnings.catch_warnings():  # compare_nps already warns about small levels
            warnings.simplefilter("ignore")
            rows = nps(frame, score=outcome, by=level, confidence_level=conf)
        return rows.set_index(level).reindex(levels).reset_index()[[level, *COLUMNS]]
    grouped = frame.groupby(level, observed=True)[outcome].agg(["count", "mean", "std", "sum"])
    grouped = grouped.reindex(levels)
    n = grouped["count"].to_numpy(float)
    if scale == "binary":
        low, high, se, _ = proportion_interval(grouped["sum"].to_numpy(float), n, "adjusted-wald", conf)
        method = "share, adjusted-Wald interval (Agresti & Coull 1998)"
    else:
        low, high, se = t_interval(grouped["mean"], grouped["std"], n, conf)
        method = "mean, t interval"
    return result_frame(pd.DataFrame({level: levels, "term": [str(v) for v in levels], "n": n,
                                      "estimate": grouped["mean"].to_numpy(), "std_error": se, "ci_low": low,
                                      "ci_high": high, "confidence_level": conf, "method": method}),
                        groups=[level])


