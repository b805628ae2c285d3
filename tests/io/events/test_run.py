"""measure_events end to end: a partitioned log to per-attempt and per-person measures, on both engines.

The log below is small enough to measure by hand; each expected value is worked out in the
comments beside the events.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from uxcx.errors import DataError, StudyError
from uxcx.io.events.engines import DuckDBEngine
from uxcx.io.events.run import EventMeasures, measure_events
from uxcx.io.events.spark_engine import SparkEngine
from uxcx.study.events_options import EventsConfig

COLUMNS = {"user_id": "customer", "session_id": "session", "event_time": "timestamp", "event_name": "event",
           "device": "device"}
TASKS = {"checkout": {"start": ["cart_viewed"], "success": ["order_placed"], "errors": ["payment_error"],
                      "timeout": "30 min"}}
# (user, session, wall clock in Europe/Berlin, event, device); naive timestamps
DAY1 = [
    ("c1", "s1", "2025-03-30 01:50:00", "cart_viewed", "mobile"),    # 00:50 UTC (CET)
    ("c1", "s1", "2025-03-30 01:55:00", "payment_error", "mobile"),
    ("c1", "s1", "2025-03-30 03:05:00", "page", "mobile"),           # 01:05 UTC (CEST): 15 min in, not 75
    ("c1", "s1", "2025-03-30 03:10:00", "order_placed", "mobile"),   # 01:10 UTC: success after 1200 s
    ("c1", "s1", "2025-03-30 03:10:00", "order_placed", "mobile"),   # duplicate: dropped
    (None, "s9", "2025-03-30 04:00:00", "cart_viewed", "mobile"),    # missing id: dropped
]
DAY2 = [
    ("c2", "s2", "2025-03-31 10:00:00", "cart_viewed", "desktop"),   # 08:00 UTC; time-out at 08:30
    ("c2", "s2", "2025-03-31 10:40:00", "order_placed", "desktop"),  # after the time-out: no start
    ("c2", "s2", "2025-03-31 11:00:00", "cart_viewed", "desktop"),   # attempt 2, a retry
    ("c2", "s2", "2025-03-31 11:05:00", "order_placed", "desktop"),  # success after 300 s
    ("c3", "s3", "2025-03-31 12:00:00", "order_placed", "tablet"),   # a success with no start
    ("c4", "s4", "2025-03-31 23:50:00", "cart_viewed", "mobile"),    # the log's last event: censored
]



def _frame(rows):
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["event_time"] = pd.to_datetime(frame["event_time"])
    return frame


def _write(folder, days=(DAY1, DAY2), *, shuffle=False):
    for i, rows in enumerate(days, start=1):
        frame = _frame(rows)
        frame = frame.sample(frac=1.0, random_state=7) if shuffle else frame
        part = folder / "events" / f"day={i}"
        part.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(frame, preserve_index=False).cast(pa.schema([
            ("user_id", pa.string()), ("session_id", pa.string()), ("event_time", pa.timestamp("us")),
            ("event_name", pa.string()), ("device", pa.string())]))
        pq.write_table(table, part / "part-0.parquet")


def _config(**extra) -> EventsConfig:
    return EventsConfig(path=extra.pop("path", "events/"), columns=COLUMNS, tasks=extra.pop("tasks", TASKS),
                        timezone="Europe/Berlin", **extra)


def _utc(text):
    return pd.Timestamp(text, tz="UTC")


def test_partitioned_log_to_attempts_and_people(engine, tmp_path):
    _write(tmp_path)
    measures = measure_events(_config(), tmp_path, engine=engine)
    assert isinstance(measures, EventMeasures) and measures.engine == engine.dialect and measures.files == 2
    assert (measures.read, measures.kept) == (12, 10)
    assert measures.dropped == {"missing id": 1, "not a timestamp": 0, "missing event name": 0,
                                "outside the study window": 0, "duplicate event": 1}
    assert measures.read == measures.kept + sum(measures.dropped.values())
    assert measures.notes == ["task 'checkout': 2 success events have no start (outside any attempt); "
                              "they are not attempts"]
    a = measures.attempts
    assert a["person"].tolist() == ["c1", "c2", "c2", "c4"]
    assert a["attempt"].tolist() == [1, 1, 2, 1]
    assert a["outcome"].tolist() == ["success", "timeout", "success", "censored"]
    starts = ("2025-03-30 00:50", "2025-03-31 08:00", "2025-03-31 09:00", "2025-03-31 21:50")
    assert a["start"].tolist() == [_utc(t) for t in starts]
    ends = ("2025-03-30 01:10", "2025-03-31 08:30", "2025-03-31 09:05")
    assert a["end"].tolist()[:3] == [_utc(t) for t in ends]
    assert a["success"].tolist()[:3] == [1.0, 0.0, 1.0] and pd.isna(a["success"].iloc[3])
    assert a["time_s"].tolist()[0] == 1200.0 and a["time_s"].tolist()[2] == 300.0  # the true elapsed time
    assert a["errors"].tolist() == [1, 0, 0, 0] and a["steps"].tolist() == [4, 1, 2, 1]
    assert a["retry"].tolist() == [0, 0, 1, 0]
    assert a["device"].tolist() == ["mobile", "desktop", "desktop", "mobile"]
    p = measures.people.set_index("customer")
    assert p.index.tolist() == ["c1", "c2", "c4"]
    assert p["attempts"].tolist() == [1, 2, 1] and p["successes"].tolist() == [1, 1, 0]
    assert p["time_s"].tolist()[:2] == [1200.0, 300.0] and p["clicks"].tolist()[:2] == [4.0, 2.0]
    assert p["failed_attempts"].tolist() == [0, 1, 0] and p["retries"].tolist() == [0, 1, 0]
    assert p.loc["c2", "first_attempt_success"] == 0.0 and p.loc["c2", "abandoned"] == 0.0
    assert p.loc["c1", "first_start"] == _utc("2025-03-30 00:50")
    assert measures.examples[["file", "row", "reason", "person"]].values.tolist() == [
        ["part-0.parquet", 6, "missing id", None], ["part-0.parquet", 5, "duplicate event", "c1"]]
    assert measures.seconds > 0


@pytest.mark.spark
def test_both_engines_give_equal_frames(spark, tmp_path):
    _write(tmp_path)
    duck = measure_events(_config(), tmp_path, engine=DuckDBEngine())
    on_spark = measure_events(_config(), tmp_path, engine=SparkEngine(session=spark))
    pd.testing.assert_frame_equal(duck.attempts, on_spark.attempts)
    pd.testing.assert_frame_equal(duck.people, on_spark.people)
    pd.testing.assert_frame_equal(duck.examples, on_spark.examples)
    for name in ("read", "kept", "dropped", "notes", "files"):
        assert getattr(duck, name) == getattr(on_spark, name), name


def test_csv_and_parquet_and_out_of_order_files_give_the_same_measures(tmp_path):
    _write(tmp_path)
    parquet = measure_events(_config(), tmp_path)
    shuffled = tmp_path / "shuffled"
    _write(shuffled, shuffle=True)
    late = measure_events(_config(), shuffled)
    assert any(n.endswith("(out of file order); kept, as every task rule sorts each person's events by time")
               for n in late.notes)
    csv = tmp_path / "csv"
    csv.mkdir()
    for i, rows in enumerate((DAY1, DAY2)):
        _frame(rows).to_csv(csv / f"day{i}.csv", index=False)
    text = measure_events(_config(path="csv/*.csv"), tmp_path)
    for other in (late, text):
        pd.testing.assert_frame_equal(parquet.attempts, other.attempts)
        pd.testing.assert_frame_equal(parquet.people, other.people)
        assert (other.read, other.kept, other.dropped) == (parquet.read, parquet.kept, parquet.dropped)


def test_task_event_not_in_the_log_is_a_note_with_did_you_mean(tmp_path):
    _write(tmp_path)
    tasks = {"checkout": {"start": ["cart_view"], "success": ["order_placed"], "timeout": "30 min"}}
    measures = measure_events(_config(tasks=tasks), tmp_path)
    assert measures.attempts.empty and measures.people.empty
    assert ("event 'cart_view' (start event of task 'checkout') never occurs in the log; did you mean "
            "'cart_viewed'?") in measures.notes
    assert "task 'checkout': 4 success events have no start (outside any attempt); they are not attempts" \
        in measures.notes


def test_glob_matching_nothing_is_a_study_error_before_any_engine(tmp_path):
    with pytest.raises(StudyError, match=r"'events/\*\.parquet' matches no Parquet or CSV file"):
        measure_events(_config(path="events/*.parquet"), tmp_path)


def test_engine_given_is_left_open(tmp_path):
    _write(tmp_path)
    engine = DuckDBEngine()
    measure_events(_config(), tmp_path, engine=engine)
    # the views stay: the 10 events kept and the repeat that the task step dropped
    assert int(engine.sql("SELECT COUNT(*) AS n FROM clean_events")["n"][0]) == 11
    engine.close()


def test_a_log_with_every_event_dropped_gives_empty_frames_and_the_counts(tmp_path):
    rows = [(None, "s1", "2025-03-30 01:50:00", "cart_viewed", "mobile"),
            ("c1", "s1", "2025-03-30 01:50:00", "cart_viewed", "mobile")]
    _write(tmp_path, days=(rows,))
    measures = measure_events(_config(window=("2025-04-01", "2025-04-30")), tmp_path)
    assert (measures.read, measures.kept) == (2, 0)
    assert measures.dropped["missing id"] == 1 and measures.dropped["outside the study window"] == 1
    assert measures.attempts.empty and measures.people.empty
    assert list(measures.people.columns[:2]) == ["customer", "task"]


def test_a_partition_missing_a_mapped_column_stops_before_any_engine(tmp_path):
    _write(tmp_path)
    frame = _frame(DAY2).drop(columns=["device"])
    (tmp_path / "events" / "day=3").mkdir()
    frame.to_parquet(tmp_path / "events" / "day=3" / "part-0.parquet")
    with pytest.raises(DataError) as err:
        measure_events(_config(), tmp_path)
    assert [(p.file, p.column) for p in err.value.problems] == [("part-0.parquet", "device")]
