"""Loading whole studies from messy files: every case ends in a clear error or a recorded repair."""

import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uxcx import DataError, StudyError, UxcxError, load_study

SURVEY = {"path": "s.csv", "columns": {"ID": "respondent", "NPS": "nps", "Sat": "csat",
                                       "Cust": "customer"}}


def reconciles(study):
    for s in study.ledger.sources.values():
        assert s.read == s.kept + s.n_dropped
        assert sum(s.reasons.values()) == s.n_dropped
        assert len(study.frames[s.source]) == s.kept


def test_messy_cp1252_semicolon_file_with_blank_rows(make_study):
    text = ("ID;NPS;Sat;Cust;Comment\r\n"
            "R1;9;5;C1;Très bien\r\n"
            "R2;11;4;C2;\r\n"        # row 3: NPS out of range
            "\r\n"                    # row 4: blank
            "R3;seven;3;C3;\r\n"      # row 5: text in a numeric column
            "R1;8;4;C1;dupe\r\n"      # row 6: duplicate respondent
            ";7;3;C4;\r\n"            # row 7: missing key
            "R4;10;2;00C5;Zoë €\r\n")  # row 8: fine
    study = make_study({"s.csv": text.encode("cp1252")},
                       {"survey": {**SURVEY, "personal": ["comment"],
                                   "columns": {**SURVEY["columns"], "Comment": "comment"}}})
    s = load_study(study)
    reconciles(s)
    led = s.ledger.sources["survey"]
    assert led.read == 7 and led.kept == 2
    assert dict(zip(led.dropped["row"], led.dropped["reason"])) == {
        3: "out of range", 4: "blank row", 5: "not a number", 6: "duplicate key", 7: "missing key"}
    assert s["survey"]["customer"].tolist() == ["C1", "00C5"]
    assert "comment" not in s["survey"].columns
    assert any("cp1252" in note for note in led.notes)


def test_stop_mode_reports_every_problem_of_every_file_at_once(make_study):
    study = make_study(
        {"s.csv": "ID,NPS\nR1,11\nR2,x\n", "q.csv": "participant,sus_1\nP1,6\n"},
        {"survey": {"path": "s.csv", "columns": {"ID": "respondent", "NPS": "nps"}},
         "questionnaire": {"path": "q.csv"}}, on_invalid="stop")
    with pytest.raises(DataError) as err:
        load_study(study)
    problems = err.value.problems
    assert [(p.row, p.column, p.value, p.reason) for p in problems] == [
        (2, "NPS", "11", "out of range"), (3, "NPS", "x", "not a number"),
        (2, "sus_1", 6, "out of range")]
    assert all(p.file.endswith(".csv") and p.hint for p in problems)
    assert "3 problems in" in str(err.value)


def test_on_invalid_argument_overrides_the_study(make_study):
    study = make_study({"s.csv": "ID,NPS\nR1,11\nR2,3\n"},
                       {"survey": {"path": "s.csv", "columns": {"ID": "respondent", "NPS": "nps"}}})
    assert len(load_study(study)["survey"]) == 1
    with pytest.raises(DataError):
        load_study(study, on_invalid="stop")


def test_mapping_problems_of_all_sources_reported_together(make_study):
    study = make_study(
        {"s.csv": "ID,NPS\nR1,1\n", "c.csv": "Account,Since\nC1,2024-01-01\n"},
        {"survey": {"path": "s.csv", "columns": {"Id": "respondent", "Recommend": "nps"}},
         "customers": {"path": "c.csv", "columns": {"Account": "customer", "Start": "start"}}})
    with pytest.raises(StudyError) as err:
        load_study(study)
    text = str(err.value)
    assert "column 'Recommend' is not in s.csv" in text
    assert "column 'Start' is not in c.csv" in text
    assert "'Account', 'Since'" in text
    assert "Id" not in [m.split("'")[1] for m in err.value.messages if "is not in" in m]


