"""The fast conversions between Arrow text and pandas strings give what pandas' astype gives."""

import numpy as np
import pandas as pd
import pyarrow as pa

from uxcx.io.unicode_text import arrow_strings

ARROW = pd.StringDtype("pyarrow")
VALUES = ["P01", None, " b ", "é", "", "NA"]


def _same(got: pd.Series, want: pd.Series) -> None:
    assert got.dtype == want.dtype
    pd.testing.assert_series_equal(got, want)


def test_arrow_strings_of_arrow_text_equals_astype():
    for kind in (pa.string(), pa.large_string()):
        series = pd.Series(VALUES, dtype=pd.ArrowDtype(kind), index=[5, 3, 9, 1, 2, 4], name="id")
        _same(arrow_strings(series), series.astype(ARROW))


def test_arrow_strings_of_python_strings_equals_astype():
    series = pd.Series(VALUES, dtype="string", name="id")
    series[2] = np.nan  # stored as pd.NA
    _same(arrow_strings(series), series.astype(ARROW))


def test_arrow_strings_of_other_columns_is_astype():
    for series in (pd.Series([1, None, "x"], dtype=object), pd.Series([1.5, np.nan]),
                   pd.Series(VALUES, dtype=ARROW)):
        _same(arrow_strings(series), series.astype(ARROW))


def test_python_strings_equals_astype_for_labels_and_ids():
    from uxcx.io.unicode_text import python_strings

    n = 30_000
    labels = pd.Series(np.array(["Mobile", "Desktop", "Tablet", ""], dtype=object)[np.arange(n) % 4],
                       index=np.arange(n) + 2, name="Device").astype(ARROW)
    ids = pd.Series([f"R{i:07d}" for i in range(n)], name="id").astype(ARROW)
    for series in (labels, ids, labels.iloc[:50]):
        series = series.copy()
        series.iloc[::7] = pd.NA
        got = python_strings(series)
        assert got.dtype == pd.StringDtype("python")
        pd.testing.assert_series_equal(got, series.astype("string"), check_exact=True)
        assert got.isna().sum() == series.isna().sum()
