"""A "Total", "Average" or AutoSum row under the data is dropped with the reason "total row"
(uxcx.study.total_rows), in CSV and XLSX alike; rows that only look similar are kept."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
import yaml

import uxcx
from uxcx.study.total_rows import TOTAL_ROW, note_rows, total_rows


def flags(frame: dict, labels=("id",)) -> list[bool]:
    return total_rows(pd.DataFrame(frame), list(labels)).tolist()


@pytest.mark.parametrize("label", ["Total", "TOTAL:", "Grand total", "Sum", "Average", "Mean",
                                   "Gesamt", "Moyenne", "Subtotal", "Σ"])
def test_a_labelled_total_row_at_the_bottom(label):
    assert flags({"id": ["P1", "P2", label], "nps": [9, 7, 8]}) == [False, False, True]


def test_a_total_and_an_average_row_together_and_a_label_in_the_first_column():
    frame = {"plan": ["Basic", "Plus", "Pro", "Total", "Average"], "id": ["a", "b", "c", None, None],
             "nps": [9, 7, 8, 24, 8]}
    assert flags(frame) == [False, False, False, True, True]


def test_an_autosum_row_without_a_label_and_a_mean_row():
    sums = {"id": [1, 2, 3, 4, 10], "nps": [9, 7, 8, 6, 30], "csat": [5, 4, 3, 5, 17]}
    assert flags(sums) == [False] * 4 + [True]
    means = {"id": [None] * 4 + [None], "nps": [9, 7, 8, 6, 7.5], "csat": [5, 4, 3, 5, 4.25]}
    assert flags(means) == [False] * 4 + [True]


def test_rows_that_only_look_like_totals_are_kept():
    # a label mid-table, a respondent whose answers equal whole-number means, zeros everywhere,
    # a single number, and too few rows above to tell
    assert flags({"id": ["P1", "Total", "P3"], "nps": [9, 7, 8]}) == [False] * 3
    assert flags({"id": ["a", "b", "c", "d"], "nps": [9, 7, 8, 8], "csat": [5, 3, 4, 4]}) == [False] * 4
    assert flags({"id": [1, 2, 3, 4], "nps": [0, 0, 0, 0], "x": [0, 0, 0, 0]}) == [False] * 4
    assert flags({"id": ["a", "b", "c", "d"], "nps": [1, 2, 3, 6]}) == [False] * 4
    assert flags({"id": [1, 2, 3], "nps": [1, 2, 3]}) == [False] * 3
    assert flags({"id": ["Totalitarian", "Summer", "Allison"], "nps": [1, 2, 3]}) == [False] * 3


# --- through the loader -----------------------------------------------------------------

def _load(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "study.yml").write_text(yaml.safe_dump(
        {"name": "t", "sources": {"survey": {"path": name, "columns": {"id": "respondent"}}}}))
    return uxcx.load_study(tmp_path / "study.yml")


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROWS = [["id", "nps"], ["R1", 9], ["R2", 10], ["R3", 6], ["Total", 25], ["Average", 8.33]]


@pytest.mark.parametrize("name", ["s.csv", "s.xlsx"])
def test_total_rows_are_dropped_with_their_reason_and_counted(tmp_path, name):
    data = (_xlsx(ROWS) if name.endswith("xlsx")
            else "\n".join(",".join(map(str, r)) for r in ROWS).encode())
    s = _load(tmp_path, name, data)
    assert s["survey"]["nps"].tolist() == [9, 10, 6]
    account = s.ledger.sources["survey"]
    assert account.read == 5 and account.kept == 3 and account.reasons == {TOTAL_ROW: 2}
    shown = account.as_dict()["dropped_rows"]
    assert [(d["row"], d["value"]) for d in shown] == [(5, "Total"), (6, "Average")]
    assert "total row" in s.ledger.reasons()["reason"].tolist()
    assert s.ledger.reasons()["meaning"].str.contains("sums up").all()


def test_an_autosum_row_with_a_summed_numeric_id_is_no_customer(tmp_path):
    text = "id,nps,csat\n101,9,5\n102,7,4\n103,8,3\n306,24,12\n"
    s = _load(tmp_path, "s.csv", text.encode())
    assert s["survey"].index.tolist() == [2, 3, 4]
    assert s.ledger.sources["survey"].reasons == {TOTAL_ROW: 1}


# --- note rows ----------------------------------------------------------------------------

def test_a_line_of_text_under_the_data_is_a_note_row_and_a_lone_id_is_not():
    table = pd.DataFrame({"id": ["P1", "P2", "P3", "P12", "Total", "Exported from Qualtrics on 3 May",
                                 "* scores rounded"], "nps": [9, 7, 8, None, 24, None, None]})
    assert note_rows(table).tolist() == [False] * 5 + [True, True]
    assert total_rows(table, ["id"]).tolist() == [False] * 4 + [True, False, False]
    # a respondent who answered nothing, and a sentence among the data, stay
    table = pd.DataFrame({"id": ["P1", "see the notes below please", "P3"], "nps": [9, None, 8]})
    assert not note_rows(table).any()
    assert not note_rows(pd.DataFrame({"comment": ["a b c", "d e f"]})).any()  # one column


def test_note_rows_are_dropped_with_their_reason_and_masked_in_the_ledger(tmp_path):
    text = ("id,nps\nR1,9\nR2,7\nR3,8\n,\nSource: Jane Smith's panel export\n")
    s = _load(tmp_path, "s.csv", text.encode())
    account = s.ledger.sources["survey"]
    assert account.kept == 3 and account.reasons == {"blank row": 1, "note row": 1}
    shown = {d["row"]: d["value"] for d in account.as_dict()["dropped_rows"]}
    assert shown[6].startswith("(withheld: text of 33 characters")  # no name leaves the kit


def test_a_long_cell_at_the_bottom_is_looked_at_in_linear_time():
    import time

    cell = "Total" + " " * 2_000_000 + "x"
    table = pd.DataFrame({"id": ["a", "b", "c", cell], "nps": [1, 2, 3, None]})
    start = time.perf_counter()
    assert total_rows(table, ["id"]).tolist() == [False] * 4
    assert not note_rows(table).any()  # two words in one cell: no note either
    assert time.perf_counter() - start < 1
