"""Benchmarks a score is tested against: the published defaults and the range a target must lie in.

Shared by the study file (``measures.targets``, validated against :data:`TARGET_RANGES`)
and the benchmark tests (:func:`uxcx.mean_benchmark`, :func:`uxcx.nps_benchmark`,
:func:`uxcx.completion_benchmark`), so a study's target and a function's default mean
the same thing. Plain data: importing it costs nothing.

Defaults exist only where the field has a published average to beat:

* SUS 68: the mean of about 500 studies (Sauro 2011; Sauro & Lewis 2016, ch. 8),
  also for the UMUX-Lite on the SUS scale (Lewis, Utesch & Maher 2013);
* SEQ 5.5: the historical average across tasks (Sauro 2012);
* task completion 0.78: the average of almost 1,200 tasks (Sauro 2011).

CSAT, CES and NPS have no one average across industries, so a test against them needs
a target the study states.
"""

from __future__ import annotations

__all__ = ["DEFAULT_TARGETS", "TARGET_RANGES", "default_target"]

#: Published averages used when a study states no target (sources in the module docstring).
DEFAULT_TARGETS = {"sus": 68.0, "umux_lite_sus": 68.0, "seq": 5.5, "completion": 0.78}

#: The scale of every measure a target may be stated for: a target must lie inside it.
TARGET_RANGES = {"sus": (0.0, 100.0), "umux_lite": (0.0, 100.0), "umux_lite_sus": (0.0, 100.0),
                 "seq": (1.0, 7.0), "csat": (1.0, 5.0), "ces": (1.0, 7.0), "nps": (-100.0, 100.0),
                 "completion": (0.0, 1.0)}


def default_target(measure: str) -> float | None:
    """The published benchmark of ``measure``, or None where the field has none.

    >>> default_target("sus"), default_target("csat")
    (68.0, None)
    """
    return DEFAULT_TARGETS.get(measure)
