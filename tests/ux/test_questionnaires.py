"""SUS, SEQ and UMUX-Lite: published worked examples, scipy and R cross-checks, real exports."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from conftest import ROOT
from uxcx import DataError, SmallSampleWarning, UxcxError, load_study
from uxcx._core.results import COLUMNS
from uxcx.ux.questionnaire_stats import cohens_d_interval
from uxcx.ux.questionnaires import (
    SUS_ITEMS,
    seq,
    straight_lining,
    sus,
    sus_acceptability,
    sus_adjective,
    sus_grade,
    sus_norms,
    sus_percentile,
    sus_score,
    sus_subscales,
    umux_lite,
    umux_lite_score,
    umux_lite_sus,
)

ITEMS = list(SUS_ITEMS)
BROOKE = [4, 1, 5, 2, 5, 1, 4, 2, 3, 1]  # Brooke (1996), the worked example: SUS = 85
AGREE = {"Strongly Disagree": 1, "Disagree": 2, "Neutral": 3, "Agree": 4, "Strongly Agree": 5}
SAMPLE = ROOT / "data" / "sample" / "study.yml"


def answers(*rows) -> pd.DataFrame:
    return pd.DataFrame([list(r) for r in rows], columns=ITEMS, dtype=float)


@pytest.fixture
def frame(rng):
    """Twenty complete questionnaires in two designs."""
    data = pd.DataFrame(rng.integers(1, 6, size=(20, 10)), columns=ITEMS)
    data["design"] = np.repeat(["Current", "Redesign"], 10)
    return data


# --- scoring ----------------------------------------------------------------------------------


def test_brooke_worked_example_scores_85():
    assert sus_score(answers(BROOKE)).tolist() == [85.0]


def test_positive_version_scores_every_item_as_answer_minus_one():
    # All-positive SUS (Sauro & Lewis 2011): 2.5 * sum(answer - 1); here 2.5 * (3+4+4+4+4+4+4+4+3+4).
    positive = [4, 5, 5, 5, 5, 5, 5, 5, 4, 5]
    assert sus_score(answers(positive), version="positive").tolist() == [2.5 * 38]
    assert sus_score(answers([5] * 10), version="positive").tolist() == [100.0]


def test_missing_policies_by_hand():
    data = answers(BROOKE, BROOKE, BROOKE)
    data.loc[0, "sus_1"] = np.nan  # one missing: item 1 answered 4 contributes 3
    data.loc[1, ["sus_1", "sus_2"]] = np.nan  # two missing: contributions 3 and 4
    drop = sus_score(data)
    neutral = sus_score(data, missing="neutral")
    prorate = sus_score(data, missing="prorate")
    assert drop.isna().tolist() == [True, True, False]
    # Neutral: the missing answer counts as 3, contribution 2: (34 - 3 + 2) * 2.5 = 82.5.
    assert neutral.tolist() == [82.5, (34 - 3 - 4 + 2 + 2) * 2.5, 85.0]
    # Prorate: mean of the 9 answered contributions * 25 = 31 / 9 * 25; two missing is NaN.
    assert prorate[0] == pytest.approx(31 / 9 * 25)
    assert np.isnan(prorate[1]) and prorate[2] == 85.0


def test_nothing_answered_is_missing_under_every_policy():
    data = answers([np.nan] * 10)
    for policy in ("drop", "neutral", "prorate"):
        assert sus_score(data, missing=policy).isna().all()


def test_subscales_by_hand_and_recombine_to_sus(frame):
    # Brooke's example: usability items 1,2,3,5,6,7,8,9 contribute 3+4+4+4+4+3+3+2 = 27 -> 84.375;
    # learnability items 4 and 10 contribute 3 + 4 = 7 -> 87.5 (Lewis & Sauro 2009).
    assert sus_subscales(answers(BROOKE)).iloc[0].tolist() == [84.375, 87.5]
    sub = sus_subscales(frame)
    assert np.allclose(0.8 * sub["usability"] + 0.2 * sub["learnability"], sus_score(frame))
    with pytest.raises(UxcxError, match="missing"):
        sus_subscales(frame, missing="prorate")


def test_scoring_does_not_touch_the_callers_frame(frame):
    before = frame.copy()
    sus_score(frame, missing="neutral")
    sus(frame, by="design")
    straight_lining(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_custom_item_names():
    data = pd.DataFrame([BROOKE], columns=[f"q{i}" for i in range(1, 11)])
    assert sus_score(data, items=list(data.columns)).tolist() == [85.0]
    with pytest.raises(UxcxError, match="ten SUS item"):
        sus_score(data, items=["q1", "q2"])


def test_bad_answers_are_all_reported_with_their_rows():
    data = answers(BROOKE, BROOKE, BROOKE)
    data.loc[1, "sus_3"] = 6
    data.loc[2, "sus_7"] = 2.5
    data.index = pd.Index([2, 3, 4], name="row")  # as a loaded frame: spreadsheet rows
    data.attrs["source"] = "questionnaire.csv"
    with pytest.raises(DataError) as err:
        sus_score(data)
    problems = err.value.problems
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("questionnaire.csv", 3, "sus_3", 6.0), ("questionnaire.csv", 4, "sus_7", 2.5)]
    assert "1 to 5" in str(err.value)


def test_missing_item_columns_and_bad_options_are_explained():
    with pytest.raises(DataError, match="sus_10"):
        sus_score(answers(BROOKE).drop(columns="sus_10"))
    with pytest.raises(UxcxError, match="missing must be one of"):
        sus_score(answers(BROOKE), missing="mean")
    with pytest.raises(UxcxError, match="version"):
        sus_score(answers(BROOKE), version="alternate")
    with pytest.raises(UxcxError, match="confidence_level"):
        sus(answers(BROOKE), confidence_level=95)
    with pytest.raises(DataError, match=r"column 'device': the column is missing \(by='device'\)"):
        sus(answers(BROOKE), by="device")


# --- property tests ---------------------------------------------------------------------------

item_rows = st.lists(st.lists(st.integers(1, 5), min_size=10, max_size=10), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(item_rows)
def test_sus_lies_on_0_100_in_steps_of_2_5(rows):
    scores = sus_score(answers(*rows))
    assert ((scores >= 0) & (scores <= 100)).all()
    assert np.allclose(scores / 2.5, np.round(scores / 2.5))


@settings(max_examples=40, deadline=None)
@given(item_rows, st.randoms(use_true_random=False))
def test_group_means_do_not_depend_on_row_order(rows, random):
    data = answers(*rows)
    data["design"] = ["A", "B"] * (len(rows) // 2) + ["A"] * (len(rows) % 2)
    order = list(range(len(data)))
    random.shuffle(order)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallSampleWarning)
        a = sus(data, by="design")
        b = sus(data.iloc[order], by="design")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=10, max_size=10), st.integers(0, 9))
def test_monotone_in_each_item(row, item):
    if row[item] == 5:
        row[item] = 4
    up = list(row)
    up[item] += 1
    base, raised = sus_score(answers(row, up))
    # Odd items (index 0, 2, ...) are positive: agreeing more raises SUS by 2.5; even items lower it.
    assert raised - base == (2.5 if item % 2 == 0 else -2.5)
    pos_base, pos_raised = sus_score(answers(row, up), version="positive")
    assert pos_raised - pos_base == 2.5


@settings(max_examples=40, deadline=None)
@given(item_rows)
def test_policies_agree_when_nothing_is_missing(rows):
    data = answers(*rows)
    drop = sus_score(data)
    pd.testing.assert_series_equal(drop, sus_score(data, missing="neutral"))
    pd.testing.assert_series_equal(drop, sus_score(data, missing="prorate"))


# --- norms ------------------------------------------------------------------------------------

# Sauro & Lewis (2016), Table 8.5: (lowest score of the range, highest, grade).
SAURO_LEWIS = [(84.1, 100, "A+"), (80.8, 84.0, "A"), (78.9, 80.7, "A-"), (77.2, 78.8, "B+"),
               (74.1, 77.1, "B"), (72.6, 74.0, "B-"), (71.1, 72.5, "C+"), (65.0, 71.0, "C"),
               (62.7, 64.9, "C-"), (51.7, 62.6, "D"), (0, 51.6, "F")]


@pytest.mark.parametrize(("low", "high", "grade"), SAURO_LEWIS)
def test_sauro_lewis_grades_at_their_published_ends(low, high, grade):
    assert sus_grade([low, high, (low + high) / 2]).tolist() == [grade] * 3


def test_grades_between_printed_ranges_take_the_lower_grade():
    assert sus_grade([84.05, 80.75, 51.65]).tolist() == ["A", "A-", "F"]
    assert sus_grade([np.nan]).tolist() == [None]


# Bangor, Kortum & Miller (2009), Table 3: mean SUS of those choosing each adjective.
@pytest.mark.parametrize(("mean", "adjective", "below"), [
    (20.3, "Awful", "Worst imaginable"), (35.7, "Poor", "Awful"), (50.9, "OK", "Poor"),
    (71.4, "Good", "OK"), (85.5, "Excellent", "Good"), (90.9, "Best imaginable", "Excellent")])
def test_bangor_adjectives_at_their_mean_cut_points(mean, adjective, below):
    assert sus_adjective([mean, mean - 0.1]).tolist() == [adjective, below]


def test_bangor_extremes_and_acceptability_ranges():
    # Worst imaginable's own mean, 12.5, lies below the first cut-point.
    assert sus_adjective([0, 12.5, 100]).tolist() == ["Worst imaginable", "Worst imaginable",
                                                      "Best imaginable"]
    # Bangor et al. (2008): not acceptable < 50, marginal 50-70, acceptable > 70.
    assert sus_acceptability([0, 49.9, 50, 62.6, 70, 70.1, 100]).tolist() == [
        "not acceptable", "not acceptable", "marginal", "marginal", "marginal", "acceptable", "acceptable"]


def test_percentile_is_the_normal_approximation():
    # Sauro (2011): 68 is the average, the 50th percentile; 68 + 12.5 is one SD up,
    # 84.13% by the standard normal table.
    assert sus_percentile([68, 80.5, 55.5]).round(2).tolist() == [50.0, 84.13, 15.87]
    s = pd.Series([70.0, np.nan], index=["a", "b"])
    out = sus_percentile(s)
    assert list(out.index) == ["a", "b"] and np.isnan(out["b"])


def test_norms_are_switchable():
    only_grade = sus_norms([75.0])
    assert only_grade.iloc[0, :3].tolist() == ["B", None, None]
    only_bangor = sus_norms([75.0], norms="bangor")
    assert only_bangor.iloc[0, :3].tolist() == [None, "Good", "acceptable"]
    with pytest.raises(UxcxError, match="norms"):
        sus_norms([75.0], norms="tullis")


# --- sus(): group means ------------------------------------------------------------------------


def test_sus_interval_matches_scipy(frame):
    r = sus(frame, by="design", confidence_level=0.90)
    assert list(r.columns) == ["design", *COLUMNS, "grade", "adjective", "acceptability", "percentile"]
    for _, row in r.iterrows():
        x = sus_score(frame[frame["design"] == row["design"]]).to_numpy()
        ci = stats.ttest_1samp(x, 0).confidence_interval(0.90)
        assert (row["n"], row["estimate"]) == (10, pytest.approx(x.mean()))
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
        assert row["std_error"] == pytest.approx(stats.sem(x))
        assert row["grade"] == sus_grade([x.mean()])[0]
        assert row["percentile"] == pytest.approx(100 * stats.norm.cdf(x.mean(), 68, 12.5))
    assert r["term"].eq("sus").all() and r["p_value"].isna().all()
    assert r["method"].str.contains("Sauro & Lewis").all()


def test_sus_without_groups_counts_only_scored_respondents(frame):
    data = frame.copy()
    data.loc[0, "sus_4"] = np.nan
    r = sus(data)
    assert r.loc[0, "n"] == 19
    assert r.loc[0, "estimate"] == pytest.approx(sus_score(data).mean())
    assert sus(data, missing="neutral").loc[0, "n"] == 20


def test_sus_warns_when_a_group_has_one_respondent():
    data = answers(BROOKE, BROOKE, [3] * 10)
    data["design"] = ["A", "A", "B"]
    with pytest.warns(SmallSampleWarning, match="fewer than two"):
        r = sus(data, by="design")
    assert r["n"].tolist() == [2, 1] and np.isnan(r.loc[1, "ci_low"])


# --- straight-lining --------------------------------------------------------------------------


def test_straight_lining_flags_without_dropping():
    data = answers([3] * 10, [5] * 10, BROOKE, [1] * 9 + [np.nan])
    flags = straight_lining(data)
    assert flags.tolist() == [True, True, False, False]
    assert flags.dtype == bool and len(flags) == len(data)
    # One answer everywhere contradicts the alternating wording: it always scores 50.
    assert sus_score(data)[flags].tolist() == [50.0, 50.0]


# --- SEQ --------------------------------------------------------------------------------------

SEQ_X = [6, 7, 5, 6, 7, 4, 6, 5, 7, 6, 3, 7]


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_seq_test_matches_scipy(alternative):
    data = pd.DataFrame({"task": ["Checkout"] * 12 + ["Search"] * 6,
                         "seq": SEQ_X + [2, 3, 5, 4, 3, 4]})
    r = seq(data, by="task", alternative=alternative, confidence_level=0.9)
    for _, row in r.iterrows():
        x = data.loc[data["task"] == row["task"], "seq"].to_numpy(float)
        ref = stats.ttest_1samp(x, 5.5, alternative=alternative)
        ci = ref.confidence_interval(0.9)
        assert row["statistic"] == pytest.approx(ref.statistic)
        assert row["p_value"] == pytest.approx(ref.pvalue)
        assert row["df"] == ref.df
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
        assert row["effect_size"] == pytest.approx((x.mean() - 5.5) / x.std(ddof=1))
        assert row["alternative"] == alternative and row["effect_size_type"] == "Cohen's d"


def test_seq_cohens_d_interval_against_R():
    # R 4.x, base only:
    #   x <- c(6, 7, 5, 6, 7, 4, 6, 5, 7, 6, 3, 7); tt <- t.test(x, mu = 5.5)
    #   f <- function(l, p) pt(tt$statistic, 11, ncp = l) - p
    #   uniroot(f, c(-20, 20), p = 0.975, tol = 1e-12)$root / sqrt(12)   # -0.3816189104
    #   uniroot(f, c(-20, 20), p = 0.025, tol = 1e-12)$root / sqrt(12)   #  0.7612609978
    #   uniroot(f, c(-20, 20), p = 0.90,  tol = 1e-12)$root / sqrt(12)   # -0.18388976 (90%, greater)
    # and t.test gives t = 0.6723502023, p = 0.5152352983, 95% CI 4.931607608 6.568392392.
    r = seq(pd.DataFrame({"seq": SEQ_X})).iloc[0]
    assert r["statistic"] == pytest.approx(0.6723502023)
    assert r["p_value"] == pytest.approx(0.5152352983)
    assert (r["ci_low"], r["ci_high"]) == (pytest.approx(4.931607608), pytest.approx(6.568392392))
    assert r["effect_size"] == pytest.approx(0.1940907851)
    assert r["effect_size_ci_low"] == pytest.approx(-0.3816189104, abs=1e-7)
    assert r["effect_size_ci_high"] == pytest.approx(0.7612609978, abs=1e-7)
    g = seq(pd.DataFrame({"seq": SEQ_X}), alternative="greater", confidence_level=0.9).iloc[0]
    assert g["effect_size_ci_low"] == pytest.approx(-0.18388976, abs=1e-7)
    assert g["effect_size_ci_high"] == np.inf and g["ci_high"] == np.inf


def test_cohens_d_interval_covers_d_and_degrades_cleanly():
    low, high = cohens_d_interval(3.0, 10, 0.95, "two-sided")
    assert low < 3.0 / np.sqrt(10) < high
    assert all(np.isnan(cohens_d_interval(np.inf, 10, 0.95, "two-sided")))
    assert all(np.isnan(cohens_d_interval(1.0, 1, 0.95, "two-sided")))


def test_seq_rejects_ratings_off_the_scale_and_bad_alternatives():
    with pytest.raises(DataError, match="1 to 7"):
        seq(pd.DataFrame({"seq": [5, 8, 0]}))
    with pytest.raises(UxcxError, match="alternative"):
        seq(pd.DataFrame({"seq": [5, 6]}), alternative="bigger")


# --- UMUX-Lite --------------------------------------------------------------------------------


def test_umux_lite_formulas_at_their_ends():
    data = pd.DataFrame({"umux_lite_1": [1, 7, 4, 6], "umux_lite_2": [1, 7, 4, np.nan]})
    # (i1 + i2 - 2) / 12 * 100 (Lewis, Utesch & Maher 2013)
    assert umux_lite_score(data).tolist()[:3] == [0.0, 100.0, 50.0]
    # 0.65 * score + 22.9 (the same paper's regression onto SUS)
    assert umux_lite_sus(data).round(10).tolist()[:3] == [22.9, 87.9, 55.4]
    assert umux_lite_score(data).isna().tolist() == [False, False, False, True]


def test_umux_lite_means_match_scipy(rng):
    data = pd.DataFrame(rng.integers(1, 8, size=(24, 2)), columns=["umux_lite_1", "umux_lite_2"])
    data["device"] = np.tile(["Desktop", "Mobile"], 12)
    for comparable, scorer in ((True, umux_lite_sus), (False, umux_lite_score)):
        r = umux_lite(data, by="device", sus_comparable=comparable)
        for _, row in r.iterrows():
            x = scorer(data[data["device"] == row["device"]]).to_numpy()
            ci = stats.ttest_1samp(x, 0).confidence_interval(0.95)
            assert row["estimate"] == pytest.approx(x.mean())
            assert (row["ci_low"], row["ci_high"]) == (pytest.approx(ci.low), pytest.approx(ci.high))
        assert r["term"].eq(scorer(data).name).all()
    with pytest.raises(DataError, match="1 to 7"):
        umux_lite_score(pd.DataFrame({"umux_lite_1": [9], "umux_lite_2": [1]}))


# --- real exports and the sample study --------------------------------------------------------


def test_google_forms_export_gives_the_published_sus(realdata, make_study):
    path = realdata / "sus" / "kastle-drawbridge_SUS-Drawbridge-Responses.csv"
    headers = pd.read_csv(path, nrows=0).columns
    columns = {h: f"sus_{h.split('.')[0]}" for h in headers if h[0].isdigit()}
    study = make_study({}, {"questionnaire": {"path": str(path), "columns": columns,
                                              "values": {"sus_*": AGREE}}})
    q = load_study(study)["questionnaire"]
    scores = sus_score(q)
    # kastle-lab/kastle-drawbridge publishes a study SUS of 68.75, median 70 (SOURCES.md).
    assert scores.mean() == pytest.approx(68.75)
    assert scores.median() == pytest.approx(70)
    assert sus(q).loc[0, "estimate"] == pytest.approx(68.75)
    assert not straight_lining(q).any()


def test_heritrace_scores_equal_the_authors(realdata):
    folder = realdata / "usability_tasks" / "heritrace" / "aggregated"
    people = pd.DataFrame(json.loads((folder / "sus_individual_scores.json").read_text())["participants"])
    data = pd.concat([people[["participant_id", "user_type", "sus_score"]],
                      pd.DataFrame(people["ratings"].tolist(), columns=ITEMS)], axis=1)
    assert len(data) == 19
    # opencitations/heritrace: each participant's published sus_score from their ten ratings.
    assert sus_score(data).tolist() == data["sus_score"].tolist()
    # The authors' summary per user type: count, mean, median and a 95% t interval.
    report = json.loads((folder / "sus_aggregated_report.json").read_text())["summary_statistics"]
    r = sus(data, by="user_type").set_index("user_type")
    for kind, published in report.items():
        assert r.loc[kind, "n"] == published["count"]
        assert r.loc[kind, "estimate"] == pytest.approx(published["mean"])
        assert r.loc[kind, "ci_low"] == pytest.approx(published["ci_95_lower"])
        assert r.loc[kind, "ci_high"] == pytest.approx(published["ci_95_upper"])
        assert sus_score(data[data["user_type"] == kind]).median() == published["median"]


@pytest.fixture(scope="module")
def sample(sample_study):
    study = sample_study
    design = study["usability"].groupby("participant")["design"].first()
    questionnaire = study["questionnaire"].assign(design=lambda q: q["participant"].map(design))
    return questionnaire, study["usability"]


def test_sample_study_shows_the_planted_redesign_effect(sample):
    questionnaire, usability = sample
    r = sus(questionnaire, by="design").set_index("design")
    # data/sample/README.md, Realised figures: mean SUS 67.0 (Current) / 76.4 (Redesign) over the
    # 59 valid questionnaires (P17's SUS10 = 6 is dropped by the loader).
    assert r["n"].sum() == 59
    assert r.loc["Current", "estimate"] == pytest.approx(67.0, abs=0.05)
    assert r.loc["Redesign", "estimate"] == pytest.approx(76.4, abs=0.05)
    assert r.loc["Redesign", "ci_low"] > r.loc["Current", "estimate"]
    # The planted perceived-usability shift (+0.4 SD of u) reaches the UMUX-Lite and the SEQ too.
    u = umux_lite(questionnaire, by="design").set_index("design")
    assert u.loc["Redesign", "estimate"] > u.loc["Current", "estimate"]
    s = seq(usability, by="design").set_index("design")
    # README: mean SEQ 5.13 (Current) / 5.59 (Redesign) over all 300 attempts; the loader drops
    # P12's attempt with Time (s) = 0 (a Redesign row), which moves that mean to 5.597.
    assert s["n"].tolist() == [150, 149]
    assert s["estimate"].tolist() == [pytest.approx(5.13, abs=0.005), pytest.approx(5.59, abs=0.01)]
    assert s.loc["Current", "p_value"] < 0.05 and s.loc["Current", "statistic"] < 0
