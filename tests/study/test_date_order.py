"""Dates read with one order per column (issue 15): never 03/04 as March 4 beside 13/04 as April 13."""

import pandas as pd
import pytest

from uxcx import load_study
from uxcx.io.exports import parse_timestamps
from uxcx.study.coerce import coerce
from uxcx.study.dates import OTHER_ORDER, read_dates
from uxcx.study.reading_options import Reading
from uxcx.study.schema import role


def dates(*values, **options):
    series = pd.Series(list(values), dtype=object)
    values, bad, reason, notes = read_dates(series, series.isna(), **options)
    return [None if pd.isna(v) else str(v.date()) for v in values], bad.tolist(), reason, notes


def test_one_day_above_12_makes_the_whole_column_day_first():
    shown, bad, _, notes = dates("03/04/2025", "13/04/2025", "05/06/2025")
    assert shown == ["2025-04-03", "2025-04-13", "2025-06-05"] and notes == []


def test_one_month_position_above_12_makes_it_month_first():
    shown, _, _, _ = dates("03/04/2025", "04/13/2025")
    assert shown == ["2025-03-04", "2025-04-13"]


def test_values_in_the_other_order_are_dropped_with_their_reason():
    shown, bad, reason, notes = dates("03/04/2025", "13/04/2025", "14/05/2025", "04/13/2025")
    assert shown[:3] == ["2025-04-03", "2025-04-13", "2025-05-14"] and shown[3] is None
    assert bad == [False, False, False, True] and reason == OTHER_ORDER
    assert "1 value(s) written month first are not read" in notes[0]


@pytest.mark.parametrize("values, expected, assumed", [
    (("03/04/2025", "05/06/2025"), ["2025-03-04", "2025-05-06"], "month first"),
    (("03.04.2025", "05.06.25"), ["2025-04-03", "2025-06-05"], "day first"),
    (("03-04-2025", "05-06-2025"), ["2025-04-03", "2025-06-05"], "day first"),
])
def test_undecidable_columns_say_which_order_was_assumed(values, expected, assumed):
    shown, _, _, notes = dates(*values, role="start", source="customers")
    assert shown == expected
    assert f"dates read {assumed}" in notes[0] and "dayfirst: {start: ...}" in notes[0]


def test_stated_order_wins_and_contradicting_values_are_not_read():
    shown, bad, _, _ = dates("03/04/2025", "04/13/2025", dayfirst=True)
    assert shown[0] == "2025-04-03" and bad == [False, True]


def test_stated_format_reads_exactly_that_format():
    shown, bad, reason, _ = dates("03.04.2025 14:05", "2025-04-03", date_format="%d.%m.%Y %H:%M")
    assert shown[0] == "2025-04-03" and bad == [False, True]
    assert reason == "not a date in the format %d.%m.%Y %H:%M"


def test_two_digit_years_times_and_other_spellings():
    series = pd.Series(["9/8/18 15:29", "12/31/18 3:05 PM", "2025-03-31", "31 March 2025"])
    values, bad, _, _ = read_dates(series, series.isna())
    assert values.tolist() == [pd.Timestamp("2018-09-08 15:29"), pd.Timestamp("2018-12-31 15:05"),
                               pd.Timestamp("2025-03-31"), pd.Timestamp("2025-03-31")]
    assert not bad.any()


def test_impossible_dates_are_not_dates():
    _, bad, reason, _ = dates("31/02/2025", "13/04/2025")
    assert bad == [True, False] and reason == "not a date"


def test_coerce_keeps_excel_serials_and_reads_the_rest_in_one_order():
    got = coerce(pd.Series(["45747", "03/04/2025", "13/04/2025"], dtype=object), role("start"))
    assert got.values.tolist() == [pd.Timestamp("2025-03-31"), pd.Timestamp("2025-04-03"),
                                   pd.Timestamp("2025-04-13")]


def test_coerce_passes_the_study_files_dayfirst():
    got = coerce(pd.Series(["03/04/2025"], dtype=object), role("start"), reading=Reading(dayfirst=True))
    assert got.values[0] == pd.Timestamp("2025-04-03")


def test_through_the_loader_the_conflicting_row_is_in_the_ledger(make_study):
    study = load_study(make_study(
        {"c.csv": "customer,start\nC1,03/04/2024\nC2,13/04/2024\nC3,04/13/2024\nC4,25/12/2024\n"},
        {"customers": {"path": "c.csv"}}))
    led = study.ledger.sources["customers"]
    assert led.reasons == {OTHER_ORDER: 1}
    assert led.dropped.loc[0, "row"] == 4 and led.dropped.loc[0, "value"] == "04/13/2024"
    assert "or state dayfirst: or date_format: under sources.customers" in led.dropped.loc[0, "hint"]
    assert study["customers"]["start"].dt.month.tolist() == [4, 4, 12]
    assert any("dates read day first" in n for n in led.notes)


def test_as_many_values_of_each_order_the_file_default_decides_and_the_others_drop():
    shown, bad, _, notes = dates("13/04/2024", "04/13/2024")
    assert bad == [True, False] and "written day first are not read" in notes[0]


def test_google_forms_timestamps_say_when_the_order_was_assumed():
    _, note = parse_timestamps(pd.Series(["03/04/2025 10:00:00", "05/06/2025 11:00:00"]))
    assert "no day is above 12, so month first is assumed" in note
    _, settled = parse_timestamps(pd.Series(["13/04/2025 10:00:00"]))
    assert settled == "timestamps read as %d/%m/%Y %H:%M:%S"


def test_one_file_one_order_a_start_column_settles_the_end_column(make_study):
    study = load_study(make_study(
        {"c.csv": "customer,start,end\nC1,03/04/2024,01/05/2024\nC2,13/04/2024,\nC3,02/03/2024,04/06/2024\n"},
        {"customers": {"path": "c.csv"}}))
    frame = study["customers"]
    assert [str(d.date()) for d in frame["end"].dropna()] == ["2024-05-01", "2024-06-04"]
    assert not any("dates read" in n for n in study.ledger.sources["customers"].notes)
    stated = load_study(make_study(
        {"c.csv": "customer,start,end\nC1,03/04/2024,12/05/2024\nC2,13/04/2024,\n"},
        {"customers": {"path": "c.csv", "dayfirst": {"end": False}}}))
    assert str(stated["customers"]["end"].dropna().iloc[0].date()) == "2024-12-05"  # the study wins
