"""The whole behaviour notebook (05) on a study whose event log has 100,000,000 events, timed end to end.

The event log is :mod:`bench_events`' (Parquet partitions under ``benchmarks/_work/``, written
when missing): about 2.8 million customers with sessions, page views and the checkout task. The
study around it is written here, in a temporary folder, for the same customers:

- ``customers.csv``: every customer of the log, a start date in 2024, a churn date for a third of
  them (drawn at random: the log's checkouts plant no effect), a plan and a region (the segments);
- ``survey.csv``: a CSAT and likelihood-to-recommend answer from 20,000 of them;
- the ``events:`` block: the log's folder (an absolute path), the checkout task (start
  ``cart_viewed``, success ``order_placed``, errors ``payment_error``/``form_error``, 30 min), DuckDB
  with ``memory_limit`` as given.

``uxcx report --only 05`` then runs: the study is loaded once (the event log measured inside
DuckDB, the frames cached for the kernel), the notebook executes and its page is rendered. The
time is that of ``run_report`` (the log is reused; the two small CSV files are written before
the clock starts): loading, validating and measuring the log, the notebook and its page. Peak
resident memory is given for the report process (which loads and measures the study) and for
its largest child (the notebook's kernel), from ``getrusage``.

Usage::

    python benchmarks/bench_notebook05.py [--events 1e8] [--memory-limit 2500MB] [--keep reports/x]

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_events  # noqa: E402  (the log's writer, beside this file)

from uxcx.report.runner import run_report  # noqa: E402

STUDY = """\
name: events_{n}
title: Checkout behaviour of {n:,} events (benchmark)
sources:
  survey:
    path: survey.csv
    columns: {{Response ID: respondent, Customer ID: customer, Submitted: date,
               Likelihood to recommend: nps, Satisfaction: csat}}
  customers:
    path: customers.csv
    columns: {{Customer ID: customer, Start date: start, Churn date: end, Plan: plan, Region: region}}
events:
  path: {log}
  columns: {{customer_id: customer, session_id: session, event_time: timestamp, event_name: event,
             device: device}}
  memory_limit: {memory}
  tasks:
    checkout:
      start: [cart_viewed]
      success: [order_placed]
      errors: [payment_error, form_error]
      timeout: 30 min
links:
  - [survey.customer, customers.customer]
analysis:
  segments: [plan, region, device]
  time_unit: months
  observed_until: 2025-12-31
measures:
  cx: [nps, csat]
"""


def write_study(folder: Path, n: int, log: Path, memory: str, respondents: int = 20_000) -> Path:
    rng = np.random.default_rng(20261203)
    customers = max(n // 36, 1)  # bench_events' number of customers for n events
    ids = np.char.add("C", np.arange(customers).astype(str))
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, customers), unit="D")
    churned = rng.random(customers) < 1 / 3
    end = start + pd.to_timedelta(rng.integers(30, 700, customers), unit="D")
    end = pd.Series(end).where(churned & (end <= pd.Timestamp("2025-12-31")))
    pd.DataFrame({"Customer ID": ids, "Start date": start.strftime("%Y-%m-%d"),
                  "Churn date": end.dt.strftime("%Y-%m-%d"),
                  "Plan": rng.choice(["Basic", "Plus", "Pro"], customers, p=[0.5, 0.3, 0.2]),
                  "Region": rng.choice(["North", "South", "East", "West"], customers)}
                 ).to_csv(folder / "customers.csv", index=False)
    asked = rng.choice(customers, min(respondents, customers), replace=False)
    pd.DataFrame({"Response ID": [f"R{i:06d}" for i in range(len(asked))], "Customer ID": ids[asked],
                  "Submitted": "2025-06-30", "Likelihood to recommend": rng.integers(0, 11, len(asked)),
                  "Satisfaction": rng.integers(1, 6, len(asked))}).to_csv(folder / "survey.csv", index=False)
    study = folder / "study.yml"
    study.write_text(STUDY.format(n=n, log=log, memory=memory), encoding="utf-8")
    return study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=float, default=1e8)
    parser.add_argument("--memory-limit", default="2500MB")
    parser.add_argument("--keep", type=Path, help="write the report here (kept), not in a temporary folder")
    args = parser.parse_args()
    n = int(args.events)
    log = bench_events.write_log(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        folder.mkdir()
        study = write_study(folder, n, log, args.memory_limit)
        start = time.perf_counter()
        runs = run_report(study, out_dir=args.keep or Path(tmp) / "out", only=["05"], progress=print)
        took = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    kernel = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    print(f"\nMeasured on {platform.node() or 'this machine'}: {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}\n")
    print("| events | notebook | status | wall s | peak GiB (report process) | peak GiB (kernel) |")
    print("|---:|---|---|---:|---:|---:|")
    for run in runs:
        print(f"| {n:,} | {run.name} | {run.status} | {took:.1f} | {own:.2f} | {kernel:.2f} |")


if __name__ == "__main__":
    main()
