"""Tests of uxcx.datasets.sample: determinism, the committed files, planted effects and planted dirt.

Expected sizes come from the generating model stated in data/sample/README.md; effect
tolerances are loose (rough size and sign), since each seed is one draw from the model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from uxcx.datasets import sample
from uxcx.datasets.sample import DEFAULT_SEED, generate, write_sample

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "data" / "sample"
NAMES = ["usability.csv", "questionnaire.csv", "survey.csv", "customers.csv",
         "study.yml", "README.md"]
SUS = [f"SUS{k}" for k in range(1, 11)]


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate()


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("sample")
    return folder, write_sample(folder, events=False)  # the log: tests/datasets/test_sample_events.py


@pytest.fixture(scope="module")
def clean_survey(frames) -> pd.DataFrame:
    """Survey without the out-of-range rows and the duplicate's second copy."""
    sv = frames["survey"]
    ok = (sv["Likelihood to recommend"].between(0, 10) & sv["Satisfaction"].between(1, 5)
          & sv["Effort"].between(1, 7))
    return sv[ok & ~sv.duplicated()]


# --- files --------------------------------------------------------------------------------


def test_write_sample_returns_the_six_paths(written):
    folder, paths = written
    assert [p.name for p in paths] == NAMES
    assert all(p.parent == folder and p.is_file() for p in paths)


@pytest.mark.parametrize("name", NAMES)
def test_generated_files_match_committed_files(written, name):
    folder, _ = written
    assert (folder / name).read_bytes() == (COMMITTED / name).read_bytes(), (
        f"data/sample/{name} is stale: regenerate with `uxcx sample data/sample`")


