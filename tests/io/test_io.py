"""Tests of uxcx.io.tables: reading tables in every format, encoding and delimiter we meet.

Expected row numbers are those a spreadsheet shows for the file (header = row 1).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import uxcx.io.delimited as read_csv_module
from uxcx.errors import DataError
from uxcx.io.tables import RawTable, detect_format, read_table

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"

SURVEY = (
    "id,name,city,nps\n"
    "00123,Zoë,Köln,9\n"
    "00124,Renée,€ area,7\n"
    "00125,Ana,Porto,10\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def problems(excinfo) -> list:
    return excinfo.value.problems


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row or [], start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- delimiters -------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_gives_the_same_frame(tmp_path, delimiter):
    text = SURVEY.replace(",", delimiter)
    table = read_table(write(tmp_path, "s.csv", text), text_columns=["id"])
    assert table.delimiter == delimiter
    assert table.format == "csv"
    assert list(table.frame.columns) == ["id", "name", "city", "nps"]
    assert table.frame["id"].tolist() == ["00123", "00124", "00125"]
    assert table.frame["nps"].tolist() == [9, 7, 10]
    assert table.rows.tolist() == [2, 3, 4]
    assert table.rows.dtype == np.int64
    assert table.blank_rows == []


def test_semicolon_file_with_commas_in_header_and_decimal_commas(tmp_path):
    text = "How long, on average, per week?;score\n3-5 hours;3,5\n> 5 hours;4,0\n1 hour;2,5\n"
    table = read_table(write(tmp_path, "s.csv", text))
    assert table.delimiter == ";"
    assert list(table.frame.columns) == ["How long, on average, per week?", "score"]
    assert table.frame["score"].tolist() == ["3,5", "4,0", "2,5"]


def test_delimiter_tie_prefers_comma(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "a,b;c\n1,2;3\n4,5;6\n"))
    assert table.delimiter == ","
    assert list(table.frame.columns) == ["a", "b;c"]


def test_delimiter_giving_more_consistent_fields_wins(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "a;b;c,d\n1;2;3,4\n5;6;7,8\n"))
    assert table.delimiter == ";"
    assert list(table.frame.columns) == ["a", "b", "c,d"]


def test_delimiter_inside_quotes_is_not_counted(tmp_path):
    text = 'id;comment\n1;"slow, slow, slow"\n2;"ok, fine"\n'
    table = read_table(write(tmp_path, "s.csv", text))
    assert table.delimiter == ";"
    assert table.frame["comment"].tolist() == ["slow, slow, slow", "ok, fine"]


def test_single_column_file(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "comment\nToo slow, honestly\nGreat\n"))
    assert list(table.frame.columns) == ["comment"]
    assert table.frame["comment"].tolist() == ["Too slow, honestly", "Great"]


def test_tsv_format_and_extension(tmp_path):
    text = SURVEY.replace(",", "\t")
    by_ext = read_table(write(tmp_path, "s.tsv", text))
    forced = read_table(write(tmp_path, "s.txt", text), format="tsv")
    assert by_ext.delimiter == forced.delimiter == "\t"
    assert forced.format == "csv"
    pd.testing.assert_frame_equal(by_ext.frame, forced.frame)


# --- encodings and line ends --------------------------------------------------------

@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),  # with BOM, native order
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_give_identical_frames(tmp_path, encode, encoding):
    reference = read_table(write(tmp_path, "ref.csv", SURVEY), text_columns=["id"])
    table = read_table(write(tmp_path, "s.csv", encode(SURVEY)), text_columns=["id"])
    assert table.encoding == encoding
    pd.testing.assert_frame_equal(table.frame, reference.frame)
    assert table.frame["name"].tolist() == ["Zoë", "Renée", "Ana"]
    assert table.frame["city"][1] == "€ area"
    if encoding == "cp1252":
        assert table.notes == ["decoded as cp1252 (not valid UTF-8)"]
    else:
        assert table.notes == []


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path):
    table = read_table(write(tmp_path, "s.csv", b"a,b\n\x81x,1\n"))
    assert table.encoding == "latin-1"
    assert table.frame["a"][0] == "\x81x"
    assert "latin-1" in table.notes[0]


def test_crlf_line_ends(tmp_path):
    lf = read_table(write(tmp_path, "lf.csv", SURVEY), text_columns=["id"])
    crlf = read_table(write(tmp_path, "crlf.csv", SURVEY.replace("\n", "\r\n")),
                      text_columns=["id"])
    pd.testing.assert_frame_equal(crlf.frame, lf.frame)
    assert crlf.rows.tolist() == lf.rows.tolist() == [2, 3, 4]


def test_crlf_with_blank_lines(tmp_path):
    text = "a,b\r\n1,x\r\n\r\n2,y\r\n"
    table = read_table(write(tmp_path, "s.csv", text))
    assert table.frame["b"].tolist() == ["x", "y"]
    assert table.rows.tolist() == [2, 4]
    assert table.blank_rows == [3]


# --- quoting, blank rows, row numbers ------------------------------------------------

def test_quoted_delimiters_quotes_and_embedded_newlines(tmp_path):
    text = (
        'id,comment,nps\n'
        '1,"Slow, but fine",7\n'
        '2,"Line one\nLine two",8\n'
        '3,"He said ""hi""",9\n'
    )
    table = read_table(write(tmp_path, "s.csv", text))
    assert table.frame["comment"].tolist() == [
        "Slow, but fine", "Line one\nLine two", 'He said "hi"']
    assert table.frame["nps"].tolist() == [7, 8, 9]
    assert table.rows.tolist() == [2, 3, 4]  # records, not lines


