"""Event logs to per-person task measures (issue 16): DuckDB, Spark local mode and pandas.

Writes a product event log as Parquet partitions under ``benchmarks/_work/events_<N>/``
(git-ignored; reused when present): customers with about three sessions each, about twelve
events per session a few seconds to minutes apart, each partition sorted by time; event names
page_view, product_viewed, search, login and the checkout task's cart_viewed (start),
order_placed (success), payment_error and form_error (errors); a device per session. Then, each
in its own process (so that its peak resident memory is its own, ``ru_maxrss``), one run of:

- ``uxcx.io.events.measure_events`` on DuckDB (``memory_limit`` from ``--memory-limit``, default
  2500MB, both cores): reading, cleaning with the ledger's counts (drops, duplicates, out-of-order
  note) and the task queries;
- the same on Spark local mode (``local[2]``); its JVM's memory is the JVM's (not counted);
- pandas, vectorised (sort, groupby-cumsum, shift: what an analyst would write): the same rules
  (:mod:`uxcx.io.events.tasks`) on the same columns, duplicates dropped first.

The per-person tables are checked equal (every column, every customer) between engines.
pandas is skipped, with the reason, at a size whose peak memory, extrapolated linearly from its
largest run, would pass ``--pandas-cap-gb`` (the machine's other users need the rest).

Usage::

    python benchmarks/bench_events.py --sizes 1e6 1e7 [--spark 1e7] [--pandas 1e6 1e7]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

WORK = Path(__file__).resolve().parent / "_work"
EVENTS = np.array(["page_view", "product_viewed", "search", "login", "cart_viewed", "order_placed",
                   "payment_error", "form_error"])
SHARES = np.array([0.45, 0.20, 0.12, 0.04, 0.08, 0.05, 0.03, 0.03])
DEVICES = np.array(["mobile", "desktop", "tablet"])
TIMEOUT_S = 1800.0
CHECKOUT = SimpleNamespace(start=["cart_viewed"], success=["order_placed"],
                           errors=["payment_error", "form_error"], timeout_s=TIMEOUT_S)
COLUMNS = {"customer_id": "customer", "session_id": "session", "event_time": "timestamp",
           "event_name": "event", "device": "device"}
PART = 5_000_000  # events per Parquet partition
DAY_US = 86_400 * 1_000_000


def _prefixed(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pa.array(numbers).cast(pa.string()), "")


def make_partition(rng, n: int, first_session: int, customers: int) -> pa.Table:
    """``n`` events of whole sessions, sorted by time (vectorised)."""
    lengths = 1 + rng.poisson(11, size=n // 6 + 10)
    lengths = lengths[: np.searchsorted(np.cumsum(lengths), n) + 1]
    lengths[-1] -= lengths.sum() - n
    sessions = len(lengths)
    session_of = np.repeat(np.arange(sessions), lengths)
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    gaps = np.maximum(rng.exponential(40e6, n).astype("int64"), 1)
    gaps[first] = 0
    clock = np.cumsum(gaps)
    ts = rng.integers(0, 90 * DAY_US, sessions)[session_of] + clock - clock[first][session_of]
    order = np.argsort(ts, kind="stable")
    customer = rng.integers(0, customers, sessions)[session_of][order]
    return pa.table({
        "customer_id": _prefixed("C", customer),
        "session_id": _prefixed("S", first_session + session_of[order]),
        "event_time": pa.array(1_735_689_600_000_000 + ts[order], pa.timestamp("us", tz="UTC")),
        "event_name": pa.array(EVENTS[rng.choice(len(EVENTS), n, p=SHARES)]),
        "device": pa.array(DEVICES[rng.integers(0, 3, sessions)][session_of][order]),
    })


def write_log(n: int) -> Path:
    folder = WORK / f"events_{n}"
    done = folder / "_done"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261203)
    customers = max(n // 36, 1)
    for i, start in enumerate(range(0, n, PART)):
        size = min(PART, n - start)
        pq.write_table(make_partition(rng, size, first_session=start, customers=customers),
                       folder / f"part-{i:04d}.parquet", row_group_size=1_000_000)
    done.write_text(str(n))
    return folder


def run_engine(kind: str, folder: Path, memory_limit: str = "4GB") -> tuple[pd.DataFrame, dict]:
    from uxcx.io.events import measure_events
    from uxcx.study.events_options import EventsConfig

    config = EventsConfig(path=str(folder), columns=COLUMNS, engine=kind, memory_limit=memory_limit,
                          spark={"master": "local[2]"} if kind == "spark" else None,
                          tasks={"checkout": {"start": CHECKOUT.start, "success": CHECKOUT.success,
                                              "errors": CHECKOUT.errors, "timeout": TIMEOUT_S}})
    measured = measure_events(config, folder.parent)
    return measured.people, {"read": measured.read, "kept": measured.kept, "attempts": len(measured.attempts)}


def run_pandas(folder: Path) -> tuple[pd.DataFrame, dict]:
    """The checkout task's rules in vectorised pandas (the peer an analyst would write)."""
    df = pd.read_parquet(folder, columns=list(COLUMNS))
    df["ts_us"] = df.pop("event_time").dt.as_unit("us").astype("int64")
    read = len(df)
    df = df.drop_duplicates(ignore_index=True)
    kinds = {**dict.fromkeys(CHECKOUT.start, 0), **dict.fromkeys(CHECKOUT.errors, 2),
             **dict.fromkeys(CHECKOUT.success, 3)}
    df["kind"] = df["event_name"].map(kinds).fillna(1).astype("int8")
    df = df.sort_values(["customer_id", "session_id", "ts_us", "kind", "event_name", "device"],
                        ignore_index=True)
    part = ((df["customer_id"] != df["customer_id"].shift())
            | (df["session_id"] != df["session_id"].shift())).cumsum()
    is_start = df["kind"] == 0
    df["attempt_no"] = is_start.groupby(part).cumsum()
    df["att_start"] = df["ts_us"].where(is_start).groupby(part).ffill()
    df["errors_so_far"] = (df["kind"] == 2).groupby(part).cumsum()
    df["pos"] = df.groupby(part).cumcount()
    df["part"] = part
    log_end = int(df["ts_us"].max())
    df = df[df["attempt_no"] > 0]
    timeout = round(TIMEOUT_S * 1e6)
    df = df.assign(in_time=(df["ts_us"] - df["att_start"]) <= timeout, att=(df["kind"] == 0).cumsum())
    df["err_in_time"] = (df["kind"] == 2) & df["in_time"]
    g = df.groupby("att", sort=False)
    a = g.agg(customer=("customer_id", "first"), session=("session_id", "first"), part=("part", "first"),
              device=("device", "first"), start=("ts_us", "first"), start_pos=("pos", "first"),
              errors_before=("errors_so_far", "first"), last=("ts_us", "last"),
              steps_in_time=("in_time", "sum"), errors_in_time=("err_in_time", "sum"))
    succeeded = df[(df["kind"] == 3) & df["in_time"]]
    s = succeeded.groupby("att", sort=False)[["ts_us", "pos", "errors_so_far"]].first()
    a = a.join(s)
    same = a["part"] == a["part"].shift(-1)
    next_start = a["start"].shift(-1).where(same)
    session_last = a.groupby("part")["last"].transform("max")
    outcome = np.select(
        [a["ts_us"].notna(), (next_start - a["start"]) <= timeout, a["start"] + timeout > log_end,
         (session_last - a["start"]) <= timeout],
        ["success", "restarted", "censored", "session_end"], "timeout")
    ok = outcome == "success"
    a = a.assign(outcome=outcome, success=np.where(ok, 1.0, np.where(outcome == "censored", np.nan, 0.0)),
                 time_s=np.where(ok, a["ts_us"] - a["start"], np.nan) / 1e6,
                 errors=np.where(ok, a["errors_so_far"] - a["errors_before"], a["errors_in_time"]),
                 steps=np.where(ok, a["pos"] - a["start_pos"] + 1, a["steps_in_time"]))
    a = a.sort_values(["customer", "start", "session"], kind="stable", ignore_index=True)
    a["attempt"] = a.groupby("customer").cumcount() + 1
    previous = a.groupby("customer")["outcome"].shift()
    a["retry"] = (previous.notna() & (previous != "success")).astype("int64")
    return people_from_attempts(a), {"read": read, "kept": len(df), "attempts": len(a)}


