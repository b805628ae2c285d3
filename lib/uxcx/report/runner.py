"""The report runner: every notebook of the kit, executed on one study.

``uxcx report STUDY.yml`` loads the study once, asks each notebook what it needs
(``metadata.uxcx.needs``, e.g. ``["tasks", "usability_scores"]``; see
:data:`uxcx.study.plan.NEEDS`) and skips, with the reason in words, a notebook whose
inputs the study lacks. The others are executed in name order with papermill
(parameters ``study`` and ``out_dir``), in this process (one kernel per notebook,
``--jobs`` of them at once), rendered to HTML with their code hidden, beside
``ledger.json`` and an ``index.html`` that leads with the findings. A notebook that
fails does not stop the others. Notebooks save their findings with :func:`save_results`.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from uxcx import __version__
from uxcx.report import pages
from uxcx.report.execute import execute, kernel_name
from uxcx.report.staging import Kernels, staged

__all__ = ["save_results", "run_report", "NotebookRun", "default_notebooks", "default_out"]

_ROOT = Path(__file__).resolve().parents[3]


def default_notebooks() -> Path:
    """The kit's notebooks: ``notebooks/`` of a checkout, else the copy installed with the package."""
    checkout = _ROOT / "notebooks"
    if (_ROOT / "lib" / "uxcx").is_dir() and checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "notebooks"  # put there by setup.py's build step


def default_out(name: str, study=None) -> Path:
    """Where a study's report goes by default: ``reports/<name>/`` of the study's repository.

    Parameters
    ----------
    name : str
        The study's name (``name:`` in the study file).
    study : str or Path, optional
        The study file. Its repository (the nearest folder above it holding ``.git``)
        gets the ``reports/`` folder; without one, the repository of the working
        folder; without either, the working folder itself.

    Returns
    -------
    Path
        ``<repository or working folder>/reports/<name>``; a notebook whose ``out_dir``
        parameter is left empty writes there, as does ``uxcx report`` without ``--out``.

    Examples
    --------
    >>> import tempfile
    >>> repo = Path(tempfile.mkdtemp()).resolve()
    >>> (repo / ".git").mkdir(); (repo / "studies").mkdir()
    >>> default_out("pilot", repo / "studies" / "pilot.yml") == repo / "reports" / "pilot"
    True
    """
    here = Path.cwd()
    starts = ([Path(study).expanduser().resolve().parent] if study else []) + [here.resolve()]
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / ".git").exists():
                return folder / "reports" / name
    return here / "reports" / name


