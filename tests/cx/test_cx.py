"""Tests of uxcx.cx: published NPS figures, independent implementations, coverage, real data, properties."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import DescrStatsW

import uxcx
from conftest import ROOT
from uxcx import cx
from uxcx._core.results import COLUMNS
from uxcx.cx.nps import nps_interval
from uxcx.errors import DataError, SmallSampleWarning, UxcxError, UxcxWarning

NPS_EXTRA = ["promoters", "passives", "detractors", "share_promoters", "share_passives", "share_detractors"]


def ratings(promoters: int, passives: int, detractors: int, **extra) -> pd.DataFrame:
    """A survey with the given category counts (ratings 10, 8 and 3)."""
    return pd.DataFrame({"nps": [10] * promoters + [8] * passives + [3] * detractors, **extra})


def independent_interval(p, a, d, level=0.95, add=(0.75, 1.5, 0.75)):
    """Wald interval of the mean of +1/0/-1 scores, variance from statsmodels' weighted SD (ddof 0),
    with pseudo-counts ``add``; written apart from the kit's formula."""
    w = DescrStatsW(np.array([1.0, 0.0, -1.0]), weights=np.array([p, a, d], float) + np.array(add))
    se = w.std / np.sqrt(w.sum_weights)
    return tuple(100 * np.array(stats.norm.interval(level, loc=w.mean, scale=se)))


@pytest.fixture(scope="module")
def survey(sample_study):
    return sample_study["survey"]


# --- published figures -----------------------------------------------------------------------

def test_nps_fifty_twentyfive_twentyfive_published_intervals():
    # Our issue, checked against MeasuringU (Lewis & Sauro, "Confidence intervals for Net Promoter
    # Scores", measuringu.com/nps-confidence-intervals/: add 3/4 to promoters and detractors and 3
    # to n): 50 P / 25 A / 25 D of 100 -> NPS 25; Wald 8.75 to 41.25; adjusted Wald 8.3 to 40.2.
    # By hand: Wald se = sqrt((.75 - .25^2)/100) = .08292, 25 +- 16.25; adjusted p_P = 50.75/103,
    # p_D = 25.75/103, centre 24.27, se = .08148 -> 8.30 to 40.24.
    d = ratings(50, 25, 25)
    adj = cx.nps(d)
    wald = cx.nps(d, method="wald")
    assert adj.loc[0, "estimate"] == pytest.approx(25.0)
    assert (round(wald.loc[0, "ci_low"], 2), round(wald.loc[0, "ci_high"], 2)) == (8.75, 41.25)
    assert (round(adj.loc[0, "ci_low"], 1), round(adj.loc[0, "ci_high"], 1)) == (8.3, 40.2)
    assert adj.loc[0, "std_error"] == pytest.approx(100 * np.sqrt((76.5 / 103 - (25 / 103) ** 2) / 103))


@pytest.mark.filterwarnings("ignore::uxcx.errors.SmallSampleWarning")
@pytest.mark.parametrize(("p", "a", "d", "level"), [(50, 25, 25, 0.95), (3, 1, 1, 0.9), (7, 30, 2, 0.99),
                                                     (0, 12, 20, 0.95), (400, 100, 250, 0.8)])
def test_nps_intervals_match_weighted_scores_in_statsmodels(p, a, d, level):
    r = cx.nps(ratings(p, a, d), confidence_level=level)
    low, high = independent_interval(p, a, d, level)
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx((max(low, -100), min(high, 100)))
    w = cx.nps(ratings(p, a, d), confidence_level=level, method="wald")
    low, high = independent_interval(p, a, d, level, add=(0, 0, 0))
    assert (w.loc[0, "ci_low"], w.loc[0, "ci_high"]) == pytest.approx((max(low, -100), min(high, 100)))


@pytest.mark.filterwarnings("ignore::uxcx.errors.SmallSampleWarning")
def test_nps_result_schema_and_counts():
    r = cx.nps(ratings(5, 3, 2, region=["N"] * 6 + ["S"] * 4), by="region")
    assert list(r.columns) == ["region", *COLUMNS, *NPS_EXTRA]
    assert r["promoters"].tolist() == [5, 0] and r["detractors"].tolist() == [0, 2]
    assert r[["share_promoters", "share_passives", "share_detractors"]].sum(axis=1).tolist() == [1.0, 1.0]
    assert r["term"].eq("NPS").all() and r["p_value"].isna().all()


