"""Cox model at scale, all durations distinct: ``uxcx.cox`` against lifelines' CoxPHFitter.

A 5-term model (two UX measures, a 3-level plan, a mobile flag) on ``--sizes`` simulated
customers whose churn times are continuous (every duration distinct: the case where
lifelines' batch mode does not help), exponential hazards with known log hazard
ratios, follow-up uniform over two years. Each fit runs once per size (wall-clock and
CPU seconds); peak memory is tracemalloc's peak during a second run (numpy reports
its allocations to it). Coefficients and standard errors are checked equal to
lifelines'.

- uxcx ``cox()``: the kit's Newton fit, plus what it always computes (the
  proportional-hazards check, R's cox.zph, and the model fit: tests and concordance);
- uxcx ``cox(check_ph=False)``;
- lifelines ``CoxPHFitter().fit()`` in its automatic mode (which chooses the
  non-batch algorithm for distinct times) with uxcx's design matrix.

lifelines at 1,000,000 rows takes minutes: it is run only with ``--lifelines-max`` at
or above that size; otherwise its time there is extrapolated linearly from the largest
size it ran at, and the table says so.

Usage::

    python benchmarks/bench_cox.py [--sizes 100000 1000000] [--lifelines-max 100000] [--seed 20261123]

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from uxcx.retention.proportional_hazards import cox

TRUE = {"sus": -0.02, "umux": -0.3, "plan[Plus]": -0.22, "plan[Pro]": -0.51, "mobile": 0.1}
COVARIATES = ["sus", "umux", "plan", "mobile"]
LIFELINES_COLUMNS = ["sus", "umux", "plan_Plus", "plan_Pro", "mobile"]


def customers(n: int, rng: np.random.Generator, *, unit_days: float | None = 1.0,
              horizon_days: int = 730) -> pd.DataFrame:
    """``n`` customers; durations in whole units of ``unit_days`` days (None: continuous, all distinct)."""
    plan = rng.choice(np.array(["Basic", "Plus", "Pro"]), n, p=[0.5, 0.35, 0.15])
    frame = pd.DataFrame({"sus": rng.normal(70, 12, n).round(1), "umux": rng.normal(0, 1, n).round(2),
                          "plan": plan, "mobile": rng.integers(0, 2, n)})
    eta = (TRUE["sus"] * (frame["sus"] - 70) + TRUE["umux"] * frame["umux"]
           + TRUE["plan[Plus]"] * (plan == "Plus") + TRUE["plan[Pro]"] * (plan == "Pro")
           + TRUE["mobile"] * frame["mobile"])
    days = rng.exponential(1 / (0.025 / 30.4375 * np.exp(eta)))
    follow = rng.uniform(30, horizon_days, n)
    if unit_days is not None:
        days, follow = np.ceil(days / unit_days), np.ceil(follow / unit_days)
    frame["duration"] = np.minimum(days, follow)
    frame["event"] = (days <= follow).astype(int)
    return frame


def dummies(data: pd.DataFrame) -> pd.DataFrame:
    """lifelines' input: the same design matrix as uxcx's (plan dummy-coded against Basic)."""
    return pd.get_dummies(data[["duration", "event", *COVARIATES]], columns=["plan"], drop_first=True,
                          dtype=float)


def measure(func, *, memory: bool = True):
    """Wall and CPU seconds of a plain run, then (when ``memory``) the tracemalloc peak of a second run,
    which slows allocation-heavy code and so must not be in the timing."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = func()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = np.nan
    if memory:
        tracemalloc.start()
        func()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return wall, cpu, peak, value


def uxcx_fit(data, check_ph=True):
    r = cox(data, covariates=COVARIATES, check_ph=check_ph)
    return r["coef"].to_numpy(), r["std_error"].to_numpy()


def lifelines_fit(table):
    from lifelines import CoxPHFitter

    fit = CoxPHFitter().fit(table, "duration", "event")
    return fit.params_[LIFELINES_COLUMNS].to_numpy(), fit.standard_errors_[LIFELINES_COLUMNS].to_numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--lifelines-max", type=int, default=100_000,
                        help="largest size at which lifelines is run (beyond: extrapolated)")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    import lifelines  # noqa: F401 (imported before timing, as uxcx is)

    rows, last_lifelines = [], None
    warnings.simplefilter("ignore")
    for n in args.sizes:
        data = customers(n, np.random.default_rng(args.seed), unit_days=None)
        full = measure(lambda d=data: uxcx_fit(d))
        bare = measure(lambda d=data: uxcx_fit(d, check_ph=False))
        if n <= args.lifelines_max:
            table = dummies(data)
            lf = measure(lambda t=table: lifelines_fit(t), memory=n <= 200_000)
            last_lifelines = (n, lf[0], lf[1])
            coef_diff = float(np.max(np.abs(full[3][0] - lf[3][0])))
            se_diff = float(np.max(np.abs(full[3][1] / lf[3][1] - 1)))
            lf_text = (f"{lf[0]:.1f} | {lf[1]:.1f} | "
                       + ("not repeated" if np.isnan(lf[2]) else f"{lf[2]:.0f}"))
            check = f"coef max abs diff {coef_diff:.1e}, se max rel diff {se_diff:.1e}"
            ratio = lf[0] / full[0]
        else:
            n0, wall0, _ = last_lifelines
            est = wall0 * n / n0
            lf_text, check = f"~{est:.0f} (extrapolated linearly from {n0:,} rows; not run) | | ", "not run"
            ratio = est / full[0]
        rows.append((n, int(data["event"].sum()), full, bare, lf_text, ratio, check))
    load = os.getloadavg()[0]
    print("5-term Cox model (Efron ties), all durations distinct. True log hazard ratios: "
          + ", ".join(f"{k} {v:g}" for k, v in TRUE.items()) + f". Load average at the end: {load:.1f} "
          f"on {os.cpu_count()} CPUs.\n")
    print("| customers | churns | uxcx `cox()` s (CPU s) | peak MiB | uxcx `cox(check_ph=False)` s | "
          "lifelines `fit()` s | CPU s | peak MiB | lifelines / uxcx `cox()` | check |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n, events, full, bare, lf_text, ratio, check in rows:
        print(f"| {n:,} | {events:,} | {full[0]:.2f} ({full[1]:.2f}) | {full[2]:.0f} | {bare[0]:.2f} | "
              f"{lf_text} | {ratio:.0f}x | {check} |")


if __name__ == "__main__":
    main()
