"""The cleaning step on DuckDB and Spark: timestamps to UTC microseconds, drops with reasons, notes.

Every expected instant is written out by hand (or with pandas' time-zone rules, an independent
implementation) and every count is hand-counted from the log in the test.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from uxcx.io.events.clean import EXAMPLE_COLUMNS, clean_log
from uxcx.io.events.sources import event_source
from uxcx.io.events.task_frames import measure_tasks
from uxcx.study.events_options import EventsConfig

COLUMNS = {"uid": "customer", "t": "timestamp", "ev": "event", "dev": "device"}
TASKS = {"checkout": {"start": ["cart"], "success": ["order_placed"], "timeout": "30 min"}}



def _config(path, **extra):
    return EventsConfig(path=path, columns=extra.pop("columns", COLUMNS), tasks=extra.pop("tasks", TASKS),
                        **extra)


def _clean(engine, folder, config):
    source = event_source(config.path, folder, fmt=config.format, columns=list(config.columns))
    engine.read_source("events_raw", source.paths, source.fmt,
                       {h: "r_" + r for h, r in config.columns.items()}, source.kinds)
    log = clean_log(engine, config, source.kinds)
    # repeats are found where the task step sorts each person's events, as measure_events does
    measured = measure_tasks(engine, config.tasks, has_session=config.has_session,
                             properties=list(config.properties), log_end_us=log.log_end_us or 0)
    log.add_duplicates(engine, config, measured.duplicates, measured.duplicate_people)
    return log


def _us(text: str, zone: str = "UTC") -> int:
    """Microseconds since 1970 of a wall clock in ``zone`` (pandas' time zones, not the engines')."""
    stamp = pd.Timestamp(text)
    stamp = stamp.tz_localize(zone) if stamp.tzinfo is None else stamp
    return int(stamp.tz_convert("UTC").value // 1000)


def _parquet_times(tmp_path, times: pa.Array):
    n = len(times)
    table = pa.table({"uid": [f"p{i}" for i in range(n)], "t": times, "ev": [f"e{i:02d}" for i in range(n)],
                      "dev": ["m"] * n})
    pq.write_table(table, tmp_path / "log.parquet")


def _times(engine) -> list:
    out = engine.sql("SELECT event, ts_us FROM events_parsed ORDER BY event")["ts_us"]
    return [None if pd.isna(v) else int(v) for v in out]


BERLIN_WALL = ["2025-03-30 01:50:00", "2025-03-30 03:10:00", "2025-10-26 01:30:00", "2025-07-01 12:00:00.25"]


@pytest.mark.parametrize("unit", ["us", "ns"])
def test_naive_parquet_timestamps_are_wall_clocks_in_the_study_zone(engine, tmp_path, unit):
    _parquet_times(tmp_path, pa.array([pd.Timestamp(t) for t in BERLIN_WALL], pa.timestamp(unit)))
    _clean(engine, tmp_path, _config("log.parquet", timezone="Europe/Berlin"))
    # 01:50 CET is 00:50 UTC, 03:10 CEST is 01:10 UTC: 20 minutes apart across the spring clock change
    assert _times(engine) == [_us(t, "Europe/Berlin") for t in BERLIN_WALL]
    assert _times(engine)[1] - _times(engine)[0] == 1200 * 1_000_000
    assert _times(engine)[0] == _us("2025-03-30 00:50:00")


@pytest.mark.parametrize("unit", ["us", "ns"])
def test_aware_parquet_timestamps_are_instants(engine, tmp_path, unit):
    instants = ["2025-03-30T01:50:00+01:00", "2025-03-30T03:10:00+02:00", "2025-07-01T12:00:00.25Z"]
    stamps = [pd.Timestamp(t) for t in instants]
    _parquet_times(tmp_path, pa.array(stamps, pa.timestamp(unit, tz="America/New_York")))
    _clean(engine, tmp_path, _config("log.parquet", timezone="Asia/Tokyo"))  # the zone reads only naive times
    assert _times(engine) == [_us(t) for t in instants]


def test_epoch_numbers_by_magnitude_and_dates(engine, tmp_path):
    _parquet_times(tmp_path, pa.array([1735725600, 1735725600123, 1735725600123456, 1735725600123456789],
                                      pa.int64()))
    _clean(engine, tmp_path, _config("log.parquet", timezone="Europe/Berlin"))  # epochs are UTC: no zone
    assert _times(engine) == [1735725600000000, 1735725600123000, 1735725600123456, 1735725600123456]
    _parquet_times(tmp_path, pa.array([1735725600.5, 1735725600123.0, float("nan")], pa.float64()))
    _clean(engine, tmp_path, _config("log.parquet"))
    assert _times(engine) == [1735725600500000, 1735725600123000, None]
    _parquet_times(tmp_path, pa.array([dt.date(2025, 3, 30)], pa.date32()))
    _clean(engine, tmp_path, _config("log.parquet", timezone="Europe/Berlin"))
    assert _times(engine) == [_us("2025-03-29 23:00:00")]  # midnight in Berlin (CET)


TEXT = {  # the text of a CSV timestamp -> the instant, study zone Europe/Berlin
    "2025-03-30T01:30:00+02:00": _us("2025-03-29 23:30:00"),
    "2025-03-30 01:50:00": _us("2025-03-30 00:50:00"),
    "2025-03-30 03:10:00": _us("2025-03-30 01:10:00"),
    "2025-07-01T12:00:00Z": _us("2025-07-01 12:00:00"),
    "2025-07-01 12:00:00.250": _us("2025-07-01 10:00:00.25"),
    "2025-07-01T12:00:00+0530": _us("2025-07-01 06:30:00"),
    "2025-07-01T12:00:00-03": _us("2025-07-01 15:00:00"),
    "2025-07-01T12:00": _us("2025-07-01 10:00:00"),
    "2025-07-01": _us("2025-06-30 22:00:00"),
    "1735725600": 1735725600000000,
    "1735725600123": 1735725600123000,
    " 2025-07-01T12:00:00Z ": _us("2025-07-01 12:00:00"),
    "2025": None,            # Spark alone would read a year as its 1 January: the pattern refuses both
    "2025-13-45": None,
    "01/07/2025 12:00": None,
    "yesterday": None,
    "2025-07-01 12:00:00 CEST": None,
}


def test_text_timestamps_iso_with_and_without_offset_and_epochs(engine, tmp_path):
    frame = pd.DataFrame({"uid": [f"p{i}" for i in range(len(TEXT))], "t": list(TEXT),
                          "ev": [f"e{i:02d}" for i in range(len(TEXT))], "dev": "m"})
    frame.to_csv(tmp_path / "log.csv", index=False)
    log = _clean(engine, tmp_path, _config("log.csv", timezone="Europe/Berlin"))
    assert _times(engine) == list(TEXT.values())
    assert log.dropped["not a timestamp"] == 5 and log.kept == len(TEXT) - 5


# A hand-made log: line 1 is the header, so row k of the list is line k + 1 of the CSV file.
ROWS = [
    (" u1 ", "2025-01-10 10:00:00", "cart", "m"),                                  # line 2: kept (id trimmed)
    ("", "2025-01-10 10:00:00", "cart", "m"),                                      # 3: missing id
    ("  ", "2025-01-10 10:00:00", "cart", "m"),                                    # 4: missing id
    ("u2", "not a time at all, and much longer than forty characters", "cart", "m"),  # 5: not a timestamp
    ("u3", "2025-01-10 10:00:00", "", "m"),                                        # 6: missing event name
    ("u1", "2025-01-10 10:00:00", "cart", "m"),                                    # 7: duplicate of line 2
    ("u1", "2024-12-31 23:30:00", "cart", "m"),  # 8: before the window (Berlin)
    ("u1", "2025-01-31 23:59:59", "cart", "m"),  # 9: kept: the last day counts
    ("u1", "2025-02-01 00:00:00", "cart", "m"),                                    # 10: after the window
    ("u4", "2025-01-10 09:00:00", "cart", "d"),  # 11: kept (out of file order)
    ("u5", "2024-12-31T23:30:00Z", "cart", "d"),                                   # 12: kept: 00:30 in Berlin
    ("u1", "2025-01-10 10:05:00", "order_placd", "m"),  # 13: kept (a typo of the task)
    ("u1", "2025-01-10 10:00:00", "cart", "t"),                                    # 14: kept: another device
]


def _write_log(tmp_path, fmt):
    frame = pd.DataFrame(ROWS, columns=["uid", "t", "ev", "dev"])
    if fmt == "csv":
        frame.to_csv(tmp_path / "log.csv", index=False)
    else:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "log.parquet")
    return _config(f"log.{fmt}", timezone="Europe/Berlin", window=("2025-01-01", "2025-01-31"))


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_drops_with_reasons_counts_examples_and_notes(engine, tmp_path, fmt):
    log = _clean(engine, tmp_path, _write_log(tmp_path, fmt))
    assert log.read == 13 and log.kept == 6
    assert log.dropped == {"missing id": 2, "not a timestamp": 1, "missing event name": 1,
                           "outside the study window": 2, "duplicate event": 1}
    assert log.read == log.kept + sum(log.dropped.values())
    # earlier than the event before them in the file: lines 8, 11 (after 10), 12 (after 11) and 14 (after 13)
    assert log.notes[0].startswith("4 events are earlier than the event before them in their file")
    assert log.notes[1] == ("event 'order_placed' (success event of task 'checkout') never occurs in the "
                            "log; did you mean 'order_placd'?")
    assert log.events == {"cart": 6}  # events that passed the checks, the repeat among them
    assert log.log_end_us == _us("2025-01-31 23:59:59", "Europe/Berlin")
    line = 0 if fmt == "csv" else 1  # Parquet rows count from 1 without a header line
    expected = pd.DataFrame([
        ("log." + fmt, 7 - line, "duplicate event", "t", "2025-01-10 10:00:00", "u1"),
        ("log." + fmt, 3 - line, "missing id", "uid", None, None),
        ("log." + fmt, 4 - line, "missing id", "uid", "  ", None),
        ("log." + fmt, 6 - line, "missing event name", "ev", None, "u3"),
        ("log." + fmt, 5 - line, "not a timestamp", "t", "not a time at all, and much longer than ", "u2"),
        ("log." + fmt, 8 - line, "outside the study window", "t", "2024-12-31 23:30:00", "u1"),
        ("log." + fmt, 10 - line, "outside the study window", "t", "2025-02-01 00:00:00", "u1"),
    ], columns=EXAMPLE_COLUMNS)
    got = log.examples.sort_values(["reason", "row"]).reset_index(drop=True)
    expected = expected.sort_values(["reason", "row"]).reset_index(drop=True)
    expected["row"] = expected["row"].astype("Int64")
    pd.testing.assert_frame_equal(got, expected)
    # the events that passed the checks, the repeat (u1's cart at 10:00 on m) still among them
    kept = engine.sql("SELECT person, session, ts_us, event, device FROM clean_events "
                      "ORDER BY person, ts_us, device")
    assert kept.to_dict("list") == {
        "person": ["u1", "u1", "u1", "u1", "u1", "u4", "u5"], "session": [None] * 7,
        "ts_us": [_us(t, "Europe/Berlin") for t in ("2025-01-10 10:00", "2025-01-10 10:00",
                                                     "2025-01-10 10:00",
                                                     "2025-01-10 10:05", "2025-01-31 23:59:59",
                                                     "2025-01-10 09:00")] + [_us("2024-12-31 23:30:00")],
        "event": ["cart", "cart", "cart", "order_placd", "cart", "cart", "cart"],
        "device": ["m", "m", "t", "m", "m", "d", "d"],
    }


def test_examples_keep_five_per_reason_and_no_folder(engine, tmp_path):
    rows = [("", f"2025-01-{d:02d} 10:00:00", "cart", "m") for d in range(1, 9)]
    pd.DataFrame(rows, columns=["uid", "t", "ev", "dev"]).to_csv(tmp_path / "log.csv", index=False)
    log = _clean(engine, tmp_path, _config("log.csv"))
    assert log.dropped["missing id"] == 8 and log.kept == 0 and log.log_end_us is None
    assert log.examples["row"].tolist() == [2, 3, 4, 5, 6]
    assert not log.examples["file"].str.contains("/").any()


def test_a_repeat_is_shown_for_an_id_with_quotes_and_backslashes(engine, tmp_path):
    odd = "o'b\\x"  # the id becomes an SQL literal when the repeats' examples are read again
    rows = [(odd, "2025-01-10 10:00:00", "cart", "m")] * 2 + [("u2", "2025-01-10 10:00:00", "cart", "m")]
    pd.DataFrame(rows, columns=["uid", "t", "ev", "dev"]).to_csv(tmp_path / "log.csv", index=False)
    log = _clean(engine, tmp_path, _config("log.csv"))
    assert (log.read, log.kept, log.dropped["duplicate event"]) == (3, 2, 1)
    assert log.examples[["reason", "row", "person"]].values.tolist() == [["duplicate event", 3, odd]]
