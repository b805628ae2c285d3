"""Notebook 02's page (``uxcx.report.page_customer_experience.CustomerExperience``), outside a kernel.

On the sample study every section runs, keeps the tables the notebook saves and gives the numbers
the kit's functions give; the parameters choose the segment, trend period and test direction; on
surveys cut down to a few columns each section without its inputs is left out with the reason,
and a study without a survey is refused with an error naming what it needs.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import uxcx
from conftest import ROOT, cut_sample
from uxcx.errors import SmallSampleWarning, StudyError
from uxcx.report.page_customer_experience import CustomerExperience

SAMPLE = ROOT / "data" / "sample" / "study.yml"
SECTIONS = ("nps", "rated_items", "satisfaction", "targets", "segments", "loyalty", "over_time")
OPTIONS = dict(confidence_level=0.95)  # the sample's analysis.confidence_level


def _page(study, out_dir="", order=SECTIONS, **params) -> CustomerExperience:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sample's planted data and small-sample warnings
        page = CustomerExperience(study, str(out_dir), **params)
        page.sections._display = False  # no HTML outside a kernel
        for name in order:
            getattr(page, name)()
    return page


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> CustomerExperience:
    return _page(SAMPLE, tmp_path_factory.mktemp("02_customer_experience"))


# --- the sample study: every section -----------------------------------------------------------

def test_every_section_runs_on_the_sample_and_keeps_its_tables(sample):
    assert sample.sections.skipped == {}
    assert set(sample.results) == {"nps", "csat_top2", "csat_mean", "ces_mean", "targets", "nps_by_segment",
                                   "loyalty_reliability", "nps_trend"}
    assert sample.by_segment == ["device", "region"]  # of analysis.segments, those the survey holds
    assert sample.describe() == f"{len(sample.survey):,} respondents; segments: device, region"


def test_the_sections_give_the_kits_numbers(sample):
    survey = sample.study["survey"]
    pd.testing.assert_frame_equal(sample.results["nps"], uxcx.nps(survey, **OPTIONS))
    pd.testing.assert_frame_equal(sample.results["csat_top2"], uxcx.top_box(survey, score="csat", **OPTIONS))
    pd.testing.assert_frame_equal(sample.results["ces_mean"], uxcx.mean_score(survey, score="ces", **OPTIONS))
    against = uxcx.target_tests(survey, {"nps": 0.0, "csat": 4.0}, alternative="greater", **OPTIONS)
    pd.testing.assert_frame_equal(sample.results["targets"], against)
    segments = pd.concat([uxcx.compare_nps(survey, by=name, p_adjust="holm", **OPTIONS)
                          for name in ("device", "region")], ignore_index=True)
    pd.testing.assert_frame_equal(sample.results["nps_by_segment"], segments)
    items = ["loyalty_continue", "loyalty_choose_again"]  # measures.loyalty_index of the sample
    pd.testing.assert_frame_equal(sample.results["loyalty_reliability"],
                                  uxcx.reliability(survey, items=items, **OPTIONS))
    pd.testing.assert_frame_equal(sample.results["nps_trend"],
                                  uxcx.trend(survey, measure="nps", period="quarter", **OPTIONS))


def test_findings_in_section_order(sample):
    notes = sample.notes
    assert notes[0].startswith("NPS +3.8 (95% CI +1.1 to +6.5")
    assert notes[1].startswith("Satisfied customers (CSAT 4 or 5 of 5): 65%")
    assert notes[2].startswith("Customer effort: mean 4.93")
    assert any(n.startswith("The loyalty index") for n in notes)


def test_finish_saves_the_results_findings_and_skipped_sections(sample):
    sample.finish()
    saved = json.loads((Path(sample.out_dir) / "02_customer_experience.json").read_text(encoding="utf-8"))
    assert saved["findings"] == sample.notes
    assert set(saved["results"]) == {*sample.results, "skipped_sections"}
    assert saved["results"]["skipped_sections"] == {}


def test_parameters_choose_the_segment_period_and_alternative(sample):
    page = _page(SAMPLE, order=("segments", "targets", "over_time"), segment="region", period="month",
                 alternative="two-sided")
    survey = page.survey
    assert page.by_segment == ["region"]
    pd.testing.assert_frame_equal(page.results["nps_by_segment"],
                                  uxcx.compare_nps(survey, by="region", p_adjust="holm", **OPTIONS))
    months = page.results["nps_trend"]
    assert len(months) > len(sample.results["nps_trend"])  # months, not quarters
    with pytest.warns(SmallSampleWarning, match="fewer than 30 respondents"):  # the first months
        direct = uxcx.trend(survey, measure="nps", period="month", **OPTIONS)
    pd.testing.assert_frame_equal(months, direct)
    assert (page.results["targets"]["alternative"] == "two-sided").all()


# --- cut-down studies --------------------------------------------------------------------------

def test_a_survey_of_nps_answers_alone_says_why_each_other_section_is_left_out(tmp_path):
    page = _page(cut_sample(tmp_path, {"survey": ["Response ID", "Likelihood to recommend"]}))
    assert page.by_segment == [] and "segments: none in this survey" in page.describe()
    assert page.sections.skipped == {
        "Rated items": "the survey has no rated items besides NPS",
        "Satisfaction and effort": "the survey has no csat or ces values",
        "Against the study's targets": "the study states no target for nps "
                                       "(measures.targets in the study file)",
        "Segments": "the survey holds none of analysis.segments with two or more values",
        "Loyalty index": "the survey has fewer than two loyalty items "
                         "(loyalty_* roles or measures.loyalty_index)",
        "Over time": "the survey has no date column to place answers in time"}
    assert set(page.results) == {"nps"}
    assert len(page.notes) == 1 and page.notes[0].startswith("NPS +3.8")  # the same answers as the sample


def test_a_dated_survey_without_nps_tracks_csat_and_tests_its_target(tmp_path):
    headers = ["Response ID", "Submitted", "Region", "Satisfaction", "Loyalty: continue",
               "Loyalty: choose again"]
    page = _page(cut_sample(tmp_path, {"survey": headers}, segments=["region"], targets={"csat": 4.0}))
    assert page.sections.skipped == {"Net Promoter Score": "the survey source has no nps values",
                                     "Segments": "the survey source has no nps values"}
    # the CSAT trend is drawn, not kept; the loyalty items are found by their loyalty_* roles
    assert set(page.results) == {"csat_top2", "csat_mean", "targets", "loyalty_reliability"}
    assert list(page.results["targets"]["measure"]) == ["csat"]


def test_a_study_without_a_survey_is_refused_with_what_it_needs(tmp_path):
    study = cut_sample(tmp_path, {"questionnaire": None})
    with pytest.raises(StudyError, match="needs a CX outcome in a survey source") as err:
        _page(study, order=())
    assert "questionnaire (59 rows" in str(err.value)
