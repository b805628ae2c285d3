"""regress, tidy and glance on real data against R: AIC and BIC as R's AIC()/BIC() count them, the
converged ordinal fit, and p-values computed in log space (never 0).

Real exports from ../shared/realdata (SOURCES.md): the Carpentries instructor-training survey
(967 responses; Likely-To-Recommend 0-10 and agreement items) and IBM's Telco churn sample (7,043
customers). R 4.2 with MASS 7.3-58 and ordinal 2022.11-16; each R call is written beside its values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from uxcx._core.pvalues import SMALLEST_P
from uxcx.link.model_tidy import glance, tidy
from uxcx.link.models import regress

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
AGREE = ["Strongly Disagree", "Disagree", "Neither Agree nor Disagree", "Agree", "Strongly Agree"]
PREDICTORS = ["worth", "material", "at_event"]


@pytest.fixture
def carpentries(realdata):
    # R 4.2:
    # r <- read.csv("../shared/realdata/nps_csat/carpentries/instructor-training_20180908_post_clean.csv")
    # lv <- c("Strongly Disagree", "Disagree", "Neither Agree nor Disagree", "Agree", "Strongly Agree")
    # r$worth <- match(r$Worth, lv); r$material <- match(r$Material, lv)
    # r$at_event <- as.integer(startsWith(r$WhenTaking, "I have just")); r$ltr <- r$LikelyToRecommend
    # r$cat <- cut(r$ltr, c(-1, 6, 8, 10), labels = c("detractor", "passive", "promoter"),
    #              ordered_result = TRUE); r$promoter <- as.integer(r$ltr >= 9)
    raw = pd.read_csv(realdata / "nps_csat" / "carpentries" / "instructor-training_20180908_post_clean.csv")
    codes = {label: i + 1 for i, label in enumerate(AGREE)}
    d = pd.DataFrame({"worth": raw["Worth"].map(codes), "material": raw["Material"].map(codes),
                      "at_event": raw["WhenTaking"].str.startswith("I have just").astype(int),
                      "ltr": raw["LikelyToRecommend"]})
    d["cat"] = pd.cut(d["ltr"], [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"], ordered=True)
    d["promoter"] = (d["ltr"] >= 9).astype(float).where(d["ltr"].notna())
    return d


def _fit(data, outcome, predictors):
    with pytest.warns(Warning, match="left out of the model for missing values"):
        return regress(data, outcome=outcome, predictors=predictors)


def test_aic_bic_of_ols_logit_and_ordinal_on_a_real_survey_equal_R(carpentries):
    ols = glance(_fit(carpentries, "ltr", PREDICTORS)).loc[0]
    # R: ml <- lm(ltr ~ worth + material + at_event, r); c(nobs(ml), AIC(ml), BIC(ml), logLik(ml))
    assert ols["n"] == 881
    np.testing.assert_allclose(ols[["aic", "bic", "log_likelihood"]].astype(float),
                               [2937.77918654622, 2961.68447467590, -1463.88959327311], rtol=1e-12)
    logit = glance(_fit(carpentries, "promoter", PREDICTORS)).loc[0]
    # R: gl <- glm(promoter ~ worth + material + at_event, binomial, r); c(AIC(gl), BIC(gl))
    np.testing.assert_allclose(logit[["aic", "bic"]].astype(float), [1057.91227662629, 1077.03650713004],
                               rtol=1e-10)
    ordinal = glance(_fit(carpentries, "cat", PREDICTORS)).loc[0]
    # R: po <- MASS::polr(cat ~ worth + material + at_event, r, Hess = TRUE); c(AIC(po), BIC(po))
    np.testing.assert_allclose(ordinal[["aic", "bic"]].astype(float), [1334.02024904951, 1357.92553717919],
                               rtol=1e-11)


def test_aic_bic_of_ols_on_telco_and_mtcars_csv_equal_R(realdata):
    telco = pd.read_csv(realdata / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    g = glance(regress(telco, outcome="MonthlyCharges", predictors=["Tenure", "Contract", "SeniorCitizen"]))
    # R: t <- read.csv(".../WA_Fn-UseC_-Telco-Customer-Churn.csv")
    #    mt <- lm(MonthlyCharges ~ Tenure + Contract + SeniorCitizen, t); c(nobs(mt), AIC(mt), BIC(mt))
    assert g.loc[0, "n"] == 7043
    np.testing.assert_allclose(g.loc[0, ["aic", "bic"]].astype(float), [66462.4324420890, 66503.5911790575],
                               rtol=1e-12)
    mtcars = pd.read_csv(ROOT / "tests" / "data" / "mtcars.csv")
    g = glance(regress(mtcars, outcome="mpg", predictors=["wt", "hp"]))
    # R: m <- lm(mpg ~ wt + hp, read.csv("tests/data/mtcars.csv")); c(AIC(m), BIC(m), logLik(m))
    np.testing.assert_allclose(g.loc[0, ["aic", "bic", "log_likelihood"]].astype(float),
                               [156.652338825641, 162.515282436840, -74.3261694128207], rtol=1e-12)
    assert "statsmodels" not in g.loc[0, "method"]


def test_ordinal_on_a_real_survey_equals_converged_polr_and_clm(carpentries):
    t = tidy(_fit(carpentries, "cat", PREDICTORS)).set_index("term")
    terms = [*PREDICTORS, "threshold detractor/passive", "threshold passive/promoter"]
    # R: po <- MASS::polr(cat ~ worth + material + at_event, r, Hess = TRUE,
    #      control = list(reltol = 0, maxit = 1e5, ndeps = rep(1e-6, 5)))
    #    c(coef(po), po$zeta); sqrt(diag(vcov(po)))
    polr_coef = [1.534990157455455, 0.059164264662271, -0.408826035102189, 3.706009202636575,
                 6.501901135072314]
    polr_se = [0.132988823820312, 0.129065646579884, 0.173960667116185, 0.547496429661594, 0.584869972135830]
    np.testing.assert_allclose(t.loc[terms, "coef"], polr_coef, rtol=1e-6)
    np.testing.assert_allclose(t.loc[terms, "std_error"], polr_se, rtol=1e-6)
    # R: cl <- ordinal::clm(cat ~ worth + material + at_event, data = r,
    #      control = clm.control(gradTol = 1e-12, relTol = 1e-14)); coef(cl); sqrt(diag(vcov(cl)))
    #    (max |gradient| 2.4e-12)
    clm_coef = [1.5349901673121797, 0.0591642449424253, -0.4088260759786078, 3.7060091343504045,
                6.5019010483847639]
    clm_se = [0.132988824128620, 0.129065646778736, 0.173960667938200, 0.547496429251374, 0.584869971488532]
    np.testing.assert_allclose(t.loc[terms, "coef"], clm_coef, rtol=1e-9)
    np.testing.assert_allclose(t.loc[terms, "std_error"], clm_se, rtol=1e-9)


def test_underflowing_p_values_of_ols_are_R_log_p_and_never_zero(realdata):
    telco = pd.read_csv(realdata / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    t = tidy(regress(telco, outcome="MonthlyCharges", predictors=["Tenure", "Contract", "SeniorCitizen"]))
    # R: X <- model.matrix(mt); e <- resid(mt); h <- hatvalues(mt); B <- solve(crossprod(X))
    #    s <- coef(mt) / sqrt(diag(B %*% crossprod(X * (e / (1 - h))) %*% B))       # HC3 t
    #    (log(2) + pt(-abs(s), df = 7038, log.p = TRUE)) / log(10)
    np.testing.assert_allclose(t["statistic"], [99.3837580088884, 37.9789419971275, -16.9423115620298,
                                                -27.5582163670583, 15.9456690552320], rtol=1e-11)
    r_log10 = [-1342.0321104689399, -286.5605779663579, -62.4127053903448, -158.1249208702989,
               -55.5335491888176]
    np.testing.assert_allclose(t["log10_p_value"], r_log10, rtol=1e-11)
    assert (t["p_value"] > 0).all() and t.loc[0, "p_value"] == SMALLEST_P
    assert "p < 1e-300 (log10 p = -1342.0" in t.loc[0, "method"]
    assert "p < 1e-300" not in t.loc[1, "method"]  # 1e-287 is representable
    assert t.columns.get_loc("log10_p_value") == t.columns.get_loc("p_value") + 1


def test_logit_of_the_issue_example_never_reads_p_zero():
    # issue 13: 18,000 of 20,000 completions against 2,000 of 20,000
    completed = np.r_[np.repeat([1, 0], [2000, 18_000]), np.repeat([1, 0], [18_000, 2000])]
    d = pd.DataFrame({"new_design": np.repeat([0, 1], 20_000), "completed": completed})
    fit = regress(d, outcome="completed", predictors="new_design")
    t, g = tidy(fit), glance(fit)
    # R: m <- glm(cbind(s, f) ~ g, binomial, data.frame(g = 0:1, s = c(2000, 18000), f = c(18000, 2000)))
    #    z <- coef(summary(m))[, 3]; (log(2) + pnorm(-abs(z), log.p = TRUE)) / log(10)
    np.testing.assert_allclose(t["log10_p_value"], [-1889.08423544417, -3776.25134030434], rtol=1e-7)
    #    lr <- m$null.deviance - m$deviance; pchisq(lr, 1, lower.tail = FALSE, log.p = TRUE) / log(10)
    assert g.loc[0, "statistic"] == pytest.approx(29445.1365734798, rel=1e-9)
    assert g.loc[0, "log10_p_value"] == pytest.approx(-6396.26274784799, rel=1e-9)
    assert (t["p_value"] == SMALLEST_P).all() and g.loc[0, "p_value"] == SMALLEST_P
    assert "p < 1e-300" in g.loc[0, "method"] and "p < 1e-300" in t.loc[1, "method"]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), slope=st.floats(0.0, 0.6))
def test_log_p_equals_the_ordinary_p_where_representable(seed, slope):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame({"x": rng.normal(size=60)})
    d["y"] = slope * d["x"] + rng.normal(size=60)
    fit = regress(d, outcome="y", predictors="x")
    t, g = tidy(fit), glance(fit)
    ordinary = 2 * stats.t.sf(np.abs(t["statistic"]), t["df"])
    np.testing.assert_allclose(t["p_value"], ordinary, rtol=1e-10)
    np.testing.assert_allclose(t["log10_p_value"], np.log10(ordinary), rtol=1e-10, atol=1e-12)
    f_ordinary = stats.f.sf(g.loc[0, "statistic"], g.loc[0, "df_model"], g.loc[0, "df_resid"])
    assert g.loc[0, "p_value"] == pytest.approx(f_ordinary, rel=1e-10)


def test_log_p_falls_as_the_effect_grows():
    rng = np.random.default_rng(3)
    x, noise = rng.normal(size=500), rng.normal(size=500)
    log10 = [tidy(regress(pd.DataFrame({"x": x, "y": s * x + noise}), outcome="y", predictors="x"))
             .loc[1, "log10_p_value"] for s in (0.5, 2.0, 8.0, 32.0, 128.0)]
    assert np.all(np.diff(log10) < 0) and log10[-1] < -300 and np.isfinite(log10).all()
