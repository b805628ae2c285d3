"""The report: findings in words, figures, tables for people, the papermill runner, HTML and the
command line.

The names below are those of :mod:`uxcx.report.runner`; each module of the subpackage holds one idea.
"""

from uxcx.report.runner import *  # noqa: F403
from uxcx.report.runner import __all__  # noqa: F401
