"""Sample sizes for planning a UX-CX study (uxcx.link.power): closed forms, statsmodels, R, simulation."""

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats.power import FTestPowerF2, NormalIndPower

import uxcx
from uxcx.link.power import sample_size_correlation, sample_size_nps, sample_size_regression


def _pwr_r_power(n, r, alpha=0.05):
    """Power of R's pwr::pwr.r.test, two-sided, transcribed from pwr's R/pwr.r.test.R, with the bias
    term r/(2(n-1)) on both z' values as in Cohen (1988, p. 546) and pwr before 1.3."""
    ttt = stats.t.isf(alpha / 2, n - 2)
    rc = np.sqrt(ttt**2 / (ttt**2 + n - 2))
    zr = np.arctanh(r) + r / (2 * (n - 1))
    zrc = np.arctanh(rc) + rc / (2 * (n - 1))
    return stats.norm.cdf((zr - zrc) * np.sqrt(n - 3)) + stats.norm.cdf((-zr - zrc) * np.sqrt(n - 3))


# --- correlation ---------------------------------------------------------------------------------

def test_correlation_closed_form():
    out = sample_size_correlation([0.1, 0.3, -0.5])
    z = 1.959963984540054 + 0.8416212335729143  # z_.975 + z_.80
    expected = np.ceil((z / np.arctanh([0.1, 0.3, 0.5])) ** 2 + 3)
    assert out["n"].tolist() == expected.astype(int).tolist() == [783, 85, 30]
    assert (out["achieved_power"] >= 0.8).all()


def test_correlation_near_pwr_r_test():
    # Published output of R's pwr::pwr.r.test(n = 90, sig.level = 0.05, power = 0.8): r = 0.2913625
    # (gist hakyim/4d19f15de5839f7f1b534ac1a84f0f93). The transcription reproduces it within the
    # tolerance of R's uniroot (about 1e-4):
    r90 = optimize.brentq(lambda r: _pwr_r_power(90, r) - 0.8, 0.05, 0.9)
    assert r90 == pytest.approx(0.2913625, abs=1e-5)
    # ... and the Fisher-z n is within two people of pwr's for the usual effect sizes.
    for r in (0.1, 0.2, 0.3, 0.5):
        n_pwr = optimize.brentq(lambda n, r=r: _pwr_r_power(n, r) - 0.8, 5, 5000)
        assert abs(sample_size_correlation(r)["n"].item() - np.ceil(n_pwr)) <= 2


def test_correlation_achieved_power_by_simulation():
    rng = np.random.default_rng(20261123)
    rho, n, sims = 0.3, sample_size_correlation(0.3)["n"].item(), 4000
    x = rng.standard_normal((sims, n))
    y = rho * x + np.sqrt(1 - rho**2) * rng.standard_normal((sims, n))
    xc, yc = x - x.mean(1, keepdims=True), y - y.mean(1, keepdims=True)
    r = (xc * yc).sum(1) / np.sqrt((xc**2).sum(1) * (yc**2).sum(1))
    t = r * np.sqrt((n - 2) / (1 - r**2))
    power = np.mean(2 * stats.t.sf(np.abs(t), n - 2) < 0.05)
    assert abs(power - 0.8) < 3 * np.sqrt(0.16 / sims) + 0.01


def test_correlation_one_sided_needs_fewer():
    assert sample_size_correlation(0.3, alternative="greater")["n"].item() < 85
    with pytest.raises(uxcx.UxcxError, match="expects r > 0"):
        sample_size_correlation(-0.3, alternative="greater")


@pytest.mark.parametrize("bad", [0, 1, -1.2, np.nan])
def test_correlation_bad_r(bad):
    with pytest.raises(uxcx.UxcxError, match="non-zero correlations"):
        sample_size_correlation(bad)


# --- regression ----------------------------------------------------------------------------------

@pytest.mark.parametrize("f2,k,u", [(0.02, 1, 1), (0.15, 3, 1), (0.35, 5, 2), (0.15, 4, 4)])
def test_regression_equals_statsmodels_ftestpowerf2(f2, k, u):
    out = sample_size_regression(f2, n_predictors=k, n_tested=u)
    v = FTestPowerF2().solve_power(effect_size=f2, df_num=u, df_denom=None, alpha=0.05, power=0.8)
    # statsmodels solves for the residual df v with lambda = f2 (u + v + 1); n = v + k + 1
    assert out["n"].item() == int(np.ceil(v + k + 1 - 1e-9))
    assert out["achieved_power"].item() >= 0.8


def test_regression_one_predictor_matches_correlation():
    # one predictor: f2 = r^2 / (1 - r^2); the exact noncentral F needs a few people fewer than the
    # Fisher-z approximation (82 against 85 for r = 0.3)
    for r in (0.2, 0.3, 0.5):
        n_f = sample_size_regression(r**2 / (1 - r**2))["n"].item()
        assert 0 <= sample_size_correlation(r)["n"].item() - n_f <= 4