def save_results(out_dir, notebook: str, *, findings: list[str], results: dict) -> Path:
    """Write ``<notebook>.json`` for the report: its findings and key numbers; tables also as CSV.

    Parameters
    ----------
    out_dir : str or Path
        The report folder (the notebook's ``out_dir`` parameter).
    notebook : str
        The notebook's name without extension, e.g. ``"00_data_quality"``.
    findings : list of str
        Plain-language sentences, headline first.
    results : dict
        Key numbers (JSON-serialisable; numpy scalars are converted; a DataFrame is saved as
        its records).

    Returns
    -------
    Path
        The JSON file written. Each entry of ``results`` that is a table (a
        DataFrame or a list of records) is also written as
        ``<notebook>.<key>.csv``, made safe to open in a spreadsheet first
        (:func:`uxcx.study.privacy.safe_table`: no cell runs as a formula).
    """
    import pandas as pd

    from uxcx.study.privacy import write_csv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{notebook}.json"
    results = {k: v.to_dict("records") if isinstance(v, pd.DataFrame) else v for k, v in results.items()}
    doc = {"notebook": notebook, "status": "ok", "findings": list(findings), "results": results}
    path.write_text(json.dumps(doc, indent=2, default=_jsonable, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    for key, value in results.items():
        table = _as_table(value)
        if table is not None:
            write_csv(table, out / f"{notebook}.{key}.csv")
    return path


def _as_table(value):
    """A DataFrame, or a non-empty list of records as one; None for anything else."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return pd.DataFrame(value)
    return None


def _jsonable(value):
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


@dataclass
class NotebookRun:
    """What happened to one notebook in a report run."""

    name: str
    status: str = "pending"  # ok | skipped | failed
    reason: str = ""  # why a notebook was skipped, in words
    seconds: float = 0.0
    cell: int | None = None  # index of the failing cell
    error: str = ""
    findings: list[str] = field(default_factory=list)


def _quiet_imports() -> None:
    # jsonschema imports rfc3987_syntax when installed (jupyter-events asks for it); building its
    # grammar costs ~1.9 s, half of papermill's fixed cost. Notebook validation never checks IRI
    # formats, so make that optional import fail fast (None in sys.modules -> ImportError).
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def run_report(study, *, out_dir=None, only=None, jobs: int = 1, notebooks=None,
               progress=print, cell_progress: bool = False) -> list[NotebookRun]:
    """Execute the kit's notebooks on a study and write the report.

    Parameters
    ----------
    study : str or Path
        The study file.
    out_dir : str or Path, optional
        Where to write; default ``reports/<study name>/``.
    only : list of str, optional
        Run only these notebooks (name, stem or number prefix such as ``"00"``).
    jobs : int
        Notebooks executed at once (each in its own kernel).
    notebooks : str or Path, optional
        The notebooks folder; default the kit's notebooks (:func:`default_notebooks`). A
        notebook of your own takes the parameters ``study`` and ``out_dir`` and may say what
        it needs in its metadata (``{"uxcx": {"needs": ["cx"]}}``).
    progress : callable
        Receives one line per event (start, finish); ``None`` for silence.
    cell_progress : bool
        Also show papermill's bar of cells (only with ``jobs=1``, where bars cannot interleave).

    Returns
    -------
    list of NotebookRun
        One per notebook, in name order, with status (ok, skipped or failed), the reason
        a notebook was skipped, and findings.
    """
    from uxcx.errors import UxcxError
    from uxcx.study.study_file import read_study

    config, study_path = read_study(study)
    # absolute: the kernels run in the notebooks folder, where a relative path would mean another place
    out = (Path(out_dir).expanduser() if out_dir else default_out(config.name)).resolve()
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(notebooks).expanduser() if notebooks else default_notebooks()
    if not folder.is_dir():
        raise UxcxError(f"no notebooks folder {folder}; pass --notebooks with a folder of .ipynb files")
    paths = _select(sorted(folder.glob("[0-9]*.ipynb")), only)
    if not paths:
        raise UxcxError(f"no notebooks (files named 00_*.ipynb, 01_*.ipynb, ...) in {folder}")
    say = progress or (lambda *_: None)
    lock = threading.Lock()
    _quiet_imports()

    runs = [NotebookRun(p.stem) for p in paths]
    say(f"uxcx {__version__}: {len(paths)} notebook(s) on study {config.name!r} -> {out}")
    side = ThreadPoolExecutor(max_workers=1)
    exporter = side.submit(pages.exporters)  # nbconvert's import (about 1 s) while the study loads
    kernels, stopping, render = Kernels(), threading.Event(), threading.Lock()
    title = config.title or config.name
    private = Path(tempfile.mkdtemp(prefix="uxcx-run-"))  # owner-only: the loaded study, for the kernels
    with _removed(private), staged(out, [run.name for run in runs], kernels) as stage:
        loaded = _load(study_path, private)
        _write_ledger(loaded, stage)
        for path, run in zip(paths, runs):
            run.reason = _unmet(path, loaded)
            if run.reason:
                run.status = "skipped"
                say(f"{run.name}: skipped: {run.reason}")
        todo = [i for i, run in enumerate(runs) if run.status != "skipped"]
        kernel = kernel_name()
        # A bar of cells per notebook when one runs at a time in a terminal; with parallel
        # jobs the bars would interleave, so each notebook then gets a start and an end line.
        cells = cell_progress and jobs <= 1

        def one(i: int) -> NotebookRun:
            run = runs[i]
            with lock:
                say(f"[{i + 1}/{len(paths)}] {run.name}: running")
            execute(paths[i], stage, study_path, run, kernel, cells, kernels, private)
            if stopping.is_set():
                return run  # interrupted: the kernel was killed, nothing to say about it
            _finish_json(stage, run)
            with render:  # the page now, while the other worker's notebook runs
                pages.write_page(stage, paths, runs, i, exporter.result(), study_title=title)
            with lock:
                word = "ok" if run.status == "ok" else f"FAILED at cell {run.cell}: {run.error}"
                say(f"[{i + 1}/{len(paths)}] {run.name}: {word} ({run.seconds:.1f} s)")
            return run

        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            list(pool.map(one, todo))
        except BaseException:  # Ctrl-C: stop the kernels first, or shutdown waits for every notebook
            stopping.set()
            kernels.kill_all()
            quiet = logging.root.manager.disable
            logging.disable(logging.CRITICAL)  # papermill's "Kernel died ..." is no news after Ctrl-C
            try:  # each worker ends within a second once its kernel is gone
                pool.shutdown(wait=True, cancel_futures=True)
                side.shutdown(wait=True, cancel_futures=True)
            finally:
                logging.disable(quiet)
            raise
        pool.shutdown()
        for run in runs:
            if run.status == "skipped":
                _finish_json(stage, run)
        pages.write_pages(stage, paths, runs, exporter.result(), study_title=title,
                          done={runs[i].name for i in todo})
        side.shutdown()
        pages.write_index(stage, config, runs, {p.stem: pages.notebook_title(p) for p in paths})
    say(f"report: {out / 'index.html'}")
    return runs


@contextmanager
def _removed(folder: Path):
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _select(paths: list[Path], only) -> list[Path]:
    if not only:
        return paths
    chosen = [p for p in paths if any(p.stem == o or p.name == o or p.stem.startswith(o)
                                      for o in only)]
    if not chosen:
        from uxcx.errors import UxcxError
        raise UxcxError(f"no notebook matches {only}; notebooks are {[p.stem for p in paths]}")
    return chosen


def _finish_json(out: Path, run: NotebookRun) -> None:
    path = out / f"{run.name}.json"
    fresh = run.status == "ok" and path.exists()
    doc = json.loads(path.read_text(encoding="utf-8")) if fresh else {
        "notebook": run.name, "findings": [], "results": {}}
    doc["status"] = run.status
    if run.status == "skipped":
        doc["reason"] = run.reason
    elif run.status != "ok":
        doc["error"] = {"cell": run.cell, "message": run.error}
    run.findings = list(doc.get("findings", []))
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _load(study_path: Path, cache_dir: Path):
    """The loaded study, or the error that stops it loading (the notebooks show it too).

    A loaded study is also left in ``cache_dir`` for the notebooks (:mod:`uxcx.study.cache`),
    with the warnings its load raised, which the notebooks then show as caveats.
    """
    import warnings

    from uxcx.errors import UxcxError
    from uxcx.study.cache import write_cache
    from uxcx.study.load import load_study

    try:
        with warnings.catch_warnings(record=True) as raised:
            warnings.simplefilter("always")
            study = load_study(study_path)
    except UxcxError as err:
        return err
    write_cache(study, cache_dir, raised)
    return study


def _unmet(path: Path, study) -> str:
    """Why ``study`` cannot feed the notebook at ``path`` ("" when it can, or cannot be told)."""
    from uxcx.study.plan import unmet

    if isinstance(study, Exception):
        return ""  # the notebook runs and shows the loading error where it can be read
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return ""  # papermill reports an unreadable notebook as a failure
    needs = (meta.get("uxcx") or {}).get("needs")
    return (unmet(study, needs) or "") if needs else ""


def _write_ledger(study, out: Path) -> None:
    if isinstance(study, Exception):
        ledger = {"error": str(study), "sources": {}, "links": {}}
    else:
        ledger = study.ledger.as_dict()
    (out / "ledger.json").write_text(json.dumps(ledger, indent=2, default=_jsonable,
                                                ensure_ascii=False) + "\n", encoding="utf-8")


