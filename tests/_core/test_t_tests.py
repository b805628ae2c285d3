"""Tests of uxcx._core.t_tests: Welch, Student's pooled and paired t as R's t.test, in log space,
and constant data in the kit's words (R 4.2.2, ``Rscript``; each call beside its value)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from uxcx._core.t_tests import t_compare
from uxcx.errors import UxcxWarning

X, Y = np.array([6, 7, 5, 6, 7, 6.0]), np.array([4, 5, 3, 5, 4, 6.0])


def run(a, b, **kw):
    options = dict(paired=False, equal_var=False, alternative="two-sided", confidence_level=0.95)
    return t_compare(np.asarray(a, float), np.asarray(b, float), **{**options, **kw})


def test_student_pooled_t_against_r():
    # R: t.test(c(6,7,5,6,7,6), c(4,5,3,5,4,6), var.equal=TRUE)
    #    -> t = 3.16227766017, df = 10, p = 0.0101195597354, conf.int = 0.492334380768 2.84099895256
    r = run(X, Y, equal_var=True)
    assert (r["statistic"], r["df"], r["p_value"]) == pytest.approx((3.16227766017, 10, 0.0101195597354),
                                                                    abs=1e-11)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.492334380768, 2.84099895256), abs=1e-11)
    assert r["name"] == "Student's t test (pooled variance)"
    # R: t.test(..., var.equal=TRUE, alternative="less") -> p = 0.994940220132
    less = run(X, Y, equal_var=True, alternative="less")
    assert less["p_value"] == pytest.approx(0.994940220132, abs=1e-11)


def test_welch_and_paired_agree_with_scipy():
    welch = run(X, Y)
    ref = stats.ttest_ind(X, Y, equal_var=False)
    assert (welch["statistic"], welch["df"], welch["p_value"]) == pytest.approx(
        (ref.statistic, ref.df, ref.pvalue))
    pair = run(X, Y, paired=True, alternative="greater")
    ref = stats.ttest_rel(X, Y, alternative="greater")
    assert (pair["statistic"], pair["p_value"]) == pytest.approx((ref.statistic, ref.pvalue))


@settings(max_examples=60, deadline=None)
@given(st.floats(-40, 40), st.integers(2, 60), st.sampled_from(["two-sided", "greater", "less"]))
def test_log10_p_equals_log10_of_the_ordinary_p(shift, n, alternative):
    rng = np.random.default_rng(n)
    a, b = rng.normal(shift, 1, n), rng.normal(0, 1, n + 3)
    r = run(a, b, alternative=alternative, equal_var=True)
    ordinary = stats.ttest_ind(a, b, alternative=alternative).pvalue
    assert r["p_value"] > 0 and math.isfinite(r["log10_p_value"])
    if ordinary > 1e-290:
        assert r["log10_p_value"] == pytest.approx(math.log10(ordinary), rel=1e-7, abs=1e-12)


def test_log10_p_falls_as_the_difference_grows_even_past_the_double_range():
    base = np.tile([-1.0, 0.0, 1.0], 30)
    logs = [run(base + shift, base, equal_var=True)["log10_p_value"] for shift in (1, 10, 100, 1000, 1e4)]
    assert all(np.diff(logs) < 0) and logs[-1] < -300
    assert run(base + 1e4, base, equal_var=True)["p_value"] > 0


def test_identical_groups_warn_in_the_kits_words_not_scipys():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = run([5, 5, 5, 5], [5, 5, 5, 5])
    kinds = {type(w.message) for w in caught}
    assert RuntimeWarning not in kinds  # scipy's "Precision loss occurred in moment calculation"
    assert any("essentially constant" in str(w.message) for w in caught)
    assert math.isnan(r["p_value"]) and math.isnan(r["ci_low"]) and r["estimate"] == 0
    # R refuses too: t.test(c(.1,.1,.1), c(.1,.1,.1)) -> "data are essentially constant"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run([0.1] * 3, [0.1] * 3, equal_var=True)
    assert [str(w.message).split(":")[0] for w in caught] == ["The t test is undefined"]
    assert "the ratings of both groups do not vary" in str(caught[0].message)
    with pytest.warns(UxcxWarning, match="the paired differences do not vary"):
        run([5, 6, 7], [4, 5, 6], paired=True)


def test_a_constant_group_is_named():
    with pytest.warns(UxcxWarning, match="Every rating of design Redesign is 7: that group has no spread"):
        r = run([7, 7, 7, 7], [4, 6, 5, 3], names=("design Redesign", "design Current"))
    # R: t.test(c(7,7,7,7), c(4,6,5,3)) -> t = 3.87298334621, df = 3, p = 0.0304662916622
    assert (r["statistic"], r["df"], r["p_value"]) == pytest.approx((3.87298334621, 3, 0.0304662916622),
                                                                    abs=1e-10)
