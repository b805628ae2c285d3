"""Models of CX on UX: regress, tidy, glance, vif, effect_sentences (uxcx.link.models, uxcx.link.model_tidy).

Reference values come from R 4.2 on R's own mtcars (datasets package), typed in
below; each number says which R call produced it.
"""


import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.miscmodels.ordinal_model import OrderedModel

import uxcx
from uxcx._core.results import COLUMNS
from uxcx.errors import UxcxWarning
from uxcx.link.model_tidy import effect_sentences, glance, tidy
from uxcx.link.models import ModelError, regress, vif

# R 4.2: write.csv(mtcars) -- the columns used here, rows in R's order.
MTCARS = {
    "mpg": [21.0, 21.0, 22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4,
            14.7, 32.4, 30.4, 33.9, 21.5, 15.5, 15.2, 13.3, 19.2, 27.3, 26.0, 30.4, 15.8, 19.7, 15.0, 21.4],
    "cyl": [6, 6, 4, 6, 8, 6, 8, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 4, 8, 6, 8, 4],
    "disp": [160.0, 160.0, 108.0, 258.0, 360.0, 225.0, 360.0, 146.7, 140.8, 167.6, 167.6, 275.8, 275.8,
             275.8, 472.0, 460.0, 440.0, 78.7, 75.7, 71.1, 120.1, 318.0, 304.0, 350.0, 400.0, 79.0, 120.3,
             95.1, 351.0, 145.0, 301.0, 121.0],
    "hp": [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97,
           150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109],
    "drat": [3.9, 3.9, 3.85, 3.08, 3.15, 2.76, 3.21, 3.69, 3.92, 3.92, 3.92, 3.07, 3.07, 3.07, 2.93, 3.0,
             3.23, 4.08, 4.93, 4.22, 3.7, 2.76, 3.15, 3.73, 3.08, 4.08, 4.43, 3.77, 4.22, 3.62, 3.54, 4.11],
    "wt": [2.62, 2.875, 2.32, 3.215, 3.44, 3.46, 3.57, 3.19, 3.15, 3.44, 3.44, 4.07, 3.73, 3.78, 5.25, 5.424,
           5.345, 2.2, 1.615, 1.835, 2.465, 3.52, 3.435, 3.84, 3.845, 1.935, 2.14, 1.513, 3.17, 2.77, 3.57,
           2.78],
    "qsec": [16.46, 17.02, 18.61, 19.44, 17.02, 20.22, 15.84, 20.0, 22.9, 18.3, 18.9, 17.4, 17.6, 18.0,
             17.98, 17.82, 17.42, 19.47, 18.52, 19.9, 20.01, 16.87, 17.3, 15.41, 17.05, 18.9, 16.7, 16.9,
             14.5, 15.5, 14.6, 18.6],
    "am": [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1],
    "gear": [4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 4],
}


@pytest.fixture
def mtcars():
    d = pd.DataFrame(MTCARS)
    d["cylf"] = d["cyl"].astype(str)
    return d


@pytest.fixture(scope="module")
def survey(sample_study):
    sv = sample_study["survey"].copy()
    sv["umux"] = uxcx.umux_lite_score(sv)
    sv["ease"] = sv[["ease_search", "ease_checkout", "ease_returns"]].mean(axis=1)
    sv["promoter"] = (sv["nps"] >= 9).astype(int)
    return sv


# --- OLS with HC3 --------------------------------------------------------------------------------

def test_ols_hc3_against_R(mtcars):
    fit = regress(mtcars, outcome="mpg", predictors=["wt", "hp"], covariates="cylf")
    t = tidy(fit).set_index("term")
    # R 4.2: m <- lm(mpg ~ wt + hp + factor(cyl), mtcars)
    #        lmtest::coeftest(m, vcov. = sandwich::vcovHC(m, type = "HC3"))
    r_est = [35.845995315, -3.181404047, -0.023119809, -3.359024896, -3.185884445]
    r_se = [2.7107584974633, 0.8090717356627, 0.0126175266073, 1.3817935229113, 2.5220381625754]
    r_p = [2.6077e-13, 0.00052942, 0.07795021, 0.02197901, 0.21731057]
    terms = ["intercept", "wt", "hp", "cylf: 6 vs 4", "cylf: 8 vs 4"]
    np.testing.assert_allclose(t.loc[terms, "estimate"], r_est, rtol=1e-8)  # R printed 9 digits
    np.testing.assert_allclose(t.loc[terms, "std_error"], r_se, rtol=1e-10)
    np.testing.assert_allclose(t.loc[terms, "p_value"], r_p, rtol=1e-4)
    assert (t["df"] == 27).all()
    # R 4.2: coef(m)[2:3] * c(sd(mtcars$wt), sd(mtcars$hp)) / sd(mtcars$mpg)
    np.testing.assert_allclose(t.loc[["wt", "hp"], "effect_size"], [-0.516491670698, -0.263012128337],
                               rtol=1e-10)
    assert t.loc["wt", "method"] == "OLS, HC3 errors"


