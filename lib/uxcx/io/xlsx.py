"""Reading one sheet of an XLSX workbook into a frame, saying what the workbook hid or lost.

:func:`read_xlsx` reads the cells the sheet's XML holds, one by one (never the rectangle the
sheet declares, which a stray cell can stretch to Excel's 1,048,576 × 16,384), and returns the
frame from the header down with the Excel row number of each row. The notes it adds (they
reach the ledger) say which sheet was read and which hidden ones were skipped, which merged
ranges were filled, which formulas had no saved result, and which stray cells far from the
table were left out. Rules, in order:

* **Sheet**: the one the study names (by name, or 0-based position among all sheets), else the
  first *visible* sheet: a hidden or very hidden sheet is often an old copy.
* **Extent**: the table is the block of rows holding most cells, blocks being separated by
  more than :data:`GAP_ROWS` empty rows, and within it the block of columns holding most
  cells (separated by more than :data:`GAP_COLUMNS` empty columns); its first row is the
  header. Cells outside (a stray value far below, above or beside the data) are not read;
  the note gives their addresses. Cells holding only spaces never stretch the table.
* **Merged cells**: a merged range in the header gives its name to each column it covers
  (``Task 1``, ``Task 1 (2)``, ...); a merged range among the data is filled from its top-left
  cell when that holds text, a date or yes/no (a label shared by the rows: a design, segment,
  task or id), and left blank below a number, which is one measurement (copying it would count
  it several times): the note names the cells to fill by hand.
* **Formulas**: a formula cell with no saved result (written by a program that does not
  calculate formulas) is blank; the note names its column and cells.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from uxcx.errors import DataError, Problem
from uxcx.io.shared import column_names, fail

__all__ = ["read_xlsx", "GAP_ROWS", "GAP_COLUMNS", "MAX_CELLS"]

GAP_ROWS = 1_000  # more empty rows than this end the table
GAP_COLUMNS = 100  # more empty columns than this end the table
MAX_CELLS = 50_000_000  # rows × columns of the table read into memory
_SHOWN = 5  # addresses listed in a note before "..."

_XLSX_HINT = "open it in Excel and save it again as .xlsx (a CSV renamed to .xlsx will not open)"
_FORMULA_HINT = ("the workbook was saved by a program that does not calculate formulas: open it "
                 "in Excel or LibreOffice and save it again, or export the sheet as CSV")


def read_xlsx(data: bytes, file: str, sheet, notes: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The sheet (name, or 0-based position; None for the first visible one) from the header down.

    Empty rows above the header and below the last filled row are skipped, and empty
    columns right of the table removed. See the module's docstring for the rules on hidden
    sheets, the table's extent, merged cells and formulas; each one that applies adds a note.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise fail(file, f"the file cannot be read as an Excel workbook ({err})",
                   "an .xlsx workbook", _XLSX_HINT) from None
    try:
        chosen = _choose_sheet(book.worksheets, sheet, file, notes)
        cells, merged, formulas = _cells(book, chosen)
    except DataError:
        raise
    except Exception as err:
        raise fail(file, f"the workbook cannot be read ({err})", "an .xlsx workbook",
                   _XLSX_HINT) from None
    finally:
        book.close()
    return _table(cells, merged, formulas, file, chosen.title, notes)


# --- which sheet ----------------------------------------------------------------------

def _choose_sheet(sheets: list, sheet, file: str, notes: list[str]):
    """The sheet asked for, else the first visible one; the notes say which and what was skipped."""
    if sheet is not None:
        chosen = _sheet(sheets, sheet, file)
        if chosen.sheet_state != "visible":
            notes.append(f"read sheet {chosen.title!r} as the study names it, although it is "
                         f"{_state(chosen)} in the workbook")
        return chosen
    if not sheets:
        raise fail(file, "the workbook holds no worksheet (only charts)", "a sheet of data",
                   "save the sheet that holds the table in the workbook, or export it as CSV")
    visible = [s for s in sheets if s.sheet_state == "visible"]
    chosen = visible[0] if visible else sheets[0]
    skipped = [s for s in sheets[:sheets.index(chosen)] if s.sheet_state != "visible"]
    others = [s.title for s in visible if s is not chosen]
    if not visible:
        notes.append(f"read sheet {chosen.title!r}, the first one, although every sheet of the "
                     "workbook is hidden")
    elif skipped:
        notes.append(f"read sheet {chosen.title!r}, the first visible one; skipped "
                     + ", ".join(f"{s.title!r} ({_state(s)})" for s in skipped)
                     + ": name a sheet under sheet: to read another")
    elif len(sheets) > 1:
        notes.append(f"read sheet {chosen.title!r}, the first of the workbook's "
                     f"{len(sheets)} sheets")
    if others and skipped:
        notes.append("the workbook's other visible sheets: " + ", ".join(map(repr, others)))
    return chosen


def _state(sheet) -> str:
    return "very hidden" if sheet.sheet_state == "veryHidden" else "hidden"


def _sheet(sheets: list, sheet, file: str):
    """The worksheet named, or at a 0-based position (negative counts from the end)."""
    titles = [s.title for s in sheets]
    if isinstance(sheet, int) and -len(sheets) <= sheet < len(sheets):
        return sheets[sheet]
    if sheet in titles:
        return sheets[titles.index(sheet)]
    raise DataError([Problem(
        file, None, None, sheet, "there is no such sheet",
        expected="one of the sheets " + ", ".join(repr(t) for t in titles)
                 + " (a name, or a position counted from 0)",
        hint="pick one of these sheet names (spelling and capitals count)")])


# --- the cells the sheet holds ---------------------------------------------------------

def _cells(book, sheet) -> tuple[tuple, list[str], set]:
    """Every cell the sheet's XML holds, merged ranges, unread formulas.

    The cells come as (rows, columns, values, filled): 1-based positions, the values, and
    which of them hold more than spaces.

    Parsed with openpyxl's own worksheet parser (the one its read-only mode uses; openpyxl
    3.1), which yields only the cells present; the parser also collects the merged ranges.
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        unread: set  # (row, column) of formula cells without a saved result

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                self.unread.add((cell["row"], cell["column"]))
            return cell

    rows, columns, values, blank = [], [], [], []
    with sheet._get_source() as source:
        parser = Parser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                        date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        parser.unread = set()
        for _, row in parser.parse():
            for cell in row:
                if cell["value"] is not None:
                    rows.append(cell["row"])
                    columns.append(cell["column"])
                    values.append(cell["value"])
                    blank.append(isinstance(cell["value"], str) and not cell["value"].strip())
    merged = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    return ((np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64), values,
             ~np.asarray(blank, dtype=bool)), merged, parser.unread)


