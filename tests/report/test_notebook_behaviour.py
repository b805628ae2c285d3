"""Notebook 05 (behaviour) end to end: papermill on the sample study's event log, the page in Chromium.

The sample's event log (data/sample/events/, written by the session fixture in conftest.py)
carries the planted effects its README states: more checkout errors, lower CSAT and a higher
churn hazard. The notebook alone is run through the report runner (``only=["05"]``); its page
is then opened in headless Chromium as tests/report/test_browser.py opens every page.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from test_browser import _check, browser  # noqa: F401  (the fixture)

from conftest import ROOT
from uxcx.report.runner import run_report

NOTEBOOK = ROOT / "notebooks" / "05_behaviour.ipynb"
SAMPLE = ROOT / "data" / "sample" / "study.yml"


@pytest.fixture(scope="module")
def behaviour_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("behaviour-report")
    runs = run_report(SAMPLE, out_dir=out, only=["05"], progress=None)
    return out, runs


def test_the_notebook_is_thin_parameterised_and_names_nothing_of_the_sample():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert {"study", "out_dir", "task"} <= set(re.findall(r"^(\w+):", code[0].source, re.M))
    assert 'task: str = ""' in code[0].source
    for cell in code:
        assert len([line for line in cell.source.splitlines() if line.strip()]) <= 12, cell.source
        assert not cell.get("outputs") and cell.get("execution_count") is None
    text = "\n".join(c.source for c in code[1:])
    for name in ("checkout", "cart_viewed", "csat", "nps", "device", "plan", "region", "customer"):
        assert name not in text.lower(), name
    assert nb.metadata["uxcx"]["needs"] == ["behaviour"]


def test_notebook_05_runs_on_the_sample_and_finds_the_planted_effects(behaviour_report):
    out, runs = behaviour_report
    assert [(r.name, r.status) for r in runs] == [("05_behaviour", "ok")], runs[0].error
    doc = json.loads((out / "05_behaviour.json").read_text(encoding="utf-8"))
    assert doc["results"]["skipped_sections"] == {}
    results = doc["results"]
    log = {r["events"]: r["count"] for r in results["event_log"]}
    assert log["read"] == log["kept"] + sum(v for k, v in log.items() if k.startswith("dropped: "))
    assert results["engine"] == "duckdb"
    levels = {r["failed attempts"]: r["estimate"] for r in results["cx_by_failed_attempts"]
              if r["kind"] == "level" and r["outcome"] == "csat"}
    assert levels["2+"] < levels["1"] < levels["0"]  # planted: more checkout errors, lower CSAT
    worse = next(r for r in results["cox_failed_attempts"] if r["term"] == "failed attempts[2+]")
    assert worse["ci_low"] > 1  # planted: a higher churn hazard
    sentence = next(f for f in doc["findings"] if f.startswith("Customers whose checkout failed more than "
                                                                "once left"))
    assert "times as fast as those whose checkout never failed (95% CI" in sentence
    assert {"funnel", "attempt_outcomes", "completion_by_segment", "completion_over_time"} <= set(results)
    assert (out / "05_behaviour.cox_failed_attempts.csv").exists()


def test_the_behaviour_page_reads_well_in_a_browser(browser, behaviour_report):  # noqa: F811
    out, _ = behaviour_report
    problems = _check(browser, out)
    assert not problems, "\n".join(problems)
    assert (out / "_checks" / "05_behaviour.png").stat().st_size > 0
