"""Personal data in the ledger: dropped values that are no plausible answer are shown by their
shape only, unless the study opts in (uxcx.study.dropped_values, SourceLedger.exported)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

import uxcx
from uxcx.errors import StudyError
from uxcx.study.dropped_values import plausible_answers, shown_values, value_shape

NPS = "a whole number from 0 to 10"

# Values a respondent may type into a score box that are personal data, never answers.
SECRETS = {
    "iban": "DE89 3704 0044 0532 0130 00",
    "iban_compact": "GB29NWBK60161331926819",
    "card": "4111 1111 1111 1111",
    "card_digits": "4111111111111111",
    "name": "Jane Smith",
    "name_three": "María José Fernández",
    "national_id": "AB123456C",
    "sentence": "please call my husband tomorrow",
}
# Answers that missed and that the researcher needs to see to fix the file or the study.
ANSWERS = ["11", "-3", "4.5", "1,250.00", "abc", "x", "n/a", "Very likely",
           "10 - Extremely likely", "don't know", "ten", "5 stars", "N/A"]


def plausible(values, expected=NPS, column="nps"):
    n = len(values)
    return plausible_answers(pd.Series(values, dtype=object), pd.Series([expected] * n),
                             pd.Series([column] * n)).tolist()


def test_answer_attempts_are_plausible_and_personal_values_are_not():
    assert plausible(ANSWERS) == [True] * len(ANSWERS)
    assert plausible(list(SECRETS.values())) == [False] * len(SECRETS)


def test_numbers_from_the_file_count_by_their_digits():
    # Excel gives numbers as floats: 80.0 is an answer, a card number read as a float is not
    assert plausible([80.0, 11, 999_999, 1_000_000, 4111111111111111.0, True, None]) == [
        True, True, True, False, False, True, True]


def test_dates_and_times_are_plausible_for_date_and_time_roles_only():
    values = ["2025-13-01", "31/02/2025 10:00", "March 33, 2025", "25:61"]
    assert plausible(values, expected="date", column="start") == [True] * 4
    assert plausible(["2025-13-01", "31/02/2025 10:00"]) == [False, False]  # in a score: masked
    assert plausible(["4111 1111 1111 1111"], expected="date") == [False]  # over 14 digits


def test_a_label_shared_by_three_dropped_rows_is_shown_once_repeated():
    labels = ["Sehr wahrscheinlich"] * 3 + ["Ziemlich wahrscheinlich"] * 2
    assert plausible(labels) == [True, True, True, False, False]
    # the same value in three different columns is three single values
    got = plausible_answers(pd.Series(["Jane Smith"] * 3), pd.Series([NPS] * 3),
                            pd.Series(["nps", "csat", "ces"]))
    assert not got.any()


def test_a_long_value_is_never_plausible():
    assert plausible(["very " * 9 + "likely", "a" * 41, "likely " * 10_000]) == [False] * 3


def test_the_shape_tells_kind_and_length_and_quotes_nothing():
    shapes = value_shape(pd.Series(list(SECRETS.values()) + ["x" * 10_000_000])).tolist()
    assert shapes[:3] == [
        "(withheld: text of 27 characters: letters, digits and spaces)",
        "(withheld: text of 22 characters: letters and digits)",
        "(withheld: a number of 16 digits)"]
    assert shapes[4] == "(withheld: text of 10 characters: letters and a space)"
    assert shapes[-1] == "(withheld: text of 10,000,000 characters: letters)"
    for secret, shape in zip(SECRETS.values(), shapes, strict=False):
        assert not any(len(w) > 3 and w in shape for w in secret.split())


def test_shown_values_keep_answers_and_mask_the_rest():
    got = shown_values(pd.Series(["11", "Jane Smith", None]), pd.Series([NPS] * 3),
                       pd.Series(["nps"] * 3)).tolist()
    assert got == ["11", "(withheld: text of 10 characters: letters and a space)", None]


# --- through the loader: ledger.json, the ledger's tables, uxcx validate --------------------

def _study(tmp_path, rows: list[str], **extra):
    text = "respondent,nps\n" + "".join(f"R{i},{v}\n" for i, v in enumerate(rows))
    (tmp_path / "s.csv").write_text(text, encoding="utf-8")
    study = {"name": "p", "sources": {"survey": {"path": "s.csv"}}, **extra}
    (tmp_path / "study.yml").write_text(yaml.safe_dump(study))
    return uxcx.load_study(tmp_path / "study.yml")


def _exported_text(study) -> str:
    from uxcx.report.cli import validation_text

    return json.dumps(study.ledger.as_dict()) + study.ledger.dropped().to_string() + validation_text(study)


def test_personal_values_in_a_score_field_never_leave_the_kit(tmp_path):
    rows = ["9", '"DE89 3704 0044 0532 0130 00"', "Jane Smith", "4111111111111111", "11",
            "abc", "call me on +44 20 7946 0958", "Very likely"]
    s = _study(tmp_path, rows)
    shown = {d["row"]: d["value"] for d in s.ledger.as_dict()["sources"]["survey"]["dropped_rows"]}
    assert shown == {
        3: "(withheld: text of 27 characters: letters, digits and spaces)",
        4: "(withheld: text of 10 characters: letters and a space)",
        5: "(withheld: a number of 16 digits)",
        6: "11", 7: "abc", 8: "(personal data withheld)", 9: "Very likely"}
    text = _exported_text(s)
    for secret in ("DE89", "3704", "Jane", "Smith", "4111", "7946"):
        assert secret not in text
    assert s.ledger.sources["survey"].dropped["value"].tolist()[1] == "Jane Smith"  # for the fix


def test_repaired_cells_are_masked_alike(tmp_path):
    s = _study(tmp_path, ["9", "123456789", "12"],
               **{"sources": {"survey": {"path": "s.csv", "out_of_range": "blank"}}})
    cells = s.ledger.as_dict()["sources"]["survey"]["repaired_cells"]
    assert [c["value"] for c in cells] == ["(withheld: a number of 9 digits)", 12]


def test_the_study_opts_in_to_show_dropped_values(tmp_path):
    rows = ["Jane Smith", "4111111111111111", "x@y.org"]
    s = _study(tmp_path, rows, privacy={"show_dropped_values": True})
    values = s.ledger.dropped()["value"].tolist()
    assert values[:2] == ["Jane Smith", "4111111111111111"]
    assert values[2] == "(personal data withheld)"  # contacts stay withheld


def test_a_misspelt_privacy_option_is_a_study_error(tmp_path):
    with pytest.raises(StudyError, match=r"privacy\.show_dropped_value: unknown key; did you mean "
                                         r"'show_dropped_values'"):
        _study(tmp_path, ["9"], privacy={"show_dropped_value": True})


def test_excel_error_values_are_shown_as_written():
    assert plausible(["#DIV/0!", "#N/A", "#REF!", "#VALUE!"]) == [True] * 4


def test_the_stop_error_quotes_no_personal_value(tmp_path):
    from uxcx.errors import DataError

    with pytest.raises(DataError) as info:
        _study(tmp_path, ["9", "Jane Smith", "11"], on_invalid="stop")
    text = str(info.value)
    assert "Jane" not in text and "row 3" in text and "(value '11')" in text
    assert "text of 10 characters" in text
