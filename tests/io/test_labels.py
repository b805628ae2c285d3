"""Label scales (uxcx.io.labels): built-in maps, reversal, custom maps, missing answers, unknown labels."""

import pytest

from uxcx import load_study
from uxcx.errors import DataError, StudyError
from uxcx.io.labels import MISSING_LABELS, SCALES, label_map, normal_label, scale_map
from uxcx.study.study_file import SourceConfig

# Every built-in scale, written as a survey tool shows it (mixed case, extra spaces), with the
# value it must read as. Anchors: Likert (1932) agreement; Qualtrics' default wordings for the
# "Somewhat" points; 0-10 likelihood to recommend as Reichheld (2003) asks it.
CASES = {
    "agreement": [("Strongly Disagree", 1), ("disagree", 2), ("Somewhat disagree", 2),
                  ("Neither agree nor disagree", 3), ("NEUTRAL", 3), ("Agree", 4),
                  ("Somewhat  agree", 4), (" Strongly agree ", 5)],
    "agreement-7": [("Strongly disagree", 1), ("Disagree", 2), ("Somewhat disagree", 3),
                    ("Neutral", 4), ("Neither agree nor disagree", 4), ("Somewhat agree", 5),
                    ("Agree", 6), ("Strongly agree", 7)],
    "likelihood": [("Very unlikely", 1), ("Unlikely", 2), ("Neutral", 3), ("Likely", 4),
                   ("Very likely", 5)],
    "likelihood-11": [("0 - Not at all likely", 0), ("3", 3), ("10 - Extremely likely", 10),
                      ("Extremely likely", 10)],
    "satisfaction": [("Very dissatisfied", 1), ("Dissatisfied", 2),
                     ("Neither satisfied nor dissatisfied", 3), ("Satisfied", 4),
                     ("Very satisfied", 5)],
    "satisfaction-7": [("Extremely dissatisfied", 1), ("Slightly dissatisfied", 3),
                       ("Neutral", 4), ("Moderately satisfied", 6), ("Extremely satisfied", 7)],
    "ease": [("Very difficult", 1), ("Difficult", 2), ("Neither easy nor difficult", 3),
             ("Easy", 4), ("Very easy", 5)],
    "ease-7": [("Very difficult", 1), ("Somewhat difficult", 3), ("Neutral", 4),
               ("Somewhat easy", 5), ("Easy", 6), ("Very easy", 7)],
    "frequency": [("Never", 1), ("Rarely", 2), ("Sometimes", 3), ("Often", 4), ("Always", 5)],
    # recodings of choice positions: the NPS question exported as 1-11, scales coded from 0
    "positions-11": [("1", 0), ("6", 5), ("11", 10)],
    "zero-based-5": [("0", 1), ("2", 3), ("4", 5)],
    "zero-based-7": [("0", 1), ("3", 4), ("6", 7)],
}


