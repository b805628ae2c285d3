"""Notebook 01's page (``uxcx.report.page_usability.Usability``), outside a kernel.

On the sample study every section runs, keeps the tables the notebook saves and gives the numbers
the kit's functions give; on studies cut down to one source, or to task rows without times or
designs, each section without its inputs is left out with the reason, and the others still run.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import uxcx
from conftest import ROOT, cut_sample
from uxcx.report.page_usability import Usability

SAMPLE = ROOT / "data" / "sample" / "study.yml"
SECTIONS = ("completion", "task_time", "counts", "sus", "sus_benchmark", "short_scales", "compare_designs",
            "single_metric")
OPTIONS = dict(confidence_level=0.95)  # the sample's analysis.confidence_level


def _page(study, out_dir="", order=SECTIONS, **params) -> Usability:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the sample's planted data and small-sample warnings
        page = Usability(study, str(out_dir), **params)
        page.sections._display = False  # no HTML outside a kernel
        for name in order:
            getattr(page, name)()
    return page


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Usability:
    return _page(SAMPLE, tmp_path_factory.mktemp("01_usability"))


# --- the sample study: every section -----------------------------------------------------------

def test_every_section_runs_on_the_sample_and_keeps_its_tables(sample):
    assert sample.sections.skipped == {}
    assert set(sample.results) == {"completion", "completion_by_task", "time_by_task", "sus", "sus_benchmark",
                                   "sus_median", "umux_lite", "completion_difference", "time_ratio", "sum"}
    assert sample.design == "design"  # measures.design of the sample
    assert sample.by_task == ["task", "design"] and sample.sus_by == "design"
    assert "designs compared by 'design'" in sample.describe()
    assert "partial success counts as 0.5" in sample.describe()


def test_the_sections_give_the_kits_numbers(sample):
    s = sample.study
    u, q = s["usability"], sample.questionnaire
    by_task = uxcx.completion_rate(u, by=["task", "design"], partial=0.5, **OPTIONS)
    pd.testing.assert_frame_equal(sample.results["completion_by_task"], by_task)
    assert sample.rates is sample.results["completion_by_task"]
    pd.testing.assert_frame_equal(sample.results["time_by_task"],
                                  uxcx.task_time(u, by=["task", "design"], **OPTIONS))
    pd.testing.assert_frame_equal(sample.results["sus"],
                                  uxcx.sus(q, by="design", norms=["sauro-lewis", "bangor"], **OPTIONS))
    bench = sample.results["sus_benchmark"]
    assert (bench["benchmark"] == 68).all() and (bench["alternative"] == "greater").all()
    pd.testing.assert_frame_equal(bench, uxcx.mean_benchmark(q, score="sus", benchmark=68, by="design",
                                                             alternative="greater", **OPTIONS))
    crossed = u[u["task"].isin(uxcx.study.plan.crossed_tasks(u, "design"))]
    diff = uxcx.compare_completion(crossed, by="design", task="task", partial=0.5, p_adjust="holm", **OPTIONS)
    pd.testing.assert_frame_equal(sample.results["completion_difference"], diff)
    summed = uxcx.sum_score(u, by=["design", "task"], errors="errors", satisfaction="seq", partial=0.5,
                            seed=20261123, **OPTIONS)
    pd.testing.assert_frame_equal(sample.results["sum"], summed)


def test_findings_in_section_order(sample):
    notes = sample.notes
    assert notes[0].startswith("Task completion across all tasks:")
    assert any(n.startswith("Attempts abandoned, Current:") for n in notes)
    assert any("SUS" in n for n in notes) and any("UMUX-Lite" in n for n in notes)
    assert any(n.startswith("Ease after each task (SEQ)") for n in notes)
    first = {k: next(i for i, n in enumerate(notes) if key(n)) for k, key in (
        ("completion", lambda n: n.startswith("Task completion")),
        ("abandoned", lambda n: n.startswith("Attempts abandoned")),
        ("seq", lambda n: n.startswith("Ease after each task")))}
    assert first["completion"] < first["abandoned"] < first["seq"]


def test_finish_saves_the_results_findings_and_skipped_sections(sample):
    sample.finish()
    saved = json.loads((Path(sample.out_dir) / "01_usability.json").read_text(encoding="utf-8"))
    assert saved["findings"] == sample.notes
    assert set(saved["results"]) >= {*sample.results, "skipped_sections"}
    assert saved["results"]["skipped_sections"] == {}


def test_the_design_comparison_words_against_rates_it_computes_when_completion_has_not_run(sample):
    alone = _page(SAMPLE, order=("compare_designs",))
    assert alone.rates is not None
    pd.testing.assert_frame_equal(alone.rates, sample.results["completion_by_task"])
    assert "completion_by_task" not in alone.results  # the completion section did not run
    compared = [n for n in sample.notes if n in alone.notes]
    assert compared == alone.notes and alone.notes


def test_parameters_choose_the_design_reference_and_alternative():
    page = _page(SAMPLE, order=("compare_designs", "sus_benchmark"), design="design", reference="Redesign",
                 alternative="two-sided")
    diff = page.results["completion_difference"]
    current = uxcx.compare_completion(page.usability[page.usability["task"].isin(
        uxcx.study.plan.crossed_tasks(page.usability, "design"))], by="design", task="task", partial=0.5,
        p_adjust="holm", **OPTIONS)
    assert diff["estimate"].to_numpy() == pytest.approx(-current["estimate"].to_numpy())  # the other way
    assert (page.results["sus_benchmark"]["alternative"] == "two-sided").all()


# --- cut-down studies --------------------------------------------------------------------------

def test_a_questionnaire_alone_gives_sus_and_umux_lite_and_says_why_the_tasks_are_left_out(tmp_path):
    page = _page(cut_sample(tmp_path, {"questionnaire": None}, targets={"sus": 75}))
    no_rows = "this study has no usability rows"
    assert page.sections.skipped == {
        "Task completion": no_rows, "Time on task": no_rows,
        "Errors, abandonment and clicks": "the usability source has no errors, abandoned or clicks values",
        "Comparing the designs": no_rows, "Single Usability Metric": no_rows}
    assert set(page.results) == {"sus", "sus_benchmark", "sus_median", "umux_lite"}
    assert page.design is None and page.sus_by is None and "design" not in page.results["sus"]
    assert (page.results["sus_benchmark"]["benchmark"] == 75).all()  # the study's own target
    assert "no design factor to compare" in page.describe()


def test_task_rows_without_times_designs_or_questionnaire(tmp_path):
    study = cut_sample(tmp_path, {"usability": ["Participant", "Task", "Success", "SEQ"]})
    page = _page(study)
    assert page.design is None and page.by_task == ["task"]
    assert page.sections.skipped == {
        "Time on task": "the usability source has no time_s values",
        "Errors, abandonment and clicks": "the usability source has no errors, abandoned or clicks values",
        "SUS": "this study has no questionnaire or survey rows",
        "SUS against the benchmark": "this study has no questionnaire or survey rows",
        "Comparing the designs": "the study names no design factor with two or more designs "
                                 "(set measures.design, or list it under analysis.segments)",
        "Single Usability Metric": "the usability source has no time_s values"}
    assert set(page.results) == {"completion", "completion_by_task"}
    assert list(page.results["completion_by_task"]["task"]) == sorted(page.usability["task"].unique())
    assert any(n.startswith("Ease after each task (SEQ)") for n in page.notes)  # SEQ without UMUX-Lite


def test_a_design_segment_without_times_compares_completion_and_seq_only(tmp_path):
    study = cut_sample(tmp_path, {"usability": ["Participant", "Design", "Task", "Success", "SEQ"]},
                 segments=["design"])
    page = _page(study)
    assert page.design == "design"  # the first segment with two designs, no measures.design
    assert "Comparing the designs" not in page.sections.skipped
    assert set(page.results) == {"completion", "completion_by_task", "completion_difference"}
    assert "time_ratio" not in page.results


def test_a_survey_alone_gives_umux_lite_only(tmp_path):
    page = _page(cut_sample(tmp_path, {"survey": None}))
    assert set(page.results) == {"umux_lite"}
    assert page.sections.skipped["SUS"].startswith("the questionnaire or survey source has no sus_1")
    assert "SEQ and UMUX-Lite" not in page.sections.skipped
