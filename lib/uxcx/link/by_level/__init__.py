"""A CX outcome compared across UX levels, with the test chosen from the data and the reason in words.

One idea per module: :mod:`uxcx.link.by_level.outcome` reads the outcome (its scale,
normality and per-level estimates); :mod:`uxcx.link.by_level.compare` chooses and runs
the test in :func:`compare_by_level`; :mod:`uxcx.link.by_level.categories` tests tables
of counts (binary and categorical outcomes); :mod:`uxcx.link.by_level.k_levels` tests
scores across three or more levels. The names stay importable from
``uxcx.link.by_level``.
"""

from __future__ import annotations

from uxcx.link.by_level.compare import compare_by_level
from uxcx.link.by_level.outcome import MAX_ORDINAL_VALUES as MAX_ORDINAL_VALUES
from uxcx.link.by_level.outcome import SCALES as SCALES

__all__ = ["compare_by_level"]
