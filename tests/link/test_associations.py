"""correlate and p_adjust: against R's cor.test, scipy, statsmodels, direct formulas and real data."""

import json
import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from uxcx import load_study
from uxcx._core.compare import adjust_p
from uxcx._core.padjust import p_adjust
from uxcx._core.results import COLUMNS, result_frame
from uxcx.errors import DataError, UxcxError, UxcxWarning
from uxcx.link.correlations import _r_from_counts, correlate, fisher_interval

SMALL = pd.DataFrame({"sus": [50, 62.5, 70, 72.5, 80, 85, 90, 95], "nps": [3, 6, 7, 6, 8, 9, 9, 10]})
WITH_NA = pd.DataFrame({
    "x": [12.1, 15.3, np.nan, 9.8, 20.4, 17.2, 11.0, 14.4, 18.9, 13.3, 16.0, np.nan, 10.5, 19.1, 15.8],
    "y": [3.2, 4.1, 2.9, 2.5, 4.8, np.nan, 3.0, 3.9, 4.4, 3.1, 3.6, 4.0, 2.2, 4.9, 3.3]})


def test_pearson_fisher_interval_against_R():
    # R 4.2: cor.test(sus, nps) with the SMALL columns as vectors
    r = correlate(SMALL, x="sus", y="nps").iloc[0]
    assert r["estimate"] == pytest.approx(0.972235875635023, abs=1e-12)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.84969832031355, 0.995134142099119), abs=1e-12)
    assert r["p_value"] == pytest.approx(5.23967554747875e-05, rel=1e-9)
    assert r["statistic"] == pytest.approx(10.1771423692569, abs=1e-10)
    assert r["df"] == 6 and r["n"] == 8
    # R 4.2: cor.test(sus, nps, conf.level = 0.9)
    r = correlate(SMALL, x="sus", y="nps", confidence_level=0.9).iloc[0]
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.884481426961578, 0.993555065096511), abs=1e-12)


def test_pearson_with_missing_values_against_R():
    # R 4.2: cor.test(x, y, conf.level = 0.9) on WITH_NA (R drops incomplete pairs: n = 12, df = 10)
    with pytest.warns(UxcxWarning, match=r"x × y: 3 of 15"):
        r = correlate(WITH_NA, x="x", y="y", confidence_level=0.9).iloc[0]
    assert r["n"] == 12 and r["df"] == 10
    assert r["estimate"] == pytest.approx(0.929841075575125, abs=1e-12)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.803683985634343, 0.976005286093331), abs=1e-12)
    assert r["p_value"] == pytest.approx(1.18903100002134e-05, rel=1e-9)
    assert r["statistic"] == pytest.approx(7.99109866735075, abs=1e-10)
    # R 4.2: cor.test(x, y, alternative = "greater")$p.value
    with pytest.warns(UxcxWarning):
        g = correlate(WITH_NA, x="x", y="y", alternative="greater").iloc[0]
    assert g["p_value"] == pytest.approx(5.94515500010672e-06, rel=1e-9)


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_every_pair_equals_scipy_on_its_complete_rows(rng, method, alternative):
    n = 60
    d = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(1, 6, n).astype(float),
                      "c": rng.normal(size=n), "d": rng.exponential(size=n)})
    d["c"] += 0.5 * d["a"]
    d.loc[rng.choice(n, 7, replace=False), "a"] = np.nan
    d.loc[rng.choice(n, 4, replace=False), "d"] = np.nan
    with pytest.warns(UxcxWarning, match="missing"):
        out = correlate(d, x=["a", "b"], y=["c", "d"], method=method, alternative=alternative,
                        ci_method="fisher", p_adjust="none")
    scipy_fn = {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}[method]
    assert list(zip(out["x"], out["y"])) == [("a", "c"), ("a", "d"), ("b", "c"), ("b", "d")]
    for _, row in out.iterrows():
        ok = d[row["x"]].notna() & d[row["y"]].notna()
        res = scipy_fn(d.loc[ok, row["x"]], d.loc[ok, row["y"]], alternative=alternative)
        assert row["n"] == ok.sum()
        assert row["estimate"] == pytest.approx(res.statistic, abs=1e-12)
        assert row["effect_size"] == row["estimate"]
        assert row["log10_p_value"] == pytest.approx(np.log10(row["p_value"]), abs=1e-12)
        ties = min(d.loc[ok, row["x"]].nunique(), d.loc[ok, row["y"]].nunique()) < ok.sum()
        if method == "spearman" and not ties:
            # R's cor.test takes AS 89 here, scipy the t approximation: pinned to R below
            assert "Edgeworth series p (AS 89" in row["method"] and np.isnan(row["df"])
            continue
        # the same test as R's cor.test: t (Pearson; Spearman with ties), normal with ties (Kendall)
        assert row["p_value"] == pytest.approx(res.pvalue, abs=1e-12, rel=1e-9)


