"""uxcx: link usability (UX) measures to customer-experience (CX) outcomes.

The library under the notebooks of the kit: load a study (:func:`load_study`),
measure UX and CX, link them, and save findings for the report.
"""

__version__ = "0.1.0"

from .errors import DataError, Problem, SmallSampleWarning, StudyError, UxcxError, UxcxWarning
from .findings import show_findings
from .ledger import Ledger
from .report import save_results
from .results import result_frame
from .study import Study, load_study, read_study

__all__ = [
    "__version__",
    "load_study",
    "read_study",
    "Study",
    "Ledger",
    "save_results",
    "show_findings",
    "result_frame",
    "UxcxError",
    "StudyError",
    "DataError",
    "Problem",
    "UxcxWarning",
    "SmallSampleWarning",
]
