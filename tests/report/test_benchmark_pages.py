"""The sample report shows the benchmark tests: SUS against 68 on page 01, the study's targets on page 02.

Numbers are checked against an independent computation (scipy's t tests on the loaded sample's SUS
scores and CSAT ratings, the adjusted-Wald NPS test written out from the survey file's counts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import uxcx
from conftest import ROOT
from uxcx import link


def _sus_by_design(study) -> dict[str, np.ndarray]:
    """SUS scores per design of the loaded sample (the loader's drops applied), for scipy to test."""
    q = link.questionnaire_frame(study, study["usability"])
    frame = pd.DataFrame({"sus": uxcx.sus_score(q), "design": q["design"]}).dropna()
    return {d: g["sus"].to_numpy() for d, g in frame.groupby("design")}


def test_usability_page_tests_sus_against_68(sample_report, sample_study):
    results = sample_report.results("01_usability")
    rows = {r["design"]: r for r in results["sus_benchmark"]}
    for design, scores in _sus_by_design(sample_study).items():
        row = rows[design]
        ref = stats.ttest_1samp(scores, 68, alternative="greater")
        assert row["n"] == len(scores) and row["benchmark"] == 68 and row["alternative"] == "greater"
        assert (row["statistic"], row["p_value"]) == pytest.approx((ref.statistic, ref.pvalue), rel=1e-9)
        assert row["log10_p_value"] == pytest.approx(np.log10(ref.pvalue), rel=1e-9)
        median = next(r for r in results["sus_median"] if r["design"] == design)
        assert median["estimate"] == pytest.approx(np.median(scores))
    findings = sample_report.page("01_usability")["findings"]
    assert any(f.startswith("With Redesign, the mean SUS of 76.4 (n = 29; 95% lower bound 72.6) is above the "
                            "industry average of 68 (t(28) = 3.78, p < .001, one-sided)") for f in findings)


def test_customer_page_tests_nps_and_csat_against_the_studys_targets(sample_report):
    results = sample_report.results("02_customer_experience")
    rows = {r["measure"]: r for r in results["targets"]}
    assert set(rows) == {"nps", "csat"}  # the sample states sus, csat and nps targets; CES has none
    survey = pd.read_csv(ROOT / "data" / "sample" / "survey.csv").drop_duplicates("Response ID")
    kept = survey[survey["Likelihood to recommend"].between(0, 10) & survey["Satisfaction"].between(1, 5)
                  & survey["Effort"].between(1, 7)]
    ltr = kept["Likelihood to recommend"]
    n, p, d = len(ltr), (ltr >= 9).sum(), (ltr <= 6).sum()
    pp, pd_ = (p + 0.75) / (n + 3), (d + 0.75) / (n + 3)
    z = (pp - pd_ - 0.0) / np.sqrt((pp + pd_ - (pp - pd_) ** 2) / (n + 3))  # target 0 (the study file)
    assert rows["nps"]["statistic"] == pytest.approx(z, rel=1e-10)
    assert rows["nps"]["p_value"] == pytest.approx(stats.norm.sf(z), rel=1e-9)
    ref = stats.ttest_1samp(kept["Satisfaction"], 4.0, alternative="greater")
    assert (rows["csat"]["statistic"], rows["csat"]["p_value"]) == pytest.approx((ref.statistic, ref.pvalue),
                                                                                rel=1e-9)
    findings = sample_report.page("02_customer_experience")["findings"]
    assert any(f.startswith("The NPS of +3.8 (n = 2,997; 95% lower bound") and "target of 0" in f
               for f in findings)
    assert any("mean satisfaction (CSAT, 1-5) of 3.79" in f and "falls short of the study's target of 4" in f
               for f in findings)
    assert "Against the study's targets" not in results["skipped_sections"]
