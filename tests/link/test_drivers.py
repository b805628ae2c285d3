"""Key driver analysis (uxcx.link.drivers): published figures, slow refits, properties, bad input.

tests/data/mtcars.csv is R's ``datasets::mtcars`` written by R 4.2 with
``Rscript -e 'write.csv(mtcars, "tests/data/mtcars.csv")'`` (row names in the first column).
"""

from __future__ import annotations

import itertools
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from uxcx._core.bootstrap import resample_counts
from uxcx.errors import DataError, UxcxError, UxcxWarning
from uxcx.link.drivers import driver_quadrants, key_drivers

HERE = Path(__file__).resolve().parents[1]
ROOT = HERE.parent


@pytest.fixture(scope="module")
def mtcars():
    return pd.read_csv(HERE / "data" / "mtcars.csv", index_col=0)


def _drivers(result):
    return result[result["term"] == "importance"].set_index("driver")


def _random_frame(rng, n=120, p=4, names=None):
    names = names or [f"x{j}" for j in range(p)]
    mix = rng.normal(size=(p, p)) * 0.5 + np.eye(p)
    x = rng.normal(size=(n, p)) @ mix
    frame = pd.DataFrame(x, columns=names)
    frame["y"] = x @ rng.normal(size=p) + rng.normal(size=n) * 1.5
    return frame


def _slow_shapley(value, players):
    """Shapley values by brute force: average marginal gain over every order of entry."""
    total = {p: 0.0 for p in players}
    for order in itertools.permutations(players):
        for k, p in enumerate(order):
            total[p] += value(frozenset(order[: k + 1])) - value(frozenset(order[:k]))
    return {p: v / factorial(len(players)) for p, v in total.items()}


def _ols_r2(frame, columns):
    if not columns:
        return 0.0
    return sm.OLS(frame["y"], sm.add_constant(frame[list(columns)])).fit().rsquared


# --- published figures ---------------------------------------------------------------------------

def test_relative_weights_mtcars_against_R_rwa(mtcars):
    # Figures quoted in issue #5 from the R package rwa (Johnson's relative weights),
    # rwa::rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear")):
    # R² 0.7791896; raw weights cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886.
    r = key_drivers(mtcars, outcome="mpg", drivers=["cyl", "disp", "hp", "gear"],
                    method="relative-weights", n_boot=0)
    d = _drivers(r)
    np.testing.assert_allclose(d.loc[["cyl", "disp", "hp", "gear"], "estimate"],
                               [0.2284797, 0.2221469, 0.2321744, 0.0963886], atol=1e-6)
    assert r.attrs["r_squared"] == pytest.approx(0.7791896, abs=1e-6)
    assert r.loc[r["driver"] == "(model)", "estimate"].item() == pytest.approx(0.7791896, abs=1e-6)
    assert list(d["rank"]) == [2, 3, 1, 4]
    ols = sm.OLS(mtcars["mpg"], sm.add_constant(mtcars[["cyl", "disp", "hp", "gear"]])).fit()
    assert list(d["sign"]) == list(np.sign(ols.params[["cyl", "disp", "hp", "gear"]]))  # -1, -1, -1, +1


def test_shapley_mtcars_against_R_domir(mtcars):
    # Figures quoted in issue #5 from the R package domir (LMG / general dominance),
    # domir::domir(mpg ~ am + cyl + carb, function(f) summary(lm(f, data = mtcars))$r.squared):
    # am 0.2156848, cyl 0.4173094, carb 0.1783081, summing to R² 0.8113023.
    r = key_drivers(mtcars, outcome="mpg", drivers=["am", "cyl", "carb"], n_boot=0)
    d = _drivers(r)
    np.testing.assert_allclose(d.loc[["am", "cyl", "carb"], "estimate"],
                               [0.2156848, 0.4173094, 0.1783081], atol=1e-6)
    assert d["estimate"].sum() == pytest.approx(0.8113023, abs=1e-6)
    np.testing.assert_allclose(d["share"], d["estimate"] / 0.8113023, atol=1e-6)
    assert list(d["rank"]) == [2, 1, 3]
    assert r["method"].iloc[0] == "Shapley value regression (LMG) of R²; no bootstrap"


# --- independent implementations ----------------------------------------------------------------

def test_shapley_equals_brute_force_refits(rng):
    # Independent: statsmodels OLS refitted on the rows of every subset, Shapley by all 4! orders.
    frame = _random_frame(rng, n=80, p=4)
    players = ["x0", "x1", "x2", "x3"]
    slow = _slow_shapley(lambda s: _ols_r2(frame, sorted(s)), players)
    d = _drivers(key_drivers(frame, outcome="y", drivers=players, n_boot=0))
    np.testing.assert_allclose(d.loc[players, "estimate"], [slow[p] for p in players], atol=1e-10)


