"""The engines that aggregate an event log: DuckDB embedded (the default) and Apache Spark.

An :class:`Engine` reads the log's files into a view, runs SQL and hands back small pandas
frames; nothing of the raw log enters pandas. :func:`open_engine` opens one:

- ``duckdb``: an in-memory connection in UTC with a memory limit (DuckDB spills to a
  temporary folder beyond it) and ``preserve_insertion_order=false`` for Parquet logs,
  so that a log far larger than memory streams through.
- ``spark``: a :class:`pyspark.sql.SparkSession` on ``master`` (else the environment's
  ``UXCX_SPARK_MASTER``, else ``local[*]``), session time zone UTC, quiet logs, one session
  per process (an active session is reused; it is set to read Parquet nanosecond timestamps
  as integers, ``spark.sql.legacy.parquet.nanosAsLong``, since Spark reads no other way what
  pandas writes). ``pip install 'uxcx[spark]'`` and a Java runtime are needed; without them a
  :class:`~uxcx.errors.StudyError` says so.

**One definition of every query.** The cleaning and task queries are SQL text in the subset
DuckDB and Spark SQL both accept: window functions, CASE, COALESCE, integer arithmetic,
SUM/COUNT/MIN/MAX, GROUP BY, LEFT JOIN. Timestamps become ``ts_us BIGINT`` (UTC
microseconds) once, in the cleaning step, so everything after works on integers and is
dialect-free. The few fragments that differ (turning a timestamp into microseconds, reading
a wall clock in a time zone, a TRY_CAST, a regular-expression match, integer division,
quoting a name) live in the one dict :data:`DIALECT`, used as
``DIALECT[engine.dialect]["utc_us"].format(col=...)``. Why not a translation layer such as
sqlglot or an expression layer such as Ibis: the portable subset covers everything the
aggregation needs, the tests run the very same text on both engines and compare the
results, and the kit avoids one more fast-moving dependency (and its own dialect bugs)
between the researcher's study file and the engines' SQL.

Every engine failure is turned into a :class:`~uxcx.errors.DataError` naming the file (the
file name only, never its folder) when the engine's message names one of the log's files,
else a :class:`~uxcx.errors.UxcxError`; quoted values are cut out of engine messages, so that
an id never reaches a message.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from urllib.parse import quote as quote_url

import pandas as pd

from uxcx.errors import DataError, Problem, StudyError, UxcxError

__all__ = ["Engine", "DuckDBEngine", "open_engine", "DIALECT", "SPARK_MASTER_ENV", "ARROW_TEXT",
           "column_aliases", "plain_frame", "sql_literal"]

SPARK_MASTER_ENV = "UXCX_SPARK_MASTER"
ARROW_TEXT = pd.StringDtype("pyarrow")
_SPECIAL = re.compile(r"(['\\\x00-\x1f\x7f])")  # written as CHR(n) in a literal
_NO_FOLDER = re.compile(r"(file:)?(?:/+[^/\s\"'`]+)+/([^/\s\"'`]+)")

# The only dialect-specific SQL of the event queries. {col}: an expression; {tz}: an IANA zone.
DIALECT = {
    "duckdb": {
        "utc_us": "epoch_us(CAST({col} AS TIMESTAMPTZ))",      # tz-aware timestamp -> UTC us
        "wall_us": "epoch_us(CAST({col} AS TIMESTAMP))",       # naive timestamp -> wall-clock us
        "utc_ns_us": "epoch_us(CAST({col} AS TIMESTAMPTZ))",   # tz-aware, nanoseconds
        "wall_ns_us": "epoch_us(CAST({col} AS TIMESTAMP))",    # naive, nanoseconds
        # wall us in tz -> UTC us; a repeated wall clock (autumn) takes its first instant, as Spark,
        # Java and Python (fold=0) do, where DuckDB alone takes the second: the earlier of two readings
        "wall_to_utc": "LEAST(epoch_us(timezone('{tz}', make_timestamp({col}))), "
                       "epoch_us(timezone('{tz}', make_timestamp({col} - 3600000000))) + 3600000000)",
        "text_us": "epoch_us(TRY_CAST({col} AS TIMESTAMPTZ))",  # ISO text (no offset: read as UTC)
        "matches": "regexp_matches({col}, '{pattern}')",
        "try_bigint": "TRY_CAST({col} AS BIGINT)",
        "int_div": "({col} // {by})",
        "quote": '"{name}"',
    },
    "spark": {
        "utc_us": "unix_micros({col})",
        "wall_us": "unix_micros(CAST({col} AS TIMESTAMP))",   # session zone UTC: the wall clock
        "utc_ns_us": "({col} div 1000)",   # nanosecond timestamps are read as BIGINT (nanosAsLong)
        "wall_ns_us": "({col} div 1000)",
        "wall_to_utc": "unix_micros(to_utc_timestamp(timestamp_micros({col}), '{tz}'))",
        "text_us": "unix_micros(try_cast({col} AS TIMESTAMP))",
        "matches": "({col} RLIKE '{pattern}')",
        "try_bigint": "try_cast({col} AS BIGINT)",
        "int_div": "({col} div {by})",
        "quote": "`{name}`",
    },
}

class Engine:
    """What the event queries need of an engine.

    Subclasses: :class:`DuckDBEngine`, :class:`~uxcx.io.events.spark_engine.SparkEngine`.
    """

    dialect = ""

    def __init__(self):
        self._files: dict[str, str] = {}   # full path -> file name, for messages
        self._columns: list[str] = []

    def fragment(self, key: str, **values) -> str:
        """The dialect's SQL for ``key`` of :data:`DIALECT`, filled in."""
        return DIALECT[self.dialect][key].format(**values)

    def quote(self, name: str) -> str:
        """``name`` as a quoted identifier of this dialect."""
        q = DIALECT[self.dialect]["quote"][0]
        return self.fragment("quote", name=name.replace(q, q + q))

    def read_source(self, name: str, paths: list[str], fmt: str, columns, kinds=None) -> None:
        """Create the view ``name``: the mapped columns, ``uxcx_path``, ``uxcx_file`` and ``uxcx_row``.

        ``columns`` is a list of column names or a dict column -> name in the view;
        ``kinds`` the family of each column (:data:`uxcx.io.events.sources.KINDS`).
        ``uxcx_path`` is the file's path (for ordering only: never shown, since partitions often
        share a name such as ``part-0.parquet``), ``uxcx_file`` its name (no folder, for messages);
        ``uxcx_row`` the row as a reader counts it
        (Parquet: 1 = the first row; CSV: the line, the header being line 1).
        """
        raise NotImplementedError

    def sql(self, query: str, *, arrow_text: bool = False) -> pd.DataFrame:
        """Run ``query`` and return its (small) result as a pandas frame.

        ``arrow_text``: text columns as pandas' Arrow-backed strings (``string[pyarrow]``), not
        Python objects; for a large result (the attempts), a fifth of the memory and no
        per-value object to make.
        """
        raise NotImplementedError

    def execute(self, query: str) -> None:
        """Run a statement that returns nothing (create a view)."""
        raise NotImplementedError

    def materialise(self, name: str, query: str) -> None:
        """Compute ``query`` once and keep it as ``name`` (a temporary table, or a cached view)."""
        raise NotImplementedError

    def view(self, name: str, query: str) -> None:
        """Create or replace the view ``name`` as ``query``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the engine holds (a shared Spark session is left running)."""

    def _remember(self, paths, columns) -> None:
        self._files.update({p: os.path.basename(p) for p in paths})
        self._columns = list(columns)

    def failure(self, err: Exception, doing: str) -> UxcxError:
        """An engine exception as the kit's error: the file and column named, values cut out."""
        text = str(err)
        found = []
        for path, file in sorted(self._files.items(), key=lambda kv: -len(kv[0])):
            for form in (path, quote_url(path)):  # Spark names files by URL: file:///a%20b/x.parquet
                if form in text:
                    found.append(file)
                    for prefix in ("file://", "file:", ""):
                        text = text.replace(prefix + form, file)
        found += [n for n in set(self._files.values()) if not found and f'"{n}"' in text]
        text = _NO_FOLDER.sub(r"\2", text)  # any other path (a spill file, a jar): its last part only
        text = re.sub(r"'[^']*'", "'…'", text).replace("\t", " ")
        lines = [line for line in text.splitlines() if line.strip()]
        reason = " ".join(lines[:2])[:300]
        column = next((c for c in self._columns if re.search(rf'[`"\[]{re.escape(c)}[`"\]]', text)), None)
        if found:
            return DataError([Problem(found[0], None, column, None, f"the {self.dialect} engine could not "
                                      f"{doing}: {reason}", hint="check this file; rewrite or remove it")])
        return UxcxError(f"The {self.dialect} engine could not {doing}: {reason}")


