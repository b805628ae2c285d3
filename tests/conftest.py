"""Shared fixtures: the repository's paths, a seeded rng, study files written on the fly."""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import yaml
from hypothesis import settings

matplotlib.use("Agg")

# Locally hypothesis explores new examples on every run (that is how it found the Wilson
# rounding bug); in CI (CI=true) the examples are fixed so a landing cannot turn on chance.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.fixture(autouse=True, scope="session")
def _pseudonym_key_file(tmp_path_factory):
    """Tests never create or read the user's own key file (~/.config/uxcx/pseudonym.key)."""
    # One file for the whole session, shared by the xdist workers: a report made by one worker
    # and read by another must show the same pseudonyms.
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    mp = pytest.MonkeyPatch()
    mp.setenv("UXCX_PSEUDONYM_KEY_FILE", str(base / "uxcx-key" / "pseudonym.key"))
    yield
    mp.undo()


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"shared real data not found at {REALDATA}")
    return REALDATA


@pytest.fixture
def make_study(tmp_path):
    """Write files and a study file into tmp_path; returns the study file's path.

    ``files`` maps file names to text (written as UTF-8) or bytes; ``sources``
    is the study file's ``sources:`` section.
    """

    def make(files: dict, sources: dict, **extra) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        doc = {"name": extra.pop("name", "t"), "sources": sources, **extra}
        study = tmp_path / "study.yml"
        study.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        return study

    return make


# --- running each report once per session ---------------------------------------------------

class Report:
    """One report run: its runs (name -> status, reason, error) and its JSON pages."""

    def __init__(self, out: Path, runs: dict):
        self.out, self.runs = out, runs

    def status(self, notebook: str) -> str:
        return self.runs[notebook]["status"]

    def reason(self, notebook: str) -> str:
        return self.runs[notebook]["reason"] or ""

    def page(self, notebook: str) -> dict:
        return json.loads((self.out / f"{notebook}.json").read_text(encoding="utf-8"))

    def results(self, notebook: str) -> dict:
        doc = self.page(notebook)
        assert doc["status"] == "ok", (notebook, doc.get("reason"), doc.get("error"))
        return doc["results"]

    def lines(self) -> list[str]:
        """The progress lines the runner printed."""
        return (self.out / "_progress.txt").read_text(encoding="utf-8").splitlines()

    def failures(self) -> dict:
        return {n: (r["error"] or r["reason"]) for n, r in self.runs.items() if r["status"] == "failed"}


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(autouse=True, scope="session")
def _sample_events():
    """data/sample/events/ (git-ignored: a fresh clone has none) exists and matches its generator.

    Written once, under a lock file beside it, whichever process asks first: the xdist workers
    of this run and any other run on the same tree. The writer replaces the folder atomically.
    """
    from uxcx.datasets.sample import DEFAULT_SEED, write_sample_events
    from uxcx.datasets.sample_events import events_fingerprint

    folder = ROOT / "data" / "sample"
    expected = events_fingerprint(DEFAULT_SEED)

    def fresh() -> bool:
        try:
            doc = json.loads((folder / "events" / "_manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        files = [folder / "events" / name for name in doc.get("rows", ())]
        return doc.get("fingerprint") == expected and all(f.is_file() for f in files)

    if not fresh():
        with _locked(folder / ".events.lock"):
            if not fresh():
                write_sample_events(folder, DEFAULT_SEED)


def report_once(tmp_path_factory, name: str, study: Path) -> Report:
    """Run ``uxcx.run_report`` on ``study`` once per session, whichever worker asks first."""
    import uxcx

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session
    out = base / "uxcx-reports" / name
    done = out / "_runs.json"
    with _locked(base / "uxcx-reports" / f"{name}.lock"):
        if not done.exists():
            lines = []
            runs = uxcx.run_report(study, out_dir=out, jobs=2, progress=lines.append)
            record = {r.name: {"status": r.status, "reason": r.reason, "error": r.error, "cell": r.cell}
                      for r in runs}
            (out / "_progress.txt").write_text("\n".join(lines), encoding="utf-8")
            done.write_text(json.dumps(record, indent=1), encoding="utf-8")
    return Report(out, json.loads(done.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def sample_study():
    """The sample study, loaded once per test session (tests read its frames; none may change them)."""
    import warnings

    import pandas as pd

    import uxcx

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its planted small-sample and data warnings are tested elsewhere
        study = uxcx.load_study(ROOT / "data" / "sample" / "study.yml")
    fingerprint = {k: pd.util.hash_pandas_object(f, index=True).sum() for k, f in study.frames.items()}
    yield study
    changed = [k for k, f in study.frames.items() if pd.util.hash_pandas_object(f, index=True).sum()
               != fingerprint[k]]
    assert not changed, f"a test changed the shared sample study's {changed} frame(s); copy it first"


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """The full sample study's report, executed once per test session and shared by every test."""
    return report_once(tmp_path_factory, "sample", ROOT / "data" / "sample" / "study.yml")


# --- the event-log engines (tests/io/events): one DuckDB connection per test, one SparkSession per run.
# Tests marked ``spark`` are skipped, with the reason, where pyspark or a Java runtime is missing
# (``make test`` runs them where Java is present; ``.ci/run`` installs a headless JRE). They live here,
# not in a conftest of their folder: a second module named conftest would shadow this one's ROOT.

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
    from uxcx.io.events.engines import DuckDBEngine
    from uxcx.io.events.spark_engine import SparkEngine

    if request.param == "duckdb":
        opened = DuckDBEngine()
    else:
        opened = SparkEngine(session=request.getfixturevalue("spark"))
    yield opened
    opened.close()


_SAMPLE_STUDY = ROOT / "data" / "sample" / "study.yml"


def cut_sample(folder, sources: dict, *, segments=(), targets=None) -> str:
    """A study of the sample's files: ``sources`` maps a source to the headers kept (None: all).

    The pages' tests cut the sample down to the shapes other studies have (a survey alone, task
    rows without times); the study has no event log.
    """
    doc = yaml.safe_load(_SAMPLE_STUDY.read_text(encoding="utf-8"))
    kept = {}
    for name, headers in sources.items():
        source = doc["sources"][name]
        source["path"] = str((_SAMPLE_STUDY.parent / source["path"]).resolve())
        if headers is not None:  # a copy of the file with those columns only
            cut = folder / f"{name}.csv"
            import pandas as pd  # noqa: PLC0415 - only the cut studies need it here

            pd.read_csv(source["path"], dtype=str)[headers].to_csv(cut, index=False)
            source["path"] = str(cut)
            source["columns"] = {h: r for h, r in source["columns"].items() if h in headers}
            roles = set(source["columns"].values())
            source["values"] = {r: m for r, m in source.get("values", {}).items() if r in roles}
            source["personal"] = [r for r in source.get("personal", []) if r in roles]
        kept[name] = source
    study = {"name": "cut", "sources": kept,
             "links": [p for p in doc["links"] if all(s.split(".")[0] in sources for s in p)],
             "analysis": {**doc["analysis"], "segments": list(segments)},
             "measures": {"targets": targets or {}}}
    path = folder / "study.yml"
    path.write_text(yaml.safe_dump(study, sort_keys=False), encoding="utf-8")
    return str(path)