def test_embedded_newlines_and_blank_lines_number_records(tmp_path):
    text = 'id,comment\n1,"a\nb"\n\n2,c\n'
    table = read_table(write(tmp_path, "s.csv", text))
    # row 2 holds the two-line value, row 3 is the blank line (file line 4)
    assert table.frame["comment"].tolist() == ["a\nb", "c"]
    assert table.rows.tolist() == [2, 4]
    assert table.blank_rows == [3]


def test_blank_lines_in_the_middle_and_at_the_end(tmp_path):
    text = "a,b\n1,x\n\n2,y\n,\n   \n3,z\n\n"
    table = read_table(write(tmp_path, "s.csv", text))
    assert table.frame["a"].tolist() == [1, 2, 3]
    assert table.frame["b"].tolist() == ["x", "y", "z"]
    assert table.frame["a"].dtype == pd.ArrowDtype(pa.int64())
    assert table.rows.tolist() == [2, 4, 7]
    assert table.blank_rows == [3, 5, 6, 8]
    assert isinstance(table.frame.index, pd.RangeIndex)
    assert table.frame.index.tolist() == [0, 1, 2]


def test_rows_of_delimiters_only_are_blank(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "a,b,c\n1,2,3\n,,\n4,5,6\n"))
    assert table.frame["a"].tolist() == [1, 4]
    assert table.rows.tolist() == [2, 4]
    assert table.blank_rows == [3]


def test_blank_lines_before_the_header_shift_the_numbers(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "\n\na,b\n1,2\n3,4\n"))
    assert list(table.frame.columns) == ["a", "b"]
    assert table.rows.tolist() == [4, 5]
    assert table.blank_rows == []
    assert table.notes == ["skipped 2 blank lines before the header"]


def test_trailing_delimiter_on_every_line_is_tolerated(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "a,b\n1,2,\n3,4,\n"))
    assert list(table.frame.columns) == ["a", "b"]
    assert table.frame["b"].tolist() == [2, 4]
    assert "delimiter at the end" in table.notes[0]


def test_header_names_are_stripped(tmp_path):
    table = read_table(write(tmp_path, "s.csv", " id , nps \n00123,9\n"),
                       text_columns=["id"])
    assert list(table.frame.columns) == ["id", "nps"]
    assert table.frame["id"].tolist() == ["00123"]
    assert "removed spaces" in table.notes[0]


