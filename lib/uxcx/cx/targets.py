"""Every CX measure of a survey against its target at once: NPS, CSAT, CES or any rated item."""

from __future__ import annotations

import pandas as pd

from uxcx._core.results import COLUMNS
from uxcx.cx.nps_benchmark import nps_benchmark
from uxcx.cx.ratings import mean_score
from uxcx.errors import UxcxError

__all__ = ["target_tests"]

_AFTER = ["benchmark", "effect_size_ci_low", "effect_size_ci_high"]


def target_tests(data: pd.DataFrame, targets: dict, *, by=None, alternative: str = "greater",
                 confidence_level: float = 0.95) -> pd.DataFrame:
    """Test each measure of ``targets`` against its target: NPS by :func:`uxcx.nps_benchmark`, a
    rating's mean by :func:`uxcx.mean_score` with ``benchmark=`` (the one-sample t test).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    targets : dict of str to float
        Measure -> target, e.g. ``{"nps": 30, "csat": 4.0}`` (a study's
        :func:`uxcx.study.targets.targets_for`); ``nps`` in points, a rating on its scale.
    by : str or list of str, optional
        Segment columns: one test per segment and measure.
    alternative : {"greater", "less", "two-sided"}, default "greater"
        "greater" asks whether each measure beats its target.
    confidence_level : float

    Returns
    -------
    DataFrame
        One row per measure (and segment): ``measure``, the ``by`` columns, then the result
        schema (as each test returns it), then ``benchmark`` (the target),
        ``effect_size_ci_low`` and ``effect_size_ci_high`` (NaN for the NPS, whose
        effect size is the difference in points).

    Notes
    -----
    No multiplicity adjustment: each measure answers its own question against its own
    target. The methods are those of the two functions (Lewis & Sauro 2021 for the NPS;
    Student's t as Sauro & Lewis 2016, ch. 4, for rating means).

    Examples
    --------
    >>> d = pd.DataFrame({"nps": [10, 9, 9, 7, 3] * 8, "csat": [5, 4, 4, 3, 5] * 8})
    >>> r = target_tests(d, {"nps": 20, "csat": 4.0})
    >>> r[["measure", "term", "estimate", "benchmark"]].to_dict("records")
    [{'measure': 'nps', 'term': 'NPS', 'estimate': 40.0, 'benchmark': 20.0}, \
{'measure': 'csat', 'term': 'mean csat', 'estimate': 4.2, 'benchmark': 4.0}]
    """
    if not isinstance(targets, dict) or not targets:
        raise UxcxError(f"targets must map measures to their targets, such as {{'csat': 4.0, 'nps': 30}}; "
                        f"got {targets!r}")
    by_cols = [] if by is None else [by] if isinstance(by, str) else list(by)
    frames = []
    for measure, goal in targets.items():
        if measure == "nps":
            r = nps_benchmark(data, target=goal, by=by, alternative=alternative,
                              confidence_level=confidence_level).rename(columns={"target": "benchmark"})
        else:
            r = mean_score(data, score=measure, by=by, benchmark=goal, alternative=alternative,
                           confidence_level=confidence_level)
        frames.append(r.reindex(columns=[*by_cols, *COLUMNS, *_AFTER]).assign(measure=measure))
    out = pd.concat(frames, ignore_index=True)
    return out[["measure", *by_cols, *COLUMNS, *_AFTER]]
