"""Tests of uxcx.link.mediate.mediation and its bootstrap engine uxcx.link.mediate_boot.

Reference values come from statsmodels (OLS, GLM, stats.mediation.Mediation), from
scipy.stats.bootstrap, from slow loop implementations written here, and from the sample
study's documented figures (data/sample/README.md, "Realised figures").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.mediation import Mediation

from uxcx._core.bootstrap import resample_counts
from uxcx.errors import DataError, UxcxError, UxcxWarning
from uxcx.link import mediate_boot as boot
from uxcx.link.mediate import mediation

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def _linear_frame(rng, n=300, a=0.5, b=0.4, c=0.2):
    x = rng.normal(4, 1.2, n)
    z = rng.integers(0, 2, n).astype(float)
    m = 1 + a * x + 0.3 * z + rng.normal(0, 1, n)
    y = 2 + b * m + c * x - 0.2 * z + rng.normal(0, 1, n)
    return pd.DataFrame({"x": x, "m": m, "y": y, "z": z})


def _binary_y_frame(rng, n=2000):
    x = rng.integers(0, 2, n).astype(float)
    m = 0.5 * x + rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.3 + 0.4 * x + 0.8 * m)))).astype(float)
    return pd.DataFrame({"x": x, "m": m, "y": y})


def _summary(res):
    """statsmodels' point estimates, and the simulation standard error of each (sd / sqrt(n_rep))."""
    table = res.summary()["Estimate"]
    reps = {"acme": res.ACME_avg, "ade": res.ADE_avg, "total": res.total_effect}
    return table, {k: np.std(v) / np.sqrt(len(v)) for k, v in reps.items()}


def _row(result, term):
    return result.set_index("term").loc[term]


def test_point_estimates_equal_statsmodels_ols(rng):
    df = _linear_frame(rng)
    r = mediation(df, x="x", m="m", y="y", covariates="z", n_boot=200, seed=1)
    med = smf.ols("m ~ x + z", df).fit()
    out = smf.ols("y ~ x + m + z", df).fit()
    tot = smf.ols("y ~ x + z", df).fit()
    expected = {"a": med.params["x"], "b": out.params["m"], "direct": out.params["x"],
                "total": tot.params["x"], "indirect": med.params["x"] * out.params["m"],
                "proportion_mediated": med.params["x"] * out.params["m"] / tot.params["x"]}
    for term, value in expected.items():
        assert _row(r, term)["estimate"] == pytest.approx(value, abs=1e-10)
    # standard errors, p-values and intervals of the paths are statsmodels' own
    assert _row(r, "b")["std_error"] == pytest.approx(out.bse["m"], rel=1e-10)
    assert _row(r, "total")["p_value"] == pytest.approx(tot.pvalues["x"], rel=1e-8)
    assert _row(r, "a")["ci_low"] == pytest.approx(med.conf_int().loc["x", 0], rel=1e-10)
    # Sobel (1982): z = ab / sqrt(a^2 se_b^2 + b^2 se_a^2)
    se = np.sqrt(med.params["x"] ** 2 * out.bse["m"] ** 2 + out.params["m"] ** 2 * med.bse["x"] ** 2)
    assert _row(r, "indirect")["statistic"] == pytest.approx(expected["indirect"] / se, rel=1e-10)
    assert list(r["term"]) == ["a", "b", "direct", "total", "indirect", "proportion_mediated"]
    assert {"mc_error_low", "mc_error_high"} <= set(r.columns)


def test_continuous_matches_statsmodels_mediation(rng):
    df = _linear_frame(rng, n=500)
    r = mediation(df, x="x", m="m", y="y", n_boot=200, seed=1, contrast=(0, 1))
    outcome = sm.OLS(df["y"].to_numpy(), sm.add_constant(df[["x", "m"]].to_numpy()))
    mediator = sm.OLS(df["m"].to_numpy(), sm.add_constant(df[["x"]].to_numpy()))
    res = Mediation(outcome, mediator, (1, 1), 2).fit(n_rep=400, rng=7)
    ref, mc_se = _summary(res)
    # statsmodels' ACME (average) is a simulation mean; in the linear model it estimates a*b
    assert _row(r, "indirect")["estimate"] == pytest.approx(ref["ACME (average)"], abs=4 * mc_se["acme"])
    assert _row(r, "direct")["estimate"] == pytest.approx(ref["ADE (average)"], abs=4 * mc_se["ade"])


