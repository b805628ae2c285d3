"""Mapping, checking and dropping, one source at a time; the ledger always reconciles."""

import numpy as np
import pandas as pd
import pytest

from uxcx import StudyError
from uxcx.io.tables import RawTable
from uxcx.study.schema import frame_schema, role
from uxcx.study.study_file import SourceConfig
from uxcx.study.validate import validate


def raw(frame: pd.DataFrame, blank_rows=()) -> RawTable:
    """A table as the reader returns it: header on row 1, blank rows already taken out."""
    n = len(frame) + len(blank_rows)
    rows = np.array([r for r in range(2, n + 2) if r not in set(blank_rows)], dtype="int64")
    return RawTable(frame=frame, rows=rows, blank_rows=list(blank_rows), file="f.csv",
                    format="csv", encoding="utf-8", delimiter=",", notes=[])


def survey(**columns) -> SourceConfig:
    return SourceConfig(path="f.csv", columns={"ID": "respondent", **columns})


def test_clean_rows_kept_with_spreadsheet_row_index():
    frame, ledger = validate(raw(pd.DataFrame({"ID": ["a", "b"], "NPS": [9, 3]})), "survey",
                             survey(NPS="nps"))
    assert frame.index.tolist() == [2, 3]
    assert frame["nps"].tolist() == [9, 3]
    assert (ledger.read, ledger.kept, ledger.n_dropped) == (2, 2, 0)


def test_every_problem_dropped_with_row_column_value_reason():
    table = pd.DataFrame({
        "ID": ["a", "b", None, "d", "b", "f", "g"],
        "NPS": [9, 11, 5, "seven", 8, 7.5, 10],
        "Sat": [5, 4, 3, 2, 1, 4, 0],
    })
    frame, ledger = validate(raw(table, blank_rows=[5]), "survey", survey(NPS="nps", Sat="csat"))
    # rows: a=2 b=3 None=4 blank=5 d=6 b=7 f=8 g=9
    got = ledger.dropped.set_index("row")
    assert got.loc[3, "reason"] == "out of range" and got.loc[3, "value"] == 11
    assert got.loc[4, "reason"] == "missing key"
    assert got.loc[5, "reason"] == "blank row"
    assert got.loc[6, "reason"] == "not a number" and got.loc[6, "value"] == "seven"
    assert got.loc[7, "reason"] == "duplicate key" and "as row 3" in got.loc[7, "hint"]
    assert got.loc[8, "reason"] == "not a whole number"
    assert got.loc[9, "reason"] == "out of range" and got.loc[9, "column"] == "Sat"
    assert frame.index.tolist() == [2]
    assert ledger.read == 8 and ledger.kept == 1 and ledger.n_dropped == 7
    assert sum(ledger.reasons.values()) == ledger.n_dropped


def test_problem_messages_name_file_row_column_value_and_fix():
    _, ledger = validate(raw(pd.DataFrame({"ID": ["a"], "NPS": [11]})), "survey", survey(NPS="nps"))
    text = str(ledger.problems()[0])
    assert text.startswith("f.csv, row 2, column 'NPS': out of range (value 11)")
    assert "expected a whole number from 0 to 10" in text
    assert "sources.survey.ranges.nps" in text


def test_range_override():
    table = pd.DataFrame({"ID": ["a", "b"], "Sat": [7, 8]})
    frame, ledger = validate(raw(table), "survey",
                             survey(Sat="csat").model_copy(update={"ranges": {"csat": (1, 7)}}))
    assert frame["csat"].tolist() == [7]
    assert ledger.dropped["row"].tolist() == [3]


def test_label_problem_lists_every_label_found():
    table = pd.DataFrame({"ID": list("abcd"),
                          "Sat": ["Satisfied", "Happy", "Very happy", "Happy"]})
    config = survey(Sat="csat").model_copy(update={"values": {"csat": {"Satisfied": 4}}})
    _, ledger = validate(raw(table), "survey", config)
    hints = set(ledger.dropped["hint"])
    assert len(hints) == 1
    assert "'Happy', 'Very happy'" in hints.pop()
    assert set(ledger.dropped["reason"]) == {"label not in the value map"}