def test_quoted_values_spanning_lines_in_a_large_file(tmp_path):
    # past pyarrow's 1 MB block, where its engine gives up; the C engine reads it
    n = 30_000
    lines = ["id,comment,nps"] + [f'{i},"first line {i}\nsecond, line",{i % 11}'
                                  for i in range(n)]
    table = read_table(write(tmp_path, "s.csv", "\n".join(lines) + "\n"))
    assert len(table.frame) == n
    assert table.frame["comment"][n - 1] == f"first line {n - 1}\nsecond, line"
    assert table.frame["nps"].sum() == sum(i % 11 for i in range(n))
    assert table.rows[-1] == n + 1


# --- text columns ---------------------------------------------------------------------

def test_text_columns_keep_ids_as_written(tmp_path):
    path = write(tmp_path, "s.csv", "id,zip,nps\n00123,01234,9\n00124,,7\n")
    plain = read_table(path)
    assert plain.frame["id"].tolist() == [123, 124]  # inferred as numbers
    table = read_table(path, text_columns=["id", "zip", "not_there"])
    assert table.frame["id"].tolist() == ["00123", "00124"]
    assert table.frame["id"].dtype == pd.StringDtype()
    assert table.frame["zip"][0] == "01234"
    assert table.frame["zip"].isna()[1]
    assert table.frame["nps"].tolist() == [9, 7]


def test_text_columns_accepts_a_single_name(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "id,nps\n007,9\n"), text_columns="id")
    assert table.frame["id"].tolist() == ["007"]


def test_text_columns_on_the_slow_path(tmp_path):
    table = read_table(write(tmp_path, "s.csv", "id,nps\n007,9\n\n008,8\n"), text_columns=["id"])
    assert table.frame["id"].tolist() == ["007", "008"]
    assert table.frame["id"].dtype == pd.StringDtype()


# --- the two engines agree ---------------------------------------------------------------

MIXED = (
    "id,n,x,flag,day,stamp,name,quoted,e,empty,mixed,fine,utc,clock,maybe,big\n"
    "00123,1,1.5,True,2024-01-05,2024-01-05 10:11:12,hello,\"5\",1e5,,a,"
    "2024-01-05 10:11:12.25,2024-01-05T10:11:12Z,10:11:12,yes,9007199254740993\n"
    "00124,,2.25,False,2024-02-05,2024-01-05T10:11:12,NA,\"6\",inf,,1,"
    "2024-01-05 10:11:13,2024-01-05 10:11:12+02:00,09:05,,-9007199254740993\n"
    "00125,3,,TRUE,,,\"\",7,nan,,2.5,,,,no,0\n"
    "00126,-4,3,false,2024-03-01,2024-01-06 00:00:00, x ,8,-0.1,,,"
    "2024-01-05 10:11:14.123456789,2024-01-05T10:11:12Z,23:59:59,yes,1\n"
)


def no_slow_path(*args, **kwargs):
    raise AssertionError("the pyarrow engine should have read this file")


@pytest.mark.parametrize("blank", ["", "\n"])
def test_fast_path_equals_c_engine_on_mixed_types(tmp_path, monkeypatch, blank):
    path = write(tmp_path, "mixed.csv", MIXED + blank)
    with monkeypatch.context() as patch:
        patch.setattr(read_csv_module, "_read_slow", no_slow_path)
        fast = read_table(path, text_columns=["id"])
    with monkeypatch.context() as patch:
        patch.setattr(read_csv_module, "_read_fast", lambda *args, **kwargs: None)
        slow = read_table(path, text_columns=["id"])
    assert fast.blank_rows == slow.blank_rows == ([6] if blank else [])
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    np.testing.assert_array_equal(fast.rows, slow.rows)
    frame = fast.frame
    assert frame["day"].dtype == pd.ArrowDtype(pa.date32())
    assert frame["stamp"].dtype == pd.ArrowDtype(pa.timestamp("s"))
    assert frame["n"].dtype == pd.ArrowDtype(pa.int64())
    assert frame["flag"].tolist() == [True, False, True, False]
    assert frame["quoted"].tolist() == [5, 6, 7, 8]
    assert frame["name"][3] == " x "  # values are not trimmed
    assert frame["empty"].isna().all()
    assert frame["fine"].dtype == pd.ArrowDtype(pa.timestamp("ns"))
    assert frame["utc"].dtype == pd.ArrowDtype(pa.timestamp("s", tz="UTC"))
    assert frame["utc"][1] == pd.Timestamp("2024-01-05 08:11:12", tz="UTC")
    assert frame["clock"].dtype == pd.ArrowDtype(pa.time32("s"))
    assert frame["clock"][1] == dt.time(9, 5)
    assert frame["big"].tolist()[:2] == [9007199254740993, -9007199254740993]  # exact


