"""The personal-data patterns of uxcx.study.personal run in linear time: a cell of ten million
characters, of any shape, is looked at in well under a second, and detection still works."""

from __future__ import annotations

import time

import pandas as pd
import pytest

import uxcx.study.personal as personal
from uxcx.study.personal import SCAN_CHARS, looks_personal, personal_findings

TEN_MILLION = 10_000_000

# Shapes that made the old patterns backtrack: long runs of one class with no end in sight.
SHAPES = {
    "letters": "a",
    "digits": "1",
    "digits and spaces": "1 ",
    "letters and dots": "a.",
    "ats": "a@",
    "digit dots": "1.",
    "domain labels": "b.",
    "phone-ish": "1 1a",
    "parentheses": "(1",
    "spaces after a coordinate": " ",
}


def _cell(shape: str) -> str:
    return (SHAPES[shape] * (TEN_MILLION // len(SHAPES[shape]) + 1))[:TEN_MILLION]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_ten_million_character_cell_is_scanned_in_well_under_a_second(shape):
    cell = _cell(shape) if shape != "spaces after a coordinate" else "51.5074" + _cell(shape)
    start = time.perf_counter()
    assert looks_personal([cell]).tolist() == [True]  # too long to be sure: withheld
    found = personal_findings(pd.DataFrame({"notes": [cell, "ok"]}))
    assert time.perf_counter() - start < 1.0
    assert found.get("notes") is None or found["notes"].kind == "email addresses"


@pytest.mark.parametrize("name", ["_EMAIL", "_PHONE_IN"])
@pytest.mark.parametrize("shape", ["letters", "ats", "digits and spaces", "domain labels",
                                   "phone-ish", "parentheses", "letters and dots"])
def test_the_searched_patterns_are_linear_even_without_the_cap(name, shape):
    # a quadratic pattern takes minutes on a million characters; a linear one milliseconds
    text = _cell(shape)[:1_000_000] + "!"
    start = time.perf_counter()
    getattr(personal, name).search(text)
    assert time.perf_counter() - start < 1.0


def test_whole_cell_patterns_are_tried_on_short_cells_only():
    # no phone number, IP address, coordinate pair or name is longer than these bounds
    assert personal._PHONE_LONGEST >= len("+(44) (20) (7946) (0958) (12) (34) (56)")
    assert looks_personal(["+44 20 7946 0958", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"]).all()
    assert not looks_personal(["1" * 60]).iloc[0]  # 60 digits: no phone number


def test_contacts_are_still_found_inside_text_under_the_cap():
    text = "x" * (SCAN_CHARS - 100) + " write to ana.lima@example.org"
    assert looks_personal([text, "call me on (020) 7946 0958 after six", "a@b"]).tolist() == [
        True, True, False]
    column = ["fine"] * 5 + ["reach me at ben@mail.example.com please"]
    assert personal_findings(pd.DataFrame({"c": column}))["c"].kind == "email addresses"


def test_a_value_longer_than_the_cap_counts_as_personal_and_one_at_the_cap_does_not():
    assert looks_personal(["a" * SCAN_CHARS, "a" * (SCAN_CHARS + 1)]).tolist() == [False, True]
