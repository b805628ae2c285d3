"""Ctrl-C during ``uxcx report`` leaves the earlier report as it was, and no kernel running.

A folder of two notebooks (one quick, one that records its kernel's process id and then
sleeps) is run by the ``uxcx`` command into a folder that holds an earlier report. When
the slow kernel is up, the whole process group gets SIGINT, as a terminal's Ctrl-C sends
it. The command must exit with 130 and one line (no traceback), the earlier index and
results must be byte for byte as they were, no staging folder may be left, and the kernel
must be gone. A run that is not interrupted moves its files into place.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

STUDY = ROOT / "data" / "sample" / "study.yml"
UXCX = [sys.executable, "-m", "uxcx.report.cli"]


def _notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('study = ""\nout_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def folders(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00_quick.ipynb", "print('quick')")
    _notebook(notebooks / "01_slow.ipynb",
              "import os, time, pathlib\n"
              f"pathlib.Path({str(tmp_path / 'kernel.pid')!r}).write_text(str(os.getpid()))\n"
              "time.sleep(120)")
    out = tmp_path / "report"
    out.mkdir()
    earlier = {"index.html": "<p>earlier report: every notebook ran</p>",
               "01_slow.json": '{"status": "ok", "findings": ["earlier"]}',
               "00_quick.html": "<p>earlier page</p>", "notes.txt": "the researcher's own file"}
    for name, text in earlier.items():
        (out / name).write_text(text, encoding="utf-8")
    return tmp_path, notebooks, out, earlier


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie left for its parent to reap counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def test_ctrl_c_keeps_the_earlier_report_and_stops_every_kernel(folders):
    tmp, notebooks, out, earlier = folders
    proc = subprocess.Popen([*UXCX, "report", str(STUDY), "--out", str(out), "--notebooks", str(notebooks),
                             "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True, cwd=tmp)
    pid_file = tmp / "kernel.pid"
    deadline = time.monotonic() + 120
    while not pid_file.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert pid_file.exists(), proc.communicate(timeout=30)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, err = proc.communicate(timeout=60)
    kernel_pid = int(pid_file.read_text())
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("uxcx: report interrupted") and str(out) in last
    for name, text in earlier.items():
        assert (out / name).read_text(encoding="utf-8") == text
    assert sorted(p.name for p in out.iterdir()) == sorted(earlier)
    assert not [p for p in tmp.iterdir() if ".partial-" in p.name]
    time.sleep(0.5)
    assert not _alive(kernel_pid)


def test_a_finished_run_replaces_its_own_files_and_keeps_the_others(folders):
    tmp, notebooks, out, earlier = folders
    (notebooks / "01_slow.ipynb").unlink()
    (out / "00_quick.old.csv").write_text("stale table of an earlier run", encoding="utf-8")
    done = subprocess.run([*UXCX, "report", str(STUDY), "--out", str(out), "--notebooks", str(notebooks)],
                          capture_output=True, text=True, cwd=tmp, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "earlier report" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "00_quick.html").read_text(encoding="utf-8") != earlier["00_quick.html"]
    assert not (out / "00_quick.old.csv").exists()  # the notebook that ran this time no longer writes it
    assert (out / "notes.txt").read_text(encoding="utf-8") == earlier["notes.txt"]
    assert (out / "ledger.json").is_file()
    assert not [p for p in tmp.iterdir() if ".partial-" in p.name]


def test_a_relative_out_folder_is_the_callers_and_a_killed_runs_folder_is_cleared(folders):
    tmp, notebooks, out, earlier = folders
    (notebooks / "01_slow.ipynb").unlink()
    abandoned = tmp / ".report.partial-999999999-abc"  # a run killed outright: its process is gone
    abandoned.mkdir()
    (abandoned / "01_slow.json").write_text("{}", encoding="utf-8")
    done = subprocess.run([*UXCX, "report", str(STUDY), "--out", "report", "--notebooks", str(notebooks)],
                          capture_output=True, text=True, cwd=tmp, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "00_quick.json").read_text(encoding="utf-8"))["status"] == "ok"
    assert not abandoned.exists()
    assert not list(notebooks.glob(".*partial*"))  # nothing written beside the notebooks
