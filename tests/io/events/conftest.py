"""Fixtures for the event-log tests: one DuckDB connection per test, one SparkSession per run.

Tests marked ``spark`` are skipped, with the reason, where pyspark or a Java runtime is
missing (``make test`` runs them where Java is present; ``.ci/run`` installs a headless JRE).
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest

NO_JAVA = (
    "no Java runtime on PATH: install a JRE (apt-get install default-jre-headless) to run the Spark tests"
)
NO_PYSPARK = "pyspark is not installed: pip install 'uxcx[spark]' to run the Spark tests"


def spark_missing() -> str | None:
    """Why the Spark tests cannot run here, or None when they can."""
    if importlib.util.find_spec("pyspark") is None:
        return NO_PYSPARK
    if shutil.which("java") is None:
        return NO_JAVA
    return None


def pytest_collection_modifyitems(config, items):
    reason = spark_missing()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "spark" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession (one core, no UI, two shuffle partitions, UTC) for the whole run."""
    reason = spark_missing()
    if reason is not None:
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("uxcx-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def duckdb_con():
    """A fresh in-memory DuckDB connection in UTC."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    yield con
    con.close()


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request):
    """The same test on each engine: a fresh DuckDB connection, or the run's SparkSession."""
    from uxcx.io.events.engines import DuckDBEngine, SparkEngine

    if request.param == "duckdb":
        opened = DuckDBEngine()
    else:
        opened = SparkEngine(session=request.getfixturevalue("spark"))
    yield opened
    opened.close()