def test_ols_hc3_equals_statsmodels_get_robustcov_results(mtcars):
    fit = regress(mtcars, outcome="mpg", predictors=["wt", "hp", "qsec"])
    X = sm.add_constant(mtcars[["wt", "hp", "qsec"]])
    ref = sm.OLS(mtcars["mpg"], X).fit().get_robustcov_results("HC3", use_t=True)
    t = tidy(fit)
    np.testing.assert_allclose(t["std_error"], ref.bse, rtol=1e-12)
    np.testing.assert_allclose(t[["ci_low", "ci_high"]], ref.conf_int(0.05), rtol=1e-12)


def test_glance_ols_against_R(mtcars):
    g = glance(regress(mtcars, outcome="mpg", predictors=["wt", "hp"], covariates="cylf"))
    # R 4.2: summary(m)$r.squared, summary(m)$adj.r.squared for m above
    assert g.loc[0, "r_squared"] == pytest.approx(0.857219452462, rel=1e-10)
    assert g.loc[0, "adj_r_squared"] == pytest.approx(0.836066778753, rel=1e-10)
    assert g.loc[0, "n"] == 32 and np.isnan(g.loc[0, "pseudo_r_squared"])
    # R 4.2: AIC(m), BIC(m): the error variance counts as a parameter (statsmodels' own aic is 2 less)
    assert g.loc[0, "aic"] == pytest.approx(154.469229393441, rel=1e-12)
    assert g.loc[0, "bic"] == pytest.approx(163.263644810239, rel=1e-12)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.floats(-3, 3))
def test_standardised_beta_is_slope_on_z_scores(seed, slope):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame({"x": rng.normal(2, 3, 40), "w": rng.normal(size=40)})
    d["y"] = slope * d["x"] + d["w"] + rng.normal(size=40)
    beta = tidy(regress(d, outcome="y", predictors=["x", "w"])).set_index("term")["effect_size"]
    z = (d - d.mean()) / d.std()
    direct = sm.OLS(z["y"], sm.add_constant(z[["x", "w"]])).fit().params
    np.testing.assert_allclose(beta[["x", "w"]], direct[["x", "w"]], rtol=1e-8, atol=1e-12)


# --- logistic ------------------------------------------------------------------------------------

def test_logit_against_R_glm(mtcars):
    fit = regress(mtcars, outcome="am", predictors=["wt", "hp"])
    assert fit.uxcx["kind"] == "logit"
    t = tidy(fit).set_index("term")
    # R 4.2: g <- glm(am ~ wt + hp, family = binomial, mtcars); summary(g)$coefficients
    np.testing.assert_allclose(t["coef"], [18.8662987172041, -8.0834751824446, 0.0362555960822], rtol=1e-6)
    np.testing.assert_allclose(t["std_error"], [7.4435580602053, 3.0686751130547, 0.0177341536508], rtol=1e-5)
    np.testing.assert_allclose(t["p_value"], [0.01125819871661, 0.00843381259971, 0.04091464645903],
                               rtol=1e-5)
    # R 4.2: exp(cbind(coef(g), confint.default(g)))["hp", ]
    np.testing.assert_allclose(t.loc["hp", ["estimate", "ci_low", "ci_high"]].astype(float),
                               [1.03692084553, 1.00149841513, 1.07359614718], rtol=1e-6)
    assert t.loc["hp", "method"] == "logistic regression, odds ratio" and np.isnan(t.loc["hp", "df"])
    # R 4.2: AIC(g), BIC(g)
    assert glance(fit).loc[0, "aic"] == pytest.approx(16.0591104722670, rel=1e-9)
    assert glance(fit).loc[0, "bic"] == pytest.approx(20.4563181806662, rel=1e-9)


def test_tidy_of_user_fitted_glm_equals_logit(mtcars):
    X = sm.add_constant(mtcars[["wt", "hp"]])
    glm = sm.GLM(mtcars["am"], X, family=sm.families.Binomial()).fit()
    logit = sm.Logit(mtcars["am"], X).fit(disp=0)
    a, b = tidy(glm), tidy(logit)
    np.testing.assert_allclose(a["estimate"], b["estimate"], rtol=1e-6)
    np.testing.assert_allclose(a["ci_low"], b["ci_low"], rtol=1e-5)
    assert a["method"].iloc[0] == "GLM binomial (logit link), odds ratio"


