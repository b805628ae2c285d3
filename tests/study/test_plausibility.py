"""Values that read fine but look wrong get a hint naming the setting that fixes them (issue 15)."""

import numpy as np
import pandas as pd
import pytest

from uxcx import load_study
from uxcx.study.coerce import NOT_A_POSITION, coerce
from uxcx.study.plausible import END_BEFORE_START
from uxcx.study.reading_options import Reading
from uxcx.study.schema import role


def _survey(make_study, nps, **source):
    rows = "".join(f"R{i},{v}\n" for i, v in enumerate(nps, 1))
    study = load_study(make_study({"s.csv": "respondent,nps\n" + rows},
                                  {"survey": {"path": "s.csv", **source}}))
    return study, study.ledger.sources["survey"]


def test_nps_as_choice_positions_is_named_before_its_top_answers_are_dropped(make_study):
    study, led = _survey(make_study, [11, 11, 10, 9, 11, 8, 6, 11, 3, 1])
    hint = next(n for n in led.notes if "choice positions" in n)
    assert "set labels: {nps: positions-11} under sources.survey" in hint
    assert led.reasons == {"out of range": 4}  # the hint explains the drops
    fixed, led = _survey(make_study, [11, 11, 10, 9, 11, 8, 6, 11, 3, 1], labels={"nps": "positions-11"})
    assert fixed["survey"]["nps"].tolist() == [10, 10, 9, 8, 10, 7, 5, 10, 2, 0]
    assert not any("choice positions" in n for n in led.notes)


def test_one_stray_eleven_is_a_typo_not_a_coding(make_study):
    _, led = _survey(make_study, [3, 5, 9, 10, 8, 11, 7, 9, 10, 6])
    assert not any("choice positions" in n for n in led.notes)
    _, led = _survey(make_study, [0, 11, 11, 10, 11, 8, 9, 11, 7, 6])  # a 0: the scale is 0-10
    assert not any("choice positions" in n for n in led.notes)


def test_a_position_scale_refuses_numbers_outside_its_positions():
    got = coerce(pd.Series([1, 11, 0]), role("nps"), {str(i + 1): i for i in range(11)})
    assert got.values.tolist()[:2] == [0, 10]
    assert got.bad.tolist() == [False, False, True] and got.reason == NOT_A_POSITION


def test_sus_coded_from_zero_is_named_once_for_all_items(make_study):
    rng = np.random.default_rng(1)
    answers = rng.integers(0, 5, size=(8, 10))
    header = "participant," + ",".join(f"sus_{i}" for i in range(1, 11))
    body = "".join(f"P{p}," + ",".join(map(str, row)) + "\n" for p, row in enumerate(answers, 1))
    study = load_study(make_study({"q.csv": header + "\n" + body}, {"questionnaire": {"path": "q.csv"}}))
    notes = [n for n in study.ledger.sources["questionnaire"].notes if "coded from 0" in n]
    assert len(notes) == 1 and 'labels: {"sus_*": zero-based-5}' in notes[0]
    fixed = load_study(make_study({"q.csv": header + "\n" + body},
                                  {"questionnaire": {"path": "q.csv", "labels": {"sus_*": "zero-based-5"}}}))
    assert (fixed["questionnaire"]["sus_3"].to_numpy() == answers[:, 2] + 1).all()


def test_labels_in_a_number_column_name_the_built_in_scale(make_study):
    _, led = _survey(make_study, ["10 - Extremely likely", "9", "0 - Not at all likely", "7",
                                  "10 - Extremely likely"])
    hint = next(n for n in led.notes if "labels of the built-in scale" in n)
    assert "likelihood-11" in hint and "set labels: {nps: likelihood-11}" in hint


@pytest.mark.parametrize("times, unit", [([45200, 61000, 38050, 52000, 70500], "ms"),
                                         ([1.5, 2.25, 0.75, 1.1, 3.2], "min")])
def test_time_units_are_suggested(make_study, times, unit):
    rows = "".join(f"P{i},Search,{t}\n" for i, t in enumerate(times, 1))
    study = load_study(make_study({"u.csv": "participant,task,time_s\n" + rows},
                                  {"usability": {"path": "u.csv"}}))
    assert any(f"set units: {{time_s: {unit}}}" in n for n in study.ledger.sources["usability"].notes)
    stated = load_study(make_study({"u.csv": "participant,task,time_s\n" + rows},
                                   {"usability": {"path": "u.csv", "units": {"time_s": unit}}}))
    factor = {"ms": 0.001, "min": 60}[unit]
    assert stated["usability"]["time_s"].tolist() == pytest.approx([t * factor for t in times])
    assert not any("set units" in n for n in stated.ledger.sources["usability"].notes)


def test_units_apply_to_bare_numbers_only():
    got = coerce(pd.Series(["90", "1:30", "2 min"], dtype=object), role("time_s"),
                 reading=Reading(units="min"))
    assert got.values.tolist() == [5400, 90, 120]  # 1:30 and "2 min" say their own unit


def test_three_decimals_in_a_number_column_read_as_numbers_get_a_hint(make_study):
    rows = "".join(f"C{i},2024-01-01,{v}\n" for i, v in enumerate([1.234, 2.5, 12.75, 3.125, 7.5], 1))
    study = load_study(make_study({"c.csv": "customer,start,tenure\n" + rows},
                                  {"customers": {"path": "c.csv"}}))
    assert any("set decimal: ','" in n for n in study.ledger.sources["customers"].notes)


def test_a_churn_before_the_start_drops_that_customer_only(make_study):
    study = load_study(make_study(
        {"c.csv": "customer,start,end\nC1,2024-01-05,2024-06-01\nC2,2024-03-01,2024-02-01\n"
                  "C3,2024-02-01,\nC4,2024-05-01,2024-04-30\n"},
        {"customers": {"path": "c.csv"}}))
    led = study.ledger.sources["customers"]
    assert led.reasons == {END_BEFORE_START: 2}
    assert led.dropped["row"].tolist() == [3, 5] and str(led.dropped["value"].tolist()[0]) == "2024-02-01"
    assert "2024-03-01" in led.dropped["expected"].iloc[0]
    assert study["customers"].index.tolist() == [2, 4]
    from uxcx.retention.data import survival_data  # the retention page's first step now runs

    assert len(survival_data(study["customers"], observed_until="2024-12-31")) == 2
