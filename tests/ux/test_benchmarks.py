"""Tests of the benchmark tests and medians of scores: uxcx.mean_benchmark (and sus/seq/umux_lite/
mean_score with benchmark=), uxcx.median_score, the degenerate-input rules of uxcx._core.benchmark.
Values pinned to R 4.x on real SUS and survey data from ../shared/realdata (SOURCES.md)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import uxcx
from uxcx._core.benchmark import cohens_d_interval
from uxcx.errors import DataError, SmallSampleWarning, UxcxError, UxcxWarning

SUS_ITEMS = [f"sus_{i}" for i in range(1, 11)]
AGREEMENT = {"Strongly Disagree": 1, "Disagree": 2, "Neither Agree nor Disagree": 3, "Agree": 4,
             "Strongly Agree": 5}


@pytest.fixture
def jpfolador(realdata) -> pd.DataFrame:
    """36 SUS questionnaires (jpfolador/susEvaluation), items as sus_1..sus_10, age band kept."""
    raw = pd.read_csv(realdata / "sus" / "jpfolador_susEvaluation_usability-db-en.csv", sep=";")
    items = raw.iloc[:, 4:14].set_axis(SUS_ITEMS, axis=1)
    return items.assign(age=raw.iloc[:, 1])


@pytest.fixture
def welcoming(realdata) -> pd.DataFrame:
    """Carpentries instructor-training survey: 'the atmosphere was welcoming' on 1-5 (909 answers)."""
    raw = pd.read_csv(realdata / "nps_csat" / "carpentries" / "instructor-training_20180908_post_clean.csv")
    rating = raw["AtmosphereWelcoming"].map(AGREEMENT)
    frame = pd.DataFrame({"loyalty_welcoming": rating, "when": raw["WhenTaking"]})
    return frame.dropna(subset=["loyalty_welcoming"])


# --- SUS against 68 ------------------------------------------------------------------------------

# R 4.x on the 36 scores (odd items x - 1, even 5 - x, sum x 2.5): t.test(sus, mu = 68, alternative = ...)
R_SUS = {"two-sided": (6.43423975409, 2.07742969602e-07, 78.2577478323, 87.7144743899),
         "greater": (6.43423975409, 1.03871484801e-07, 79.0508955223, np.inf),
         "less": (6.43423975409, 0.999999896129, -np.inf, 86.9213266999)}


@pytest.mark.parametrize("alternative", list(R_SUS))
def test_sus_against_68_against_R(jpfolador, alternative):
    t, p, low, high = R_SUS[alternative]
    r = uxcx.mean_benchmark(jpfolador, score="sus", benchmark=68, alternative=alternative)
    row = r.iloc[0]
    assert (row["n"], row["df"]) == (36, 35)
    assert row["estimate"] == pytest.approx(82.98611111111, rel=1e-10)  # R: mean(sus)
    assert row["statistic"] == pytest.approx(t, rel=1e-9)
    assert row["p_value"] == pytest.approx(p, rel=1e-8)
    assert row["log10_p_value"] == pytest.approx(np.log10(p), rel=1e-8, abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    assert row["alternative"] == alternative and row["benchmark"] == 68
    assert row["effect_size"] == pytest.approx((82.98611111111 - 68) / 13.97471, rel=1e-5)  # R: sd(sus)
    # sus(benchmark=) is the same test beside the norms
    s = uxcx.sus(jpfolador, benchmark=68, alternative=alternative).iloc[0]
    for column in ("statistic", "p_value", "log10_p_value", "ci_low", "ci_high", "effect_size"):
        assert s[column] == pytest.approx(row[column], rel=1e-12)
    assert s["grade"] == "A" and s["method"].startswith("one-sample t test against 68")


def test_sus_default_benchmark_is_68_and_columns_follow_the_convention(jpfolador):
    r = uxcx.mean_benchmark(jpfolador, score="sus")
    assert r.loc[0, "benchmark"] == 68
    cols = list(r.columns)
    assert cols[cols.index("p_value") + 1] == "log10_p_value"
    assert cols[-3:] == ["benchmark", "effect_size_ci_low", "effect_size_ci_high"]
    assert "scored from sus_1 ... sus_10" in r.loc[0, "method"]
    # a column of scores works as well as the items
    scored = pd.DataFrame({"sus": uxcx.sus_score(jpfolador)})
    from_column = uxcx.mean_benchmark(scored, score="sus")["statistic"].iloc[0]
    assert from_column == pytest.approx(r.loc[0, "statistic"])


def test_sus_by_age_band_against_R(jpfolador):
    # R: for (g in bands) t.test(sus[age == g], mu = 68); "> 46 years" has one respondent
    with pytest.warns(SmallSampleWarning, match=r"fewer than two sus values in age='> 46 years' \(n=1\)"):
        r = uxcx.mean_benchmark(jpfolador, score="sus", by="age").set_index("age")
    assert r.loc["18-25 years", ["statistic", "p_value", "ci_low", "ci_high"]].astype(float).tolist() == \
        pytest.approx([4.64866810542, 7.82972239074e-05, 75.2022040073, 86.5835102784], rel=1e-9)
    assert r.loc["36-45 years", ["statistic", "p_value", "ci_low", "ci_high"]].astype(float).tolist() == \
        pytest.approx([7.34607708133, 0.00521273308557, 82.9488986438, 105.801101356], rel=1e-9)
    single = r.loc["> 46 years"]
    assert single["n"] == 1 and np.isnan(single[["ci_low", "p_value"]].astype(float)).all()


# --- any rating against a stated value -----------------------------------------------------------

def test_rating_against_a_target_against_R(welcoming):
    # R: x <- match(AtmosphereWelcoming, levels 1-5); t.test(x, mu = 4.5, alternative = "greater")
    r = uxcx.mean_benchmark(welcoming, score="loyalty_welcoming", benchmark=4.5,
                            alternative="greater").iloc[0]
    assert (r["n"], r["df"]) == (909, 908)
    assert r["statistic"] == pytest.approx(10.7952988838, rel=1e-9)
    assert r["p_value"] == pytest.approx(6.04329590835e-26, rel=1e-8)
    # R: pt(t, 908, lower.tail = FALSE, log.p = TRUE) / log(10)
    assert r["log10_p_value"] == pytest.approx(-25.2187261401, rel=1e-10)
    assert r["ci_low"] == pytest.approx(4.68413274848, rel=1e-10) and r["ci_high"] == np.inf
    # R: d = (mean(x) - 4.5) / sd(x); uniroot(pt(t, df, ncp) = 0.975 / 0.025) / sqrt(n), two-sided
    two = uxcx.mean_benchmark(welcoming, score="loyalty_welcoming", benchmark=4.5).iloc[0]
    assert (two["effect_size"], two["effect_size_ci_low"], two["effect_size_ci_high"]) == pytest.approx(
        (0.3580574623, 0.2909037303, 0.4250253182), rel=1e-7)


def test_mean_score_with_a_benchmark_is_the_same_test(welcoming):
    a = uxcx.mean_benchmark(welcoming, score="loyalty_welcoming", benchmark=4.5, by="when")
    b = uxcx.mean_score(welcoming, score="loyalty_welcoming", benchmark=4.5, by="when")
    for column in ("n", "estimate", "statistic", "p_value", "log10_p_value", "ci_low", "ci_high"):
        np.testing.assert_allclose(a[column].astype(float), b[column].astype(float), rtol=1e-12)
    # R: t.test(x[WhenTaking == g], mu = 4.5) for the two groups
    np.testing.assert_allclose(a["statistic"], [8.95489221783, 6.29442820558], rtol=1e-9)
    np.testing.assert_allclose(a["p_value"], [3.1354890953e-18, 1.67302852066e-09], rtol=1e-8)
    assert b["term"].iloc[0] == "mean loyalty_welcoming"
    # without a benchmark mean_score stays an estimate: no test columns filled, no log10 column
    plain = uxcx.mean_score(welcoming, score="loyalty_welcoming")
    assert plain[["p_value", "log10_p_value"]].isna().all().all()


def test_seq_and_umux_lite_with_benchmarks():
    rng = np.random.default_rng(4)
    d = pd.DataFrame({"seq": rng.integers(3, 8, 40), "umux_lite_1": rng.integers(3, 8, 40),
                      "umux_lite_2": rng.integers(2, 8, 40)})
    s = uxcx.seq(d, alternative="greater").iloc[0]
    ref = stats.ttest_1samp(d["seq"], 5.5, alternative="greater")
    assert (s["statistic"], s["p_value"]) == pytest.approx((ref.statistic, ref.pvalue), rel=1e-10)
    assert s["log10_p_value"] == pytest.approx(np.log10(ref.pvalue), rel=1e-10)
    u = uxcx.umux_lite(d, benchmark=68).iloc[0]
    ref = stats.ttest_1samp(uxcx.umux_lite_sus(d), 68)
    assert (u["statistic"], u["p_value"]) == pytest.approx((ref.statistic, ref.pvalue), rel=1e-10)
    assert uxcx.umux_lite(d)["p_value"].isna().all()
    m = uxcx.mean_benchmark(d, score="umux_lite_sus").iloc[0]  # default 68 on the SUS scale
    assert m["statistic"] == pytest.approx(u["statistic"], rel=1e-12)


def test_tiny_p_reads_its_logarithm_not_zero():
    d = pd.DataFrame({"csat": np.r_[np.full(4000, 5), np.full(1000, 4)]})
    r = uxcx.mean_benchmark(d, score="csat", benchmark=3, alternative="greater").iloc[0]
    assert r["p_value"] > 0
    assert r["log10_p_value"] < -300 and "p < 1e-300" in r["method"]
    # t on 4999 df far in the tail: log10 of the t density tail, checked by scipy's logsf in a range it holds
    mild = uxcx.mean_benchmark(d.iloc[::50], score="csat", benchmark=4.7, alternative="greater").iloc[0]
    assert mild["log10_p_value"] == pytest.approx(stats.t.logsf(mild["statistic"], mild["df"]) / np.log(10),
                                                  rel=1e-9)


def test_benchmark_needs_a_value_where_the_field_has_none():
    d = pd.DataFrame({"csat": [4, 5, 3]})
    with pytest.raises(UxcxError, match="benchmark is needed for 'csat'"):
        uxcx.mean_benchmark(d, score="csat")
    with pytest.raises(UxcxError, match="benchmark must be a number"):
        uxcx.mean_benchmark(d, score="csat", benchmark="high")
    with pytest.raises(UxcxError, match="alternative must be one of"):
        uxcx.mean_benchmark(d, score="csat", benchmark=4, alternative="bigger")
    with pytest.raises(DataError, match="column 'csat'.*whole number from 1 to 5.*row|index label"):
        uxcx.mean_benchmark(pd.DataFrame({"csat": [4, 9]}), score="csat", benchmark=4)
    with pytest.raises(DataError, match="did you mean 'csat'"):
        uxcx.mean_benchmark(d, score="cast", benchmark=4)


def _size(probs, n, alternative, sims=4000, seed=7):
    """Share of p < .05 when a 1-5 rating's true mean is exactly the benchmark."""
    rng = np.random.default_rng(seed)
    levels = np.arange(1, 6)
    d = pd.DataFrame({"sim": np.repeat(np.arange(sims), n), "csat": rng.choice(levels, sims * n, p=probs)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)  # an all-equal draw is possible, and named
        r = uxcx.mean_benchmark(d, score="csat", benchmark=float(levels @ probs), by="sim",
                                alternative=alternative)
    return (r["p_value"] < 0.05).mean()  # 4000 draws: binomial SE about 0.0035


def test_type_one_error_on_a_spread_rating_is_near_nominal():
    # a rating spread over the scale (mean 3.35): the t test keeps close to 5% at n = 20
    assert 0.04 < _size([0.1, 0.15, 0.25, 0.3, 0.2], 20, "two-sided") < 0.065


def test_one_sided_test_on_a_skewed_rating_runs_liberal_as_documented():
    # piled up near the top (mean 4.0, skewness -1.3), "greater" rejects too often at small n and
    # "less" too rarely; the docstring of mean_benchmark gives these figures
    skewed = [0.05, 0.05, 0.1, 0.45, 0.35]
    assert 0.10 < _size(skewed, 10, "greater") < 0.14
    assert _size(skewed, 10, "less") < 0.03
    assert 0.055 < _size(skewed, 50, "greater") < 0.08


# --- degenerate input ----------------------------------------------------------------------------

def test_identical_ratings_warn_and_give_no_interval():
    d = pd.DataFrame({"segment": ["A"] * 12 + ["B"] * 12, "csat": [5] * 12 + [5, 4, 3] * 4})
    # R: t.test(rep(5, 12), mu = 4) stops with "data are essentially constant"
    with pytest.warns(UxcxWarning, match=r"ratings are all the same in segment='A' \(all 12 equal\).*"
                                         r"essentially constant"):
        r = uxcx.mean_score(d, score="csat", by="segment", benchmark=4)
    a, b = r.iloc[0], r.iloc[1]
    assert a["estimate"] == 5 and a["std_error"] == 0
    assert np.isnan([a["ci_low"], a["ci_high"], a["statistic"], a["p_value"]]).all()
    assert "all values equal: no interval or test" in a["method"]
    assert b["ci_low"] < b["estimate"] < b["ci_high"] and np.isfinite(b["p_value"])


@pytest.mark.parametrize("call", [
    lambda d: uxcx.mean_score(d, score="csat"),
    lambda d: uxcx.mean_benchmark(d, score="csat", benchmark=4),
    lambda d: uxcx.seq(d.rename(columns={"csat": "seq"})),
    lambda d: uxcx.sus(pd.DataFrame([[4, 2] * 5] * 5, columns=SUS_ITEMS)),
])
def test_every_mean_warns_on_constant_data(call):
    d = pd.DataFrame({"csat": [4] * 12})
    with pytest.warns(UxcxWarning, match="all the same in all the data|all the same in all respondents"):
        r = call(d)
    assert np.isnan(r.loc[0, "ci_low"]) and np.isnan(r.loc[0, "ci_high"])


def test_varied_data_give_no_constant_warning(jpfolador):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        uxcx.mean_benchmark(jpfolador, score="sus")


def test_d_interval_inverts_the_noncentral_t():
    low, high = cohens_d_interval(2.5, 20, 0.95, "two-sided")
    df, n = 19, 20
    assert stats.nct.cdf(2.5, df, low * np.sqrt(n)) == pytest.approx(0.975, abs=1e-9)
    assert stats.nct.cdf(2.5, df, high * np.sqrt(n)) == pytest.approx(0.025, abs=1e-9)


def test_d_interval_far_in_the_lower_tail_mirrors_the_upper():
    # scipy's nct.cdf is NaN far in the lower tail (t = -11.5 on 415 df broke a scalar root search);
    # the interval of -t is the mirror image of that of t
    low, high = cohens_d_interval(-11.477, 416, 0.95, "two-sided")
    up_low, up_high = cohens_d_interval(11.477, 416, 0.95, "two-sided")
    assert (low, high) == pytest.approx((-up_high, -up_low), rel=1e-12)
    assert stats.nct.cdf(11.477, 415, up_low * np.sqrt(416)) == pytest.approx(0.975, abs=1e-9)
    d = pd.DataFrame({"csat": np.r_[np.full(300, 1), np.full(116, 2)]})
    r = uxcx.mean_benchmark(d, score="csat", benchmark=1.5).iloc[0]
    assert np.isfinite([r["effect_size_ci_low"], r["effect_size_ci_high"]]).all()


# --- medians -------------------------------------------------------------------------------------

def test_median_sus_against_R_order_statistics(jpfolador):
    # R: n <- 36; k <- qbinom(0.025, n, 0.5)  # 12
    #    median(sus); sort(sus)[c(k, n - k + 1)]; 1 - 2 * pbinom(k - 1, n, 0.5)
    r = uxcx.median_score(jpfolador, score="sus").iloc[0]
    assert (r["n"], r["estimate"], r["ci_low"], r["ci_high"]) == (36, 86.25, 75.0, 92.5)
    assert "order statistics 12 and 25 of 36, coverage 0.971" in r["method"]
    assert r["term"] == "median sus" and np.isnan(r["p_value"])


def test_median_interval_covers_at_least_the_level_on_skewed_ratings():
    # a distribution-free interval: its coverage holds for a skewed, discrete rating too
    rng = np.random.default_rng(11)
    levels, probs = np.arange(1, 8), np.array([0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.3])
    true_median = 6.0
    sims, n = 2000, 25
    d = pd.DataFrame({"sim": np.repeat(np.arange(sims), n), "ces": rng.choice(levels, sims * n, p=probs)})
    r = uxcx.median_score(d, score="ces", by="sim")
    covered = ((r["ci_low"] <= true_median) & (true_median <= r["ci_high"])).mean()
    assert covered >= 0.95


def test_median_too_few_values_warns():
    with pytest.warns(SmallSampleWarning, match="too few csat values.*at least 6"):
        r = uxcx.median_score(pd.DataFrame({"csat": [4, 5, 3, 5, 4]}), score="csat")
    assert r.loc[0, "estimate"] == 4 and np.isnan(r.loc[0, "ci_low"])