# --- ordinal -------------------------------------------------------------------------------------

def test_ordinal_against_R_polr_converged(mtcars):
    mtcars["gear_o"] = pd.Categorical(mtcars["gear"], ordered=True)
    fit = regress(mtcars, outcome="gear_o", predictors=["wt", "qsec"])
    assert fit.uxcx["kind"] == "ordinal"
    t = tidy(fit).set_index("term")
    terms = ["wt", "qsec", "threshold 3/4", "threshold 4/5"]
    # R 4.2, MASS 7.3-58: p <- MASS::polr(factor(gear) ~ wt + qsec, mtcars, Hess = TRUE,
    #   control = list(reltol = 0, maxit = 1e5, ndeps = rep(1e-6, 4)))  # run to where BFGS stops
    # c(coef(p), p$zeta); sqrt(diag(vcov(p))). (polr's defaults stop in the 5th digit: wt -2.2654813.)
    polr_coef = [-2.265460624466624, -0.503544878714825, -16.407162514546670, -13.392327438514988]
    polr_se = [0.690899881835654, 0.268980854234304, 6.156114383411163, 5.756557261364576]
    np.testing.assert_allclose(t.loc[terms, "coef"], polr_coef, rtol=1e-6)
    np.testing.assert_allclose(t.loc[terms, "std_error"], polr_se, rtol=1e-6)
    # R 4.2, ordinal 2022.11-16 (Newton with the analytic Hessian, max |gradient| 2.8e-14):
    # c1 <- ordinal::clm(factor(gear) ~ wt + qsec, data = mtcars,
    #   control = clm.control(gradTol = 1e-12, relTol = 1e-14)); coef(c1); sqrt(diag(vcov(c1)))
    clm_coef = [-2.26546043372439, -0.50354480393891, -16.40716048471326, -13.39232579522834]
    clm_se = [0.690899840216417, 0.268980840328975, 6.156114006815800, 5.756556942521235]
    np.testing.assert_allclose(t.loc[terms, "coef"], clm_coef, rtol=1e-10)
    np.testing.assert_allclose(t.loc[terms, "std_error"], clm_se, rtol=1e-9)
    np.testing.assert_allclose(t.loc["wt", "estimate"], np.exp(clm_coef[0]), rtol=1e-10)
    assert np.abs(fit.model.score(np.asarray(fit.params))).max() < 1e-8
    # R 4.2: AIC(p), BIC(p)
    g = glance(fit)
    assert g.loc[0, "aic"] == pytest.approx(53.3006740207973, rel=1e-11)
    assert g.loc[0, "bic"] == pytest.approx(59.1636176319962, rel=1e-11)


