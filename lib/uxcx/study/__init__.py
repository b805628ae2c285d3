"""The study file, the data dictionary (roles), coercion, validation, the ledger, personal data and
data-quality views.

The names below are those of :mod:`uxcx.study.study_file`; each module of the subpackage holds one idea.
"""

from uxcx.study.study_file import *  # noqa: F403
from uxcx.study.study_file import __all__  # noqa: F401
