"""The most common UX -> CX study there is: a survey with SUS items and one satisfaction question.

It gets a UX -> CX page whose correlation equals scipy's on the same answers."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from uxcx.report.runner import run_report


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sus_satisfaction")
    rng = np.random.default_rng(11)
    n = 60
    usable = rng.normal(0, 1, n)
    items = {f"Q{i}": np.clip(np.round(3 + (usable if i % 2 else -usable) + rng.normal(0, .8, n)), 1, 5)
             for i in range(1, 11)}
    frame = pd.DataFrame({"Response": [f"R{i}" for i in range(n)], **items,
                          "How satisfied are you with our mobile app?":
                              np.clip(np.round(3 + usable + rng.normal(0, 1, n)), 1, 5).astype(int),
                          "Plan": rng.choice(["Free", "Paid"], n)})
    frame.to_csv(folder / "responses.csv", index=False)
    columns = "\n".join(f"      Q{i}: sus_{i}" for i in range(1, 11))
    (folder / "study.yml").write_text(f"""name: sus-satisfaction
sources:
  survey:
    path: responses.csv
    columns:
      Response: respondent
{columns}
      "How satisfied are you with our mobile app?": satisfied_app
      Plan: plan
analysis:
  segments: [plan]
measures:
  items:
    satisfied_app: {{range: [1, 5], side: cx, label: "Satisfied with the app"}}
""", encoding="utf-8")
    return folder, frame


def test_survey_with_sus_and_satisfaction_gets_a_ux_to_cx_page(study):
    folder, frame = study
    out = folder / "report"
    runs = {r.name: r for r in run_report(folder / "study.yml", out_dir=out, only=["01", "03"],
                                          progress=None)}
    assert runs["03_ux_to_cx"].status == "ok", runs["03_ux_to_cx"].error
    doc = json.loads((out / "03_ux_to_cx.json").read_text())
    pair = [r for r in doc["results"]["correlations"] if r["x"] == "sus" and r["y"] == "satisfied_app"]
    assert len(pair) == 1
    items = frame[[f"Q{i}" for i in range(1, 11)]].to_numpy(float)
    sus = ((items[:, ::2] - 1).sum(1) + (5 - items[:, 1::2]).sum(1)) * 2.5  # Brooke (1996), by hand
    r, p = stats.pearsonr(sus, frame["How satisfied are you with our mobile app?"])
    assert pair[0]["estimate"] == pytest.approx(r, abs=1e-12) and pair[0]["n"] == len(frame)
    assert pair[0]["p_value"] == pytest.approx(p, rel=1e-9)
    assert any("Satisfied with the app" in f for f in doc["findings"])  # the study's label, in words
    # the mobile-app question is analysed, not withheld as a phone number (issue 11, point 5)
    sus_page = json.loads((out / "01_usability.json").read_text())
    assert sus_page["results"]["sus"][0]["estimate"] == pytest.approx(sus.mean())
