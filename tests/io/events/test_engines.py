"""The engine layer: one SQL text on DuckDB and Spark, the dialect fragments, errors for people."""

from __future__ import annotations

import importlib.util
import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from uxcx.errors import DataError, StudyError, UxcxError
from uxcx.io.events import spark_engine
from uxcx.io.events.engines import DIALECT, DuckDBEngine, open_engine


def test_every_fragment_exists_in_both_dialects():
    assert set(DIALECT["duckdb"]) == set(DIALECT["spark"])
    for fragments in DIALECT.values():
        assert "{col}" in fragments["utc_us"] and "{tz}" in fragments["wall_to_utc"]


def test_unknown_engine_is_a_study_error():
    with pytest.raises(StudyError, match="engine must be duckdb or spark, got 'postgres'"):
        open_engine("postgres")


def test_duckdb_settings_and_its_spill_folder_removed_on_close():
    engine = open_engine("duckdb", memory_limit="1GB", threads=1)
    settings = engine.sql("SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t, "
                          "current_setting('TimeZone') AS z, current_setting('temp_directory') AS d")
    assert settings["t"][0] == 1 and settings["z"][0] == "UTC"
    assert settings["m"][0] == "953.6 MiB"  # 1 GB (10^9 bytes) as DuckDB prints it
    folder = settings["d"][0]
    assert os.path.isdir(folder)
    engine.close()
    assert not os.path.exists(folder)


def test_spark_without_pyspark_says_how_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyspark" else real(name, *a))
    with pytest.raises(StudyError, match=r"pip install 'uxcx\[spark\]'"):
        open_engine("spark")


