"""Numbers as locales write them (issue 15): one convention per column, other notations dropped
with a reason."""

import pandas as pd
import pytest

from uxcx import load_study
from uxcx.study.coerce import coerce
from uxcx.study.numbers import OTHER_NOTATION, read_numbers
from uxcx.study.reading_options import Reading
from uxcx.study.schema import role


def numbers(*values, **options):
    series = pd.Series(list(values), dtype=object)
    return read_numbers(series, series.isna(), **options)


@pytest.mark.parametrize("text, value", [
    ("1.234,50 €", 1234.5),          # German, euro after
    ("€ 1.234,50", 1234.5),
    ("2\u00a0500,00", 2500.0),       # French, no-break space
    ("2\u202f500,00", 2500.0),       # French, narrow no-break space
    ("1.234.567,8", 1234567.8),
    ("12,5 %", 12.5),
])
def test_decimal_comma_amounts_read_as_their_locale_means(text, value):
    # each beside a value that only a decimal comma reads, so the column says decimal comma
    got = numbers(text, "4,5", currency=True)
    assert got.values.tolist() == [value, 4.5]
    assert not got.bad.any()


@pytest.mark.parametrize("text, value", [
    ("$1,234.50", 1234.5), ("1'234.50", 1234.5), ("1\u2019234.50", 1234.5), ("USD 12.5", 12.5),
    ("12.5 EUR", 12.5), ("\u221212.5", -12.5), ("(12.50)", -12.5), ("-$5.25", -5.25),
])
def test_decimal_point_amounts(text, value):
    got = numbers(text, "0.25", currency=True)
    assert got.values.tolist() == [value, 0.25]


def test_a_value_in_the_other_notation_is_not_read_never_changed():
    got = numbers("4,5", "3,25", "1,234.50")
    assert got.values.tolist()[:2] == [4.5, 3.25] and pd.isna(got.values[2])
    assert got.bad.tolist() == [False, False, True]
    assert got.reason == OTHER_NOTATION
    assert "numbers read with a decimal comma, as 2 value(s) are written" in got.notes[0]


def test_text_beside_another_notation_keeps_the_general_reason():
    got = numbers("4,5", "3,25", "1,234.50", "abc")
    assert got.bad.tolist() == [False, False, True, True]
    assert got.reason == "not a number"  # one reason per column: both kinds of cell named by it


@pytest.mark.parametrize("values, comma_file, expected", [
    (("1.234", "2.500"), False, [1.234, 2.5]),      # comma file: decimal point assumed
    (("1.234", "2.500"), True, [1234.0, 2500.0]),   # semicolon file: decimal comma assumed
    (("1,234", "12"), False, [1234.0, 12.0]),
])
def test_no_value_settles_it_the_file_decides_and_a_note_says_so(values, comma_file, expected):
    got = numbers(*values, decimal_comma_file=comma_file, role="revenue", source="customers")
    assert got.values.tolist() == expected
    assert "no value settles whether" in got.notes[0]
    assert "under sources.customers (or decimal: {revenue: ...})" in got.notes[0]


def test_a_leading_zero_group_is_no_thousands_group():
    # "0.250" can only be a decimal: it settles the column even in a semicolon file
    got = numbers("0.250", "1.234", decimal_comma_file=True)
    assert got.values.tolist() == [0.25, 1.234] and got.notes == []


def test_irregular_groups_are_not_read():
    got = numbers("1.23.456", "12.34.5", "1.234.567")
    assert got.bad.tolist() == [True, True, False]


def test_stated_decimal_and_thousands_win_over_the_column():
    assert numbers("1.234", "2,5", decimal=",").values.tolist() == [1234.0, 2.5]
    none = numbers("1,234", "12", decimal=".", thousands="none")
    assert none.bad.tolist() == [True, False]
    spaced = numbers("1 234,5", "1.234,5", decimal=",", thousands=" ")
    assert spaced.values.tolist()[0] == 1234.5 and spaced.bad.tolist() == [False, True]


def test_repairs_are_counted_per_kind():
    got = numbers("1.234,50 €", "12,5", "7", currency=True)
    assert got.repairs["decimal commas read as decimal points"].tolist() == [True, True, False]
    assert got.repairs["currency signs or thousands separators removed"].tolist() == [True, False, False]


def test_percent_is_refused_where_it_means_nothing():
    got = read_numbers(pd.Series(["45%", "12"]), pd.Series([False, False]), percent=False)
    assert got.bad.tolist() == [True, False]


def test_coerce_uses_the_study_files_decimal_for_a_role():
    got = coerce(pd.Series(["1.234", "2.500"], dtype=object), role("revenue"),
                 reading=Reading(role="revenue", decimal=","))
    assert got.values.tolist() == [1234.0, 2500.0]


def test_value_map_results_are_not_reparsed_with_the_columns_convention():
    # a label mapped to 4.5 stays 4.5 although the column is read with a decimal comma
    got = coerce(pd.Series(["gut", "3,5"], dtype=object), role("item_x"), {"gut": 4.5},
                 reading=Reading(decimal=","))
    assert got.values.tolist() == [4.5, 3.5]


def test_through_the_loader_with_decimal_stated_on_a_column_pyarrow_types_as_numbers(make_study):
    # unquoted 1.234 in a comma file is typed 1.234 by the reader; decimal: ',' reads it as written
    study = load_study(make_study(
        {"c.csv": "customer,start,revenue,tenure\nC1,2024-01-01,1.234,2.5\nC2,2024-01-01,2.500,3\n"},
        {"customers": {"path": "c.csv", "decimal": {"revenue": ","},
                       "columns": {"customer": "customer", "start": "start", "revenue": "revenue",
                                   "tenure": "tenure"}}}))
    frame = study["customers"]
    assert frame["revenue"].tolist() == [1234.0, 2500.0]
    assert frame["tenure"].tolist() == [2.5, 3.0]  # the other column keeps the decimal point


def test_unknown_decimal_option_is_a_study_error(make_study):
    from uxcx.errors import StudyError

    with pytest.raises(StudyError, match="decimal"):
        load_study(make_study({"c.csv": "customer\nC1\n"},
                              {"customers": {"path": "c.csv", "decimal": ";"}}))


def test_through_the_loader_the_other_notation_names_the_setting(make_study):
    study = load_study(make_study(
        {"c.csv": 'customer,start,revenue\nC1,2024-01-01,"4,50"\nC2,2024-01-01,"3,25"\n'
                  'C3,2024-01-01,"1,234.50"\n'}, {"customers": {"path": "c.csv"}}))
    dropped = study.ledger.sources["customers"].dropped
    assert dropped["reason"].tolist() == [OTHER_NOTATION] and dropped["row"].tolist() == [4]
    assert "state decimal: under sources.customers" in dropped["hint"].iloc[0]


def test_one_file_one_decimal_mark_another_column_settles_an_ambiguous_one(make_study):
    # revenue alone (1.234, 2.500) could be either; tenure's 2,5 shows the file's decimal comma
    study = load_study(make_study(
        {"c.csv": 'customer,start,revenue,tenure\nC1,2024-01-01,"1.234","2,5"\nC2,2024-01-01,"2.500","3"\n'},
        {"customers": {"path": "c.csv", "columns": {"customer": "customer", "start": "start",
                                                    "revenue": "revenue", "tenure": "tenure"}}}))
    assert study["customers"]["revenue"].tolist() == [1234.0, 2500.0]
    assert study["customers"]["tenure"].tolist() == [2.5, 3.0]
    assert not any("no value settles" in n for n in study.ledger.sources["customers"].notes)
