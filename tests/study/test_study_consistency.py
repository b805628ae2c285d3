"""uxcx validate's checks of names that must refer to something (uxcx.study.consistency)."""

import copy
import shutil

import pytest
import yaml

from conftest import ROOT
from uxcx import StudyError, load_study
from uxcx.report.cli import main

SAMPLE = ROOT / "data" / "sample"
EXPORTS = ROOT / "tests" / "exports"
SURVEY = "id,NPS,Sat,Region,Band\nR1,9,4,North,a\nR2,3,2,South,b\n"


@pytest.fixture
def sample(tmp_path):
    """The sample study copied into tmp_path; returns (settings dict, writer -> study path)."""
    for csv in SAMPLE.glob("*.csv"):
        shutil.copy(csv, tmp_path / csv.name)
    doc = yaml.safe_load((SAMPLE / "study.yml").read_text(encoding="utf-8"))
    doc.pop("events", None)  # these tests are about the sources' names; the log is not copied

    def write(settings: dict):
        path = tmp_path / "study.yml"
        path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
        return path

    return copy.deepcopy(doc), write


def problems(path) -> list[str]:
    with pytest.raises(StudyError) as err:
        load_study(path)
    return err.value.messages


def only(path) -> str:
    (message,) = problems(path)
    return message


def survey(make_study, **settings):
    source = {"path": "s.csv", "columns": {"id": "respondent", "Sat": "csat", "Band": "band"}}
    extra = {k: settings.pop(k) for k in ("analysis", "measures") if k in settings}
    return make_study({"s.csv": SURVEY}, {"survey": {**source, **settings}}, **extra)


# --- what passes --------------------------------------------------------------------------

def test_sample_study_passes(sample):
    doc, write = sample
    study = load_study(write(doc))
    assert sorted(study.frames) == ["customers", "questionnaire", "survey", "usability"]


def test_measures_with_valid_names_pass(sample):
    doc, write = sample
    doc["measures"] = {
        "ux": ["sus", "umux_lite", "ux_index", "ease", "success_rate", "time_s", "errors_per_task",
               "clicks_per_task", "seq_mean", "reported_success"],
        "cx": ["nps", "csat", "ces", "loyalty", "promoter"],
        "ux_index": ["umux_lite_1", "umux_lite_2", "ease_search"],
        "loyalty_index": ["loyalty_continue", "loyalty_choose_again"],
        "design": "design",
        "drivers": {"outcome": "nps", "candidates": ["ease_search", "ease_checkout", "ease_returns"]},
        "mediation": {"x": "ux_index", "mediator": "csat", "outcome": "loyalty"},
        "labels": {"sus": "SUS score", "nps_group": "NPS group", "churned": "Left", "tenure": "Months"},
        "currency": "EUR"}
    load_study(write(doc))


def test_declared_items_and_own_categories_pass(make_study):
    path = survey(make_study, columns={"id": "respondent", "Sat": "trust", "Band": "band",
                                       "Region": "region"},
                  analysis={"segments": ["region"]},
                  measures={"items": {"trust": {"range": [1, 5], "side": "cx"}},
                            "cx": ["trust", "nps", "promoter"], "labels": {"trust": "Trust"}})
    frame = load_study(path)["survey"]
    assert {"trust", "band", "region", "nps"} <= set(frame.columns)


@pytest.mark.parametrize("name", ["region", "plan", "band", "sex", "age_band", "ips", "umux"])
def test_names_not_close_to_a_role_stay_categories(make_study, name):
    path = survey(make_study, columns={"id": "respondent", "Band": name})
    assert name in load_study(path)["survey"].columns


def test_a_name_close_to_a_role_is_fine_when_listed_as_a_segment(make_study):
    path = survey(make_study, columns={"id": "respondent", "Band": "nsp_band", "Region": "nsp"},
                  analysis={"segments": ["nsp"]})
    assert "nsp" in load_study(path)["survey"].columns