def test_rank_fisher_intervals_equal_the_published_formulas():
    d = pd.DataFrame({"u": [1.2, 2.3, 2.1, 3.8, 4.0, 5.5, 5.1, 6.2, 7.7, 8.1, 6.9, 9.4],
                      "v": [2.0, 1.5, 3.1, 3.0, 4.4, 4.1, 6.0, 5.2, 6.6, 8.8, 7.1, 7.9]})
    z = stats.norm.ppf(0.975)
    s = correlate(d, x="u", y="v", method="spearman").iloc[0]
    rho, n = stats.spearmanr(d["u"], d["v"]).statistic, 12
    se = np.sqrt((1 + rho**2 / 2) / (n - 3))  # Bonett & Wright (2000), eq. for Spearman
    assert (s["ci_low"], s["ci_high"]) == pytest.approx(np.tanh(np.arctanh(rho) + np.array([-z, z]) * se),
                                                        abs=1e-12)
    k = correlate(d, x="u", y="v", method="kendall").iloc[0]
    tau = stats.kendalltau(d["u"], d["v"]).statistic
    se = np.sqrt(0.437 / (n - 4))  # Fieller, Hartley & Pearson (1957)
    assert (k["ci_low"], k["ci_high"]) == pytest.approx(np.tanh(np.arctanh(tau) + np.array([-z, z]) * se),
                                                        abs=1e-12)
    assert "Bonett-Wright" in s["method"] and "Fieller" in k["method"]


def test_rank_fisher_intervals_cover_about_95_percent(rng):
    reps, n, rho = 400, 40, 0.5
    cov = [[1, rho], [rho, 1]]
    xy = rng.multivariate_normal([0, 0], cov, size=(reps, n))
    x, y = xy[..., 0], xy[..., 1]
    # Population values under bivariate normality: 6/pi asin(rho/2) and 2/pi asin(rho).
    truth = {"spearman": 6 / np.pi * np.arcsin(rho / 2), "kendall": 2 / np.pi * np.arcsin(rho)}
    rx, ry = stats.rankdata(x, axis=1), stats.rankdata(y, axis=1)
    rs = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(rx, ry)])
    sx = np.sign(x[:, :, None] - x[:, None, :])
    sy = np.sign(y[:, :, None] - y[:, None, :])
    tau = (sx * sy).sum((1, 2)) / (n * (n - 1))
    for method, r in (("spearman", rs), ("kendall", tau)):
        low, high, _ = fisher_interval(r, np.full(reps, n), method, 0.95)
        coverage = np.mean((low <= truth[method]) & (truth[method] <= high))
        assert 0.91 <= coverage <= 0.985, (method, coverage)


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_bootstrap_replicate_equals_scipy_on_the_resampled_rows(rng, method):
    x = rng.integers(1, 6, 40).astype(float)
    y = np.round(x + rng.normal(size=40))
    cells, counts = np.unique(np.column_stack([x, y]), axis=0, return_counts=True)
    sign = np.sign(np.subtract.outer(cells[:, 0], cells[:, 0])) * np.sign(np.subtract.outer(cells[:, 1],
                                                                                          cells[:, 1]))
    w = rng.multinomial(40, counts / 40, size=3).astype(float)
    w = np.vstack([counts, w])
    got = _r_from_counts(w, cells[:, 0], cells[:, 1], method, 40, sign)
    fn = {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}[method]
    for row, value in zip(w.astype(int), got):
        xs, ys = np.repeat(cells[:, 0], row), np.repeat(cells[:, 1], row)
        assert value == pytest.approx(fn(xs, ys).statistic, abs=1e-12)