def test_nps_category_cut_offs_and_no_mutation():
    d = pd.DataFrame({"nps": list(range(11)) + [None]})
    before = d.copy()
    cat = cx.nps_category(d)
    assert cat.tolist()[:11] == ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2  # Reichheld 2003
    assert pd.isna(cat.iloc[11]) and cat.name == "nps_category"
    pd.testing.assert_frame_equal(d, before)


# --- bootstrap -------------------------------------------------------------------------------

def test_bootstrap_agrees_with_analytic_at_large_n():
    # n = 100,000: the Wald se is 0.26 points; percentile bootstrap and both analytic intervals agree
    # to well within 0.3 points (Monte Carlo error of a 2.5% quantile with 2000 resamples ~ 0.02).
    d = ratings(50_000, 25_000, 25_000)
    boot = cx.nps(d, method="bootstrap", seed=1)
    for method in ("wald", "adjusted-wald"):
        r = cx.nps(d, method=method)
        assert abs(boot.loc[0, "ci_low"] - r.loc[0, "ci_low"]) < 0.3
        assert abs(boot.loc[0, "ci_high"] - r.loc[0, "ci_high"]) < 0.3
    assert boot.loc[0, "std_error"] == pytest.approx(100 * np.sqrt(0.6875 / 100_000), rel=0.05)


def test_bootstrap_is_seeded_and_matches_a_row_resampling_bootstrap():
    d = ratings(30, 12, 18)
    a, b = cx.nps(d, method="bootstrap", seed=7), cx.nps(d, method="bootstrap", seed=7)
    pd.testing.assert_frame_equal(a, b)
    # Independent: resample rows with replacement (scipy.stats.bootstrap, percentile).
    scores = np.repeat([1.0, 0.0, -1.0], [30, 12, 18])
    ref = stats.bootstrap((scores,), np.mean, n_resamples=4000, method="percentile",
                          random_state=np.random.default_rng(3)).confidence_interval
    r = cx.nps(d, method="bootstrap", seed=3, n_boot=4000)
    assert r.loc[0, "ci_low"] == pytest.approx(100 * ref.low, abs=2.0)
    assert r.loc[0, "ci_high"] == pytest.approx(100 * ref.high, abs=2.0)


# --- coverage ----------------------------------------------------------------------------------

def exact_coverage(n, p_p, p_d, method):
    """Coverage summed over every (P, D) outcome, weighted by its trinomial probability."""
    pp, dd = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    ok = pp + dd <= n
    pp, dd = pp[ok], dd[ok]
    weight = stats.multinomial.pmf(np.stack([pp, n - pp - dd, dd], 1), n, [p_p, 1 - p_p - p_d, p_d])
    low, high, _, _ = nps_interval(pp, n - pp - dd, dd, method=method)
    truth = 100 * (p_p - p_d)
    return float(np.sum(weight * ((low <= truth) & (truth <= high))))


@pytest.mark.parametrize("n", [30, 100, 1000])
def test_coverage_simulation(n):
    # Vectorised: every simulated survey is one "group" of nps_interval. 4000 surveys: the Monte
    # Carlo standard error of a coverage of 0.95 is 0.0034.
    rng = np.random.default_rng(20261123 + n)
    p_p, p_d = 0.45, 0.25
    truth = 100 * (p_p - p_d)
    counts = rng.multinomial(n, [p_p, 1 - p_p - p_d, p_d], size=4000)
    cover = {}
    for method in ("adjusted-wald", "wald"):
        low, high, _, _ = nps_interval(*counts.T, method=method)
        cover[method] = np.mean((low <= truth) & (truth <= high))
        if n <= 100:  # the simulation agrees with the exact coverage
            assert cover[method] == pytest.approx(exact_coverage(n, p_p, p_d, method), abs=0.015)
    low, high, _, _ = nps_interval(*counts[:400].T, method="bootstrap", n_boot=500, rng=rng)
    cover["bootstrap"] = np.mean((low <= truth) & (truth <= high))
    assert 0.935 <= cover["adjusted-wald"] <= 0.965, cover
    assert 0.90 <= cover["wald"] <= 0.965, cover
    assert 0.90 <= cover["bootstrap"] <= 0.985, cover