def test_sources_that_make_their_roles_while_loading_pass(make_study, tmp_path):
    for name in ("wide_tasks.csv", "platform_generic.csv", "sus_noheader_labels.csv", "google_forms.csv"):
        shutil.copy(EXPORTS / name, tmp_path / name)
    path = make_study({}, {
        "usability": {"path": "wide_tasks.csv", "format": "wide-tasks",
                      "values": {"success": {"yes": 1, "no": 0}}, "ranges": {"errors": [0, 50]}},
        "questionnaire": {"path": "sus_noheader_labels.csv", "sus_by_position": True,
                          "labels": {"sus_*": "agreement"}, "reverse": []},
        "survey": {"path": "google_forms.csv", "multi_select": ["Which devices do you use?"],
                   "labels": {"ease_*": "ease"},
                   "columns": {"How easy was it to find the pricing page?": "ease_find",
                               "Which devices do you use? - Laptop": "uses_laptop"}}},
        analysis={"segments": ["design", "uses_laptop"]},
        measures={"ux": ["sus", "success_rate", "time_s", "ease"]})
    study = load_study(path)
    assert "sus_10" in study["questionnaire"] and "success" in study["usability"]
    platform = make_study({}, {"usability": {"path": "platform_generic.csv", "format": "testing-platform",
                                             "ranges": {"clicks": [0, 100]}}},
                          measures={"ux": ["success_rate", "clicks_per_task"]})
    assert "clicks" in load_study(platform)["usability"]


# --- roles mistyped under columns: ---------------------------------------------------------

def test_mistyped_role_has_did_you_mean(sample):
    doc, write = sample
    doc["sources"]["usability"]["columns"]["Success"] = "sucess"
    # values: success is not reported again: the typo is the one problem
    assert only(write(doc)) == (
        "sources.usability.columns: 'Success' is mapped to 'sucess', which is no role; did you mean "
        "'success'? Roles are listed in data/README.md; a column of your own is kept as a category: "
        "list it under analysis.segments, or declare a rated item under measures.items")


@pytest.mark.parametrize(("typo", "meant"), [
    ("nsp", "'nps'"), ("sus1", "'sus_1'"), ("umux_lite1", "'umux_lite_1'"),
    ("sus_11", "'sus_1' or 'sus_10'"),
    ("csta", "'csat'"), ("time_sec", "'time_s'"), ("time", "'time_s'"), ("custmer", "'customer'"),
    ("loyality_continue", "'loyalty_continue'"), ("eas_search", "'ease_search'")])
def test_typical_typos_of_roles(make_study, typo, meant):
    path = survey(make_study, columns={"id": "respondent", "Sat": typo})
    assert f"'Sat' is mapped to {typo!r}, which is no role; did you mean {meant}?" in only(path)


# --- per-source keys naming roles the source does not map -----------------------------------

def test_value_map_for_a_role_no_column_maps(sample):
    doc, write = sample
    doc["sources"]["survey"]["values"] = {"reported_succes": {"Yes": 1, "No": 0}}
    message = only(write(doc))
    assert message.startswith(
        "sources.survey.values: no column is mapped to role 'reported_succes' in survey; did you "
        "mean 'reported_success'? The roles survey maps are: respondent, customer, date, device, region, ")
    assert message.endswith("Map a column to it under sources.survey.columns, or remove the entry")


@pytest.mark.parametrize(("key", "entry", "meant"), [
    ("labels", {"nsp": "likelihood-11"}, "nps"),
    ("reverse", ["csta"], "csat"),
    ("ranges", {"csta": [1, 7]}, "csat"),
    ("personal", ["bnad"], "band"),
    ("include_personal", ["coment"], "comment"),
])
def test_keys_naming_a_role_the_source_lacks(make_study, key, entry, meant):
    columns = {"id": "respondent", "Sat": "csat", "Band": "band", "NPS": "nps"}
    if key == "include_personal":
        columns["Region"] = "comment"
    path = survey(make_study, columns=columns, **{key: entry})
    name = next(iter(entry))
    assert only(path).startswith(
        f"sources.survey.{key}: no column is mapped to role {name!r} in survey; did you mean "
        f"{meant!r}? The roles survey maps are: respondent, ")


def test_entry_naming_a_role_of_another_source(sample):
    doc, write = sample
    doc["sources"]["survey"]["reverse"] = ["sus_2"]
    assert only(write(doc)).startswith(
        "sources.survey.reverse: no column is mapped to role 'sus_2' in survey; it names roles of "
        "questionnaire: put it under sources.questionnaire.reverse.")


