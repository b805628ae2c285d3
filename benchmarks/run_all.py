"""Run every benchmark in one go and write their tables to benchmarks/RESULTS.md.

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
BENCHMARKS = ["bench_io.py", "bench_report.py", "bench_coverage.py", "bench_nps.py"]


def main() -> None:
    parts = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {dt.date.today().isoformat()}: Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}. "
        "Each table compares uxcx with the tool a researcher would otherwise use, in one run.",
    ]
    for name in BENCHMARKS:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, str(HERE / name)], capture_output=True, text=True)
        parts += ["", f"## {name}", "", done.stdout.strip()]
        if done.returncode:
            parts += ["", f"FAILED (exit {done.returncode}):", "```", done.stderr[-2000:], "```"]
    (HERE / "RESULTS.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