def test_xlsx_named_sheet_and_excel_dates(make_study, tmp_path):
    frame = pd.DataFrame({"Account": ["C1", "C2"], "Since": [45658, "2025-02-01"],
                          "Left": [None, "2025-06-30"], "MRR": ["$1,200.00", 30]})
    with pd.ExcelWriter(tmp_path / "crm.xlsx") as xl:
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="Notes", index=False)
        frame.to_excel(xl, sheet_name="Customers", index=False)
    study = make_study({}, {"customers": {"path": "crm.xlsx", "sheet": "Customers", "columns": {
        "Account": "customer", "Since": "start", "Left": "end", "MRR": "revenue"}}})
    s = load_study(study)
    reconciles(s)
    c = s["customers"]
    assert c["start"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    assert c["revenue"].tolist() == [1200.0, 30.0]
    assert c.index.tolist() == [2, 3]
    repairs = s.ledger.sources["customers"].repairs
    assert repairs["Since: Excel serial numbers read as dates"] == 1
    assert repairs["MRR: currency signs or thousands separators removed"] == 1


def test_parquet_and_json_sources(make_study, tmp_path):
    pd.DataFrame({"participant": ["P1", "P2"], "task": ["t", "t"], "success": [1, 0],
                  "time_s": [12.5, 30.0]}).to_parquet(tmp_path / "u.parquet")
    pd.DataFrame({"participant": ["P1", "P2"], "sus_1": [5, 9]}).to_json(
        tmp_path / "q.json", orient="records")
    s = load_study(make_study({}, {"usability": {"path": "u.parquet"},
                                   "questionnaire": {"path": "q.json"}}))
    reconciles(s)
    assert s["usability"]["time_s"].tolist() == [12.5, 30.0]
    assert s.ledger.sources["questionnaire"].dropped[["row", "reason"]].values.tolist() == [
        [2, "out of range"]]


def test_links_count_matched_and_unmatched_keys(make_study):
    study = make_study(
        {"s.csv": "ID,Cust\nR1,C1\nR2,C2\nR3,C9\nR4,\n", "c.csv": "customer\nC1\nC2\nC3\n"},
        {"survey": {"path": "s.csv", "columns": {"ID": "respondent", "Cust": "customer"}},
         "customers": {"path": "c.csv"}},
        links=[["survey.customer", "customers.customer"]])
    link = load_study(study).ledger.links[0].as_dict()
    assert (link["left_keys"], link["left_matched"], link["left_unmatched"]) == (3, 2, 1)
    assert (link["right_keys"], link["right_unmatched"]) == (3, 1)


def test_an_unreadable_file_is_a_data_error(make_study):
    study = make_study({"s.csv": b""}, {"survey": {"path": "s.csv"}})
    with pytest.raises(DataError, match="s.csv"):
        load_study(study)


# --- property: anything in, a reconciled ledger or the kit's own error out -----------------

cells = st.one_of(st.none(), st.integers(-5, 15), st.floats(allow_nan=True, allow_infinity=True),
                  st.sampled_from(["", " ", "yes", "No", "N/A", "1:23", "x", "10", "0", "P1"]),
                  st.text(string.printable, max_size=6))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.tuples(cells, cells, cells, cells), min_size=0, max_size=12))
def test_random_tables_load_or_fail_cleanly(tmp_path_factory, table):
    folder = tmp_path_factory.mktemp("h")
    frame = pd.DataFrame(table, columns=["participant", "task", "success", "time_s"])
    frame.to_csv(folder / "u.csv", index=False)
    (folder / "study.yml").write_text("name: h\nsources:\n  usability:\n    path: u.csv\n")
    try:
        study = load_study(folder / "study.yml")
    except UxcxError:
        return
    reconciles(study)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_random_bytes_load_or_fail_cleanly(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("b")
    (folder / "s.csv").write_bytes(b"respondent,nps\n" + data)
    (folder / "study.yml").write_text("name: b\nsources:\n  survey:\n    path: s.csv\n")
    try:
        study = load_study(folder / "study.yml")
    except UxcxError:
        return
    reconciles(study)


def test_large_survey_loads_fast_enough_to_be_useful(make_study, rng):
    n = 200_000
    frame = pd.DataFrame({"ID": np.arange(n).astype(str), "NPS": rng.integers(0, 11, n),
                          "Sat": rng.integers(1, 6, n), "Cust": "C1"})
    frame.loc[::1000, "NPS"] = 12
    path = make_study({}, {"survey": SURVEY})
    frame.to_csv(path.parent / "s.csv", index=False)
    s = load_study(path)
    reconciles(s)
    assert s.ledger.sources["survey"].n_dropped == 200


def test_straight_lining_and_missing_tasks_are_flagged_not_dropped(make_study):
    sus = ",".join(f"sus_{i}" for i in range(1, 11))
    study = make_study({
        "q.csv": f"participant,{sus}\nP1,{','.join(['3'] * 10)}\nP2,4,1,5,2,5,1,4,2,3,1\n",
        "u.csv": "participant,task,success\nP1,a,1\nP1,b,0\nP2,a,1\n"},
        {"questionnaire": {"path": "q.csv"}, "usability": {"path": "u.csv"}})
    s = load_study(study)
    reconciles(s)
    assert len(s["questionnaire"]) == 2 and len(s["usability"]) == 3
    q, u = s.ledger.sources["questionnaire"], s.ledger.sources["usability"]
    assert "rows 2" in q.flags["straight-lining"]
    assert "P2 (b)" in u.flags["missing tasks"]
    assert s.ledger.as_dict()["sources"]["usability"]["flags"] == u.flags


def test_nps_labels_read_through_the_value_map_and_unmapped_labels_listed(make_study):
    labels = {"10 - Extremely likely": 10, "0 - Not at all likely": 0, "Don't know": None}
    labels.update({str(i): i for i in range(1, 10)})
    text = ("ID,LTR\nR1,10 - Extremely likely\nR2,7\nR3,0 - Not at all likely\nR4,Don't know\n"
            "R5,Ten\nR6,Maybe\n")
    s = load_study(make_study({"s.csv": text}, {"survey": {
        "path": "s.csv", "columns": {"ID": "respondent", "LTR": "nps"}, "values": {"nps": labels}}}))
    reconciles(s)
    assert s["survey"]["nps"].tolist()[:3] == [10, 7, 0] and pd.isna(s["survey"]["nps"].iloc[3])
    led = s.ledger.sources["survey"]
    assert led.repairs == {"LTR: labels mapped to missing (e.g. N/A)": 1}
    assert set(led.dropped["reason"]) == {"label not in the value map"}
    assert "'Maybe', 'Ten'" in led.dropped["hint"].iloc[0]
