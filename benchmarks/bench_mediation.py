"""Mediation bootstrap of ``uxcx.mediation`` against ``pingouin.mediation_analysis``: time of the
first call as a notebook makes it, peak memory, and the answers checked equal.

Every run is a fresh Python process (so imports made inside the call count, and its peak
resident memory, ``ru_maxrss``, is its own). Before the clock starts the process does what a
notebook's first cell does: it imports numpy, pandas and the tool (``import uxcx`` and
``from uxcx import link``; ``import pingouin``) and builds the data. The timed call is then the
first call of the tool's mediation function, with the lazy imports it triggers. uxcx and
pingouin runs alternate and each cell reports the median of its runs (wall clock, and the
process's CPU time beside it, as the machine is shared).

pingouin draws all resample indices at once (n_boot x n int64: 4 GB at 5,000 x 100,000) and
refits in a Python loop; it reports a bias-corrected (BC, no acceleration) percentile
interval. uxcx is timed with its default BCa interval (at these n the acceleration is about 0,
so BC and BCa agree up to Monte-Carlo error). Checks: the point estimates against statsmodels
OLS on the same data and against pingouin's, and the interval bounds against pingouin's, in
units of their Monte-Carlo standard error (uxcx's ``mc_error_*`` times sqrt(2), as two
independent bootstraps differ by the error of both).

Also a small calibration table: coverage of the 95% BCa and percentile intervals of the
indirect effect over simulated studies with a known a*b.

Usage::

    python benchmarks/bench_mediation.py [--sizes 20000:2000,100000:5000] [--repeats 3]
        [--pingouin-repeats-large 1] [--sims 400] [--seed 20261123]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TRUE_A, TRUE_B, TRUE_C = 0.3, 0.3, 0.1
TERMS = ["a", "b", "direct", "total", "indirect"]
HERE = Path(__file__).resolve().parent

_CHILD = r"""
import json, resource, sys, time
tool, n, n_boot, seed, here = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
import warnings
warnings.simplefilter("ignore")
import numpy as np, pandas as pd
if tool == "uxcx":
    import uxcx
    from uxcx import link  # noqa: F401  (the notebooks' first cell)
else:
    import pingouin as pg
sys.path.insert(0, here)
from bench_mediation import simulate
df = simulate(np.random.default_rng(seed), n)
wall, cpu = time.perf_counter(), time.process_time()
if tool == "uxcx":
    r = uxcx.mediation(df, x="x", m="m", y="y", n_boot=n_boot, seed=1).set_index("term")
    est = {t: float(r.loc[t, "estimate"]) for t in ("a", "b", "direct", "total", "indirect")}
    row = r.loc["indirect"]
    ci = [float(row[c]) for c in ("ci_low", "ci_high", "mc_error_low", "mc_error_high")]
else:
    r = pg.mediation_analysis(df, x="x", m="m", y="y", n_boot=n_boot, seed=1).set_index("path")
    # pingouin's "Y ~ m" row is the simple regression of y on m, not b; its a*b uses b from y ~ x + m
    names = {"a": "m ~ X", "direct": "Direct", "total": "Total", "indirect": "Indirect"}
    est = {t: float(r.loc[p, "coef"]) for t, p in names.items()}
    ci = [float(r.loc["Indirect", "CI2.5"]), float(r.loc["Indirect", "CI97.5"]), float("nan"), float("nan")]
print(json.dumps({"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
                  "estimate": est, "ci": ci}))
"""


def simulate(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """x -> m -> y with a = 0.3, b = 0.3, c' = 0.1 and standard normal errors."""
    x = rng.normal(size=n)
    m = TRUE_A * x + rng.normal(size=n)
    y = TRUE_B * m + TRUE_C * x + rng.normal(size=n)
    return pd.DataFrame({"x": x, "m": m, "y": y})


