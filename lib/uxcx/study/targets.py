"""Which measures of a study are tested against a benchmark, against what, and how to name it.

The notebooks ask these questions of the study (``measures.targets``, with the published
defaults of :mod:`uxcx._core.targets`), so a cell stays one call and every study is served
by the same rule: a measure is tested when the data have it and there is a target for it.
"""

from __future__ import annotations

import pandas as pd

from uxcx._core.targets import DEFAULT_TARGETS

__all__ = ["targets_for", "target_name", "untargeted_reason"]


def targets_for(study, frame: pd.DataFrame | None, measures) -> dict[str, float]:
    """The measures among ``measures`` that ``frame`` holds (any value) and that have a target.

    >>> from uxcx.study.study_file import StudyFile
    >>> class S:
    ...     config = StudyFile(name="s", sources={}, measures={"targets": {"csat": 4.0}})
    >>> survey = pd.DataFrame({"csat": [4, 5], "ces": [6, 7], "nps": [9, None]})
    >>> targets_for(S(), survey, ["nps", "csat", "ces"])
    {'csat': 4.0}
    """
    if frame is None:
        return {}
    present = [m for m in measures if m in frame.columns and frame[m].notna().any()]
    goals = {m: study.config.measures.target(m) for m in present}
    return {m: float(v) for m, v in goals.items() if v is not None}


def target_name(study, measure: str) -> str:
    """How a sentence names the benchmark: "the industry average" when it is the published default
    (stated or not), else "the study's target".

    >>> from uxcx.study.study_file import StudyFile
    >>> class S:
    ...     config = StudyFile(name="s", sources={}, measures={"targets": {"csat": 4.0, "seq": 5.5}})
    >>> target_name(S(), "csat"), target_name(S(), "sus"), target_name(S(), "seq")
    ("the study's target", 'the industry average', 'the industry average')
    """
    default = DEFAULT_TARGETS.get(measure)
    published = default is not None and study.config.measures.target(measure) == default
    return "the industry average" if published else "the study's target"


def untargeted_reason(study, frame: pd.DataFrame | None, measures, source: str) -> str:
    """Why no measure of ``measures`` can be tested against a target ("" when one can).

    >>> from uxcx.study.study_file import StudyFile
    >>> class S:
    ...     config = StudyFile(name="s", sources={})
    >>> untargeted_reason(S(), pd.DataFrame({"csat": [4], "nps": [9]}), ["csat", "nps"], "survey")
    'the study states no target for csat or nps (measures.targets in the study file)'
    """
    if frame is None or not len(frame):
        return f"this study has no {source} rows"
    present = [m for m in measures if m in frame.columns and frame[m].notna().any()]
    if not present:
        return f"the {source} source has no {' or '.join(measures)} values"
    if targets_for(study, frame, present):
        return ""
    return f"the study states no target for {' or '.join(present)} (measures.targets in the study file)"
