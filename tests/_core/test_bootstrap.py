"""The one seeded bootstrap engine (uxcx._core.bootstrap) and that every bootstrap of the kit uses it."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import uxcx
from uxcx._core.bootstrap import (
    BUDGET,
    chunks,
    generator,
    resample_cells,
    resample_counts,
    resample_indices,
    resample_sums,
)

LIB = Path(uxcx.__file__).parent
# The modules that bootstrap; each draws its resamples from the engine.
CALLERS = ["link/drivers/importance.py", "link/drivers_boot.py",
           "link/mediate.py", "link/mediate_boot.py", "link/correlations.py", "link/level_effects.py",
           "link/by_level/compare.py", "cx/nps.py", "ux/single_metric.py"]


def test_counts_add_up_to_n_per_resample_and_are_multinomial():
    counts = resample_counts(50, 4000, generator(3))
    assert counts.shape == (4000, 50) and counts.dtype == float
    assert (counts.sum(axis=1) == 50).all() and (counts >= 0).all() and (counts == np.round(counts)).all()
    # each cell is Binomial(50, 1/50): mean 1, variance 49/50 (Efron & Tibshirani 1993, ch. 6)
    assert counts.mean() == pytest.approx(1.0)
    assert counts.var() == pytest.approx(0.98, abs=0.03)


@pytest.mark.parametrize(("n", "size"), [(1, 5), (7, 3), (5, 20_000), (40_000, 3)])
def test_counts_are_the_counted_index_draws_of_the_same_seed(n, size):
    # small n: many resamples per counting block; n above the block: one resample per block
    idx = resample_indices(n, size, generator(11))
    expected = np.stack([np.bincount(row, minlength=n) for row in idx])
    np.testing.assert_array_equal(resample_counts(n, size, generator(11)), expected)


def test_counts_into_a_reused_buffer_equal_fresh_counts():
    buffer = np.full((10, 40_000), -1.0)
    rng = generator(3)
    first = resample_counts(40_000, 4, rng, out=buffer)
    assert np.shares_memory(first, buffer) and first.shape == (4, 40_000)
    second = resample_counts(40_000, 10, rng, out=buffer)  # the next chunk overwrites the buffer
    np.testing.assert_array_equal(second, resample_counts(40_000, 14, generator(3))[4:])
    small = resample_counts(30, 7, generator(3), out=np.empty((9, 30)))
    np.testing.assert_array_equal(small, resample_counts(30, 7, generator(3)))
    with pytest.raises(ValueError, match="at least"):
        resample_counts(30, 10, generator(3), out=np.empty((9, 30)))


def test_same_seed_same_counts_other_seed_other_counts():
    same = resample_counts(30, 200, generator(7))
    np.testing.assert_array_equal(same, resample_counts(30, 200, generator(7)))
    assert not np.array_equal(resample_counts(30, 200, generator(7)), resample_counts(30, 200, generator(8)))
    np.testing.assert_array_equal(resample_cells([5, 3, 2], 50, generator(7)),
                                  resample_cells([5, 3, 2], 50, generator(7)))
    g = np.random.default_rng(4)
    assert generator(g) is g  # a Generator continues its own stream


@pytest.mark.parametrize("draw", [
    lambda size, rng: resample_counts(37, size, rng),
    lambda size, rng: resample_indices(37, size, rng),
    lambda size, rng: resample_cells([[4, 0, 9], [0, 0, 0], [1, 1, 1]], size, rng),
])
def test_chunked_draws_equal_unchunked_draws(draw):
    whole = draw(1000, generator(5))
    rng = generator(5)
    parts = [draw(size, rng) for size in chunks(1000, per_item=37, budget=37 * 64)]
    assert [len(p) for p in parts] == [64] * 15 + [40]
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_cells_resample_each_group_and_match_numpy_multinomial():
    cells = np.array([[30, 12, 18], [0, 0, 0], [2, 0, 0]])
    draws = resample_cells(cells, 500, generator(2))
    assert draws.shape == (500, 3, 3)
    np.testing.assert_array_equal(draws.sum(axis=-1), np.broadcast_to([60, 0, 2], (500, 3)))
    assert (draws[:, 1] == 0).all() and (draws[:, 2] == [2, 0, 0]).all()
    # numpy's multinomial with p = cells / N (an empty group: N = 0)
    p = np.array([[30 / 60, 12 / 60, 18 / 60], [1 / 3] * 3, [1.0, 0.0, 0.0]])
    ref = np.random.default_rng(2).multinomial([60, 0, 2], p, size=(500, 3))
    np.testing.assert_array_equal(draws, ref)


@pytest.mark.parametrize(("total", "per_item", "budget"), [(0, 10, 100), (1, 10, 100), (2000, 7, 100),
                                                           (5, 500, 100), (10_000, 3000, BUDGET)])
def test_chunks_respect_the_budget_and_cover_every_resample(total, per_item, budget):
    sizes = list(chunks(total, per_item, budget))
    assert sum(sizes) == total and all(s >= 1 for s in sizes)
    step = max(1, budget // per_item)  # at least one resample, even when one alone exceeds the budget
    assert all(s == step for s in sizes[:-1]) and all(s <= step for s in sizes)


def test_a_caller_draws_its_chunks_within_the_budget(monkeypatch):
    # Mediation with a 0/1 outcome holds 14 + 3^2 = 23 float arrays of n per resample, so 300
    # resamples of 5,000 rows come in chunks of BUDGET // 115,000 = 139; the result equals
    # drawing them all in one chunk.
    import pandas as pd

    from uxcx.link import mediate_boot
    from uxcx.link.mediate import mediation

    g = np.random.default_rng(1)
    x = g.normal(size=5000)
    m = 0.5 * x + g.normal(size=5000)
    d = pd.DataFrame({"x": x, "m": m, "y": (0.4 * m + 0.1 * x + g.normal(size=5000) > 0).astype(float)})
    seen = []

    def spy(n, size, rng, out=None):
        seen.append(size)
        return resample_counts(n, size, rng, out=out)

    monkeypatch.setattr(mediate_boot, "resample_counts", spy)
    chunked = mediation(d, x="x", m="m", y="y", n_boot=300, seed=4, ci_method="percentile")
    assert seen == [139, 139, 22] and all(s * 23 * 5000 <= BUDGET for s in seen)
    monkeypatch.setattr(mediate_boot, "chunks", lambda total, per_item: chunks(total, per_item, 10**12))
    whole = mediation(d, x="x", m="m", y="y", n_boot=300, seed=4, ci_method="percentile")
    assert seen[3:] == [300]
    np.testing.assert_allclose(chunked[["ci_low", "ci_high"]], whole[["ci_low", "ci_high"]], rtol=1e-12)


@pytest.mark.parametrize(("n", "k", "size"), [(20_000, 10, 30), (60_000, 10, 7), (300, 4, 500)])
def test_sums_equal_counts_times_values_with_the_same_draws(n, k, size):
    # small values and large n: one resample at a time; large values or small n: count matrices
    values = np.random.default_rng(0).normal(size=(n, k))
    sums = resample_sums(values, size, generator(9), budget=n * 4)
    np.testing.assert_allclose(sums, resample_counts(n, size, generator(9)) @ values, rtol=1e-12, atol=1e-9)
    # the stream continues as the counts' would
    rng_a, rng_b = generator(5), generator(5)
    resample_sums(values, 3, rng_a)
    resample_counts(n, 3, rng_b)
    assert rng_a.integers(1000) == rng_b.integers(1000)


def test_linear_mediation_bootstrap_is_the_sums_of_the_engine(monkeypatch):
    import pandas as pd

    from uxcx.link import mediate_boot
    from uxcx.link.mediate import mediation

    g = np.random.default_rng(2)
    x = g.normal(size=20_000)
    m = 0.5 * x + g.normal(size=20_000)
    d = pd.DataFrame({"x": x, "m": m, "y": 0.4 * m + 0.1 * x + g.normal(size=20_000)})
    calls = []
    monkeypatch.setattr(mediate_boot, "resample_sums",
                        lambda values, size, rng: calls.append(size) or resample_sums(values, size, rng))
    mediation(d, x="x", m="m", y="y", n_boot=300, seed=4, ci_method="percentile")
    assert calls == [300]


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            yield node, f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


# Counting the data's own categories (not resamples) is allowed here.
_COUNTING = {("cx/nps.py", "nps_counts")}


@pytest.mark.parametrize("module", CALLERS)
def test_every_bootstrap_draws_from_the_engine(module):
    tree = ast.parse((LIB / module).read_text())
    random = {"integers", "multinomial", "binomial", "choice", "permutation", "default_rng", "random",
              "normal", "uniform"}
    drawn = sorted({name for _, name in _calls(tree) if name in random})
    assert not drawn, f"{module} draws random numbers itself ({drawn}); use uxcx._core.bootstrap"
    allowed = {id(node) for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)
               and (module, fn.name) in _COUNTING for node, _ in _calls(fn)}
    counted = [node.lineno for node, name in _calls(tree) if name == "bincount" and id(node) not in allowed]
    assert not counted, f"{module} counts resamples itself (line {counted}); use resample_counts"
    if module != "link/drivers_boot.py":  # the kernels take the engine's count matrices as arguments
        imports = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module == "uxcx._core" for a in node.names}
        assert "uxcx._core.bootstrap" in imports or "bootstrap" in names, module
