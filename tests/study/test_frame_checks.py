"""The vectorised checks after reading report exactly what pandera's schema reports."""

import numpy as np
import pandas as pd
import pytest

from uxcx.study.frame_checks import _pandera_cases, failure_cases
from uxcx.study.schema import Role, role


def _frame(rng, n, keys, source):
    values = {"nps": rng.choice([0, 5, 10, 10.5, 11, -1, np.nan, np.inf, 3.25], n),
              "csat": rng.choice([1, 2, 5, 6, 0.5, np.nan], n),
              "time_s": rng.choice([0.0, 12.5, -3, np.nan], n),
              "errors": rng.choice([0, 1, 2, 7], n).astype("int64"),
              "device": pd.array(rng.choice(["a", "b", None], n), dtype="string")}
    ids = pd.array(rng.choice(keys, n), dtype="string")
    if source == "usability":
        values = {"participant": ids, "task": pd.array(rng.choice(["T1", "T2", None], n),
                                                          dtype="string"), **values}
    else:
        values = {"respondent": ids, **values}
    return pd.DataFrame(values, index=pd.Index(rng.permutation(n) + 2, name="row"))


@pytest.mark.parametrize("source", ["survey", "usability"])
@pytest.mark.parametrize("seed", range(12))
def test_failure_cases_equal_panderas(source, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400) if seed % 2 else rng.integers(1000, 4000))  # sorted as pandera sorts
    pool = [f"P{i}" for i in range(int(rng.integers(1, 3 * n)))] + [None] * int(rng.integers(0, 3))
    frame = _frame(rng, n, pool, source)
    roles = {name: role(name) for name in frame.columns}
    roles["time_s"] = Role("duration", 0, None, positive=True)
    if seed % 3 == 0:  # a declared range on an item (ranges:, measures.items)
        roles["csat"] = Role("score", 1, 7, integer=seed % 2 == 0)
    if seed % 4 == 1:
        frame = frame.drop(columns="nps")
        roles.pop("nps")
    got, want = failure_cases(frame, source, roles), _pandera_cases(frame, source, roles)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want)


def test_failure_cases_of_a_clean_frame_are_none():
    frame = pd.DataFrame({"respondent": pd.array(["a", "b"], dtype="string"), "nps": [0.0, 10.0]})
    roles = {"respondent": role("respondent"), "nps": role("nps")}
    assert failure_cases(frame, "survey", roles).empty
    assert _pandera_cases(frame, "survey", roles).empty


def test_failure_cases_of_text_under_a_range_are_panderas():
    # a category given a range under ranges: holds no numbers: pandera reports the error
    frame = pd.DataFrame({"respondent": pd.array(["a", "b"], dtype="string"),
                          "plan": pd.array(["x", "y"], dtype="string")})
    roles = {"respondent": role("respondent"), "plan": Role("category", 1, 5)}
    pd.testing.assert_frame_equal(failure_cases(frame, "survey", roles),
                                  _pandera_cases(frame, "survey", roles))
