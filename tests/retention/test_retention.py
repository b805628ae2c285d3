"""Survival data, Kaplan-Meier, log-rank, RMST and lifetime value, against R's survival package.

R 4.2.x with survival (Therneau); every expected number names the R call that produced it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import uxcx
from uxcx.errors import DataError, UxcxWarning
from uxcx.io.tables import read_table
from uxcx.report.plots_survival import km_plot
from uxcx.retention.curves import kaplan_meier, survival_data
from uxcx.retention.log_rank import chi2_logsf, logrank
from uxcx.retention.restricted_mean import lifetime_value, revenue_at_stake, rmst, rmst_difference

# R: survival::aml (23 rows), written out.
AML = pd.DataFrame({
    "time": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    "status": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
AML_ARGS = {"duration": "time", "event": "status", "by": "x"}


def _approx(values, expected, rel=1e-8):
    return np.testing.assert_allclose(np.asarray(values, dtype=float), np.asarray(expected, dtype=float),
                                      rtol=rel, equal_nan=True)


# --- Kaplan-Meier against R -------------------------------------------------------------

def test_km_curve_loglog_against_R():
    km = kaplan_meier(AML, **AML_ARGS)
    c = km.curve
    # R: s <- summary(survfit(Surv(time, status) ~ x, data = aml, conf.type = "log-log"), censored = TRUE)
    _approx(c["n_at_risk"], [11, 10, 8, 7, 6, 5, 4, 3, 2, 1, 12, 10, 8, 7, 6, 5, 4, 3, 2, 1])
    _approx(c["survival"], [0.90909090909, 0.81818181818, 0.71590909091, 0.61363636364, 0.61363636364,
                            0.49090909091, 0.36818181818, 0.36818181818, 0.18409090909, 0.18409090909,
                            0.83333333333, 0.66666666667, 0.58333333333, 0.58333333333, 0.48611111111,
                            0.38888888889, 0.29166666667, 0.19444444444, 0.09722222222, 0.0], rel=1e-10)
    _approx(c["ci_low"], [0.508080205770, 0.447428614682, 0.350190385908, 0.265752040001, 0.265752040001,
                          0.167330909777, 0.092829574937, 0.092829574937, 0.011738480123, 0.011738480123,
                          0.481714942195, 0.337018932541, 0.270138924085, 0.270138924085, 0.191876619619,
                          0.126272012195, 0.072401608908, 0.031198642931, 0.005746305696, np.nan], rel=1e-9)
    _approx(c["ci_high"], [0.9866738227, 0.9511622286, 0.8990239742, 0.8352992433, 0.8352992433,
                           0.7533997904, 0.6570408324, 0.6570408324, 0.5250148427, 0.5250148427,
                           0.9555093657, 0.8597117991, 0.8009401923, 0.8009401923, 0.7296715698,
                           0.6498174083, 0.5608860527, 0.4614294762, 0.3489038611, np.nan], rel=1e-9)
    # R: s$std.err (standard error of S, Greenwood)
    _approx(c["std_error"][:3], [0.08667841720, 0.11629129983, 0.13966497056], rel=1e-9)


def test_km_log_and_plain_intervals_against_R():
    # R: summary(survfit(Surv(time, status) ~ x, data = aml), censored = TRUE)
    # (conf.type = "log", R's default)
    c = kaplan_meier(AML, **AML_ARGS, ci_method="log").curve
    _approx(c["ci_low"][:4], [0.75413384508, 0.61924898740, 0.48842628742, 0.37686705950], rel=1e-9)
    _approx(c["ci_high"][:6], [1, 1, 1, 0.9991576002, 0.9991576002, 0.9455849552], rel=1e-9)
    _approx(c["ci_low"][10:14], [0.64703698701, 0.44684608115, 0.36161370521, 0.36161370521], rel=1e-9)
    # R: summary(survfit(Surv(time, status) ~ x, data = aml, conf.type = "plain"))  (event times only)
    p = kaplan_meier(AML, **AML_ARGS, ci_method="plain").curve
    p = p[p["n_events"] > 0]
    _approx(p["ci_low"][:3], [0.7392043331338, 0.5902550587990, 0.4421707787151], rel=1e-9)
    _approx(p["ci_high"][2:5], [0.989647403103, 0.912790235326, 0.812721981166], rel=1e-9)
    assert p["ci_low"].iloc[6] == 0.0 and np.isnan(p["ci_low"].iloc[-1])


@pytest.mark.parametrize("ci_method, expected", [
    # R: print(survfit(Surv(time, status) ~ x, data = aml, conf.type = "log-log"))
    ("log-log", [[31, 13, np.nan], [23, 5, 33]]),
    # R: print(survfit(Surv(time, status) ~ x, data = aml))  (conf.type = "log")
    ("log", [[31, 18, np.nan], [23, 8, np.nan]]),
    # R: print(survfit(Surv(time, status) ~ x, data = aml, conf.type = "plain"))
    ("plain", [[31, 18, 48], [23, 8, 33]]),
])
def test_km_median_and_interval_against_R(ci_method, expected):
    m = kaplan_meier(AML, **AML_ARGS, ci_method=ci_method).medians
    _approx(m[["estimate", "ci_low", "ci_high"]].to_numpy(), expected)
    assert list(m["term"]) == ["median survival"] * 2 and list(m["n"]) == [11, 12]
    assert ("upper limit not reached" in m.loc[0, "method"]) == np.isnan(expected[0][2])


def test_km_retention_at_horizons_against_R():
    r = kaplan_meier(AML, **AML_ARGS, horizons=[10, 20, 40], ci_method="log").retention
    # R: summary(survfit(Surv(time, status) ~ x, data = aml), times = c(10, 20, 40))
    _approx(r["estimate"], [0.9090909091, 0.7159090909, 0.3681818182, 0.6666666667, 0.5833333333,
                            0.1944444444])
    _approx(r["std_error"], [0.0866784172, 0.1396649706, 0.1626688858, 0.1360827635, 0.1423187606,
                             0.1218745054])
    _approx(r["ci_low"], [0.75413384508, 0.48842628742, 0.15487711790, 0.44684608115, 0.36161370521,
                          0.05692155257], rel=1e-9)
    assert r.loc[0, "term"] == "retention at time 10"


def test_median_on_an_exact_half_plateau_is_the_midpoint_as_R():
    # R: print(survfit(Surv(t, e) ~ 1, data = data.frame(t = 1:4, e = 1), conf.type = "log-log"))
    m = kaplan_meier(pd.DataFrame({"duration": [1, 2, 3, 4], "event": 1})).medians
    _approx(m[["estimate", "ci_low", "ci_high"]].to_numpy()[0], [2.5, 1, np.nan])


def test_km_medians_telco_by_contract_against_R(realdata):
    path = realdata / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv"
    t = read_table(path, text_columns=["customerID"]).frame
    data = t.assign(event=(t["Churn"] == "Yes").astype(int))
    km = kaplan_meier(data, duration="Tenure", by="Contract", horizons=[3, 6, 12, 24])
    # R: print(survfit(Surv(Tenure, status) ~ Contract, data = d, conf.type = "log-log"), rmean = 24),
    # d$status <- as.integer(d$Churn == "Yes"): medians 35 (32, 38); NA (72, NA); NA (NA, NA)
    _approx(km.medians[["estimate", "ci_low", "ci_high"]].to_numpy(),
            [[35, 32, 38], [np.nan, 72, np.nan], [np.nan, np.nan, np.nan]])
    assert km.medians["method"].str.contains("median not reached").tolist() == [False, True, True]
    # R: summary(survfit(..., conf.type = "log-log"), times = c(3, 6, 12, 24))
    r = km.retention
    _approx(r["estimate"][:4], [0.8417230082, 0.7858348941, 0.7030966363, 0.5859154739])
    _approx(r["ci_low"][4:8], [0.9945525429, 0.9927065617, 0.9842195308, 0.9688606057], rel=1e-9)
    _approx(r["ci_high"][:4], [0.8530383016, 0.7988920726, 0.7183040754, 0.6037891389], rel=1e-9)
    # Two year: no churn by 24 months, S = 1, interval NA in R
    _approx(r[["estimate", "ci_low"]].to_numpy()[8:], [[1, np.nan]] * 4)
    # R, same fit: rmean 17.46050321 (se 0.15444144696), 23.79731760 (0.04377890285), 24 (0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rm = rmst(data, duration="Tenure", by="Contract", tau=24)
    _approx(rm["estimate"], [17.46050321, 23.79731760, 24.0])
    _approx(rm["std_error"], [0.15444144696, 0.04377890285, 0.0], rel=1e-9)
    # R: survdiff(Surv(Tenure, status) ~ Contract, data = d): chisq 2352.87253825934, p printed 0;
    # pchisq(chisq, 2, lower.tail = FALSE, log.p = TRUE) / log(10) = -510.919779994
    lr = logrank(data, duration="Tenure", by="Contract")
    _approx(lr["statistic"], [2352.87253825934], rel=1e-10)
    assert lr.loc[0, "p_value"] == np.finfo(float).smallest_subnormal
    assert lr.loc[0, "log10_p_value"] == pytest.approx(-510.919779994, rel=1e-10)
    assert "p < 1e-300" in lr.loc[0, "method"]
    assert list(lr.columns).index("log10_p_value") == list(lr.columns).index("p_value") + 1
    _approx(lr.attrs["observed_expected"]["expected"], [708.445595508, 470.727826096, 689.826578396])
    # R: survdiff(Surv(Tenure, status) ~ Contract + strata(InternetService), data = d)$chisq
    _approx(logrank(data, duration="Tenure", by="Contract", strata="InternetService")["statistic"],
            [1732.85320169357], rel=1e-10)


# --- log-rank ---------------------------------------------------------------------------

def test_logrank_aml_against_R():
    # R: survdiff(Surv(time, status) ~ x, data = aml): Chisq = 3.4 on 1 df, p = 0.0653
    r = logrank(AML, **AML_ARGS)
    _approx(r["statistic"], [3.39638886], rel=1e-7)
    assert r.loc[0, "df"] == 1 and r.loc[0, "p_value"] == pytest.approx(0.065339, abs=1e-6)
    # R: survdiff(Surv(time, status) ~ x + strata(time > 20), data = aml)$chisq
    s = logrank(AML.assign(late=AML["time"] > 20), **AML_ARGS, strata="late")
    _approx(s["statistic"], [4.93934216462], rel=1e-10)
    assert "stratified by late" in s.loc[0, "method"]


def test_logrank_tiny_p_is_reported_not_zero():
    # Exponential quantiles, rate 1 against 2.5, 1652 each, no censoring (written to CSV, read in R):
    # R: s <- survdiff(Surv(t, e) ~ g, data = d); s$chisq = 617.072797558;
    #    pchisq(s$chisq, 1, lower.tail = FALSE) = 3.23903346865e-136.  statsmodels' survdiff gives p = 0.0.
    n = 1652
    q = -np.log1p(-(np.arange(n) + 0.5) / n)
    d = pd.DataFrame({"t": np.r_[np.round(q, 4), np.round(q / 2.5, 4)], "e": 1, "g": ["A"] * n + ["B"] * n})
    r = logrank(d, duration="t", event="e", by="g")
    _approx(r["statistic"], [617.072797558], rel=1e-10)
    assert r.loc[0, "p_value"] == pytest.approx(3.23903346865e-136, rel=1e-8)
    assert r.loc[0, "log10_p_value"] == pytest.approx(np.log10(3.23903346865e-136), rel=1e-10)
    assert "1e-300" not in r.loc[0, "method"]


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 600), st.integers(1, 12))
def test_chi2_logsf_matches_scipy_where_scipy_is_finite(x, df):
    from scipy import stats

    assert chi2_logsf(x, df) == pytest.approx(float(stats.chi2.logsf(x, df)), rel=1e-9, abs=1e-12)


def test_logrank_needs_two_segments():
    with pytest.raises(uxcx.errors.UxcxError, match="at least two segments"):
        logrank(AML.assign(x="one"), **AML_ARGS)


# --- edge cases -------------------------------------------------------------------------

def test_everyone_censored():
    d = pd.DataFrame({"duration": [1, 2, 3, 4, 5], "event": 0})
    km = kaplan_meier(d, horizons=[3])
    # R: print(survfit(Surv(t, e) ~ 1, data.frame(t = 1:5, e = 0), conf.type = "log-log")): median NA;
    #    summary(..., times = 3): survival 1, CI NA
    assert np.isnan(km.medians.loc[0, "estimate"]) and "median not reached" in km.medians.loc[0, "method"]
    assert km.retention.loc[0, "estimate"] == 1 and np.isnan(km.retention.loc[0, "ci_low"])
    assert "interval undefined" in km.retention.loc[0, "method"]
    assert (km.curve["survival"] == 1).all()


def test_tenure_zero_and_ties_against_R():
    d = pd.DataFrame({"duration": [0, 0, 1, 2, 3, 4], "event": [1, 0, 1, 0, 1, 1]})
    km = kaplan_meier(d)
    # R: summary(survfit(Surv(t, e) ~ 1, data.frame(t = c(0,0,1,2,3,4), e = c(1,0,1,0,1,1)),
    #    conf.type = "log-log"), censored = TRUE); print(...): median 3, 0.95LCL 0, UCL NA
    _approx(km.curve["survival"], [0.833333333333, 0.625, 0.625, 0.3125, 0.0])
    _approx(km.curve["ci_low"], [0.2731228499284, 0.1418533899317, 0.1418533899317, 0.0126730649892, np.nan])
    _approx(km.curve["n_at_risk"], [6, 4, 3, 2, 1])
    _approx(km.medians[["estimate", "ci_low", "ci_high"]].to_numpy()[0], [3, 0, np.nan])


def test_segment_without_events_against_R():
    d = pd.DataFrame({"t": [2, 2, 2, 3, 3, 5, 5, 5, 5, 8], "e": [1, 1, 0, 1, 1, 0, 0, 0, 0, 0],
                      "g": ["A"] * 5 + ["B"] * 5})
    # R: survdiff(Surv(t, e) ~ g, data = e3)$chisq = 7.51734104046 (p 0.00611078)
    r = logrank(d, duration="t", event="e", by="g")
    _approx(r["statistic"], [7.51734104046], rel=1e-10)
    # R: summary(survfit(Surv(t, e) ~ g, e3, conf.type = "log-log"), censored = TRUE)
    km = kaplan_meier(d, duration="t", event="e", by="g")
    _approx(km.curve["survival"], [0.6, 0.0, 1.0, 1.0])
    _approx(km.curve["ci_low"], [0.125730182994, np.nan, np.nan, np.nan], rel=1e-9)
    # R: print(survfit(...), rmean = 6): A 2.6 (se 0.21908902), B 6.0 (0); medians 3 (2, NA) and NA
    _approx(km.medians[["estimate", "ci_low"]].to_numpy(), [[3, 2], [np.nan, np.nan]])
    rm = rmst(d, duration="t", event="e", by="g", tau=6)
    _approx(rm["estimate"], [2.6, 6.0])
    _approx(rm["std_error"], [0.21908902, 0.0], rel=1e-7)


def test_retention_beyond_follow_up_is_not_estimable():
    r = kaplan_meier(pd.DataFrame({"duration": [1, 2, 3], "event": [1, 0, 0]}), horizons=[5]).retention
    assert np.isnan(r.loc[0, "estimate"]) and "beyond the last follow-up" in r.loc[0, "method"]


# --- RMST -------------------------------------------------------------------------------

def test_rmst_and_difference_aml_against_R():
    # R: summary(survfit(Surv(time, status) ~ x, data = aml), rmean = 30)$table[, c("rmean", "se(rmean)")]
    r = rmst(AML, **AML_ARGS, tau=30)
    _approx(r["estimate"], [24.6022727273, 19.6944444444], rel=1e-10)
    _approx(r["std_error"], [2.31314937732, 3.05419793072], rel=1e-10)
    assert r.loc[0, "ci_low"] == pytest.approx(24.6022727273 - 1.959963985 * 2.31314937732, rel=1e-8)
    d = rmst_difference(AML, **AML_ARGS, tau=30)
    se = np.hypot(2.31314937732, 3.05419793072)
    diff = 19.6944444444 - 24.6022727273
    _approx(d[["estimate", "std_error", "statistic"]].to_numpy()[0], [diff, se, diff / se], rel=1e-9)
    assert d.loc[0, "x"] == "Nonmaintained" and d.loc[0, "effect_size_type"] == "RMST ratio"
    # R: 2 * pnorm(-abs(d / se)) with R's rmean and se(rmean) above
    assert d.loc[0, "p_value"] == pytest.approx(0.200198666048, rel=1e-8)
    other = rmst_difference(AML, **AML_ARGS, tau=30, reference="Nonmaintained")
    assert other.loc[0, "estimate"] == pytest.approx(-diff)


def test_rmst_warns_when_tau_is_beyond_follow_up():
    with pytest.warns(UxcxWarning, match="beyond the last follow-up"):
        rmst(pd.DataFrame({"duration": [1, 2, 3], "event": [1, 0, 0]}), tau=5)


def test_lifetime_value_and_revenue_at_stake():
    d = AML.assign(revenue=np.where(AML["x"] == "Maintained", 10.0, 20.0))
    lv = lifetime_value(d, **AML_ARGS, tau=30)
    _approx(lv["estimate"], [246.022727273, 393.888888888], rel=1e-9)  # 10 and 20 times R's rmean
    _approx(lv["std_error"], [23.1314937732, 61.0839586144], rel=1e-9)  # revenue constant: se_R = 0
    at = revenue_at_stake(d, **AML_ARGS, tau=30)  # reference: the longer RMST (Maintained)
    assert at.loc[0, "x"] == "Nonmaintained"
    assert at.loc[0, "estimate"] == pytest.approx((24.6022727273 - 19.6944444444) * 20 * 12, rel=1e-9)


# --- sample study -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(sample_study):
    s = sample_study
    a = s.analysis
    return survival_data(s["customers"], observed_until=a.observed_until, time_unit=a.time_unit), a


def test_sample_study_recovers_the_planted_plan_order(sample):
    d, a = sample
    assert int(d["event"].sum()) == 1458 and len(d) == 5000  # README: 1,458 of 5,000 churned
    km = kaplan_meier(d, by="plan", horizons=a.horizons)
    r = km.retention.pivot(index="term", columns="plan", values="estimate")
    # planted hazard ratios Basic 1, Plus 0.8, Pro 0.6: retention ordered Basic < Plus < Pro at every horizon
    assert ((r["Basic"] < r["Plus"]) & (r["Plus"] < r["Pro"])).all()
    assert set(r.index) == {"retention at 3 months", "retention at 6 months", "retention at 12 months"}
    lr = logrank(d, by="plan")
    assert lr.loc[0, "df"] == 2 and lr.loc[0, "p_value"] < 1e-6
    rm = rmst(d, by="plan", tau=12)
    assert rm["estimate"].is_monotonic_increasing  # Basic, Plus, Pro
    fig = km_plot(km.curve, xlabel="Months")
    assert len(fig.axes) == 2 and len(fig.axes[0].get_lines()) == 3


def test_km_matches_lifelines_on_sample(sample):
    from lifelines import KaplanMeierFitter

    d, _ = sample
    part = d[d["plan"] == "Pro"]
    kmf = KaplanMeierFitter().fit(part["duration"], part["event"])
    curve = kaplan_meier(part).curve
    lf = (kmf.survival_function_.iloc[1:, 0] if kmf.survival_function_.index[0] == 0
          else kmf.survival_function_.iloc[:, 0])
    _approx(curve["survival"], lf.to_numpy(), rel=1e-10)
    ci = kmf.confidence_interval_.loc[curve["time"]]
    _approx(curve["ci_low"], ci.iloc[:, 0], rel=1e-8)


# --- survival_data ----------------------------------------------------------------------

def test_survival_data_from_dates_and_tenure():
    c = pd.DataFrame({"start": ["2025-01-01", "2025-01-01"], "end": ["2025-03-02", None], "plan": ["A", "B"]},
                     index=pd.Index([2, 3], name="row"))
    s = survival_data(c, observed_until="2025-12-31")
    _approx(s["duration"], [60 / (365.25 / 12), 364 / (365.25 / 12)])
    assert s["event"].tolist() == [1, 0] and s.attrs["time_unit"] == "months" and list(s.index) == [2, 3]
    assert "duration" not in c.columns  # the caller's frame is untouched
    with pytest.warns(UxcxWarning, match="2025-03-02"):
        survival_data(c)
    t = survival_data(pd.DataFrame({"tenure": [0, 5.5], "churned": [True, False]}), tenure="tenure",
                      churned="churned")
    assert t["duration"].tolist() == [0.0, 5.5] and t["event"].tolist() == [1, 0]


def test_survival_data_reports_every_bad_row():
    c = pd.DataFrame({"start": ["2025-02-01", "2025-01-01", None, "soon", "2025-01-01"],
                      "end": ["2025-01-15", "2026-02-01", None, None, None]},
                     index=pd.Index([2, 3, 4, 5, 6], name="row"))
    with pytest.raises(DataError) as err:
        survival_data(c, observed_until="2025-12-31")
    found = {(p.row, p.column, p.reason.split(" (")[0]) for p in err.value.problems}
    assert found == {(2, "end", "churn date before the start date"),
                     (3, "end", "churn date after observed_until"),
                     (4, "start", "missing start date"), (5, "start", "not a date")}
    t = pd.DataFrame({"tenure": [-1, None, 3], "churned": [1, 0, 2]}, index=pd.Index([2, 3, 4], name="row"))
    with pytest.raises(DataError) as err:
        survival_data(t, tenure="tenure", churned="churned")
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "tenure"), (3, "tenure"), (4, "churned")}


def test_kaplan_meier_rejects_bad_durations_and_flags():
    d = pd.DataFrame({"duration": [1, -2, np.nan], "event": [1, 3, 0]}, index=pd.Index([2, 3, 4], name="row"))
    with pytest.raises(DataError) as err:
        kaplan_meier(d)
    assert {(p.row, p.column) for p in err.value.problems} == {(3, "duration"), (4, "duration"), (3, "event")}
    with pytest.raises(uxcx.errors.UxcxError, match="ci_method"):
        kaplan_meier(AML, **AML_ARGS, ci_method="arcsin")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 1), st.sampled_from("AB")),
                min_size=2, max_size=40))
def test_km_is_order_free_and_monotone(rows):
    d = pd.DataFrame(rows, columns=["duration", "event", "g"])
    a = kaplan_meier(d, by="g").curve
    b = kaplan_meier(d.iloc[::-1].reset_index(drop=True), by="g").curve
    pd.testing.assert_frame_equal(a, b)
    for _, part in a.groupby("g"):
        assert (np.diff(part["survival"]) <= 1e-15).all()
        assert part["n_at_risk"].iloc[0] == (d["g"] == part["g"].iloc[0]).sum()
