"""What the reliability of a scale warns about: reversed items, thin groups, constant or copied items.

Used by :mod:`uxcx.cx.scale_reliability`; each warning names the items and the group, so a
researcher can find them, and says what to do.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx.errors import SmallSampleWarning, UxcxWarning

__all__ = ["where", "warn_reverse", "warn_fewer", "constant_items", "warn_degenerate"]


def where(keys: pd.DataFrame, g: int, by_cols) -> str:
    """" in design='Current'" for group ``g`` (empty without groups), for warnings."""
    return " in " + ", ".join(f"{c}={keys.at[g, c]!r}" for c in by_cols) if by_cols else ""


def warn_reverse(names, rest_r, place: str = "") -> None:
    """Name the items that correlate negatively with the rest of the scale (``place``: " in design='B'")."""
    negative = [n for n, r in zip(names, rest_r) if r < 0]
    if negative:
        warnings.warn(f"{', '.join(map(repr, negative))} correlate(s) negatively with the rest of the "
                      f"scale{place}: probably worded the other way; reverse-code before scoring "
                      f"(x -> low + high - x) or leave out", UxcxWarning, stacklevel=3)


def warn_fewer(n, minimum: int, measure: str, keys=None, by_cols=()) -> None:
    """Name the groups with fewer than ``minimum`` complete responses (their ``measure`` is NaN)."""
    if (few := int(np.sum(n < minimum))):
        named = ("" if keys is None else ": " + "; ".join(
            f"{where(keys, g, by_cols)[4:] or 'all respondents'} (n={int(n[g])})"
            for g in np.flatnonzero(n < minimum)[:10]))
        warnings.warn(f"{few} group(s) have fewer than {minimum} complete responses; their {measure} is "
                      f"NaN{named}", SmallSampleWarning, stacklevel=3)


def constant_items(names, x: np.ndarray) -> list[str]:
    """The items with one answer from every respondent of a group (no variance to share)."""
    return [name for name, sd in zip(names, x.std(axis=0)) if not sd > 0]


def warn_degenerate(constant: dict, perfect: list, std: bool) -> None:
    """Say where alpha cannot mean what it usually means: constant items, perfectly agreeing items."""
    if constant:
        effect = ("they cannot be standardised, so alpha is NaN" if std else
                  "they add nothing to the index's variance but count as items, which lowers alpha")
        listed = "; ".join(f"{', '.join(map(repr, items))}{where}" for where, items in constant.items())
        warnings.warn(f"item(s) with the same answer from every respondent: {listed}: {effect}; leave "
                      f"them out of items=", UxcxWarning, stacklevel=3)
    if perfect:
        warnings.warn(f"the items agree perfectly (alpha = 1){', '.join(perfect)}: Feldt's interval has zero "
                      f"width and no information; check the items are not copies of one answer",
                      UxcxWarning, stacklevel=3)
