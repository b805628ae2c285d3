"""compare_nps and nps_association: log-space p-values, pinned to R on real survey data and far tails."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from uxcx import cx
from uxcx._core.results import COLUMNS
from uxcx.errors import ComparisonError

CARPENTRIES = ("nps_csat", "carpentries", "instructor-training_20180908_post_clean.csv")


@pytest.fixture
def carpentries(realdata):
    d = pd.read_csv(realdata.joinpath(*CARPENTRIES))
    d = d[d["LikelyToRecommend"].notna()].copy()
    d["when"] = np.where(d["WhenTaking"].str.contains("at the event"), "at event", "after")
    return d


def test_nps_by_when_taken_against_R(carpentries):
    # R 4.2, on the rows with a LikelyToRecommend (889), category P >= 9, A 7-8, D <= 6:
    # chisq.test(table(cat, when), correct = FALSE) -> X-squared 6.31436650199101, df 2, p 0.042545412207105
    r = cx.nps_association(carpentries, score="LikelyToRecommend", by="when").iloc[0]
    assert (r["statistic"], r["df"]) == (pytest.approx(6.31436650199101, rel=1e-12), 2)
    assert r["p_value"] == pytest.approx(0.042545412207105, rel=1e-10)
    assert r["log10_p_value"] == pytest.approx(np.log10(0.042545412207105), rel=1e-10)
    # The adjusted-Wald z test written out in R (Lewis & Sauro 2021):
    # pP = (P + .75)/(n + 3), pD = (D + .75)/(n + 3), v = (pP + pD - (pP - pD)^2)/(n + 3);
    # z = (nps_after - nps_event)/sqrt(v_after + v_event); 2 * pnorm(-abs(z))
    c = cx.compare_nps(carpentries, score="LikelyToRecommend", by="when", reference="at event").iloc[0]
    assert c["term"] == "after \u2212 at event"
    assert c["estimate"] == pytest.approx(12.2167818740399, rel=1e-12)
    assert c["statistic"] == pytest.approx(2.42131499996166, rel=1e-12)
    assert c["p_value"] == pytest.approx(0.0154644702490448, rel=1e-10)
    assert c["log10_p_value"] == pytest.approx(np.log10(0.0154644702490448), rel=1e-10)


def test_nps_association_by_pace_against_R(carpentries):
    # R 4.2: chisq.test(table(cat, Pace), correct = FALSE) on the 888 rows with a Pace
    # -> X-squared 116.751311421981, df 8, p 1.55175232611781e-21 (R warns: small expected counts)
    with pytest.warns(UserWarning, match="expected counts"):
        r = cx.nps_association(carpentries, score="LikelyToRecommend", by="Pace").iloc[0]
    assert (r["n"], r["df"]) == (888, 8)
    assert r["statistic"] == pytest.approx(116.751311421981, rel=1e-12)
    assert r["p_value"] == pytest.approx(1.55175232611781e-21, rel=1e-9)
    assert r["log10_p_value"] == pytest.approx(np.log10(1.55175232611781e-21), rel=1e-10)


def test_p_values_below_the_floating_point_range_are_never_zero():
    # 18,000 promoters of 20,000 against 2,000 of 20,000 (the rest passives)
    d = pd.DataFrame({"nps": [10] * 18000 + [8] * 2000 + [10] * 2000 + [8] * 18000,
                      "g": ["b"] * 20000 + ["a"] * 20000})
    c = cx.compare_nps(d, by="g").iloc[0]
    # R 4.2 (the adjusted-Wald z written out): z = 266.464687815468,
    # (log(2) + pnorm(-z, log.p = TRUE))/log(10) = -15420.7225963121; 2 * pnorm(-z) is 0 in R
    assert c["statistic"] == pytest.approx(266.464687815468, rel=1e-12)
    assert c["log10_p_value"] == pytest.approx(-15420.7225963121, rel=1e-12)
    assert c["p_value"] > 0 and c["p_adjusted"] > 0
    assert "p < 1e-300" in c["method"]
    r = cx.nps_association(d, by="g").iloc[0]
    # R 4.2: chisq.test(matrix(c(18000, 2000, 2000, 18000), 2), correct = FALSE): X-squared 25600,
    # pchisq(25600, 1, lower.tail = FALSE, log.p = TRUE)/log(10) = -5561.27156524577
    assert r["statistic"] == pytest.approx(25600, rel=1e-12)
    assert r["log10_p_value"] == pytest.approx(-5561.27156524577, rel=1e-12)
    assert r["p_value"] > 0 and "p < 1e-300" in r["method"]


def test_log10_p_is_monotone_in_z_and_equals_the_ordinary_p():
    base = pd.DataFrame({"nps": [10] * 40 + [8] * 30 + [3] * 30, "g": "a"})
    rows = []
    for promoters in range(40, 101, 5):  # the other segment grows more promoters: z rises
        other = pd.DataFrame({"nps": [10] * promoters + [3] * (100 - promoters), "g": "b"})
        rows.append(cx.compare_nps(pd.concat([base, other]), by="g", alternative="greater").iloc[0])
    z = np.array([r["statistic"] for r in rows])
    log10 = np.array([r["log10_p_value"] for r in rows])
    assert np.all(np.diff(z) > 0) and np.all(np.diff(log10) < 0)
    np.testing.assert_allclose(10**log10, stats.norm.sf(z), rtol=1e-12)
    assert list(rows[0].index[:len(COLUMNS)]) == COLUMNS


def test_nps_association_fisher_for_small_surveys_against_R():
    d = pd.DataFrame({"nps": [10] * 3 + [8] * 2 + [3] * 1 + [10] * 1 + [8] * 2 + [3] * 3,
                      "r": ["a"] * 6 + ["b"] * 6})
    # R 4.2: fisher.test(matrix(c(3, 2, 1, 1, 2, 3), 3))$p.value = 0.766233766233766
    # (promoters, passives, detractors × a, b)
    for method in ("fisher", "auto"):
        r = cx.nps_association(d, by="r", method=method).iloc[0]
        assert r["p_value"] == pytest.approx(0.766233766233766, rel=1e-10)
        assert r["method"].startswith("Fisher's exact test") and np.isnan(r["statistic"])
        assert r["effect_size"] == pytest.approx(np.sqrt(stats.chi2_contingency(
            [[3, 1], [2, 2], [1, 3]]).statistic / 12), rel=1e-12)
    with pytest.warns(UserWarning, match="method='fisher'"):
        chi = cx.nps_association(d, by="r").iloc[0]
    assert chi["method"].startswith("Pearson chi-square")
    with pytest.raises(ComparisonError, match="method must be one of"):
        cx.nps_association(d, by="r", method="exact")


def test_nps_association_auto_falls_back_to_chi_square_on_a_table_too_large(carpentries):
    # 3 × 5 NPS category × Pace, n = 888: R's fisher.test(..., workspace = 2e8) does not finish in
    # two minutes; the kit says so and gives R's chisq.test p-value (1.55175232611781e-21).
    with pytest.warns(UserWarning, match="more than 2,000,000 partial tables"):
        r = cx.nps_association(carpentries, score="LikelyToRecommend", by="Pace", method="auto").iloc[0]
    assert r["p_value"] == pytest.approx(1.55175232611781e-21, rel=1e-9)
    assert "chi-square p-value is given and is approximate" in r["method"]