class DuckDBEngine(Engine):
    """DuckDB in memory, UTC; it spills to ``temp_dir`` (a fresh temporary folder) beyond ``memory_limit``."""

    dialect = "duckdb"

    def __init__(self, *, memory_limit: str | None = None, temp_dir: str | None = None,
                 threads: int | None = None, connection=None):
        super().__init__()
        import duckdb

        self._duckdb = duckdb
        self._own = connection is None
        self.con = duckdb.connect() if connection is None else connection
        self._tmp = None
        if temp_dir is None and self._own:
            temp_dir = self._tmp = tempfile.mkdtemp(prefix="uxcx-duckdb-")
        self.con.execute("SET TimeZone='UTC'")
        self.con.execute("SET enable_progress_bar=false")  # a notebook cell is no terminal: no bar in reports
        if memory_limit:
            self.con.execute(f"SET memory_limit='{_plain(memory_limit)}'")
        if temp_dir:
            self.con.execute(f"SET temp_directory='{_plain(temp_dir)}'")
        if threads:
            self.con.execute(f"SET threads={int(threads)}")

    def read_source(self, name, paths, fmt, columns, kinds=None):
        columns = column_aliases(columns)
        self._remember(paths, columns)
        files = "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"
        picked = ", ".join(f"{self.quote(c)} AS {self.quote(a)}" for c, a in columns.items())
        if fmt == "parquet":
            self.con.execute("SET preserve_insertion_order=false")  # stream; the row number gives order
            body = (f"SELECT {picked}, filename AS uxcx_path, parse_filename(filename) AS uxcx_file, "
                    f"file_row_number + 1 AS uxcx_row FROM read_parquet({files}, union_by_name=true, "
                    "filename=true, file_row_number=true)")
        else:  # read_csv has no row number: the scan keeps each file's order (insertion order kept)
            self.con.execute("SET preserve_insertion_order=true")
            body = (f"SELECT {picked}, filename AS uxcx_path, parse_filename(filename) AS uxcx_file, "
                    "CAST(ROW_NUMBER() OVER (PARTITION BY filename) + 1 AS BIGINT) AS uxcx_row "
                    f"FROM read_csv({files}, header=true, all_varchar=true, filename=true, delim=',', "
                    "quote='\"', union_by_name=true)")
        self.view(name, body)

    def sql(self, query, *, arrow_text=False):
        try:
            if arrow_text:
                table = self.con.sql(query).to_arrow_table()
                # self_destruct: each column's Arrow buffers are freed once converted (no second copy)
                frame = table.to_pandas(types_mapper=_arrow_text, self_destruct=True, split_blocks=True)
                return plain_frame(frame, keep_text=True)
            return plain_frame(self.con.sql(query).df())
        except self._duckdb.Error as err:
            raise self.failure(err, "read the event log") from None

    def execute(self, query):
        try:
            self.con.execute(query)
        except self._duckdb.Error as err:
            raise self.failure(err, "read the event log") from None

    def view(self, name, query):
        self.execute(f"CREATE OR REPLACE VIEW {name} AS {query}")

    def materialise(self, name, query):
        self.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {query}")

    def close(self):
        if self._own:
            self.con.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def open_engine(kind: str = "duckdb", *, master: str | None = None, memory_limit: str | None = None,
                temp_dir: str | None = None, threads: int | None = None) -> Engine:
    """Open the engine named by the study file's ``engine:``.

    Parameters
    ----------
    kind : {"duckdb", "spark"}
    master : str, optional
        Spark's master URL; default the environment's ``UXCX_SPARK_MASTER``, else ``local[*]``.
    memory_limit, temp_dir, threads : optional
        DuckDB's memory limit (``"4GB"``), spill folder and threads.

    Examples
    --------
    >>> engine = open_engine("duckdb", memory_limit="1GB")
    >>> int(engine.sql("SELECT 40 + 2 AS x")["x"][0])
    42
    >>> engine.close()
    """
    if kind == "duckdb":
        return DuckDBEngine(memory_limit=memory_limit, temp_dir=temp_dir, threads=threads)
    if kind == "spark":
        from uxcx.io.events.spark_engine import SparkEngine  # pyspark only when asked for

        return SparkEngine(master=master)
    raise StudyError(f"events: engine must be duckdb or spark, got {str(kind)[:40]!r}")