def test_binary_outcome_matches_statsmodels_mediation(rng):
    df = _binary_y_frame(rng)
    r = mediation(df, x="x", m="m", y="y", n_boot=300, seed=1)
    outcome = sm.GLM(df["y"].to_numpy(), sm.add_constant(df[["x", "m"]].to_numpy()),
                     family=sm.families.Binomial())
    mediator = sm.OLS(df["m"].to_numpy(), sm.add_constant(df[["x"]].to_numpy()))
    res = Mediation(outcome, mediator, (1, 1), 2).fit(n_rep=300, rng=1)
    ref, mc_se = _summary(res)
    # simulation error of statsmodels plus the gap between its normal residual draws and our
    # observed residuals (of order 1e-3 at n = 3000)
    assert _row(r, "indirect")["estimate"] == pytest.approx(ref["ACME (average)"],
                                                            abs=4 * mc_se["acme"] + 2e-3)
    assert _row(r, "direct")["estimate"] == pytest.approx(ref["ADE (average)"], abs=4 * mc_se["ade"] + 2e-3)
    assert _row(r, "total")["estimate"] == pytest.approx(ref["Total effect"], abs=4 * mc_se["total"] + 4e-3)
    assert "logistic" in _row(r, "b")["method"]
    assert np.isnan(_row(r, "indirect")["p_value"])


def test_binary_mediator_matches_statsmodels_mediation(rng):
    base = _binary_y_frame(rng)
    mb = (base["m"] > 0.3).astype(float)
    y = 0.3 * base["x"] + 0.7 * mb + rng.normal(size=len(mb))
    df = pd.DataFrame({"x": base["x"], "m": mb, "y": y})
    r = mediation(df, x="x", m="m", y="y", n_boot=300, seed=1)
    outcome = sm.OLS(y.to_numpy(), sm.add_constant(np.column_stack([df["x"], mb])))
    mediator = sm.GLM(mb.to_numpy(), sm.add_constant(df[["x"]].to_numpy()), family=sm.families.Binomial())
    res = Mediation(outcome, mediator, (1, 1), 2).fit(n_rep=300, rng=1)
    ref, mc_se = _summary(res)
    assert _row(r, "indirect")["estimate"] == pytest.approx(ref["ACME (average)"],
                                                            abs=4 * mc_se["acme"] + 1e-3)


def test_batched_logistic_fit_equals_statsmodels_with_frequency_weights(rng):
    df = _binary_y_frame(rng, n=400)
    design = boot.Design(df["x"].to_numpy(), df["m"].to_numpy(), df["y"].to_numpy(),
                         np.empty((400, 0)), False, True, (0.0, 1.0))
    counts = resample_counts(400, 3, np.random.default_rng(5))
    start = sm.Logit(design.cols[:, 3], design.cols[:, design.out_cols]).fit(disp=0).params
    _, out = boot.fit(design, counts, (None, start))
    for w, coef in zip(counts, out):
        ref = sm.GLM(design.cols[:, 3], design.cols[:, design.out_cols], family=sm.families.Binomial(),
                     freq_weights=w).fit(tol=1e-12)
        np.testing.assert_allclose(coef, ref.params, rtol=1e-7, atol=1e-9)