@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_header_only_gives_an_empty_frame_on_both_paths(tmp_path, monkeypatch, ending):
    path = write(tmp_path, "a.csv", "id,nps,comment" + ending)
    fast = read_table(path, text_columns=["id"])
    with monkeypatch.context() as patch:
        patch.setattr(read_csv_module, "_read_fast", lambda *args, **kwargs: None)
        slow = read_table(path, text_columns=["id"])
    assert list(fast.frame.columns) == ["id", "nps", "comment"]
    assert len(fast.frame) == 0 and fast.rows.tolist() == []
    assert fast.frame["id"].dtype == pd.StringDtype()
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.blank_rows == slow.blank_rows == ([2] if ending == "\n\n" else [])


def test_blank_lines_stay_on_the_fast_path_across_blocks(tmp_path, monkeypatch):
    # pyarrow parses in 1 MB blocks; blank lines must keep their place in each
    n = 60_000
    lines = ["id,segment,nps"]
    for i in range(n):
        lines.append(f"{i},Consumer segment with a long name,{i % 11}")
        if i % 997 == 0:
            lines.append("\r" if i % 2 else "")
    path = write(tmp_path, "s.csv", "\n".join(lines) + "\n")
    monkeypatch.setattr(read_csv_module, "_read_slow", no_slow_path)
    table = read_table(path)
    assert path.stat().st_size > 2_000_000
    assert len(table.frame) == n
    expected_rows = [i + 1 for i, line in enumerate(lines) if line not in ("", "\r")][1:]
    assert table.rows.tolist() == expected_rows
    assert table.blank_rows == [i + 1 for i, line in enumerate(lines) if line in ("", "\r")]
    assert table.frame["id"].tolist() == list(range(n))


# --- XLSX -----------------------------------------------------------------------------

@pytest.fixture
def workbook(tmp_path):
    data = xlsx_bytes({
        "Tasks": [
            ["participant", "task", "time_s", "when"],
            ["00123", "search", 41.5, dt.datetime(2024, 1, 5, 9, 30)],
            [None, None, None, None],
            [124, "checkout", 63, dt.datetime(2024, 1, 6)],
            [None, None, None, None],
            [125, "search", 38, None],
        ],
        "Survey": [
            None,
            None,
            ["respondent", " nps "],
            [1, 9],
            [2, 7],
        ],
    })
    return write(tmp_path, "study.xlsx", data)


def test_xlsx_first_sheet_with_excel_row_numbers(workbook):
    table = read_table(workbook, text_columns=["participant"])
    assert table.format == "xlsx"
    assert table.encoding is None and table.delimiter is None
    assert list(table.frame.columns) == ["participant", "task", "time_s", "when"]
    assert table.frame["participant"].tolist() == ["00123", "124", "125"]
    assert table.frame["time_s"].tolist() == [41.5, 63.0, 38.0]
    assert table.frame["time_s"].dtype == pd.ArrowDtype(pa.float64())
    assert table.frame["when"][0] == pd.Timestamp("2024-01-05 09:30")
    assert table.rows.tolist() == [2, 4, 6]
    assert table.blank_rows == [3, 5]


@pytest.mark.parametrize("sheet", ["Survey", 1])
def test_xlsx_sheet_by_name_or_index(workbook, sheet):
    table = read_table(workbook, sheet=sheet)
    assert list(table.frame.columns) == ["respondent", "nps"]
    assert table.frame["nps"].tolist() == [9, 7]
    assert table.rows.tolist() == [4, 5]  # header in Excel row 3
    assert any("row 3" in note for note in table.notes)


