"""Run every benchmark in one go and write their tables to benchmarks/README.md.

    python benchmarks/run_all.py        (or: make bench)
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["bench_io.py", "bench_report.py", "bench_coverage.py", "bench_nps.py", "bench_padjust.py",
              "bench_drivers.py", "bench_mediation.py", "bench_survival.py", "bench_cox.py",
              "bench_notebook04.py"]


def machine() -> str:
    """CPU model, cores and memory of this machine, for reading the timings."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or platform.machine()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} CPUs, {memory:.0f} GiB, {platform.system()}"


def main() -> None:
    parts = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {dt.date.today().isoformat()}: Python "
        f"{platform.python_version()} on {machine()}. "
        "Each table compares uxcx with the tool a researcher would otherwise use, in one run, "
        "with the answers checked equal. Peer libraries come from the `bench` extra "
        "(`pip install -e '.[dev,bench]'`, which `make bench` does).",
    ]
    for name in BENCHMARKS:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, str(HERE / name)], capture_output=True, text=True)
        parts += ["", f"## {name}", "", done.stdout.strip()]
        if done.returncode:
            parts += ["", f"FAILED (exit {done.returncode}):", "```", done.stderr[-2000:], "```"]
    (HERE / "README.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'README.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