def _run(tool: str, n: int, n_boot: int, seed: int) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, tool, str(n), str(n_boot), str(seed), str(HERE)],
                          capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _statsmodels_estimates(n: int, seed: int) -> dict:
    import statsmodels.api as sm

    df = simulate(np.random.default_rng(seed), n)
    med = sm.OLS(df["m"], sm.add_constant(df[["x"]])).fit().params
    out = sm.OLS(df["y"], sm.add_constant(df[["x", "m"]])).fit().params
    tot = sm.OLS(df["y"], sm.add_constant(df[["x"]])).fit().params
    return {"a": med["x"], "b": out["m"], "direct": out["x"], "total": tot["x"],
            "indirect": med["x"] * out["m"]}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def speed_table(n: int, n_boot: int, seed: int, repeats: int, pingouin_repeats: int) -> str:
    load_before = _load()
    runs = {"uxcx": [], "pingouin": []}
    for k in range(max(repeats, pingouin_repeats)):  # alternate the tools, so load drifts hit both
        if k < repeats:
            runs["uxcx"].append(_run("uxcx", n, n_boot, seed))
        if k < pingouin_repeats:
            runs["pingouin"].append(_run("pingouin", n, n_boot, seed))
    failed = [r["error"] for rs in runs.values() for r in rs if "error" in r]
    if failed:
        return f"{n:,} rows: a run failed: {failed[0]}"
    med = {tool: {key: float(np.median([r[key] for r in rs])) for key in ("seconds", "cpu", "rss_gb")}
           for tool, rs in runs.items()}
    ours, theirs = runs["uxcx"][0], runs["pingouin"][0]
    reference = _statsmodels_estimates(n, seed)
    lines = [f"#### {n:,} rows, {n_boot:,} resamples (first call in a fresh process)", "",
             "| tool | runs | seconds (median) | CPU seconds (median) | pingouin / uxcx | peak RSS (GB) |",
             "|---|---:|---:|---:|---:|---:|"]
    labels = {"uxcx": "uxcx `mediation` (BCa)", "pingouin": "pingouin `mediation_analysis` (BC)"}
    for tool, label in labels.items():
        ratio = med["pingouin"]["seconds"] / med[tool]["seconds"]
        lines.append(f"| {label} | {len(runs[tool])} | {med[tool]['seconds']:.2f} | {med[tool]['cpu']:.2f} | "
                     f"{ratio:.1f}x | {med[tool]['rss_gb']:.2f} |")
    worst_sm = max(abs(ours["estimate"][t] - reference[t]) for t in TERMS)
    worst_pg = max(abs(ours["estimate"][t] - theirs["estimate"][t]) for t in theirs["estimate"])
    low, high, mc_low, mc_high = ours["ci"]
    z_low = (low - theirs["ci"][0]) / (np.sqrt(2) * mc_low)
    z_high = (high - theirs["ci"][1]) / (np.sqrt(2) * mc_high)
    lines += ["", f"Indirect effect a*b (true {TRUE_A * TRUE_B:.3f}): uxcx "
              f"{ours['estimate']['indirect']:.6f}, 95% CI {low:.5f} to {high:.5f} (Monte-Carlo se "
              f"{mc_low:.5f}, {mc_high:.5f}); pingouin {theirs['estimate']['indirect']:.6f}, "
              f"{theirs['ci'][0]:.5f} to {theirs['ci'][1]:.5f}. Bounds differ by {z_low:+.1f} and "
              f"{z_high:+.1f} combined Monte-Carlo se. Largest point-estimate difference: {worst_sm:.1e} "
              f"from statsmodels OLS (a, b, c', c, a*b), {worst_pg:.1e} from pingouin (a, c', c, a*b). "
              f"CPU ratio (pingouin / uxcx): {med['pingouin']['cpu'] / med['uxcx']['cpu']:.1f}x. "
              f"Load average before {load_before}, after {_load()}."]
    return "\n".join(lines)


def coverage_table(sims: int, seed: int, n: int = 100, n_boot: int = 1000) -> str:
    from uxcx.link.mediate import mediation

    rng = np.random.default_rng(seed)
    hits = {"bca": 0, "percentile": 0}
    truth = TRUE_A * TRUE_B
    for k in range(sims):  # loop over simulated studies (each bootstrap is vectorised)
        df = simulate(rng, n)
        for method in hits:
            row = mediation(df, x="x", m="m", y="y", n_boot=n_boot, seed=k, ci_method=method,
                            ).set_index("term").loc["indirect"]
            hits[method] += row["ci_low"] <= truth <= row["ci_high"]
    se = np.sqrt(0.95 * 0.05 / sims)
    return (f"Coverage of the 95% interval of a*b = {truth:.2f} over {sims} simulated studies of n = {n} "
            f"({n_boot} resamples each; Monte-Carlo se of a coverage near 0.95: {se:.3f}):\n\n"
            "| interval | coverage |\n|---|---|\n"
            + "\n".join(f"| {m} | {h / sims:.3f} |" for m, h in hits.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000:2000,100000:5000", help="n:n_boot pairs")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool and size")
    parser.add_argument("--pingouin-repeats-large", type=int, default=1,
                        help="pingouin runs at the largest n (each takes minutes and about 8 GB)")
    parser.add_argument("--sims", type=int, default=400, help="simulated studies for coverage (0: skip)")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    import warnings

    warnings.simplefilter("ignore")
    sizes = [tuple(int(v) for v in pair.split(":")) for pair in args.sizes.split(",")]
    print(f"### Speed and memory\n\nPython {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.machine()}; the machine is shared with other jobs, so read the ratios, not the "
          f"seconds.\n")
    for n, n_boot in sizes:
        pingouin_repeats = args.pingouin_repeats_large if n == max(s[0] for s in sizes) else args.repeats
        print(speed_table(n, n_boot, args.seed, args.repeats, pingouin_repeats) + "\n")
    if args.sims:
        print("### Calibration\n")
        print(coverage_table(args.sims, args.seed))


if __name__ == "__main__":
    main()
