"""Survey and testing-tool exports (uxcx.io.exports, uxcx.io.wide) on hand-made files in each
tool's shape (tests/exports/), and on the real exports in ../shared/realdata (read in place)."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from uxcx import load_study
from uxcx.errors import DataError
from uxcx.io.exports import detect_export, parse_timestamps, split_choices
from uxcx.io.tables import read_table

EXPORTS = __import__("pathlib").Path(__file__).parents[1] / "exports"


def load(make_study, tmp_path, name, source="survey", **config):
    shutil.copy(EXPORTS / name, tmp_path / name)
    study = load_study(make_study({}, {source: {"path": name, **config}}))
    return study[source], study.ledger.sources[source]


def dropped(ledger):
    return ledger.dropped[["row", "column", "reason"]].values.tolist()


# --- Qualtrics -------------------------------------------------------------------------

QUALTRICS = {"ResponseId": "respondent", "Q1": "nps", "Q2": "csat", "Q3_1": "loyalty_easy",
             "Q3_2": "loyalty_found"}
QUALTRICS_LABELS = {"nps": "likelihood-11", "csat": "satisfaction", "loyalty_*": "agreement"}


@pytest.mark.parametrize("name", ["qualtrics_3row.csv", "qualtrics.xlsx"])
def test_qualtrics_three_header_rows_previews_and_unfinished(make_study, tmp_path, name):
    frame, led = load(make_study, tmp_path, name, columns=QUALTRICS, labels=QUALTRICS_LABELS)
    # 6 responses below 3 header rows (rows 4-9): row 5 Status "Survey Preview", row 7
    # DistributionChannel "preview", row 8 Finished False (see the fixture).
    assert (led.read, led.kept, led.n_dropped) == (6, 3, 3)
    assert dropped(led) == [[5, "Status", "preview response"],
                            [7, "DistributionChannel", "preview response"],
                            [8, "Finished", "unfinished response"]]
    assert led.reasons == {"preview response": 2, "unfinished response": 1}
    assert frame.index.tolist() == [4, 6, 9]
    assert frame["respondent"].tolist() == ["R_a1", "R_a3", "R_a6"]
    assert frame["nps"].tolist() == [10, 7, 8]  # "10 - Extremely likely" is 10
    assert frame["csat"].tolist() == [5, 2, 1]  # Very satisfied, Somewhat dissatisfied, Very diss.
    assert frame["loyalty_found"].isna().tolist() == [False, False, True]  # N/A


def test_qualtrics_unfinished_kept_numeric_recodes_and_test_responses(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "qualtrics_numeric.csv", unfinished="keep",
                      columns={"ResponseId": "respondent", "Q1": "nps", "Q2": "csat"})
    # numeric export: Status 1 = Survey Preview, 2 = Survey Test; Finished 0 kept by option
    assert (led.read, led.kept) == (5, 3)
    assert dropped(led) == [[5, "Status", "preview response"], [6, "Status", "test response"]]
    assert frame.index.tolist() == [4, 7, 8] and frame["nps"].tolist() == [10, 7, 3]
    assert any("kept 1 unfinished response(s)" in n and "rows 7" in n for n in led.notes)


def test_qualtrics_legacy_two_rows_with_bom(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "qualtrics_legacy_2row_bom.csv", format="qualtrics",
                      columns={"ResponseID": "respondent", "Q1": "ease_task"}, labels={"ease_*": "ease"})
    assert (led.read, led.kept) == (4, 2)
    assert dropped(led) == [[4, "Status", "preview response"], [5, "Finished", "unfinished response"]]
    assert frame["ease_task"].tolist() == [5, 3] and frame.index.tolist() == [3, 6]
    assert any("byte-order mark" in n for n in led.notes)


def test_qualtrics_headers_matched_by_question_text(make_study, tmp_path):
    columns = {"response id": "respondent",
               "How likely are you to recommend us to a friend?": "nps",
               "  HOW satisfied are you   with the checkout? ": "csat"}  # case, spaces
    frame, led = load(make_study, tmp_path, "qualtrics_3row.csv", match="text", columns=columns,
                      labels=QUALTRICS_LABELS)
    assert frame["csat"].tolist() == [5, 2, 1] and led.kept == 3


def test_qualtrics_is_detected_and_keeps_the_question_texts(tmp_path):
    table = read_table(EXPORTS / "qualtrics_3row.csv")
    assert table.export == "qualtrics" and table.rows.tolist() == list(range(4, 10))
    assert table.questions["Q2"] == "How satisfied are you with the checkout?"
    legacy = read_table(EXPORTS / "qualtrics_legacy_2row_bom.csv")
    assert legacy.export == "qualtrics" and "ResponseID" in legacy.frame.columns


# --- SurveyMonkey ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["surveymonkey.csv", "surveymonkey.xlsx"])
def test_surveymonkey_two_header_rows_and_multi_option_columns(make_study, tmp_path, name):
    frame, led = load(make_study, tmp_path, name, columns={
        "Respondent ID": "respondent", "How satisfied are you with our product?": "csat",
        "Which features do you use? - Dashboards": "uses_dashboards",
        "which features do you use? - other (please specify)": "other_feature"},
        labels={"csat": "satisfaction"})
    assert (led.read, led.kept, led.n_dropped) == (4, 4, 0)
    assert frame.index.tolist() == [3, 4, 5, 6]  # two header rows
    assert frame["csat"].tolist() == [5, 2, 3, 4]
    assert frame["uses_dashboards"].tolist()[:2] == ["Dashboards", "Dashboards"]
    assert frame["other_feature"].tolist()[1] == "Alerts"
    assert read_table(EXPORTS / name).export == "surveymonkey"


# --- Google Forms ------------------------------------------------------------------------

def test_google_forms_line_breaks_checkboxes_and_timestamps(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "google_forms.csv", multi_select=["Which devices do you use?"],
                      columns={"Timestamp": "date", "How easy was it to find the pricing page?": "ease_find",
                               "How often do you visit?": "item_visits",
                               "Which devices do you use? - Laptop": "uses_laptop",
                               "Which devices do you use? - Tablet": "uses_tablet"},
                      labels={"ease_*": "ease", "item_visits": "frequency"})
    assert (led.read, led.kept) == (4, 4)
    assert frame["ease_find"].tolist() == [5, 2, 3, 4]
    assert frame["item_visits"].tolist() == [4, 3, 2, 5]
    assert frame["uses_laptop"].tolist()[:3] == ["1", "1", "1"] and pd.isna(frame["uses_laptop"].iloc[3])
    assert frame["uses_tablet"].tolist()[:3] == ["0", "0", "1"]
    assert frame["date"].tolist()[2] == pd.Timestamp("2025-11-23 09:05:00")
    assert frame["respondent"].tolist()[0] == "row 2"


@pytest.mark.parametrize(("name", "header", "first"), [
    ("google_forms_gmt.csv", "Timestamp", "2025-11-20 13:05:09"),
    ("google_forms_dmy.csv", "Marca temporal", "2025-11-20 10:11:34")])
def test_google_forms_timestamp_formats(name, header, first):
    table = read_table(EXPORTS / name)
    assert table.export == "google-forms"
    assert table.frame[header].iloc[0] == pd.Timestamp(first)


def test_parse_timestamps_prefers_month_first_unless_a_day_settles_it():
    us, note = parse_timestamps(pd.Series(["03/04/2025 10:00:00"]))
    assert us.dt.month.tolist() == [3] and "%m/%d/%Y" in note
    eu, _ = parse_timestamps(pd.Series(["03/04/2025 10:00:00", "13/04/2025 10:00:00"]))
    assert eu.dt.month.tolist() == [4, 4]


def test_split_choices_matches_given_options_containing_the_separator():
    out = split_choices(pd.Series(["Yes, often, Never", "Never", ""]), options=["Yes, often"])
    assert out.columns.tolist() == ["Yes, often", "Never"]
    assert out.iloc[:2].values.tolist() == [[1.0, 1.0], [0.0, 1.0]]
    assert out.iloc[2].isna().all()


# --- SUS by position ----------------------------------------------------------------------

SUS_ROWS = [[4, 2, 4, 2, 4, 2, 4, 2, 4, 2], [5, 1, 5, 1, 5, 1, 5, 1, 5, 1],
            [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], [4, 1, 5, 2, 4, 2, 5, 1, 4, 2]]  # the fixtures' answers
SUS = [f"sus_{i}" for i in range(1, 11)]


@pytest.mark.parametrize(("name", "config", "rows"), [
    ("sus_noheader.csv", {}, [1, 2, 3, 4]),
    ("sus_noheader_labels.csv", {"labels": {"sus_*": "agreement"}}, [1, 2]),
    ("google_forms_sus_labels.csv", {"labels": {"sus_*": "agreement"}}, [2, 3, 4, 5]),
    ("sus_german_headers.csv", {"columns": {"Teilnehmer": "participant", "Gerät": "device"}}, [2, 3, 4, 5]),
])
def test_sus_by_position(make_study, tmp_path, name, config, rows):
    frame, led = load(make_study, tmp_path, name, "questionnaire", sus_by_position=True, **config)
    assert frame.index.tolist() == rows and led.kept == len(rows)
    assert frame[SUS].to_numpy().tolist() == SUS_ROWS[:len(rows)]


def test_sus_by_position_from_a_named_first_item(make_study, tmp_path):
    first = "Ich denke, dass ich das System gerne häufig benutzen würde."
    for spec in (first, 3):
        frame, _ = load(make_study, tmp_path, "sus_german_headers.csv", "questionnaire",
                        sus_by_position=spec, columns={"Teilnehmer": "participant"})
        assert frame[SUS].to_numpy().tolist() == SUS_ROWS


def test_sus_by_position_needs_ten_items(make_study, tmp_path):
    with pytest.raises(DataError, match="found 9 SUS item columns") as err:
        load(make_study, tmp_path, "sus_nine_items.csv", "questionnaire", sus_by_position=True)
    assert "sus_nine_items.csv" in str(err.value) and "item 9" in str(err.value)


# --- wide task sheets and the testing-platform format --------------------------------------

@pytest.mark.parametrize("name", ["wide_tasks.csv", "wide_tasks.xlsx"])
def test_wide_task_sheet_to_long_rows_pointing_at_the_sheet(make_study, tmp_path, name):
    frame, led = load(make_study, tmp_path, name, "usability", format="wide-tasks")
    # 4 participants x 3 tasks = 12, less p3's blank T2 = 11 task rows, plus blank sheet row 5.
    assert (led.read, led.kept, led.n_dropped) == (12, 10, 2)
    assert dropped(led) == [[3, "Task 3 - time", "not a duration"], [5, None, "blank row"]]
    assert led.dropped["value"].tolist()[0] == "abc"
    assert frame.index.tolist() == [2, 2, 2, 3, 3, 4, 4, 6, 6, 6]
    assert frame["task"].tolist() == ["T1", "T2", "Task 3", "T1", "T2", "T1", "Task 3", "T1", "T2", "Task 3"]
    assert frame["time_s"].tolist()[1] == 70  # "1:10"
    assert frame["success"].tolist()[-3:] == [1, 0, 1]  # yes / no
    assert frame.loc[frame["task"] == "Task 3", "errors"].tolist() == [0, 1, 0]


def test_wide_pattern_option(make_study):
    csv = "who,login ok,login secs,search ok,search secs\np1,1,20,0,50\n"
    study = make_study({"w.csv": csv}, {"usability": {
        "path": "w.csv", "format": "wide-tasks", "columns": {"who": "participant", "ok": "success",
                                                             "secs": "time_s"},
        "wide_pattern": r"(?P<task>login|search) (?P<measure>ok|secs)"}})
    frame = load_study(study)["usability"]
    assert frame[["task", "success", "time_s"]].values.tolist() == [["login", 1, 20], ["search", 0, 50]]


def test_wide_sheet_without_task_columns_is_an_error(make_study):
    study = make_study({"w.csv": "participant,score\np1,3\n"},
                       {"usability": {"path": "w.csv", "format": "wide-tasks"}})
    with pytest.raises(DataError, match="no header names a task"):
        load_study(study)


def test_generic_testing_platform_format(make_study, tmp_path):
    frame, led = load(make_study, tmp_path, "platform_generic.csv", "usability", format="testing-platform")
    assert (led.read, led.kept) == (6, 6)
    assert frame["success"].tolist() == [1, 1, 0, 0, 0.5, 0]
    assert frame["abandoned"].tolist() == [0, 0, 1, 0, 0, 1]
    assert frame["errors"].tolist()[:3] == [0, 3, 5]  # misclicks
    assert frame["time_s"].tolist()[0] == 12.5


def test_testing_platform_unknown_outcomes_listed_with_the_map(make_study, tmp_path):
    with pytest.raises(DataError) as err:
        load(make_study, tmp_path, "platform_unknown_outcome.csv", "usability", format="testing-platform")
    (problem,) = err.value.problems
    assert problem.row == 5 and problem.value == ["Timed out", "Crashed"]
    assert '"Crashed": null' in problem.hint


def test_plain_tables_are_not_taken_for_exports():
    assert detect_export(pd.DataFrame({"id": ["1"], "nps": ["9"]})) is None
    assert read_table(EXPORTS / "wide_tasks.csv").export is None


def test_enough_fixture_files():
    assert len(list(EXPORTS.iterdir())) >= 15


# --- the real exports in ../shared/realdata (never copied) ---------------------------------

def test_real_qualtrics_export(realdata, make_study):
    path = next((realdata / "survey_exports" / "qualtrics").glob("*.csv"))
    s = load_study(make_study({}, {"survey": {"path": str(path), "columns": {
        "ResponseId": "respondent", "num_tabs_1": "item_tabs", "gender": "gender"}}}))
    led = s.ledger.sources["survey"]
    # SOURCES.md: 25 responses below 3 header rows; 2 "Survey Preview" rows, 1 Finished False.
    raw = pd.read_csv(path, skiprows=[1, 2])
    assert (led.read, led.kept, led.n_dropped) == (25, 22, 3) == (len(raw), 22, 3)
    assert dropped(led) == [[6, "Status", "preview response"], [7, "Status", "preview response"],
                            [28, "Finished", "unfinished response"]]
    preview = raw.index[raw["Status"].eq("Survey Preview")] + 4  # data starts on row 4
    assert preview.tolist() == [6, 7]
    assert s["survey"]["respondent"].iloc[-1] == raw["ResponseId"].iloc[-2]
    assert s["survey"]["item_tabs"].sum() == raw.loc[raw["Finished"] & raw["Status"].ne("Survey Preview"),
                                                     "num_tabs_1"].sum()


def test_real_google_forms_sus_by_position_with_label_text(realdata, make_study):
    path = realdata / "sus" / "kastle-drawbridge_SUS-Drawbridge-Responses.csv"
    s = load_study(make_study({}, {"questionnaire": {
        "path": str(path), "sus_by_position": True, "labels": {"sus_*": "agreement"}}}))
    q, led = s["questionnaire"], s.ledger.sources["questionnaire"]
    assert (led.read, led.kept, led.n_dropped) == (10, 10, 0)
    items = q[SUS].to_numpy(float)  # Brooke (1996), written out here
    score = ((items[:, ::2] - 1).sum(1) + (5 - items[:, 1::2]).sum(1)) * 2.5
    # The repository publishes a study SUS of 68.75, median 70 (SOURCES.md).
    assert score.mean() == pytest.approx(68.75) and np.median(score) == pytest.approx(70)


def test_real_semicolon_sus_by_position(realdata, make_study):
    path = realdata / "sus" / "jpfolador_susEvaluation_usability-db-en.csv"
    s = load_study(make_study({}, {"questionnaire": {
        "path": str(path), "sus_by_position": 5, "columns": {"evaluator": "participant"}}}))
    led = s.ledger.sources["questionnaire"]
    raw = pd.read_csv(path, sep=";")
    ok = raw.iloc[:, 4:14].isin(range(1, 6)).all(axis=1)
    assert led.read == 36 and led.kept == int(ok.sum()) and led.n_dropped == int((~ok).sum())
    assert (s["questionnaire"][SUS].to_numpy() == raw.loc[ok].iloc[:, 4:14].to_numpy()).all()


def test_real_heritrace_tasks_as_a_testing_platform_export(realdata, make_study):
    path = realdata / "usability_tasks" / "heritrace" / "aggregated" / "task_metrics.json"
    s = load_study(make_study({}, {"usability": {
        "path": str(path), "format": "testing-platform", "columns": {"user_type": "user_type"},
        "values": {"success": {"success_timeout": 0, "failed_misunderstanding": 0, "failed_bug": 0}}}}))
    u, led = s["usability"], s.ledger.sources["usability"]
    assert (led.read, led.kept, led.n_dropped) == (56, 56, 0)  # 9 x 4 end-user + 10 x 2 technician tasks
    data = json.loads(path.read_text())
    title = {r["task_key"]: r["task_name"] for r in data["rows"]}
    rates = u.groupby("task")["success"].mean() * 100
    # the authors' success rates per task: partial counts 0.5, success_timeout as a failure
    published = {title[t["task_key"]]: t["success_rate"] for rows in data["success_rates"].values()
                 for t in rows}
    assert rates.to_dict() == pytest.approx(published)
