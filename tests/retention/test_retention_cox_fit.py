"""Tests of the kit's own Cox fit (uxcx.retention.cox_fit), its model-fit summary (cox_summary) and the
concordance (concordance) against R 4.2.2 with survival 3.5-3, lifelines 0.30 and brute force.

R values printed with `options(digits = 15)`; `fit$loglik`, `fit$wald.test`, `fit$score`,
`fit$concordance[c("concordance", "std")]`, and log10 p-values as
`pchisq(x, df, lower.tail = FALSE, log.p = TRUE) / log(10)`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uxcx.errors import UxcxError, UxcxWarning
from uxcx.retention import cox_fit
from uxcx.retention.concordance import concordance, pair_counts
from uxcx.retention.proportional_hazards import cox, cox_fit_summary, ph_check

DATA = __import__("pathlib").Path(__file__).parents[1] / "data"
AML = pd.DataFrame({
    "duration": [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
    "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
VETERAN_COVS = ["trt", "celltype", "karno", "diagtime", "age", "prior"]
VET = dict(duration="time", event="status")


@pytest.fixture
def veteran():
    # tests/data/veteran.csv: write.csv(survival::veteran); celltype in R's level order
    v = pd.read_csv(DATA / "veteran.csv")
    v["celltype"] = pd.Categorical(v["celltype"], ["squamous", "smallcell", "adeno", "large"])
    return v


@pytest.fixture
def telco(realdata):
    raw = pd.read_csv(realdata / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    return pd.DataFrame({"duration": raw["Tenure"], "event": (raw["Churn"] == "Yes").astype(int),
                         "contract": raw["Contract"], "monthly": raw["MonthlyCharges"],
                         "senior": raw["SeniorCitizen"]})


def _fit_rows(result):
    return cox_fit_summary(result).set_index("term")


# --- Breslow ties and the log-likelihood, against R --------------------------------------

def test_aml_breslow_and_loglik_against_R():
    # R: f <- coxph(Surv(time, status) ~ x, data = aml, ties = "breslow")
    r = cox(AML, covariates="x", ties="breslow")
    assert r["coef"].iloc[0] == pytest.approx(0.9042197236857, abs=1e-9)
    assert r["std_error"].iloc[0] == pytest.approx(0.512247907304151, abs=1e-9)
    assert r["method"].iloc[0] == "Cox proportional hazards, Breslow ties"
    m = _fit_rows(r)
    assert m.loc["log-likelihood, null model", "estimate"] == pytest.approx(-42.8981238971740, abs=1e-9)
    assert m.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-41.2501143500689, abs=1e-9)
    # R: fit$wald.test 3.11592909448118, fit$score 3.3225614162730652, LR 3.296019094210322
    assert m.loc["Wald test", "statistic"] == pytest.approx(3.11592909448118, rel=1e-8)
    assert m.loc["score (log-rank) test", "statistic"] == pytest.approx(3.3225614162730652, rel=1e-8)
    assert m.loc["likelihood ratio test", "statistic"] == pytest.approx(3.296019094210322, rel=1e-8)
    assert m.loc["likelihood ratio test", "p_value"] == pytest.approx(0.069448000546784, rel=1e-7)
    # R: cox.zph(f)$table: x 0.0135754533355, p 0.907245391445
    t = ph_check(AML, covariates="x", ties="breslow")
    assert t["statistic"].tolist() == pytest.approx([0.0135754533355] * 2, rel=1e-8)
    assert t["p_value"].iloc[0] == pytest.approx(0.907245391445, rel=1e-8)


def test_aml_model_fit_against_R():
    # R: summary(coxph(Surv(time, status) ~ x, data = aml)): loglik -42.7248392627602 -41.0326155964584;
    # LR 3.3844473326036848 (p 0.0658142401623403), Wald (fit$wald.test) 3.19829992215945, score
    # 3.4167343955173028 (p 0.0645385617589437); Concordance = 0.6190476190476191 (se = 0.0631849960441082)
    m = _fit_rows(cox(AML, covariates="x"))
    assert m.loc["log-likelihood, null model", "estimate"] == pytest.approx(-42.7248392627602, abs=1e-9)
    assert m.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-41.0326155964584, abs=1e-9)
    assert m.loc["likelihood ratio test", ["statistic", "df", "p_value"]].tolist() == pytest.approx(
        [3.3844473326036848, 1, 0.0658142401623403], rel=1e-8)
    assert m.loc["Wald test", "statistic"] == pytest.approx(3.19829992215945, rel=1e-8)
    assert m.loc["Wald test", "log10_p_value"] == pytest.approx(-1.13244495117825, rel=1e-8)
    assert m.loc["score (log-rank) test", "p_value"] == pytest.approx(0.0645385617589437, rel=1e-8)
    assert m.loc["concordance", "estimate"] == pytest.approx(0.6190476190476191, abs=1e-12)
    assert m.loc["concordance", "std_error"] == pytest.approx(0.0631849960441082, abs=1e-12)
    assert list(m.columns).index("log10_p_value") == list(m.columns).index("p_value") + 1


def test_veteran_both_ties_against_R(veteran):
    # R: coxph(Surv(time, status) ~ trt + celltype + karno + diagtime + age + prior, data = veteran,
    #          ties = "breslow")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        b = cox(veteran, **VET, covariates=VETERAN_COVS, ties="breslow")
        e = cox(veteran, **VET, covariates=VETERAN_COVS)
    assert b["coef"].to_numpy() == pytest.approx(
        [2.89935878794582e-01, 8.56486653615325e-01, 1.18829931325755e+00, 3.99627778810507e-01,
         -3.26217185194492e-02, -9.20017173175026e-05, -8.54942360711685e-03, 7.23265367473499e-03], abs=1e-9)
    assert b["std_error"].to_numpy() == pytest.approx(
        [0.20721013694512341, 0.27519035104190270, 0.30076255580433980, 0.28266255007529728,
         0.00550524023197728, 0.00912510518847274, 0.00930415777460011, 0.02321325087145563], abs=1e-9)
    mb, me = _fit_rows(b), _fit_rows(e)
    assert mb.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-475.179398848197, abs=1e-8)
    assert me.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-474.397111714723, abs=1e-8)
    assert me.loc["log-likelihood, null model", "estimate"] == pytest.approx(-505.449054918058, abs=1e-8)
    # R (Efron): log10 p of LR / Wald / score -9.74498306312693 -9.79684426389370 -10.66039536290568
    assert me.loc[["likelihood ratio test", "Wald test", "score (log-rank) test"], "log10_p_value"].tolist() \
        == pytest.approx([-9.74498306312693, -9.79684426389370, -10.66039536290568], rel=1e-8)
    assert me.loc["Wald test", "statistic"] == pytest.approx(62.3672685819389, rel=1e-8)
    assert mb.loc["score (log-rank) test", "statistic"] == pytest.approx(65.9172986023743, rel=1e-8)
    # R: Concordance = 0.7360290776919582 (se = 0.0211701176840957);
    # Breslow 0.7362562471603816 (se = 0.0211631569660459)
    assert me.loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.7360290776919582, 0.0211701176840957], abs=1e-12)
    assert mb.loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.7362562471603816, 0.0211631569660459], abs=1e-12)
    # R: cox.zph(fit with ties = "breslow")$table
    t = ph_check(veteran, **VET, covariates=VETERAN_COVS, ties="breslow", warn=False)
    assert t["statistic"].to_numpy() == pytest.approx(
        [0.2459223761337, 15.0511316478172, 12.7017830422458, 0.0133463527205, 1.8314337727219,
         2.1284772301307, 34.0708214248274], rel=1e-8)


def test_veteran_strata_both_ties_against_R(veteran):
    kw = dict(**VET, covariates=["trt", "karno", "age"], strata="celltype", check_ph=False)
    # R: coxph(Surv(time, status) ~ trt + karno + age + strata(celltype), data = veteran, ties = ...)
    b, e = cox(veteran, ties="breslow", **kw), cox(veteran, **kw)
    assert b["coef"].to_numpy() == pytest.approx([0.2857136743230630, -0.0372245623767869,
                                                  -0.0117215945719996], abs=1e-9)
    assert b["std_error"].to_numpy() == pytest.approx([0.20713198679768560, 0.00573279262639377,
                                                       0.00974532299115888], abs=1e-9)
    mb, me = _fit_rows(b), _fit_rows(e)
    assert mb.loc["log-likelihood, null model", "estimate"] == pytest.approx(-339.141598423308, abs=1e-8)
    assert mb.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-317.519884411118, abs=1e-8)
    assert me.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-316.858259658262, abs=1e-8)
    assert me.loc["Wald test", "statistic"] == pytest.approx(43.6811480562628, rel=1e-8)
    assert me.loc["score (log-rank) test", "statistic"] == pytest.approx(46.8810162851180, rel=1e-8)
    # R: Concordance = 0.6986480593109463 (se = 0.0267886412705391), pairs within a stratum only
    assert me.loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.6986480593109463, 0.0267886412705391], abs=1e-12)
    # R: cox.zph(fsb)$table (Breslow, strata)
    t = ph_check(veteran, ties="breslow", warn=False, **{k: v for k, v in kw.items() if k != "check_ph"})
    assert t["statistic"].to_numpy() == pytest.approx(
        [0.00536877876001, 6.51797758064747, 2.50120865942541, 11.89536348895570], rel=1e-8)


def test_tied_times_breslow_against_R():
    # R: d <- data.frame(t = c(1,1,1,2,2,2,3,3), e = 1, x = c(0,1,0,1,0,1,1,0));
    # coxph(Surv(t, e) ~ x, d, ties = "breslow"): coef -0.151723640717821, se 0.710509391717529,
    # loglik -12.4529327234617 -12.4301532717019; Concordance 0.571428571428571 (se 0.146692916005768)
    d = pd.DataFrame({"duration": [1, 1, 1, 2, 2, 2, 3, 3], "event": 1, "x": [0, 1, 0, 1, 0, 1, 1, 0]})
    r = cox(d, covariates="x", ties="breslow", check_ph=False)
    assert (r["coef"].iloc[0], r["std_error"].iloc[0]) == pytest.approx(
        (-0.151723640717821, 0.710509391717529), abs=1e-9)
    m = _fit_rows(r)
    assert m.loc[["log-likelihood, null model", "log-likelihood, fitted model"], "estimate"].tolist() == \
        pytest.approx([-12.4529327234617, -12.4301532717019], abs=1e-9)
    assert m.loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.571428571428571, 0.146692916005768], abs=1e-12)


def test_telco_tiny_p_values_against_R(telco):
    # R: f <- coxph(Surv(Tenure, Churn == "Yes") ~ Contract, data = telco): summary prints p = 0 (< 2e-16);
    # log10 p: LR -568.695776799249, Wald -278.235260780075, score -509.598908794660;
    # per coefficient (log(2) + pnorm(-abs(z), log.p = TRUE)) / log(10): -151.235627283426, -160.303072139283
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        r = cox(telco, covariates="contract")
        b = cox(telco, covariates="contract", ties="breslow", check_ph=False)
    assert r["log10_p_value"].to_numpy() == pytest.approx([-151.235627283426, -160.303072139283], rel=1e-9)
    assert r["p_value"].to_numpy() == pytest.approx([5.81263050232020e-152, 4.97654414312063e-161], rel=1e-8)
    m = _fit_rows(r)
    assert m.loc[["likelihood ratio test", "Wald test", "score (log-rank) test"], "log10_p_value"].tolist() \
        == pytest.approx([-568.695776799249, -278.235260780075, -509.598908794660], rel=1e-9)
    lr = m.loc["likelihood ratio test"]
    assert lr["p_value"] == np.finfo(float).smallest_subnormal and "p < 1e-300" in lr["method"]
    assert (m["p_value"].dropna() > 0).all()
    assert m.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-14343.5692170049, abs=1e-7)
    # R: Concordance = 0.77233070793219705 (se = 0.00308326167040646)
    assert m.loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.77233070793219705, 0.00308326167040646], abs=1e-12)
    # R, ties = "breslow": coef -2.17701911072465 -4.20478947182971, se 0.0834627796081497 0.1560847748363129
    assert b["coef"].to_numpy() == pytest.approx([-2.17701911072465, -4.20478947182971], abs=1e-9)
    assert b["std_error"].to_numpy() == pytest.approx([0.0834627796081497, 0.1560847748363129], abs=1e-9)
    assert _fit_rows(b).loc["Wald test", "statistic"] == pytest.approx(1268.43660362282, rel=1e-8)
    # R: cox.zph(coxph(..., ties = "breslow"))$table: Contract 110.371671331 on 2 df
    assert ph_check(telco, covariates="contract", ties="breslow", warn=False)["statistic"].iloc[0] == \
        pytest.approx(110.371671331, rel=1e-8)


def test_telco_multi_and_strata_concordance_against_R(telco):
    # R: coxph(Surv(Tenure, Churn == "Yes") ~ Contract + MonthlyCharges + SeniorCitizen, data = telco):
    # Concordance = 0.76324050282362310 (se = 0.00459408779284006), loglik -14343.4561201787
    # and with MonthlyCharges + SeniorCitizen + strata(Contract):
    # coef 0.000192087626774728 0.046068050259058593,
    # se 0.000917864020004885 0.054739717897723028; Concordance 0.47877382939753577 (se 0.00759110850806922)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        m = _fit_rows(cox(telco, covariates=["contract", "monthly", "senior"], check_ph=False))
        s = cox(telco, covariates=["monthly", "senior"], strata="contract", check_ph=False)
    assert m.loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.76324050282362310, 0.00459408779284006], abs=1e-12)
    assert m.loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-14343.4561201787, abs=1e-7)
    assert s["coef"].to_numpy() == pytest.approx([0.000192087626774728, 0.046068050259058593], abs=1e-9)
    assert s["std_error"].to_numpy() == pytest.approx([0.000917864020004885, 0.054739717897723028], rel=1e-7)
    assert _fit_rows(s).loc["concordance", ["estimate", "std_error"]].tolist() == pytest.approx(
        [0.47877382939753577, 0.00759110850806922], abs=1e-12)


# --- against lifelines ----------------------------------------------------------------------

def test_against_lifelines_with_ties_and_strata(rng):
    from lifelines import CoxPHFitter

    n = 3000
    d = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 2, n), "s": rng.integers(0, 3, n)})
    d["duration"] = np.ceil(rng.exponential(10 * np.exp(-0.4 * d["a"] + 0.3 * d["b"])))  # many ties
    d["event"] = (rng.random(n) < 0.7).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = cox(d, covariates=["a", "b"], strata="s", check_ph=False)
        lf = CoxPHFitter().fit(d[["duration", "event", "a", "b", "s"]], "duration", "event", strata=["s"],
                               fit_options={"precision": 1e-12})
    assert ours["coef"].to_numpy() == pytest.approx(lf.params_.to_numpy(), abs=1e-8)
    assert ours["std_error"].to_numpy() == pytest.approx(lf.standard_errors_.to_numpy(), rel=1e-7)
    fitted = _fit_rows(ours).loc["log-likelihood, fitted model", "estimate"]
    assert fitted == pytest.approx(lf.log_likelihood_, rel=1e-10)
    assert _fit_rows(ours).loc["likelihood ratio test", "statistic"] == pytest.approx(
        lf.log_likelihood_ratio_test().test_statistic, rel=1e-7)


def test_lifelines_fallback_when_newton_does_not_finish(monkeypatch, veteran):
    monkeypatch.setattr(cox_fit, "MAX_ITER", 1)
    original = cox_fit.fit_cox
    monkeypatch.setattr(cox_fit, "fit_cox", lambda *a, **k: original(*a, **{"max_iter": 1, **k}))
    r = cox(veteran, **VET, covariates=["trt", "karno"], check_ph=False)
    assert "fitted by lifelines" in r["method"].iloc[0]
    # R: coxph(Surv(time, status) ~ trt + karno, data = veteran): coef 0.0609, -0.0338 (full precision below
    # from the converged Newton fit, which lifelines must reproduce)
    monkeypatch.undo()
    full = cox(veteran, **VET, covariates=["trt", "karno"], check_ph=False)
    assert "lifelines" not in full["method"].iloc[0]
    assert r["coef"].to_numpy() == pytest.approx(full["coef"].to_numpy(), abs=1e-8)
    assert r["std_error"].to_numpy() == pytest.approx(full["std_error"].to_numpy(), rel=1e-7)


def test_collinear_covariates_are_refused():
    d = AML.assign(a=np.arange(23.0), b=2 * np.arange(23.0) + 1)
    with pytest.raises(UxcxError, match="collinear"):
        cox(d, covariates=["a", "b"], check_ph=False)


def test_fit_cox_iterations_as_R():
    # R: coxph(Surv(time, status) ~ x, aml)$iter = 3; veteran (6 covariates) iter = 4
    t = AML["duration"].to_numpy(float)
    x = (AML["x"] == "Nonmaintained").to_numpy(float)[:, None]
    f = cox_fit.fit_cox(x, t, AML["event"].to_numpy(float), np.zeros(23, dtype=int))
    assert f.converged and f.iterations == 3


# --- concordance: brute force, and the dominance counts -------------------------------------

def _brute_concordance(t, e, x, s):
    n = len(t)
    same = s[:, None] == s[None, :]
    comparable = same & (e[:, None] == 1) & ((t[None, :] > t[:, None]) | ((t[None, :] == t[:, None])
                                                                          & (e[None, :] == 0)))
    np.fill_diagonal(comparable, False)
    conc, disc, tied = (comparable & (x[:, None] > x[None, :]), comparable & (x[:, None] < x[None, :]),
                        comparable & (x[:, None] == x[None, :]))
    nc, nd, nt = conc.sum(), disc.sum(), tied.sum()
    pairs = nc + nd + nt
    per = [m.sum(0) + m.sum(1) for m in (conc, disc, tied)]
    somers = (nc - nd) / pairs
    dfbeta = ((per[0] - per[1]) - (per[0] + per[1] + per[2]) * somers) / (2 * pairs)
    assert n == len(dfbeta)
    return (nc + nt / 2) / pairs, np.sqrt(dfbeta @ dfbeta)


@settings(max_examples=60, deadline=None)
@given(st.integers(5, 60), st.integers(1, 8), st.integers(1, 6), st.integers(1, 3), st.integers(0, 10**6))
def test_concordance_matches_brute_force(n, n_times, n_scores, n_strata, seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(1, n_times + 1, n).astype(float)
    e = rng.integers(0, 2, n).astype(float)
    e[0] = 1
    x = rng.integers(0, n_scores, n).astype(float)
    s = rng.integers(0, n_strata, n)
    s[0] = s[1] = 0
    t[1], e[1] = t[0] + 1, 0  # at least one comparable pair
    got = concordance(t, e, x, s)
    c, se = _brute_concordance(t, e, x, s)
    assert got["concordance"] == pytest.approx(c, abs=1e-12)
    assert got["std_error"] == pytest.approx(se, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=1, max_size=40), st.integers(0, 10**6))
def test_pair_counts_against_their_definition(values, seed):
    v = np.array(values)
    dead = np.random.default_rng(seed).integers(0, 2, v.size)
    before, after = pair_counts(v, dead, 4)
    assert before.tolist() == [int(np.sum(v[:i] > v[i])) for i in range(v.size)]
    assert after.tolist() == [int(np.sum((v[i + 1:] < v[i]) & (dead[i + 1:] == 1))) for i in range(v.size)]


def test_cox_fit_summary_needs_a_cox_result():
    with pytest.raises(UxcxError, match="result of uxcx.cox"):
        cox_fit_summary(pd.DataFrame({"term": ["x"]}))


def test_running_sums_by_stream_equal_those_by_group(monkeypatch, veteran):
    # R (as in test_retention_cox.py): coxph(Surv(time, status) ~ trt + karno + age + strata(celltype)):
    # coef 0.2914386125557 -0.0374976938898 -0.0118319525454; the many-groups path (a running sum over
    # every customer) must give R's answer too
    monkeypatch.setattr(cox_fit, "FEW_GROUPS", 0)
    r = cox(veteran, **VET, covariates=["trt", "karno", "age"], strata="celltype", check_ph=False)
    assert r["coef"].to_numpy() == pytest.approx([0.2914386125557, -0.0374976938898, -0.0118319525454],
                                                 abs=1e-9)
    assert _fit_rows(r).loc["log-likelihood, fitted model", "estimate"] == pytest.approx(-316.858259658262,
                                                                                        abs=1e-8)
    t = ph_check(veteran, **VET, covariates=["trt", "karno", "age"], strata="celltype", warn=False)
    # R: cox.zph(fs)$table
    assert t["statistic"].to_numpy() == pytest.approx(
        [0.00465549745363, 6.72046454447684, 2.52332333669141, 12.18403089110674], rel=1e-7)
