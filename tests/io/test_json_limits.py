"""Tests of uxcx.io.json_records' bounds: nesting depth and size give messages, not crashes."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

import uxcx.io.json_records as records
from uxcx.errors import DataError
from uxcx.io.json_records import MAX_JSON_DEPTH, json_depth
from uxcx.io.tables import read_table


def write(tmp_path, text, name="data.json"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def nested(depth: int) -> dict:
    value: object = 1
    for _ in range(depth - 1):
        value = {"a": value}
    return value


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,                           # once a RecursionError
    '[{"id": 1, "x": ' + "[" * 5_000 + "]" * 5_000 + "}]",    # deep inside one record
    '{"id": 1}\n{"id": 2, "x": ' + "{\"a\": " * 3_000 + "1" + "}" * 3_000 + "}\n",  # JSON Lines
    "[" * 10_000,                                             # deep and cut short
])
def test_deep_nesting_is_a_data_error_with_depth_and_fix(tmp_path, text):
    with pytest.raises(DataError) as info:
        read_table(write(tmp_path, text))
    problem = info.value.problems[0]
    assert "levels deep" in problem.reason and f"at most {MAX_JSON_DEPTH} levels" in problem.reason
    assert "CSV" in problem.hint and problem.file.endswith("data.json")


def test_the_depth_names_the_line_it_is_reached_on(tmp_path):
    lines = ['{"id": 1}', '{"id": 2}', json.dumps({"id": 3, "x": nested(200)})]
    with pytest.raises(DataError, match=r"nests 200 levels deep \(first at line 3\)"):
        read_table(write(tmp_path, "\n".join(lines)))


def test_records_up_to_the_limit_are_read(tmp_path):
    rows = [{"id": i, "answers": nested(MAX_JSON_DEPTH - 2)} for i in range(3)]
    table = read_table(write(tmp_path, json.dumps(rows)))
    assert table.frame["id"].tolist() == [0, 1, 2]


def test_brackets_and_escaped_quotes_inside_strings_do_not_count():
    text = json.dumps([{"note": "[[[{{{ \\\" ]]] \" [[[", "n": [1, [2]]}]).encode()
    assert json_depth(text) == (4, 1)
    assert json_depth(b'["\\\\", [1]]') == (2, 1)  # an escaped backslash ends before the quote


def test_depth_is_the_same_across_the_scan_blocks(monkeypatch):
    text = json.dumps([{"s": "[" * 50, "x": nested(6)} for _ in range(200)]).encode()
    whole = json_depth(text)
    monkeypatch.setattr(records, "_CHUNK", 7)  # blocks split strings and escapes everywhere
    assert json_depth(text) == whole == (7, 1)


def test_the_depth_scan_is_linear():
    text = json.dumps([{"id": i, "v": [i, {"w": "x" * 20}]} for i in range(400_000)]).encode()
    start = time.perf_counter()
    assert json_depth(text)[0] == 4
    assert time.perf_counter() - start < 3  # ~17 MB


def test_a_file_over_the_size_limit_says_what_to_use(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_JSON_BYTES", 1_000)
    path = write(tmp_path, json.dumps([{"id": int(i)} for i in np.arange(200)]))
    with pytest.raises(DataError, match="more than the 0 MB") as info:
        read_table(path)
    assert "CSV or Parquet" in info.value.problems[0].hint


def test_records_with_a_new_field_each_are_refused_before_a_table_is_made(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_JSON_COLUMNS", 100)
    path = write(tmp_path, json.dumps([{f"respondent_{i}": 1} for i in range(101)]))
    with pytest.raises(DataError, match="101 different field names, more than the 100 columns"):
        read_table(path)
    path = write(tmp_path, json.dumps([{f"q{i % 100}": 1} for i in range(1_000)]))
    assert read_table(path).frame.shape == (1_000, 100)


def test_json_lines_with_a_long_run_of_spaces_read_in_linear_time(tmp_path):
    text = '{"id": 1}' + " " * 2_000_000 + '\n{"id": 2}\n'
    start = time.perf_counter()
    assert read_table(write(tmp_path, text)).frame["id"].tolist() == [1, 2]
    assert time.perf_counter() - start < 2