def test_every_built_in_scale_is_tested():
    assert set(CASES) == set(SCALES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_built_in_scale_reads_its_labels(name):
    values = scale_map(name)
    for label, expected in CASES[name]:
        assert values[normal_label(label)] == expected, label
    for missing in ("N/A", "Don't know", "Don’t know", "Prefer not to say"):
        assert values[normal_label(missing)] is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_reversed_scale_mirrors_every_value(name):
    forward, backward = scale_map(name), scale_map(name, reverse=True)
    low, high = min(SCALES[name].values()), max(SCALES[name].values())
    for label, value in SCALES[name].items():
        assert backward[label] == low + high - value == low + high - forward[label]


def _study(make_study, csv, **source):
    return load_study(make_study({"s.csv": csv}, {"survey": {"path": "s.csv", **source}}))


def test_labels_load_case_and_space_insensitive_with_missing_counted(make_study):
    csv = ("respondent,csat,ease_checkout\nr1,VERY  satisfied,Very easy\nr2,N/A,Don't know\n"
           "r3,Dissatisfied,\nr4,Don’t know,Difficult\n")
    s = _study(make_study, csv, labels={"csat": "satisfaction", "ease_*": "ease-7"})
    assert s["survey"]["csat"].tolist()[0] == 5 and s["survey"]["csat"].isna().sum() == 2
    assert s["survey"]["ease_checkout"].tolist()[3] == 2
    led = s.ledger.sources["survey"]
    assert (led.read, led.kept, led.n_dropped) == (4, 4, 0)  # missing answers are no drop
    assert any("'csat': 2 answer(s)" in n for n in led.notes)
    assert any("'ease_checkout': 2 answer(s)" in n for n in led.notes)
    assert led.repairs["csat: labels mapped to missing (e.g. N/A)"] == 1  # the curly Don’t know


def test_reverse_option_reverses_a_scale_written_the_other_way(make_study):
    csv = "respondent,sus_1,sus_2\nr1,Strongly agree,Strongly agree\nr2,Disagree,Disagree\n"
    s = _study(make_study, csv, labels={"sus_*": "agreement"}, reverse=["sus_2"])
    assert s["survey"]["sus_1"].tolist() == [5, 2]
    assert s["survey"]["sus_2"].tolist() == [1, 4]


def test_custom_map_in_the_study_file_and_its_reversal(make_study):
    csv = "respondent,csat\nr1,Love it\nr2,  hate IT\nr3,Meh\nr4,Skip\n"
    own = {"Hate it": 1, "Meh": 2, "Love it": 3, "Skip": None}
    s = _study(make_study, csv, labels={"csat": own})
    assert s["survey"]["csat"].tolist()[:3] == [3, 1, 2] and s["survey"]["csat"].isna().iloc[3]
    r = _study(make_study, csv, labels={"csat": own}, reverse=["csat"])
    assert r["survey"]["csat"].tolist()[:3] == [1, 3, 2]


def test_values_map_adds_to_a_built_in_scale():
    c = SourceConfig(path="x.csv", labels={"nps": "likelihood-11"}, values={"nps": {"Maybe": 5}})
    assert label_map(c, "nps")["maybe"] == 5 and label_map(c, "nps")["10 - extremely likely"] == 10


def test_unknown_labels_are_one_error_listing_every_label_with_the_yaml(make_study):
    csv = "respondent,sus_1,sus_2\nr1,Agree,Kinda\nr2,Totally,Disagree\nr3,Agree,Kinda\n"
    with pytest.raises(DataError) as err:
        _study(make_study, csv, labels={"sus_*": "agreement"})
    (problem,) = err.value.problems
    assert problem.row == 2 and problem.column == "sus_1, sus_2"
    assert problem.value == ["Totally", "Kinda"]
    for line in ('"sus_*":', '"Agree": 4', '"Kinda": null', '"Totally": null', '"Disagree": 2'):
        assert line in problem.hint
    assert "s.csv" in str(err.value)


def test_unknown_labels_hint_names_a_built_in_scale_that_covers_them(make_study):
    csv = "respondent,csat\nr1,Never\nr2,Always\n"
    with pytest.raises(DataError, match="frequency"):
        _study(make_study, csv, labels={"csat": "satisfaction"})


def test_seven_point_labels_under_a_five_point_scale_are_refused(make_study):
    csv = "respondent,item_a\nr1,Agree\nr2,Somewhat agree\n"
    with pytest.raises(StudyError, match="agreement-7"):
        _study(make_study, csv, labels={"item_a": "agreement"})


def test_unknown_scale_name_is_a_study_error(make_study):
    with pytest.raises(StudyError, match="unknown label scale"):
        _study(make_study, "respondent,csat\nr1,1\n", labels={"csat": "agree"})


def test_numbers_pass_through_a_labelled_column(make_study):
    s = _study(make_study, "respondent,nps\nr1,10 - Extremely likely\nr2,7\n",
               labels={"nps": "likelihood-11"})
    assert s["survey"]["nps"].tolist() == [10, 7]


def test_missing_labels_are_all_lower_case_and_normal():
    assert all(normal_label(m) == m for m in MISSING_LABELS)