def test_spark_without_java_says_so(monkeypatch):
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("pyspark is not installed: the pyspark message comes first (tested above)")
    monkeypatch.setattr(spark_engine.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(StudyError, match="needs a Java runtime"):
        open_engine("spark")


def test_same_sql_same_frame_and_dtypes(engine):
    frame = engine.sql("SELECT x, y, z FROM (SELECT CAST(1 AS BIGINT) AS x, 'a' AS y, CAST(2 AS BIGINT) AS z "
                       "UNION ALL SELECT NULL, NULL, CAST(3 AS BIGINT)) t ORDER BY z")
    assert frame["x"].dtype == "float64" and frame["z"].dtype == "int64" and frame["y"].dtype == object
    assert frame["x"].iloc[0] == 1 and pd.isna(frame["x"].iloc[1])
    assert frame["y"].tolist() == ["a", None]


def test_wall_clock_to_utc_across_the_clock_change(engine):
    # 2025-03-30 01:30 and 03:30 Berlin wall clocks (as UTC micros) are 00:30 and 01:30 UTC: 1 h apart
    wall = [1743298200000000, 1743305400000000]
    utc = [engine.fragment("wall_to_utc", col=f"CAST({w} AS BIGINT)", tz="Europe/Berlin") for w in wall]
    sql = " UNION ALL ".join(f"SELECT {x} AS x" for x in utc)
    got = sorted(engine.sql(sql)["x"].tolist())
    assert got == [1743294600000000, 1743298200000000]


def test_quote_doubles_the_quote_character():
    duck = DuckDBEngine()
    assert duck.quote('a"b') == '"a""b"'
    duck.close()


def test_csv_rows_and_file_names(engine, tmp_path):
    for name, n in (("a.csv", 3), ("b.csv", 2)):
        pd.DataFrame({"id": [f"{name}{i}" for i in range(n)], "t": "x"}).to_csv(tmp_path / name, index=False)
    engine.read_source("raw", [str(tmp_path / "a.csv"), str(tmp_path / "b.csv")], "csv", {"id": "r_id"})
    frame = engine.sql("SELECT r_id, uxcx_file, uxcx_row FROM raw ORDER BY uxcx_file, uxcx_row")
    assert frame.to_dict("list") == {"r_id": ["a.csv0", "a.csv1", "a.csv2", "b.csv0", "b.csv1"],
                                     "uxcx_file": ["a.csv"] * 3 + ["b.csv"] * 2, "uxcx_row": [2, 3, 4, 2, 3]}


def test_parquet_partitions_of_two_integer_widths_read_together(engine, tmp_path):
    pq.write_table(pa.table({"id": pa.array([1, 2], pa.int32())}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"id": pa.array([3], pa.int64())}), tmp_path / "b.parquet")
    engine.read_source("raw", [str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet")], "parquet", ["id"],
                       {"id": "integer"})
    frame = engine.sql("SELECT id, uxcx_file, uxcx_row FROM raw ORDER BY id")
    assert frame.to_dict("list") == {"id": [1, 2, 3], "uxcx_file": ["a.parquet", "a.parquet", "b.parquet"],
                                     "uxcx_row": [1, 2, 1]}


def test_a_file_the_engine_cannot_read_is_named_without_its_folder(engine, tmp_path):
    tmp_path = tmp_path / "event logs"  # Spark writes a space in a path as %20
    tmp_path.mkdir()
    pq.write_table(pa.table({"id": ["a"]}), tmp_path / "good.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")
    with pytest.raises(DataError) as err:
        engine.read_source("raw", [str(tmp_path / "good.parquet"), str(tmp_path / "broken.parquet")],
                           "parquet", ["id"], {"id": "text"})
        engine.sql("SELECT COUNT(*) AS n FROM raw")
    assert err.value.problems[0].file == "broken.parquet"
    assert "event logs" not in str(err.value) and "event%20logs" not in str(err.value)
    assert "/" not in err.value.problems[0].reason


def test_engine_errors_are_the_kits_and_quote_no_value(engine):
    with pytest.raises(UxcxError) as err:
        engine.sql("SELECT CAST('customer-4711' AS INT) AS x")
    assert not isinstance(err.value, DataError)
    assert "customer-4711" not in str(err.value)
    assert str(err.value).startswith(f"The {engine.dialect} engine could not")


@pytest.mark.spark
def test_open_engine_spark_reuses_the_running_session(spark):
    engine = open_engine("spark")
    assert engine.dialect == "spark"
    assert engine.spark.sparkContext.applicationId == spark.sparkContext.applicationId
    assert engine.spark.conf.get("spark.sql.session.timeZone") == "UTC"
    engine.close()


def test_a_wall_clock_skipped_or_repeated_by_a_clock_change_reads_as_python_does(engine):
    # Python's zoneinfo (fold=0): a skipped 02:30 (30 March) takes the offset before the change,
    # +01:00; a repeated 02:30 (26 October) its first occurrence, +02:00
    from datetime import datetime
    from zoneinfo import ZoneInfo

    walls = [datetime(2025, 3, 30, 2, 30), datetime(2025, 10, 26, 2, 30), datetime(2025, 10, 26, 1, 59)]
    wall_us = [int((w - datetime(1970, 1, 1)).total_seconds()) * 1_000_000 for w in walls]
    expected = [int(w.replace(tzinfo=ZoneInfo("Europe/Berlin")).timestamp()) * 1_000_000 for w in walls]
    assert expected[0] - wall_us[0] == -3600 * 1_000_000 and expected[1] - wall_us[1] == -7200 * 1_000_000
    utc = [engine.fragment("wall_to_utc", col=f"CAST({w} AS BIGINT)", tz="Europe/Berlin") for w in wall_us]
    rows = " UNION ALL ".join(f"SELECT {i} AS i, {x} AS x" for i, x in enumerate(utc))
    got = engine.sql(rows + " ORDER BY i")
    assert got["x"].tolist() == expected


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Sydney",
                                  "America/Sao_Paulo"])
def test_duckdb_reads_every_wall_clock_of_a_year_as_python_does(zone):
    # every quarter hour of 2025, clock changes included, against zoneinfo (fold=0)
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    walls = [datetime(2025, 1, 1) + timedelta(minutes=15 * i) for i in range(4 * 24 * 365)]
    expected = [int(w.replace(tzinfo=ZoneInfo(zone)).timestamp()) * 1_000_000 for w in walls]
    engine = DuckDBEngine()
    engine.con.register("walls", pd.DataFrame({"i": range(len(walls)), "w": [
        int((w - datetime(1970, 1, 1)).total_seconds()) * 1_000_000 for w in walls]}))
    got = engine.sql(f"SELECT {engine.fragment('wall_to_utc', col='w', tz=zone)} AS x FROM walls ORDER BY i")
    engine.close()
    assert got["x"].tolist() == expected
