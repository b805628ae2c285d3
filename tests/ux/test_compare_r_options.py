"""The options of uxcx.ux.compare that R users expect, pinned to R on real data and textbooks:
Student's pooled t (``equal_var``), the Wilcoxon tests' ``correct`` and ``exact``, the exact
McNemar test (``mcnemar="exact"``), log10 p-values that never read 0, and degenerate input.

R figures come from R 4.2.2 (``Rscript``), each written beside its call. The real files are
read in place from ``../shared/realdata`` (see its SOURCES.md). R's normal-approximation
Hodges-Lehmann intervals come from ``uniroot(tol = 1e-4)``; the kit's are exact, so 2e-4.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from uxcx.errors import ComparisonError, UxcxWarning
from uxcx.ux.compare import compare_completion, compare_ratings, compare_times

R_TOL = 2e-4
BEFORE = ["I had not been using tools like these.", "Less than once per year.", "Several times per year.",
          "Monthly.", "Weekly.", "Daily."]
AGREE = {"Strongly Disagree": 1, "Disagree": 2, "Neither Agree nor Disagree": 3, "Agree": 4,
         "Strongly Agree": 5}


def two_groups(a, b, column, names=("A", "B")):
    return pd.DataFrame({"design": [names[0]] * len(a) + [names[1]] * len(b),
                         "participant": range(len(a) + len(b)), column: list(a) + list(b)})


def paired(a, b, column, names=("A", "B")):
    n = len(a)
    return pd.DataFrame({"participant": list(range(n)) * 2, "design": [names[0]] * n + [names[1]] * n,
                         column: list(a) + list(b)})


@pytest.fixture
def programming_use(realdata):
    """carpentries long-term survey: how often learners used the tools before and since (1-6)."""
    raw = pd.read_csv(realdata / "nps_csat" / "carpentries" / "longterm_October2017.csv")
    since_labels = ["I have not been using tools like these.", *BEFORE[1:]]
    before = raw["Programming-Usage-Before-Workshop"].map({v: i + 1 for i, v in enumerate(BEFORE)})
    since = raw["Programming-Usage-Since-Workshop"].map({v: i + 1 for i, v in enumerate(since_labels)})
    keep = before.notna() & since.notna()
    return paired(since[keep].tolist(), before[keep].tolist(), "use", names=("since", "before"))


@pytest.fixture
def instructor_training(realdata):
    """carpentries instructor-training survey, taken at the event or after it."""
    raw = pd.read_csv(realdata / "nps_csat" / "carpentries" / "instructor-training_20180908_post_clean.csv")
    return pd.DataFrame({"participant": range(len(raw)),
                         "when": np.where(raw["WhenTaking"].str.contains("after"), "after", "event"),
                         "ltr": raw["LikelyToRecommend"], "worth": raw["Worth"].map(AGREE)})


# --- Wilcoxon signed-rank: R's continuity correction and zeros, real paired ratings ------------

def test_signed_rank_on_real_paired_ratings_against_r(programming_use):
    # R: wilcox.test(since, before, paired=TRUE, conf.int=TRUE)   (433 pairs, 209 zero differences)
    #    -> V = 23382, p = 1.51229139111e-29, (pseudo)median 1.50004273446,
    #       conf.int 1.4999870354 1.99999703375
    # R: ... correct=FALSE -> p = 1.50331326206e-29, conf.int 1.49992572621 1.99996867748
    r = compare_ratings(programming_use, score="use", paired=True, method="rank", reference="before").iloc[0]
    assert (r["n"], r["statistic"]) == (433, 23382)
    assert r["p_value"] == pytest.approx(1.51229139111e-29, rel=1e-10)
    assert r["log10_p_value"] == pytest.approx(math.log10(1.51229139111e-29), abs=1e-10)
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((1.50004273446, 1.4999870354,
                                                                         1.99999703375), abs=R_TOL)
    assert "continuity correction, 209 zero differences dropped" in r["method"]
    off = compare_ratings(programming_use, score="use", paired=True, method="rank", reference="before",
                          correct=False).iloc[0]
    assert off["p_value"] == pytest.approx(1.50331326206e-29, rel=1e-10)
    assert (off["ci_low"], off["ci_high"]) == pytest.approx((1.49992572621, 1.99996867748), abs=R_TOL)
    # R: wilcox.test(since, before, paired=TRUE, alternative="less")$p.value -> 1
    less = compare_ratings(programming_use, score="use", paired=True, method="rank", reference="before",
                           alternative="less").iloc[0]
    assert less["p_value"] == pytest.approx(1.0)


def test_paired_t_on_real_ratings_against_r(programming_use):
    # R: t.test(since, before, paired=TRUE) -> t = 12.8695220697, p = 2.60595801659e-32,
    #    mean difference 0.875288683603, conf.int 0.741612072689 1.00896529452
    r = compare_ratings(programming_use, score="use", paired=True, method="t", reference="before").iloc[0]
    assert (r["statistic"], r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx(
        (12.8695220697, 0.875288683603, 0.741612072689, 1.00896529452), abs=1e-10)
    assert r["p_value"] == pytest.approx(2.60595801659e-32, rel=1e-9)


def test_signed_rank_exact_on_a_textbook_example():
    # Hollander & Wolfe (1973, p. 29), as in R's ?wilcox.test:
    # R: wilcox.test(x, y, paired=TRUE, conf.int=TRUE) -> V = 40, p = 0.0390625, 0.46 (0.01, 0.786)
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    r = compare_ratings(paired(x, y, "hamd"), score="hamd", paired=True, method="rank", reference="B").iloc[0]
    assert (r["statistic"], r["p_value"]) == (40, pytest.approx(0.0390625, abs=1e-14))
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((0.46, 0.01, 0.786), abs=1e-12)
    assert r["method"].startswith("Wilcoxon signed-rank exact test")


def test_signed_rank_exact_hodges_lehmann_on_real_task_times(realdata):
    folder = realdata / "usability_tasks" / "heritrace" / "endusers"
    rows = []
    for path in sorted(folder.glob("*e_task_completion.json")):
        record = json.loads(path.read_text())
        for task in ("edit_publication", "restore_version"):
            h, m, s = map(int, record["tasks"][task]["actual_duration_minutes"].split(":"))
            rows.append({"participant": record["participant_id"], "design": task,
                         "seconds": 3600 * h + 60 * m + s})
    d = pd.DataFrame(rows)
    # R: edit <- c(227,127,815,364,595,78,228,88,176); restore <- c(340,96,87,101,400,64,36,42,90)
    #    wilcox.test(edit, restore, paired=TRUE, conf.int=TRUE) -> V = 40, p = 0.0390625, 119 (14, 387)
    r = compare_ratings(d, score="seconds", paired=True, method="rank", reference="restore_version").iloc[0]
    assert (r["statistic"], r["p_value"], r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx(
        (40, 0.0390625, 119, 14, 387), abs=1e-12)


# --- Mann-Whitney: the normal-approximation interval and the "0 (0 to 0)" shift ----------------

def test_mann_whitney_on_real_ratings_against_r_and_the_zero_width_note(instructor_training):
    # R: wilcox.test(ltr[after], ltr[event], conf.int=TRUE)   (217 and 672 answers, 0-10)
    #    -> W = 80982, p = 0.0104594519866, difference in location 3.7e-05, conf.int 5.8e-05 5.5e-05:
    #    R also says 0 (0 to 0), to within uniroot's tolerance
    # R: ... correct=FALSE -> p = 0.0104546780562
    with pytest.warns(UxcxWarning, match="zero width: 27% of the 145,824 pairwise differences equal 0"):
        r = compare_ratings(instructor_training, score="ltr", by="when", method="rank",
                            reference="event").iloc[0]
    assert (r["n"], r["statistic"]) == (889, 80982)
    assert r["p_value"] == pytest.approx(0.0104594519866, abs=1e-12)
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == (0.0, 0.0, 0.0)
    assert "to within one scale step, not that it is exactly 0" in r["method"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UxcxWarning)
        off = compare_ratings(instructor_training, score="ltr", by="when", method="rank", reference="event",
                              correct=False).iloc[0]
        # R: wilcox.test(worth[after], worth[event], conf.int=TRUE)
        #    -> W = 79611.5, p = 0.107540646305, ~0 (0, 0)
        worth = compare_ratings(instructor_training, score="worth", by="when", method="rank",
                                reference="event").iloc[0]
    assert off["p_value"] == pytest.approx(0.0104546780562, abs=1e-12)
    assert "(normal approximation)" in off["method"]
    assert (worth["statistic"], worth["p_value"]) == (79611.5, pytest.approx(0.107540646305, abs=1e-12))
    assert (worth["ci_low"], worth["ci_high"]) == (0.0, 0.0)


def test_mann_whitney_exact_below_50_as_r():
    # scipy's "auto" is exact only up to 8 per group; R's rule is fewer than 50 without ties.
    # R: x <- c(2.1,3.4,1.9,5.6,4.4,3.8,2.7,6.1,5.0,4.9); y <- c(1.2,2.2,0.7,3.1,1.6,2.5,0.9,3.3,1.4,2.9)
    #    wilcox.test(x, y, conf.int=TRUE) -> W = 87, p = 0.00388620667258, 2 (0.7, 3.4)
    x = [2.1, 3.4, 1.9, 5.6, 4.4, 3.8, 2.7, 6.1, 5.0, 4.9]
    y = [1.2, 2.2, 0.7, 3.1, 1.6, 2.5, 0.9, 3.3, 1.4, 2.9]
    r = compare_ratings(two_groups(x, y, "s"), score="s", method="rank", reference="B").iloc[0]
    assert (r["statistic"], r["p_value"]) == (87, pytest.approx(0.00388620667258, abs=1e-13))
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == pytest.approx((2, 0.7, 3.4))
    assert r["method"].startswith("Mann-Whitney U exact test")
    normal = compare_ratings(two_groups(x, y, "s"), score="s", method="rank", reference="B", exact=False)
    assert normal["p_value"][0] == pytest.approx(stats.mannwhitneyu(x, y, method="asymptotic").pvalue)


# --- Student's pooled t ------------------------------------------------------------------------

def test_student_t_on_real_ratings_against_r(instructor_training):
    # R: t.test(ltr[after], ltr[event], var.equal=TRUE) -> t = 2.31390620079, df = 887,
    #    p = 0.0209006160161, conf.int 0.0424548758332 0.516876921402
    # R: t.test(ltr[after], ltr[event]) -> t = 2.39303467291, p = 0.0171849466909
    r = compare_ratings(instructor_training, score="ltr", by="when", method="t", reference="event",
                        equal_var=True).iloc[0]
    assert (r["statistic"], r["df"], r["p_value"], r["ci_low"], r["ci_high"]) == pytest.approx(
        (2.31390620079, 887, 0.0209006160161, 0.0424548758332, 0.516876921402), abs=1e-11)
    assert r["method"].startswith("Student's t test (pooled variance)")
    assert r["effect_size_type"] == "Hedges' g"
    welch = compare_ratings(instructor_training, score="ltr", by="when", method="t",
                            reference="event").iloc[0]
    assert (welch["statistic"], welch["p_value"]) == pytest.approx((2.39303467291, 0.0171849466909),
                                                                   abs=1e-11)
    assert welch["effect_size"] == r["effect_size"]  # Hedges' g uses the pooled SD either way


def test_student_t_on_log_times_against_r():
    # R: t.test(log(c(40,52,38,61,45)), log(c(60,75,58,90,66)), var.equal=TRUE)
    #    -> t = -3.32477173574, df = 8, p = 0.0104654882041, conf.int -0.666084180641 -0.120513584277
    d = two_groups([40, 52, 38, 61, 45], [60, 75, 58, 90, 66], "time_s")
    r = compare_times(d, reference="B", equal_var=True).iloc[0]
    assert (r["statistic"], r["df"], r["p_value"]) == pytest.approx((-3.32477173574, 8, 0.0104654882041),
                                                                    abs=1e-11)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(np.exp([-0.666084180641, -0.120513584277]))
    assert r["method"].startswith("Student's t test (pooled variance) on log time")


def test_options_are_checked():
    d = two_groups([1, 2, 3], [2, 3, 4], "seq")
    with pytest.raises(ComparisonError, match="equal_var must be one of True, False; got 'yes'"):
        compare_ratings(d, score="seq", equal_var="yes")
    with pytest.raises(ComparisonError, match="exact must be one of None, True, False"):
        compare_ratings(d, score="seq", exact="auto")
    with pytest.raises(ComparisonError, match="mcnemar must be one of 'mid-p', 'exact'; got 'asymptotic'"):
        compare_completion(two_groups([1, 0], [0, 1], "success"), mcnemar="asymptotic")
    # an option that cannot apply is an error, not silently ignored
    with pytest.raises(ComparisonError, match="mcnemar='exact' applies to paired comparisons"):
        compare_completion(two_groups([1, 0], [0, 1], "success"), mcnemar="exact")
    pairs = paired([1, 2, 3], [2, 2, 5], "seq")
    with pytest.raises(ComparisonError, match="equal_var=True applies to the unpaired t test"):
        compare_ratings(pairs, score="seq", paired=True, method="t", equal_var=True)
    with pytest.raises(ComparisonError, match="equal_var=True applies to the unpaired t test"):
        compare_times(paired([10, 20, 30], [20, 20, 50], "time_s"), paired=True, equal_var=True)
    with pytest.raises(ComparisonError, match="correct= and exact= apply to the rank tests"):
        compare_ratings(d, score="seq", method="t", correct=False)
    with pytest.raises(ComparisonError, match="equal_var=True applies to the t test"):
        compare_ratings(d, score="seq", method="rank", equal_var=True)


# --- exact McNemar -----------------------------------------------------------------------------

def test_exact_mcnemar_beside_the_mid_p():
    # 1 and 7 discordant pairs (Bentur et al. 2009, the example of Fagerland et al. 2013)
    # R: binom.test(1, 8)$p.value -> 0.0703125 (= exact2x2::mcnemar.exact); mid-p 0.0390625
    a = [1] * 1 + [1] * 1 + [0] * 7 + [0] * 12
    b = [1] * 1 + [0] * 1 + [1] * 7 + [0] * 12
    d = paired(a, b, "success")
    exact = compare_completion(d, paired=True, reference="B", mcnemar="exact").iloc[0]
    mid = compare_completion(d, paired=True, reference="B").iloc[0]
    assert exact["p_value"] == pytest.approx(0.0703125, abs=1e-15)
    assert mid["p_value"] == pytest.approx(0.0390625, abs=1e-15)
    assert exact["method"].startswith("McNemar exact conditional test")
    assert (exact["estimate"], exact["ci_low"], exact["statistic"]) == (mid["estimate"], mid["ci_low"], 1)
    # R: binom.test(6, 8, alternative="greater")$p.value -> 0.14453125
    g = compare_completion(paired([1] * 6 + [0] * 2, [0] * 6 + [1] * 2, "success"), paired=True,
                           reference="B", mcnemar="exact", alternative="greater").iloc[0]
    assert g["p_value"] == pytest.approx(0.14453125, abs=1e-15)


# --- p-values that never read 0 ----------------------------------------------------------------

def test_completion_far_below_the_double_range_keeps_a_positive_p_and_its_log10():
    # 18,000 of 20,000 against 2,000 of 20,000.
    # R: z <- (0.9 - 0.1)/sqrt(0.25 * (2/20000)) * sqrt(39999/40000) -> 159.997999987
    #    (log(2) + pnorm(-z, log.p=TRUE))/log(10) -> -5561.13258558
    d = two_groups([1] * 18000 + [0] * 2000, [1] * 2000 + [0] * 18000, "success")
    r = compare_completion(d, reference="B").iloc[0]
    assert r["statistic"] == pytest.approx(159.997999987, abs=1e-8)
    assert r["p_value"] > 0 and r["p_adjusted"] > 0
    assert r["log10_p_value"] == pytest.approx(-5561.13258558, abs=1e-6)
    assert "p < 1e-300 (log10 p = -5561.1" in r["method"]
    # the same split within subjects: 16,000 pairs succeed only on A, none only on B
    pairs = paired([1] * 18000 + [0] * 2000, [0] * 16000 + [1] * 2000 + [0] * 2000, "success")
    # R: (log(2) + pbinom(0, 16000, 0.5, log.p=TRUE))/log(10) -> -4816.17890063 (exact; mid-p half of it)
    for test, log10 in (("exact", -4816.17890063), ("mid-p", -4816.17890063 - math.log10(2))):
        w = compare_completion(pairs, paired=True, reference="B", mcnemar=test).iloc[0]
        assert w["p_value"] > 0 and w["log10_p_value"] == pytest.approx(log10, abs=1e-7)
        assert "p < 1e-300" in w["method"]


def test_ratings_and_times_far_apart_keep_a_positive_p():
    rng = np.random.default_rng(3)
    low, high = rng.normal(2, 0.1, 400), rng.normal(6, 0.1, 400)
    for method in ("t", "rank"):
        r = compare_ratings(two_groups(high, low, "s"), score="s", method=method, reference="B").iloc[0]
        assert r["p_value"] > 0 and np.isfinite(r["log10_p_value"])
        assert r["log10_p_value"] == pytest.approx(np.log10(r["p_value"])) or r["log10_p_value"] < -300
    t = compare_times(two_groups(np.exp(high), np.exp(low), "time_s"), reference="B").iloc[0]
    assert t["p_value"] > 0 and t["log10_p_value"] < -300 and "p < 1e-300" in t["method"]


@pytest.mark.parametrize("paired_design", [False, True])
@pytest.mark.parametrize("method", ["t", "rank"])
def test_log10_p_is_monotone_in_the_shift_and_equals_log10_p(paired_design, method):
    rng = np.random.default_rng(4)
    base, noise = rng.normal(4, 1, 30), rng.normal(0, 1, 30)
    logs = []
    for shift in (0.2, 0.5, 1.0, 2.0, 4.0):
        d = (paired if paired_design else two_groups)(base + noise + shift, base, "s")
        r = compare_ratings(d, score="s", paired=paired_design, method=method, reference="B").iloc[0]
        assert r["log10_p_value"] == pytest.approx(math.log10(r["p_value"]), rel=1e-9)
        logs.append(r["log10_p_value"])
    assert all(np.diff(logs) <= 0)


def test_every_result_carries_log10_p_value_after_p_value(programming_use):
    r = compare_ratings(programming_use, score="use", paired=True, method="rank", reference="before")
    cols = list(r.columns)
    assert cols[cols.index("p_value") + 1] == "log10_p_value"


# --- degenerate input --------------------------------------------------------------------------

def test_identical_groups_in_a_t_test_warn_in_the_kits_words():
    d = two_groups([5, 5, 5, 5, 5], [5, 5, 5, 5, 5], "seq")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = compare_ratings(d, score="seq", method="t").iloc[0]
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]  # no scipy precision-loss
    messages = [str(w.message) for w in caught if issubclass(w.category, UxcxWarning)]
    assert len(messages) == 1 and "essentially constant" in messages[0]
    assert r["estimate"] == 0 and math.isnan(r["p_value"]) and math.isnan(r["ci_low"])
    with pytest.warns(UxcxWarning, match="the paired differences do not vary"):
        compare_ratings(paired([5, 6, 7], [4, 5, 6], "seq"), score="seq", paired=True, method="t")


def test_identical_ratings_in_one_group_name_the_group():
    d = two_groups([7, 7, 7, 7, 7], [4, 6, 5, 3, 5], "seq", names=("Redesign", "Current"))
    with pytest.warns(UxcxWarning, match="Every rating of design Redesign is 7: that group has no spread"):
        r = compare_ratings(d, score="seq", method="t").iloc[0]
    # R: t.test(c(7,7,7,7,7), c(4,6,5,3,5)) -> t = 4.70678724332, df = 4, p = 0.00926169675951
    assert (r["statistic"], r["df"], r["p_value"]) == pytest.approx((4.70678724332, 4, 0.00926169675951),
                                                                    abs=1e-11)