def _block(at: np.ndarray, weight: np.ndarray, gap: int) -> tuple[int, int]:
    """The first and last of the sorted positions ``at`` of the block holding most cells.

    Blocks are separated by runs of more than ``gap`` empty positions; ``weight`` counts the
    cells at each position. A stray cell far above, below or beside the table is a block of
    its own, and a small one.
    """
    starts = np.concatenate([[0], np.flatnonzero(np.diff(at) > gap + 1) + 1])
    ends = np.concatenate([starts[1:], [len(at)]]) - 1
    best = int(np.argmax(np.add.reduceat(weight, starts)))
    return int(at[starts[best]]), int(at[ends[best]])


def _table(cells, merged, formulas, file, title, notes) -> tuple[pd.DataFrame, np.ndarray]:
    rows, columns, values, filled = cells
    if not filled.any():
        raise fail(file, f"the sheet {title!r} is empty", "a header row and data rows",
                   "check the sheet, or pick another one with sheet=")
    top, bottom = _block(*np.unique(rows[filled], return_counts=True), GAP_ROWS)
    inside = filled & (rows >= top) & (rows <= bottom)
    left, right = _block(*np.unique(columns[inside], return_counts=True), GAP_COLUMNS)
    box = (top, bottom, left, right)
    stray_above = _stray(rows, columns, filled, box, notes)
    if top > 1 and not stray_above:
        notes.append(f"the header is in row {top} of sheet {title!r}; rows above it are empty")
    if left > 1:
        notes.append(f"the table starts in column {_letters(left)} of sheet {title!r}; columns "
                     "left of it are empty")
    height, width = bottom - top + 1, right - left + 1
    if height * width > MAX_CELLS:
        raise fail(file, f"the table of sheet {title!r} spans {height:,} rows × {width:,} columns, "
                         f"more than the {MAX_CELLS:,} cells the kit reads from a workbook",
                   "a table of at most 50 million cells",
                   "save the sheet as CSV, or delete the cells far from the table")
    kept = np.flatnonzero((rows >= top) & (rows <= bottom) & (columns >= left) & (columns <= right))
    grid = np.full((height, width), None, dtype=object)
    grid[rows[kept] - top, columns[kept] - left] = _objects([values[i] for i in kept])
    _merge(grid, merged, top, left, notes)
    header = _header_merges(list(grid[0]), merged, box, notes)
    frame = pd.DataFrame(grid[1:], columns=range(width), dtype=object)
    names = column_names(header, file, top, notes)
    frame.columns = names
    _formula_note(formulas, box, names, notes)
    return frame, np.arange(len(frame), dtype=np.int64) + (top + 1)


