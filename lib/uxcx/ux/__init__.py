"""Usability task metrics (Sauro & Lewis 2016): completion, time, errors, abandonment, clicks, lostness.

Every inference function takes long-form data (one row per participant × task),
roles by keyword, and returns the kit's result schema (:mod:`uxcx._core.results`);
scoring functions (:func:`lostness_score`, :func:`long_times`) return a Series.
The code lives in :mod:`uxcx.ux.completion`, :mod:`uxcx.ux.timing` and
:mod:`uxcx.ux.counts`; import from here.

>>> import uxcx.ux as ux
>>> d = pd.DataFrame({"task": ["A"] * 5 + ["B"] * 5, "success": [1, 1, 1, 1, 0, 1, 0, 0, 1, 0.5]})
>>> ux.completion_rate(d, by="task")[["task", "n", "estimate"]].to_dict("records")
[{'task': 'A', 'n': 5, 'estimate': 0.8}, {'task': 'B', 'n': 5, 'estimate': 0.5}]
"""

from __future__ import annotations

import pandas as pd  # noqa: F401  (used by the doctest above)

from uxcx.ux.benchmark_completion import completion_benchmark
from uxcx.ux.completion import best_point_estimate, completion_rate
from uxcx.ux.counts import abandonment, clicks, lostness, lostness_score, task_errors
from uxcx.ux.timing import long_times, task_time

errors = task_errors  # the name in Sauro & Lewis's list of metrics; uxcx.task_errors at package level

__all__ = ["completion_rate", "completion_benchmark", "best_point_estimate", "task_time", "long_times",
           "task_errors", "errors", "abandonment", "clicks", "lostness_score", "lostness"]