def test_grouped_drivers_equal_brute_force_block_refits(rng):
    # Each block is one player: R² of a set of blocks = OLS R² on all their columns.
    frame = _random_frame(rng, n=90, p=5)
    groups = {"a": ["x0", "x1"], "b": ["x2"], "c": ["x3", "x4"]}
    slow = _slow_shapley(lambda s: _ols_r2(frame, [c for g in sorted(s) for c in groups[g]]), list(groups))
    r = key_drivers(frame, outcome="y", drivers=groups, n_boot=0)
    d = _drivers(r)
    np.testing.assert_allclose(d.loc[list(groups), "estimate"], [slow[g] for g in groups], atol=1e-10)
    assert np.isnan(d.loc["a", "sign"]) and d.loc["b", "sign"] in (-1, 1)
    assert r.attrs["driver_columns"] == groups
    rw = _drivers(key_drivers(frame, outcome="y", drivers=groups, method="relative-weights", n_boot=0))
    single = _drivers(key_drivers(frame, outcome="y", drivers=[f"x{j}" for j in range(5)],
                                  method="relative-weights", n_boot=0))
    assert rw.loc["a", "estimate"] == pytest.approx(single.loc[["x0", "x1"], "estimate"].sum(), abs=1e-12)


def test_binary_outcome_equals_brute_force_logistic_refits(mtcars):
    # Independent: statsmodels Logit on every subset, McFadden pseudo-R² (prsquared), all 3! orders.
    players = ["mpg", "hp", "qsec"]

    def mcfadden(s):
        if not s:
            return 0.0
        return sm.Logit(mtcars["am"], sm.add_constant(mtcars[sorted(s)])).fit(disp=0, tol=1e-12).prsquared

    slow = _slow_shapley(mcfadden, players)
    r = key_drivers(mtcars, outcome="am", drivers=players, n_boot=0)
    d = _drivers(r)
    np.testing.assert_allclose(d.loc[players, "estimate"], [slow[p] for p in players], atol=1e-8)
    assert r.attrs["r_squared"] == pytest.approx(mcfadden(set(players)), abs=1e-8)
    assert r["term"].iloc[-1] == "mcfadden_r2"
    assert r["method"].iloc[0].startswith("Shapley decomposition of McFadden pseudo-R²")
    # signs of the full logistic model, from statsmodels
    full = sm.Logit(mtcars["am"], sm.add_constant(mtcars[players])).fit(disp=0)
    assert list(d["sign"]) == list(np.sign(full.params[players]))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), p=st.integers(1, 6), n=st.integers(10, 60),
       method=st.sampled_from(["shapley", "relative-weights"]))
def test_importances_always_sum_to_r_squared(seed, p, n, method):
    frame = _random_frame(np.random.default_rng(seed), n=n, p=p)
    r = key_drivers(frame, outcome="y", drivers=[f"x{j}" for j in range(p)], method=method, n_boot=0)
    d = _drivers(r)
    full = _ols_r2(frame, [f"x{j}" for j in range(p)])
    assert r.attrs["r_squared"] == pytest.approx(full, abs=1e-10)
    assert d["estimate"].sum() == pytest.approx(full, abs=1e-10)
    assert d["share"].sum() == pytest.approx(1.0, abs=1e-9)
    assert sorted(d["rank"]) == list(range(1, p + 1))


# --- bootstrap ---------------------------------------------------------------------------------------

