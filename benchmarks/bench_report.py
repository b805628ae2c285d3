"""Fixed cost of a report: `uxcx report` on the sample study against papermill on empty notebooks.

The peer is what a researcher would otherwise run: the papermill command once per
notebook. Both are timed in this one run, best of ``--repeat``, as whole commands
(process start, imports, kernels, HTML). Goal (issue 2): the whole sample report in
no more than 1.5x the time papermill needs to execute the same number of empty
notebooks.

    python benchmarks/bench_report.py [--repeat 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _empty(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('study = ""\nout_dir = ""', metadata={"tags": ["parameters"]})]
    nbformat.write(nb, path)


def _best(commands: list[list[str]], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for command in commands:
            subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> str:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--repeat", type=int, default=3)
    args.add_argument("--jobs", type=int, default=2)
    opts = args.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empties = []
        for i in range(len(notebooks)):
            _empty(tmp / f"empty{i}.ipynb")
            empties.append([str(BIN / "papermill"), "-k", "python3", "--no-progress-bar",
                            str(tmp / f"empty{i}.ipynb"), str(tmp / f"out{i}.ipynb")])
        peer = _best(empties, opts.repeat)
        ours = _best([[str(BIN / "uxcx"), "report", str(ROOT / "data/sample/study.yml"),
                       "--out", str(tmp / "report"), "--jobs", str(opts.jobs)]], opts.repeat)
    lines = [
        f"### Report fixed cost ({len(notebooks)} notebook(s), best of {opts.repeat}, "
        f"--jobs {opts.jobs})",
        "",
        "| command | seconds |",
        "| --- | ---: |",
        f"| papermill CLI, {len(notebooks)} empty notebook(s) | {peer:.2f} |",
        f"| `uxcx report` on the sample study (all pages, ledger, index) | {ours:.2f} |",
        f"| ratio (goal <= 1.5) | {ours / peer:.2f} |",
    ]
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