def column_aliases(columns) -> dict[str, str]:
    return dict(columns) if isinstance(columns, dict) else {c: c for c in columns}


def _plain(text: str) -> str:
    return str(text).replace("'", "''")


def sql_literal(text: str) -> str:
    """``text`` as a string literal DuckDB and Spark read alike.

    Quotes, backslashes (Spark reads one in a literal as an escape, DuckDB does not) and
    control characters are written as ``CHR(n)``.

    >>> sql_literal("it's")
    "'it' || CHR(39) || 's'"
    """
    parts = _SPECIAL.split(str(text))
    pieces = [f"CHR({ord(p)})" if _SPECIAL.fullmatch(p) else f"'{p}'" for p in parts if p != ""]
    return " || ".join(pieces) or "''"


def _arrow_text(kind):
    import pyarrow as pa

    text = pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    return ARROW_TEXT if text else None


def plain_frame(frame: pd.DataFrame, *, keep_text: bool = False) -> pd.DataFrame:
    """One set of dtypes from both engines: nullable integers as int64 (float64 if any missing)."""
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.api.extensions.ExtensionDtype) and col.dtype.kind in "iub":
            frame[name] = col.astype("float64") if col.isna().any() else col.astype("int64")
        elif keep_text and col.dtype == ARROW_TEXT:
            continue
        elif col.dtype.kind == "O" or isinstance(col.dtype, pd.StringDtype):
            frame[name] = col.astype(object).where(col.notna(), None)
    return frame