def test_patterns_mistyped_or_in_the_wrong_source(sample):
    doc, write = sample
    doc["sources"]["survey"]["labels"] = {"loyality_*": "agreement"}
    doc["sources"]["usability"]["labels"] = {"loyalty_*": "agreement"}
    first, second = problems(write(doc))
    assert first.startswith("sources.usability.labels: pattern 'loyalty_*' matches no role in "
                            "usability; it names roles of survey: put it under sources.survey.labels.")
    assert second.startswith("sources.survey.labels: pattern 'loyality_*' matches no role in survey; "
                             "did you mean 'loyalty_*'?")


def test_a_family_pattern_matching_nothing_is_a_general_rule(make_study):
    path = survey(make_study, labels={"ease_*": "ease", "loyalty_*": "agreement"})
    load_study(path)


def test_patterns_where_only_names_are_read(make_study):
    path = survey(make_study, columns={"id": "respondent", "Sat": "item_a", "Band": "item_b"},
                  ranges={"item_*": [1, 7]})
    assert only(path) == ("sources.survey.ranges: 'item_*' is a pattern, and patterns are read only "
                          "under values, labels and reverse; name each role here (survey has "
                          "item_a, item_b)")


def test_personal_may_name_a_role_a_header_supplied(make_study):
    path = make_study({"s.csv": "id,Email,Notes\nR1,a@b.org,x\n"},
                      {"survey": {"path": "s.csv", "columns": {"id": "respondent"},
                                  "personal": ["email", "notes"]}}, analysis={"segments": ["notes"]})
    # Email and Notes are taken by their names and withheld; notes then is no usable segment
    assert only(path).startswith("analysis.segments: 'notes' is a column of no source.")


# --- analysis.segments ----------------------------------------------------------------------

def test_segment_no_source_has(sample):
    doc, write = sample
    doc["analysis"]["segments"] = ["design", "regoin", "plan"]
    assert only(write(doc)) == (
        "analysis.segments: 'regoin' is a column of no source; did you mean 'region'? Columns that "
        "can be segments: usability: design, device; survey: device, region; customers: plan, region. "
        "Map a column to 'regoin' under sources.<source>.columns, or remove it from analysis.segments")


def test_segment_withheld_as_personal_data(make_study):
    path = survey(make_study, columns={"id": "respondent", "Region": "region"}, personal=["region"],
                  analysis={"segments": ["region"]})
    assert only(path) == ("analysis.segments: 'region' is withheld from survey as personal data; "
                          "list it under sources.survey.include_personal to break results down by "
                          "it, or remove it from analysis.segments")


# --- measures: -----------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "value", "where", "name", "meant"), [
    ("ux", ["sus", "umuxlite"], "measures.ux", "umuxlite", "umux_lite"),
    ("cx", ["nsp"], "measures.cx", "nsp", "nps"),
    ("ux_index", ["ease_serch"], "measures.ux_index", "ease_serch", "ease_search"),
    ("loyalty_index", ["loyalty_contine"], "measures.loyalty_index", "loyalty_contine", "loyalty_continue"),
    ("design", "desing", "measures.design", "desing", "design"),
    ("drivers", {"outcome": "nps", "candidates": ["ease_search", "ease_chekout"]},
     "measures.drivers.candidates", "ease_chekout", "ease_checkout"),
    ("drivers", {"outcome": "csta", "candidates": ["ease_search", "ease_checkout"]},
     "measures.drivers.outcome", "csta", "csat"),
    ("mediation", {"x": "sus", "mediator": "cast", "outcome": "loyalty"},
     "measures.mediation.mediator", "cast", "csat"),
    ("labels", {"promotor": "Promoters"}, "measures.labels.promotor", "promotor", "promoter"),
])
def test_measures_names_must_exist(sample, key, value, where, name, meant):
    doc, write = sample
    doc["measures"] = {key: value}
    message = only(write(doc))
    assert message.startswith(f"{where}: {name!r} is no role of any source, no item of measures.items "
                              f"and no score the kit computes; did you mean {meant!r}? The sources "
                              f"have: usability: participant, customer, design, ")
    assert "questionnaire: participant, sus_1..sus_10, umux_lite_1, umux_lite_2;" in message
    assert message.endswith("The kit computes here: sus, umux_lite, ease, loyalty, ux_index, promoter, "
                            "nps_group, success_rate, time_s, errors_per_task, clicks_per_task, "
                            "seq_mean, churned, tenure")


