"""Calibration of the Wilcoxon tests and Hodges-Lehmann intervals by simulation (seeded).

The exact intervals cover at least their nominal level for continuous data (Hollander, Wolfe &
Chicken 2014, sections 3.3 and 4.3); the normal-approximation test with R's continuity
correction keeps its level on discrete 7-point ratings. Each check allows three Monte Carlo
standard errors.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from uxcx._core.rank_sum import rank_sum_test
from uxcx._core.signed_rank import signed_rank_test
from uxcx.errors import UxcxWarning

REPS = 600


def _mc_slack(p: float) -> float:
    return 3 * np.sqrt(p * (1 - p) / REPS)


def test_exact_signed_rank_interval_covers_the_centre():
    rng = np.random.default_rng(11)
    draws = rng.standard_t(4, size=(REPS, 12)) + 1.5  # symmetric about 1.5
    covered = [(r["ci_low"] <= 1.5 <= r["ci_high"]) for r in map(signed_rank_test, draws)]
    assert np.mean(covered) >= 0.95 - _mc_slack(0.95)


def test_exact_rank_sum_interval_covers_the_shift():
    rng = np.random.default_rng(12)
    a, b = rng.exponential(size=(REPS, 9)) + 0.7, rng.exponential(size=(REPS, 11))
    covered = [(r["ci_low"] <= 0.7 <= r["ci_high"]) for r in (rank_sum_test(x, y) for x, y in zip(a, b))]
    assert np.mean(covered) >= 0.95 - _mc_slack(0.95)


@pytest.mark.parametrize("correct", [True, False])
def test_signed_rank_level_on_discrete_ratings(correct):
    rng = np.random.default_rng(13 + correct)
    before = rng.integers(1, 8, size=(REPS, 25))
    after = np.clip(before + rng.integers(-2, 3, size=(REPS, 25)), 1, 7)  # symmetric change, no shift
    keep = np.ptp(after - before, axis=1) > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        p = np.array([signed_rank_test(d, correct=correct)["p_value"] for d in (after - before)[keep]])
    rate = np.mean(p < 0.05)
    assert rate <= 0.05 + _mc_slack(0.05)
    if correct:  # the correction makes the test more conservative than without it, never less
        off = np.array([signed_rank_test(d, correct=False)["p_value"] for d in (after - before)[keep]])
        assert np.all(p >= off - 1e-15)