@pytest.mark.filterwarnings("ignore::uxcx.errors.SmallSampleWarning")
def test_adjusted_wald_below_95_percent_can_exclude_a_unanimous_estimate():
    # Documented in nps(): all promoters needs z^2 >= 2(n + 3)/(n + 1) for the upper bound to reach
    # 100. At 80% (z^2 = 1.64) that fails for every n; at 95% (z^2 = 3.84) it holds for every n.
    assert cx.nps(ratings(300, 0, 0), confidence_level=0.8).loc[0, "ci_high"] < 100
    assert cx.nps(ratings(2, 0, 0), confidence_level=0.95).loc[0, "ci_high"] == 100


def test_wald_undercovers_where_adjusted_wald_holds():
    # Rocks (2016): the plain Wald interval falls short at small n near the edge; exact coverages.
    assert exact_coverage(30, 0.8, 0.05, "wald") < 0.93
    assert exact_coverage(30, 0.8, 0.05, "adjusted-wald") > 0.93


# --- real surveys (Carpentries, read in place) -------------------------------------------------

def independent_nps(series: pd.Series) -> tuple[int, float]:
    x = series.dropna()
    return len(x), 100 * ((x >= 9).sum() - (x <= 6).sum()) / len(x)


def test_carpentries_instructor_training_nps(realdata, make_study):
    path = realdata / "nps_csat" / "carpentries" / "instructor-training_20180908_post_clean.csv"
    study = make_study({}, {"survey": {"path": str(path), "columns": {
        "UniqueID": "respondent", "LikelyToRecommend": "nps"}}})
    s = uxcx.load_study(study)
    r = cx.nps(s["survey"])
    raw = pd.read_csv(path)
    # The loader keeps rows with a UniqueID, first copy of each (735 blank, 2 repeated ids dropped).
    kept = raw.loc[raw["UniqueID"].notna() & ~raw["UniqueID"].duplicated(), "LikelyToRecommend"]
    n, score = independent_nps(kept)
    assert (r.loc[0, "n"], r.loc[0, "estimate"]) == (n, pytest.approx(score))
    assert (n, round(score, 2)) == (221, 38.91)
    assert "9 missing left out" in r.loc[0, "method"]


def test_carpentries_instructor_training_without_ids_keeps_every_answer(realdata, make_study):
    path = realdata / "nps_csat" / "carpentries" / "instructor-training_20180908_post_clean.csv"
    study = make_study({}, {"survey": {"path": str(path), "columns": {"LikelyToRecommend": "nps"}}})
    r = cx.nps(uxcx.load_study(study)["survey"])
    n, score = independent_nps(pd.read_csv(path)["LikelyToRecommend"])
    assert (r.loc[0, "n"], r.loc[0, "estimate"]) == (n, pytest.approx(score))
    assert n == 889  # 967 rows, 78 blank


def test_carpentries_longterm_nps_with_blanks(realdata, make_study):
    path = realdata / "nps_csat" / "carpentries" / "longterm_October2017.csv"
    study = make_study({}, {"survey": {"path": str(path), "columns": {"Likely-To-Recommend": "nps"}}})
    d = uxcx.load_study(study)["survey"]
    r = cx.nps(d)
    n, score = independent_nps(pd.read_csv(path)["Likely-To-Recommend"])
    assert (r.loc[0, "n"], r.loc[0, "estimate"]) == (n, pytest.approx(score))
    assert (n, r.loc[0, "promoters"], r.loc[0, "passives"], r.loc[0, "detractors"]) == (402, 215, 118, 69)
    assert "74 missing left out" in r.loc[0, "method"]


# --- the sample study ----------------------------------------------------------------------------

