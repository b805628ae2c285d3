"""Apache Spark as an engine of the event queries: :class:`SparkEngine` on a (reused) SparkSession.

The same SQL text as DuckDB's (:mod:`uxcx.io.events.engines`), on ``master`` (else the
environment's ``UXCX_SPARK_MASTER``, else ``local[*]``), session time zone UTC, quiet logs, one
session per process (an active session is reused; it is set to read Parquet nanosecond
timestamps as integers, ``spark.sql.legacy.parquet.nanosAsLong``, since Spark reads no other
way what pandas writes). ``pip install 'uxcx[spark]'`` and a Java runtime are needed; without
them a :class:`~uxcx.errors.StudyError` says so.
"""

from __future__ import annotations

import logging
import os
import shutil
import warnings

from uxcx.errors import StudyError
from uxcx.io.events.engines import ARROW_TEXT, SPARK_MASTER_ENV, Engine, column_aliases, plain_frame

__all__ = ["SparkEngine"]

# Spark's type for each column family of sources.KINDS (an explicit schema reads int32 and
# int64 partitions together, which Spark's mergeSchema refuses).
_SPARK_TYPES = {"text": "STRING", "integer": "BIGINT", "float": "DOUBLE", "boolean": "BOOLEAN",
                "date": "DATE", "timestamp": "TIMESTAMP_NTZ", "timestamp_ns": "BIGINT",
                "timestamp_tz": "TIMESTAMP", "timestamp_tz_ns": "BIGINT"}



class SparkEngine(Engine):
    """Spark SQL on a (reused) SparkSession; session time zone UTC."""

    dialect = "spark"

    def __init__(self, *, master: str | None = None, session=None):
        super().__init__()
        self.spark = session if session is not None else _spark_session(master)
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        self.spark.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
        self._cached: list[str] = []

    def read_source(self, name, paths, fmt, columns, kinds=None):
        from pyspark.sql import functions as F

        columns = column_aliases(columns)
        self._remember(paths, columns)
        try:
            if fmt == "parquet":
                reader = self.spark.read
                if kinds:
                    reader = reader.schema(", ".join(f"{self.quote(c)} {_SPARK_TYPES[kinds[c]]}"
                                                     for c in columns))
                else:
                    reader = reader.option("mergeSchema", True)
                frame = reader.parquet(*paths)
                row = F.col("_metadata.row_index") + 1
            else:
                frame = self.spark.read.option("header", True).option("inferSchema", False).csv(list(paths))
                order = F.monotonically_increasing_id()
                frame = frame.withColumn("uxcx_order", order)
                row = None
            picked = [F.col(self.quote(c)).alias(a) for c, a in columns.items()]
            frame = frame.select(*picked, F.col("_metadata.file_path").alias("uxcx_path"),
                                 F.col("_metadata.file_name").alias("uxcx_file"),
                                 *([row.alias("uxcx_row")] if row is not None else [F.col("uxcx_order")]))
            if row is None:  # a CSV file's lines, in the order read (one file is one partition below 128 MB)
                from pyspark.sql import Window

                by_file = Window.partitionBy("uxcx_path").orderBy("uxcx_order")
                frame = frame.withColumn("uxcx_row", F.row_number().over(by_file) + 1).drop("uxcx_order")
            frame.createOrReplaceTempView(name)
        except Exception as err:  # Py4J and pyspark errors share no narrower base
            raise self.failure(err, "read the event log") from None

    def sql(self, query, *, arrow_text=False):
        try:
            with warnings.catch_warnings():  # pyspark repeats a failure as a warning, paths and values in it
                warnings.filterwarnings("ignore", message="toPandas attempted Arrow optimization")
                frame = plain_frame(self.spark.sql(query).toPandas())
            if arrow_text:
                for name in [n for n in frame.columns if frame[n].dtype.kind == "O"]:
                    frame[name] = frame[name].astype(ARROW_TEXT)
            return frame
        except Exception as err:
            raise self.failure(err, "read the event log") from None

    def execute(self, query):
        try:
            self.spark.sql(query)
        except Exception as err:
            raise self.failure(err, "read the event log") from None

    def view(self, name, query):
        self.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {query}")

    def materialise(self, name, query):
        self.view(name, query)
        self.execute(f"CACHE TABLE {name}")
        self._cached.append(name)

    def close(self):
        for name in self._cached:
            try:
                self.spark.sql(f"UNCACHE TABLE IF EXISTS {name}")
            except Exception:  # the session may be gone already; nothing left to free
                pass
        self._cached = []


def _spark_session(master: str | None):
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        raise StudyError("events: engine: spark needs pyspark; install it with pip install 'uxcx[spark]' "
                         "(and a Java runtime, e.g. apt-get install default-jre-headless), or use "
                         "engine: duckdb")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise StudyError("events: engine: spark needs a Java runtime (17 or later) on PATH or in "
                         "JAVA_HOME; install one (apt-get install default-jre-headless) or use engine: "
                         "duckdb")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    for quiet in ("py4j", "pyspark", "SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        logging.getLogger(quiet).setLevel(logging.CRITICAL)
    master = master or os.environ.get(SPARK_MASTER_ENV) or "local[*]"
    builder = (SparkSession.builder.master(master).appName("uxcx-events")
               .config("spark.sql.session.timeZone", "UTC").config("spark.ui.showConsoleProgress", "false"))
    if master.startswith("local"):  # one machine: a few shuffle partitions, not a cluster's 200
        builder = builder.config("spark.sql.shuffle.partitions", str(2 * (os.cpu_count() or 1)))
    try:
        session = builder.getOrCreate()
    except Exception as err:  # the JVM did not start: say so without its traceback
        first = str(err).strip().splitlines()[0][:200] if str(err).strip() else type(err).__name__
        raise StudyError(f"events: Spark did not start ({first}); check the master URL and the Java "
                         "runtime, or use engine: duckdb") from None
    session.sparkContext.setLogLevel("ERROR")
    return session