def test_auto_bootstraps_a_binary_variable_and_is_seeded(rng):
    d = pd.DataFrame({"success": rng.integers(0, 2, 50), "sus": rng.normal(70, 12, 50)})
    d["sus"] += 8 * d["success"]
    a = correlate(d, x="success", y="sus", seed=3, n_boot=500)
    b = correlate(d, x="success", y="sus", seed=3, n_boot=500)
    pd.testing.assert_frame_equal(a, b)
    assert "percentile bootstrap (500 resamples)" in a.loc[0, "method"]
    assert a.loc[0, "ci_low"] < a.loc[0, "estimate"] < a.loc[0, "ci_high"]
    f = correlate(d, x="success", y="sus", ci_method="fisher")
    assert "Fisher" in f.loc[0, "method"] and f.loc[0, "estimate"] == a.loc[0, "estimate"]


def test_schema_pairs_adjustment_and_strength(rng):
    d = pd.DataFrame(rng.normal(size=(30, 4)), columns=["sus", "seq", "nps", "csat"])
    out = correlate(d, x=["sus", "seq"], y=["nps", "csat", "sus"])
    assert list(out.columns) == ["x", "y", *COLUMNS, "strength"]
    assert COLUMNS.index("log10_p_value") == COLUMNS.index("p_value") + 1
    assert len(out) == 5  # sus × sus skipped; seq × sus kept
    assert np.allclose(out["p_adjusted"], multipletests(out["p_value"], method="holm")[1], atol=1e-15)
    assert set(out["p_adjust_method"]) == {"holm"}
    assert set(out["strength"]) <= {"negligible", "small", "medium", "large"}
    assert out["effect_size_type"].eq("Pearson r").all()
    assert d.shape == (30, 4)  # caller's frame untouched


def test_bad_input_speaks_to_people():
    with pytest.raises(DataError, match="missing"):
        correlate(SMALL, x="sus", y="csat")
    with pytest.raises(UxcxError, match="method must be one of"):
        correlate(SMALL, x="sus", y="nps", method="cosine")
    with pytest.raises(DataError, match=r"column 'nps': not a number \(index label 1\) \(value 'x'\)"):
        correlate(SMALL.assign(nps=["3", "x", 7, 6, 8, 9, 9, 10]), x="sus", y="nps")
    loaded = SMALL.set_axis(pd.RangeIndex(2, 2 + len(SMALL), name="row"))  # spreadsheet rows
    loaded = loaded.assign(nps=["3", "x", 7, 6, 8, 9, 9, 10])
    with pytest.raises(DataError, match="row 3, column 'nps'"):
        correlate(loaded, x="sus", y="nps")
    with pytest.warns(UxcxWarning, match="constant"):
        out = correlate(SMALL.assign(nps=5), x="sus", y="nps")
    assert np.isnan(out.loc[0, "estimate"]) and np.isnan(out.loc[0, "p_value"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=40),
       st.sampled_from(["holm", "fdr_bh", "bonferroni", "none"]))
def test_p_adjust_equals_multipletests(p, method):
    p = np.array(p)
    ok = ~np.isnan(p)
    got = p_adjust(p, method)
    assert np.array_equal(np.isnan(got), ~ok)
    if ok.any():
        with mock.patch("gc.collect", return_value=0):  # multipletests' Holm collects garbage per call
            want = p[ok] if method == "none" else multipletests(p[ok], method=method)[1]
        np.testing.assert_allclose(got[ok], want, rtol=0, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 12), st.sampled_from(["holm", "fdr_bh", "bonferroni"]),
       st.integers(0, 2**32 - 1))
