"""Tests of uxcx.retention.proportional_hazards and uxcx.retention.churn against R's survival package
(R 4.2.2,
survival 3.5-3, installed on the build machine) and statsmodels."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from uxcx._core.results import COLUMNS
from uxcx.errors import DataError, UxcxError, UxcxWarning
from uxcx.retention.churn import churn_by_horizon, hazard_sentences
from uxcx.retention.proportional_hazards import cox, ph_check

DATA = __import__("pathlib").Path(__file__).parents[1] / "data"

# R's survival::aml (acute myelogenous leukaemia), printed with `print(aml)` in R 4.2.2.
AML = pd.DataFrame({
    "duration": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})

VETERAN_COVS = ["trt", "celltype", "karno", "diagtime", "age", "prior"]


@pytest.fixture
def veteran():
    # tests/data/veteran.csv: R 4.2.2, `write.csv(survival::veteran, "veteran.csv", row.names=FALSE)`;
    # celltype keeps R's factor level order (squamous first = reference).
    v = pd.read_csv(DATA / "veteran.csv")
    v["celltype"] = pd.Categorical(v["celltype"], ["squamous", "smallcell", "adeno", "large"])
    return v


@pytest.fixture
def telco(realdata):
    raw = pd.read_csv(realdata / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    return pd.DataFrame({"duration": raw["Tenure"], "event": (raw["Churn"] == "Yes").astype(int),
                         "contract": raw["Contract"], "monthly": raw["MonthlyCharges"],
                         "senior": raw["SeniorCitizen"]})


def test_aml_against_R():
    r = cox(AML, covariates="x")
    # R: summary(coxph(Surv(time, status) ~ x, data = aml)): coef 0.915532575015, se 0.511934275172,
    # exp(coef) 2.498105, lower .95 0.9159073, upper .95 6.813496, z 1.78838, p 0.073715; n 23, events 18.
    row = r.iloc[0]
    assert row["term"] == "x[Nonmaintained]" and row["reference"] == "Maintained"
    assert row["coef"] == pytest.approx(0.915532575015, abs=1e-7)
    assert row["std_error"] == pytest.approx(0.511934275172, abs=1e-7)
    assert row["estimate"] == pytest.approx(2.498105, abs=1e-6)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.9159073, 6.813496), abs=1e-6)
    assert row["statistic"] == pytest.approx(1.78838, abs=1e-5)
    assert row["p_value"] == pytest.approx(0.073715, abs=1e-6)
    assert (row["n"], row["events"]) == (23, 18)
    assert row["method"] == "Cox proportional hazards, Efron ties"
    assert list(r.columns[:len(COLUMNS)]) == COLUMNS
    assert list(r.columns[len(COLUMNS):]) == ["coef", "events", "covariate", "level", "reference"]


def test_aml_ph_check_against_R():
    # R: cox.zph(coxph(Surv(time, status) ~ x, data = aml))$table: x 0.00787508 1 0.92929 (and GLOBAL).
    t = ph_check(AML, covariates="x")
    assert t["term"].tolist() == ["x", "GLOBAL"]
    assert t["statistic"].tolist() == pytest.approx([0.00787508] * 2, abs=1e-8)
    assert t["p_value"].tolist() == pytest.approx([0.92929] * 2, abs=1e-5)


def test_veteran_against_R(veteran):
    with pytest.warns(UxcxWarning, match="karno"):
        r = cox(veteran, duration="time", event="status", covariates=VETERAN_COVS)
    # R: coxph(Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior, data = veteran);
    # print(coef(fit), digits = 12); print(sqrt(diag(vcov(fit))), digits = 12)
    coef = [2.94602821508e-01, 8.61560462755e-01, 1.19606637418e+00, 4.01291654331e-01,
            -3.28153261943e-02, 8.13205130462e-05, -8.70647494579e-03, 7.15936018951e-03]
    se = [0.20754960360352, 0.27528447402269, 0.30091699449308, 0.28268863828085,
          0.00550775688646, 0.00913606224777, 0.00930029912031, 0.02323053840673]
    assert r["term"].tolist() == ["trt", "celltype[smallcell]", "celltype[adeno]", "celltype[large]",
                                  "karno", "diagtime", "age", "prior"]
    assert r["coef"].to_numpy() == pytest.approx(coef, abs=1e-6)
    assert r["std_error"].to_numpy() == pytest.approx(se, abs=1e-6)


def test_veteran_ph_check_against_R(veteran):
    with pytest.warns(UxcxWarning) as record:
        t = ph_check(veteran, duration="time", event="status", covariates=VETERAN_COVS)
    # R: cox.zph(fit)$table for the fit above (terms = TRUE, transform = "km"), digits = 12
    chisq = [0.2643888357543, 15.2273639238783, 12.9351978287468, 0.0128893707072,
             1.8288266094160, 2.1655663303672, 34.5524911057329]
    assert t["term"].tolist() == [*VETERAN_COVS, "GLOBAL"]
    assert t["df"].tolist() == [1, 3, 1, 1, 1, 1, 8]
    assert t["statistic"].to_numpy() == pytest.approx(chisq, rel=1e-7)
    assert t["p_value"].iloc[-1] == pytest.approx(3.22519348811e-05, rel=1e-6)
    failed = sorted(str(w.message).split("'")[1] for w in record)
    assert failed == ["celltype", "karno"]
    assert "Stratify" in str(record[0].message)


def test_veteran_stratified_against_R(veteran):
    # R: fs <- coxph(Surv(time, status) ~ trt + karno + age + strata(celltype), data = veteran);
    # coef(fs), sqrt(diag(vcov(fs))), cox.zph(fs)$table
    kw = dict(duration="time", event="status", covariates=["trt", "karno", "age"], strata="celltype")
    with pytest.warns(UxcxWarning, match="karno"):
        r = cox(veteran, **kw)
    assert r["coef"].to_numpy() == pytest.approx([0.2914386125557, -0.0374976938898, -0.0118319525454],
                                                 abs=1e-6)
    assert r["std_error"].to_numpy() == pytest.approx([0.20737416850152, 0.00574294289500,
                                                       0.00974482796856], abs=1e-6)
    t = ph_check(veteran, warn=False, **kw)
    assert t["statistic"].to_numpy() == pytest.approx(
        [0.00465549745363, 6.72046454447684, 2.52332333669141, 12.18403089110674], rel=1e-6)


def test_telco_by_contract_against_R(telco):
    # R: coxph(Surv(Tenure, Churn == "Yes") ~ Contract, data = telco) (ties = "efron"):
    # n 7043 (the 11 customers with Tenure 0 are kept, as censored at 0), 1869 events.
    with pytest.warns(UxcxWarning, match="contract"):
        r = cox(telco, covariates="contract")
    assert r["coef"].to_numpy() == pytest.approx([-2.19109675788, -4.22538623611], abs=1e-6)
    assert r["std_error"].to_numpy() == pytest.approx([0.083445355498, 0.156262962208], abs=1e-6)
    assert (r["n"].iloc[0], r["events"].iloc[0]) == (7043, 1869)
    # R: cox.zph(fit)$table: Contract 110.966822137 on 2 df
    t = ph_check(telco, covariates="contract", warn=False)
    assert t["statistic"].iloc[0] == pytest.approx(110.966822137, rel=1e-7)


def test_telco_multi_against_R(telco):
    # R: coxph(Surv(Tenure, Churn == "Yes") ~ Contract + MonthlyCharges + SeniorCitizen, data = telco)
    with pytest.warns(UxcxWarning):
        r = cox(telco, covariates=["contract", "monthly", "senior"])
    assert r["coef"].to_numpy() == pytest.approx(
        [-2.187104782969118, -4.217438215596689, 0.000134295591515, 0.022768568794847], abs=1e-6)
    assert r["std_error"].to_numpy() == pytest.approx(
        [0.083866269707346, 0.157257050848788, 0.000917756409092, 0.054881588404765], rel=1e-5)
    t = ph_check(telco, covariates=["contract", "monthly", "senior"], warn=False)
    # R: cox.zph(fit)$table
    assert t["statistic"].to_numpy() == pytest.approx(
        [111.5005245080048, 62.9941035690058, 0.0357641964619, 191.1266113733621], rel=1e-6)


def test_sample_study_plan_hazard_ratios(sample_study):
    s = sample_study
    c = s["customers"].copy()
    end = pd.to_datetime(c["end"])
    last = end.fillna(pd.Timestamp("2025-12-31"))
    frame = pd.DataFrame({"duration": (last - pd.to_datetime(c["start"])).dt.days / (365.25 / 12),
                          "event": end.notna().astype(int), "plan": c["plan"]})
    r = cox(frame, covariates="plan", reference={"plan": "Basic"}).set_index("term")
    # data/sample/README.md: planted HR Plus 0.8 / Pro 0.6, realised 0.863 / 0.565
    for term, planted, realised in (("plan[Plus]", 0.8, 0.863), ("plan[Pro]", 0.6, 0.565)):
        assert r.loc[term, "ci_low"] < planted < r.loc[term, "ci_high"]
        assert r.loc[term, "ci_low"] < realised < r.loc[term, "ci_high"]


def test_tied_times_against_R():
    # Every death tied: R: d <- data.frame(t = c(1,1,1,2,2,2,3,3), e = 1, x = c(0,1,0,1,0,1,1,0));
    # coxph(Surv(t, e) ~ x, d): coef -0.160358877553, se 0.709095696268 (Efron).
    d = pd.DataFrame({"duration": [1, 1, 1, 2, 2, 2, 3, 3], "event": 1, "x": [0, 1, 0, 1, 0, 1, 1, 0]})
    r = cox(d, covariates="x", check_ph=False)
    assert r["coef"].iloc[0] == pytest.approx(-0.160358877553, abs=1e-6)
    assert r["std_error"].iloc[0] == pytest.approx(0.709095696268, abs=1e-6)


def test_bad_input():
    with pytest.raises(UxcxError, match="every one is censored"):
        cox(AML.assign(event=0), covariates="x")
    with pytest.raises(UxcxError, match="'k'.*same value"):
        cox(AML.assign(k=3.0), covariates=["x", "k"])
    with pytest.raises(DataError, match="duration"):
        cox(AML.assign(duration=AML["duration"] - 10), covariates="x")
    with pytest.raises(DataError, match="event"):
        cox(AML.assign(event=AML["event"] * 2), covariates="x")
    with pytest.raises(UxcxError, match="ties"):
        cox(AML, covariates="x", ties="exact")
    with pytest.raises(UxcxError, match="reference level"):
        cox(AML, covariates="x", reference={"x": "Other"})


def test_level_without_events_warns():
    d = pd.concat([AML, pd.DataFrame({"duration": [3, 7, 40], "event": 0, "x": "None"})], ignore_index=True)
    with pytest.warns(UxcxWarning, match="'None' has no events"):
        cox(d, covariates="x", check_ph=False)


def test_missing_rows_counted_and_input_untouched():
    d = AML.copy()
    d.loc[0, "x"] = None
    before = d.copy()
    with pytest.warns(UxcxWarning, match="1 row"):
        r = cox(d, covariates="x", check_ph=False)
    assert r.attrs["dropped"] == 1 and r["n"].iloc[0] == 22
    pd.testing.assert_frame_equal(d, before)


def test_churn_by_horizon_telco_against_R(telco):
    d = telco[telco["contract"] != "Two year"]
    with pytest.warns(UxcxWarning, match="1011 customer"):
        r = churn_by_horizon(d, horizon=12, predictors=["contract", "monthly"])
    # R: d <- telco[telco$Contract != "Two year", ]; s <- d[(d$Churn == "Yes" & d$Tenure <= 12) |
    # d$Tenure >= 12, ]; s$y <- s$Churn == "Yes" & s$Tenure <= 12;
    # coef(summary(glm(y ~ Contract + MonthlyCharges, family = binomial, data = s,
    #                   control = glm.control(epsilon = 1e-14, maxit = 100)))): n 4337, 1037 churned,
    # 1011 censored before 12 left out. (With glm's default epsilon = 1e-8 the SE of ContractOne year is
    # 0.28240807: computed at the weights of its last, not yet converged, IRLS step.)
    assert r["coef"].to_numpy() == pytest.approx([-4.1323594397526, -0.0121721057003], abs=1e-8)
    assert r["std_error"].to_numpy() == pytest.approx([0.28241261910566, 0.00150664432991], rel=1e-7)
    assert r["statistic"].to_numpy() == pytest.approx([-14.63234699936, -8.07895098975], rel=1e-7)
    assert (r["n"].iloc[0], r["events"].iloc[0], r["excluded"].iloc[0]) == (4337, 1037, 1011)
    assert r.attrs["excluded"] == 1011
    assert r["term"].tolist() == ["contract[One year]", "monthly"]
    sentences = hazard_sentences(r, labels={"monthly": "monthly charge"}, per={"monthly": 10})
    assert sentences[0].startswith("Customers with contract = One year had 0.02 times the odds of having "
                                   "churned by 12 of those with contract = Month-to-month (95% CI")
    assert sentences[1].startswith("Each 10-point higher monthly charge goes with 0.89 times the odds")


def test_churn_by_horizon_against_statsmodels(rng):
    n = 400
    d = pd.DataFrame({"duration": rng.exponential(10, n).round(1), "event": rng.integers(0, 2, n),
                      "ux": rng.normal(size=n)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        r = churn_by_horizon(d, horizon=6, predictors="ux")
    known = (d["event"].eq(1) & d["duration"].le(6)) | d["duration"].ge(6)
    y = (d["event"].eq(1) & d["duration"].le(6))[known].astype(float)
    fit = sm.Logit(y, sm.add_constant(d.loc[known, ["ux"]])).fit(disp=0)
    ci = np.exp(fit.conf_int().loc["ux"]).to_numpy()
    assert r["estimate"].iloc[0] == pytest.approx(np.exp(fit.params["ux"]), rel=1e-8)
    assert [r["ci_low"].iloc[0], r["ci_high"].iloc[0]] == pytest.approx(ci, rel=1e-8)
    assert r["excluded"].iloc[0] == int((~known).sum())


def test_churn_by_horizon_separation_and_nothing_to_model(telco):
    with pytest.warns(UxcxWarning, match="'Two year': none of its customers churned"):
        churn_by_horizon(telco, horizon=12, predictors="contract")
    with pytest.raises(UxcxError, match="no customer churned"):
        churn_by_horizon(telco.assign(event=0), horizon=12, predictors="contract")


def test_hazard_sentences_no_clear_difference_and_rescaling():
    r = cox(AML, covariates="x", check_ph=False)
    (s,) = hazard_sentences(r, labels={"x[Nonmaintained]": "Patients not maintained",
                                       "x[Maintained]": "maintained patients"})
    # HR 2.50 with 95% CI 0.92 to 6.8 (R, above): the interval contains 1.
    assert s == ("Patients not maintained showed no clear difference in how fast they left from maintained "
                 "patients (hazard ratio 2.5, 95% CI 0.92 to 6.8).")
    row = pd.DataFrame({"term": ["umux"], "estimate": [np.exp(-0.25)], "ci_low": [np.exp(-0.35)],
                        "ci_high": [np.exp(-0.15)], "confidence_level": [0.9], "method": [
                            "Cox proportional hazards, Efron ties"], "covariate": ["umux"], "level": [np.nan],
                        "reference": [np.nan]})
    (s,) = hazard_sentences(row, labels={"umux": "UMUX-Lite"}, per={"umux": -2})
    # exp(0.5) = 1.65, exp(0.3) = 1.35, exp(0.7) = 2.01
    assert s == "Each 2-point lower UMUX-Lite goes with 1.6 times the churn rate (90% CI 1.3 to 2.0)."