def test_mapping_to_missing_column_lists_headers():
    with pytest.raises(StudyError) as err:
        validate(raw(pd.DataFrame({"ID": ["a"], "Likelihood": [3]})), "survey",
                 survey(NPS="nps"))
    text = str(err.value)
    assert "column 'NPS' is not in f.csv" in text
    assert "'ID', 'Likelihood'" in text


def test_header_matching_tolerates_case_and_spaces_and_says_so():
    frame, ledger = validate(raw(pd.DataFrame({" id ": ["a"], "nps  score": [3]})), "survey",
                             SourceConfig(path="f.csv", columns={"ID": "respondent",
                                                                 "NPS Score": "nps"}))
    assert list(frame.columns) == ["respondent", "nps"]
    assert any("ignoring case, spaces" in n for n in ledger.notes)


def test_required_role_missing_and_two_headers_one_role():
    with pytest.raises(StudyError) as err:
        validate(raw(pd.DataFrame({"A": [1], "B": [2]})), "usability",
                 SourceConfig(path="f.csv", columns={"A": "participant", "B": "participant"}))
    text = str(err.value)
    assert "both map to role 'participant'" in text
    assert "no column is mapped to task" in text


def test_columns_named_like_roles_are_taken_others_left_out_and_noted():
    table = pd.DataFrame({"respondent": ["a"], "NPS": [7], "Plan": ["Pro"], "Junk": [1]})
    frame, ledger = validate(raw(table), "survey", SourceConfig(path="f.csv"), segments=["plan"])
    assert list(frame.columns) == ["respondent", "nps", "plan"]
    assert any("'Junk'" in n for n in ledger.notes)


def test_personal_columns_withheld_unless_opted_in():
    table = pd.DataFrame({"ID": ["a"], "E-mail address": ["x@y.org"], "Why": ["great"],
                          "IP Address": ["1.2.3.4"]})
    config = survey(**{"E-mail address": "contact", "Why": "comment", "IP Address": "ip"})
    frame, ledger = validate(raw(table), "survey", config)
    assert list(frame.columns) == ["respondent"]  # by role (comment) and by header (e-mail, IP)
    kept, _ = validate(raw(table), "survey",
                       config.model_copy(update={"include_personal": ["comment"]}))
    assert "comment" in kept.columns and "contact" not in kept.columns


def test_repairs_counted_on_kept_rows_only():
    table = pd.DataFrame({"P": ["p1", "p1", "p2"], "T": ["t1", "t2", "t1"],
                          "Time": ["1:23", "0:00:10", "xx"]})
    frame, ledger = validate(raw(table), "usability", SourceConfig(
        path="f.csv", columns={"P": "participant", "T": "task", "Time": "time_s"}))
    assert frame["time_s"].tolist() == [83, 10]
    assert ledger.repaired_rows == 2
    assert ledger.repairs == {"Time: durations written as m:ss converted to seconds": 1,
                              "Time: durations written as h:mm:ss converted to seconds": 1}
    assert ledger.dropped["reason"].tolist() == ["not a duration"]


def test_usability_duplicates_are_participant_by_task():
    table = pd.DataFrame({"P": ["p1", "p1", "p1"], "T": ["t1", "t2", "t1"]})
    _, ledger = validate(raw(table), "usability",
                         SourceConfig(path="f.csv", columns={"P": "participant", "T": "task"}))
    assert ledger.dropped["row"].tolist() == [4]
    assert ledger.dropped["value"].tolist() == ["p1 / t1"]


def test_input_frame_not_mutated():
    table = pd.DataFrame({"ID": ["a", "b"], "NPS": ["9", "x"]})
    before = table.copy()
    validate(raw(table), "survey", survey(NPS="nps"))
    pd.testing.assert_frame_equal(table, before)


def test_frame_schema_reports_all_failures_at_once():
    schema = frame_schema("survey", {"respondent": role("respondent"), "nps": role("nps")})
    bad = pd.DataFrame({"respondent": ["a", None], "nps": [12.0, -1.0]})
    import pandera.pandas as pa

    with pytest.raises(pa.errors.SchemaErrors) as err:
        schema.validate(bad, lazy=True)
    assert len(err.value.failure_cases) == 3