@pytest.mark.parametrize("sheet", ["Responses", 5])
def test_xlsx_missing_sheet_lists_the_sheets(workbook, sheet):
    with pytest.raises(DataError) as excinfo:
        read_table(workbook, sheet=sheet)
    (problem,) = problems(excinfo)
    assert problem.value == sheet
    assert "'Tasks'" in problem.expected and "'Survey'" in problem.expected


def test_xlsx_duplicate_header(tmp_path):
    path = write(tmp_path, "d.xlsx", xlsx_bytes({"S": [["a", "b", "a"], [1, 2, 3]]}))
    with pytest.raises(DataError) as excinfo:
        read_table(path)
    (problem,) = problems(excinfo)
    assert problem.column == "a" and problem.row == 1
    assert "columns 1 (A), 3 (C)" in problem.reason


def test_xlsx_mixed_column_keeps_the_values(tmp_path):
    path = write(tmp_path, "m.xlsx", xlsx_bytes({"S": [["score"], [5], ["n/a"], [3]]}))
    table = read_table(path)
    assert table.frame["score"].tolist() == [5, "n/a", 3]


def test_corrupt_xlsx_is_a_data_error(tmp_path):
    path = write(tmp_path, "bad.xlsx", b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(DataError, match="cannot be read as an Excel workbook"):
        read_table(path)


def test_old_xls_is_refused_with_a_hint(tmp_path):
    path = write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(DataError) as excinfo:
        read_table(path)
    assert "save it as .xlsx" in problems(excinfo)[0].hint


# --- Parquet and JSON ----------------------------------------------------------------------

def test_parquet_records_numbered_from_one(tmp_path):
    frame = pd.DataFrame({
        "respondent": [101, 102, None, 104],
        "segment": pd.Categorical(["SMB", "Enterprise", None, "SMB"]),
        "nps": [9, 6, None, 10],
    })
    path = tmp_path / "s.parquet"
    frame.to_parquet(path, index=False)
    table = read_table(path, text_columns=["respondent"])
    assert table.format == "parquet"
    assert table.rows.tolist() == [1, 2, 4]
    assert table.blank_rows == [3]
    assert table.frame["respondent"].tolist() == ["101", "102", "104"]
    assert table.frame["segment"].tolist() == ["SMB", "Enterprise", "SMB"]
    assert table.frame["segment"].dtype == pd.ArrowDtype(pa.string())
    assert table.frame["nps"].tolist() == [9.0, 6.0, 10.0]


def test_parquet_named_index_becomes_a_column(tmp_path):
    frame = pd.DataFrame({"nps": [9, 7]}, index=pd.Index(["a", "b"], name="respondent"))
    path = tmp_path / "s.pq"
    frame.to_parquet(path)
    table = read_table(path)
    assert list(table.frame.columns) == ["respondent", "nps"]
    assert isinstance(table.frame.index, pd.RangeIndex)


def test_corrupt_parquet_is_a_data_error(tmp_path):
    path = write(tmp_path, "bad.parquet", b"PAR1 not really parquet")
    with pytest.raises(DataError, match="cannot be read as Parquet"):
        read_table(path)


RECORDS = [
    {"respondent": "007", "nps": 9, "comment": "great"},
    {"respondent": "008", "nps": None, "comment": "meh"},
    {"respondent": "009", "nps": 4},
]


def test_json_records_and_json_lines_agree(tmp_path):
    records = read_table(write(tmp_path, "r.json", json.dumps(RECORDS, indent=2)))
    lines = "\n".join(json.dumps(r) for r in RECORDS)
    jsonl = read_table(write(tmp_path, "r.jsonl", lines + "\n\n"))
    assert records.format == jsonl.format == "json"
    assert records.encoding == "utf-8" and records.delimiter is None
    pd.testing.assert_frame_equal(records.frame, jsonl.frame)
    frame = records.frame
    assert frame["respondent"].tolist() == ["007", "008", "009"]
    assert frame["nps"].dtype == pd.ArrowDtype(pa.int64())
    assert frame["nps"].isna().tolist() == [False, True, False]
    assert frame["comment"].isna()[2]
    assert records.rows.tolist() == jsonl.rows.tolist() == [1, 2, 3]


def test_json_empty_record_is_a_blank_row(tmp_path):
    table = read_table(write(tmp_path, "r.json", '[{"a": 1}, {}, {"a": null}, {"a": 2}]'))
    assert table.frame["a"].tolist() == [1, 2]
    assert table.rows.tolist() == [1, 4]
    assert table.blank_rows == [2, 3]


def test_json_text_columns(tmp_path):
    table = read_table(write(tmp_path, "r.json", '[{"id": 1}, {"id": null}, {"id": 30}]'),
                       text_columns=["id"])
    assert table.frame["id"].tolist() == ["1", "30"]
    assert table.blank_rows == [2]
    assert table.frame["id"].dtype == pd.StringDtype()


def test_invalid_json_says_where(tmp_path):
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.json", '[{"a": 1},\n {"a": 2\n]'))
    assert "line 3" in problems(excinfo)[0].reason
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.jsonl", '{"a": 1}\n{"a": 2\n{"a": 3}\n'))
    assert "line 2" in problems(excinfo)[0].reason


def test_json_object_holding_the_records_reads_its_list(tmp_path):
    table = read_table(write(tmp_path, "r.json", json.dumps({"meta": {"v": 1}, "responses": RECORDS})))
    assert len(table.frame) == len(RECORDS)
    assert table.notes == ["records read from the list 'responses' of the file's one object"]


def test_json_object_with_several_lists_of_records_is_explained(tmp_path):
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.json", json.dumps({"a": RECORDS, "b": RECORDS})))
    assert "['a', 'b']" in problems(excinfo)[0].hint


def test_json_list_cells_are_spread_into_numbered_columns(tmp_path):
    table = read_table(write(tmp_path, "r.json", json.dumps([{"id": "p1", "sus": [4, 1, 5]},
                                                             {"id": "p2", "sus": [3, 3, 3]}])))
    assert list(table.frame.columns) == ["id", "sus_1", "sus_2", "sus_3"]
    assert table.frame["sus_3"].tolist() == [5, 3]


def test_json_list_of_non_records(tmp_path):
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.json", '[{"a": 1}, 2, [3]]'))
    assert [p.row for p in problems(excinfo)] == [2, 3]


# --- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t ", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_file_is_an_error(tmp_path, content):
    path = write(tmp_path, "e.csv", content)
    with pytest.raises(DataError) as excinfo:
        read_table(path)
    (problem,) = problems(excinfo)
    assert problem.file == str(path)
    assert "empty" in problem.reason


def test_duplicate_headers_are_named_with_their_positions(tmp_path):
    path = write(tmp_path, "d.csv", "id,nps,csat,nps , csat\n1,9,4,8,5\n")
    with pytest.raises(DataError) as excinfo:
        read_table(path)
    found = {p.column: p for p in problems(excinfo)}
    assert set(found) == {"nps", "csat"}
    assert "columns 2 (B), 4 (D)" in found["nps"].reason
    assert "columns 3 (C), 5 (E)" in found["csat"].reason
    assert found["nps"].row == 1
    assert "nps" in str(excinfo.value) and "rename" in found["nps"].hint


def test_ragged_rows_are_named(tmp_path):
    text = "a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,2,3\n4,5,6\n7,Smith, Jane,9\n1,2,3\n4,5,6,7\n"
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.csv", text))
    found = problems(excinfo)
    assert [p.row for p in found] == [7, 9]
    assert found[0].reason == "this row has 4 fields but the header has 3"
    assert "double quotes" in found[0].hint and "delimiter" in found[0].hint
    assert "row 7" in str(excinfo.value)


def test_ragged_first_data_row_is_named(tmp_path):
    text = "a,b,c\n1,Smith, Jane,3\n4,5,6\n7,8,9,10,\n"
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.csv", text))
    found = problems(excinfo)
    assert [p.row for p in found] == [2, 4]
    assert found[0].reason == "this row has 4 fields but the header has 3"


def test_ragged_row_with_blank_lines_counts_them(tmp_path):
    text = "a,b\n1,2\n\n3,4,5\n"
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.csv", text))
    assert [p.row for p in problems(excinfo)] == [4]


def test_unclosed_quote_names_the_row(tmp_path):
    text = 'a,b\n1,2\n3,"never closed\n4,5\n'
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "q.csv", text))
    (problem,) = problems(excinfo)
    assert problem.row == 3
    assert "quote" in problem.hint