@pytest.mark.parametrize("name", NAMES)
def test_files_are_utf8_without_bom_with_lf(written, name):
    data = (written[0] / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    data.decode("utf-8")


def test_files_are_small_enough_to_commit(written):
    assert sum(p.stat().st_size for p in written[1]) < 1_000_000


@pytest.mark.parametrize("source", ["usability", "questionnaire", "survey", "customers"])
def test_csv_reads_back_as_generated(written, frames, source):
    back = pd.read_csv(written[0] / f"{source}.csv")
    pd.testing.assert_frame_equal(back, frames[source], check_dtype=False)


def test_study_file_maps_every_header(written, frames):
    study = yaml.safe_load((written[0] / "study.yml").read_text(encoding="utf-8"))
    assert study["name"] == "sample"
    assert study["analysis"]["seed"] == DEFAULT_SEED
    for source, frame in frames.items():
        spec = study["sources"][source]
        assert spec["path"] == f"{source}.csv"
        assert list(spec["columns"]) == list(frame.columns)
    assert study["sources"]["survey"]["personal"] == ["email", "comment"]
    assert study["sources"]["usability"]["values"]["success"] == {"Yes": 1, "No": 0,
                                                                  "Partial": 0.5}
    assert (written[0] / "study.yml").read_text().startswith("# uxcx study file")


# --- determinism --------------------------------------------------------------------------


def test_same_seed_gives_same_data():
    first, second = generate(11), generate(11)
    for source in first:
        pd.testing.assert_frame_equal(first[source], second[source])


def test_different_seeds_give_different_data():
    first, second = generate(11), generate(12)
    for source in first:
        assert not first[source].equals(second[source])


def test_generate_matches_default_seed(frames):
    for source, frame in generate(DEFAULT_SEED).items():
        pd.testing.assert_frame_equal(frame, frames[source])


def test_different_seed_writes_its_seed_into_the_study_file(tmp_path):
    write_sample(tmp_path, seed=5)
    study = yaml.safe_load((tmp_path / "study.yml").read_text(encoding="utf-8"))
    assert study["analysis"]["seed"] == 5


# --- sizes and structure ------------------------------------------------------------------


def test_sizes(frames):
    us, q, sv, cu = (frames[k] for k in ("usability", "questionnaire", "survey", "customers"))
    assert us.shape == (300, 12)
    assert us.groupby("Participant")["Task"].nunique().eq(5).all()
    assert us["Participant"].nunique() == 60
    assert q.shape == (60, 13) and q["Participant"].is_unique
    assert set(q["Participant"]) == set(us["Participant"])
    assert len(sv) == 3001 and sv["Response ID"].nunique() == 3000
    assert len(cu) == 5000 and cu["Customer ID"].is_unique


def test_design_and_device_are_balanced(frames):
    people = frames["usability"].drop_duplicates("Participant")
    assert people["Design"].value_counts().to_dict() == {"Current": 30, "Redesign": 30}
    assert people.groupby(["Design", "Device"]).size().eq(15).all()


def test_every_usability_customer_exists(frames):
    assert frames["usability"]["Customer ID"].isin(frames["customers"]["Customer ID"]).all()
    # one customer per participant
    assert frames["usability"].groupby("Participant")["Customer ID"].nunique().eq(1).all()


def test_usability_values_are_consistent(frames):
    us = frames["usability"]
    assert set(us["Success"]) == {"Yes", "No", "Partial"}
    assert 1 <= (us["Success"] == "Partial").sum() <= 20  # a few partials
    assert (us.loc[us["Abandoned"] == 1, "Success"] == "No").all()
    assert (us["Clicks"] >= us["Optimal clicks"]).all()
    assert us.groupby("Task")["Optimal clicks"].nunique().eq(1).all()
    assert us["Errors"].ge(0).all() and us["SEQ"].between(1, 7).all()


def test_customer_dates_lie_in_the_window(frames):
    cu = frames["customers"]
    start, end = pd.to_datetime(cu["Start date"]), pd.to_datetime(cu["Churn date"])
    assert start.between("2024-01-01", "2025-06-30").all()
    churned = end.notna()
    assert (end[churned] > start[churned]).all()
    assert (end[churned] <= "2025-12-31").all()
    assert 0.15 < churned.mean() < 0.45
    assert set(cu["Plan"]) == {"Basic", "Plus", "Pro"} and cu["Region"].nunique() == 4
    medians = cu.groupby("Plan")["Monthly revenue"].median()
    assert medians["Basic"] < medians["Plus"] < medians["Pro"]


def test_survey_submitted_while_a_customer(frames):
    sv, cu = frames["survey"], frames["customers"].set_index("Customer ID")
    matched = sv[sv["Customer ID"].isin(cu.index)]
    when = pd.to_datetime(matched["Submitted"]).to_numpy()
    start = pd.to_datetime(cu.loc[matched["Customer ID"], "Start date"]).to_numpy()
    end = pd.to_datetime(cu.loc[matched["Customer ID"], "Churn date"]).to_numpy()
    assert (when >= start).all()
    assert (np.isnat(end) | (when < end)).all()


def test_emails_are_email_shaped(frames):
    assert frames["survey"]["Email"].str.fullmatch(r"[a-z]+\.[a-z]+\d{3}@example\.com").all()


# --- planted effects (README: "How the data were generated") ----------------------------


def test_redesign_raises_completion(frames):
    us = frames["usability"]
    done = (us["Success"] == "Yes").groupby(us["Design"]).mean()
    # planted: logit shift 1.0, implied 69.5 % vs 84.5 %
    assert 0.55 < done["Current"] < 0.80
    assert 0.75 < done["Redesign"] < 0.95
    assert done["Redesign"] - done["Current"] > 0.08


def test_redesign_cuts_time_on_task(frames):
    us = frames["usability"]
    timed = us[us["Time (s)"] > 0]
    gm = np.exp(np.log(timed["Time (s)"]).groupby(timed["Design"]).mean())
    assert 0.70 < gm["Redesign"] / gm["Current"] < 0.90  # planted factor 0.80


def test_redesign_raises_sus(frames):
    q, us = frames["questionnaire"], frames["usability"]
    design = us.drop_duplicates("Participant").set_index("Participant")["Design"]
    items = q[SUS].to_numpy()
    valid = ((items >= 1) & (items <= 5)).all(axis=1)
    sus = 2.5 * ((items[:, 0::2] - 1).sum(axis=1) + (5 - items[:, 1::2]).sum(axis=1))
    by = pd.Series(sus[valid]).groupby(design[q["Participant"][valid]].to_numpy()).mean()
    assert 55 < by["Current"] < 80 and by["Redesign"] > by["Current"] + 3


def test_umux_lite_goes_with_nps(clean_survey):
    umux = clean_survey[["UMUX-Lite 1", "UMUX-Lite 2"]].mean(axis=1)
    assert umux.corr(clean_survey["Likelihood to recommend"]) > 0.4
    assert umux.corr(clean_survey["Satisfaction"]) > 0.2


def test_mediation_coefficients_near_planted(clean_survey):
    ease = clean_survey[["Ease: search", "Ease: checkout", "Ease: returns"]].mean(axis=1)
    csat = clean_survey["Satisfaction"].astype(float)
    loyal = clean_survey[["Loyalty: continue", "Loyalty: choose again"]].mean(axis=1)
    ones = np.ones(len(ease))
    a = np.linalg.lstsq(np.column_stack([ones, ease]), csat, rcond=None)[0][1]
    b, c_prime = np.linalg.lstsq(np.column_stack([ones, csat, ease]), loyal, rcond=None)[0][1:]
    assert a == pytest.approx(sample.MED_A, abs=0.06)
    assert b == pytest.approx(sample.MED_B, abs=0.06)
    assert c_prime == pytest.approx(sample.MED_C, abs=0.06)


def test_lower_umux_lite_goes_with_more_churn(frames, clean_survey):
    cu = frames["customers"].set_index("Customer ID")
    matched = clean_survey[clean_survey["Customer ID"].isin(cu.index)]
    churned = cu.loc[matched["Customer ID"], "Churn date"].notna().to_numpy()
    umux = matched[["UMUX-Lite 1", "UMUX-Lite 2"]].mean(axis=1).to_numpy()
    low = umux < np.median(umux)
    assert churned[low].mean() - churned[~low].mean() > 0.05


# --- planted dirt (README: "Deliberate problems") -----------------------------------------


def test_exactly_three_out_of_range_survey_scores(frames):
    sv = frames["survey"]
    ranges = {"Likelihood to recommend": (0, 10), "Satisfaction": (1, 5), "Effort": (1, 7),
              "UMUX-Lite 1": (1, 7), "UMUX-Lite 2": (1, 7), "Ease: search": (1, 7),
              "Ease: checkout": (1, 7), "Ease: returns": (1, 7),
              "Loyalty: continue": (1, 5), "Loyalty: choose again": (1, 5)}
    bad = {c: sv.loc[~sv[c].between(lo, hi), c].tolist() for c, (lo, hi) in ranges.items()}
    assert {c: v for c, v in bad.items() if v} == {
        "Likelihood to recommend": [11], "Satisfaction": [0], "Effort": [9]}


def test_one_verbatim_duplicate_response(frames):
    sv = frames["survey"]
    dup = sv[sv["Response ID"].duplicated(keep=False)]
    assert len(dup) == 2 and sv.duplicated().sum() == 1
    assert dup.iloc[0].equals(dup.iloc[1])


def test_forty_unmatched_customer_ids(frames):
    sv, cu = frames["survey"], frames["customers"]
    unmatched = sv.loc[~sv["Customer ID"].isin(cu["Customer ID"]), "Customer ID"]
    assert len(unmatched) == 40 and unmatched.is_unique
    assert unmatched.str.fullmatch(r"C\d{5}").all()


def test_one_zero_time(frames):
    times = frames["usability"]["Time (s)"]
    assert (times == 0).sum() == 1 and (times >= 0).all()


def test_one_sus_item_of_six(frames):
    q = frames["questionnaire"]
    items = q[SUS].to_numpy()
    assert ((items < 1) | (items > 5)).sum() == 1 and (items == 6).sum() == 1
    assert q[["UMUX-Lite 1", "UMUX-Lite 2"]].stack().between(1, 7).all()


def test_no_other_missing_values(frames):
    for source, frame in frames.items():
        gaps = frame.columns[frame.isna().any()].tolist()
        assert set(gaps) <= {"Churn date", "Comment"}, source


def test_dirty_rows_are_not_simply_the_last_rows(frames):
    sv = frames["survey"]
    rows = np.flatnonzero(~(sv["Likelihood to recommend"].between(0, 10)
                            & sv["Satisfaction"].between(1, 5) & sv["Effort"].between(1, 7)))
    rows = np.r_[rows, np.flatnonzero(sv.duplicated())]
    assert rows.min() < len(sv) - 10
    assert np.flatnonzero(frames["usability"]["Time (s)"] == 0)[0] < 295


def test_readme_documents_the_dirt_exactly(frames, written):
    text = (written[0] / "README.md").read_text(encoding="utf-8")
    sv, cu = frames["survey"], frames["customers"]
    for column, value in (("Likelihood to recommend", 11), ("Satisfaction", 0), ("Effort", 9)):
        row = int(np.flatnonzero(sv[column] == value)[0])
        rid = sv["Response ID"][row]
        assert f"row {row + 2} (Response ID {rid}): `{column}` = {value}" in text
    first, copy = np.flatnonzero(sv["Response ID"].duplicated(keep=False))
    assert (f"Response ID {sv['Response ID'][first]} on row {first + 2} and again, "
            f"a verbatim copy, on row {copy + 2}") in text
    ghosts = sv.loc[~sv["Customer ID"].isin(cu["Customer ID"]), "Response ID"]
    assert f"Response IDs {', '.join(ghosts)}." in text
    q = frames["questionnaire"]
    row, item = np.argwhere(q[SUS].to_numpy() == 6)[0]
    assert f"row {row + 2}, Participant {q['Participant'][row]}, `SUS{item + 1}`" in text
    us = frames["usability"]
    zero = int(np.flatnonzero(us["Time (s)"] == 0)[0])
    assert f"row {zero + 2}, Participant {us['Participant'][zero]}" in text
    assert "uxcx sample data/sample" in text and "7 = very easy" in text


def test_readme_states_realised_completion(frames, written):
    text = (written[0] / "README.md").read_text(encoding="utf-8")
    us = frames["usability"]
    done = (us["Success"] == "Yes").groupby(us["Design"]).mean()
    assert f"| Completion (Success = Yes), Current | 69.5% (implied) | {done['Current']:.1%} |" \
        in text
    assert f"{done['Redesign']:.1%} |" in text
