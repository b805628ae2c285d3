"""Kaplan-Meier by segment and the log-rank test on 1,000,000 customers: uxcx against lifelines.

Data: ``--n`` customers in three plans (50/35/15%) with exponential churn (monthly
hazard 0.025 x 1 / 0.8 / 0.6), start dates spread over 18 months and observation
ending at 24 months, times counted in whole days and expressed in months (as
``uxcx.retention.curves.survival_data`` makes them), so there are many tied times.

- uxcx: ``kaplan_meier(data, by="plan", horizons=[3, 6, 12])`` (one lexsort, counts by
  ``np.add.reduceat``, grouped cumulative sums in log space; curves, log-log intervals,
  Brookmeyer-Crowley medians and retention) and ``logrank(data, by="plan")``.
- lifelines 0.30 used at its best: one ``KaplanMeierFitter`` per segment (log-log
  interval, ``median_survival_times`` of its interval for the median's limits,
  ``survival_function_at_times`` for retention), and
  ``lifelines.statistics.multivariate_logrank_test``.

Time is wall-clock (best of ``--repeat``); peak memory is ``tracemalloc``'s peak of
Python and numpy allocations during the call. Answers are checked equal: the
largest absolute difference of the survival curves and of their intervals over
every time of every segment, the medians, and the chi-squared statistic.

A second table times what a retention analysis of a customer table does, end to end,
on ``--n`` customers: Kaplan-Meier by 2 segments, the log-rank test and a 5-term Cox
model (``benchmarks/bench_cox.py``'s customers), once with durations in whole months
(36 distinct) and once in whole days over three years (1,095 distinct). uxcx:
``kaplan_meier(by=...)``, ``logrank(by=...)``, ``cox()`` as a notebook calls it (with its
proportional-hazards check and model fit); lifelines: ``KaplanMeierFitter`` per segment,
``logrank_test``, ``CoxPHFitter().fit(batch_mode=True)``. Answers checked equal: Cox
coefficients, survival curves, log-rank statistic. Both libraries are imported
before timing.

Usage::

    python benchmarks/bench_survival.py [--n 1000000] [--repeat 3] [--seed 20261123] [--skip-curves]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from bench_cox import COVARIATES, LIFELINES_COLUMNS, customers, dummies  # noqa: E402 (sibling script)
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times

from uxcx.retention.curves import DAYS_PER_MONTH, kaplan_meier
from uxcx.retention.log_rank import logrank
from uxcx.retention.proportional_hazards import cox

HORIZONS = [3.0, 6.0, 12.0]


def make_data(n: int, rng: np.random.Generator) -> pd.DataFrame:
    plan = rng.choice(np.array(["Basic", "Plus", "Pro"]), size=n, p=[0.5, 0.35, 0.15])
    hazard = 0.025 * np.select([plan == "Basic", plan == "Plus"], [1.0, 0.8], 0.6)
    churn_day = np.ceil(rng.exponential(1 / hazard) * DAYS_PER_MONTH)
    follow_day = 730 - rng.integers(0, 548, size=n)
    event = (churn_day <= follow_day).astype(np.int64)
    duration = np.minimum(churn_day, follow_day) / DAYS_PER_MONTH
    return pd.DataFrame({"duration": duration, "event": event, "plan": plan})


def measure(func, repeat: int):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak / 2**20, value


def uxcx_km(data):
    return kaplan_meier(data, by="plan", horizons=HORIZONS)


def lifelines_km(data):
    out = {}
    for plan, part in data.groupby("plan"):
        kmf = KaplanMeierFitter().fit(part["duration"], part["event"], label=plan)
        limits = median_survival_times(kmf.confidence_interval_)
        out[plan] = (kmf.survival_function_.iloc[:, 0], kmf.confidence_interval_, kmf.median_survival_time_,
                     limits.to_numpy().ravel(), kmf.survival_function_at_times(HORIZONS).to_numpy())
    return out


def lifelines_logrank(data):
    return multivariate_logrank_test(data["duration"], data["plan"], data["event"])


def compare(km, lf) -> dict:
    diff_s = diff_ci = diff_med = 0.0
    for plan, (surv, ci, median, _, _) in lf.items():
        curve = km.curve[km.curve["plan"] == plan].set_index("time")
        surv = surv[surv.index > 0] if surv.index[0] == 0 and 0 not in curve.index else surv
        diff_s = max(diff_s, float(np.max(np.abs(curve["survival"].to_numpy() - surv.to_numpy()))))
        ci = ci.loc[curve.index]
        low, high = curve["ci_low"].to_numpy(), curve["ci_high"].to_numpy()
        ok = ~np.isnan(low)
        diff_ci = max(diff_ci, float(np.max(np.abs(low[ok] - ci.iloc[:, 0].to_numpy()[ok]))),
                      float(np.max(np.abs(high[ok] - ci.iloc[:, 1].to_numpy()[ok]))))
        m = float(km.medians.loc[km.medians["plan"] == plan, "estimate"].iloc[0])
        diff_med = max(diff_med, 0.0 if (np.isnan(m) and np.isinf(median)) else abs(m - median))
    return {"survival": diff_s, "interval": diff_ci, "median": diff_med}


def uxcx_pipeline(data):
    km = kaplan_meier(data, by="mobile")
    lr = logrank(data, by="mobile")
    fit = cox(data, covariates=COVARIATES)
    return km, float(lr.loc[0, "statistic"]), fit["coef"].to_numpy()


def lifelines_pipeline(data, table):
    curves = {g: KaplanMeierFitter().fit(part["duration"], part["event"]).survival_function_.iloc[:, 0]
              for g, part in data.groupby("mobile")}
    a, b = data[data["mobile"] == 0], data[data["mobile"] == 1]
    lr = logrank_test(a["duration"], b["duration"], a["event"], b["event"])
    fit = CoxPHFitter().fit(table, "duration", "event", batch_mode=True)
    return curves, float(lr.test_statistic), fit.params_[LIFELINES_COLUMNS].to_numpy()


def pipeline_table(n: int, repeat: int, seed: int) -> None:
    import os

    print(f"\n### Retention analysis end to end, {n:,} customers\n")
    print("| durations | uxcx s (CPU s) | uxcx peak MiB | lifelines s (CPU s) | lifelines peak MiB "
          "| uxcx / lifelines | check |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, unit, horizon in (("36 distinct (months)", 30.4375, 36 * 30.4375),
                                 ("1,095 distinct (days)", 1.0, 1095)):
        data = customers(n, np.random.default_rng(seed), unit_days=unit, horizon_days=horizon)
        table = dummies(data)
        ours, theirs = [], []
        for _ in range(repeat):  # interleaved, so both see the same load
            ours.append(_timed(lambda d=data: uxcx_pipeline(d)))
            theirs.append(_timed(lambda d=data, t=table: lifelines_pipeline(d, t)))
        (u_wall, u_cpu, u_val), (l_wall, l_cpu, l_val) = min(ours), min(theirs)
        u_peak, l_peak = _peak(lambda d=data: uxcx_pipeline(d)), _peak(lambda d=data, t=table:
                                                                        lifelines_pipeline(d, t))
        km, chi_u, coef_u = u_val
        curves, chi_l, coef_l = l_val
        surv = max(float(np.max(np.abs(km.curve.loc[km.curve["mobile"] == g, "survival"].to_numpy()
                                       - c[c.index > 0].to_numpy()[-int((km.curve["mobile"] == g).sum()):])))
                   for g, c in curves.items())
        check = (f"Cox coef max abs diff {np.max(np.abs(coef_u - coef_l)):.1e}; log-rank χ² {chi_u:.4f} vs "
                 f"{chi_l:.4f}; KM max abs diff {surv:.1e}")
        seen = int(data["duration"].nunique())
        print(f"| {label} ({seen} seen) | {u_wall:.2f} ({u_cpu:.2f}) | {u_peak:.0f} "
              f"| {l_wall:.2f} ({l_cpu:.2f}) | {l_peak:.0f} | {u_wall / l_wall:.2f}x | {check} |")
    print(f"\nBest of {repeat} interleaved runs; load average at the end {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs (the machine was shared with other jobs: read the ratios).")


def _timed(func):
    wall, cpu = time.perf_counter(), time.process_time()
    value = func()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _peak(func) -> float:
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--skip-curves", action="store_true", help="only the end-to-end table")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if not args.skip_curves:
        curves_table(args)
    pipeline_table(args.n, args.repeat, args.seed)


def curves_table(args) -> None:
    data = make_data(args.n, np.random.default_rng(args.seed))
    rows = [("uxcx `kaplan_meier(by=\"plan\", horizons=[3, 6, 12])`",
             *measure(lambda: uxcx_km(data), args.repeat)),
            ("lifelines `KaplanMeierFitter` per segment (+ medians, limits, retention)",
             *measure(lambda: lifelines_km(data), args.repeat)),
            ("uxcx `logrank(by=\"plan\")`", *measure(lambda: logrank(data, by="plan"), args.repeat)),
            ("lifelines `multivariate_logrank_test`", *measure(lambda: lifelines_logrank(data), args.repeat))]
    km, lf, lr, llr = (r[3] for r in rows)
    diffs = compare(km, lf)
    chi_u, chi_l = float(lr.loc[0, "statistic"]), float(llr.test_statistic)
    print(f"{args.n:,} customers, 3 plans, {int(data['event'].sum()):,} churned, "
          f"{km.curve.shape[0]:,} distinct (plan, time) points; best of {args.repeat}.\n")
    print("| task | seconds | peak MB | ratio to uxcx |\n|---|---|---|---|")
    for k, (name, seconds, peak, _) in enumerate(rows):
        base = rows[k - k % 2][1]
        print(f"| {name} | {seconds:.3f} | {peak:.0f} | {seconds / base:.1f}x |")
    print(f"\nAnswers: largest |difference| of survival {diffs['survival']:.1e}, of log-log interval bounds "
          f"{diffs['interval']:.1e}, of medians {diffs['median']:.1e}; log-rank chi-squared uxcx "
          f"{chi_u:.6f}, lifelines {chi_l:.6f} (p uxcx {lr.loc[0, 'p_value']:.3e}, lifelines "
          f"{llr.p_value:.3e}).")


if __name__ == "__main__":
    main()