def _letters(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(int(column))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _address(row: int, column: int) -> str:
    return f"{_letters(column)}{int(row)}"


def _listed(addresses: list[str], total: int, unit: str = "cells") -> str:
    shown = ", ".join(addresses[:_SHOWN])
    return shown + (f" ... ({total:,} {unit})" if total > _SHOWN else "")


def _stray(rows, columns, filled, box, notes) -> bool:
    """Notes on the cells left out: far from the table, or holding only spaces beyond it.

    Returns whether filled cells lie above the table.
    """
    top, bottom, left, right = box
    outside = (rows < top) | (rows > bottom) | (columns < left) | (columns > right)
    far = np.flatnonzero(outside & filled)
    if len(far):
        order = far[np.lexsort((columns[far], rows[far]))]
        notes.append(
            f"{len(far):,} cell(s) far from the table not read (more than {GAP_ROWS:,} empty "
            f"rows or {GAP_COLUMNS} empty columns away): "
            + _listed([_address(rows[i], columns[i]) for i in order[:_SHOWN]], len(far))
            + "; delete them, or move the data next to the table")
    spaces = np.flatnonzero(outside & ~filled)
    if len(spaces):
        notes.append("cell(s) holding only spaces beyond the table ignored: "
                     + _listed([_address(rows[i], columns[i]) for i in spaces[:_SHOWN]], len(spaces)))
    return bool((rows[far] < top).any())


# --- merged ranges and formulas ---------------------------------------------------------

def _ranges(merged: list[str]):
    from openpyxl.utils.cell import range_boundaries

    bounds = sorted((range_boundaries(ref), ref) for ref in merged)
    for (low_col, low_row, high_col, high_row), ref in sorted(bounds, key=lambda b: b[0][1::-1]):
        yield ref, low_row, low_col, high_row, high_col


def _is_label(value) -> bool:
    """Text, a date or yes/no: a value that labels the rows it spans (a number measures one)."""
    return isinstance(value, str | bool | date | datetime | time | timedelta) and not (
        isinstance(value, str) and not value.strip())


def _merge(grid: np.ndarray, merged: list[str], top: int, first: int, notes: list[str]) -> None:
    """Fill merged ranges among the data rows from their top-left cell (labels only)."""
    height, width = grid.shape
    filled, left = defaultdict(list), defaultdict(list)
    for ref, r0, c0, r1, c1 in _ranges(merged):
        if r0 <= top or r0 - top >= height or c0 < first or c0 - first >= width:
            continue  # header ranges are named by _header_merges; ranges outside the table
        a, b, c, d = r0 - top, min(r1 - top, height - 1), c0 - first, min(c1 - first + 1, width)
        value = grid[a, c]
        if value is None or (a == b and c + 1 == d):
            continue
        (filled if _is_label(value) else left)[c].append(ref)
        if _is_label(value):
            grid[a:b + 1, c:d] = value
    for what, found in (("filled from their top-left cell", filled),
                        ("holding a number left blank below their top-left cell (a number "
                         "is one measurement; unmerge and fill the cells if it applies to "
                         "each row)", left)):
        if found:
            notes.append(f"merged cells {what}: " + "; ".join(
                f"column {_column_header(grid, c, first)!r} " + _listed(refs, len(refs), "ranges")
                for c, refs in found.items()))


def _column_header(grid: np.ndarray, c: int, first: int) -> str:
    name = grid[0, c]
    return str(name).strip() if name is not None else _letters(c + first)


def _header_merges(header: list, merged: list[str], box, notes) -> list:
    """A header cell merged across columns names each of them: 'Task 1', 'Task 1 (2)', ..."""
    top, _, left, right = box
    named = []
    for ref, r0, c0, _r1, c1 in _ranges(merged):
        name = header[c0 - left] if r0 == top and left <= c0 <= right else None
        if name is None or c1 == c0:
            continue
        for k, c in enumerate(range(c0, min(c1, right) + 1)[1:], start=2):
            if header[c - left] is None:
                header[c - left] = f"{str(name).strip()} ({k})"
        named.append(ref)
    if named:
        notes.append("merged header cells name each column they cover ('name', 'name (2)', "
                     "...): " + _listed(named, len(named), "ranges"))
    return header


def _formula_note(formulas: set, box, names: list[str], notes: list[str]) -> None:
    """Which columns had formulas with no saved result (read as blank)."""
    top, bottom, left, right = box
    if not formulas:
        return
    at = np.array(sorted((c, r) for r, c in formulas), dtype=np.int64).reshape(-1, 2)
    at = at[(at[:, 1] >= top) & (at[:, 1] <= bottom) & (at[:, 0] >= left) & (at[:, 0] <= right)]
    if not len(at):
        return
    columns, first, count = np.unique(at[:, 0], return_index=True, return_counts=True)
    listed = [f"column {names[c - left]!r} "
              + _listed([_address(r, c) for c, r in at[i:i + _SHOWN]], int(n))
              for c, i, n in zip(columns, first, count, strict=True)]  # per column, not per cell
    notes.append("formula cells with no saved result read as blank: " + "; ".join(listed)
        + "; " + _FORMULA_HINT)