@pytest.mark.filterwarnings("ignore::uxcx.errors.UxcxWarning")
def test_percentile_interval_equals_slow_loop_with_the_same_counts(rng):
    df = _linear_frame(rng, n=60)
    r = mediation(df, x="x", m="m", y="y", n_boot=300, seed=11, ci_method="percentile")
    counts = resample_counts(60, 300, np.random.default_rng(11))  # the engine's draws for seed 11
    X = df[["x", "m", "y"]].to_numpy()
    ab = []
    for w in counts.astype(int):  # reference: refit on the resampled rows one by one
        rows = X[np.repeat(np.arange(60), w)]
        a = np.linalg.lstsq(np.column_stack([np.ones(60), rows[:, 0]]), rows[:, 1], rcond=None)[0][1]
        b = np.linalg.lstsq(np.column_stack([np.ones(60), rows[:, :2]]), rows[:, 2], rcond=None)[0][2]
        ab.append(a * b)
    low, high = np.quantile(ab, [0.025, 0.975])
    ind = _row(r, "indirect")
    assert ind["ci_low"] == pytest.approx(low, rel=1e-9)
    assert ind["ci_high"] == pytest.approx(high, rel=1e-9)


def test_jackknife_equals_leave_one_out_refits(rng):
    df = _linear_frame(rng, n=25)
    design = boot.Design(df["x"].to_numpy(), df["m"].to_numpy(), df["y"].to_numpy(),
                         df[["z"]].to_numpy(), False, False, (0.0, 1.0))
    ones = np.ones((1, 25))
    med, out = (c[0] for c in boot.fit(design, ones))
    jack = boot.jackknife(design, med, out)
    for i in range(25):  # reference: drop row i and refit
        keep = np.ones((1, 25))
        keep[0, i] = 0
        np.testing.assert_allclose(jack[i], boot.effects(design, keep, *boot.fit(design, keep))[0],
                                   rtol=1e-9)


def _ab(x, m, y, axis=-1):
    """Indirect effect a*b from covariances (an implementation independent of uxcx)."""
    def cov(u, v):
        return np.mean((u - u.mean(axis, keepdims=True)) * (v - v.mean(axis, keepdims=True)), axis)
    sxx, smm, sxm, sxy, smy = cov(x, x), cov(m, m), cov(x, m), cov(x, y), cov(m, y)
    return sxm / sxx * (sxx * smy - sxm * sxy) / (sxx * smm - sxm**2)


def test_bca_interval_agrees_with_scipy_bootstrap(rng):
    df = _linear_frame(rng, n=80)
    r = mediation(df, x="x", m="m", y="y", n_boot=4000, seed=3)
    ref = stats.bootstrap((df["x"].to_numpy(), df["m"].to_numpy(), df["y"].to_numpy()), _ab,
                          paired=True, vectorized=True, n_resamples=4000, method="BCa",
                          random_state=np.random.default_rng(4))
    ind = _row(r, "indirect")
    # two independent bootstraps: each bound differs by Monte-Carlo error of both (~sqrt 2 times ours)
    assert ind["ci_low"] == pytest.approx(ref.confidence_interval.low,
                                          abs=4 * np.sqrt(2) * ind["mc_error_low"])
    assert ind["ci_high"] == pytest.approx(ref.confidence_interval.high,
                                           abs=4 * np.sqrt(2) * ind["mc_error_high"])


def test_coverage_of_indirect_effect_near_nominal():
    # 80 simulated studies, n = 120, true a*b = 0.5 * 0.4 = 0.2; full version in benchmarks/
    hits = 0
    for k in range(80):  # loop over simulated studies, not resamples
        df = _linear_frame(np.random.default_rng(1000 + k), n=120)
        ind = _row(mediation(df, x="x", m="m", y="y", n_boot=400, seed=k), "indirect")
        hits += ind["ci_low"] <= 0.2 <= ind["ci_high"]
    # binomial sd of the coverage near 0.95 with 80 studies is 0.024
    assert 0.87 <= hits / 80 <= 1.0