def test_regression_achieved_power_by_simulation():
    rng = np.random.default_rng(5)
    f2, sims = 0.15, 3000
    n = sample_size_regression(f2, n_predictors=2, n_tested=1)["n"].item()
    # x1 tested, x2 a covariate uncorrelated with it; partial f2 = b^2 / sigma^2 with unit-variance x1
    b = np.sqrt(f2)
    X = rng.standard_normal((sims, n, 2))
    y = b * X[..., 0] + 0.5 * X[..., 1] + rng.standard_normal((sims, n))
    D = np.concatenate([np.ones((sims, n, 1)), X], axis=2)
    XtX = np.einsum("snk,snj->skj", D, D)
    coef = np.linalg.solve(XtX, np.einsum("snk,sn->sk", D, y)[..., None])[..., 0]
    resid = y - np.einsum("snk,sk->sn", D, coef)
    s2 = (resid**2).sum(1) / (n - 3)
    se = np.sqrt(s2 * np.linalg.inv(XtX)[:, 1, 1])
    power = np.mean(2 * stats.t.sf(np.abs(coef[:, 1] / se), n - 3) < 0.05)
    assert abs(power - 0.8) < 3 * np.sqrt(0.16 / sims) + 0.015


def test_regression_bad_input():
    with pytest.raises(uxcx.UxcxError, match="n_tested"):
        sample_size_regression(0.1, n_predictors=2, n_tested=3)
    with pytest.raises(uxcx.UxcxError, match="positive effect sizes"):
        sample_size_regression(-0.1)


# --- NPS -----------------------------------------------------------------------------------------

def test_nps_wald_equals_statsmodels_normal_power():
    p, d = (0.45, 0.35), (0.15, 0.25)
    out = sample_size_nps(p, d, method="wald")
    var = (0.45 + 0.15 - 0.30**2) + (0.35 + 0.25 - 0.10**2)  # Rocks (2016) trinomial variance
    es = 0.20 / np.sqrt(var / 2)
    n = NormalIndPower().solve_power(effect_size=es, alpha=0.05, power=0.8, ratio=1.0)
    assert out["n_per_group"].item() == int(np.ceil(n))
    assert out["n_total"].item() == 2 * out["n_per_group"].item()
    assert out[["nps_1", "nps_2", "difference"]].iloc[0].tolist() == pytest.approx([30, 10, 20])


def test_nps_adjusted_wald_is_three_fewer():
    # Lewis & Sauro (2021), MeasuringU "Sample sizes for comparing Net Promoter Scores": n = s²Z²/d² − 3
    wald = sample_size_nps((0.45, 0.35), (0.15, 0.25), method="wald")["n_per_group"].item()
    adj = sample_size_nps((0.45, 0.35), (0.15, 0.25))["n_per_group"].item()
    assert adj == wald - 3


def test_nps_without_passives_is_two_proportions_as_R():
    # no passives: NPS = 2 p - 1 and the test is one of promoter shares, 0.6 vs 0.4.
    # R 4.2: power.prop.test(p1 = 0.6, p2 = 0.4, power = 0.8)$n = 96.9236429405 (pooled null variance;
    # ours is unpooled, so up to 3% fewer)
    n = sample_size_nps((0.6, 0.4), (0.4, 0.6), method="wald")["n_per_group"].item()
    assert 0.97 * 97 <= n <= 97
    # R 4.2: power.prop.test(p1 = 0.5, p2 = 0.3, power = 0.9, sig.level = 0.01)$n = 176.063368802
    n = sample_size_nps((0.5, 0.3), (0.5, 0.7), method="wald", power=0.9, alpha=0.01)["n_per_group"].item()
    assert 0.97 * 177 <= n <= 177


def test_nps_achieved_power_by_simulation():
    rng = np.random.default_rng(11)
    p, d, sims = (0.45, 0.35), (0.15, 0.25), 4000
    n = sample_size_nps(p, d, method="wald")["n_per_group"].item()
    a = rng.multinomial(n, [p[0], 1 - p[0] - d[0], d[0]], size=sims) / n
    b = rng.multinomial(n, [p[1], 1 - p[1] - d[1], d[1]], size=sims) / n
    nps_a, nps_b = a[:, 0] - a[:, 2], b[:, 0] - b[:, 2]
    var = (a[:, 0] + a[:, 2] - nps_a**2) / n + (b[:, 0] + b[:, 2] - nps_b**2) / n
    power = np.mean(np.abs(nps_a - nps_b) / np.sqrt(var) > stats.norm.isf(0.025))
    assert abs(power - 0.8) < 3 * np.sqrt(0.16 / sims) + 0.01


def test_nps_vectorised_and_bad_input():
    out = sample_size_nps(([0.45, 0.50], 0.35), (0.15, 0.25))
    assert len(out) == 2 and out["n_per_group"].iloc[1] < out["n_per_group"].iloc[0]
    with pytest.raises(uxcx.UxcxError, match="equal"):
        sample_size_nps((0.4, 0.4), (0.2, 0.2))
    with pytest.raises(uxcx.UxcxError, match="exceeds 1"):
        sample_size_nps((0.7, 0.4), (0.4, 0.2))
    with pytest.raises(uxcx.UxcxError, match="pair"):
        sample_size_nps(0.4, 0.2)