def test_p_adjust_rows_are_separate_families(rows, cols, method, seed):
    g = np.random.default_rng(seed)
    p = g.uniform(size=(rows, cols)) ** 3
    p[g.uniform(size=p.shape) < 0.2] = np.nan
    got = p_adjust(p, method)
    for row, out in zip(p, got):
        np.testing.assert_array_equal(out, p_adjust(row, method))


def test_adjust_p_keeps_its_results():
    f = result_frame([{"p_value": 0.01}, {"p_value": np.nan}, {"p_value": 0.04}, {"p_value": 0.03}])
    out = adjust_p(f, "fdr_bh")
    assert out["p_adjusted"].round(2).tolist()[::2] == [0.03, 0.04]
    assert pd.isna(out.loc[1, "p_adjusted"]) and out.loc[1, "p_adjust_method"] is None


def test_sample_study_umux_lite_and_recommendation(sample_study):
    s = sample_study
    survey = s["survey"].assign(umux=lambda d: d[["umux_lite_1", "umux_lite_2"]].mean(axis=1))
    out = correlate(survey, x="umux", y="nps")
    # data/sample/README.md, "Realised figures": Pearson r, UMUX-Lite mean vs LTR = 0.633.
    assert out.loc[0, "estimate"] == pytest.approx(0.633, abs=5e-4)
    assert out.loc[0, "ci_low"] < 0.633 < out.loc[0, "ci_high"]


def test_heritrace_sus_against_mean_task_time(realdata, make_study):
    folder = realdata / "usability_tasks" / "heritrace" / "aggregated"
    columns = {"participant_id": "participant", "user_type": "user_type",
               **{f"ratings_{i}": f"sus_{i}" for i in range(1, 11)}}
    s = load_study(make_study({}, {
        "questionnaire": {"path": str(folder / "sus_individual_scores.json"), "columns": columns},
        "usability": {"path": str(folder / "task_metrics.json"), "columns": {
            "participant_id": "participant", "task_key": "task", "actual_duration_minutes": "minutes"}}}))
    from uxcx import sus_score

    q = s["questionnaire"].assign(sus=lambda d: sus_score(d))
    # The authors' per-participant SUS (sus_individual_scores.json, "sus_score").
    published = pd.DataFrame(json.loads((folder / "sus_individual_scores.json").read_text())["participants"])
    assert dict(zip(q["participant"], q["sus"])) == dict(zip(published["participant_id"],
                                                           published["sus_score"]))
    tasks = s["usability"].assign(minutes=lambda d: pd.to_numeric(d["minutes"]))
    per_person = tasks.groupby("participant", as_index=False)["minutes"].mean()
    joined = q.merge(per_person, on="participant", validate="one_to_one")
    assert len(joined) == 19
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = correlate(joined, x="sus", y="minutes", method="spearman")
    # SUS scores tie, so R uses the t approximation as scipy does:
    # R 4.2: cor.test(sus, minutes, method = "spearman") -> rho -0.451105698809286, p 0.0525550944551188
    want = stats.spearmanr(joined["sus"], joined["minutes"])
    assert want.pvalue == pytest.approx(0.0525550944551188, rel=1e-12)
    assert out.loc[0, "n"] == 19
    assert out.loc[0, "estimate"] == pytest.approx(want.statistic, abs=1e-12)
    assert out.loc[0, "p_value"] == pytest.approx(want.pvalue, abs=1e-12)


# Rank-correlation p-values as R's cor.test chooses them; data without ties.
X8 = [1.2, 2.3, 2.1, 3.8, 4.0, 5.5, 5.1, 6.2]
Y8 = [3.1, 2.2, 4.5, 4.0, 5.9, 5.2, 7.7, 6.1]
X30 = np.arange(30.0)
Y30 = (np.arange(30) * 17 % 31) + 0.37 * np.arange(30)
X40 = (np.arange(40) * 7 % 41).astype(float)
Y40 = (np.arange(40) * 11 % 43) + 0.5 * np.arange(40)


