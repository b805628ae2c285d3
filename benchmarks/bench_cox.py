"""Cox model at scale: ``uxcx.cox`` against lifelines' CoxPHFitter, automatic mode and batch mode.

A 5-covariate model (two UX measures, a 3-level plan, a region flag) on
``--n`` simulated customers whose churn times are whole days over two years of
observation (so times repeat, as in a customer table), exponential hazards with
known log hazard ratios. Each fit runs once; time is wall-clock, peak memory is
the peak of memory allocated while it runs (tracemalloc, which numpy reports to).
The coefficients of every fit are checked equal to those of uxcx to 1e-6.

- uxcx ``cox(check_ph=False)``: lifelines with batch mode chosen explicitly and R's precision;
- uxcx ``cox()``: the same plus the proportional-hazards check (R's cox.zph);
- lifelines ``CoxPHFitter().fit(batch_mode=None)``: its automatic choice of fitting mode;
- lifelines ``CoxPHFitter().fit(batch_mode=True)``.

Usage::

    python benchmarks/bench_cox.py [--n 1000000] [--seed 20261123]

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from uxcx.retention.proportional_hazards import cox

TRUE = {"sus": -0.02, "umux": -0.3, "plan[Plus]": -0.22, "plan[Pro]": -0.51, "mobile": 0.1}


def customers(n: int, rng: np.random.Generator) -> pd.DataFrame:
    plan = rng.choice(np.array(["Basic", "Plus", "Pro"]), n, p=[0.5, 0.35, 0.15])
    frame = pd.DataFrame({"sus": rng.normal(70, 12, n).round(1), "umux": rng.normal(0, 1, n).round(2),
                          "plan": plan, "mobile": rng.integers(0, 2, n)})
    eta = (TRUE["sus"] * (frame["sus"] - 70) + TRUE["umux"] * frame["umux"]
           + TRUE["plan[Plus]"] * (plan == "Plus") + TRUE["plan[Pro]"] * (plan == "Pro")
           + TRUE["mobile"] * frame["mobile"])
    days = np.ceil(rng.exponential(1 / (0.025 / 30.4375 * np.exp(eta))))
    follow = rng.integers(30, 731, n)
    frame["duration"] = np.minimum(days, follow)
    frame["event"] = (days <= follow).astype(int)
    return frame


def measure(func, *, memory: bool = True):
    """Seconds of a plain run, then (when ``memory``) the peak of a second run under tracemalloc,
    which slows allocation-heavy code several-fold and so must not be in the timing."""
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    peak = np.nan
    if memory:
        tracemalloc.start()
        func()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, peak, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    from lifelines import CoxPHFitter

    data = customers(args.n, np.random.default_rng(args.seed))
    covs = ["sus", "umux", "plan", "mobile"]
    dummies = pd.get_dummies(data[["duration", "event", "sus", "umux", "plan", "mobile"]], columns=["plan"],
                             drop_first=True, dtype=float)

    def lifelines_fit(batch):
        fit = CoxPHFitter().fit(dummies, "duration", "event", batch_mode=batch)
        return fit.params_[["sus", "umux", "plan_Plus", "plan_Pro", "mobile"]].to_numpy()

    runs = [("uxcx `cox(check_ph=False)`",
             lambda: cox(data, covariates=covs, check_ph=False)["coef"].to_numpy()),
            ("uxcx `cox()` (with the PH check)", lambda: cox(data, covariates=covs)["coef"].to_numpy()),
            ("lifelines `fit(batch_mode=True)`", lambda: lifelines_fit(True)),
            ("lifelines `fit()` (automatic mode)", lambda: lifelines_fit(None))]
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, func in runs:
            # lifelines' automatic mode takes minutes at this size: timed once, memory not repeated
            results.append((name, *measure(func, memory="automatic" not in name)))
    base = results[0][3]
    print(f"5-covariate Cox model (Efron ties) on {args.n:,} customers, {int(data['event'].sum()):,} churns, "
          f"{data['duration'].nunique()} distinct durations (days). True log hazard ratios: "
          + ", ".join(f"{k} {v:g}" for k, v in TRUE.items()) + ".\n")
    print("| fit | seconds | peak memory (MiB) | max abs coef difference from uxcx | coefficients |")
    print("|---|---|---|---|---|")
    for name, seconds, peak, coef in results:
        memory = "not repeated" if np.isnan(peak) else f"{peak:.0f}"
        print(f"| {name} | {seconds:.1f} | {memory} | {np.max(np.abs(coef - base)):.1e} "
              f"| {', '.join(f'{c:.4f}' for c in coef)} |")


if __name__ == "__main__":
    main()
