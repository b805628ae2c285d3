"""Reading values by role: every coercion and its recorded repair."""

import numpy as np
import pandas as pd
import pytest

from uxcx.study.coerce import coerce
from uxcx.study.schema import role


def s(*values, dtype=object):
    return pd.Series(list(values), dtype=dtype)


def test_binary_spellings_and_partial():
    got = coerce(s("Yes", "no", "TRUE", "0", "1", "Partial", " y ", None, ""), role("success"))
    assert got.values.tolist()[:7] == [1, 0, 1, 0, 1, 0.5, 1]
    assert got.values[7:].isna().all()
    assert not got.bad.any()


def test_binary_unreadable_is_bad_not_guessed():
    got = coerce(s("Yes", "maybe", "2"), role("success"))
    assert got.bad.tolist() == [False, True, False]  # 2 is a number: the range check rejects it
    assert got.reason == "not a yes/no value"


def test_value_map_is_case_and_space_insensitive():
    got = coerce(s("Strongly agree", "  strongly   AGREE", "Neutral"), role("sus_1"),
                 {"Strongly agree": 5, "Neutral": 3})
    assert got.values.tolist() == [5, 5, 3]


def test_label_no_map_covers_is_named_as_such():
    got = coerce(s("Agree", "5", "Somewhat agree"), role("csat"), {"Agree": 4})
    assert got.bad.tolist() == [False, False, True]
    assert got.reason == "label not in the value map"


def test_value_map_to_missing_is_a_counted_repair_not_an_error():
    got = coerce(s("Don't know", "4"), role("csat"), {"Don't know": None})
    assert got.values.isna().tolist() == [True, False]
    assert not got.bad.any()
    assert got.repairs["labels mapped to missing (e.g. N/A)"].tolist() == [True, False]


def test_missing_markers_are_missing_in_numeric_roles_without_a_map():
    # what pandas' reader makes missing in a number column, whatever the case
    got = coerce(s("N/A", "4", "null", " NA ", "None", "#N/A", "nan"), role("csat"))
    assert got.values.isna().tolist() == [True, False, True, True, True, True, True]
    assert not got.bad.any()


def test_scores_text_in_numeric_column():
    got = coerce(s("7", "seven", 3.0), role("nps"))
    assert got.bad.tolist() == [False, True, False]
    assert got.reason == "not a number"


@pytest.mark.parametrize("text, seconds", [
    ("83", 83), ("83s", 83), ("83 sec", 83), ("1:23", 83), ("01:23", 83), ("0:01:23", 83),
    ("00:01:23", 83), ("1m 23s", 83), ("2 min", 120), ("1h", 3600), ("1:02:03.5", 3723.5),
    ("12.5", 12.5),
])
def test_durations(text, seconds):
    got = coerce(s(text), role("time_s"))
    assert got.values[0] == pytest.approx(seconds)
    assert not got.bad.any()


def test_duration_repairs_are_counted_by_format():
    got = coerce(s("83", "1:23", "0:01:23", "abc"), role("time_s"))
    assert got.bad.tolist() == [False, False, False, True]
    assert got.repairs["durations written as m:ss converted to seconds"].sum() == 1
    assert got.repairs["durations written as h:mm:ss converted to seconds"].sum() == 1


def test_timedelta_column():
    got = coerce(pd.Series(pd.to_timedelta(["00:01:23"])), role("time_s"))
    assert got.values[0] == 83


def test_dates_iso_mixed_and_excel_serial():
    got = coerce(s("2025-03-31", "31 March 2025", 45747, "not a date", None), role("start"))
    assert got.values[0] == pd.Timestamp("2025-03-31")
    assert got.values[1] == pd.Timestamp("2025-03-31")
    assert got.values[2] == pd.Timestamp("2025-03-31")  # Excel serial 45747 (=DATE(2025,3,31))
    assert got.bad.tolist() == [False, False, False, True, False]
    assert got.repairs["Excel serial numbers read as dates"].sum() == 1


def test_money_symbols_stripped_and_recorded():
    got = coerce(s("$1,234.50", "12", "€ 7"), role("revenue"))
    assert got.values.tolist() == [1234.5, 12, 7]
    assert got.repairs["currency signs or thousands separators removed"].sum() == 2


def test_keys_keep_leading_zeros_and_lose_float_tails():
    got = coerce(s("00123", " P01 ", None), role("participant"))
    assert got.values.tolist()[:2] == ["00123", "P01"]
    assert got.values.isna().tolist() == [False, False, True]
    floats = coerce(pd.Series([1001.0, 1002.0, np.nan]), role("customer"))
    assert floats.values.tolist()[:2] == ["1001", "1002"]
    assert floats.repairs["identifiers trimmed or written without a trailing .0"].sum() == 2


def test_pyarrow_backed_columns():
    got = coerce(pd.Series([0, 10, None], dtype="int64[pyarrow]"), role("nps"))
    assert got.values.tolist()[:2] == [0.0, 10.0]
    assert got.values.isna()[2]


def test_caller_series_not_mutated():
    original = s("Yes", "No")
    coerce(original, role("success"), {"Yes": 1, "No": 0})
    assert original.tolist() == ["Yes", "No"]
