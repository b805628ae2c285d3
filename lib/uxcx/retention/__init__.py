"""Retention: survival data, Kaplan-Meier, log-rank, Cox, RMST and lifetime value, churn by a horizon,
sBG.

The names below are those of :mod:`uxcx.retention.curves`; each module of the subpackage holds one idea.
"""

from uxcx.retention.curves import *  # noqa: F403
from uxcx.retention.curves import __all__  # noqa: F401
