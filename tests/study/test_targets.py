"""Tests of measures.targets in the study file: validated on each measure's scale, with defaults."""

from __future__ import annotations

import pytest

from uxcx._core.targets import DEFAULT_TARGETS, TARGET_RANGES
from uxcx.errors import StudyError
from uxcx.study.study_file import Measures, read_study

SURVEY = {"survey": {"path": "s.csv", "columns": {"R": "respondent", "NPS": "nps", "CSAT": "csat"}}}
FILES = {"s.csv": "R,NPS,CSAT\n1,9,4\n2,6,5\n"}


def test_targets_are_read_and_defaults_fill_the_rest(make_study):
    path = make_study(FILES, SURVEY, measures={"targets": {"csat": 4.0, "nps": 30}})
    config, _ = read_study(path)
    m = config.measures
    assert (m.target("csat"), m.target("nps")) == (4.0, 30.0)
    # published defaults where the study states none (Sauro 2011, 2012), none for CES
    defaults = (m.target("sus"), m.target("seq"), m.target("completion"), m.target("ces"))
    assert defaults == (68.0, 5.5, 0.78, None)


def test_a_stated_target_overrides_the_default():
    assert Measures(targets={"sus": 72.5}).target("sus") == 72.5


def test_own_items_take_targets_on_their_range():
    items = {"trust": {"range": [1, 7], "side": "cx"}}
    assert Measures(items=items, targets={"trust": 5.5}).target("trust") == 5.5
    with pytest.raises(ValueError, match="trust: 8 is outside its scale 1 to 7"):
        Measures(items=items, targets={"trust": 8})


@pytest.mark.parametrize(("targets", "message"), [
    ({"sus": 168}, r"sus: 168 is outside its scale 0 to 100"),
    ({"nps": -130}, r"nps: -130 is outside its scale -100 to 100"),
    ({"completion": 78}, r"completion: 78 is outside its scale 0 to 1"),
    ({"csta": 4}, r"'csta' is not a measure with a target \(did you mean 'csat'\?\)"),
    ({"csat": "high"}, r"targets\.csat"),
])
def test_bad_targets_are_study_errors_naming_the_key(make_study, targets, message):
    path = make_study(FILES, SURVEY, measures={"targets": targets})
    with pytest.raises(StudyError, match=message):
        read_study(path)


def test_every_default_lies_on_its_scale():
    for name, value in DEFAULT_TARGETS.items():
        low, high = TARGET_RANGES[name]
        assert low <= value <= high