def clean_sample_survey() -> pd.DataFrame:
    """survey.csv with pandas alone: duplicate's second copy and the 3 out-of-range rows dropped."""
    raw = pd.read_csv(ROOT / "data" / "sample" / "survey.csv")
    raw = raw[~raw["Response ID"].duplicated()]
    ok = (raw["Likelihood to recommend"].between(0, 10) & raw["Satisfaction"].between(1, 5)
          & raw["Effort"].between(1, 7))
    return raw[ok]


def test_sample_study_nps_and_csat_by_region(survey):
    raw = clean_sample_survey()
    overall = cx.nps(survey)
    assert overall.loc[0, "n"] == 2997 and round(overall.loc[0, "estimate"], 1) == 3.8  # data/sample/README
    by_region = cx.nps(survey, by="region")
    for _, row in by_region.iterrows():
        n, score = independent_nps(raw.loc[raw["Region"] == row["region"], "Likelihood to recommend"])
        assert (row["n"], row["estimate"]) == (n, pytest.approx(score))
    top2 = cx.top_box(survey, by="region")
    expected = (raw["Satisfaction"] >= 4).groupby(raw["Region"]).mean()
    assert top2.set_index("region")["estimate"].to_dict() == pytest.approx(expected.to_dict())
    assert (top2["ci_low"] < top2["estimate"]).all() and (top2["estimate"] < top2["ci_high"]).all()


def test_sample_study_means_and_no_planted_region_association(survey):
    assert round(cx.mean_score(survey, score="csat").loc[0, "estimate"], 2) == 3.79  # README
    assert round(cx.mean_score(survey, score="ces").loc[0, "estimate"], 2) == 4.93  # README
    # Region plays no part in the generator: the chi-square test finds nothing, V is near 0.
    r = cx.nps_association(survey, by="region")
    assert r.loc[0, "p_value"] > 0.05 and r.loc[0, "effect_size"] < 0.05


def test_sample_study_trend_by_quarter(survey):
    t = cx.trend(survey, measure="nps", period="quarter")
    assert t["period"].tolist() == [f"{y}Q{q}" for y in (2024, 2025) for q in range(1, 5)]
    assert t["n"].sum() == 2997
    assert t["period_start"].iloc[0] == pd.Timestamp("2024-01-01")
    quarters = survey["date"].dt.to_period("Q").astype(str)
    n, score = independent_nps(survey.loc[quarters == "2025Q3", "nps"])
    row = t.set_index("period").loc["2025Q3"]
    assert (row["n"], row["estimate"]) == (n, pytest.approx(score))


# --- comparing NPS ------------------------------------------------------------------------------

def test_compare_two_nps_by_hand():
    # Lewis & Sauro (2021), measuringu.com/nps-significance-test/: adjusted NPS and trinomial
    # variances per group, var_diff = var1 + var2, z = difference / sqrt(var_diff).
    d = pd.concat([ratings(50, 25, 25, wave="b"), ratings(30, 30, 40, wave="a")])
    r = cx.compare_nps(d, by="wave")
    v1 = (76.5 / 103 - (25 / 103) ** 2) / 103
    v2 = (71.5 / 103 - (10 / 103) ** 2) / 103
    z = (25 / 103 + 10 / 103) / np.sqrt(v1 + v2)
    assert r.loc[0, "term"] == "b \u2212 a" and r.loc[0, "estimate"] == pytest.approx(35.0)
    assert r.loc[0, "statistic"] == pytest.approx(z)
    assert r.loc[0, "p_value"] == pytest.approx(2 * stats.norm.sf(z))
    assert r.loc[0, "p_adjusted"] == pytest.approx(r.loc[0, "p_value"])  # one test
    half = stats.norm.ppf(0.975) * np.sqrt(v1 + v2)
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx(
        (100 * (35 / 103 - half), 100 * (35 / 103 + half)))
    assert r.loc[0, "n_group"] == 100 and r.loc[0, "nps_reference"] == pytest.approx(-10)