def test_bootstrap_is_seeded_and_intervals_contain_the_estimate(rng):
    frame = _random_frame(rng, n=150, p=4)
    drivers = [f"x{j}" for j in range(4)]
    a = key_drivers(frame, outcome="y", drivers=drivers, n_boot=300, seed=7)
    b = key_drivers(frame, outcome="y", drivers=drivers, n_boot=300, seed=7)
    c = key_drivers(frame, outcome="y", drivers=drivers, n_boot=300, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"], c["ci_low"])
    assert ((a["ci_low"] <= a["estimate"]) & (a["estimate"] <= a["ci_high"])).all()
    d = _drivers(a)
    assert ((d["share_ci_low"] <= d["share"]) & (d["share"] <= d["share_ci_high"])).all()
    assert d["rank_stability"].between(0, 1).all() and (d["std_error"] > 0).all()
    assert a["method"].iloc[0].endswith("percentile bootstrap, 300 resamples")


def test_bootstrap_matches_a_loop_over_row_resamples(rng):
    # The vectorised weighted-moment bootstrap equals refitting on explicitly resampled rows
    # when both see the same resample counts.
    from uxcx.link import drivers_boot as kern

    frame = _random_frame(rng, n=40, p=3)
    z = frame.to_numpy()
    z = (z - z.mean(0)) / z.std(0)
    iu = np.triu_indices(4)
    counts = resample_counts(40, 5, np.random.default_rng(3))
    corr = kern.weighted_corr(counts, z, z[:, iu[0]] * z[:, iu[1]])
    plan = kern.subset_plan([[0], [1], [2]], 3)
    fast = kern.shapley_values(kern.subset_r2(corr, plan), 3)
    for b in range(5):  # the slow reference: rows repeated as drawn
        rows = frame.loc[frame.index.repeat(counts[b].astype(int))]
        slow = _slow_shapley(lambda s, rows=rows: _ols_r2(rows, sorted(s)), ["x0", "x1", "x2"])
        np.testing.assert_allclose(fast[b], [slow[c] for c in ["x0", "x1", "x2"]], atol=1e-10)


def test_bootstrap_interval_calibration_small():
    # Population LMG of y = x·b + e with x ~ N(0, S) comes from the population correlation matrix;
    # 60 samples of n = 400 with 200 resamples each: the 90% intervals should cover it about 90%
    # of the time (the full calibration with more samples is in benchmarks/bench_drivers.py).
    from uxcx.link import drivers_boot as kern

    rng = np.random.default_rng(11)
    cov_x = np.array([[1, 0.5, 0.3], [0.5, 1, 0.2], [0.3, 0.2, 1.0]])
    b = np.array([0.6, 0.4, 0.2])
    var_y = b @ cov_x @ b + 1.0
    pop = np.eye(4)
    pop[:3, :3] = cov_x
    pop[:3, 3] = pop[3, :3] = cov_x @ b / np.sqrt(var_y)
    truth = kern.shapley_values(kern.subset_r2(pop[None], kern.subset_plan([[0], [1], [2]], 3)), 3)[0]
    hits = []
    for _ in range(60):
        x = rng.multivariate_normal(np.zeros(3), cov_x, size=400)
        frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(y=x @ b + rng.normal(size=400))
        d = _drivers(key_drivers(frame, outcome="y", drivers=["a", "b", "c"], n_boot=200,
                                 seed=int(rng.integers(1 << 31)), confidence_level=0.9))
        hits.append((d["ci_low"].to_numpy() <= truth) & (truth <= d["ci_high"].to_numpy()))
    coverage = np.mean(hits)
    assert 0.8 <= coverage <= 0.97, coverage


# --- the sample study ------------------------------------------------------------------------------

def test_sample_study_nps_drivers(sample_study):
    survey = sample_study["survey"]
    drivers = ["ease_search", "ease_checkout", "ease_returns", "ces", "csat"]
    r = key_drivers(survey, outcome="nps", drivers=drivers, n_boot=200, seed=20261123)
    d = _drivers(r)
    assert (d["n"] == 2997).all()  # the clean rows, data/sample/README.md
    # Planted (data/sample/README.md): NPS = 7.6 + 1.3u + N(0, 1.2²), so even the latent u explains
    # at most 1.69 / (1.69 + 1.44) = 0.54 of its variance; the drivers are noisy proxies of u.
    assert 0.3 < r.attrs["r_squared"] < 0.54
    # The ease items load 0.9 on u with noise sd 0.8, effort (CES) 0.9 with sd 1.0, and CSAT only
    # through the ease mean (a = 0.45): each ease item matters more than effort, CSAT least.
    ease = d.loc[["ease_search", "ease_checkout", "ease_returns"]]
    assert (ease["estimate"] > d.loc["ces", "estimate"]).all()
    assert d.loc["csat", "rank"] == 5 and d.loc["csat", "rank_stability"] > 0.9
    assert (ease["sign"] == 1).all() and d.loc["ces", "sign"] == 1
    q = driver_quadrants(r, survey)
    assert set(q["quadrant"]) <= {"Key strength", "Priority to fix", "Secondary strength", "Low priority"}
    # ease of returns has the lowest planted mean (4.4 on 1-7) and is among the important drivers
    assert q.set_index("driver").loc["ease_returns", "quadrant"] == "Priority to fix"
    assert q.set_index("driver").loc["ces", "performance"] == pytest.approx(
        100 * (survey["ces"].mean() - 1) / 6)


# --- quadrants -------------------------------------------------------------------------------------

def test_driver_quadrants_labels_and_ranges():
    frame = pd.DataFrame({"item_a": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "item_b": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3],
                          "y": [1.0, 2.2, 2.9, 4.1, 5.2, 5.8, 7.1, 8.0, 9.2, 9.9]})
    r = key_drivers(frame, outcome="y", drivers=["item_a", "item_b"], n_boot=0)
    with pytest.raises(UxcxError, match="ranges="):
        driver_quadrants(r, frame)
    q = driver_quadrants(r, frame, ranges={"item_a": (0, 10), "item_b": (0, 10)}, performance_cut=50)
    assert list(q["driver"]) == ["item_a", "item_b"] and "(model)" not in set(q["driver"])
    np.testing.assert_allclose(q["performance"], [55.0, 39.0])
    assert list(q["quadrant"]) == ["Key strength", "Low priority"]
    assert q.attrs["importance_cut"] == 0.5


