"""Tests of uxcx.ux: published worked examples, scipy/statsmodels cross-checks, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import uxcx
from uxcx import ux
from uxcx._core.results import COLUMNS
from uxcx.errors import DataError, SmallSampleWarning, UxcxError

SM_METHOD = {"adjusted-wald": "agresti_coull", "wilson": "wilson", "exact": "beta"}


def attempts(x: int, n: int, **extra) -> pd.DataFrame:
    """n attempts of which the first x succeeded."""
    return pd.DataFrame({"success": [1] * x + [0] * (n - x), **extra})


def counts_frame(xs, ns) -> pd.DataFrame:
    """One group per (x, n) pair, long form: group g has n_g attempts, x_g successes."""
    groups = np.repeat(np.arange(len(ns)), ns)
    position = np.concatenate([np.arange(n) for n in ns]) if len(ns) else np.array([], int)
    success = (position < np.repeat(xs, ns)).astype(float)
    return pd.DataFrame({"g": groups, "success": success})


@pytest.fixture(scope="module")
def usability(sample_study):
    return sample_study["usability"]


# --- published worked examples ---------------------------------------------------------------

@pytest.mark.parametrize(("x", "n", "level", "low", "high", "source"), [
    (4, 5, 0.95, 0.36, 0.98, "Sauro & Lewis 2005, HFES: 4 of 5 -> 36%-98%"),
    (1, 5, 0.95, 0.02, 0.64, "MeasuringU, '10 things to know about completion rates': 1 of 5 -> 2%-64%"),
    (7, 10, 0.95, 0.39, 0.90, "UX Magazine art. 850 (2012), adjusted-Wald: 7 of 10 -> about 39%-90%"),
])
def test_adjusted_wald_published(x, n, level, low, high, source):
    r = ux.completion_rate(attempts(x, n), confidence_level=level)
    assert r.loc[0, "estimate"] == pytest.approx(x / n)
    assert (round(r.loc[0, "ci_low"], 2), round(r.loc[0, "ci_high"], 2)) == (low, high), source


def test_adjusted_wald_ten_of_ten_one_sided_95():
    # Sauro 2011, "What is a good task-completion rate?" (MeasuringU): 10 of 10 -> "95% confident
    # between 75% and 100%", i.e. the lower bound of the two-sided 90% adjusted-Wald interval.
    r = ux.completion_rate(attempts(10, 10), confidence_level=0.90)
    assert round(r.loc[0, "ci_low"], 2) == 0.75
    assert r.loc[0, "ci_high"] == 1.0
    assert r.loc[0, "method"] == "adjusted-wald; partial=0.5 (bound clipped)"


@pytest.mark.parametrize(("x", "n", "estimate", "rule"), [
    # darrellpenta/UserTests README (an R implementation of Lewis & Sauro 2006): 7 of 17 -> Wilson
    # 42.8%, interval 21.56%-64.05%; 2 of 8 -> Wilson 33.1%; 7 of 8 -> MLE 87.5%.
    (7, 17, 0.428, "wilson"),
    (2, 8, 0.331, "wilson"),
    (7, 8, 0.875, "mle"),
    # Lewis & Sauro 2006 rule by hand: 5 of 5 -> Laplace 6/7; 19 of 20 (0.95 > 0.9) -> Laplace 20/22;
    # 9 of 10 (exactly 0.9, "between .5 and .9") -> MLE; 5 of 10 (<= .5) -> Wilson 6.92/13.84.
    (5, 5, 6 / 7, "laplace"),
    (19, 20, 20 / 22, "laplace"),
    (9, 10, 0.9, "mle"),
    (5, 10, (5 + 1.959964**2 / 2) / (10 + 1.959964**2), "wilson"),
])
def test_best_point_estimate(x, n, estimate, rule):
    r = ux.completion_rate(attempts(x, n), point="best")
    assert r.loc[0, "estimate"] == pytest.approx(estimate, abs=5e-4)
    assert f"best point estimate: {rule}" in r.loc[0, "method"]


def test_seven_of_seventeen_interval_against_usertests():
    # darrellpenta/UserTests README: completion(.success=7, .trials=17) -> low 21.56, high 64.05 (%).
    r = ux.completion_rate(attempts(7, 17))
    assert (round(100 * r.loc[0, "ci_low"], 2), round(100 * r.loc[0, "ci_high"], 2)) == (21.56, 64.05)


def test_geometric_mean_time_published():
    # Sauro & Lewis 2016, ch. 3 (and MeasuringU): 55, 65, 75, 62, 45, 135 s -> geometric mean 68 s,
    # 95% CI 46-101 s.
    r = ux.task_time(pd.DataFrame({"time_s": [55, 65, 75, 62, 45, 135]}), successful_only=False)
    assert r.loc[0, "term"] == "geometric_mean_time"
    assert [round(r.loc[0, c]) for c in ("estimate", "ci_low", "ci_high")] == [68, 46, 101]
    assert r.loc[0, "method"] == "geometric; t interval of log times, back-transformed; all attempts"


def test_lostness_published():
    # Tullis & Albert 2008, ch. 4, figs. 4.7-4.8 (Smith 1996's measure): N = 6, S = 9, R = 3 -> 0.60.
    d = pd.DataFrame({"pages_unique": [6], "pages_total": [9], "pages_min": [3]})
    assert round(ux.lostness_score(d).iloc[0], 2) == 0.60
    assert ux.lostness_score(d).iloc[0] == pytest.approx(np.sqrt((6 / 9 - 1) ** 2 + (3 / 6 - 1) ** 2))


# --- cross-checks with statsmodels and scipy --------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(ns=st.lists(st.integers(1, 60), min_size=1, max_size=8), data=st.data(),
       level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_intervals_against_statsmodels(ns, data, level):
    xs = [data.draw(st.integers(0, n)) for n in ns]
    frame = counts_frame(xs, ns)
    for method, sm in SM_METHOD.items():
        r = ux.completion_rate(frame, by="g", method=method, confidence_level=level)
        low, high = proportion_confint(np.array(xs), np.array(ns), alpha=1 - level, method=sm)
        np.testing.assert_allclose(r["ci_low"], np.clip(low, 0, 1), atol=1e-9)
        np.testing.assert_allclose(r["ci_high"], np.clip(high, 0, 1), atol=1e-9)
        np.testing.assert_array_equal(r["n"], ns)


@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_exact_benchmark_against_scipy(alternative):
    xs, ns = [0, 3, 8, 9, 12, 20], [5, 10, 9, 10, 20, 20]
    r = ux.completion_benchmark(counts_frame(xs, ns), by="g", benchmark=0.7, method="exact",
                                alternative=alternative)
    for row, x, n in zip(r.itertuples(), xs, ns):
        test = stats.binomtest(x, n, 0.7, alternative=alternative)
        ci = test.proportion_ci(0.95, method="exact")
        assert row.p_value == pytest.approx(test.pvalue)
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high))
        assert row.statistic == x and row.alternative == alternative


@pytest.mark.parametrize("alternative", ["greater", "less"])
def test_mid_p_is_exact_minus_half_the_observed(alternative):
    # Lancaster's mid-p: the exact one-sided p value (scipy.stats.binomtest) less half P(X = x).
    xs, ns = [0, 3, 8, 9, 12, 20], [5, 10, 9, 10, 20, 20]
    r = ux.completion_benchmark(counts_frame(xs, ns), by="g", benchmark=0.7, alternative=alternative)
    expected = [stats.binomtest(x, n, 0.7, alternative=alternative).pvalue - 0.5 * stats.binom.pmf(x, n, 0.7)
                for x, n in zip(xs, ns)]
    np.testing.assert_allclose(r["p_value"], expected, rtol=1e-10)


@pytest.mark.parametrize("method", ["exact", "mid-p"])
@pytest.mark.parametrize("alternative", ["greater", "less", "two-sided"])
def test_benchmark_log10_p_is_the_log_of_p(method, alternative):
    xs, ns = [0, 3, 8, 9, 12, 20], [5, 10, 9, 10, 20, 20]
    r = ux.completion_benchmark(counts_frame(xs, ns), by="g", benchmark=0.7, method=method,
                                alternative=alternative)
    cols = list(r.columns)
    assert cols[cols.index("p_value") + 1] == "log10_p_value"
    np.testing.assert_allclose(r["log10_p_value"], np.log10(r["p_value"]), rtol=1e-9, atol=1e-12)


def test_benchmark_p_below_the_floating_point_range_against_R():
    # 18,000 of 20,000 against 10% (issue 13): scipy's p underflows to 0.
    # R: pbinom(17999, 20000, 0.1, lower.tail = FALSE, log.p = TRUE) / log(10) = -15269.9015008
    d = attempts(18000, 20000)
    exact = ux.completion_benchmark(d, benchmark=0.1, method="exact").iloc[0]
    assert exact["log10_p_value"] == pytest.approx(-15269.9015008, rel=1e-10)
    assert exact["p_value"] > 0 and "p < 1e-300" in exact["method"]
    # mid-p: P(X > x) + P(X = x) / 2, below the exact P(X >= x) by less than log10(2)
    mid = ux.completion_benchmark(d, benchmark=0.1).iloc[0]
    assert -np.log10(2) < mid["log10_p_value"] - exact["log10_p_value"] < 0


def test_mid_p_book_style_example():
    # 8 of 9 against 70%, one-sided: exact P(X >= 8) = 9(.7^8)(.3) + .7^9 = 0.1960 (by hand);
    # mid-p = 0.1556/2 + 0.0404 = 0.1182.
    r = ux.completion_benchmark(attempts(8, 9), benchmark=0.7)
    assert r.loc[0, "p_value"] == pytest.approx(9 * 0.7**8 * 0.3 / 2 + 0.7**9)
    assert round(r.loc[0, "p_value"], 4) == 0.1182
    assert r.loc[0, "effect_size"] == pytest.approx(8 / 9 - 0.7)
    assert r.loc[0, "ci_high"] == 1.0  # one-sided interval for a one-sided test


def test_mid_p_interval_inverts_the_test():
    # At the lower bound the upper-tail mid-p value equals alpha/2 (two-sided); found here
    # independently with scipy.optimize.brentq.
    from scipy.optimize import brentq

    x, n = 7, 12
    r = ux.completion_benchmark(attempts(x, n), benchmark=0.5, alternative="two-sided")
    def upper(p):
        return stats.binom.sf(x, n, p) + 0.5 * stats.binom.pmf(x, n, p) - 0.025

    def lower(p):
        return stats.binom.cdf(x - 1, n, p) + 0.5 * stats.binom.pmf(x, n, p) - 0.025
    assert r.loc[0, "ci_low"] == pytest.approx(brentq(upper, 1e-9, 1 - 1e-9), abs=1e-9)
    assert r.loc[0, "ci_high"] == pytest.approx(brentq(lower, 1e-9, 1 - 1e-9), abs=1e-9)


@settings(max_examples=20, deadline=None)
@given(values=st.lists(st.floats(1, 1000, allow_nan=False), min_size=6, max_size=80),
       level=st.sampled_from([0.9, 0.95]))
def test_median_interval_against_scipy_quantile_test(values, level):
    d = pd.DataFrame({"time_s": values})
    r = ux.task_time(d, method="median", successful_only=False, confidence_level=level)
    median = np.median(values)
    ci = stats.quantile_test(values, q=median, p=0.5).confidence_interval(level)
    assert r.loc[0, "estimate"] == pytest.approx(median)
    if np.isfinite(ci.low):
        assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx((ci.low, ci.high))


def test_median_interval_ranks_for_ten():
    # Binomial(10, 1/2): P(B <= 1) = 11/1024, P(B <= 2) = 56/1024, so the 95% interval is
    # [x_(2), x_(9)] with coverage 1 - 22/1024 (Conover 1999, sec. 3.2).
    r = ux.task_time(pd.DataFrame({"time_s": np.arange(1.0, 11.0)}), method="median", successful_only=False)
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == (2.0, 9.0)
    assert f"coverage {1 - 22 / 1024:.3f}" in r.loc[0, "method"]


def test_mean_time_and_geometric_against_scipy(rng):
    t = np.exp(rng.normal(4, 0.5, 15))
    d = pd.DataFrame({"time_s": t})
    mean = ux.task_time(d, method="mean", successful_only=False)
    ci = stats.ttest_1samp(t, 0).confidence_interval(0.95)
    assert (mean.loc[0, "ci_low"], mean.loc[0, "ci_high"]) == pytest.approx((ci.low, ci.high))
    assert mean.loc[0, "std_error"] == pytest.approx(stats.sem(t))
    geo = ux.task_time(d, successful_only=False)
    ci = stats.ttest_1samp(np.log(t), 0).confidence_interval(0.95)
    assert geo.loc[0, "estimate"] == pytest.approx(stats.gmean(t))
    assert (geo.loc[0, "ci_low"], geo.loc[0, "ci_high"]) == pytest.approx((np.exp(ci.low), np.exp(ci.high)))


# --- properties -------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(success=st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=1, max_size=40),
       method=st.sampled_from(["adjusted-wald", "wilson", "exact"]),
       point=st.sampled_from(["observed", "best"]), partial=st.sampled_from([0, 0.5, 1]),
       level=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_interval_contains_estimate(success, method, point, partial, level):
    r = ux.completion_rate(pd.DataFrame({"success": success}), method=method, point=point,
                           partial=partial, confidence_level=level)
    row = r.iloc[0]
    assert 0 <= row.ci_low <= row.estimate <= row.ci_high <= 1


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_results_invariant_to_row_order(usability, seed):
    shuffled = usability.sample(frac=1, random_state=np.random.default_rng(seed))
    for fn, kwargs in [(ux.completion_rate, {}), (ux.task_time, {}), (ux.task_time, {"method": "median"}),
                       (ux.errors, {}), (ux.clicks, {}), (ux.abandonment, {}),
                       (ux.completion_benchmark, {})]:
        a = fn(usability, by=["task", "design"], **kwargs)
        b = fn(shuffled, by=["task", "design"], **kwargs)
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
    pd.testing.assert_series_equal(ux.long_times(usability), ux.long_times(shuffled).loc[usability.index])


def test_quick_coverage_adjusted_wald(rng):
    # 2,000 simulated tests of n = 10 at p = 0.7, all in one call (2,000 groups): Sauro & Lewis 2005
    # report adjusted-Wald coverage close to 95% at small n; the exact coverage here is 0.953.
    x = rng.binomial(10, 0.7, size=2000)
    r = ux.completion_rate(counts_frame(x, np.full(2000, 10)), by="g")
    coverage = np.mean((r["ci_low"] <= 0.7) & (0.7 <= r["ci_high"]))
    assert 0.93 <= coverage <= 0.98


# --- the sample study's planted effects (data/sample/README.md) -------------------------------

def test_sample_study_design_effects(usability):
    comp = ux.completion_rate(usability, by="design").set_index("design")
    # README "Realised figures" (all 300 rows): partial = 0.5 gives 65.0% / 85.3%, Success = Yes
    # 64.0% / 84.0%. The loaded frame lacks the planted time-0 row (a Redesign success), so the
    # Redesign figures here are of 149 attempts: 127/149 and 125/149.
    assert comp.loc["Current", "estimate"] == pytest.approx(0.650, abs=5e-4)
    assert comp.loc["Redesign", "estimate"] == pytest.approx(127 / 149)
    assert comp.loc["Redesign", "ci_low"] > comp.loc["Current", "ci_high"]
    strict = ux.completion_rate(usability, by="design", partial=0).set_index("design")["estimate"]
    assert strict.tolist() == pytest.approx([0.640, 125 / 149])
    time = ux.task_time(usability, by="design", successful_only=False).set_index("design")["estimate"]
    # README: geometric-mean time Redesign / Current (times > 0) = 0.768 (planted 0.8).
    assert time["Redesign"] / time["Current"] == pytest.approx(0.768, abs=5e-4)
    geo = ux.task_time(usability, by="design").set_index("design")
    assert geo.loc["Redesign", "estimate"] < geo.loc["Current", "estimate"]
    err = ux.errors(usability, by="design")
    mean_err = err[err["term"] == "mean_errors"].set_index("design")["estimate"]
    assert mean_err["Redesign"] < mean_err["Current"]  # planted factor 0.7
    ab = ux.abandonment(usability).loc[0]
    assert round(ab.estimate * ab.n) == 37  # README: 37 abandoned attempts


# --- options, missing values, partial credit --------------------------------------------------

def test_partial_credit_and_missing_counted():
    d = pd.DataFrame({"success": [1, 0.5, 0.5, 0, None, np.nan]})
    for partial, x in [(0, 1), (0.5, 2), (1, 3)]:
        r = ux.completion_rate(d, partial=partial)
        assert r.loc[0, "n"] == 4 and r.loc[0, "estimate"] == pytest.approx(x / 4)
        assert r.loc[0, "method"] == f"adjusted-wald; partial={partial:g}; 2 missing left out"


def test_grouping_columns_first_and_schema(usability):
    r = ux.clicks(usability, by=["design", "device"])
    assert list(r.columns) == ["design", "device", *COLUMNS]
    assert r["term"].tolist()[:3] == ["mean_clicks", "median_clicks", "path_ratio"]
    assert len(r) == 12
    ratio = r[r["term"] == "path_ratio"]
    assert (ratio["estimate"] >= 1).all()


def test_path_ratio_by_hand():
    d = pd.DataFrame({"clicks": [4, 6, 5, 8, np.nan], "optimal_clicks": [4, 4, 5, 4, 4]})
    r = ux.clicks(d).set_index("term")
    assert r.loc["path_ratio", "estimate"] == pytest.approx(np.mean([1, 1.5, 1, 2]))
    assert r.loc["mean_clicks", "n"] == 4


def test_long_times_flags_never_removes():
    d = pd.DataFrame({"task": ["A"] * 8 + ["B"] * 4,
                      "time_s": [40, 42, 45, 47, 50, 44, 41, 400, 100, 110, 120, np.nan]})
    flags = ux.long_times(d)
    assert flags.index.equals(d.index) and flags.dtype == bool
    assert flags.tolist() == [False] * 7 + [True] + [False] * 4
    logs = np.log(d["time_s"][:8])
    q1, q3 = logs.quantile([0.25, 0.75])
    assert logs.iloc[7] > q3 + 3 * (q3 - q1)  # the rule, by hand
    assert not ux.long_times(d, k=30).any()


def test_successful_only_uses_full_successes():
    d = pd.DataFrame({"success": [1, 1, 0.5, 0], "time_s": [10.0, 40.0, 1000.0, 1000.0]})
    r = ux.task_time(d)
    assert r.loc[0, "n"] == 2 and r.loc[0, "estimate"] == pytest.approx(20.0)
    assert r.loc[0, "method"].endswith("successful attempts only")


def test_package_exports():
    # uxcx.errors is the module of error classes, so the package exports the metric as task_errors.
    assert uxcx.task_errors is ux.errors is ux.task_errors
    assert uxcx.completion_rate is ux.completion_rate and uxcx.lostness is ux.lostness


def test_does_not_mutate_input(usability):
    before = usability.copy()
    ux.completion_rate(usability, by="task", point="best")
    ux.task_time(usability, by="task", method="median")
    ux.long_times(usability)
    pd.testing.assert_frame_equal(usability, before)


# --- errors for people ------------------------------------------------------------------------

def test_bad_success_values_all_reported():
    d = pd.DataFrame({"success": [1, 2, "yes", 0, 0.3]}, index=pd.Index([2, 3, 4, 5, 6], name="row"))
    with pytest.raises(DataError) as err:
        ux.completion_rate(d)
    assert [(p.row, p.value) for p in err.value.problems] == [(3, 2), (4, "yes"), (6, 0.3)]


def test_missing_column_and_bad_options():
    d = attempts(3, 5)
    with pytest.raises(DataError, match="'task'"):
        ux.completion_rate(d, by="task")
    with pytest.raises(UxcxError, match="method must be one of .*got 'wald'"):
        ux.completion_rate(d, method="wald")
    with pytest.raises(UxcxError, match="confidence_level"):
        ux.completion_rate(d, confidence_level=95)
    with pytest.raises(UxcxError, match="partial"):
        ux.completion_benchmark(d, partial=0.5)
    with pytest.raises(UxcxError, match="benchmark"):
        ux.completion_benchmark(d, benchmark=78)


def test_nonpositive_times_and_bad_lostness_counts():
    with pytest.raises(DataError, match="greater than 0"):
        ux.task_time(pd.DataFrame({"time_s": [10, 0, -3]}), successful_only=False)
    d = pd.DataFrame({"pages_unique": [6, 9], "pages_total": [9, 6], "pages_min": [3, 3]})
    with pytest.raises(DataError, match="more different pages"):
        ux.lostness(d)


def test_small_samples_warn():
    with pytest.warns(SmallSampleWarning):
        r = ux.task_time(pd.DataFrame({"time_s": [30.0]}), successful_only=False)
    assert np.isnan(r.loc[0, "ci_low"]) and r.loc[0, "estimate"] == pytest.approx(30.0)
    with pytest.warns(SmallSampleWarning):
        r = ux.task_time(pd.DataFrame({"time_s": [1.0, 2, 3, 4, 5]}), method="median", successful_only=False)
    assert np.isnan(r.loc[0, "ci_low"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ux.completion_rate(attempts(1, 1))  # one attempt still has an interval


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("n", [1, 4, 7, 30])
def test_wilson_bounds_at_zero_and_all_successes_are_exact(n, level):
    # Found by hypothesis on a clean clone: rounding left the lower bound 5.6e-17 above 0.
    none = ux.completion_rate(pd.DataFrame({"success": [0.0] * n}), method="wilson", confidence_level=level)
    every = ux.completion_rate(pd.DataFrame({"success": [1.0] * n}), method="wilson", confidence_level=level)
    assert none.loc[0, "ci_low"] == 0.0 and every.loc[0, "ci_high"] == 1.0
