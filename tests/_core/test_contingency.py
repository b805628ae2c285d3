"""Contingency tables: Fisher's exact test and the chi-square test against R, on published and real data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import uxcx
from uxcx._core import fisher
from uxcx._core.contingency import chisq_test, contingency_test, table_test
from uxcx._core.fisher import TooManyTables, fisher_2x2, fisher_rxc
from uxcx._core.results import COLUMNS
from uxcx.errors import ComparisonError, DataError, UxcxWarning

TELCO = ("churn", "ibm_telco", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
TEA = [[3, 1], [1, 3]]  # Agresti (2002, table 3.8): cups poured milk first / tea first × guessed


def _long(table, x="x", y="y") -> pd.DataFrame:
    """One row per counted unit of a table (rows r0, r1, ...; columns c0, c1, ...)."""
    table = np.asarray(table)
    r, c = np.indices(table.shape)
    reps = table.ravel()
    return pd.DataFrame({x: np.repeat([f"r{i}" for i in r.ravel()], reps),
                         y: np.repeat([f"c{j}" for j in c.ravel()], reps)})


@pytest.fixture
def telco(realdata):
    return pd.read_csv(realdata.joinpath(*TELCO))


@pytest.mark.parametrize(("alternative", "level", "want"), [
    # R 4.2: fisher.test(matrix(c(3, 1, 1, 3), 2), alternative = a, conf.level = l):
    # p.value, estimate, conf.int
    ("two-sided", 0.95, (0.485714285714286, 6.40830886700579, 0.211732915305503, 621.933750545417)),
    ("two-sided", 0.90, (0.485714285714286, 6.40830886700579, 0.313569264110218, 306.246862520856)),
    ("less", 0.95, (0.985714285714286, 6.40830886700579, 0.0, 306.246862520855)),
    ("greater", 0.95, (0.242857142857143, 6.40830886700579, 0.313569264110218, math.inf)),
    ("greater", 0.90, (0.242857142857143, 6.40830886700579, 0.490410454871305, math.inf)),
])
def test_tea_tasting_against_R(alternative, level, want):
    r = fisher_2x2(TEA, alternative, level)
    got = (math.exp(r["log_p"]), r["estimate"], r["ci_low"], r["ci_high"])
    assert got == pytest.approx(want, rel=1e-10)


def test_telco_contract_by_churn_chi_square_against_R(telco):
    out = contingency_test(telco, x="Contract", y="Churn")
    t = out.iloc[0]
    # R 4.2: chisq.test(table(Contract, Churn)): X-squared 1184.59657208379, df 2, p 5.86303830067341e-258;
    # pchisq(X, 2, lower.tail = FALSE, log.p = TRUE)/log(10) = -257.231877268749
    assert (t["statistic"], t["df"]) == (pytest.approx(1184.59657208379, rel=1e-12), 2)
    assert t["p_value"] == pytest.approx(5.86303830067341e-258, rel=1e-9)
    assert t["log10_p_value"] == pytest.approx(-257.231877268749, rel=1e-12)
    assert t["method"].startswith("Pearson's chi-square test; every expected count is at least 5")
    assert t["effect_size"] == pytest.approx(math.sqrt(1184.59657208379 / 7043), rel=1e-12)
    cells = out[out["kind"] == "cell"]
    assert cells["Contract"].tolist() == ["Month-to-month"] * 2 + ["One year"] * 2 + ["Two year"] * 2
    assert cells["observed"].tolist() == [2220, 1655, 1307, 166, 1647, 48]
    # R 4.2: chisq.test(...)$expected and $stdres
    assert cells["expected"].tolist() == pytest.approx(
        [2846.69175067443, 1028.308249325572, 1082.11018032089, 390.889819679114, 1245.19806900469,
         449.801930995314], rel=1e-12)
    assert cells["std_residual"].tolist() == pytest.approx(
        [-33.9972827968623, 33.9972827968623, 14.9231153153605, -14.9231153153605, 25.3658919812779,
         -25.3658919812779], rel=1e-10)
    assert list(out.columns) == ["Contract", "Churn", *COLUMNS, "observed", "expected", "std_residual",
                                 "kind"]
    assert out["n"].tolist() == [7043, 2220, 1655, 1307, 166, 1647, 48]


def test_telco_two_by_two_tables_against_R(telco):
    # R 4.2: chisq.test(table(SeniorCitizen, Churn)) -> 159.426300368387, p 1.51006680509237e-36 (Yates)
    t = contingency_test(telco, x="SeniorCitizen", y="Churn").iloc[0]
    want = (159.426300368387, 1.51006680509237e-36)
    assert (t["statistic"], t["p_value"]) == pytest.approx(want, rel=1e-10)
    assert "with Yates' continuity correction" in t["method"]
    # R 4.2: chisq.test(..., correct = FALSE) -> 160.352131845206, p 9.47790350737603e-37
    t = contingency_test(telco, x="SeniorCitizen", y="Churn", correct=False).iloc[0]
    want = (160.352131845206, 9.47790350737603e-37)
    assert (t["statistic"], t["p_value"]) == pytest.approx(want, rel=1e-10)
    # R 4.2: fisher.test(table(SeniorCitizen, Churn)) -> p 2.78960099015204e-34, odds ratio 2.31263731667254,
    # conf.int 2.02147918317697 2.64468040531333
    t = contingency_test(telco, x="SeniorCitizen", y="Churn", method="fisher").iloc[0]
    assert (t["p_value"], t["estimate"], t["ci_low"], t["ci_high"]) == pytest.approx(
        (2.78960099015204e-34, 2.31263731667254, 2.02147918317697, 2.64468040531333), rel=1e-9)
    assert t["log10_p_value"] == pytest.approx(-33.5544579114818, rel=1e-10)
    assert np.isnan(t["statistic"])
    # R 4.2: fisher.test(table(gender, Churn)) -> p 0.482876828569062, OR 0.961729541529377,
    # conf.int 0.863974325159925 1.07061340829279
    t = contingency_test(telco, x="gender", y="Churn", method="fisher").iloc[0]
    assert (t["p_value"], t["estimate"], t["ci_low"], t["ci_high"]) == pytest.approx(
        (0.482876828569062, 0.961729541529377, 0.863974325159925, 1.07061340829279), rel=1e-9)


def test_small_telco_tables_use_fisher_as_R(telco):
    first = telco.iloc[:40]
    # R 4.2: fisher.test(table(Contract, Churn)) on the first 40 customers -> p 0.0014177045488926
    t = contingency_test(first, x="Contract", y="Churn").iloc[0]
    assert t["p_value"] == pytest.approx(0.0014177045488926, rel=1e-10)
    assert t["method"].startswith("Fisher's exact test; the r × c tables") and "is below 5" in t["method"]
    # R 4.2: fisher.test(table(PaymentMethod, Contract)) on them (4 × 3) -> p 0.00695193206697633
    t = contingency_test(first, x="PaymentMethod", y="Contract").iloc[0]
    assert t["p_value"] == pytest.approx(0.00695193206697633, rel=1e-10)
    # R 4.2: fisher.test(table(PaperlessBilling, Churn)) -> p 0.0455648919219553, OR 4.79671564767091,
    # conf.int 0.954397709567589 33.2706215489611 (every expected count is at least 5: auto takes chi-square)
    t = contingency_test(first, x="PaperlessBilling", y="Churn", method="fisher").iloc[0]
    assert (t["p_value"], t["estimate"], t["ci_low"], t["ci_high"]) == pytest.approx(
        (0.0455648919219553, 4.79671564767091, 0.954397709567589, 33.2706215489611), rel=1e-9)
    assert "chi-square" in contingency_test(first, x="PaperlessBilling", y="Churn").loc[0, "method"]


@pytest.mark.parametrize(("table", "want"), [
    # R 4.2: fisher.test(matrix(c(3, 4, 2, 5, 1, 6, 2, 7, 3), 3, byrow = TRUE))$p.value
    ([[3, 4, 2], [5, 1, 6], [2, 7, 3]], 0.121162243082733),
    # R 4.2: fisher.test(matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9), 3, byrow = TRUE))$p.value
    ([[1, 2, 1, 0], [3, 3, 6, 1], [10, 10, 14, 9]], 0.838179071413691),
    # R 4.2: fisher.test(matrix(c(8, 2, 4, 1, 1, 5, 6, 7), 2, byrow = TRUE))$p.value
    ([[8, 2, 4, 1], [1, 5, 6, 7]], 0.0101442604986966),
    # R 4.2: fisher.test(matrix(c(2, 0, 0, 3, 1, 1), 2))$p.value (tables tied with the observed)
    ([[2, 0, 1], [0, 3, 1]], 0.142857142857143),
])
def test_r_by_c_fisher_against_R(table, want):
    log_p, tables = fisher_rxc(table)
    assert math.exp(log_p) == pytest.approx(want, rel=1e-10)
    assert math.exp(fisher_rxc(np.asarray(table).T)[0]) == pytest.approx(want, rel=1e-10)  # either way round
    assert tables >= 1


def _brute_force_fisher(table) -> float:
    """Every table with the margins, by itertools over all cells: the p-value without logs or pruning."""
    table = np.asarray(table)
    rows, cols, n = table.sum(1), table.sum(0), table.sum()

    def prob(t):
        return math.exp(sum(math.lgamma(v + 1) for v in [*rows, *cols]) - math.lgamma(n + 1)
                        - sum(math.lgamma(v + 1) for v in np.ravel(t)))

    free = [range(min(rows[i], cols[j]) + 1) for i in range(len(rows) - 1) for j in range(len(cols) - 1)]
    observed, total = prob(table), 0.0
    for cells in itertools.product(*free):
        t = np.zeros_like(table)
        t[:-1, :-1] = np.reshape(cells, (len(rows) - 1, len(cols) - 1))
        t[:-1, -1] = rows[:-1] - t[:-1, :-1].sum(1)
        t[-1, :] = cols - t[:-1, :].sum(0)
        if (t >= 0).all() and t[-1].sum() == rows[-1]:
            p = prob(t)
            total += p if p <= observed * (1 + 1e-7) else 0.0
    return total


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([(2, 3), (3, 3), (2, 4), (3, 2)]),
       st.lists(st.integers(0, 5), min_size=12, max_size=12))
def test_r_by_c_fisher_equals_brute_force_enumeration(shape, cells):
    table = np.array(cells[:shape[0] * shape[1]]).reshape(shape)
    if (table.sum(0) == 0).any() or (table.sum(1) == 0).any():
        return
    assert math.exp(fisher_rxc(table)[0]) == pytest.approx(_brute_force_fisher(table), rel=1e-9)


def test_r_by_c_fisher_of_the_most_probable_table_is_one():
    # every table is at most as probable as the modal one, so p sums them all, to 1
    assert math.exp(fisher_rxc([[1, 1, 1], [1, 1, 1]])[0]) == pytest.approx(1.0, rel=1e-12)


def test_r_by_c_fisher_job_satisfaction_against_R():
    # R 4.2, the example of ?fisher.test (Agresti 2002, table 2.8, 4 × 4, n = 96):
    # Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4); fisher.test(Job)$p.value
    job = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T
    assert math.exp(fisher_rxc(job)[0]) == pytest.approx(0.782684938965639, rel=1e-9)


def test_too_many_tables_falls_back_to_chi_square_with_a_warning(monkeypatch):
    monkeypatch.setattr(fisher, "MAX_TABLES", 50)
    table = [[3, 4, 2], [5, 1, 6], [2, 7, 3]]
    with pytest.raises(TooManyTables):
        fisher_rxc(table)
    with pytest.warns(UxcxWarning, match="more than 50 partial tables"):
        r = table_test(table)
    assert r["test"] == "chi-square" and "approximate" in r["method"]
    assert r["statistic"] == pytest.approx(stats.chi2_contingency(table).statistic, rel=1e-12)


def test_bad_input_speaks_to_people():
    d = _long(TEA)
    with pytest.raises(DataError, match="column 'guess': the column is missing"):
        contingency_test(d, x="x", y="guess")
    with pytest.raises(ComparisonError, match="same column"):
        contingency_test(d, x="x", y="x")
    with pytest.raises(ComparisonError, match="at least two values each"):
        contingency_test(d[d["x"] == "r0"], x="x", y="y")
    with pytest.raises(ComparisonError, match="2 × 2 table"):
        contingency_test(_long([[3, 4, 2], [5, 1, 6]]), x="x", y="y", alternative="greater")
    with pytest.raises(ComparisonError, match="method must be one of"):
        contingency_test(d, x="x", y="y", method="g-test")
    with pytest.raises(ComparisonError, match="whole, non-negative"):
        table_test([[1.5, 2], [3, 4]])
    with pytest.warns(UxcxWarning, match="1 row"):
        contingency_test(pd.concat([d, pd.DataFrame({"x": [None], "y": ["c0"]})]), x="x", y="y")


def test_one_sided_two_by_two_goes_to_fisher_and_is_exported():
    r = uxcx.contingency_test(_long([[30, 10], [12, 28]]), x="x", y="y", alternative="greater").iloc[0]
    # R 4.2: fisher.test(matrix(c(30, 12, 10, 28), 2), alternative = "greater") -> p 5.58404620459593e-05,
    # odds ratio 6.80466516357871, conf.int 2.74017804625711 Inf
    assert (r["p_value"], r["estimate"], r["ci_low"]) == pytest.approx(
        (5.58404620459593e-05, 6.80466516357871, 2.74017804625711), rel=1e-9)
    assert r["ci_high"] == math.inf and r["alternative"] == "greater"
    assert "one-sided alternative" in r["method"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=4, max_size=4))
def test_two_sided_fisher_equals_the_sum_over_less_probable_tables(cells):
    table = np.array(cells).reshape(2, 2)
    if (table.sum(0) == 0).any() or (table.sum(1) == 0).any():
        return
    m, n, k, x = table[:, 0].sum(), table[:, 1].sum(), table[0].sum(), table[0, 0]
    support = np.arange(max(0, k - n), min(k, m) + 1)
    pmf = stats.hypergeom.pmf(support, m + n, m, k)  # not in logs: an independent computation
    want = pmf[pmf <= stats.hypergeom.pmf(x, m + n, m, k) * (1 + 1e-7)].sum()
    got = fisher_2x2(table)
    assert math.exp(got["log_p"]) == pytest.approx(min(want, 1.0), rel=1e-9)
    assert math.exp(got["log_p"]) == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-6)


def test_chi_square_log_p_is_monotone_and_equals_the_ordinary_p():
    rows = [chisq_test([[20 + d, 20 - d], [20 - d, 20 + d]], correct=False) for d in range(0, 20)]
    x = np.array([r["statistic"] for r in rows])
    log_p = np.array([r["log_p"] for r in rows])
    assert np.all(np.diff(x) > 0) and np.all(np.diff(log_p) < 0)
    np.testing.assert_allclose(np.exp(log_p), stats.chi2.sf(x, 1), rtol=1e-12)
    huge = chisq_test([[180000, 20000], [20000, 180000]], correct=False)
    assert np.isfinite(huge["log_p"]) and stats.chi2.sf(huge["statistic"], 1) == 0.0
    # Fisher, far in the tail: the two extreme tables, each 1/choose(4000, 2000). R 4.2:
    # fisher.test(matrix(c(2000, 0, 0, 2000), 2))$p.value is 0; (log(2) - lchoose(4000, 2000))/log(10)
    # = -1201.91983558268
    tail = table_test([[2000, 0], [0, 2000]], method="fisher")
    assert tail["log10_p_value"] == pytest.approx(-1201.91983558268, rel=1e-12)
    assert tail["p_value"] > 0 and "p < 1e-300" in tail["method"]


def test_fisher_never_rejects_more_often_than_alpha():
    # Exact size of the 5% test for two groups of 12 and 15 with a common success probability:
    # sum over every outcome of its binomial probability where Fisher's p <= 0.05 (Agresti 2002, 3.5.6).
    n1, n2 = 12, 15
    rejects = np.zeros((n1 + 1, n2 + 1), bool)
    for a in range(n1 + 1):
        for c in range(n2 + 1):
            table = [[a, n1 - a], [c, n2 - c]]
            if 0 < a + c < n1 + n2:
                rejects[a, c] = fisher_2x2(table)["log_p"] <= math.log(0.05)
    for p in (0.1, 0.3, 0.5):
        size = np.outer(stats.binom.pmf(range(n1 + 1), n1, p), stats.binom.pmf(range(n2 + 1), n2, p))
        assert (size * rejects).sum() <= 0.05