def test_compare_wald_is_a_z_test_of_score_means():
    # Independent: difference of the mean +1/0/-1 scores over sqrt(var1/n1 + var2/n2), ddof 0.
    a = np.repeat([1.0, 0.0, -1.0], [20, 9, 11])
    b = np.repeat([1.0, 0.0, -1.0], [12, 14, 9])
    d = pd.concat([ratings(20, 9, 11, g="x"), ratings(12, 14, 9, g="w")])
    r = cx.compare_nps(d, by="g", method="wald", reference="w")
    z = (a.mean() - b.mean()) / np.sqrt(a.var() / len(a) + b.var() / len(b))
    assert r.loc[0, "statistic"] == pytest.approx(z)


def test_compare_several_segments_reference_and_all_pairs():
    d = pd.concat([ratings(40, 30, 30, r="East"), ratings(20, 30, 50, r="North"),
                   ratings(45, 35, 20, r="South")])
    vs_ref = cx.compare_nps(d, by="r")
    assert vs_ref["term"].tolist() == ["North \u2212 East", "South \u2212 East"]
    assert vs_ref["p_adjusted"].tolist() == pytest.approx(multipletests(vs_ref["p_value"], method="holm")[1])
    assert vs_ref["p_adjust_method"].eq("holm").all()
    pairs = cx.compare_nps(d, by="r", pairs="all", p_adjust="bonferroni")
    assert pairs["term"].tolist() == ["North \u2212 East", "South \u2212 East", "South \u2212 North"]
    assert pairs["p_adjusted"].tolist() == pytest.approx(np.minimum(1, 3 * pairs["p_value"]))
    other = cx.compare_nps(d, by="r", reference="South")
    assert other["reference"].eq("South").all() and len(other) == 2
    with pytest.raises(UxcxError, match="reference='West'"):
        cx.compare_nps(d, by="r", reference="West")
    with pytest.raises(UxcxError, match="at least two"):
        cx.compare_nps(d[d["r"] == "East"], by="r")


def test_nps_association_matches_scipy_on_a_crosstab():
    d = pd.concat([ratings(40, 30, 30, r="East"), ratings(20, 30, 50, r="North"),
                   ratings(45, 35, 20, r="South")])
    table = pd.crosstab(np.select([d["nps"] >= 9, d["nps"] >= 7], ["P", "A"], "D"), d["r"])
    chi2, p, dof, _ = stats.chi2_contingency(table.to_numpy())
    r = cx.nps_association(d, by="r")
    assert (r.loc[0, "statistic"], r.loc[0, "p_value"], r.loc[0, "df"]) == pytest.approx((chi2, p, dof))
    assert r.loc[0, "effect_size"] == pytest.approx(np.sqrt(chi2 / (300 * 2)))  # Cramér (1946)
    assert 0 < r.loc[0, "cramers_v_corrected"] < r.loc[0, "effect_size"]  # Bergsma (2013) shrinks V
    assert r.loc[0, "effect_size_type"] == "Cram\u00e9r's V"


def test_nps_association_warns_on_small_expected_counts():
    d = pd.concat([ratings(3, 2, 1, r="a"), ratings(1, 2, 3, r="b")])
    with pytest.warns(UxcxWarning, match="expected counts"):
        cx.nps_association(d, by="r")


# --- ratings -------------------------------------------------------------------------------------

