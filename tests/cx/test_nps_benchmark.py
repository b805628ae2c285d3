"""Tests of uxcx.nps_benchmark: the adjusted-Wald NPS test against a target (Lewis & Sauro 2021),
pinned to R on the Carpentries instructor-training survey, calibrated by simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import uxcx
from uxcx.errors import SmallSampleWarning, UxcxError


@pytest.fixture
def carpentries(realdata) -> pd.DataFrame:
    raw = pd.read_csv(realdata / "nps_csat" / "carpentries" / "instructor-training_20180908_post_clean.csv")
    return pd.DataFrame({"nps": raw["LikelyToRecommend"]})


def test_nps_against_a_target_against_R(carpentries):
    # R: y <- LikelyToRecommend[!is.na(.)]; n <- 889; P <- 501; D <- 71
    #    pp <- (P + .75) / (n + 3); pd <- (D + .75) / (n + 3); c0 <- pp - pd
    #    se <- sqrt((pp + pd - c0^2) / (n + 3)); z <- (c0 - .30) / se
    #    pnorm(z, lower.tail = FALSE); 100 * (c0 - qnorm(.95) * se)
    r = uxcx.nps_benchmark(carpentries, target=30).iloc[0]
    assert (r["n"], r["promoters"], r["detractors"]) == (889, 501, 71)
    assert r["estimate"] == pytest.approx(48.36895, rel=1e-6)
    assert r["adjusted_nps"] == pytest.approx(48.2062780269, rel=1e-10)
    assert r["std_error"] == pytest.approx(2.14536912795, rel=1e-10)
    assert r["statistic"] == pytest.approx(8.48631491414, rel=1e-10)
    assert r["p_value"] == pytest.approx(1.06646473149e-17, rel=1e-8)
    assert r["log10_p_value"] == pytest.approx(np.log10(1.06646473149e-17), rel=1e-10)
    assert (r["ci_low"], r["ci_high"]) == (pytest.approx(44.6774598356, rel=1e-10), 100)
    assert r["alternative"] == "greater" and r["target"] == 30
    assert r["effect_size"] == pytest.approx(48.36895 - 30, rel=1e-6)
    assert "Lewis & Sauro 2021" in r["method"] and "78 missing left out" in r["method"]


def test_far_below_the_floating_point_range_keeps_log10(carpentries):
    # R: pnorm((c0 + .20) / se, lower.tail = FALSE, log.p = TRUE) / log(10)
    r = uxcx.nps_benchmark(carpentries, target=-20).iloc[0]
    assert r["log10_p_value"] == pytest.approx(-221.383868702, rel=1e-9)
    assert r["p_value"] == pytest.approx(10 ** -221.383868702, rel=1e-6)
    far = uxcx.nps_benchmark(pd.DataFrame({"nps": [10] * 20000 + [0] * 100}), target=-99).iloc[0]
    assert far["p_value"] > 0 and far["log10_p_value"] < -300 and "p < 1e-300" in far["method"]


def test_two_sided_and_less_agree_with_the_interval(carpentries):
    two = uxcx.nps_benchmark(carpentries, target=45, alternative="two-sided").iloc[0]
    z = two["statistic"]
    assert two["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)
    # the two-sided interval is nps()'s adjusted-Wald interval
    ci = uxcx.nps(carpentries).iloc[0]
    assert (two["ci_low"], two["ci_high"]) == pytest.approx((ci["ci_low"], ci["ci_high"]), rel=1e-12)
    less = uxcx.nps_benchmark(carpentries, target=45, alternative="less").iloc[0]
    assert less["p_value"] == pytest.approx(stats.norm.cdf(z), rel=1e-12) and less["ci_low"] == -100
    # the test rejects at 5% one-sided exactly when the one-sided bound excludes the target
    for target in (40, 44, 44.6, 44.7, 46):
        r = uxcx.nps_benchmark(carpentries, target=target).iloc[0]
        assert (r["p_value"] < 0.05) == (r["ci_low"] > target)


def test_type_one_error_is_near_nominal_by_simulation():
    # true NPS exactly at the target (40% promoters, 40% passives, 20% detractors: NPS 20), n = 100
    rng = np.random.default_rng(2026)
    sims, n = 4000, 100
    ratings = rng.choice([10, 8, 3], size=sims * n, p=[0.4, 0.4, 0.2])
    d = pd.DataFrame({"sim": np.repeat(np.arange(sims), n), "nps": ratings})
    r = uxcx.nps_benchmark(d, target=20, by="sim")
    rate = (r["p_value"] < 0.05).mean()
    # Lewis & Sauro (2021) report the adjusted-Wald test close to nominal; 4000 draws: SE about 0.0035
    assert 0.035 < rate < 0.065


def test_bad_targets_and_small_segments():
    d = pd.DataFrame({"nps": [10, 9, 3, 7, 10], "region": ["N", "N", "N", "N", "S"]})
    for bad in (120, "thirty", True, None):
        with pytest.raises(UxcxError, match="target must be an NPS in points"):
            uxcx.nps_benchmark(d, target=bad)
    with pytest.raises(UxcxError, match="alternative must be one of"):
        uxcx.nps_benchmark(d, target=0, alternative="above")
    with pytest.warns(SmallSampleWarning, match=r"region='S' \(n=1\)"):
        r = uxcx.nps_benchmark(d, target=0, by="region")
    assert np.isnan(r.loc[1, ["p_value", "log10_p_value", "ci_low"]].astype(float)).all()
