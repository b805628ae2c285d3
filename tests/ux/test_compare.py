"""Tests of uxcx.ux.compare: published examples, R and scipy/statsmodels cross-checks,
properties, and the planted effects of the sample study.

R figures come from R 4.2.2 (``Rscript``); each is written next to the call that
produced it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize, samplesize_confint_proportion

from uxcx._core.results import COLUMNS
from uxcx.errors import DataError, UxcxWarning
from uxcx.ux.compare import (
    ComparisonError,
    adjust_p,
    compare_completion,
    compare_ratings,
    compare_times,
    discovery,
    hedges_g,
    sample_size_discovery,
    sample_size_margin,
    sample_size_two_proportions,
    sum_score,
)
from uxcx.ux.single_metric import _weighted

ROOT = Path(__file__).resolve().parents[2]


def two_groups(a, b, column, names=("A", "B")):
    return pd.DataFrame({"design": [names[0]] * len(a) + [names[1]] * len(b),
                         "participant": range(len(a) + len(b)), column: list(a) + list(b)})


def paired(a, b, column):
    n = len(a)
    return pd.DataFrame({"participant": list(range(n)) * 2, "design": ["A"] * n + ["B"] * n,
                         column: list(a) + list(b)})


@pytest.fixture(scope="module")
def usability(sample_study):
    return sample_study["usability"]


# --- completion: N-1 two-proportion test ------------------------------------------------------

def test_n1_two_proportion_sauro_lewis_example():
    # Sauro & Lewis (2016, ch. 5) N-1 two-proportion example: 11 of 12 vs 5 of 10.
    # R: x <- prop.test(c(11,5), c(12,10), correct=FALSE)$statistic; z <- sqrt(x*21/22)
    #    -> z = 2.13478140957, 2*pnorm(-z) = 0.03277886951
    d = two_groups([1] * 11 + [0], [1] * 5 + [0] * 5, "success")
    r = compare_completion(d, reference="B").iloc[0]
    assert r["term"] == "A \u2212 B"
    assert r["estimate"] == pytest.approx(11 / 12 - 0.5)
    assert r["statistic"] == pytest.approx(2.13478140957, abs=1e-9)
    assert r["p_value"] == pytest.approx(0.03277886951, abs=1e-9)
    assert r["n"] == 22
    assert r["effect_size"] == pytest.approx(2 * np.arcsin(np.sqrt(11 / 12)) - 2 * np.arcsin(np.sqrt(0.5)))
    assert r["effect_size_type"] == "Cohen's h"
    assert list(compare_completion(d).columns) == COLUMNS


def test_adjusted_wald_difference_is_agresti_caffo_when_z_is_2():
    # At z = 2 the z^2/4, z^2/2 adjustment adds exactly 1 success and 2 trials (Agresti & Caffo 2000).
    # R: p1 <- 12/14; p2 <- 6/12; d <- p1-p2; se <- sqrt(p1*(1-p1)/14 + p2*(1-p2)/12); c(d-2*se, d+2*se)
    #    -> 0.0131679219 0.7011177924
    d = two_groups([1] * 11 + [0], [1] * 5 + [0] * 5, "success")
    r = compare_completion(d, reference="B", confidence_level=2 * stats.norm.cdf(2) - 1).iloc[0]
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.0131679219, 0.7011177924), abs=1e-9)


def test_n1_test_one_sided_and_partial_credit():
    d = two_groups([1] * 11 + [0], [1] * 5 + [0] * 5, "success")
    two = compare_completion(d, reference="B").iloc[0]
    greater = compare_completion(d, reference="B", alternative="greater").iloc[0]
    assert greater["p_value"] == pytest.approx(two["p_value"] / 2)
    # partial successes count as `partial`: 0.5 by default
    d2 = two_groups([1, 0.5, 0.5, 0], [1, 0, 0, 0], "success")
    assert compare_completion(d2, reference="B")["estimate"][0] == pytest.approx(0.5 - 0.25)
    strict = compare_completion(d2, reference="B", partial=0)
    assert strict["estimate"][0] == pytest.approx(0.0)
    assert "partial success = 0" in strict["method"][0]


# --- completion: McNemar mid-p ----------------------------------------------------------------

def mcnemar_frame(both, only_a, only_b, neither):
    a = [1] * both + [1] * only_a + [0] * only_b + [0] * neither
    b = [1] * both + [0] * only_a + [1] * only_b + [0] * neither
    return paired(a, b, "success")


def test_mcnemar_mid_p_fagerland_example():
    # Fagerland, Lydersen & Laake (2013), worked example (Bentur et al. 2009): 1 and 7 discordant pairs;
    # mid-p 0.039, exact conditional 0.070, asymptotic 0.034.
    # R: binom.test(1, 8)$p.value -> 0.0703125; 2*pbinom(1,8,.5) - dbinom(1,8,.5) -> 0.0390625
    d = mcnemar_frame(1, 1, 7, 12)
    r = compare_completion(d, paired=True, reference="B").iloc[0]
    assert r["p_value"] == pytest.approx(0.0390625, abs=1e-12)
    assert r["statistic"] == 1
    assert r["n"] == 21
    assert r["estimate"] == pytest.approx((1 - 7) / 21)
    exact = mcnemar(np.array([[1, 1], [7, 12]]), exact=True).pvalue  # statsmodels exact conditional
    assert exact == pytest.approx(0.0703125)
    assert r["p_value"] == pytest.approx(exact - stats.binom.pmf(1, 8, 0.5))


def test_mcnemar_interval_adds_z2_over_8_to_each_cell():
    d = mcnemar_frame(10, 6, 2, 4)
    r = compare_completion(d, paired=True, reference="B").iloc[0]
    z = stats.norm.ppf(0.975)
    add, n_adj = z * z / 8, 22 + z * z / 2
    p12, p21 = (6 + add) / n_adj, (2 + add) / n_adj
    se = np.sqrt((p12 + p21 - (p12 - p21) ** 2) / n_adj)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((p12 - p21 - z * se, p12 - p21 + z * se))
    # one-sided mid-p: P(X >= 6) - P(X = 6)/2 with X ~ Bin(8, 1/2)
    g = compare_completion(d, paired=True, reference="B", alternative="greater").iloc[0]
    assert g["p_value"] == pytest.approx(stats.binom.sf(5, 8, 0.5) - 0.5 * stats.binom.pmf(6, 8, 0.5))


def test_mcnemar_rejects_partial_credit_and_warns_on_unmatched():
    d = paired([1, 0.5, 1], [0, 1, 1], "success")
    with pytest.raises(ComparisonError, match="partial=0"):
        compare_completion(d, paired=True)
    d2 = pd.concat([mcnemar_frame(3, 2, 1, 2), pd.DataFrame({"participant": [99], "design": ["A"],
                                                            "success": [1]})])
    with pytest.warns(UxcxWarning, match="left out"):
        assert compare_completion(d2, paired=True)["n"][0] == 8


# --- times ------------------------------------------------------------------------------------

def test_welch_on_log_times_against_r_and_scipy():
    # R: a <- c(40,52,38,61,45); b <- c(60,75,58,90,66); r <- t.test(log(a), log(b))
    #    -> t = -3.32477173574, df = 7.95323772936, p = 0.01055303825,
    #       exp(conf.int) = 0.51357273695 0.88671278449
    a, b = [40, 52, 38, 61, 45], [60, 75, 58, 90, 66]
    r = compare_times(two_groups(a, b, "time_s"), reference="B").iloc[0]
    assert r["statistic"] == pytest.approx(-3.32477173574, abs=1e-9)
    assert r["df"] == pytest.approx(7.95323772936, abs=1e-8)
    assert r["p_value"] == pytest.approx(0.01055303825, abs=1e-9)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.51357273695, 0.88671278449), abs=1e-9)
    assert r["estimate"] == pytest.approx(stats.gmean(a) / stats.gmean(b))
    ref = stats.ttest_ind(np.log(a), np.log(b), equal_var=False)
    assert r["p_value"] == pytest.approx(ref.pvalue)


def test_paired_t_on_log_times_against_r():
    # R: a2 <- c(40,52,38,61,45,70,33); b2 <- c(48,50,47,80,59,66,41)
    #    r <- t.test(log(a2), log(b2), paired=TRUE)
    #    -> t = -2.84395049849, df = 6, p = 0.02941407556, exp(estimate) = 0.85998110634,
    #       exp(conf.int) = 0.75530733371 0.97916102524
    a, b = [40, 52, 38, 61, 45, 70, 33], [48, 50, 47, 80, 59, 66, 41]
    r = compare_times(paired(a, b, "time_s"), paired=True, reference="B").iloc[0]
    assert (r["statistic"], r["df"], r["p_value"]) == pytest.approx(
        (-2.84395049849, 6, 0.02941407556), abs=1e-9)
    assert r["estimate"] == pytest.approx(0.85998110634, abs=1e-9)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.75530733371, 0.97916102524), abs=1e-9)
    assert r["p_value"] == pytest.approx(stats.ttest_rel(np.log(a), np.log(b)).pvalue)


def test_times_must_be_positive():
    d = two_groups([10, 0, 5], [4, -1, 6], "time_s")
    d.index = pd.RangeIndex(2, 2 + len(d), name="row")  # as loaded: spreadsheet rows
    with pytest.raises(DataError, match=r"row 3, column 'time_s': value not allowed \(time='time_s'\) "
                                        r"\(value 0\); expected a time in seconds > 0") as err:
        compare_times(d)
    assert [(p.row, p.value) for p in err.value.problems] == [(3, 0), (6, -1)]


# --- ratings ----------------------------------------------------------------------------------

def test_welch_ratings_against_r_and_hedges_g():
    # R: x <- c(6,7,5,6,7,6); y <- c(4,5,3,5,4,6); r <- t.test(x, y)
    #    -> t = 3.16227766017, df = 9.07111756168, p = 0.01139636292, conf.int = 0.47582850170 2.85750483163
    x, y = [6, 7, 5, 6, 7, 6], [4, 5, 3, 5, 4, 6]
    r = compare_ratings(two_groups(x, y, "seq"), score="seq", method="t", reference="B").iloc[0]
    assert (r["statistic"], r["df"], r["p_value"]) == pytest.approx(
        (3.16227766017, 9.07111756168, 0.01139636292), abs=1e-9)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.47582850170, 2.85750483163), abs=1e-9)
    assert r["estimate"] == pytest.approx(np.mean(x) - np.mean(y))
    sp = np.sqrt((np.var(x, ddof=1) + np.var(y, ddof=1)) / 2)
    # Hedges' g with the usual approximation J = 1 - 3/(4 df - 1) (Hedges 1981); the exact J is within 0.2%
    assert r["effect_size"] == pytest.approx((np.mean(x) - np.mean(y)) / sp * (1 - 3 / 39), rel=2e-3)


def test_mann_whitney_against_r():
    # R: x1 <- c(6.1,7.3,5.2,6.8,7.9,6.4); y1 <- c(4.2,5.5,3.1,5.9,4.8,6.6,5.0)
    #    r <- wilcox.test(x1, y1, conf.int=TRUE)
    #    -> W = 37, p = 0.02214452214, difference in location = 1.5, conf.int = 0.2 3.1
    x1, y1 = [6.1, 7.3, 5.2, 6.8, 7.9, 6.4], [4.2, 5.5, 3.1, 5.9, 4.8, 6.6, 5.0]
    r = compare_ratings(two_groups(x1, y1, "score"), score="score", method="rank", reference="B").iloc[0]
    assert r["statistic"] == 37
    assert r["p_value"] == pytest.approx(0.02214452214, abs=1e-9)
    assert r["estimate"] == pytest.approx(1.5)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.2, 3.1))
    assert r["effect_size"] == pytest.approx(2 * 37 / 42 - 1)
    assert r["p_value"] == pytest.approx(stats.mannwhitneyu(x1, y1).pvalue)


def test_wilcoxon_signed_rank_against_r_and_scipy():
    # R: wilcox.test(a2, b2, paired=TRUE, conf.int=TRUE)
    #    -> V = 3, p = 0.07540356287 (normal approximation; ties), (pseudo)median = -8.0000794
    a, b = [40, 52, 38, 61, 45, 70, 33], [48, 50, 47, 80, 59, 66, 41]
    r = compare_ratings(paired(a, b, "score"), score="score", paired=True, method="rank",
                        reference="B").iloc[0]
    assert r["statistic"] == 3
    # R's continuity correction (correct=TRUE) is the default; scipy's wilcoxon has none
    assert r["p_value"] == pytest.approx(0.07540356287, abs=1e-10)
    assert r["p_value"] == pytest.approx(stats.wilcoxon(np.subtract(a, b), correction=True,
                                                        method="approx").pvalue)
    assert r["estimate"] == pytest.approx(-8.0, abs=1e-3)
    # matched-pairs rank-biserial (Kerby 2014): (W+ - W-) / (W+ + W-) = (3 - 25) / 28
    assert r["effect_size"] == pytest.approx((3 - 25) / 28)


def test_paired_ratings_t_against_scipy():
    a, b = [5, 6, 4, 7, 6, 5, 6], [4, 6, 3, 5, 5, 5, 4]
    r = compare_ratings(paired(a, b, "seq"), score="seq", paired=True, method="t", reference="B").iloc[0]
    ref = stats.ttest_rel(a, b)
    assert (r["statistic"], r["p_value"]) == pytest.approx((ref.statistic, ref.pvalue))
    assert r["effect_size_type"] == "Hedges' g_z"


def test_auto_rule_is_stated(rng):
    skewed = two_groups(list(rng.exponential(1, 10)) + [15.0], list(rng.exponential(1, 11)), "score")
    r = compare_ratings(skewed, score="score", method="auto")
    assert r["method"][0].startswith("Mann-Whitney") and "Shapiro-Wilk p =" in r["method"][0]
    big = two_groups(rng.normal(5, 1, 20), rng.normal(5, 1, 20), "score")
    assert "auto: n >= 15" in compare_ratings(big, score="score")["method"][0]
    with pytest.raises(ComparisonError, match="method"):
        compare_ratings(big, score="score", method="u-test")


def test_hedges_g_noncentral_interval_against_r():
    # R: A <- c(5,6,7,6); B <- c(4,5,5,3); tt <- t.test(B, A, var.equal=TRUE)$statistic; df <- 6
    #    lo/hi <- uniroot(function(n) pt(tt, df, n) - 0.975 / 0.025, c(-20, 20), tol=1e-12)$root
    #    J <- exp(lgamma(df/2) - lgamma((df-1)/2))/sqrt(df/2); s <- sqrt(1/4+1/4); c(J*tt*s, J*lo*s, J*hi*s)
    #    -> -1.7084412059 -3.1967914568 -0.1371090485
    d = two_groups([5, 6, 7, 6], [4, 5, 5, 3], "seq")
    r = hedges_g(d, score="seq").iloc[0]
    assert r["term"] == "B \u2212 A"
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx(
        (-1.7084412059, -3.1967914568, -0.1371090485), abs=1e-6)


# --- several tasks and p adjustment -----------------------------------------------------------

def test_task_rows_are_holm_adjusted(rng):
    frames = []
    for k, shift in enumerate([0.0, 0.5, 1.5]):
        f = two_groups(rng.normal(5 + shift, 1, 12), rng.normal(5, 1, 12), "seq")
        frames.append(f.assign(task=f"T{k}"))
    d = pd.concat(frames, ignore_index=True)
    r = compare_ratings(d, score="seq", method="t", task="task", reference="B")
    assert r["task"].tolist() == ["T0", "T1", "T2"] and list(r.columns) == ["task", *COLUMNS]
    assert r["p_adjusted"].tolist() == pytest.approx(multipletests(r["p_value"], method="holm")[1].tolist())
    assert (r["p_adjust_method"] == "holm").all()
    bh = compare_ratings(d, score="seq", method="t", task="task", p_adjust="fdr_bh")
    expected = multipletests(bh["p_value"], method="fdr_bh")[1]
    assert bh["p_adjusted"].tolist() == pytest.approx(expected.tolist())


def test_adjust_p_does_not_mutate_and_skips_estimates():
    f = pd.DataFrame({"p_value": [0.01, np.nan, 0.02], "p_adjusted": np.nan, "p_adjust_method": None})
    before = f.copy()
    out = adjust_p(f, method="bonferroni")
    pd.testing.assert_frame_equal(f, before)
    assert out["p_adjusted"].tolist()[0] == pytest.approx(0.02) and np.isnan(out["p_adjusted"][1])
    assert out["p_adjust_method"].tolist() == ["bonferroni", None, "bonferroni"]
    assert adjust_p(f, method="none")["p_adjusted"][2] == 0.02
    with pytest.raises(ComparisonError, match="holm"):
        adjust_p(f, method="sidak-ish")


# --- properties -------------------------------------------------------------------------------

_vals = st.lists(st.floats(1, 7, allow_nan=False), min_size=3, max_size=12)


@pytest.mark.filterwarnings("ignore:Precision loss:RuntimeWarning")  # scipy, on near-constant samples
@settings(max_examples=25, deadline=None)
@given(a=_vals, b=_vals, kind=st.sampled_from(["t", "rank"]))
def test_swapping_reference_flips_sign(a, b, kind):
    d = two_groups(a, b, "seq")
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return
    one = compare_ratings(d, score="seq", method=kind, reference="A").iloc[0]
    two = compare_ratings(d, score="seq", method=kind, reference="B").iloc[0]
    assert one["term"] == "B \u2212 A" and two["term"] == "A \u2212 B"
    assert one["estimate"] == pytest.approx(-two["estimate"], abs=1e-9)
    assert (one["ci_low"], one["ci_high"]) == pytest.approx(
        (-two["ci_high"], -two["ci_low"]), abs=1e-9, nan_ok=True)
    assert one["effect_size"] == pytest.approx(-two["effect_size"], abs=1e-9, nan_ok=True)
    # a test the data leave empty (e.g. all differences tied) is empty both ways
    assert one["p_value"] == pytest.approx(two["p_value"], abs=1e-9, nan_ok=True)


@settings(max_examples=25, deadline=None)
@given(x1=st.integers(0, 12), x2=st.integers(0, 12), seed=st.integers(0, 2**16))
def test_completion_swap_and_row_order(x1, x2, seed):
    d = two_groups([1] * x1 + [0] * (12 - x1), [1] * x2 + [0] * (10 - min(x2, 10)), "success")
    one = compare_completion(d, reference="A").iloc[0]
    two = compare_completion(d, reference="B").iloc[0]
    assert one["estimate"] == pytest.approx(-two["estimate"])
    assert one["statistic"] == pytest.approx(-two["statistic"])
    assert (one["ci_low"], one["ci_high"]) == pytest.approx((-two["ci_high"], -two["ci_low"]))
    shuffled = d.sample(frac=1, random_state=seed)
    pd.testing.assert_frame_equal(compare_completion(shuffled), compare_completion(d))


def test_times_invariant_to_row_order_and_ratio_inverts(usability):
    shuffled = usability.sample(frac=1, random_state=3)
    a = compare_times(usability, task="task")
    pd.testing.assert_frame_equal(compare_times(shuffled, task="task"), a)
    b = compare_times(usability, task="task", reference="Redesign")
    assert (a["estimate"] * b["estimate"]).tolist() == pytest.approx([1.0] * 5)
    assert (a["ci_low"] * b["ci_high"]).tolist() == pytest.approx([1.0] * 5)


# --- errors -----------------------------------------------------------------------------------

def test_errors_speak_to_people():
    d = two_groups([1, 0], [1, 1], "success")
    with pytest.raises(ComparisonError, match="exactly two groups"):
        compare_completion(pd.concat([d, d.assign(design="C")]))
    with pytest.raises(DataError, match=r"column 'done': the column is missing \(success='done'\)"):
        compare_completion(d, success="done")
    with pytest.raises(ComparisonError, match="reference='Z'"):
        compare_completion(d, reference="Z")
    with pytest.raises(DataError, match=r"value not allowed \(success='success'\) \(index label 1\) "
                                        r"\(value 2\); expected 1 \(success\), 0 \(failure\) or 0.5"):
        compare_completion(d.assign(success=[1, 2, 0, 1]))
    with pytest.raises(ComparisonError, match="alternative"):
        compare_times(two_groups([1, 2], [3, 4], "time_s"), alternative="bigger")


def test_input_frame_is_not_mutated(usability):
    before = usability.copy()
    compare_times(usability)
    sum_score(usability, by=["design", "task"], n_boot=50)
    pd.testing.assert_frame_equal(usability, before)


# --- planning ---------------------------------------------------------------------------------

def test_problem_discovery_published_value():
    # Sauro & Lewis (2016, ch. 7), problem discovery: p = 0.10 and a 90% goal need n = 22.
    assert sample_size_discovery(0.10, 0.90) == 22
    assert discovery(0.10, 22) >= 0.90 > discovery(0.10, 21)
    # Nielsen & Landauer's p = 0.31: five users see 84% of such problems (1 - 0.69^5).
    assert discovery(0.31, 5) == pytest.approx(1 - 0.69 ** 5)
    assert sample_size_discovery(0.5, 0.75) == 2  # exact boundary: 1 - 0.5^2 = 0.75
    np.testing.assert_allclose(discovery(np.array([0.1, 0.2]), 10), 1 - np.array([0.9, 0.8]) ** 10)


def test_margin_of_error_sample_size():
    # Wald: statsmodels samplesize_confint_proportion(0.5, 0.1) -> 96.036..., so 97
    assert samplesize_confint_proportion(0.5, 0.1) == pytest.approx(96.0365, abs=1e-3)
    assert sample_size_margin(0.5, 0.10, method="wald") == 97
    # adjusted Wald (Sauro & Lewis 2016, ch. 7): z^2 p q / d^2 - z^2 = 96.04 - 3.84 = 92.2 -> 93
    assert sample_size_margin(0.5, 0.10) == 93
    with pytest.raises(ComparisonError, match="margin"):
        sample_size_margin(0.5, 10)


def test_two_proportion_sample_size_against_r_and_statsmodels():
    # R: power.prop.test(p1=.5, p2=.75, power=.8)$n -> 57.67343973;
    #    power.prop.test(p1=.7, p2=.9, power=.9)$n -> 81.96206036;
    #    power.prop.test(p1=.5, p2=.75, power=.8, alternative="one.sided")$n -> 45.31090667
    assert sample_size_two_proportions(0.5, 0.75) == 58
    assert sample_size_two_proportions(0.7, 0.9, power=0.9) == 82
    assert sample_size_two_proportions(0.75, 0.5, alternative="greater") == 46
    h = proportion_effectsize(0.75, 0.5)
    n = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8)
    assert sample_size_two_proportions(0.5, 0.75, method="arcsine") == int(np.ceil(n))
    assert abs(sample_size_two_proportions(0.5, 0.75, method="arcsine") - 58) <= 2
    with pytest.raises(ComparisonError, match="expects p1 > p2"):
        sample_size_two_proportions(0.5, 0.75, alternative="greater")


# --- SUM --------------------------------------------------------------------------------------

def sum_data():
    return pd.DataFrame({"participant": [1, 2, 3, 4] * 2, "task": ["A"] * 4 + ["B"] * 4,
                         "success": [1, 1, 0, 1, 1, 1, 1, 0], "time_s": [30, 40, 55, 35, 60, 70, 65, 90],
                         "errors": [0, 1, 2, 0, 0, 0, 1, 3], "seq": [6, 6, 3, 7, 5, 6, 6, 2]})


def test_sum_components_by_hand():
    d = sum_data()
    r = sum_score(d, time_spec={"A": 45, "B": 75}, error_opportunities=5, n_boot=100)
    r = r.set_index(["task", "term"])
    a = d[d.task == "A"]
    lt = np.log(a.time_s)
    expected = {"completion": 0.75,
                "time": stats.norm.cdf((np.log(45) - lt.mean()) / lt.std(ddof=1)),
                "errors": 1 - 3 / 20,
                "satisfaction": stats.norm.cdf((a.seq.mean() - 5.5) / a.seq.std(ddof=1))}
    for k, v in expected.items():
        assert r.loc[("A", k), "estimate"] == pytest.approx(v)
    assert r.loc[("A", "SUM"), "estimate"] == pytest.approx(np.mean(list(expected.values())))
    assert r.loc[("All tasks", "SUM"), "estimate"] == pytest.approx(
        (r.loc[("A", "SUM"), "estimate"] + r.loc[("B", "SUM"), "estimate"]) / 2)
    assert (r["ci_low"] <= r["estimate"] + 1e-12).all() and (r["estimate"] <= r["ci_high"] + 1e-12).all()


def test_sum_bootstrap_is_seeded_and_weighted_stats_match_resampling(rng):
    d = sum_data()
    def run(seed):
        return sum_score(d, time_spec=50, error_opportunities=5, seed=seed, n_boot=300)

    pd.testing.assert_frame_equal(run(7), run(7))
    assert not run(7)["ci_low"].equals(run(8)["ci_low"])
    # the multinomial-weight formulas equal the statistics of the explicitly resampled rows
    x = rng.normal(size=(6, 2))
    counts = np.array([[2, 0, 1, 1, 0, 2]], dtype=float)
    _, mean, sd = _weighted(counts, x, np.ones_like(x))
    rows = np.repeat(x, counts[0].astype(int), axis=0)
    assert mean[0] == pytest.approx(rows.mean(axis=0)) and sd[0] == pytest.approx(rows.std(axis=0, ddof=1))


def test_sum_default_rules_and_three_metric_version():
    d = sum_data()
    with pytest.warns(UxcxWarning, match="errors are left out"):
        r = sum_score(d, n_boot=50)
    assert set(r["term"]) == {"completion", "time", "satisfaction", "SUM"}
    assert "geometric mean time of successful attempts" in r.loc[r.term == "time", "method"].iloc[0]
    r2 = sum_score(d.assign(optimal_clicks=4), n_boot=50)
    assert "optimal clicks" in r2.loc[r2.term == "errors", "method"].iloc[0]
    with pytest.raises(ComparisonError, match="no value for task"):
        sum_score(d, time_spec={"A": 40}, error_opportunities=5)


# --- the sample study's planted effects (data/sample/README.md) -------------------------------

def test_sample_redesign_raises_completion(usability):
    # Planted: logit shift +1.0; realised completion with partial = 0.5: 65.0% vs 85.3%.
    with pytest.warns(UxcxWarning, match="several attempts"):
        r = compare_completion(usability).iloc[0]
    assert r["term"] == "Redesign \u2212 Current"
    assert r["estimate"] == pytest.approx(0.853 - 0.650, abs=0.002)
    assert r["p_value"] < 0.05 and r["ci_low"] > 0
    per_task = compare_completion(usability, task="task")
    assert (per_task["estimate"] > 0).all()
    assert per_task.set_index("task").loc["Checkout", "p_adjusted"] < 0.05


def test_sample_redesign_cuts_time(usability):
    # Planted: geometric-mean time x 0.8; README realised 0.768 (all attempts).
    r = compare_times(usability).iloc[0]
    assert "participant means" in r["method"]
    assert r["p_value"] < 0.05 and r["ci_high"] < 1 and r["ci_low"] < 0.8 < r["ci_high"]
    per_task = compare_times(usability, task="task")
    assert (per_task["estimate"] < 1).all()


def test_sample_sum_favours_redesign(usability):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = sum_score(usability, by=["design", "task"], n_boot=500, seed=1)
    overall = r[(r.task == "All tasks") & (r.term == "SUM")].set_index("design")
    assert overall.loc["Redesign", "estimate"] > overall.loc["Current", "estimate"]
    assert overall.loc["Redesign", "ci_low"] > overall.loc["Current", "ci_high"]
    assert list(r.columns[:2]) == ["design", "task"]