# --- bad input -------------------------------------------------------------------------------------

def test_too_many_drivers_says_why_and_how_out(rng):
    frame = pd.DataFrame(rng.normal(size=(50, 4)), columns=list("abcd")).assign(y=rng.normal(size=50))
    with pytest.raises(UxcxError, match=r"2\*\*4 = 16.*Group related drivers"):
        key_drivers(frame, outcome="y", drivers=list("abcd"), max_drivers=3)
    out = key_drivers(frame, outcome="y", drivers={"ab": ["a", "b"], "c": ["c"], "d": ["d"]},
                      max_drivers=3, n_boot=0)
    assert list(out["driver"]) == ["ab", "c", "d", "(model)"]


def test_constant_collinear_and_degenerate_inputs_are_named(rng):
    frame = pd.DataFrame(rng.normal(size=(30, 3)), columns=["a", "b", "c"]).assign(y=rng.normal(size=30))
    with pytest.raises(UxcxError, match=r"\['k'\] have the same value"):
        key_drivers(frame.assign(k=4.0), outcome="y", drivers=["a", "k"])
    with pytest.raises(UxcxError, match=r"\['a', 'b', 's'\] are perfectly collinear"):
        key_drivers(frame.assign(s=frame["a"] + 2 * frame["b"]), outcome="y", drivers=["a", "b", "c", "s"])
    with pytest.raises(UxcxError, match="one value"):
        key_drivers(frame.assign(y=3.0), outcome="y", drivers=["a"])
    with pytest.raises(UxcxError, match="at least 5"):
        key_drivers(frame.head(4), outcome="y", drivers=["a", "b", "c"])
    with pytest.raises(UxcxError, match="exact linear combination of the drivers"):
        key_drivers(frame.assign(y=frame["a"] - frame["b"]), outcome="y", drivers=["a", "b"])
    with pytest.raises(UxcxError, match="also listed as a driver"):
        key_drivers(frame, outcome="y", drivers=["a", "y"])
    with pytest.raises(UxcxError, match="n_boot"):
        key_drivers(frame, outcome="y", drivers=["a"], n_boot=-1)
    with pytest.raises(UxcxError, match="method must be one of"):
        key_drivers(frame, outcome="y", drivers=["a"], method="kruskal")
    with pytest.raises(DataError, match="'nope'"):
        key_drivers(frame, outcome="y", drivers=["a", "nope"])


def test_binary_outcome_separation_and_method_errors(rng):
    x = rng.normal(size=60)
    frame = pd.DataFrame({"x": x, "z": rng.normal(size=60), "y": (x > 0).astype(float)})
    with pytest.raises(UxcxError, match="separate"):
        key_drivers(frame, outcome="y", drivers=["x", "z"], n_boot=0)
    with pytest.raises(UxcxError, match="relative weights"):
        key_drivers(frame, outcome="y", drivers=["x", "z"], method="relative-weights")
    wide = pd.DataFrame(rng.normal(size=(60, 11)), columns=[f"x{j}" for j in range(11)]).assign(y=frame["y"])
    with pytest.raises(UxcxError, match="2\\*\\*11"):
        key_drivers(wide, outcome="y", drivers=[f"x{j}" for j in range(11)])


def test_missing_rows_dropped_with_a_warning_and_input_untouched(rng):
    frame = _random_frame(rng, n=60, p=3)
    frame.iloc[[2, 5], 0] = np.nan
    frame.iloc[7, 3] = np.nan
    before = frame.copy()
    with pytest.warns(UxcxWarning, match="3 of 60 row"):
        r = key_drivers(frame, outcome="y", drivers=["x0", "x1", "x2"], n_boot=0)
    pd.testing.assert_frame_equal(frame, before)
    assert (r["n"] == 57).all()
    expected = key_drivers(frame.dropna(), outcome="y", drivers=["x0", "x1", "x2"], n_boot=0)
    pd.testing.assert_frame_equal(r, expected)


def test_row_order_does_not_matter(rng):
    frame = _random_frame(rng, n=70, p=3)
    a = key_drivers(frame, outcome="y", drivers=["x0", "x1", "x2"], n_boot=0)
    b = key_drivers(frame.sample(frac=1, random_state=1), outcome="y", drivers=["x0", "x1", "x2"], n_boot=0)
    np.testing.assert_allclose(a["estimate"], b["estimate"], atol=1e-12)