def test_unknown_format_lists_the_allowed_ones(tmp_path):
    path = write(tmp_path, "s.csv", SURVEY)
    with pytest.raises(DataError) as excinfo:
        read_table(path, format="excel")
    (problem,) = problems(excinfo)
    assert problem.value == "excel"
    for allowed in ("'auto'", "'csv'", "'tsv'", "'xlsx'", "'parquet'", "'json'"):
        assert allowed in problem.expected


def test_missing_file_gives_the_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError) as excinfo:
        read_table("data/nope.csv")
    (problem,) = problems(excinfo)
    assert problem.file == "data/nope.csv"
    assert str(tmp_path / "data" / "nope.csv") in problem.reason


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(DataError, match="folder"):
        read_table(tmp_path)


def test_errors_are_value_errors_not_library_tracebacks(tmp_path):
    path = write(tmp_path, "r.csv", "a,b\n1,2,3,4\n")
    with pytest.raises(ValueError) as excinfo:
        read_table(path)
    assert type(excinfo.value) is DataError


# --- format detection --------------------------------------------------------------------

def test_detect_format_by_extension(tmp_path):
    for name, expected in [("a.CSV", "csv"), ("a.txt", "csv"), ("a.tab", "csv"),
                           ("a.xlsm", "xlsx"), ("a.pq", "parquet"), ("a.json", "json")]:
        assert detect_format(tmp_path / name) == expected  # need not exist


