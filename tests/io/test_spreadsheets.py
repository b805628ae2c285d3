"""Tests of uxcx.io.xlsx on workbooks built to mislead: hidden sheets, merged cells, formulas
without saved results, stray cells far from the table.

Every workbook is built here with openpyxl (which writes formulas without their results, as
the programs that do not calculate do). Expected rows are the Excel row numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import time

import openpyxl
import pytest

from uxcx.errors import DataError
from uxcx.io.tables import read_table
from uxcx.io.xlsx import GAP_ROWS


def save(tmp_path, book, name="book.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def sheet_of(book, title, rows, state="visible"):
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    sheet.sheet_state = state
    return sheet


def new_book():
    book = openpyxl.Workbook()
    book.remove(book.active)
    return book


def notes_with(table, word):
    return [n for n in table.notes if word in n]


# --- hidden sheets --------------------------------------------------------------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_stale_first_sheet_is_skipped_and_named(tmp_path, state):
    book = new_book()
    sheet_of(book, "Old export", [["id", "nps"], ["P1", 2], ["P2", 3]], state)
    sheet_of(book, "Current", [["id", "nps"], ["P1", 9], ["P2", 10], ["P3", 8]])
    table = read_table(save(tmp_path, book))
    assert table.frame["nps"].tolist() == [9, 10, 8]
    said = " ".join(table.notes)
    assert "read sheet 'Current'" in said and "'Old export'" in said
    assert ("very hidden" if state == "veryHidden" else "(hidden)") in said


def test_several_hidden_sheets_and_other_visible_ones_are_all_named(tmp_path):
    book = new_book()
    sheet_of(book, "calc", [["x"], [1]], "veryHidden")
    sheet_of(book, "2023", [["id"], ["old"]], "hidden")
    sheet_of(book, "2024", [["id"], ["new"]])
    sheet_of(book, "notes", [["text"], ["hello"]])
    table = read_table(save(tmp_path, book))
    assert table.frame["id"].tolist() == ["new"]
    said = " ".join(table.notes)
    assert "'calc' (very hidden)" in said and "'2023' (hidden)" in said and "'notes'" in said


def test_a_hidden_sheet_named_by_the_study_is_read_with_a_note(tmp_path):
    book = new_book()
    sheet_of(book, "raw", [["id"], ["a"]], "hidden")
    sheet_of(book, "pretty", [["id"], ["b"]])
    table = read_table(save(tmp_path, book), sheet="raw")
    assert table.frame["id"].tolist() == ["a"]
    assert notes_with(table, "although it is hidden")


def test_a_workbook_of_several_visible_sheets_says_which_was_read(tmp_path):
    book = new_book()
    sheet_of(book, "Responses", [["id"], ["a"]])
    sheet_of(book, "Summary", [["n"], [1]])
    table = read_table(save(tmp_path, book))
    assert notes_with(table, "read sheet 'Responses', the first of the workbook's 2 sheets")


# --- merged cells -----------------------------------------------------------------------

def test_merged_labels_are_filled_and_merged_numbers_are_flagged(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["design", "participant", "task", "sus"],
                                 ["A", "P1", "T1", 80], [None, "P1", "T2", None],
                                 [None, "P2", "T1", 65], ["B", "P3", "T1", 70],
                                 [None, "P3", "T2", None]])
    sheet.merge_cells("A2:A4")  # design A for three rows
    sheet.merge_cells("A5:A6")
    sheet.merge_cells("D5:D6")  # a number merged: not copied
    table = read_table(save(tmp_path, book))
    assert table.frame["design"].tolist() == ["A", "A", "A", "B", "B"]
    assert table.frame["sus"].iloc[3] == 70 and table.frame["sus"].isna().iloc[4]
    filled, flagged = notes_with(table, "filled from"), notes_with(table, "left blank")
    assert filled and "'design' A2:A4, A5:A6" in filled[0]
    assert flagged and "'sus' D5:D6" in flagged[0]


def test_a_merged_date_and_a_block_across_columns_are_filled(tmp_path):
    book = new_book()
    day = dt.datetime(2025, 3, 4)
    sheet = sheet_of(book, "S", [["id", "seen", "segment", "region"],
                                 ["a", day, "Retail", None], ["b", None, None, None],
                                 ["c", None, "Pro", "EU"]])
    sheet.merge_cells("B2:B4")
    sheet.merge_cells("C2:D3")  # a two-by-two block
    table = read_table(save(tmp_path, book))
    assert table.frame["seen"].tolist() == [day] * 3
    assert table.frame["segment"].tolist() == ["Retail", "Retail", "Pro"]
    assert table.frame["region"].tolist() == ["Retail", "Retail", "EU"]


def test_a_header_merged_across_columns_names_each_column(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["id", "Task 1", None, "nps"], ["a", 1, 30, 9], ["b", 0, 45, 7]])
    sheet.merge_cells("B1:C1")
    table = read_table(save(tmp_path, book))
    assert list(table.frame.columns) == ["id", "Task 1", "Task 1 (2)", "nps"]
    assert table.frame["Task 1 (2)"].tolist() == [30, 45]
    assert notes_with(table, "merged header cells")


# --- formulas with no saved result -------------------------------------------------------

def test_formulas_without_saved_results_are_named_with_the_fix(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["id", "a", "b", "total"]])
    for r in range(2, 12):
        sheet.append([f"P{r}", r, 1, f"=B{r}+C{r}"])  # openpyxl saves no result
    table = read_table(save(tmp_path, book))
    assert table.frame["total"].isna().all()
    note = notes_with(table, "formula cells with no saved result")
    assert note and "column 'total' D2, D3, D4, D5, D6 ... (10 cells)" in note[0]
    assert "save it again, or export the sheet as CSV" in note[0]


def test_a_formula_in_a_key_column_and_a_header_formula_are_both_named(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["=\"id\"", "nps"], ["=\"P\"&1", 9], ["P2", 8]])
    sheet.title = "S"
    table = read_table(save(tmp_path, book))
    note = notes_with(table, "formula cells")[0]
    assert "A1" in note and "A2" in note and "A3" not in note


def test_no_formula_note_for_a_plain_sheet(tmp_path):
    book = new_book()
    sheet_of(book, "S", [["id", "nps"], ["a", 9]])
    table = read_table(save(tmp_path, book))
    assert not notes_with(table, "formula") and not notes_with(table, "merged")


# --- stray cells far from the table --------------------------------------------------------

def test_a_space_in_the_last_cell_of_the_sheet_allocates_nothing(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["id", "nps"], ["a", 9], ["b", 7]])
    sheet.cell(row=1_048_576, column=16_384, value=" ")  # XFD1048576
    path = save(tmp_path, book)
    start = time.perf_counter()
    table = read_table(path)
    assert time.perf_counter() - start < 2
    assert table.frame.shape == (2, 2) and table.blank_rows == []
    assert notes_with(table, "XFD1048576")


def test_a_value_150000_rows_below_is_left_out_by_address(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["id", "nps"], ["a", 9], ["b", 7]])
    sheet.cell(row=150_004, column=1, value="x")
    sheet.cell(row=150_005, column=2, value=3)
    table = read_table(save(tmp_path, book))
    assert len(table.frame) == 2 and table.blank_rows == []
    note = notes_with(table, "far from the table")[0]
    assert "A150004, B150005" in note and "2 cell(s)" in note and "'x'" not in note


def test_a_value_far_right_is_left_out_and_a_near_gap_is_kept(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["id", "nps"], ["a", 9], ["b", 7]])
    sheet.cell(row=2, column=500, value="stray")
    sheet.cell(row=2 + GAP_ROWS, column=1, value="c")  # a gap of GAP_ROWS - 1 blank rows: kept
    table = read_table(save(tmp_path, book))
    assert list(table.frame.columns) == ["id", "nps"]
    assert table.frame["id"].tolist() == ["a", "b", "c"]
    assert len(table.blank_rows) == GAP_ROWS - 2
    assert notes_with(table, "SF2")


def test_a_sheet_of_only_spaces_is_empty(tmp_path):
    book = new_book()
    sheet = book.create_sheet("S")
    sheet["C3"] = "   "
    with pytest.raises(DataError, match="is empty"):
        read_table(save(tmp_path, book))


def test_a_workbook_of_hidden_sheets_only_is_read_with_a_note(tmp_path):
    import zipfile

    book = new_book()
    sheet_of(book, "a", [["id"], ["x"]])
    sheet_of(book, "b", [["id"], ["y"]], "hidden")
    path = save(tmp_path, book, "made.xlsx")
    # openpyxl will not write a workbook without a visible sheet; other programs do
    out = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b'sheetId="1" state="visible"', b'sheetId="1" state="hidden"')
                assert data.count(b'state="hidden"') == 2
            target.writestr(item, data)
    table = read_table(out)
    assert table.frame["id"].tolist() == ["x"] and notes_with(table, "every sheet of the workbook is hidden")


def test_a_stray_cell_far_above_or_left_of_the_table_does_not_become_the_header(tmp_path):
    book = new_book()
    sheet = book.create_sheet("S")
    sheet["A1"] = "Quarterly export"  # a title 2,000 rows above the table
    sheet["A3000"] = "left over"  # and a cell far left of it
    for r, row in enumerate([["id", "nps"], ["a", 9], ["b", 7]], start=2001):
        for c, value in enumerate(row, start=200):
            sheet.cell(row=r, column=c, value=value)
    table = read_table(save(tmp_path, book))
    assert list(table.frame.columns) == ["id", "nps"] and table.frame["nps"].tolist() == [9, 7]
    assert table.rows.tolist() == [2002, 2003]
    note = notes_with(table, "far from the table")[0]
    assert "A1, A3000" in note and not notes_with(table, "rows above it are empty")
    assert notes_with(table, "starts in column GR")


def test_a_table_with_a_margin_starts_at_its_first_column(tmp_path):
    book = new_book()
    sheet = book.create_sheet("S")
    for r, row in enumerate([["id", "nps"], ["a", 9]], start=3):
        for c, value in enumerate(row, start=3):
            sheet.cell(row=r, column=c, value=value)
    sheet.merge_cells("C4:D4")  # a merged label away from column A, filled in place
    table = read_table(save(tmp_path, book))
    assert list(table.frame.columns) == ["id", "nps"] and table.frame.iloc[0].tolist() == ["a", "a"]
    assert notes_with(table, "header is in row 3") and notes_with(table, "starts in column C")


def test_many_merged_ranges_are_counted_as_ranges(tmp_path):
    book = new_book()
    sheet = sheet_of(book, "S", [["id", "group"]] + [[f"P{r}", "g" if r % 2 == 0 else None]
                                                      for r in range(2, 22)])
    for r in range(2, 22, 2):
        sheet.merge_cells(f"B{r}:B{r + 1}")
    table = read_table(save(tmp_path, book))
    assert table.frame["group"].tolist() == ["g"] * 20
    assert "B2:B3, B4:B5, B6:B7, B8:B9, B10:B11 ... (10 ranges)" in notes_with(table, "merged")[0]
