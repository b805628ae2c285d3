"""Linking UX and CX: joins at the right level, correlations, models, key drivers, mediation, CX by UX
level, power.

The names below are those of :mod:`uxcx.link.measures`; each module of the subpackage holds one idea.
"""

from uxcx.link.measures import *  # noqa: F403
from uxcx.link.measures import __all__  # noqa: F401