def test_top_box_matches_statsmodels_agresti_coull():
    from statsmodels.stats.proportion import proportion_confint

    d = pd.DataFrame({"csat": [5] * 13 + [4] * 9 + [3] * 6 + [1] * 4})
    r = cx.top_box(d)
    low, high = proportion_confint(22, 32, alpha=0.05, method="agresti_coull")
    assert r.loc[0, ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx([22 / 32, low, high])
    assert cx.top_box(d, top=1).loc[0, "estimate"] == pytest.approx(13 / 32)
    assert cx.top_box(d, top=1).loc[0, "term"] == "top-1 box"


def test_mean_score_matches_scipy_t_interval():
    x = np.array([7, 6, 6, 5, 4, 7, 5, 6, 3, 6, 2, 7])
    r = cx.mean_score(pd.DataFrame({"ces": x}), score="ces")
    low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (r.loc[0, "ci_low"], r.loc[0, "ci_high"]) == pytest.approx((low, high))
    assert r.loc[0, "term"] == "mean ces"


def test_likert_distribution_and_summary(survey):
    t = cx.likert_distribution(survey, items="loyalty_*", by="device")
    assert list(t.columns) == ["device", "item", "level", "count", "n", "share"]
    assert len(t) == 2 * 2 * 5
    assert t.groupby(["device", "item"])["share"].sum().tolist() == pytest.approx([1.0] * 4)
    mobile = survey.loc[survey["device"] == "Mobile", "loyalty_continue"].value_counts()
    got = t[(t["device"] == "Mobile") & (t["item"] == "loyalty_continue")].set_index("level")["count"]
    assert got.to_dict() == mobile.reindex(range(1, 6), fill_value=0).astype(int).to_dict()
    s = cx.likert_summary(survey, items=["ease_search", "ease_returns"], scale=(1, 7))
    assert s["item"].tolist() == ["ease_search"] * 2 + ["ease_returns"] * 2
    one = cx.top_box(survey, score="ease_returns", scale=(1, 7))
    assert s.loc[2, "estimate"] == pytest.approx(one.loc[0, "estimate"])
    assert s.loc[3, "estimate"] == pytest.approx(survey["ease_returns"].mean())


# --- small segments ------------------------------------------------------------------------------

def test_small_segments_warn_by_name_and_single_respondent_gets_nan_interval():
    d = pd.concat([ratings(30, 10, 10, region="North"), ratings(8, 5, 4, region="West"),
                   ratings(1, 0, 0, region="Isle")])
    with pytest.warns(SmallSampleWarning) as caught:
        r = cx.nps(d, by="region")
    text = " ".join(str(w.message) for w in caught)
    assert "region='West' (n=17)" in text and "fewer than 30" in text
    assert "region='Isle' (n=1)" in text and "NaN" in text
    assert "North" not in text
    isle = r.set_index("region").loc["Isle"]
    assert isle["estimate"] == 100 and np.isnan(isle["ci_low"]) and np.isnan(isle["std_error"])
    assert r.set_index("region").loc["West", ["ci_low", "ci_high"]].notna().all()


@pytest.mark.parametrize(("func", "single"), [(lambda d: cx.top_box(d, by="g"), 1.0),
                                              (lambda d: cx.mean_score(d, score="csat", by="g"), 5.0)])
def test_rating_rules_warn_under_ten_and_nan_under_two(func, single):
    d = pd.DataFrame({"csat": [5, 4, 3, 2, 5, 4, 3, 5, 4, 4, 5, 2, 3, 4] + [5],
                      "g": ["big"] * 10 + ["small"] * 4 + ["one"]})
    with pytest.warns(SmallSampleWarning, match=r"g='small' \(n=4\).*g='one' \(n=1\)"):
        r = func(d).set_index("g")
    assert np.isnan(r.loc["one", "ci_low"]) and r.loc["one", "estimate"] == single
    assert r.loc["small", ["ci_low", "ci_high"]].notna().all()


def test_no_warning_for_large_segments(survey):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cx.nps(survey, by="region")
        cx.top_box(survey, by="device")


# --- bad input -----------------------------------------------------------------------------------

def test_bad_ratings_raise_data_error_naming_every_row():
    d = pd.DataFrame({"nps": [5, 11, "ten", 9.5, None]}, index=pd.Index([2, 3, 4, 5, 6], name="row"))
    with pytest.raises(DataError) as err:
        cx.nps(d)
    assert [p.row for p in err.value.problems] == [3, 4, 5]
    assert "whole number from 0 to 10" in str(err.value)
    with pytest.raises(DataError, match="row 3"):
        cx.nps_category(d)
    with pytest.raises(DataError) as err:
        cx.top_box(pd.DataFrame({"csat": [0, 5, 6]}, index=pd.Index([2, 3, 4], name="row")))
    assert [p.row for p in err.value.problems] == [2, 4]


def test_likert_reports_every_bad_cell_of_every_item():
    d = pd.DataFrame({"loyalty_a": [1, 6, 3], "loyalty_b": [0, 2, "x"]},
                     index=pd.Index([2, 3, 4], name="row"))
    with pytest.raises(DataError) as err:
        cx.likert_summary(d, items="loyalty_*")
    assert {(p.column, p.row) for p in err.value.problems} == {("loyalty_a", 3), ("loyalty_b", 2),
                                                                ("loyalty_b", 4)}


@pytest.mark.parametrize(("call", "message"), [
    (lambda d: cx.nps(d, method="exact"), "method must be one of"),
    (lambda d: cx.nps(d, confidence_level=95), "confidence_level"),
    (lambda d: cx.nps(d, method="bootstrap", n_boot=10), "n_boot"),
    (lambda d: cx.nps(d, score="ltr"), "column is missing"),
    (lambda d: cx.top_box(d, score="nps", scale=(0, 10), top=11), "top must be"),
    (lambda d: cx.top_box(d, score="nps", scale=(5, 1)), "scale must be"),
    (lambda d: cx.trend(d, period="week"), "period must be"),
    (lambda d: cx.trend(d, measure="sus"), "measure must be one of"),
    (lambda d: cx.compare_nps(d, by=["a", "b"]), "by must name one column"),
])
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(UxcxError, match=message):
        call(ratings(5, 5, 5, date=["2025-01-01"] * 15))


@pytest.mark.filterwarnings("ignore::uxcx.errors.SmallSampleWarning")
def test_trend_dates_periods_and_bad_dates():
    d = ratings(6, 3, 3, date=["2025-01-03", "2025-02-11", None, "2025-04-30"] * 3,
                release=["1.0", "1.1", "1.1", "2.0"] * 3)
    with pytest.warns(UxcxWarning, match="3 row"):
        t = cx.trend(d, period="month")
    assert t["period"].tolist() == ["2025-01", "2025-02", "2025-04"]
    assert cx.trend(d, period="release")["period"].tolist() == ["1.0", "1.1", "2.0"]
    assert cx.trend(d, period="release")["period_start"].isna().all()
    bad = d.assign(date=["2025-01-03", "soon", "2025-03-01", "2025-04-30"] * 3)
    bad.index = pd.RangeIndex(2, 14, name="row")  # as loaded: spreadsheet rows
    with pytest.raises(DataError) as err:
        cx.trend(bad)
    assert [p.row for p in err.value.problems] == [3, 7, 11]


@pytest.mark.filterwarnings("ignore::uxcx.errors.SmallSampleWarning")
def test_trend_measures_delegate_to_their_functions():
    d = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-07-01"] * 6),
                      "csat": [5, 4, 2] * 6, "ces": [7, 3, 5] * 6})
    t = cx.trend(d, measure="csat_top2", period="quarter")
    assert t["estimate"].tolist() == pytest.approx([1.0, 0.0]) and t["term"].eq("top-2 box").all()
    t = cx.trend(d, measure="ces_mean", period="year")
    assert t.loc[0, "estimate"] == pytest.approx(5.0) and t.loc[0, "period"] == "2025"