def test_unknown_extension_is_sniffed(tmp_path):
    csv_path = write(tmp_path, "a.dat", SURVEY)
    json_path = write(tmp_path, "b.dat", json.dumps(RECORDS))
    jsonl_path = write(tmp_path, "c.export", "\n".join(json.dumps(r) for r in RECORDS))
    xlsx_path = write(tmp_path, "d.bin", xlsx_bytes({"S": [["a"], [1]]}))
    parquet_path = tmp_path / "e"
    pq.write_table(pa.table({"a": [1, 2]}), parquet_path)
    expected = {csv_path: "csv", json_path: "json", jsonl_path: "json",
                xlsx_path: "xlsx", parquet_path: "parquet"}
    for path, fmt in expected.items():
        assert detect_format(path) == fmt
        table = read_table(path)
        assert table.format == fmt
        assert len(table.frame) > 0


def test_workbook_saved_with_a_csv_name_is_read_as_xlsx(tmp_path):
    path = write(tmp_path, "export.csv", xlsx_bytes({"S": [["a"], [1]]}))
    table = read_table(path)
    assert table.format == "xlsx"
    assert table.frame["a"].tolist() == [1]
    assert "named .csv" in table.notes[0]


def test_missing_file_with_unknown_extension(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        detect_format(tmp_path / "nope.dat")


# --- real files (read-only, never copied) --------------------------------------------------

@pytest.mark.skipif(not REALDATA.is_dir(), reason="shared real data not available")
def test_real_files():
    sus = read_table(REALDATA / "sus" / "jpfolador_susEvaluation_usability-db-en.csv")
    assert sus.delimiter == ";"
    assert len(sus.frame) == 36
    assert sus.rows.tolist() == list(range(2, 38))
    assert b"\r\n" in (REALDATA / "sus" / "jpfolador_susEvaluation_usability-db-en.csv"
                       ).read_bytes()[:4000]

    drawbridge = read_table(REALDATA / "sus" / "kastle-drawbridge_SUS-Drawbridge-Responses.csv")
    assert drawbridge.delimiter == ","
    assert len(drawbridge.frame) == 10
    assert drawbridge.frame.shape[1] == 11

    telco = read_table(REALDATA / "churn" / "ibm_telco" / "WA_Fn-UseC_-Telco-Customer-Churn.csv",
                       text_columns=["customerID"])
    assert len(telco.frame) == 7043
    assert telco.frame["customerID"].dtype == pd.StringDtype()
    assert telco.frame["customerID"][0] == "7590-VHVEG"
    assert telco.frame["customerID"].is_unique
    assert telco.blank_rows == []
    assert isinstance(telco, RawTable)


# --- more edges -------------------------------------------------------------------------

def test_ragged_row_after_a_multi_line_value_counts_records(tmp_path):
    text = 'a,b\n1,"x\ny"\n3,4,5\n'  # the bad record is on line 4 but is row 3
    with pytest.raises(DataError) as excinfo:
        read_table(write(tmp_path, "r.csv", text))
    assert [p.row for p in problems(excinfo)] == [3]


def test_parquet_duplicate_columns(tmp_path):
    table = pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["nps", "nps"])
    path = tmp_path / "d.parquet"
    pq.write_table(table, path)
    with pytest.raises(DataError) as excinfo:
        read_table(path)
    (problem,) = problems(excinfo)
    assert problem.column == "nps" and problem.row is None


