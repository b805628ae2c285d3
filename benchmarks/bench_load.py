"""Speed of ``uxcx.load_study`` against ``pandas.read_csv(engine="pyarrow")`` (issue 17).

Writes a survey CSV shaped like the sample's survey source (``data/sample/study.yml``:
response and customer ids, a date, device, region, seven 1-5 ratings, a yes/no
answer with a value map, NPS 0-10, CSAT 1-5, CES 1-7, a comment and an email
withheld as personal; about 2 % of ratings blank) and a study file naming it, then
times in one run, interleaved, the median of ``--repeat``:

- ``pandas.read_csv(path, engine="pyarrow")``, reading only;
- ``uxcx.load_study(study)``: reading, coercion by role, the value map, the data
  dictionary's checks, the quality flags and the ledger.

It checks that the loaded values equal what pandas reads after the kit's
documented coercions (ratings as floats, the value map applied, dates as
datetimes, the personal column withheld) and prints a markdown table with the
ratio, the peak memory of each (``tracemalloc``, Python and numpy allocations;
Arrow's own pool reported beside it), the machine and its load.

Usage::

    python benchmarks/bench_load.py [--rows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

import uxcx

DEVICES = np.array(["Mobile", "Desktop", "Tablet"])
REGIONS = np.array(["North", "South", "East", "West"])
COMMENTS = np.array([
    "", "Checkout kept failing on my phone.", "Search results are useless.",
    "Fast, easy, \"great\"", "Returns took ages, but support helped", "ok",
])
RATINGS = ["UMUX-Lite 1", "UMUX-Lite 2", "Ease: search", "Ease: checkout", "Ease: returns",
           "Loyalty: continue", "Loyalty: choose again"]
ROLES = {
    "Response ID": "respondent", "Customer ID": "customer", "Submitted": "date",
    "Device": "device", "Region": "region", "UMUX-Lite 1": "umux_lite_1",
    "UMUX-Lite 2": "umux_lite_2", "Ease: search": "ease_search",
    "Ease: checkout": "ease_checkout", "Ease: returns": "ease_returns",
    "Completed goal": "reported_success", "Likelihood to recommend": "nps",
    "Satisfaction": "csat", "Effort": "ces", "Loyalty: continue": "loyalty_continue",
    "Loyalty: choose again": "loyalty_choose_again", "Comment": "comment", "Email": "email",
}


def make_survey(rows: int, seed: int = 20261203) -> pd.DataFrame:
    """The survey export with ``rows`` responses (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, rows + 1).astype(str)
    frame = {
        "Response ID": np.char.add("R", np.char.zfill(ids, 7)),
        "Customer ID": np.char.add("C", np.char.zfill(rng.integers(1, rows // 4 + 2, rows).astype(str), 7)),
        "Submitted": (np.datetime64("2024-01-01") + rng.integers(0, 700, rows)).astype(str),
        "Device": DEVICES[rng.integers(0, 3, rows)],
        "Region": REGIONS[rng.integers(0, 4, rows)],
    }
    for name in RATINGS[:5]:
        frame[name] = _with_blanks(rng, rng.integers(1, 6, rows))
    frame["Completed goal"] = np.array(["Yes", "No"])[rng.integers(0, 2, rows)]
    frame["Likelihood to recommend"] = _with_blanks(rng, rng.integers(0, 11, rows))
    frame["Satisfaction"] = _with_blanks(rng, rng.integers(1, 6, rows))
    frame["Effort"] = _with_blanks(rng, rng.integers(1, 8, rows))
    for name in RATINGS[5:]:
        frame[name] = _with_blanks(rng, rng.integers(1, 6, rows))
    frame["Comment"] = COMMENTS[rng.integers(0, len(COMMENTS), rows)]
    frame["Email"] = np.char.add(np.char.add("user", ids), "@example.com")
    return pd.DataFrame(frame)


def _with_blanks(rng, values: np.ndarray) -> np.ndarray:
    out = values.astype(float)
    out[rng.random(len(out)) < 0.02] = np.nan
    return out


def write_study(folder: Path, rows: int) -> tuple[Path, Path]:
    """Write ``survey.csv`` and ``study.yml`` into ``folder``."""
    csv = folder / "survey.csv"
    make_survey(rows).to_csv(csv, index=False, float_format="%.0f")
    columns = "\n".join(f'      "{k}": {v}' for k, v in ROLES.items())
    study = folder / "study.yml"
    study.write_text(
        "name: bench_load\nsources:\n  survey:\n    path: survey.csv\n    columns:\n"
        f"{columns}\n    values:\n      reported_success: {{\"Yes\": 1, \"No\": 0}}\n"
        "    personal: [email]\non_invalid: drop\n",
        encoding="utf-8",
    )
    return csv, study


def timed(fn):
    """(seconds, result) of one call."""
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak_mib(fn) -> float:
    """Peak traced MiB of one call (a separate, untimed run: tracing slows Python)."""
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def check_equal(raw: pd.DataFrame, loaded: pd.DataFrame) -> None:
    """The loaded survey holds what pandas read, after the documented coercions."""
    assert len(loaded) == len(raw), (len(loaded), len(raw))
    # email is declared personal; comment is personal by its role (schema.py)
    assert not {"email", "comment"} & set(loaded.columns), "a personal column reached the frame"
    for header, role in ROLES.items():
        if role in ("email", "comment"):
            continue
        got, want = loaded[role], raw[header]
        if role == "reported_success":
            want = want.map({"Yes": 1.0, "No": 0.0})
        if role == "date":
            got, want = pd.to_datetime(got).dt.strftime("%Y-%m-%d"), pd.Series(want).astype(str)
        if pd.api.types.is_numeric_dtype(want) or role == "reported_success":
            np.testing.assert_array_equal(got.to_numpy(float), want.to_numpy(float), err_msg=role)
        else:
            assert (got.astype(str).to_numpy() == want.fillna("").astype(str).to_numpy()).all(), role


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv, study = write_study(Path(tmp), args.rows)
        pandas_times, uxcx_times = [], []
        for _ in range(args.repeat):
            seconds, raw = timed(lambda: pd.read_csv(csv, engine="pyarrow"))
            pandas_times.append(seconds)
            del raw
            seconds, loaded = timed(lambda: uxcx.load_study(study))
            uxcx_times.append(seconds)
            del loaded
        check_equal(pd.read_csv(csv, engine="pyarrow"), uxcx.load_study(study)["survey"])
        peaks = (peak_mib(lambda: pd.read_csv(csv, engine="pyarrow")),
                 peak_mib(lambda: uxcx.load_study(study)))
        report(args, csv, pandas_times, uxcx_times, peaks)


def report(args, csv: Path, pandas_times, uxcx_times, peaks) -> None:
    t_pandas, t_uxcx = statistics.median(pandas_times), statistics.median(uxcx_times)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.rows:,} rows x 18 columns, {csv.stat().st_size / 2**20:.0f} MiB; "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"pandas {pd.__version__}, pyarrow {pa.__version__}; load average {load}; "
          f"median of {args.repeat}, interleaved (first call included); values checked equal.\n")
    print("| call | seconds (median) | runs | peak traced MiB |")
    print("|---|---|---|---|")
    rows = (("pandas.read_csv(engine='pyarrow')", pandas_times, t_pandas, peaks[0]),
            ("uxcx.load_study (with ledger)", uxcx_times, t_uxcx, peaks[1]))
    for name, times, t, peak in rows:
        print(f"| {name} | {t:.2f} | {' / '.join(f'{x:.2f}' for x in times)} | {peak:.0f} |")
    print(f"\nratio load_study / read_csv: **{t_uxcx / t_pandas:.2f}x** (goal <= 1.5x)")


if __name__ == "__main__":
    main()
