"""Mediation bootstrap of ``uxcx.mediation`` against ``pingouin.mediation_analysis``: time,
peak memory and the interval of the indirect effect, on the same simulated data.

Each run happens in its own subprocess so that its peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own. pingouin draws all resample
indices at once (n_boot x n int64: 4 GB at 5,000 x 100,000) and refits in a Python loop,
and reports a bias-corrected (BC, no acceleration) percentile interval; uxcx is run with
its BCa interval (at n = 100,000 the acceleration is about 0, so BC and BCa coincide up to
Monte-Carlo error) and with the percentile interval.

Also a small calibration table: coverage of the 95% BCa and percentile intervals of the
indirect effect over simulated studies with a known a*b.

Usage::

    python benchmarks/bench_mediation.py [--n 100000] [--n-boot 5000] [--sims 400] [--seed 20261123]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import numpy as np
import pandas as pd

TRUE_A, TRUE_B, TRUE_C = 0.3, 0.3, 0.1

_CHILD = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
tool, n, n_boot, seed, method = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sys.path.insert(0, sys.argv[6])
from bench_mediation import simulate
df = simulate(np.random.default_rng(seed), n)
start = time.perf_counter()
if tool == "uxcx":
    from uxcx.link.mediate import mediation
    r = mediation(df, x="x", m="m", y="y", n_boot=n_boot, seed=1, ci_method=method).set_index("term")
    row = r.loc["indirect"]
    out = [float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"]),
           float(row["mc_error_low"]), float(row["mc_error_high"])]
else:
    import pingouin as pg
    r = pg.mediation_analysis(df, x="x", m="m", y="y", n_boot=n_boot, seed=1).set_index("path")
    row = r.loc["Indirect"]
    out = [float(row["coef"]), float(row["CI2.5"]), float(row["CI97.5"]), float("nan"), float("nan")]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
                  "result": out}))
"""


def simulate(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """x -> m -> y with a = 0.3, b = 0.3, c' = 0.1 and standard normal errors."""
    x = rng.normal(size=n)
    m = TRUE_A * x + rng.normal(size=n)
    y = TRUE_B * m + TRUE_C * x + rng.normal(size=n)
    return pd.DataFrame({"x": x, "m": m, "y": y})


def _run(tool: str, n: int, n_boot: int, seed: int, method: str = "bca") -> dict:
    here = str(__import__("pathlib").Path(__file__).resolve().parent)
    done = subprocess.run([sys.executable, "-c", _CHILD, tool, str(n), str(n_boot), str(seed), method, here],
                          capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def speed_table(n: int, n_boot: int, seed: int) -> str:
    runs = [("uxcx `mediation` (BCa)", _run("uxcx", n, n_boot, seed, "bca")),
            ("uxcx `mediation` (percentile)", _run("uxcx", n, n_boot, seed, "percentile")),
            ("pingouin `mediation_analysis` (bias-corrected)", _run("pingouin", n, n_boot, seed))]
    base = runs[0][1]["seconds"]
    lines = [f"Simple mediation, {n:,} rows, {n_boot:,} bootstrap resamples, 95% interval of the indirect "
             f"effect (true a*b = {TRUE_A * TRUE_B:.3f}); each tool in its own process.", "",
             "| tool | seconds | ratio to uxcx | peak RSS (GB) | a*b | ci_low (MC se) | ci_high (MC se) |",
             "|---|---|---|---|---|---|---|"]
    for name, r in runs:
        if "error" in r:
            lines.append(f"| {name} | failed: {r['error']} | | | | | |")
            continue
        est, low, high, mcl, mch = r["result"]
        mc = (f" ({mcl:.5f})", f" ({mch:.5f})") if np.isfinite(mcl) else ("", "")
        lines.append(f"| {name} | {r['seconds']:.1f} | {r['seconds'] / base:.1f}x | {r['rss_gb']:.2f} | "
                     f"{est:.5f} | {low:.5f}{mc[0]} | {high:.5f}{mc[1]} |")
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
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--n-boot", type=int, default=5000)
    parser.add_argument("--sims", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    import warnings

    warnings.simplefilter("ignore")
    print("### Speed and memory\n")
    print(speed_table(args.n, args.n_boot, args.seed))
    print("\n### Calibration\n")
    print(coverage_table(args.sims, args.seed))


if __name__ == "__main__":
    main()