def test_json_with_byte_order_mark(tmp_path):
    table = read_table(write(tmp_path, "r.json", json.dumps(RECORDS).encode("utf-8-sig")))
    assert table.encoding == "utf-8-sig"
    assert table.frame["respondent"].tolist() == ["007", "008", "009"]


# --- header lines over 64 KB (issue 15): every column kept, or a clear stop ----------------

def _wide(tmp_path, n_columns: int, name_length: int = 20, rows: int = 3) -> tuple:
    names = [f"q{i:05d}_" + "x" * (name_length - 7) for i in range(n_columns)]
    lines = [",".join(names)]
    lines += [",".join(str((r + i) % 5 + 1) for i in range(n_columns)) for r in range(rows)]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, names


@pytest.mark.parametrize("n_columns, name_length", [(4000, 20), (700, 200), (3, 70_000)])
def test_a_header_over_64_kb_keeps_every_column(tmp_path, n_columns, name_length):
    # 80 KB, 140 KB and 210 KB headers; before, every column past 64 KB was lost and the
    # last name cut short (and a field over 128 KB stopped the csv module's sniffing)
    path, names = _wide(tmp_path, n_columns, name_length)
    assert len(names[0]) * n_columns > 1 << 16
    table = read_table(path)
    assert list(table.frame.columns) == names
    assert table.frame.iloc[2].tolist() == [(2 + i) % 5 + 1 for i in range(n_columns)]
    assert table.rows.tolist() == [2, 3, 4]


def test_a_long_header_with_a_title_row_and_semicolons(tmp_path):
    names = [f"question {i} " + "y" * 30 for i in range(3000)]
    text = "Checkout study, March\n" + ";".join(names) + "\n" + ";".join("1" * 3000) + "\n"
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == ";" and list(table.frame.columns) == names and table.rows.tolist() == [3]


def test_a_last_row_with_a_field_over_128_kb_cut_short_is_still_reported(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,comment,nps\n1,ok,9\n2," + "z" * 200_000, encoding="utf-8")  # no line break
    with pytest.raises(DataError, match="ends in the middle of this row"):
        read_table(path)


def test_a_first_line_too_long_for_any_header_stops_clearly(tmp_path, monkeypatch):
    from uxcx.io import delimited

    monkeypatch.setattr(delimited, "MAX_HEADER_BYTES", 1 << 18)
    path = tmp_path / "one_line.csv"
    path.write_text("a," * 200_000, encoding="utf-8")  # 400 KB, no line break
    with pytest.raises(DataError, match="the first line is over 0.25 MB long with no line break"):
        read_table(path)
