"""Tests of uxcx._core.signed_rank, uxcx._core.rank_sum and uxcx._core.rank_intervals:
the Wilcoxon tests and Hodges-Lehmann intervals against R's wilcox.test.

R figures come from R 4.2.2 (``Rscript``), each written beside the call that gave it.
R's normal-approximation intervals and estimates come from ``uniroot(tol = 1e-4)``; the
kit finds the same jump of the step function exactly, so those are compared to 2e-4.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from uxcx._core.rank_intervals import lower_quantile, rank_sum_counts, signed_rank_counts
from uxcx._core.rank_sum import rank_sum_test
from uxcx._core.signed_rank import signed_rank_test
from uxcx.errors import UxcxWarning

# Hollander & Wolfe (1973, p. 29): Hamilton depression scale before (x) and after (y) treatment
HW_X = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
HW_Y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
# Hollander & Wolfe (1973, p. 69): permeability constants of two membranes
PERM_X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
PERM_Y = [1.15, 0.88, 0.90, 0.74, 1.21]
R_TOL = 2e-4  # R's uniroot tolerance (tol.root = 1e-4), both ends


# --- exact null distributions -----------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 5, 12, 30, 49])
def test_signed_rank_counts_are_r_psignrank(n):
    counts = signed_rank_counts(n)
    assert counts.sum() == 2.0 ** n
    q = np.arange(len(counts))
    # R: psignrank(q, n) is the CDF; scipy's exact signed-rank distribution agrees with it
    cdf = np.cumsum(counts) / counts.sum()
    assert cdf[n * (n + 1) // 4] == pytest.approx(1 - cdf[n * (n + 1) // 2 - n * (n + 1) // 4 - 1], abs=1e-12)
    assert counts == pytest.approx(counts[::-1])  # symmetric
    assert (q * counts).sum() / counts.sum() == pytest.approx(n * (n + 1) / 4)


def test_r_quantiles_of_the_exact_distributions():
    # R: qsignrank(0.025, 9) -> 6; qsignrank(0.05, 20) -> 61; qwilcox(0.025, 10, 5) -> 9;
    #    qwilcox(0.005, 10, 5) -> 5; psignrank(5, 9) -> 0.01953125; pwilcox(8, 10, 5) -> 0.01998001998
    assert lower_quantile(signed_rank_counts(9), 0.025) == 6
    assert lower_quantile(signed_rank_counts(20), 0.05) == 61
    assert lower_quantile(rank_sum_counts(10, 5), 0.025) == 9
    assert lower_quantile(rank_sum_counts(10, 5), 0.005) == 5
    sr, rs = signed_rank_counts(9), rank_sum_counts(10, 5)
    assert sr[:6].sum() / sr.sum() == pytest.approx(0.01953125, abs=1e-15)
    assert rs[:9].sum() / rs.sum() == pytest.approx(0.01998001998, abs=1e-11)


@pytest.mark.parametrize("m, n", [(3, 4), (10, 5), (20, 30), (49, 49)])
def test_rank_sum_counts_sum_to_the_binomial_and_match_scipy(m, n):
    counts = rank_sum_counts(m, n)
    assert counts.sum() == pytest.approx(math.comb(m + n, m), rel=1e-12)
    assert counts == pytest.approx(counts[::-1], rel=1e-12)
    rng = np.random.default_rng(m * 100 + n)
    a, b = rng.normal(size=m), rng.normal(size=n) + 0.5
    res = rank_sum_test(a, b, alternative="less")
    ref = stats.mannwhitneyu(a, b, alternative="less", method="exact").pvalue
    assert res["p_value"] == pytest.approx(ref, rel=1e-9)


# --- signed-rank test -------------------------------------------------------------------------

def test_signed_rank_exact_hollander_wolfe():
    # R: wilcox.test(x, y, paired=TRUE, conf.int=TRUE)
    #    -> V = 40, p = 0.0390625, (pseudo)median = 0.46, conf.int = 0.01 0.786
    # R: wilcox.test(x, y, paired=TRUE, alternative="greater") -> p = 0.01953125
    r = signed_rank_test(HW_X - HW_Y)
    assert (r["statistic"], r["p_value"]) == (40.0, pytest.approx(0.0390625, abs=1e-15))
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((0.46, 0.01, 0.786), abs=1e-12)
    assert r["method"].startswith("Wilcoxon signed-rank exact test")
    assert signed_rank_test(HW_X - HW_Y, alternative="greater")["p_value"] == pytest.approx(0.01953125)
    assert r["log10_p_value"] == pytest.approx(math.log10(0.0390625), abs=1e-12)


def test_signed_rank_exact_on_real_task_times():
    # opencitations/heritrace user test: seconds on "edit publication" and "restore version",
    # the same 9 end users (realdata/usability_tasks/heritrace/endusers/*e_task_completion.json)
    edit = np.array([227, 127, 815, 364, 595, 78, 228, 88, 176])
    restore = np.array([340, 96, 87, 101, 400, 64, 36, 42, 90])
    # R: wilcox.test(edit, restore, paired=TRUE, conf.int=TRUE) -> V = 40, p = 0.0390625, 119 (14, 387)
    # R: ... conf.level=0.9 -> 31 307.5
    r = signed_rank_test(edit - restore)
    assert (r["statistic"], r["p_value"], r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx(
        (40, 0.0390625, 119, 14, 387), abs=1e-12)
    r90 = signed_rank_test(edit - restore, confidence_level=0.9)
    assert (r90["ci_low"], r90["ci_high"]) == pytest.approx((31, 307.5))


def test_signed_rank_normal_with_ties_and_continuity_correction():
    # R: a <- c(40,52,38,61,45,70,33); b <- c(48,50,47,80,59,66,41)
    #    wilcox.test(a, b, paired=TRUE, conf.int=TRUE) -> V = 3, p = 0.0754035628713,
    #      -8.0000793943 (-16.4999666561, 2.99996012759)
    #    ... correct=FALSE -> p = 0.0625089161964, -8.0000793943 (-14.0000180632, 2.00000576273)
    d = np.array([40, 52, 38, 61, 45, 70, 33]) - np.array([48, 50, 47, 80, 59, 66, 41])
    r = signed_rank_test(d)
    assert r["p_value"] == pytest.approx(0.0754035628713, abs=1e-12)
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((-8.0000793943, -16.4999666561,
                                                                         2.99996012759), abs=R_TOL)
    assert r["method"].startswith("Wilcoxon signed-rank test with continuity correction")
    off = signed_rank_test(d, correct=False)
    assert off["p_value"] == pytest.approx(0.0625089161964, abs=1e-12)
    assert (off["ci_low"], off["ci_high"]) == pytest.approx((-14.0000180632, 2.00000576273), abs=R_TOL)
    assert "(normal approximation)" in off["method"]


def test_signed_rank_exact_choice_as_r():
    rng = np.random.default_rng(1)
    small, large = rng.normal(0.3, 1, 49), rng.normal(0.3, 1, 50)
    assert "exact" in signed_rank_test(small)["method"]
    assert "exact" not in signed_rank_test(large)["method"]  # R: exact only when n < 50
    assert "exact" in signed_rank_test(large, exact=True)["method"]
    assert "exact" not in signed_rank_test(small, exact=False)["method"]
    # zeros drop out and forbid the exact test, as in R
    with_zero = np.r_[small[:10], 0.0]
    r = signed_rank_test(with_zero)
    assert "exact" not in r["method"] and "1 zero difference dropped" in r["method"] and r["n"] == 11
    with pytest.warns(UxcxWarning, match="exact signed-rank p-value is impossible with zero differences"):
        signed_rank_test(with_zero, exact=True)
    # scipy agrees on both branches (its exact method and its approximation with correction)
    assert signed_rank_test(small)["p_value"] == pytest.approx(stats.wilcoxon(small, method="exact").pvalue)
    assert signed_rank_test(large)["p_value"] == pytest.approx(
        stats.wilcoxon(large, method="approx", correction=True).pvalue, rel=1e-12)


def test_signed_rank_level_out_of_reach_is_lowered_as_r():
    # R: wilcox.test(c(1, 2, 2, 3), conf.int=TRUE) -> warning "requested conf.level not achievable",
    #    V = 10, p = 0.0975125381781, conf.int = 1.4999754448 2.5000245552, attr conf.level = 0.8
    with pytest.warns(UxcxWarning, match="no 95% signed-rank interval exists; the interval given is at 80%"):
        r = signed_rank_test(np.array([1.0, 2, 2, 3]))
    assert r["confidence_level"] == pytest.approx(0.8)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((1.4999754448, 2.5000245552), abs=R_TOL)
    assert r["p_value"] == pytest.approx(0.0975125381781, abs=1e-12)


def test_signed_rank_all_zero_differences_warn_and_give_no_test():
    with pytest.warns(UxcxWarning, match="Every pair has the same value for both designs"):
        r = signed_rank_test(np.zeros(8))
    assert math.isnan(r["p_value"]) and r["estimate"] == 0


# --- rank-sum test ----------------------------------------------------------------------------

def test_rank_sum_exact_hollander_wolfe():
    # R: wilcox.test(x, y, conf.int=TRUE) -> W = 35, p = 0.254412254412, 0.305 (-0.15, 0.76)
    # R: wilcox.test(x, y, alternative="g") -> p = 0.127206127206
    # R: wilcox.test(x, y, conf.int=TRUE, conf.level=0.99) -> -0.35 1.01
    r = rank_sum_test(PERM_X, PERM_Y)
    assert (r["statistic"], r["p_value"]) == (35.0, pytest.approx(0.254412254412, abs=1e-12))
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((0.305, -0.15, 0.76), abs=1e-12)
    assert rank_sum_test(PERM_X, PERM_Y, alternative="greater")["p_value"] == pytest.approx(0.127206127206)
    r99 = rank_sum_test(PERM_X, PERM_Y, confidence_level=0.99)
    assert (r99["ci_low"], r99["ci_high"]) == pytest.approx((-0.35, 1.01), abs=1e-12)


def test_rank_sum_widest_exact_interval_reports_its_level():
    # R: wilcox.test(c(1.1, 2.3), c(0.4, 0.7), conf.int=TRUE) -> warning "Requested conf.level not
    #    achievable", conf.int = 0.4 1.9, attr conf.level = 0.6666667 (1 - 2 pwilcox(0, 2, 2))
    with pytest.warns(UxcxWarning, match="no 95% Hodges-Lehmann interval exists"):
        r = rank_sum_test([1.1, 2.3], [0.4, 0.7])
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.4, 1.9))
    assert r["confidence_level"] == pytest.approx(2 / 3)


def test_rank_sum_exact_choice_as_r():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=30), rng.normal(size=49)
    assert "exact" in rank_sum_test(a, b)["method"]  # scipy's "auto" would be asymptotic here
    assert "exact" not in rank_sum_test(a, rng.normal(size=50))["method"]
    with pytest.warns(UxcxWarning, match="exact Mann-Whitney p-value is impossible with ties"):
        rank_sum_test([1, 2, 2], [3, 4], exact=True)
    assert rank_sum_test(a, b, exact=False)["p_value"] == pytest.approx(
        stats.mannwhitneyu(a, b, method="asymptotic").pvalue, rel=1e-12)


def test_rank_sum_every_value_tied_warns():
    with pytest.warns(UxcxWarning, match=r"Every value in both groups is the same \(4\)"):
        r = rank_sum_test([4, 4, 4], [4, 4])
    assert math.isnan(r["p_value"])


# --- the normal-approximation interval: exact breakpoints --------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=3, max_size=25),
       st.lists(st.integers(1, 7), min_size=3, max_size=25))
def test_normal_interval_ends_are_differences_and_bracket_the_estimate(a, b):
    a, b = np.array(a, float), np.array(b, float)
    if np.ptp(np.r_[a, b]) == 0:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        r = rank_sum_test(a, b)
    diffs = np.subtract.outer(a, b).ravel()
    assert r["ci_low"] in diffs and r["ci_high"] in diffs
    assert r["ci_low"] <= r["estimate"] <= r["ci_high"]


def test_zero_width_interval_on_discrete_ratings_is_said():
    # The "0 (0 to 0)" shift: most pairs of top-heavy 1-5 ratings differ by 0.
    # R: a <- c(rep(5,30), rep(4,10), rep(3,2)); b <- c(rep(5,28), rep(4,12), rep(3,3))
    #    wilcox.test(a, b, conf.int=TRUE) -> W = 963, p = 0.521252195869,
    #    estimate 4.868e-05, conf.int -6.196e-05 1.744e-05 (all 0 to within uniroot's tolerance)
    a, b = [5] * 30 + [4] * 10 + [3] * 2, [5] * 28 + [4] * 12 + [3] * 3
    share = np.mean(np.subtract.outer(a, b) == 0)
    said = rf"zero width: {share:.0%} of the 1,806 pairwise differences equal 0"
    with pytest.warns(UxcxWarning, match=said):
        r = rank_sum_test(a, b)
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == (0.0, 0.0, 0.0)
    assert "not that it is exactly 0" in r["method"]
    assert (r["statistic"], r["p_value"]) == (963.0, pytest.approx(0.521252195869, abs=1e-12))
    # a wider spread of differences gives a proper interval and no note:
    # R: wilcox.test(c(5,5,4,5,4,5,5,4), c(5,4,5,5,4,5,4,5), conf.int=TRUE) -> 0 (-0.99994, 0.99994)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UxcxWarning)
        r = rank_sum_test([5, 5, 4, 5, 4, 5, 5, 4], [5, 4, 5, 5, 4, 5, 4, 5])
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((-0.999941947269, 0.999941947269), abs=R_TOL)
    assert "zero width" not in r["method"]


def test_exact_beyond_the_counting_limits_falls_back_to_normal_with_a_warning():
    rng = np.random.default_rng(5)
    with pytest.warns(UxcxWarning, match="exact Mann-Whitney distribution for 400 and 400 values is beyond"):
        r = rank_sum_test(rng.normal(size=400), rng.normal(size=400), exact=True)
    assert "exact" not in r["method"]
    with pytest.warns(UxcxWarning, match="exact signed-rank distribution of 1001 differences is beyond"):
        r = signed_rank_test(rng.normal(size=1001), exact=True)
    assert "exact" not in r["method"] and np.isfinite(r["log10_p_value"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 7), min_size=5, max_size=60),
       st.lists(st.integers(1, 7), min_size=5, max_size=60),
       st.sampled_from(["two-sided", "greater", "less"]), st.booleans())
def test_normal_branch_p_is_scipys_and_log10_is_its_log(a, b, alternative, correct):
    # tied ratings: both tests take R's normal branch, which scipy's asymptotic methods share
    if np.ptp(a + b) == 0:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        r = rank_sum_test(a, b, alternative=alternative, correct=correct)
    ref = stats.mannwhitneyu(a, b, alternative=alternative, use_continuity=correct,
                             method="asymptotic").pvalue
    assert r["p_value"] == pytest.approx(ref, rel=1e-9, abs=1e-15)
    assert r["log10_p_value"] == pytest.approx(math.log10(ref), rel=1e-9, abs=1e-12)
    d = np.array(a[:len(b)], float) - np.array(b[:len(a)], float)
    if np.count_nonzero(d) < 2 or len(np.unique(np.abs(d[d != 0]))) == np.count_nonzero(d) == len(d):
        return  # the exact branch (no ties, no zeros) is checked against scipy's exact above
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        s = signed_rank_test(d, alternative=alternative, correct=correct)
    ref = stats.wilcoxon(d, alternative=alternative, correction=correct, method="approx").pvalue
    assert s["p_value"] == pytest.approx(ref, rel=1e-9, abs=1e-15)
    assert s["log10_p_value"] == pytest.approx(math.log10(ref), rel=1e-9, abs=1e-12)


def test_log10_p_falls_as_the_shift_grows_past_the_double_range():
    rng = np.random.default_rng(6)
    base = rng.normal(size=1500)
    logs = [rank_sum_test(base + shift, base)["log10_p_value"] for shift in (0.05, 0.2, 1, 10)]
    assert all(np.diff(logs) < 0) and logs[-1] < -300  # complete separation: z = sqrt(3mn/(N+1))
    paired_logs = [signed_rank_test(rng.normal(shift, 1, 2000))["log10_p_value"] for shift in (0.02, 0.2, 5)]
    assert all(np.diff(paired_logs) < 0) and paired_logs[-1] < -300


# Small tied ratings, where R's interval starts at an end or its level must drop.
# R: wilcox.test(a, b, conf.int=TRUE) (rank sum) or wilcox.test(a, b, paired=TRUE, conf.int=TRUE)
#    -> p, conf.int, attr(conf.int, "conf.level")
@pytest.mark.parametrize("a, b, paired_test, p, low, high, level", [
    ([2, 1], [3, 4, 4], False, 0.1386406338, -3, -1, 0.95),
    ([2, 4, 3, 5], [3, 2, 1, 1], False, 0.1059110903, -0.9999432316, 4, 0.95),
    ([1, 5, 3, 3], [3, 4], False, 0.8057327908, -3, 2, 0.95),
    ([4, 3, 1, 5, 3, 3, 2, 1, 5], [4, 4, 3, 5, 3, 3, 3, 2, 1], True, 0.5827019821, -1.500063709, 1.500033273,
     0.9),
    ([1, 5, 5, 2, 4, 1, 4], [4, 2, 1, 5, 3, 5, 4], True, 0.9153452831, -3.499947561, 3.000054329, 0.9),
    ([4, 3], [3, 5], True, 1, -2, 1, 0.5),
])
def test_small_tied_ratings_against_r(a, b, paired_test, p, low, high, level):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        r = (signed_rank_test(np.subtract(a, b).astype(float)) if paired_test else rank_sum_test(a, b))
    assert r["p_value"] == pytest.approx(p, abs=1e-9)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high), abs=R_TOL)
    assert r["confidence_level"] == pytest.approx(level)
