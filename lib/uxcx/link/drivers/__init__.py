"""Key driver analysis: how much of an outcome each driver accounts for, and how well each performs.

Two modules, one idea each: :mod:`uxcx.link.drivers.importance` splits R² among the
drivers (:func:`key_drivers`); :mod:`uxcx.link.drivers.quadrants` adds each driver's
performance for an importance x performance chart (:func:`driver_quadrants`). The
names stay importable from ``uxcx.link.drivers``.
"""

from __future__ import annotations

from uxcx.link.drivers.importance import DRIVER_METHODS, key_drivers
from uxcx.link.drivers.quadrants import QUADRANTS, driver_quadrants

__all__ = ["key_drivers", "driver_quadrants", "DRIVER_METHODS", "QUADRANTS"]