def people_from_attempts(a: pd.DataFrame) -> pd.DataFrame:
    success_at = a["attempt"].where(a["outcome"] == "success")
    a = a.assign(first_ok=success_at.groupby(a["customer"]).transform("min"),
                 last_seen=a["attempt"].where(a["outcome"] != "censored").groupby(a["customer"])
                 .transform("max"))
    at_first_ok = a[a["attempt"] == a["first_ok"]].set_index("customer")
    at_last_seen = a[a["attempt"] == a["last_seen"]].set_index("customer")
    first = a[a["attempt"] == 1].set_index("customer")
    g = a.groupby("customer")
    people = pd.DataFrame({"attempts": g.size()})
    people["successes"] = (a["outcome"] == "success").groupby(a["customer"]).sum()
    censored = (a["outcome"] == "censored").groupby(a["customer"]).any()
    people["success"] = np.where(people["successes"] > 0, 1.0, np.where(censored, np.nan, 0.0))
    people["first_attempt_success"] = first["success"]
    people["time_s"] = at_first_ok["time_s"]
    people["errors"] = g["errors"].sum()
    people["failed_attempts"] = a["outcome"].isin(["timeout", "restarted", "session_end"]).groupby(
        a["customer"]).sum()
    people["clicks"] = at_first_ok["steps"].astype("float64")
    people["retries"] = g["retry"].sum()
    people["abandoned"] = 1.0 - at_last_seen["success"]
    people["first_start"] = pd.to_datetime(first["start"], unit="us", utc=True)
    people["device"] = first["device"]
    return people.reset_index()


