"""The whole retention notebook (04) on a study of 1,000,000 customers, timed end to end.

The sample study's generator writes the usability, questionnaire and survey files as
usual; the customers file is replaced by 1,000,000 customers drawn from the same
model (same plans, prices, hazards and start window), so Kaplan-Meier by plan, the
log-rank test and the cohort projection run on a million rows while the UX analyses
run on the survey's customers. ``uxcx report --only 04`` then executes and renders the
notebook; the time includes loading and validating the study. Then the whole report
(all five notebooks, ``--jobs 2``, the ledger and the index) runs on the same study, end
to end, with each notebook's own time.

Usage::

    python benchmarks/bench_notebook04.py [--customers 1000000] [--no-whole]

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from uxcx.datasets import sample
from uxcx.report.runner import run_report


def write_study(folder: Path, n_customers: int) -> Path:
    sample.write_sample(folder)
    rng = np.random.default_rng(sample.DEFAULT_SEED + 1)
    keep, sample.N_CUSTOMERS = sample.N_CUSTOMERS, n_customers
    try:
        customers, _ = sample._customers(rng)
    finally:
        sample.N_CUSTOMERS = keep
    customers.to_csv(folder / "customers.csv", index=False, float_format="%.2f")
    return folder / "study.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--no-whole", action="store_true", help="time notebook 04 only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        study = write_study(folder / "study", args.customers)
        made = time.perf_counter() - start
        size = (folder / "study" / "customers.csv").stat().st_size / 2**20
        start = time.perf_counter()
        runs = run_report(study, out_dir=folder / "out", only=["04"], progress=None)
        took = time.perf_counter() - start
        whole, whole_took = None, 0.0
        if not args.no_whole:
            start = time.perf_counter()
            whole = run_report(study, out_dir=folder / "whole", jobs=2, progress=None)
            whole_took = time.perf_counter() - start
    status = runs[0].status
    print("| customers | customers.csv | study written | notebook 04 (load, analyse, render) | status |")
    print("|---:|---:|---:|---:|---|")
    print(f"| {args.customers:,} | {size:.0f} MiB | {made:.1f} s | **{took:.1f} s** (target < 120 s) "
          f"| {status} |")
    if whole is not None:
        print()
        print(f"Whole report on the same study (5 notebooks, --jobs 2, ledger and index): "
              f"**{whole_took:.1f} s**")
        print()
        print("| notebook | status | seconds |")
        print("|---|---|---:|")
        for run in whole:
            print(f"| {run.name} | {run.status} | {run.seconds:.1f} |")
    if status != "ok" or (whole is not None and any(r.status == "failed" for r in whole)):
        raise SystemExit(f"a notebook failed: {runs[0].error or [r.error for r in whole if r.error]}")


if __name__ == "__main__":
    main()