def test_sample_study_recovers_published_and_planted_effects(sample_study):
    survey = sample_study["survey"]
    df = pd.DataFrame({
        "ease": survey[["ease_search", "ease_checkout", "ease_returns"]].mean(axis=1),
        "csat": survey["csat"],
        "loyalty": survey[["loyalty_continue", "loyalty_choose_again"]].mean(axis=1)})
    r = mediation(df, x="ease", m="csat", y="loyalty", n_boot=2000, seed=5).set_index("term")
    # data/sample/README.md, Realised figures (OLS on the 2,997 clean rows)
    realised = {"a": 0.447, "b": 0.496, "direct": 0.144, "total": 0.365}
    for term, value in realised.items():
        assert r.loc[term, "estimate"] == pytest.approx(value, abs=5e-4)
    # data/sample/README.md, planted: a = 0.45, b = 0.5, c' = 0.15, a*b = 0.225
    for term, truth in {"a": 0.45, "b": 0.5, "direct": 0.15, "indirect": 0.225}.items():
        assert r.loc[term, "ci_low"] <= truth <= r.loc[term, "ci_high"]
    assert (r["n"] == 2997).all()


@pytest.mark.filterwarnings("ignore::uxcx.errors.UxcxWarning")
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), binary=st.booleans())
def test_indirect_plus_direct_is_total(seed, binary):
    rng = np.random.default_rng(seed)
    df = _binary_y_frame(rng, n=200) if binary else _linear_frame(rng, n=40)
    r = mediation(df, x="x", m="m", y="y", n_boot=100, seed=seed).set_index("term")
    assert r.loc["indirect", "estimate"] + r.loc["direct", "estimate"] == pytest.approx(
        r.loc["total", "estimate"], abs=1e-10)
    assert r.loc["indirect", "ci_low"] <= r.loc["indirect", "ci_high"]


def test_seeded_and_does_not_mutate(rng):
    df = _linear_frame(rng, n=50)
    before = df.copy()
    one = mediation(df, x="x", m="m", y="y", n_boot=200, seed=9)
    two = mediation(df, x="x", m="m", y="y", n_boot=200, seed=9)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(df, before)


def test_missing_values_dropped_with_a_warning(rng):
    df = _linear_frame(rng, n=50)
    df.loc[[3, 7], "m"] = np.nan
    df.loc[9, "y"] = None
    with pytest.warns(UxcxWarning, match="3 of 50 rows"):
        r = mediation(df, x="x", m="m", y="y", n_boot=200, seed=1)
    assert (r["n"] == 47).all()


@pytest.mark.parametrize("column", ["x", "m", "y"])
def test_constant_column_is_a_clear_error(rng, column):
    df = _linear_frame(rng, n=30)
    df[column] = 3.0
    with pytest.raises(UxcxError, match=f"{column}='{column}' has the same value"):
        mediation(df, x="x", m="m", y="y", n_boot=200)


def test_bad_input_messages(rng):
    df = _linear_frame(rng, n=30)
    with pytest.raises(DataError, match="column is missing"):
        mediation(df, x="x", m="satisfaction", y="y")
    with pytest.raises(UxcxError, match="ci_method must be one of"):
        mediation(df, x="x", m="m", y="y", ci_method="bc")
    with pytest.raises(UxcxError, match="n_boot"):
        mediation(df, x="x", m="m", y="y", n_boot=10)
    bad = df.astype({"m": object})
    bad.loc[4, "m"] = "high"
    with pytest.raises(DataError, match="high"):
        mediation(bad, x="x", m="m", y="y")
    sep = df.assign(y=(df["x"] > df["x"].median()).astype(float))
    with pytest.raises(UxcxError, match="perfect separation"):
        mediation(sep, x="x", m="m", y="y", n_boot=200)


def test_proportion_mediated_flagged_when_not_meaningful(rng):
    # inconsistent mediation: a*b = +0.25 and c' = -0.25, so the total is about zero
    df = _linear_frame(rng, n=400, a=0.5, b=0.5, c=-0.25)
    with pytest.warns(UxcxWarning, match="proportion mediated is not meaningful"):
        r = mediation(df, x="x", m="m", y="y", n_boot=200, seed=1)
    assert "not meaningful" in _row(r, "proportion_mediated")["method"]


