"""compare_by_level: the documented test in each situation, its p-value equal to scipy's."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import cochrans_q

from uxcx._core.compare import ComparisonError
from uxcx._core.results import COLUMNS
from uxcx.cx.compare import compare_nps
from uxcx.errors import DataError
from uxcx.link.by_level import compare_by_level
from uxcx.link.level_effects import cliffs_delta, kendall_w, rank_eta2


def _test_row(out):
    return out.loc[out["kind"] == "test"].iloc[0]


def _groups(rng, k, n, shift=0.0, values=None):
    levels = [f"L{i}" for i in range(k)]
    level = np.repeat(levels, n)
    if values is None:
        y = rng.normal(5, 1, k * n) + shift * (np.arange(k * n) // n)
    else:
        y = rng.choice(values, k * n).astype(float)
    return pd.DataFrame({"level": level, "y": y, "pid": np.tile(np.arange(n), k)}), levels


def _samples(d, levels):
    return [d.loc[d["level"] == v, "y"].to_numpy() for v in levels]


def test_two_normal_groups_use_welch_t_and_hedges_g(rng):
    d, levels = _groups(rng, 2, 20, shift=0.6)
    out = compare_by_level(d, outcome="y", level="level")
    t = _test_row(out)
    a, b = _samples(d, levels)
    assert t["p_value"] == pytest.approx(stats.ttest_ind(b, a, equal_var=False).pvalue, abs=1e-12)
    assert "Welch t test" in t["method"] and "Welch t test" in t["reason"]
    effect = out.loc[out["kind"] == "effect"].iloc[0]
    assert effect["effect_size_type"] == "Hedges' g"
    assert effect["ci_low"] < effect["estimate"] < effect["ci_high"]
    assert list(out.columns) == ["level", *COLUMNS, "kind", "reason"]
    assert out.loc[out["kind"] == "level", "estimate"].tolist() == pytest.approx([a.mean(), b.mean()])


def test_ordinal_ratings_use_mann_whitney_and_cliffs_delta(rng):
    d, levels = _groups(rng, 2, 25, values=[1, 2, 3, 4, 5])
    out = compare_by_level(d, outcome="y", level="level")
    t = _test_row(out)
    a, b = _samples(d, levels)
    assert t["p_value"] == pytest.approx(stats.mannwhitneyu(b, a).pvalue, abs=1e-12)
    assert "rank test (Mann-Whitney U)" in t["reason"] and "5 observed values" in t["reason"]
    effect = out.loc[out["kind"] == "effect"].iloc[0]
    assert effect["estimate"] == pytest.approx(t["effect_size"], abs=1e-12)  # Cliff's delta = rank-biserial


def test_cliffs_delta_interval_is_the_brunner_munzel_one(rng):
    a, b = rng.integers(1, 8, 30).astype(float), rng.integers(2, 8, 22).astype(float)
    got = cliffs_delta(a, b, 0.95)
    res = stats.brunnermunzel(b, a)  # scipy's W tests P(b < a) + P(b = a)/2 = 1/2
    p_hat = (got["estimate"] + 1) / 2
    assert (p_hat - 0.5) / (got["std_error"] / 2) == pytest.approx(res.statistic, abs=1e-10)
    assert p_hat == pytest.approx(np.mean(a[:, None] > b) + 0.5 * np.mean(a[:, None] == b), abs=1e-12)


def test_skewed_small_groups_fall_back_to_a_rank_test(rng):
    d = pd.DataFrame({"level": ["A"] * 10 + ["B"] * 10, "y": np.r_[rng.exponential(1, 10) ** 3,
                                                                    rng.exponential(2, 10) ** 3]})
    t = _test_row(compare_by_level(d, outcome="y", level="level"))
    assert "Mann-Whitney" in t["method"] and "Shapiro-Wilk p =" in t["reason"]


def test_k_groups_normal_use_welch_anova(rng):
    d, levels = _groups(rng, 3, 20, shift=0.4)
    out = compare_by_level(d, outcome="y", level="level")
    t = _test_row(out)
    assert t["p_value"] == pytest.approx(stats.f_oneway(*_samples(d, levels), equal_var=False).pvalue,
                                         abs=1e-12)
    assert "Welch's one-way ANOVA" in t["reason"]
    effect = out.loc[out["kind"] == "effect"].iloc[0]
    assert effect["effect_size_type"] == "omega squared" and 0 <= effect["ci_low"] <= effect["ci_high"] < 1


def test_k_ordinal_groups_use_kruskal_wallis_with_epsilon_squared(rng):
    d, levels = _groups(rng, 4, 15, values=[1, 2, 3, 4, 5])
    out = compare_by_level(d, outcome="y", level="level", seed=1, n_boot=300)
    t = _test_row(out)
    res = stats.kruskal(*_samples(d, levels))
    assert (t["statistic"], t["p_value"]) == pytest.approx((res.statistic, res.pvalue), abs=1e-12)
    effect = out.loc[out["kind"] == "effect"].iloc[0]
    assert effect["estimate"] == pytest.approx(res.statistic / (len(d) - 1))
    # epsilon² as the rank share of variance times (n - 1) is the tie-corrected H.
    groups = np.repeat(np.arange(4), 15)
    assert rank_eta2(d["y"].to_numpy(), groups, 4) * (len(d) - 1) == pytest.approx(res.statistic, abs=1e-10)
    again = compare_by_level(d, outcome="y", level="level", seed=1, n_boot=300)
    pd.testing.assert_frame_equal(out, again)


def test_paired_levels(rng):
    d, levels = _groups(rng, 2, 20, shift=0.3)
    t = _test_row(compare_by_level(d, outcome="y", level="level", subject="pid", paired=True))
    a, b = _samples(d, levels)
    assert t["p_value"] == pytest.approx(stats.ttest_rel(b, a).pvalue, abs=1e-12)
    d, levels = _groups(rng, 2, 20, values=[1, 2, 3, 4, 5, 6, 7])
    t = _test_row(compare_by_level(d, outcome="y", level="level", subject="pid", paired=True, n_boot=300))
    a, b = _samples(d, levels)
    # R's wilcox.test(b, a, paired = TRUE), whose default is the continuity correction
    assert t["p_value"] == pytest.approx(stats.wilcoxon(b - a, correction=True).pvalue, abs=1e-12)
    d, levels = _groups(rng, 3, 18, values=[1, 2, 3, 4, 5])
    out = compare_by_level(d, outcome="y", level="level", subject="pid", paired=True, n_boot=300)
    res = stats.friedmanchisquare(*_samples(d, levels))
    t = _test_row(out)
    assert (t["statistic"], t["p_value"]) == pytest.approx((res.statistic, res.pvalue), abs=1e-12)
    wide = np.column_stack(_samples(d, levels))
    assert kendall_w(wide) == pytest.approx(res.statistic / (18 * 2), abs=1e-12)


def test_binary_outcomes(rng):
    d, levels = _groups(rng, 2, 30, values=[0, 1])
    out = compare_by_level(d, outcome="y", level="level")
    t = _test_row(out)
    assert "N-1 two-proportion" in t["method"]
    a, b = _samples(d, levels)
    assert t["estimate"] == pytest.approx(b.mean() - a.mean())
    assert out.loc[out["kind"] == "effect", "effect_size_type"].item() == "odds ratio"
    d, levels = _groups(rng, 3, 30, values=[0, 1])
    t = _test_row(compare_by_level(d, outcome="y", level="level", n_boot=300))
    table = np.array([[s.sum(), len(s) - s.sum()] for s in _samples(d, levels)])
    assert t["p_value"] == pytest.approx(stats.chi2_contingency(table, correction=False).pvalue, abs=1e-12)
    d, levels = _groups(rng, 3, 25, values=[0, 1])
    t = _test_row(compare_by_level(d, outcome="y", level="level", subject="pid", paired=True, n_boot=300))
    q = cochrans_q(np.column_stack(_samples(d, levels)))
    assert "Cochran's Q" in t["method"]
    assert (t["statistic"], t["p_value"]) == pytest.approx((q.statistic, q.pvalue), abs=1e-12)


def test_nps_outcome_reuses_compare_nps(rng):
    d = pd.DataFrame({"grade": rng.choice(["A", "B", "C"], 300), "nps": rng.integers(0, 11, 300)})
    out = compare_by_level(d, outcome="nps", level="grade")
    want = compare_nps(d, by="grade")
    tests = out.loc[out["kind"] == "test"]
    assert tests["p_adjusted"].tolist() == pytest.approx(want["p_adjusted"].tolist())
    assert "Lewis & Sauro" in tests["reason"].iloc[0]
    assert out.loc[out["kind"] == "level", "term"].eq("NPS").all()


def test_bad_input():
    d = pd.DataFrame({"level": ["A", "A", "B", "B"], "y": [1.0, 2, 3, 4]})
    with pytest.raises(ComparisonError, match="subject"):
        compare_by_level(d, outcome="y", level="level", paired=True)
    with pytest.raises(ComparisonError, match="at least two levels"):
        compare_by_level(d.assign(level="A"), outcome="y", level="level")
    with pytest.raises(DataError, match=r"column 'csat': the column is missing \(outcome='csat'\)"):
        compare_by_level(d, outcome="csat", level="level")
    with pytest.raises(ComparisonError, match="0/1"):
        compare_by_level(d, outcome="y", level="level", scale="binary")


# --- tables of counts (Cochran's rule), log-space p-values; R 4.2 on the IBM Telco churn sample ---

TELCO = ("churn", "ibm_telco", "WA_Fn-UseC_-Telco-Customer-Churn.csv")


@pytest.fixture
def telco(realdata):
    t = pd.read_csv(realdata.joinpath(*TELCO))
    return t.assign(churn=(t["Churn"] == "Yes").astype(int))


def test_two_levels_with_small_expected_counts_use_fisher_as_R(telco):
    first = telco.iloc[:40]
    out = compare_by_level(first, outcome="churn", level="SeniorCitizen")
    t = _test_row(out)
    # R 4.2: fisher.test(table(factor(SeniorCitizen, c(1, 0)), factor(churn, c(1, 0)))) on the first 40
    # customers -> p 1, odds ratio 0.59700619532684, conf.int 0.0104477211845734 8.34976373415683
    assert t["p_value"] == pytest.approx(1.0) and t["log10_p_value"] == pytest.approx(0.0, abs=1e-12)
    assert t["method"].startswith("Fisher's exact test") and np.isnan(t["statistic"])
    assert "expected count is below 5" in t["reason"] and "Cochran 1954" in t["reason"]
    assert t["estimate"] == pytest.approx(1 / 4 - 13 / 36)  # the difference of shares stays
    effect = out.loc[out["kind"] == "effect"].iloc[0]
    assert (effect["estimate"], effect["ci_low"], effect["ci_high"]) == pytest.approx(
        (0.59700619532684, 0.0104477211845734, 8.34976373415683), rel=1e-9)
    assert "conditional maximum-likelihood" in effect["method"]
    # every expected count at least 5: the N-1 test as before
    big = _test_row(compare_by_level(telco, outcome="churn", level="SeniorCitizen"))
    assert "N-1 two-proportion" in big["method"] and "every expected count is at least 5" in big["reason"]


def test_k_levels_and_categories_use_fisher_r_by_c_as_R(telco):
    first = telco.iloc[:40]
    # R 4.2: fisher.test(table(Contract, churn)) on the first 40 customers -> p 0.0014177045488926
    t = _test_row(compare_by_level(first, outcome="churn", level="Contract", n_boot=200, seed=1))
    assert t["p_value"] == pytest.approx(0.0014177045488926, rel=1e-10)
    assert t["log10_p_value"] == pytest.approx(np.log10(0.0014177045488926), rel=1e-10)
    assert "Fisher's exact test" in t["method"] and "Fisher's exact test compares the 3 levels" in t["reason"]
    # R 4.2: fisher.test(table(Contract, PaymentMethod)) on them -> p 0.00695193206697633
    out = compare_by_level(first, outcome="PaymentMethod", level="Contract", scale="categorical", n_boot=200,
                           seed=1)
    t = _test_row(out)
    assert t["p_value"] == pytest.approx(0.00695193206697633, rel=1e-10)
    assert "PaymentMethod is categorical with 4 values" in t["reason"]
    levels = out[out["kind"] == "level"]
    assert len(levels) == 3 * 4 and levels["term"].iloc[0] == "PaymentMethod = Bank transfer (automatic)"
    shares = levels.groupby("Contract")["estimate"].sum()
    assert shares.to_numpy() == pytest.approx(np.ones(3))
    effect = out.loc[out["kind"] == "effect"].iloc[0]
    assert effect["effect_size_type"] == "Cram\u00e9r's V" and effect["ci_low"] <= effect["estimate"]
    # R 4.2: chisq.test(table(Churn, PaymentMethod)) on all 7,043 -> X-squared 648.1423274814, df 3,
    # p 3.68235465200979e-140
    t = _test_row(compare_by_level(telco, outcome="PaymentMethod", level="Churn", scale="categorical",
                                   n_boot=200, seed=1))
    assert (t["statistic"], t["df"]) == (pytest.approx(648.1423274814, rel=1e-12), 3)
    assert t["p_value"] == pytest.approx(3.68235465200979e-140, rel=1e-9)
    with pytest.raises(ComparisonError, match="paired categorical"):
        compare_by_level(first, outcome="PaymentMethod", level="Contract", scale="categorical",
                         subject="customerID", paired=True)


def test_k_level_p_values_below_the_floating_point_range(telco):
    # R 4.2: oneway.test(Tenure ~ Contract): F 2974.78921194582, df 2 and 3183.39238417677, p.value 0;
    # pf(F, 2, 3183.39238417677, lower.tail = FALSE, log.p = TRUE)/log(10) = -728.554199775659
    t = _test_row(compare_by_level(telco, outcome="Tenure", level="Contract"))
    assert "Welch one-way ANOVA" in t["method"] and t["df"] == pytest.approx(3183.39238417677, rel=1e-10)
    assert t["statistic"] == pytest.approx(2974.78921194582, rel=1e-10)
    assert t["log10_p_value"] == pytest.approx(-728.554199775659, rel=1e-9)
    assert t["p_value"] > 0 and t["p_adjusted"] > 0 and "p < 1e-300" in t["method"]
    # R 4.2: kruskal.test(Tenure ~ Contract): chi-squared 3139.23606604116, df 2, p.value 0;
    # pchisq(H, 2, lower.tail = FALSE, log.p = TRUE)/log(10) = -681.676450436674
    t = _test_row(compare_by_level(telco, outcome="Tenure", level="Contract", scale="ordinal", n_boot=100,
                                   seed=2))
    assert t["statistic"] == pytest.approx(3139.23606604116, rel=1e-10)
    assert t["log10_p_value"] == pytest.approx(-681.676450436674, rel=1e-9)
    assert t["p_value"] > 0


def test_log10_p_equals_the_ordinary_p_in_every_test(rng):
    cases = [(_groups(rng, 3, 20, shift=0.4), {}), (_groups(rng, 4, 15, values=[1, 2, 3, 4, 5]), {}),
             (_groups(rng, 3, 18, values=[1, 2, 3, 4, 5]), {"subject": "pid", "paired": True}),
             (_groups(rng, 3, 30, values=[0, 1]), {}), (_groups(rng, 2, 30, values=[0, 1]), {})]
    for (d, _), extra in cases:
        t = _test_row(compare_by_level(d, outcome="y", level="level", n_boot=100, seed=3, **extra))
        assert t["log10_p_value"] == pytest.approx(np.log10(t["p_value"]), rel=1e-12, abs=1e-14)


def test_exact_size_of_the_two_share_rule_stays_near_five_percent():
    """Exact type I error of compare_by_level's rule for two shares (Fisher when an expected count is
    below 5, else the N-1 test of Campbell 2007): every outcome weighted by its binomial probability."""
    from uxcx._core.contingency import expected_counts
    from uxcx._core.fisher import fisher_2x2

    def p_value(a, n1, c, n2):
        t = np.array([[a, n1 - a], [c, n2 - c]])
        if a + c in (0, n1 + n2):
            return 1.0
        if expected_counts(t).min() < 5:
            return float(np.exp(fisher_2x2(t)["log_p"]))
        n, p = n1 + n2, (a + c) / (n1 + n2)
        z = (a / n1 - c / n2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2)) * np.sqrt((n - 1) / n)
        return 2 * stats.norm.sf(abs(z))

    sizes = []
    for n1, n2 in [(8, 8), (12, 15), (20, 20), (40, 40)]:
        reject = np.array([[p_value(a, n1, c, n2) <= 0.05 for c in range(n2 + 1)] for a in range(n1 + 1)])
        for share in (0.1, 0.3, 0.5):
            weight = np.outer(stats.binom.pmf(range(n1 + 1), n1, share),
                              stats.binom.pmf(range(n2 + 1), n2, share))
            sizes.append((weight * reject).sum())
    # 0.0004 (8 vs 8 at 10%: Fisher is conservative) to 0.0567 (40 vs 40 at 50%: the N-1 test)
    assert max(sizes) <= 0.06 and min(sizes) > 0