def child(kind: str, folder: Path, out: Path, memory_limit: str) -> None:
    if kind != "pandas":
        import uxcx.io.events  # noqa: F401  (the kit's import is not the engine's time)
    began = time.perf_counter()
    people, counts = run_pandas(folder) if kind == "pandas" else run_engine(kind, folder, memory_limit)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    people.to_parquet(out)
    print(json.dumps({"seconds": seconds, "peak_gib": peak, **counts}))


def spawn(kind: str, folder: Path, cap_gb: float | None = None, memory_limit: str = "4GB") -> dict:
    out = WORK / f"people_{kind}_{folder.name}.parquet"
    limit = None
    if cap_gb:  # a safety net: the allocator fails instead of the machine swapping
        def limit():
            cap = int(cap_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(folder), str(out), memory_limit],
                          capture_output=True, text=True, preexec_fn=limit)
    if proc.returncode != 0:
        return {"failed": (proc.stderr.strip().splitlines() or ["?"])[-1][:200]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["people"] = out
    return result


COMPARED = ["attempts", "successes", "success", "first_attempt_success", "time_s", "errors",
            "failed_attempts", "clicks", "retries", "abandoned", "first_start", "device"]


def check_equal(left: Path, right: Path) -> int:
    a = pd.read_parquet(left).sort_values("customer", ignore_index=True)
    b = pd.read_parquet(right).sort_values("customer", ignore_index=True)
    assert a["customer"].astype(str).tolist() == b["customer"].astype(str).tolist(), "customers differ"
    for col in COMPARED:
        x, y = a[col], b[col]
        if col == "first_start":
            same = (x.dt.as_unit("us").astype("int64") == y.dt.as_unit("us").astype("int64")).all()
        elif col == "device":
            same = (x.astype(str) == y.astype(str)).all()
        else:
            same = np.allclose(x.astype(float), y.astype(float), rtol=0, atol=1e-9, equal_nan=True)
        assert same, f"{col} differs between {left.name} and {right.name}"
    return len(a)


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    import duckdb
    import pyspark

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, "
            f"Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}, pyspark {pyspark.__version__}, pandas {pd.__version__}; "
            f"load average {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--spark", type=float, nargs="*", default=[1e7])
    parser.add_argument("--pandas", type=float, nargs="*", default=[1e6, 1e7])
    parser.add_argument("--pandas-cap-gb", type=float, default=16.0)
    parser.add_argument("--memory-limit", default="2500MB",
                        help="DuckDB's memory_limit (it spills beyond); the rest of the peak is the frames")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "FOLDER", "OUT", "MEMORY_LIMIT"))
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], Path(args.child[1]), Path(args.child[2]), args.child[3])
    print(f"Machine at start: {machine()}\n")
    print("| events | engine | seconds | peak RSS GiB | events/s | attempts | pandas / this | values |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    pandas_peak = None  # (events, GiB) of the largest pandas run, to extrapolate from
    for n in sorted(int(s) for s in args.sizes):
        began = time.perf_counter()
        folder = write_log(n)
        print(f"<!-- {n:,} events written in {time.perf_counter() - began:.0f} s -->", flush=True)
        runs = {"duckdb": spawn("duckdb", folder, memory_limit=args.memory_limit)}
        if n in {int(s) for s in args.spark}:
            runs["spark"] = spawn("spark", folder)
        if n in {int(s) for s in args.pandas}:
            guess = pandas_peak and pandas_peak[1] * n / pandas_peak[0]
            if guess and guess > args.pandas_cap_gb:
                runs["pandas"] = {"failed": f"skipped: {guess:.0f} GiB expected from the "
                                  f"{pandas_peak[0]:,}-event run (cap {args.pandas_cap_gb:.0f} GiB)"}
            else:
                runs["pandas"] = spawn("pandas", folder, cap_gb=args.pandas_cap_gb)
                if "peak_gib" in runs["pandas"]:
                    pandas_peak = (n, runs["pandas"]["peak_gib"])
        report(n, runs)
    print(f"\nMachine at the end: {machine()}")


def report(n: int, runs: dict) -> None:
    base = runs["duckdb"]
    pandas_s = runs.get("pandas", {}).get("seconds")
    for kind, r in runs.items():
        if "failed" in r:
            print(f"| {n:,} | {kind} | - | - | - | - | - | {r['failed']} |", flush=True)
            continue
        values = "reference"
        if kind != "duckdb" and "people" in base:
            values = f"equal to DuckDB ({check_equal(base['people'], r['people']):,} customers)"
        ratio = f"{pandas_s / r['seconds']:.1f}x" if pandas_s else "-"
        print(f"| {n:,} | {kind} | {r['seconds']:.1f} | {r['peak_gib']:.2f} | {n / r['seconds']:,.0f} | "
              f"{r['attempts']:,} | {ratio} | {values} |", flush=True)


if __name__ == "__main__":
    main()