def test_real_data_paths_and_underflowing_p_values_equal_R(realdata):
    raw = pd.read_csv(realdata / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    d = pd.DataFrame({"tenure": raw["Tenure"], "total": pd.to_numeric(raw["TotalCharges"], errors="coerce"),
                      "monthly": raw["MonthlyCharges"]})
    with pytest.warns(UxcxWarning, match="11 of 7043 rows"):  # TotalCharges is blank for 11 customers
        r = mediation(d, x="tenure", m="total", y="monthly", n_boot=200, seed=1).set_index("term")
    # R 4.2: t <- read.csv(".../WA_Fn-UseC_-Telco-Customer-Churn.csv")
    #   t$total <- as.numeric(t$TotalCharges); d <- na.omit(t[c("Tenure", "total", "MonthlyCharges")])
    #   ma <- lm(total ~ Tenure, d); mb <- lm(MonthlyCharges ~ Tenure + total, d)
    #   mc <- lm(MonthlyCharges ~ Tenure, d); s <- coef(summary(m))[j, ]  # estimate, se, t, then
    #   (log(2) + pt(-abs(s[3]), df.residual(m), log.p = TRUE)) / log(10)
    expected = {"a": (76.270620044640637, 0.621043968050104, 122.810338669109186, -1751.284226277378593),
                "b": (0.0186691775095716, 1.56338182958732e-04, 119.415341513210, -1693.33055060228),
                "direct": (-1.1213227376773365, 0.0144379371046525, -77.665024411001454, -947.52881091249594),
                "total": (0.3025870067011527, 0.0141665885868073, 21.3592005476137281, -97.3990465529550420)}
    for term, values in expected.items():
        np.testing.assert_allclose(r.loc[term, ["estimate", "std_error", "statistic", "log10_p_value"]]
                                   .astype(float), values, rtol=1e-10)
        assert r.loc[term, "df"] == 7030 - (term in ("b", "direct"))
    #   a*b, Sobel se, z = ab / se, (log(2) + pnorm(-abs(z), log.p = TRUE)) / log(10)
    np.testing.assert_allclose(r.loc["indirect", ["estimate", "std_error", "statistic", "log10_p_value"]]
                               .astype(float), [1.423909744378489, 0.016631646567211, 85.614478315436429,
                                                -1593.684959535387179], rtol=1e-10)
    # R: confint(ma)["Tenure", ]; confint(mb)["total", ]
    np.testing.assert_allclose(r.loc["a", ["ci_low", "ci_high"]].astype(float),
                               [75.0531866278868, 77.4880534613945], rtol=1e-12)
    np.testing.assert_allclose(r.loc["b", ["ci_low", "ci_high"]].astype(float),
                               [0.0183627075288568, 0.0189756474902865], rtol=1e-12)
    tested = r["p_value"].notna()
    assert (r.loc[tested, "p_value"] > 0).all() and tested.sum() == 5
    assert (r.loc[["a", "b", "direct", "indirect"], "method"].str.contains("p < 1e-300")).all()
    assert "p < 1e-300" not in r.loc["total", "method"]  # 1e-97 is representable
    assert list(r.columns).index("log10_p_value") == list(r.columns).index("p_value") + 1


def test_log10_p_value_is_the_ordinary_p_where_representable(rng):
    df = _linear_frame(rng, n=80)
    r = mediation(df, x="x", m="m", y="y", n_boot=200, seed=1).set_index("term")
    tested = r["p_value"].notna()
    np.testing.assert_allclose(10 ** r.loc[tested, "log10_p_value"], r.loc[tested, "p_value"], rtol=1e-10)
    assert r.loc[~tested, "log10_p_value"].isna().all()  # no test, no p: the bootstrap rows


def test_linear_mediation_imports_neither_statsmodels_nor_scipy_stats():
    code = ("import sys, numpy as np, pandas as pd; import uxcx; g = np.random.default_rng(1); "
            "x = g.normal(size=300); m = x + g.normal(size=300); d = pd.DataFrame({'x': x, 'm': m, "
            "'y': m + g.normal(size=300)}); uxcx.mediation(d, x='x', m='m', y='y', n_boot=200, seed=1); "
            "print(sorted(k for k in ('statsmodels', 'scipy.stats') if k in sys.modules))")
    done = __import__("subprocess").run([__import__("sys").executable, "-c", code], capture_output=True,
                                        text=True, check=True)
    assert done.stdout.strip() == "[]"
