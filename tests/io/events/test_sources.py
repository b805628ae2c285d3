"""Which files an event log is, and the partition checks that name a file and a column."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from uxcx.errors import DataError, StudyError
from uxcx.io.events.sources import arrow_kind, event_source, resolve_paths

COLUMNS = ["user_id", "event_time", "event_name"]


TEXT, MICROS = pa.string(), pa.timestamp("us")


def _part(path, *, user=TEXT, time=MICROS, drop=(), rows=2):
    path.parent.mkdir(parents=True, exist_ok=True)
    users = ["u1", "u2"] if pa.types.is_string(user) else [1, 2]
    table = pa.table({
        "user_id": pa.array(users[:rows], user),
        "event_time": pa.array([dt.datetime(2025, 1, 1, 10)] * rows, time),
        "event_name": pa.array(["cart_viewed"] * rows, pa.string()),
    })
    pq.write_table(table.drop_columns(list(drop)), path)


def test_glob_matching_no_file_names_the_path(tmp_path):
    (tmp_path / "events").mkdir()
    with pytest.raises(StudyError, match=r"'events/\*\.parquet' matches no Parquet file"):
        resolve_paths("events/*.parquet", tmp_path, fmt="parquet")


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(StudyError, match="no file or folder 'logs/'"):
        resolve_paths("logs/", tmp_path)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "README.txt").write_text("not data")
    with pytest.raises(StudyError, match="folder 'logs/' holds no Parquet or CSV file"):
        resolve_paths("logs/", tmp_path)


def test_folder_is_every_partition_under_it_sorted_hidden_and_markers_skipped(tmp_path):
    for day in ("2025-01-02", "2025-01-01"):
        _part(tmp_path / "events" / f"day={day}" / "part-0.parquet")
    (tmp_path / "events" / "_SUCCESS").write_text("")
    (tmp_path / "events" / ".part-0.parquet.crc").write_text("")
    source = event_source("events", tmp_path, columns=COLUMNS)
    assert [p.split("/")[-2] for p in source.paths] == ["day=2025-01-01", "day=2025-01-02"]
    assert source.fmt == "parquet"
    assert source.kinds == {"user_id": "text", "event_time": "timestamp", "event_name": "text"}


def test_glob_with_double_star(tmp_path):
    _part(tmp_path / "a" / "x" / "p.parquet")
    _part(tmp_path / "a" / "p.parquet")
    assert len(resolve_paths("a/**/*.parquet", tmp_path)) == 2
    assert len(resolve_paths("a/*.parquet", tmp_path)) == 1


def test_folder_mixing_parquet_and_csv_asks_for_a_format(tmp_path):
    _part(tmp_path / "ev" / "a.parquet")
    (tmp_path / "ev" / "b.csv").write_text("user_id,event_time,event_name\n")
    with pytest.raises(StudyError, match="both Parquet and CSV"):
        event_source("ev", tmp_path, columns=COLUMNS)
    assert event_source("ev", tmp_path, fmt="csv", columns=COLUMNS).fmt == "csv"


def test_partition_missing_a_mapped_column_names_file_and_column(tmp_path):
    _part(tmp_path / "ev" / "a.parquet")
    _part(tmp_path / "ev" / "b.parquet", drop=["event_name"])
    with pytest.raises(DataError) as err:
        event_source("ev", tmp_path, columns=COLUMNS)
    [problem] = err.value.problems
    assert (problem.file, problem.column) == ("b.parquet", "event_name")
    assert "no such column" in problem.reason
    assert str(tmp_path) not in str(err.value)  # the file name, never its folder


def test_partition_with_a_conflicting_type_names_file_and_column(tmp_path):
    _part(tmp_path / "ev" / "a.parquet")
    _part(tmp_path / "ev" / "b.parquet")
    _part(tmp_path / "ev" / "c.parquet", user=pa.int64())
    with pytest.raises(DataError) as err:
        event_source("ev", tmp_path, columns=COLUMNS)
    [problem] = err.value.problems
    assert (problem.file, problem.column) == ("c.parquet", "user_id")
    assert ("stored as int64 (integer) here but as text in 2 other partition(s), e.g. a.parquet"
            in problem.reason)


def test_aware_and_naive_timestamps_conflict_but_integer_widths_read_together(tmp_path):
    _part(tmp_path / "ev" / "a.parquet", user=pa.int32())
    _part(tmp_path / "ev" / "b.parquet", user=pa.int64())
    assert event_source("ev", tmp_path, columns=COLUMNS).kinds["user_id"] == "integer"
    _part(tmp_path / "ev" / "c.parquet", user=pa.int64(), time=pa.timestamp("us", tz="UTC"))
    with pytest.raises(DataError) as err:
        event_source("ev", tmp_path, columns=COLUMNS)
    [problem] = err.value.problems
    assert (problem.file, problem.column) == ("c.parquet", "event_time")
    assert "timestamp_tz" in problem.reason


def test_unreadable_parquet_is_named(tmp_path):
    _part(tmp_path / "ev" / "a.parquet")
    (tmp_path / "ev" / "b.parquet").write_bytes(b"PAR1 this is no parquet")
    with pytest.raises(DataError) as err:
        event_source("ev", tmp_path, columns=COLUMNS)
    assert [p.file for p in err.value.problems] == ["b.parquet"]
    assert "not a readable Parquet file" in err.value.problems[0].reason
    assert str(tmp_path) not in str(err.value)


def test_csv_header_missing_a_column_with_did_you_mean(tmp_path):
    (tmp_path / "log.csv").write_text("user_id,event_tme,event_name\nu1,2025-01-01,cart\n")
    with pytest.raises(DataError) as err:
        event_source("log.csv", tmp_path, columns=COLUMNS)
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("log.csv", 1, "event_time")
    assert "did you mean 'event_tme'?" in problem.hint
    (tmp_path / "log.csv").write_text("user_id,event_time,event_name\n")
    assert event_source("log.csv", tmp_path, columns=COLUMNS).kinds == dict.fromkeys(COLUMNS, "text")


@pytest.mark.parametrize("arrow_type, kind", [
    (pa.string(), "text"), (pa.large_string(), "text"), (pa.dictionary(pa.int32(), pa.string()), "text"),
    (pa.int8(), "integer"), (pa.uint64(), "integer"), (pa.float32(), "float"), (pa.bool_(), "boolean"),
    (pa.date32(), "date"), (pa.timestamp("ms"), "timestamp"), (pa.timestamp("ns"), "timestamp_ns"),
    (pa.timestamp("us", tz="Europe/Berlin"), "timestamp_tz"),
    (pa.timestamp("ns", tz="UTC"), "timestamp_tz_ns"),
    (pa.list_(pa.int64()), None), (pa.binary(), None),
])
def test_arrow_kind(arrow_type, kind):
    assert arrow_kind(arrow_type) == kind
