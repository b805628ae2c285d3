"""Behaviour from an event log read as the usability source (issue 16: "flow into 03 and 04").

``link.usability_source`` gives the usability test when a study has one and otherwise the
per-person × task frame measured from the event log, so ``participant_measures`` and
``customer_ux`` (and through them notebooks 03 and 04) use the log's measures unchanged. A
study with a usability test keeps every number it had.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from uxcx import link
from uxcx.study import plan


def _behaviour(n: int = 40) -> pd.DataFrame:
    """Per customer × task, in the columns io.events gives (two tasks per customer)."""
    rng = np.random.default_rng(3)
    customers = np.repeat([f"C{i:03d}" for i in range(n)], 2)
    success = rng.integers(0, 2, 2 * n).astype(float)
    times = np.where(success == 1, rng.uniform(20, 90, 2 * n), np.nan)
    return pd.DataFrame({"customer": customers, "task": np.tile(["checkout", "search"], n),
                         "success": success, "time_s": times,
                         "errors": rng.integers(0, 3, 2 * n), "clicks": rng.integers(3, 9, 2 * n),
                         "abandoned": 1 - success, "failed_attempts": rng.integers(0, 3, 2 * n),
                         "first_start": pd.Timestamp("2025-03-01", tz="UTC")})


def _study(frames: dict) -> SimpleNamespace:
    return SimpleNamespace(frames=frames, analysis=SimpleNamespace(partial_success=0.5))


def test_without_a_usability_test_the_event_log_is_the_usability_source():
    behaviour = _behaviour()
    source = link.usability_source(_study({"behaviour": behaviour}))
    assert (source["participant"] == source["customer"]).all()
    assert "participant" not in behaviour  # the study's frame is not changed
    people = link.participant_measures(source)
    # success_rate: the mean success of the customer's two tasks; time_s: the geometric mean
    want = behaviour.groupby("customer")["success"].mean()
    assert people["success_rate"].to_dict() == pytest.approx(want.to_dict())
    times = behaviour.dropna(subset=["time_s"]).groupby("customer")["time_s"].apply(
        lambda t: np.exp(np.log(t).mean()))
    assert people["time_s"].dropna().to_dict() == pytest.approx(times.to_dict())
    assert (people["customer"] == people.index).all()  # the customer key, for the joins of 03 and 04


def test_customer_ux_reads_the_event_log_when_there_is_no_usability_test():
    behaviour = _behaviour()
    scores, what = link.customer_ux(_study({"behaviour": behaviour}))
    assert what == "the customer's success_rate in the event log's tasks"
    assert scores["ux"].to_dict() == pytest.approx(behaviour.groupby("customer")["success"].mean().to_dict())


def test_a_usability_test_wins_over_the_event_log(sample_study):
    with_log = dataclasses.replace(sample_study, frames={**sample_study.frames, "behaviour": _behaviour()})
    assert link.usability_source(with_log) is sample_study.frames["usability"]
    assert link.usability_source(sample_study) is sample_study.frames["usability"]
    # notebook 04's UX score on the sample (the survey's UX index) is the same with a log beside it
    before, what_before = link.customer_ux(sample_study)
    after, what_after = link.customer_ux(with_log)
    assert what_after == what_before and what_before.startswith("the mean of the customer's standardised")
    pd.testing.assert_frame_equal(after, before)
    # notebook 03's per-participant measures too
    pd.testing.assert_frame_equal(link.participant_measures(link.usability_source(with_log)),
                                  link.participant_measures(sample_study["usability"]))


def test_a_study_without_either_has_no_usability_source():
    assert link.usability_source(_study({})) is None
    empty = _behaviour().iloc[:0]
    assert link.usability_source(_study({"behaviour": empty})) is None


def test_the_ux_to_cx_page_needs_are_met_by_an_event_log_and_a_survey_with_cx(sample_study):
    survey = sample_study["survey"][["respondent", "customer", "nps", "csat"]]
    measures = type(sample_study.config.measures)()  # none named: the survey holds no UX item then
    config = sample_study.config.model_copy(update={"links": [], "measures": measures})
    only_cx = SimpleNamespace(config=config, frames={"survey": survey})
    assert plan.unmet(only_cx, ["ux_and_cx"]) is not None  # CX answers alone relate nothing
    only_cx.frames["behaviour"] = _behaviour()
    assert plan.unmet(only_cx, ["ux_and_cx"]) is None
    assert plan.unmet(only_cx, ["behaviour"]) is None
    without = SimpleNamespace(config=config, frames={"survey": survey})
    assert "events: block" in plan.unmet(without, ["behaviour"])
