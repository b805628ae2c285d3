"""Tests of uxcx.cx.scale_reliability: a published alpha, R psych, independent formulas, the sample."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import optimize, stats

from uxcx._core.results import COLUMNS
from uxcx.cx.scale_reliability import cronbach_alpha, item_total, mcdonald_omega, reliability, scale_index
from uxcx.errors import DataError, SmallSampleWarning, UxcxError, UxcxWarning

# Denis, D. J. (2021). Applied Univariate, Bivariate, and Multivariate Statistics (2nd ed.), Wiley,
# ch. "Reliability": 10 respondents x 5 items, analysed with SPSS RELIABILITY /MODEL=ALPHA.
DENIS = pd.DataFrame({
    "Item_1": [10, 12, 8, 6, 4, 6, 3, 7, 8, 9],
    "Item_2": [12, 18, 16, 8, 7, 6, 4, 3, 9, 5],
    "Item_3": [15, 12, 14, 16, 8, 3, 6, 7, 4, 6],
    "Item_4": [11, 12, 14, 8, 7, 7, 5, 9, 10, 11],
    "Item_5": [12, 1, 4, 6, 5, 3, 8, 9, 10, 12],
})
DENIS_ITEMS = list(DENIS)
SURVEY_EASE = ["ease_search", "ease_checkout", "ease_returns"]
LOYALTY = ["loyalty_continue", "loyalty_choose_again"]


@pytest.fixture(scope="module")
def survey(sample_study):
    return sample_study["survey"]


def quiet(f, *args, **kwargs):
    """Call f with the kit's warnings silenced (for tests about the numbers, not the warnings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        return f(*args, **kwargs)


