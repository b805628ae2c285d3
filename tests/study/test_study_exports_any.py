"""Exports of any shape: optional groups in wide_pattern, multi_select_separator, legacy Qualtrics
ids as keys, out_of_range: blank, the study's own items as roles, and personal-data detection
that never overrides an explicit analysis mapping. Fixtures in tests/exports/any/ or inline."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from uxcx import load_study
from uxcx.errors import DataError, StudyError
from uxcx.io.tables import RawTable, read_table
from uxcx.study.study_file import Item, SourceConfig
from uxcx.study.validate import validate

ANY = Path(__file__).parents[1] / "exports" / "any"
OPTIONAL_TASK = r"(?P<task>T\d+)?\s*(?P<measure>success|time)"


def load(make_study, tmp_path, name, source="survey", **config):
    shutil.copy(ANY / name, tmp_path / name)
    study = load_study(make_study({}, {source: {"path": name, **config}}))
    return study[source], study.ledger.sources[source]


def raw(table: pd.DataFrame, file="f.csv") -> RawTable:
    return RawTable(table, np.arange(2, len(table) + 2), [], file, "csv", "utf-8", ",", [])


# --- 1. wide_pattern with a group that may not take part -----------------------------------

def test_wide_header_without_task_is_a_column_of_its_own(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "wide_optional_task.csv", source="usability",
                      format="wide-tasks", wide_pattern=OPTIONAL_TASK,
                      columns={"time zone": "zone"})
    # 'time zone' fits the pattern with no task: it repeats on every task row, not a task
    assert frame["task"].tolist() == ["T1", "T2", "T1", "T1", "T2"]
    assert frame["zone"].tolist() == ["CET", "CET", "EST", "CET", "CET"]
    assert frame["time_s"].tolist() == [35, 70, 41, 28, 90]
    assert any("'time zone' fit the task pattern but name no task" in n for n in led.notes)


def test_wide_header_without_task_clashing_with_a_measure_is_a_study_error(make_study, tmp_path):
    (tmp_path / "w.csv").write_text("participant,T1 success,T1 time,success\np1,1,30,1\n")
    study = make_study({}, {"usability": {"path": "w.csv", "format": "wide-tasks",
                                          "wide_pattern": OPTIONAL_TASK}})
    with pytest.raises(StudyError) as err:
        load_study(study)
    text = str(err.value)
    assert "'T1 success'" in text and "column 'success'" in text  # the headers
    assert OPTIONAL_TASK.replace("\\", "\\\\") in text  # the pattern, as repr shows it
    assert "task group matched nothing" in text and "Fix:" in text


@pytest.mark.parametrize("pattern, said", [
    (r"(?P<task>T\d+) (?P<what>\w+)", "no group named measure"),
    (r"(?P<task>T\d+ (?P<measure>\w+)", "not a valid regular expression"),
])
def test_bad_wide_pattern_is_a_study_error(make_study, tmp_path, pattern, said):
    shutil.copy(ANY / "wide_optional_task.csv", tmp_path / "w.csv")
    study = make_study({}, {"usability": {"path": "w.csv", "format": "wide-tasks",
                                          "wide_pattern": pattern}})
    with pytest.raises(StudyError, match=said) as err:
        load_study(study)
    assert "(?P<task>...) and (?P<measure>...)" in str(err.value)


def test_wide_pattern_fitting_only_without_task_names_the_headers(make_study, tmp_path):
    (tmp_path / "w.csv").write_text("participant,success,time\np1,1,30\n")
    study = make_study({}, {"usability": {"path": "w.csv", "format": "wide-tasks",
                                          "wide_pattern": OPTIONAL_TASK}})
    with pytest.raises(DataError, match="no header names a task") as err:
        load_study(study)
    assert "['success', 'time'] fit wide_pattern" in str(err.value)


# --- 2. multi_select_separator -------------------------------------------------------------

def test_multi_select_with_semicolons(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "multi_semicolon.csv",
                      multi_select=["Which channels do you use?"], multi_select_separator=";",
                      columns={"Respondent": "respondent",
                               "Which channels do you use? - Email": "uses_email",
                               "Which channels do you use? - Phone": "uses_phone",
                               "Which channels do you use? - Chat": "uses_chat"})
    got = frame[["uses_email", "uses_phone", "uses_chat"]].astype(float)
    assert got.iloc[[0, 1, 3]].values.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    assert got.iloc[2].isna().all()  # skipped question: blank, not "chose none"
    assert any("joined with ';' (multi_select_separator)" in n for n in led.notes)


def test_multi_select_default_separator_is_comma_space(make_study, tmp_path):
    (tmp_path / "m.csv").write_text('Respondent,Channels\nr1,"Email, Phone"\nr2,Email;Phone\n')
    study = load_study(make_study({}, {"survey": {
        "path": "m.csv", "multi_select": ["Channels"],
        "columns": {"Respondent": "respondent", "Channels - Email": "uses_email",
                    "Channels - Email;Phone": "uses_both"}}}))
    frame = study["survey"].astype({"uses_email": float, "uses_both": float})
    # ", " splits the first answer; "Email;Phone" is one option under the default separator
    assert frame["uses_email"].tolist() == [1.0, 0.0]
    assert frame["uses_both"].tolist() == [0.0, 1.0]


# --- 3. legacy Qualtrics ids as keys -------------------------------------------------------

def test_legacy_qualtrics_ids_map_columns_and_keys(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "qualtrics_legacy_ids.csv", format="qualtrics",
                      columns={"V1": "respondent", "Q1": "nps", "Q2": "csat"})
    assert frame["respondent"].tolist() == ["R_1", "R_2", "R_4"]
    assert frame["nps"].tolist() == [9, 6, 3] and frame.index.tolist() == [3, 4, 6]
    assert led.dropped[["row", "column", "reason"]].values.tolist() == [
        [5, "Status", "preview response"]]
    assert any("column id 'V1' of the legacy Qualtrics export is the column 'ResponseID'" in n
               for n in led.notes)
    # the texts still work, as before
    frame, _ = load(make_study, tmp_path, "qualtrics_legacy_ids.csv", format="qualtrics",
                    columns={"ResponseID": "respondent", "Q1": "nps"})
    assert frame["respondent"].tolist() == ["R_1", "R_2", "R_4"]


def test_legacy_qualtrics_unknown_id_still_names_the_headers(make_study, tmp_path):
    shutil.copy(ANY / "qualtrics_legacy_ids.csv", tmp_path / "q.csv")
    with pytest.raises(StudyError, match="column 'V9' is not in q.csv"):
        load_study(make_study({}, {"survey": {"path": "q.csv", "format": "qualtrics",
                                              "columns": {"V9": "respondent"}}}))


def test_legacy_ids_read_from_the_file_are_detected():
    table = read_table(ANY / "qualtrics_legacy_ids.csv")
    assert table.export == "qualtrics" and table.questions["V1"] == "ResponseID"


# --- 4. out_of_range: blank ------------------------------------------------------------------

SURVEY = ("id,NPS,CSAT\n"
          "a,9,4\n"
          "b,11,5\n"      # row 3: NPS out of range
          "c,7.5,3\n"     # row 4: NPS not a whole number
          "d,8,0\n"       # row 5: CSAT out of range
          "d,6,2\n"       # row 6: duplicate key
          ",12,1\n")      # row 7: missing key (and NPS out of range)


def survey(make_study, **options):
    return load_study(make_study({"s.csv": SURVEY}, {"survey": {
        "path": "s.csv", "columns": {"id": "respondent", "NPS": "nps", "CSAT": "csat"},
        **options}}))


def test_out_of_range_blank_keeps_the_row_and_records_the_cell(make_study):
    study = survey(make_study, out_of_range="blank")
    frame, led = study["survey"], study.ledger.sources["survey"]
    assert frame.index.tolist() == [2, 3, 4, 5]
    assert frame["nps"].tolist()[:2] == [9, pytest.approx(np.nan, nan_ok=True)]
    assert np.isnan(frame.loc[4, "nps"]) and np.isnan(frame.loc[5, "csat"])
    assert frame.loc[3, "csat"] == 5 and frame.loc[5, "nps"] == 8  # the rest of the row stays
    cells = led.repaired_cells[["row", "column", "value", "reason"]].values.tolist()
    assert cells == [[3, "NPS", 11, "out of range: blanked"],
                     [4, "NPS", 7.5, "not a whole number: blanked"],
                     [5, "CSAT", 0, "out of range: blanked"]]
    assert led.repairs == {"NPS: out of range: blanked": 1, "NPS: not a whole number: blanked": 1,
                           "CSAT: out of range: blanked": 1}
    assert led.repaired_rows == 3
    # keys are still dropped; a dropped row's bad cell stays with the row's problems
    assert sorted(led.reasons.items()) == [("duplicate key", 1), ("missing key", 1)]
    assert led.dropped[["row", "reason"]].values.tolist() == [
        [6, "duplicate key"], [7, "missing key"], [7, "out of range"]]
    assert (led.read, led.kept, led.n_dropped) == (6, 4, 2)
    doc = study.ledger.as_dict()["sources"]["survey"]
    assert doc["repaired_cells"][0] == {"row": 3, "column": "NPS", "value": 11,
                                        "reason": "out of range: blanked"}
    assert study.ledger.repaired_cells()["source"].tolist() == ["survey"] * 3
    json.dumps(study.ledger.as_dict(), default=str)


def test_out_of_range_drop_is_the_default(make_study):
    study = survey(make_study)
    led = study.ledger.sources["survey"]
    assert study["survey"].index.tolist() == [2]
    assert led.dropped.drop_duplicates("row")[["row", "column", "reason"]].values.tolist() == [
        [3, "NPS", "out of range"], [4, "NPS", "not a whole number"], [5, "CSAT", "out of range"],
        [6, "id", "duplicate key"], [7, "id", "missing key"]]
    assert len(led.repaired_cells) == 0 and led.repaired_rows == 0


def test_out_of_range_blank_on_a_wide_sheet_names_sheet_row_and_header(make_study, tmp_path):
    (tmp_path / "w.csv").write_text("participant,T1 success,T1 seq,T2 success,T2 seq\n"
                                    "p1,1,6,1,9\np2,0,3,1,5\n")
    study = load_study(make_study({}, {"usability": {"path": "w.csv", "format": "wide-tasks",
                                                     "out_of_range": "blank"}}))
    frame, led = study["usability"], study.ledger.sources["usability"]
    assert len(frame) == 4 and frame["success"].tolist() == [1, 1, 0, 1]
    assert frame["seq"].isna().tolist() == [False, True, False, False]
    assert led.repaired_cells[["row", "column", "value", "reason"]].values.tolist() == [
        [2, "T2 seq", 9, "out of range: blanked"]]
    assert led.repaired_rows == 1 and led.n_dropped == 0


# --- 5. the study's own items ------------------------------------------------------------------

ITEMS = {"trust": Item(range=(1, 5), side="cx", label="Trust"),
         "ease_search": Item(range=(1, 5), side="ux")}


def items_table():
    return pd.DataFrame({"id": ["a", "b", "c", "d"], "Trust": ["4", "6", "2.5", "x"],
                         "Search": [5, 7, 2, 1], "NPS": [9, 8, 7, 6]})


def test_declared_items_are_numbers_checked_against_their_range():
    config = SourceConfig(path="f.csv", columns={"id": "respondent", "Trust": "trust",
                                                 "Search": "ease_search", "NPS": "nps"})
    frame, led = validate(raw(items_table()), "survey", config, items=ITEMS)
    assert frame.index.tolist() == [2, 4]  # 3: Trust 6 (1 to 5), Search 7; 5: Trust 'x'
    assert frame["trust"].tolist() == [4.0, 2.5]  # a declared item takes any number in range
    assert frame["trust"].dtype == "float64"
    problems = led.dropped[["row", "column", "value", "reason", "expected"]].values.tolist()
    assert [3, "Trust", "6", "out of range", "a number from 1 to 5"] in problems
    assert [3, "Search", 7, "out of range", "a whole number from 1 to 5"] in problems
    assert [4, "Search", 2, "out of range", "a whole number from 1 to 5"] not in problems
    assert [5, "Trust", "x", "not a number", "a number from 1 to 5"] in problems
    assert frame.loc[2, "ease_search"] == 5  # ease_* on the declared 1-5, whole numbers kept


def test_declared_items_blank_and_source_ranges_win():
    config = SourceConfig(path="f.csv", out_of_range="blank", ranges={"trust": (0, 10)},
                          columns={"id": "respondent", "Trust": "trust", "Search": "ease_search",
                                   "NPS": "nps"})
    frame, led = validate(raw(items_table()), "survey", config, items=ITEMS)
    assert frame.index.tolist() == [2, 3, 4]  # 'x' is no number: still dropped
    assert frame["trust"].tolist() == [4, 6, 2.5]  # ranges: 0-10 wins over the item's 1-5
    assert led.repaired_cells[["row", "column", "reason"]].values.tolist() == [
        [3, "Search", "out of range: blanked"]]
    assert frame.loc[3, "nps"] == 8


def test_item_named_like_a_key_role_is_refused():
    config = SourceConfig(path="f.csv", columns={"id": "respondent", "NPS": "nps"})
    with pytest.raises(StudyError, match="measures.items.respondent: 'respondent' is the kit's role"):
        validate(raw(items_table()), "survey", config,
                 items={"respondent": Item(range=(1, 5), side="cx")})


# --- 6. personal-data detection never overrides an explicit analysis mapping --------------------

PHONES = ["+44 20 7946 0101", "+44 20 7946 0102", "+44 20 7946 0103", "+44 20 7946 0104",
          "+44 20 7946 0105", "+44 20 7946 0106"]


def test_mapped_analysis_column_is_analysed_unmapped_phone_column_withheld(make_study):
    app = "How satisfied are you with our mobile app?"
    text = f'id,"{app}",Mobile phone,How useful are our email updates?,Contact\n' + "".join(
        f"r{i},{i % 5 + 1},{PHONES[i]},{i % 7 + 1},person{i}@mail.example\n" for i in range(6))
    study = load_study(make_study({"s.csv": text}, {"survey": {"path": "s.csv", "columns": {
        "id": "respondent", app: "csat", "How useful are our email updates?": "ease_updates",
        "Contact": "contact"}}}))
    frame, led = study["survey"], study.ledger.sources["survey"]
    assert list(frame.columns) == ["respondent", "csat", "ease_updates"]
    assert frame["csat"].tolist() == [1, 2, 3, 4, 5, 1]
    note = next(n for n in led.notes if "withheld" in n)
    assert ("'Mobile phone' (phone numbers): header matches 'phone', content looks like phone "
            "numbers in 6 of 6 filled rows") in note
    assert "'Contact' (email addresses): content looks like email addresses in 6 of 6" in note
    assert app not in note and "email updates" not in note
    everything = json.dumps(study.ledger.as_dict(), default=str)
    assert not any(p in everything for p in PHONES) and "mail.example" not in everything
    assert "7946" not in everything


def test_personal_roles_and_the_personal_list_are_still_withheld(make_study):
    text = "id,E-mail,Why,Plan,Mobile phone rating\n" + "".join(
        f"r{i},r{i}@x.example,because of reason number {i} today,P{i % 2},{i % 5 + 1}\n"
        for i in range(6))
    study = load_study(make_study({"s.csv": text}, {"survey": {
        "path": "s.csv", "personal": ["plan"], "columns": {
            "id": "respondent", "E-mail": "email", "Why": "comment_why", "Plan": "plan",
            "Mobile phone rating": "csat"}}}))
    frame, led = study["survey"], study.ledger.sources["survey"]
    assert list(frame.columns) == ["respondent", "csat"]  # a csat is analysed, phone or not
    note = next(n for n in led.notes if "withheld" in n)
    assert "'E-mail' (email addresses): role 'email' is personal data" in note
    assert "'Why' (free text): role 'comment_why' is personal data" in note
    assert "'Plan': listed under sources.survey.personal" in note
    assert "Mobile phone rating" not in note
