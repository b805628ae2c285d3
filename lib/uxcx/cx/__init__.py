"""Customer-experience measures: NPS, CSAT, CES and Likert items, by segment and over time.

Every inference function takes the survey source (one row per respondent), roles by
keyword, ``by=`` for segment breakdowns, and returns the kit's result schema
(:mod:`uxcx._core.results`); :func:`nps_category` is pure scoring (a Series) and
:func:`likert_distribution` a tidy count table. The small-sample rules (a warning
naming each segment under 30 respondents for NPS and under 10 for top-box shares and
means; a NaN interval under 2) are in :mod:`uxcx.cx.common`. The code lives in
:mod:`uxcx.cx.nps`, :mod:`uxcx.cx.compare`, :mod:`uxcx.cx.ratings` and
:mod:`uxcx.cx.trends`; import from here. Scale reliability and the loyalty index are
in :mod:`uxcx.cx.scale_reliability`.

>>> import uxcx.cx as cx
>>> d = pd.DataFrame({"nps": [10] * 50 + [7] * 25 + [3] * 25, "csat": [5, 4, 3, 2] * 25})
>>> cx.nps(d)[["estimate", "ci_low", "ci_high"]].round(1).values.tolist()
[[25.0, 8.3, 40.2]]
>>> float(cx.top_box(d, score="csat").loc[0, "estimate"])
0.5
"""

from __future__ import annotations

import pandas as pd  # noqa: F401  (used by the doctest above)

from uxcx.cx.compare import compare_nps, nps_association
from uxcx.cx.nps import nps, nps_category
from uxcx.cx.ratings import likert_distribution, likert_summary, mean_score, top_box
from uxcx.cx.trends import trend

__all__ = ["nps_category", "nps", "compare_nps", "nps_association", "top_box", "mean_score",
           "likert_distribution", "likert_summary", "trend"]
