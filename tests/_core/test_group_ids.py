"""``group_ids`` against the pandas groupby it replaces: same group numbers, same keys.

The reference is the former implementation, ``groupby(by_cols, dropna=False, sort=True,
observed=True).ngroup()`` for the numbers and ``groupby(gid).first()`` for the keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uxcx._core.common import group_ids


def _groupby_ids(data, by_cols):
    gid = data.groupby(by_cols, dropna=False, sort=True, observed=True).ngroup().to_numpy()
    keys = data[by_cols].groupby(gid, dropna=False).first().reset_index(drop=True)
    return gid, keys


def _same_as_groupby(data, by_cols):
    gid, keys = group_ids(data, by_cols)
    ref_gid, ref_keys = _groupby_ids(data, by_cols)
    assert gid.dtype == np.int64
    np.testing.assert_array_equal(gid, ref_gid)
    pd.testing.assert_frame_equal(keys, ref_keys)
    for j in range(keys.shape[1]):  # missing keys as groupby gives them (None in object columns)
        assert [type(v) for v in keys.iloc[:, j]] == [type(v) for v in ref_keys.iloc[:, j]]


_MISSING = st.sampled_from([None, np.nan, pd.NA])


@st.composite
def frames(draw):
    n = draw(st.integers(0, 40))

    def column(values):
        return draw(st.lists(values, min_size=n, max_size=n))

    text = column(st.one_of(st.sampled_from(["a", "b", "B", "é", ""]), _MISSING))
    number = column(st.sampled_from([0.0, -0.0, 1.5, -2.0, np.inf, np.nan]))
    whole = column(st.integers(-3, 3))
    mixed = column(st.one_of(st.integers(0, 2), st.sampled_from(["x", "y"]), _MISSING))
    category = column(st.sampled_from(["lo", "mid", "hi", None]))
    flag = column(st.booleans())
    nullable = column(st.one_of(st.integers(0, 3), st.none()))
    when = column(st.sampled_from(["2025-01-01", "2024-06-30", None]))
    return pd.DataFrame({
        "text": pd.Series(text, dtype=object), "number": number, "whole": pd.Series(whole, dtype="int64"),
        "mixed": pd.Series(mixed, dtype=object),
        "category": pd.Categorical(category, categories=["hi", "unused", "mid", "lo"]),
        "flag": pd.Series(flag, dtype=bool), "nullable": pd.array(nullable, dtype="Int64"),
        "string": pd.array([None if v is None or v is pd.NA or v != v else v for v in text], dtype="string"),
        "when": pd.to_datetime(pd.Series(when, dtype=object)),
    }, index=pd.Index(draw(st.permutations(range(100, 100 + n))), name="row"))


@settings(max_examples=60, deadline=None)
@given(frames(), st.data())
def test_group_ids_equals_groupby_on_random_frames(data, pick):
    columns = ["text", "number", "whole", "mixed", "category", "flag", "nullable", "string", "when"]
    by_cols = pick.draw(st.lists(st.sampled_from(columns), min_size=1, max_size=3, unique=True))
    _same_as_groupby(data, by_cols)


@pytest.mark.parametrize("n_rows, n_levels, n_columns", [
    (3000, 2500, 2),  # grid of 6.25 million cells > 4 rows and > 1e6: numbered by a sort
    (2000, 1990, 6),  # 1991^6 > 2^62: the combined code is renumbered before it overflows
])
def test_group_ids_equals_groupby_on_large_grids(n_rows, n_levels, n_columns):
    rng = np.random.default_rng(7)
    data = pd.DataFrame({f"k{j}": rng.integers(0, n_levels, n_rows).astype(float) for j in range(n_columns)})
    data.iloc[::17, 0] = np.nan
    data["k1"] = data["k1"].map(lambda v: f"s{v:05.0f}")
    _same_as_groupby(data, list(data.columns))


def test_group_ids_without_grouping_and_on_empty_frames():
    gid, keys = group_ids(pd.DataFrame({"a": [1, 2]}), [])
    assert gid.tolist() == [0, 0] and len(keys) == 1
    _same_as_groupby(pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=float)}),
                     ["a", "b"])
