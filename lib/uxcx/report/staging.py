"""A report is written beside its folder and moved into place only when it is whole.

A run interrupted by Ctrl-C (or killed) must not leave an earlier report's index saying
every notebook ran beside new, partial results. :func:`staged` gives the runner a hidden
staging folder next to the report folder (same file system, so each move is an atomic
rename); when the run finishes, each file replaces its namesake in the report folder,
``index.html`` last, and files of the notebooks that ran this time but no longer produce
them are removed. Files the report does not own (anything else in ``--out``) are never
touched. When the run is interrupted the staging folder is deleted, every kernel the run
started is killed (:class:`Kernels`), and :class:`ReportInterrupted` says so in one line;
the folder of a run that was killed outright (it names its process) is removed by the
next run into the same place.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from uxcx.errors import UxcxError

__all__ = ["ReportInterrupted", "Kernels", "staged"]


class ReportInterrupted(UxcxError):
    """The report run was interrupted; the report folder is as it was before the run."""


class Kernels:
    """The kernel processes a run started, so an interrupted run can stop every one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processes: list = []

    def add(self, process) -> None:
        if process is not None:
            with self._lock:
                self._processes.append(process)

    def kill_all(self) -> int:
        """Kill every kernel still running; returns how many were."""
        killed = 0
        with self._lock:
            processes, self._processes = self._processes, []
        for process in processes:
            pid = getattr(process, "pid", None)
            if pid is None or process.poll() is not None:
                continue
            try:
                os.kill(pid, signal.SIGKILL)
                process.wait(timeout=5)
                killed += 1
            except Exception:  # already gone, or no longer ours to wait for
                pass
        return killed


@contextmanager
def staged(out: Path, notebooks: list[str], kernels: Kernels):
    """Yield a staging folder for a report into ``out``; publish it on success.

    On ``KeyboardInterrupt`` the kernels are killed, the staging folder removed, ``out``
    left as it was, and :class:`ReportInterrupted` raised.
    """
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(out)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-{os.getpid()}-", dir=out.parent))
    try:
        yield stage
    except KeyboardInterrupt:
        kernels.kill_all()
        shutil.rmtree(stage, ignore_errors=True)
        raise ReportInterrupted(f"report interrupted; {out} is as it was before this run "
                                f"(nothing was written and no kernel is left running)") from None
    except BaseException:
        kernels.kill_all()
        shutil.rmtree(stage, ignore_errors=True)
        raise
    try:
        _publish(stage, out, notebooks)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _remove_abandoned(out: Path) -> None:
    """Remove staging folders of runs into ``out`` that were killed (their process is gone)."""
    for folder in out.parent.glob(f".{out.name}.partial-*"):
        pid = folder.name.removeprefix(f".{out.name}.partial-").split("-", 1)[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: leave its folder alone
        return True
    return True


def _publish(stage: Path, out: Path, notebooks: list[str]) -> None:
    for name in notebooks:  # an earlier run's files of these notebooks that this run did not write
        own = [out / f"{name}.{ext}" for ext in ("json", "html", "ipynb")]
        for old in [*out.glob(f"{name}.*.csv"), *own]:
            if old.is_file() and not (stage / old.name).exists():
                old.unlink()
    files = sorted(p for p in stage.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == "index.html")  # the index last: it says the report is whole
    for file in files:
        target = out / file.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(file, target)
