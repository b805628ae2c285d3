"""Joining at the right level: per-participant aggregation and accounted joins (uxcx.link.measures)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from uxcx.errors import UxcxError
from uxcx.link.measures import join_measures, participant_measures, per_key, respondent_measures
from uxcx.study.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample(sample_study):
    return sample_study


def test_task_rows_are_aggregated_per_participant_before_joining():
    u = pd.DataFrame({"participant": ["P1"] * 3 + ["P2"] * 2, "task": list("abcab"),
                      "design": ["A"] * 3 + ["B"] * 2, "success": [1, 0.5, 0, 1, 1],
                      "time_s": [10.0, 100.0, 1000.0, 20.0, 80.0], "errors": [0, 1, 2, 0, 0]})
    q = pd.DataFrame({"participant": ["P2", "P3"], "umux_lite_1": [7, 1], "umux_lite_2": [7, 1]})
    out = participant_measures(u, q, partial_success=0)
    assert out.loc["P1", "tasks"] == 3 and out.loc["P1", "success_rate"] == pytest.approx(1 / 3)
    assert out.loc["P1", "time_s"] == pytest.approx(100.0)  # geometric mean of 10, 100, 1000
    assert out.loc["P2", "time_s"] == pytest.approx(40.0)
    assert out.loc["P1", "errors_per_task"] == pytest.approx(1.0)
    assert out.loc["P2", "design"] == "B"
    # P3 answered the questionnaire but did no task: kept, with missing task measures
    assert out.loc["P3", "umux_lite"] == pytest.approx(0.0) and np.isnan(out.loc["P3", "success_rate"])
    assert out.loc["P2", "umux_lite"] == pytest.approx(100.0) and np.isnan(out.loc["P1", "umux_lite"])


def test_partial_success_counts_as_the_study_says():
    u = pd.DataFrame({"participant": ["P1", "P1"], "success": [0.5, 1.0]})
    rates = [participant_measures(u, partial_success=p).loc["P1", "success_rate"] for p in (0, 0.5, 1)]
    assert rates == [0.5, 0.75, 1.0]


def test_join_records_matched_and_unmatched_keys_in_the_ledger():
    ledger = Ledger()
    people = pd.DataFrame({"customer": ["C1", "C2", "C3", None], "sus": [90, 70, 50, 60]})
    survey = pd.DataFrame({"customer": ["C1", "C3", "C9"], "nps": [10, 2, 5]})
    out = join_measures(people, survey, on="customer", names=("participants", "survey"), ledger=ledger)
    assert out["nps"].iloc[[0, 2]].tolist() == [10, 2] and out["nps"].isna().sum() == 2
    assert out.index.equals(people.index)
    link = ledger.link_table(joins=True).iloc[0]
    assert (link.left_keys, link.left_matched, link.left_unmatched) == (3, 2, 1)
    assert (link.right_keys, link.right_matched, link.right_unmatched) == (3, 2, 1)
    inner = join_measures(people, survey, on="customer", how="inner")
    assert inner["sus"].tolist() == [90, 50]
    assert "joins" in ledger.as_dict() and "participants -> survey" in ledger.as_dict()["joins"]


def test_a_repeated_key_on_the_right_is_an_error_not_a_multiplication():
    with pytest.raises(UxcxError, match="aggregate it to one row per customer"):
        join_measures(pd.DataFrame({"customer": ["C1"]}), pd.DataFrame({"customer": ["C1", "C1"]}),
                      on="customer", names=("people", "survey"))
    twice = per_key(pd.DataFrame({"customer": ["C1", "C1"], "nps": [10, 6]}), on="customer")
    assert twice.loc["C1", "nps"] == 8 and twice.loc["C1", "responses"] == 2


def test_respondent_measures_need_every_item_of_an_index():
    s = pd.DataFrame({"loyalty_a": [5, 4, np.nan], "loyalty_b": [3, 4, 2], "nps": [9, np.nan, 6]})
    out = respondent_measures(s)
    assert out["loyalty"].tolist()[:2] == [4.0, 4.0] and np.isnan(out["loyalty"].iloc[2])
    assert out["promoter"].tolist()[0] == 1 and np.isnan(out["promoter"].iloc[1])
    assert "loyalty" not in s  # the caller's frame is untouched


def test_sample_study_joins_participants_to_their_survey_answers(sample):
    people = participant_measures(sample["usability"], sample["questionnaire"])
    assert len(people) == 60 and people["tasks"].sum() == len(sample["usability"])
    answers = per_key(respondent_measures(sample["survey"]), on="customer")
    joined = join_measures(people, answers, on="customer", names=("participants", "survey"),
                           ledger=sample.ledger)
    matched = joined["nps"].notna().sum()
    link = sample.ledger.link_table(joins=True).iloc[0]
    assert link.left_matched == matched and link.left_keys == 60
    # experienced usability drives both sides in the sample: SUS and NPS go together
    both = joined[["sus", "nps"]].dropna()
    assert np.corrcoef(both["sus"], both["nps"])[0, 1] > 0.3
