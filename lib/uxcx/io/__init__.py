"""Reading tables: CSV/TSV in any common encoding, XLSX, Parquet, JSON, and the exports of survey and
testing tools.

The names below are those of :mod:`uxcx.io.tables`; each module of the subpackage holds one idea.
"""

from uxcx.io.tables import *  # noqa: F403
from uxcx.io.tables import __all__  # noqa: F401