def test_derived_score_without_its_items(make_study):
    path = survey(make_study, measures={"ux": ["sus", "ease"], "cx": ["nps", "promoter"]})
    assert problems(path) == [
        "measures.ux: 'sus' is a score the kit computes from sus_1..sus_10 (all ten in one source), "
        "which no source has. Map those columns under sources.<source>.columns, or remove 'sus' here",
        "measures.ux: 'ease' is a score the kit computes from an ease_* item, which no source has. "
        "Map those columns under sources.<source>.columns, or remove 'ease' here"]


@pytest.mark.parametrize(("item", "message"), [
    ("Trust", "measures.items.Trust: an item's name must be a lower-case name of letters, digits and _ "
              "starting with a letter (such as trust or item_trust), like the roles it is mapped to "
              "under sources.<source>.columns; got 'Trust'"),
    ("nps", "measures.items.nps: 'nps' is a built-in role (likelihood to recommend, 0 to 10; a whole "
            "number from 0 to 10); its range and meaning are the kit's. Remove it from measures.items, "
            "or give your item a name of its own (such as item_nps)"),
    ("loyalty", "measures.items.loyalty: 'loyalty' is the name of a score the kit computes (from a "
                "loyalty_* item); give your item a name of its own (such as item_loyalty)"),
    ("trust", "measures.items.trust: no source has a column mapped to 'trust'; map one under "
              "sources.<source>.columns, or remove the item"),
])
def test_item_names(make_study, item, message):
    path = survey(make_study, columns={"id": "respondent", "Sat": "item_sat", "NPS": "nps",
                                       "Band": item.lower()},
                  measures={"items": {item: {"range": [1, 5], "side": "cx"}}})
    if item == "trust":
        path = survey(make_study, measures={"items": {"trust": {"range": [1, 5], "side": "cx"}}})
    assert message in problems(path)


# --- every problem at once, and the command line ---------------------------------------------

def test_all_problems_of_the_file_in_one_error(sample):
    doc, write = sample
    doc["sources"]["usability"]["columns"]["SEQ"] = "sqe"
    doc["sources"]["usability"]["columns"]["Nope"] = "participant"  # a header the file lacks
    doc["sources"]["survey"]["ranges"] = {"cast": [1, 7]}
    doc["analysis"]["segments"] = ["design", "plna"]
    doc["measures"] = {"cx": ["nps", "loyality"]}
    messages = problems(write(doc))
    assert len(messages) == 3  # segments and measures wait until usability's mapping is right
    assert messages[0].startswith("sources.usability.columns: column 'Nope' is not in usability.csv")
    assert "'SEQ' is mapped to 'sqe', which is no role; did you mean 'seq'?" in messages[1]
    assert messages[2].startswith("sources.survey.ranges: no column is mapped to role 'cast' in survey; "
                                  "did you mean 'csat'?")
    del doc["sources"]["usability"]["columns"]["Nope"]
    messages = problems(write(doc))
    assert len(messages) == 4
    assert messages[2].startswith("analysis.segments: 'plna' is a column of no source; did you mean 'plan'?")
    assert messages[3].startswith("measures.cx: 'loyality' is no role of any source, no item of "
                                  "measures.items and no score the kit computes; did you mean 'loyalty'?")


def test_validate_command_exits_1_with_the_message_and_no_traceback(sample, capsys):
    doc, write = sample
    doc["sources"]["survey"]["columns"]["Likelihood to recommend"] = "nsp"
    assert main(["validate", str(write(doc))]) == 1
    err = capsys.readouterr().err
    assert "Study file" in err and "1 problem" in err
    assert ("sources.survey.columns: 'Likelihood to recommend' is mapped to 'nsp', which is no role; "
            "did you mean 'nps'?") in err
    assert "Traceback" not in err


def test_validate_command_passes_the_sample(sample, capsys):
    doc, write = sample
    assert main(["validate", str(write(doc))]) == 0
    assert "Study 'sample'" in capsys.readouterr().out