# --- properties ----------------------------------------------------------------------------------

counts = st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60)).filter(lambda c: sum(c) >= 2)


@settings(max_examples=60, deadline=None)
@given(counts, st.sampled_from([("adjusted-wald", 0.95), ("adjusted-wald", 0.99), ("wald", 0.8),
                                ("wald", 0.95), ("wald", 0.99)]))
def test_property_nps_bounded_and_interval_contains_estimate(c, how):
    method, level = how
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        r = cx.nps(ratings(*c), method=method, confidence_level=level)
    est, low, high = r.loc[0, ["estimate", "ci_low", "ci_high"]]
    assert -100 <= low <= est <= high <= 100
    assert est == pytest.approx(100 * (c[0] - c[2]) / sum(c))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from("ABC")), min_size=3, max_size=80),
       st.randoms(use_true_random=False))
def test_property_invariant_to_row_order(rows, rnd):
    d = pd.DataFrame(rows, columns=["nps", "seg"])
    shuffled = d.sample(frac=1, random_state=rnd.randint(0, 10**6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        for method in ("adjusted-wald", "bootstrap"):
            a = cx.nps(d, by="seg", method=method, seed=5, n_boot=200)
            b = cx.nps(shuffled, by="seg", method=method, seed=5, n_boot=200)
            pd.testing.assert_frame_equal(a, b)