def alpha_by_formula(frame: pd.DataFrame) -> float:
    """k/(k-1) (1 - sum of item variances / variance of the total), on complete rows: Cronbach (1951)."""
    x = frame.dropna()
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def feldt_like_pingouin(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    """Feldt interval as pingouin.cronbach_alpha writes it (f.isf with df1 = n-1, df2 = df1 (k-1))."""
    df1 = n - 1
    df2 = df1 * (k - 1)
    return (1 - (1 - alpha) * stats.f.isf((1 - level) / 2, df1, df2),
            1 - (1 - alpha) * stats.f.isf(1 - (1 - level) / 2, df1, df2))


def one_factor_ml(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Loadings and uniquenesses of a one-factor model by minimising the ML discrepancy
    log|Sigma| + tr(S Sigma^-1), Sigma = l l' + diag(psi) (Joreskog 1967), with scipy: apart from
    statsmodels' Factor."""
    k = len(s)

    def discrepancy(par):
        lam, psi = par[:k], np.exp(par[k:])
        sigma = np.outer(lam, lam) + np.diag(psi)
        return np.linalg.slogdet(sigma)[1] + np.trace(s @ np.linalg.inv(sigma))

    start = np.r_[np.sqrt(np.diag(s)) * 0.7, np.log(np.diag(s) * 0.5)]
    fit = optimize.minimize(discrepancy, start, method="L-BFGS-B", options={"ftol": 1e-14, "gtol": 1e-10})
    return fit.x[:k], np.exp(fit.x[k:])


# --- published worked example and R --------------------------------------------------------------

def test_alpha_denis_2021_published_spss_output():
    # Denis (2021), SPSS "Reliability Statistics": Cronbach's Alpha 0.633; "Item-Total Statistics":
    # Item_1 corrected item-total correlation 0.712.
    r = quiet(cronbach_alpha, DENIS, items=DENIS_ITEMS)
    assert round(r.loc[0, "estimate"], 3) == 0.633
    assert r.loc[0, "n"] == 10 and r.loc[0, "term"] == "alpha"
    assert round(quiet(item_total, DENIS, items=DENIS_ITEMS).loc[0, "item_rest_r"], 3) == 0.712


def test_standardised_alpha_denis_2021_and_r():
    # Denis (2021), SPSS "Cronbach's Alpha Based on Standardized Items" 0.691;
    # R 4.2.2, psych 2.2.9: psych::alpha(denis)$total$std.alpha = 0.6913103658.
    r = quiet(cronbach_alpha, DENIS, items=DENIS_ITEMS, standardize=True)
    assert r.loc[0, "estimate"] == pytest.approx(0.6913103658, abs=1e-9)
    assert "z-standardised" in r.loc[0, "method"]


def test_alpha_and_item_analysis_against_r_psych():
    # R 4.2.2, psych 2.2.9: a <- psych::alpha(denis, check.keys = FALSE)
    # a$total$raw_alpha = 0.633165294; a$feldt: lower 0.08575821818, upper 0.89590148911;
    # a$item.stats$r.drop and a$alpha.drop$raw_alpha as below.
    r = quiet(cronbach_alpha, DENIS, items=DENIS_ITEMS)
    assert r.loc[0, "estimate"] == pytest.approx(0.633165294, abs=1e-9)
    assert r.loc[0, "ci_low"] == pytest.approx(0.08575821818, abs=1e-9)
    assert r.loc[0, "ci_high"] == pytest.approx(0.89590148911, abs=1e-9)
    it = quiet(item_total, DENIS, items=DENIS_ITEMS)
    np.testing.assert_allclose(it["item_rest_r"], [0.7115124864, 0.5583892346, 0.5118277776,
                                                   0.7958135479, -0.2281037089], atol=1e-9)
    np.testing.assert_allclose(it["alpha_if_deleted"], [0.4777743768, 0.4757693016, 0.5074889868,
                                                        0.4451038576, 0.8237734488], atol=1e-9)
    # Denis (2021), SPSS "Item Statistics": means and standard deviations.
    np.testing.assert_allclose(it["mean"], [7.3, 8.8, 9.1, 9.4, 7.0])
    np.testing.assert_allclose(it["sd"], [2.71006, 5.05085, 4.74810, 2.71621, 3.80058], atol=5e-6)


def test_feldt_interval_at_90_percent_against_r():
    # R 4.2.2, psych 2.2.9: psych::alpha.ci(0.633165294, 10, 5, p.val = 0.10): 0.2103488706, 0.8707695818.
    r = quiet(cronbach_alpha, DENIS, items=DENIS_ITEMS, confidence_level=0.90)
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx((0.2103488706, 0.8707695818), abs=1e-9)
    assert r.loc[0, "confidence_level"] == 0.90


# --- independent formulas ------------------------------------------------------------------------

@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_alpha_and_feldt_match_independent_formulas(rng, level):
    f = rng.normal(size=80)
    d = pd.DataFrame({f"item_{j}": np.round(3 + f + rng.normal(scale=1.2, size=80)) for j in range(4)})
    d.iloc[[3, 17], 1] = np.nan
    r = cronbach_alpha(d, items=list(d), confidence_level=level)
    a = alpha_by_formula(d)
    assert r.loc[0, "estimate"] == pytest.approx(a, rel=1e-12)
    assert r.loc[0, "n"] == 78
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx(feldt_like_pingouin(a, 78, 4, level))
    assert "listwise deletion (2 incomplete rows left out)" in r.loc[0, "method"]
    assert list(r.columns) == COLUMNS


def test_alpha_is_one_for_identical_items_and_says_the_interval_is_empty():
    d = pd.DataFrame({"sus_1": [1, 3, 4, 5, 2, 4]})
    d["sus_3"] = d["sus_1"]
    d["sus_5"] = d["sus_1"]
    with pytest.warns(UxcxWarning, match=r"agree perfectly \(alpha = 1\).*zero width.*copies"):
        r = cronbach_alpha(d, items=["sus_1", "sus_3", "sus_5"])
    assert r.loc[0, "estimate"] == pytest.approx(1.0)
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx((1.0, 1.0))


def test_alpha_of_two_respondents_is_nan_not_one():
    # two respondents: standardised items correlate exactly +1, so the formula gives alpha = 1 and
    # Feldt's interval [1, 1] whatever the items say; the kit refuses and names the group
    d = pd.DataFrame({"g": ["a", "a", "b", "b", "b"], "loyalty_a": [4, 5, 2, 4, 5], "nps": [3, 9, 1, 6, 10]})
    with pytest.warns(SmallSampleWarning, match=r"fewer than 3 complete responses; their alpha is NaN: "
                                                r"g='a' \(n=2\)"):
        r = cronbach_alpha(d, items=["loyalty_a", "nps"], by="g")
    assert np.isnan(r.loc[0, ["estimate", "ci_low", "ci_high"]].astype(float)).all()
    assert 0 < r.loc[1, "estimate"] < 1 and r.loc[1, "ci_low"] < r.loc[1, "ci_high"]


@pytest.mark.parametrize("standardize", [True, False])
def test_alpha_with_a_constant_item_names_it(standardize):
    d = pd.DataFrame({"loyalty_a": [4, 4, 4, 4, 4], "loyalty_b": [3, 5, 2, 2, 4],
                      "loyalty_c": [3, 5, 2, 2, 3]})
    effect = "cannot be standardised, so alpha is NaN" if standardize else "add nothing to the index"
    with pytest.warns(UxcxWarning, match=rf"same answer from every respondent: 'loyalty_a'.*{effect}"):
        r = cronbach_alpha(d, items=list(d), standardize=standardize)
    # raw items: the textbook formula with the constant item counted (k = 3)
    assert np.isnan(r.loc[0, "estimate"]) if standardize else r.loc[0, "estimate"] == pytest.approx(
        alpha_by_formula(d))


def test_omega_against_independent_ml_fit(rng):
    n, lam = 400, np.array([0.9, 0.7, 0.5, 0.6])
    f = rng.normal(size=n)
    d = pd.DataFrame({f"item_{j}": 2 * (lam[j] * f + np.sqrt(1 - lam[j] ** 2) * rng.normal(size=n)) + j
                      for j in range(4)})
    # raw items: the ML solution of the covariance matrix, omega = (sum l)^2 / ((sum l)^2 + sum psi)
    # (McDonald 1999, eq. 6.20b); standardised: the same from the correlation matrix.
    x = d.to_numpy()
    for std, s in [(False, np.cov(x, rowvar=False)), (True, np.corrcoef(x, rowvar=False))]:
        load, psi = one_factor_ml(s)
        expected = load.sum() ** 2 / (load.sum() ** 2 + psi.sum())
        got = mcdonald_omega(d, items=list(d), standardize=std).loc[0, "estimate"]
        assert got == pytest.approx(expected, abs=1e-5)


def test_omega_sample_survey_against_r_psych(survey):
    # R 4.2.2, psych 2.2.9, on the 2,997 clean survey rows (uxcx.load_study, written to CSV) and
    # x = the five items below: f <- psych::fa(x, nfactors = 1, fm = "ml");
    # sum(f$loadings)^2 / (sum(f$loadings)^2 + sum(f$uniquenesses)) = 0.8712038619; with
    # psych::fa(x, nfactors = 1, fm = "ml", covar = TRUE) (raw items) 0.8719790482.
    # (psych::omega(x, nfactors = 1, fm = "ml")$omega.tot = 0.8712352073 divides by the observed
    # total variance rather than the model's; the two differ in the fourth decimal.)
    items = [*SURVEY_EASE, "umux_lite_1", "umux_lite_2"]
    raw = mcdonald_omega(survey, items=items)
    std = mcdonald_omega(survey, items=items, standardize=True)
    assert raw.loc[0, "estimate"] == pytest.approx(0.8719790482, abs=2e-5)
    assert std.loc[0, "estimate"] == pytest.approx(0.8712038619, abs=2e-5)
    assert raw.loc[0, "n"] == 2997 and "raw items" in raw.loc[0, "method"]
    # Under a one-factor model omega >= alpha (McDonald 1999).
    assert raw.loc[0, "estimate"] >= cronbach_alpha(survey, items=items).loc[0, "estimate"]


def test_omega_is_nan_for_two_items_and_says_why():
    d = pd.DataFrame({"loyalty_continue": [1, 2, 3, 4, 5, 4], "loyalty_choose_again": [2, 2, 3, 5, 4, 4]})
    r = mcdonald_omega(d, items=list(d))
    assert np.isnan(r.loc[0, "estimate"]) and "not identified with 2 items" in r.loc[0, "method"]


# --- warnings ------------------------------------------------------------------------------------

def test_negatively_keyed_item_gets_a_reverse_coding_hint():
    # Item_5 of Denis (2021) correlates -0.228 with the rest (R psych::alpha r.drop).
    with pytest.warns(UxcxWarning, match=r"'Item_5'.*reverse-code"):
        item_total(DENIS, items=DENIS_ITEMS)
    with pytest.warns(UxcxWarning, match=r"'Item_5'.*reverse-code"):
        cronbach_alpha(DENIS, items=DENIS_ITEMS)
    fixed = DENIS.assign(Item_5=13 - DENIS["Item_5"])  # reverse-coded on its 1..12 range
    with warnings.catch_warnings():
        warnings.simplefilter("error", UxcxWarning)
        it = item_total(fixed, items=DENIS_ITEMS)
    assert (it["item_rest_r"] > 0).all()


def test_reliability_warns_below_nunnally_naming_the_scale(rng):
    f = rng.normal(size=60)
    d = pd.DataFrame({f"item_{j}": f + rng.normal(scale=3, size=60) for j in range(3)})
    with pytest.warns(UxcxWarning, match=r"scale 'trust'.*0\.7.*Nunnally"):
        reliability(d, items=list(d), name="trust")


def test_small_groups_warn_and_give_nan(rng):
    f = rng.normal(size=31)
    d = pd.DataFrame({"g": ["a"] * 30 + ["b"], **{f"item_{j}": f + rng.normal(size=31) for j in range(3)}})
    with pytest.warns(SmallSampleWarning, match=r"fewer than 3 complete responses.*g='b' \(n=1\)"):
        r = cronbach_alpha(d, items=["item_0", "item_1", "item_2"], by="g")
    assert list(r["g"]) == ["a", "b"] and np.isnan(r.loc[1, "estimate"]) and np.isnan(r.loc[1, "ci_low"])


# --- the index ----------------------------------------------------------------------------------

def test_scale_index_missing_items_and_min_items():
    d = pd.DataFrame({"ease_search": [7, 5, np.nan, np.nan], "ease_checkout": [5, np.nan, np.nan, 3],
                      "ease_returns": [6, 4, 2, np.nan]})
    items = SURVEY_EASE
    np.testing.assert_allclose(scale_index(d, items=items), [6.0, 4.5, np.nan, np.nan])  # default: 2 of 3
    np.testing.assert_allclose(scale_index(d, items=items, min_items=1), [6.0, 4.5, 2.0, 3.0])
    np.testing.assert_allclose(scale_index(d, items=items, min_items=3), [6.0, np.nan, np.nan, np.nan])
    assert scale_index(d, items=items, name="ease").name == "ease"
    with pytest.raises(UxcxError, match="min_items"):
        scale_index(d, items=items, min_items=4)


def test_scale_index_standardises_when_role_ranges_differ(survey):
    # nps is 0-10 and csat 1-5 (uxcx.study.schema roles): "auto" z-standardises each item first.
    items = ["nps", "csat"]
    z = (survey[items] - survey[items].mean()) / survey[items].std(ddof=1)
    np.testing.assert_allclose(scale_index(survey, items=items), z.mean(axis=1))
    raw = scale_index(survey, items=items, standardize=False)
    np.testing.assert_allclose(raw, survey[items].mean(axis=1))
    # alpha of the same index: standardised alpha, i.e. alpha of the z-scores
    r = cronbach_alpha(survey, items=items)
    assert r.loc[0, "estimate"] == pytest.approx(alpha_by_formula(z))
    assert "z-standardised" in r.loc[0, "method"]


def test_scales_mapping_decides_and_unknown_ranges_must_be_given():
    d = pd.DataFrame({"q1": [1, 2, 3, 4, 5], "q2": [0, 3, 5, 8, 10], "ces": [1, 2, 4, 6, 7]})
    z = (d - d.mean()) / d.std(ddof=1)
    got = scale_index(d, items=["q1", "q2"], scales={"q1": (1, 5), "q2": (0, 10)})
    np.testing.assert_allclose(got, z[["q1", "q2"]].mean(axis=1))
    np.testing.assert_allclose(scale_index(d, items=["q1", "q2"]), d[["q1", "q2"]].mean(axis=1))  # unknown
    with pytest.raises(UxcxError, match=r"cannot tell.*\['q1'\]"):
        scale_index(d, items=["q1", "ces"])
    with pytest.raises(UxcxError, match=r"scales\['q1'\]"):
        scale_index(d, items=["q1", "q2"], scales={"q1": (5, 1)})


def test_bad_cells_all_reported_and_caller_frame_untouched():
    d = pd.DataFrame({"loyalty_continue": [1, 6, 3, "x"], "loyalty_choose_again": [2, 2, 9, 4]})
    before = d.copy()
    with pytest.raises(DataError) as err:
        cronbach_alpha(d, items=LOYALTY)
    assert len(err.value.problems) == 3
    ok = pd.DataFrame({"loyalty_continue": [1, 2, 3, 4], "loyalty_choose_again": [2, 2, 3, 4]})
    kept = ok.copy()
    scale_index(ok, items=LOYALTY)
    reliability(ok, items=LOYALTY)
    pd.testing.assert_frame_equal(ok, kept)
    pd.testing.assert_frame_equal(d, before)


def test_bad_arguments_raise_kit_errors():
    with pytest.raises(UxcxError, match="at least two"):
        cronbach_alpha(DENIS, items=["Item_1"])
    with pytest.raises(UxcxError, match="standardize"):
        cronbach_alpha(DENIS, items=DENIS_ITEMS, standardize="yes")
    with pytest.raises(DataError, match="Item_9"):
        cronbach_alpha(DENIS, items=["Item_1", "Item_9"])
    with pytest.raises(UxcxError, match="confidence_level"):
        cronbach_alpha(DENIS, items=DENIS_ITEMS, confidence_level=95)


# --- properties ---------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(3, 25), st.integers(2, 5)), elements=st.integers(1, 5)),
       st.randoms(use_true_random=False))
def test_alpha_invariant_to_row_and_item_order(x, random):
    d = pd.DataFrame(x, columns=[f"item_{j}" for j in range(x.shape[1])])
    rows = list(range(len(d)))
    random.shuffle(rows)
    items = list(d)
    random.shuffle(items)
    base = quiet(cronbach_alpha, d, items=list(d))
    for other in (quiet(cronbach_alpha, d.iloc[rows], items=list(d)), quiet(cronbach_alpha, d, items=items)):
        np.testing.assert_allclose(other[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float),
                                   base[["estimate", "ci_low", "ci_high"]].to_numpy(dtype=float),
                                   rtol=1e-9, atol=1e-12, equal_nan=True)


# --- the sample study ----------------------------------------------------------------------------

def test_sample_study_indices_are_reliable(survey):
    # R 4.2.2, psych 2.2.9, on the 2,997 clean survey rows: psych::alpha(x[, loyalty items]):
    # raw_alpha 0.8065095162, Feldt 0.7921415152 to 0.8198843442; the three ease items:
    # 0.7608922598, Feldt 0.7456733063 to 0.7753465978. Both pass Nunnally's 0.7, as the generator
    # (data/sample/README.md) implies: loyalty items share L (sd about 0.6) with noise sd 0.4 plus
    # rounding; ease items share 0.9 u with noise sd 0.8.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UxcxWarning)
        loyalty = reliability(survey, items=LOYALTY, name="loyalty")
        ease = reliability(survey, items=SURVEY_EASE, name="ease")
    a = loyalty.set_index("term")
    assert a.loc["alpha", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.8065095162, 0.7921415152, 0.8198843442], abs=1e-9)
    assert np.isnan(a.loc["omega", "estimate"]) and (loyalty["scale"] == "loyalty").all()
    e = ease.set_index("term")
    assert e.loc["alpha", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.7608922598, 0.7456733063, 0.7753465978], abs=1e-9)
    assert e.loc["omega", "estimate"] >= e.loc["alpha", "estimate"] >= 0.7
    index = scale_index(survey, items=LOYALTY, name="loyalty")
    np.testing.assert_allclose(index, survey[LOYALTY].mean(axis=1))  # same 1-5 scale: no z-scores


def test_reliability_by_segment(survey):
    r = reliability(survey, items=SURVEY_EASE, by="device", name="ease")
    assert list(r.columns[:2]) == ["scale", "device"] and list(r["term"]) == ["alpha", "omega"] * 2
    for device, part in survey.groupby("device"):
        got = r[(r["device"] == device) & (r["term"] == "alpha")]["estimate"].iloc[0]
        assert got == pytest.approx(alpha_by_formula(part[SURVEY_EASE]))
    assert r.groupby("term")["n"].sum().tolist() == [2997, 2997]


def test_omega_warns_when_the_factor_model_misbehaves():
    # Six respondents whose first item correlates with the others so strongly (r = .85 and .90, the
    # two others .73) that the one-factor solution needs a standardised loading above 1
    # (sqrt(.85 * .90 / .73) = 1.02): a Heywood case, and BFGS stops short.
    d = pd.DataFrame({"item_a": [1, 2, 3, 4, 5, 3], "item_b": [2, 2, 3, 5, 4, 3],
                      "item_c": [1, 3, 3, 4, 5, 2]})
    with pytest.warns(UxcxWarning, match="Heywood"):
        mcdonald_omega(d, items=list(d))