@pytest.mark.parametrize(("x", "y", "method", "want", "how"), [
    # R 4.2: cor.test(x8, y8, method = "spearman", alternative = a)$p.value  (n = 8: all 8! orderings)
    (X8, Y8, "spearman", {"two-sided": 0.0367559523809524, "less": 0.986036706349206,
                          "greater": 0.0183779761904762}, "exact permutation p"),
    # R 4.2: cor.test(x30, y30, method = "spearman", alternative = a)$p.value  (AS 89 Edgeworth series)
    (X30, Y30, "spearman", {"two-sided": 0.00898577820086807, "less": 0.99554273833963,
                            "greater": 0.00449288910043403}, "Edgeworth series p (AS 89"),
    # R 4.2: cor.test(x40, y40, method = "kendall", alternative = a)$p.value  (exact for n < 50;
    # scipy's "auto" would take the normal approximation above n = 33)
    (X40, Y40, "kendall", {"two-sided": 0.0868033565614648, "less": 0.958729394884505,
                           "greater": 0.0434016782807324}, "exact p (no ties, n < 50)"),
])
def test_rank_p_values_follow_R_choice_without_ties(x, y, method, want, how):
    d = pd.DataFrame({"x": x, "y": y})
    for alternative, p in want.items():
        r = correlate(d, x="x", y="y", method=method, alternative=alternative).iloc[0]
        assert r["p_value"] == pytest.approx(p, rel=1e-9)
        assert r["log10_p_value"] == pytest.approx(np.log10(p), abs=1e-9)
        assert how in r["method"]
    # R 4.2: cor.test(...)$estimate: rho 0.761904761904762 (n = 8), 0.472747497219132 (n = 30);
    # tau 0.18974358974359 (n = 40)
    rho = {8: 0.761904761904762, 30: 0.472747497219132, 40: 0.18974358974359}[len(x)]
    assert r["estimate"] == pytest.approx(rho, abs=1e-12)


def test_spearman_beyond_the_edgeworth_range_is_positive_where_R_reports_zero():
    d = pd.DataFrame({"x": np.arange(1.0, 11), "y": [1.0, 2, 3, 4, 5, 6, 7, 8, 10, 9]})
    # R 4.2: cor.test(1:10, c(1:8, 10, 9), method = "spearman")$p.value is 0 (rho 0.987878787878788)
    r = correlate(d, x="x", y="y", method="spearman").iloc[0]
    assert r["estimate"] == pytest.approx(0.987878787878788, abs=1e-12)
    # the exact two-sided p: identity and the 9 single adjacent swaps have S <= 2, so 2 * 10/10!
    assert r["p_value"] == pytest.approx(2 * 10 / 3628800, rel=1e-12) and np.isfinite(r["log10_p_value"])
    assert "t approximation p beyond the range of AS 89" in r["method"]


