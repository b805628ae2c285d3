"""Tests of the benchmark sentences (uxcx.report.findings_benchmark) on the kit's own results."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import uxcx
from uxcx.report.findings import p_text
from uxcx.report.findings_benchmark import benchmark_findings, benchmark_verdict, target_findings

SUS_ITEMS = [f"sus_{i}" for i in range(1, 11)]


def sus_answers(rng, n, lean):
    """n SUS questionnaires; ``lean`` pushes answers towards agreement with the positive items."""
    odd = np.clip(np.round(rng.normal(3 + lean, 0.8, (n, 5))), 1, 5)
    even = np.clip(np.round(rng.normal(3 - lean, 0.8, (n, 5))), 1, 5)
    items = np.empty((n, 10))
    items[:, ::2], items[:, 1::2] = odd, even
    return pd.DataFrame(items, columns=SUS_ITEMS)


def test_sus_sentence_as_a_researcher_writes_it():
    rng = np.random.default_rng(3)
    r = uxcx.sus(sus_answers(rng, 20, 1.4), benchmark=68, alternative="greater")
    (sentence,) = benchmark_findings(r, what="mean SUS", benchmark_name="the industry average")
    row = r.iloc[0]
    assert row["p_value"] < 0.05
    assert sentence == (f"The mean SUS of {row['estimate']:.1f} (n = 20; 95% lower bound "
                        f"{row['ci_low']:.1f}) is above the industry average of 68 "
                        f"(t(19) = {row['statistic']:.2f}, {p_text(row['p_value'])}, one-sided).")


def test_verdicts_follow_the_test_and_the_side():
    assert benchmark_verdict(60, 68, 0.99, "greater", 0.05) == "falls short of"
    assert benchmark_verdict(70, 68, 0.20, "greater", 0.05) == "is not shown to be above"
    assert benchmark_verdict(60, 68, 0.01, "less", 0.05) == "is below"
    assert benchmark_verdict(70, 68, 0.40, "two-sided", 0.05) == "is not clearly different from"
    assert benchmark_verdict(70, 68, 0.04, "two-sided", 0.05) == "is above"


def test_two_sided_sentence_gives_the_interval_and_tiny_p_reads_p_below_001():
    d = pd.DataFrame({"csat": np.r_[np.full(4000, 5), np.full(1000, 4)]})
    r = uxcx.mean_benchmark(d, score="csat", benchmark=3)
    assert r.loc[0, "log10_p_value"] < -300
    (sentence,) = benchmark_findings(r, what="mean satisfaction (CSAT, 1-5)", digits=2)
    assert "95% CI 4.79 to 4.81" in sentence and "is above the target of 3" in sentence
    assert "p < .001)" in sentence and "one-sided" not in sentence


def test_nps_sentence_and_groups():
    d = pd.DataFrame({"region": ["N"] * 200 + ["S"] * 200,
                      "nps": [10] * 120 + [8] * 40 + [2] * 40 + [9] * 60 + [7] * 80 + [4] * 60})
    r = uxcx.nps_benchmark(d, target=30, by="region")
    north, south = benchmark_findings(r, what="NPS", by="region", sign=True)
    assert north.startswith("With N, the NPS of +40.0 (n = 200; 95% lower bound +")
    assert "is above the target of 30 (adjusted-Wald z = " in north
    assert south.startswith("With S, the NPS of 0.0") and "falls short of the target of 30" in south


def test_a_row_without_a_test_says_why():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = uxcx.mean_score(pd.DataFrame({"csat": [4] * 12}), score="csat", benchmark=3.5)
    (sentence,) = benchmark_findings(r, what="mean CSAT", digits=2)
    assert sentence == ("The mean CSAT of 4.00 (n = 12) cannot be tested against the target of 3.5: "
                        "all answers are the same.")


@pytest.mark.parametrize(("p", "text"), [(5e-324, "p < .001"), (0.99996, "p > .999"), (0.0213, "p = .021")])
def test_p_text(p, text):
    assert p_text(p) == text


def test_target_findings_name_each_measure():
    d = pd.DataFrame({"nps": [10, 9, 9, 7, 3] * 8, "csat": [5, 4, 4, 3, 5] * 8,
                      "trust": [6, 5, 7, 6, 4] * 8})
    r = uxcx.target_tests(d, {"nps": 20, "csat": 4.0, "trust": 5})
    nps, csat, trust = target_findings(r, labels={"trust": "trust in the shop"})
    assert nps.startswith("The NPS of +40.0 (n = 40; 95% lower bound +")
    # by hand: p_P, p_D = 24.75/43, 8.75/43; se = sqrt((p_P + p_D - (p_P - p_D)^2) / 43);
    # z = (p_P - p_D - .2) / se = 1.41, p = 1 - Phi(z) = .079
    assert nps.endswith("is not shown to be above the study's target of 20 "
                        "(adjusted-Wald z = 1.41, p = .079, one-sided).")
    assert csat.startswith("The mean satisfaction (CSAT, 1-5) of 4.20 (n = 40; 95% lower bound")
    assert trust.startswith("The mean trust in the shop of 5.60")