def test_ordinal_score_and_hessian_equal_numerical_derivatives(mtcars):
    from statsmodels.tools.numdiff import approx_fprime, approx_hess

    from uxcx.link.ordinal_fit import ExactOrderedModel

    y = pd.Series(pd.Categorical(mtcars["gear"], ordered=True))
    model = ExactOrderedModel(y, mtcars[["wt", "qsec", "hp"]])
    params = np.array([-2.0, -0.4, 0.01, -15.0, 1.2])  # away from the optimum
    np.testing.assert_allclose(model.score(params), approx_fprime(params, model.loglike, centered=True),
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(model.hessian(params), approx_hess(params, model.loglike), rtol=1e-5,
                               atol=1e-4)


def test_ordinal_equals_statsmodels_directly(mtcars):
    y = pd.Series(pd.Categorical(mtcars["gear"], ordered=True))
    ref = OrderedModel(y, mtcars[["wt", "qsec"]], distr="logit").fit(method="bfgs", disp=0, maxiter=2000)
    t = tidy(ref)
    np.testing.assert_allclose(t["coef"].iloc[:2], ref.params.iloc[:2], rtol=1e-12)
    assert t["method"].iloc[0] == "ordinal logistic (proportional odds), odds ratio"


# --- every kind: schema, auto choice -------------------------------------------------------------

@pytest.mark.parametrize("outcome,kind", [("mpg", "ols"), ("am", "logit"), ("gear_o", "ordinal")])
def test_tidy_has_schema_columns_and_auto_picks_kind(mtcars, outcome, kind):
    mtcars["gear_o"] = pd.Categorical(mtcars["gear"], ordered=True)
    fit = regress(mtcars, outcome=outcome, predictors=["wt"])
    assert fit.uxcx["kind"] == kind
    t = tidy(fit, confidence_level=0.9)
    assert list(t.columns) == [*COLUMNS, "coef"]
    assert t.columns.get_loc("log10_p_value") == t.columns.get_loc("p_value") + 1
    np.testing.assert_allclose(10 ** t["log10_p_value"], t["p_value"], rtol=1e-9)
    assert (t["confidence_level"] == 0.9).all() and (t["n"] == 32).all()
    assert (t["ci_low"] < t["estimate"]).all() and (t["estimate"] < t["ci_high"]).all()


def test_nps_categories_are_ordered_detractor_to_promoter(survey):
    survey = survey.assign(nps_cat=uxcx.nps_category(survey))
    fit = regress(survey, outcome="nps_cat", predictors="ease")
    assert fit.uxcx["levels"] == ["detractor", "passive", "promoter"]
    assert tidy(fit).set_index("term").loc["ease", "estimate"] > 1


def test_rating_outcome_is_continuous_by_default_and_ordinal_on_request(survey):
    assert regress(survey, outcome="csat", predictors="ease").uxcx["kind"] == "ols"
    fit = regress(survey, outcome="csat", predictors="ease", kind="ordinal")
    assert fit.uxcx["levels"] == [1, 2, 3, 4, 5]
    assert "threshold 1/2" in set(tidy(fit)["term"])


def test_reference_level_is_stated_and_can_be_chosen(mtcars):
    fit = regress(mtcars, outcome="mpg", predictors="wt", covariates="cylf", reference={"cylf": "8"})
    assert {"cylf: 4 vs 8", "cylf: 6 vs 8"} <= set(fit.params.index)


def test_caller_frame_is_not_modified(mtcars):
    before = mtcars.copy()
    tidy(regress(mtcars, outcome="mpg", predictors=["wt"], covariates="cylf"))
    vif(mtcars, predictors=["wt", "hp"])
    pd.testing.assert_frame_equal(mtcars, before)


def test_missing_rows_are_left_out_with_a_warning(mtcars):
    mtcars.loc[[0, 5], "wt"] = np.nan
    with pytest.warns(UxcxWarning, match="2 of 32 rows"):
        fit = regress(mtcars, outcome="mpg", predictors="wt")
    assert int(fit.nobs) == 30


# --- bad input -----------------------------------------------------------------------------------

def test_outcome_with_one_value(mtcars):
    with pytest.raises(ModelError, match="one value"):
        regress(mtcars.assign(y=3.0), outcome="y", predictors="wt")


def test_constant_predictor(mtcars):
    with pytest.raises(ModelError, match=r"\['k'\] have the same value"):
        regress(mtcars.assign(k=1.0), outcome="mpg", predictors=["wt", "k"])


def test_perfectly_collinear_predictors(mtcars):
    mtcars["wt2"] = 2 * mtcars["wt"] + 1
    with pytest.raises(ModelError, match="'wt2' is an exact linear combination of 'the intercept', 'wt'"):
        regress(mtcars, outcome="mpg", predictors=["wt", "wt2"])


def test_fewer_rows_than_terms(mtcars):
    with pytest.raises(ModelError, match="3 rows for 4 terms"):
        regress(mtcars.head(3), outcome="mpg", predictors=["wt", "hp", "qsec"])


def test_perfect_separation(mtcars):
    mtcars["heavy"] = (mtcars["wt"] > 3.3).astype(int)
    with pytest.raises(ModelError, match="perfect separation"):
        regress(mtcars, outcome="heavy", predictors="wt")


@pytest.mark.parametrize("kwargs,match", [
    ({"outcome": "label", "predictors": "wt"}, "pass kind='ordinal' with order"),
    ({"outcome": "mpg", "predictors": "wt", "kind": "logit"}, "coded 0/1"),
    ({"outcome": "mpg", "predictors": "wt", "kind": "probit"}, "kind must be one of"),
    ({"outcome": "mpg", "predictors": "nope"}, "column is missing"),
    ({"outcome": "mpg", "predictors": ["wt"], "covariates": ["wt"]}, "used twice"),
])
def test_bad_arguments_have_clear_messages(mtcars, kwargs, match):
    mtcars["label"] = np.where(mtcars["am"] == 1, "manual", "auto")
    mtcars.loc[0, "label"] = "other"
    with pytest.raises(uxcx.UxcxError, match=match):
        regress(mtcars, **kwargs)


def test_tidy_refuses_what_is_not_a_model():
    with pytest.raises(uxcx.UxcxError, match="fitted statsmodels result"):
        tidy(pd.DataFrame())


# --- VIF -----------------------------------------------------------------------------------------

def test_vif_against_R(mtcars):
    v = vif(mtcars, predictors=["disp", "hp", "wt", "drat"]).set_index("term")
    # R 4.2: car::vif(lm(mpg ~ disp + hp + wt + drat, mtcars)); the first also equals
    # 1 / (1 - summary(lm(disp ~ hp + wt + drat, mtcars))$r.squared) = 8.20940183127
    np.testing.assert_allclose(v["estimate"], [8.20940183127, 2.89437323501, 5.09660071694, 2.27954715552],
                               rtol=1e-10)
    assert v["flag"].tolist() == ["moderate (above 5)", "ok", "moderate (above 5)", "ok"]
    assert list(v.reset_index().columns) == [*COLUMNS, "flag"]


def test_vif_of_exact_combination_is_infinite(mtcars):
    mtcars["sum"] = mtcars["wt"] + mtcars["hp"]
    v = vif(mtcars, predictors=["wt", "hp", "sum"])
    assert np.isinf(v["estimate"]).all() and set(v["flag"]) == {"perfect (exact linear combination)"}


# --- sentences -----------------------------------------------------------------------------------

def _row(term, est, low, high, method="OLS, HC3 errors"):
    return pd.DataFrame({"term": [term], "estimate": [est], "ci_low": [low], "ci_high": [high],
                         "confidence_level": [0.95], "method": [method]})


def test_sentence_linear_rescaled_by_per():
    out = effect_sentences(_row("sus", 0.09, 0.06, 0.12), outcome_label="likelihood to recommend", per=10,
                           labels={"sus": "SUS"})
    assert out == ["Each 10-point rise in SUS goes with 0.9 more points of likelihood to recommend "
                   "(95% CI 0.6 to 1.2)."]


def test_sentence_odds_ratio_and_negative_and_null():
    odds = effect_sentences(_row("ease", 1.8, 1.4, 2.3, "logistic regression, odds ratio"),
                            outcome_label="being a promoter")
    assert odds == ["Each 1-point rise in ease goes with 1.8 times the odds of being a promoter "
                    "(95% CI 1.4 to 2.3)."]
    squared = effect_sentences(_row("ease", 1.8, 1.4, 2.3, "logistic regression, odds ratio"),
                               outcome_label="being a promoter", per=2)
    assert "3.2 times the odds" in squared[0] and "2.0 to 5.3" in squared[0]  # 1.8², 1.4², 2.3²
    fewer = effect_sentences(_row("errors", -0.5, -0.8, -0.2), outcome_label="CSAT")
    assert "0.5 fewer points of CSAT (95% CI \u22120.8 to \u22120.2)" in fewer[0]
    null = effect_sentences(_row("device: Mobile vs Desktop", 0.2, -0.1, 0.5), outcome_label="CSAT")
    assert null == ["Mobile rather than Desktop (device) goes with 0.2 more points of CSAT, but the "
                    "95% CI, \u22120.1 to 0.5, includes no effect."]


def test_sentences_skip_intercepts_and_thresholds(mtcars):
    mtcars["gear_o"] = pd.Categorical(mtcars["gear"], ordered=True)
    out = effect_sentences(tidy(regress(mtcars, outcome="gear_o", predictors=["wt"])), outcome_label="gear")
    assert len(out) == 1 and "times the odds of a higher gear" in out[0]
    assert "includes no effect" not in out[0]


# --- the sample study ----------------------------------------------------------------------------

def test_sample_study_nps_rises_with_umux_lite(survey):
    fit = regress(survey, outcome="nps", predictors="umux")
    row = tidy(fit).set_index("term").loc["umux"]
    assert row["ci_low"] > 0
    # data/sample/README.md: Pearson r, UMUX-Lite mean vs likelihood to recommend = 0.633;
    # with one predictor the standardised beta is that r.
    assert row["effect_size"] == pytest.approx(0.633, abs=0.0005)
    text = effect_sentences(tidy(fit), outcome_label="likelihood to recommend", per=10,
                            labels={"umux": "UMUX-Lite"})[0]
    assert text.startswith("Each 10-point rise in UMUX-Lite goes with 0.56 more points")


def test_sample_study_promoter_odds_rise_with_ease(survey):
    fit = regress(survey, outcome="promoter", predictors="ease", covariates="device")
    t = tidy(fit).set_index("term")
    assert t.loc["ease", "ci_low"] > 1
    assert "includes no effect" in effect_sentences(t.reset_index(), outcome_label="being a promoter")[1]