@pytest.mark.parametrize("n", [5, 9, 10, 15, 40, 300])
def test_spearman_p_is_monotone_in_rho_over_every_statistic(n):
    from uxcx.link.correlation_p import spearman_log_p

    s = np.arange(0, (n**3 - n) / 3 + 1, 2 if n < 40 else max(2, n**3 // 3000 * 2))  # S is even
    rho = 1 - 6 * s / (n**3 - n)
    for alternative in ("greater", "two-sided"):
        log_p = np.array([spearman_log_p(r, n, False, alternative)[0] for r in rho])
        assert np.isfinite(log_p).all() and (log_p <= 0).all()
        half = rho >= 0 if alternative == "two-sided" else slice(None)
        assert np.all(np.diff(log_p[half]) >= -1e-12), alternative  # rho falls as S grows: p must not


def test_pearson_p_below_the_floating_point_range():
    # r = 0.9 exactly on n = 100,000 rows: R 4.2 gives 2 * pt(-t, n - 2) = 0; in logs
    # (pt(-t, n - 2, log.p = TRUE) + log(2)) / log(10) = -36064.1510061689 with t = 652.922095780113
    g = np.random.default_rng(5)
    x = g.normal(size=100_000)
    z = g.normal(size=100_000)
    x, z = x - x.mean(), z - z.mean()
    z = z - (z @ x) / (x @ x) * x
    y = 0.9 * x / np.linalg.norm(x) + np.sqrt(1 - 0.81) * z / np.linalg.norm(z)
    r = correlate(pd.DataFrame({"x": x, "y": y}), x="x", y="y", ci_method="fisher").iloc[0]
    assert r["estimate"] == pytest.approx(0.9, abs=1e-12)
    assert r["statistic"] == pytest.approx(652.922095780113, rel=1e-9)
    assert r["log10_p_value"] == pytest.approx(-36064.1510061689, rel=1e-9)
    assert r["p_value"] > 0 and r["p_adjusted"] > 0
    assert "p < 1e-300" in r["method"]


def test_log10_p_equals_the_ordinary_p_and_falls_with_the_statistic():
    from uxcx.link.correlation_p import kendall_log_p, pearson_log_p

    # R 4.2: 2 * pt(-25.8069758011279, 1998) = 5.47231492811465e-127 (r = 0.5, n = 2000)
    assert np.exp(pearson_log_p(0.5, 2000, "two-sided")[0]) == pytest.approx(5.47231492811465e-127, rel=1e-9)
    r = np.linspace(-0.99, 0.99, 199)
    logs = np.array([pearson_log_p(v, 25, "greater")[0] for v in r])
    assert np.all(np.diff(logs) < 0)
    np.testing.assert_allclose(np.exp(logs), stats.t.sf(r * np.sqrt(23 / (1 - r**2)), 23), rtol=1e-10)
    g = np.random.default_rng(11)
    x, y = g.integers(1, 6, 80).astype(float), g.integers(1, 8, 80).astype(float)
    tau = stats.kendalltau(x, y)
    assert np.exp(kendall_log_p(x, y, tau.statistic, "two-sided")[0]) == pytest.approx(tau.pvalue, rel=1e-10)


@pytest.mark.parametrize("n", [7, 9])
def test_spearman_tail_floor_is_a_lower_bound_exact_below_six(n):
    from uxcx.link.correlation_p import _log_swaps_share, _spearman_counts

    counts = _spearman_counts(n)  # every ordering of n: S counted over all n! permutations
    assert counts.sum() == np.prod(np.arange(1, n + 1))
    share = np.cumsum(counts) / counts.sum()
    for s in range(0, 40, 2):
        bound = np.exp(_log_swaps_share(n, s))
        assert bound <= share[s] * (1 + 1e-12)
        if s < 6:
            assert bound == pytest.approx(share[s], rel=1e-12)


def test_spearman_perfect_ranking_at_n_10_gives_one_in_ten_factorial():
    d = pd.DataFrame({"x": np.arange(10.0), "y": np.arange(10.0) ** 2})
    r = correlate(d, x="x", y="y", method="spearman", alternative="greater").iloc[0]
    # All 10! orderings: only the identity has S = 0, so the exact one-sided p is 1/10!; R 4.2 gives 0.
    assert r["p_value"] == pytest.approx(1 / 3628800, rel=1e-12)


@pytest.mark.parametrize(("n", "want", "how"), [
    # R 4.2: i <- 1:n; y <- (i * 37) %% 1297 + i / 1e4 + sin(i) * 200; cor.test(i, y, method = "spearman")
    (1290, 0.926952403274017, "Edgeworth series p (AS 89"),  # R's pspearman: AS 89 up to n = 1290
    (1291, 0.879887680350194, "t approximation p (n > 1290)"),
])
def test_spearman_switches_from_as89_to_t_where_R_does(n, want, how):
    i = np.arange(1, n + 1)
    d = pd.DataFrame({"x": i.astype(float), "y": (i * 37) % 1297 + i / 1e4 + np.sin(i) * 200})
    r = correlate(d, x="x", y="y", method="spearman").iloc[0]
    assert r["p_value"] == pytest.approx(want, rel=1e-9)
    assert how in r["method"]
