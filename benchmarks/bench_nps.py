"""NPS intervals of ``uxcx.cx``: bootstrap speed, and how often each interval covers the truth.

Speed: a bootstrap of the NPS of 100,000 responses three ways, each with 2000
resamples and a 95% percentile interval:

- uxcx: ``cx.nps(method="bootstrap")``, which draws the three category counts of
  every resample from one multinomial call (resampling rows with replacement only
  changes those counts, so the distribution is the same);
- a loop over resamples that draws 100,000 row indices each time (the textbook way);
- ``scipy.stats.bootstrap`` on the +1/0/-1 scores (vectorised, in batches of 50
  resamples to bound memory).

The three intervals agree within Monte Carlo error: the standard error of a 2.5%
percentile of B resamples is about sqrt(0.025 * 0.975 / B) / phi(1.96) * se.

Coverage: for n = 30, 100, 1000 and several true (p_P, p_D), ``--sims`` simulated
surveys (counts drawn from the trinomial) go through ``uxcx.cx.nps.nps_interval``
in one vectorised call per method. Analytic cells show the simulated coverage and,
in brackets, the exact coverage sum over all (P, D) of P(P, D)·[truth in interval].
Bootstrap cells use ``--boot-sims`` surveys of ``--n-boot`` resamples each.

Usage::

    python benchmarks/bench_nps.py [--sims 20000] [--boot-sims 2000] [--n-boot 1000] [--seed 20261123]

Prints markdown tables.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import stats

from uxcx import cx
from uxcx.cx.nps import nps_interval

LEVEL = 0.95
NS = (30, 100, 1000)
SETTINGS = ((0.50, 0.25), (0.30, 0.30), (0.70, 0.10), (0.20, 0.60), (0.85, 0.05), (0.95, 0.01))


def _timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def speed_table(rng: np.random.Generator, n: int = 100_000, n_boot: int = 2000) -> str:
    scores = rng.choice([1.0, 0.0, -1.0], size=n, p=[0.45, 0.30, 0.25])
    frame = pd.DataFrame({"nps": np.select([scores == 1, scores == 0], [10, 8], 3)})
    alpha = 1 - LEVEL

    def uxcx_boot():
        r = cx.nps(frame, method="bootstrap", n_boot=n_boot, seed=1, confidence_level=LEVEL)
        return r.loc[0, "ci_low"] / 100, r.loc[0, "ci_high"] / 100

    def row_loop():
        loop_rng = np.random.default_rng(2)
        means = np.empty(n_boot)
        for b in range(n_boot):  # the baseline being measured: one resample of rows per iteration
            means[b] = scores[loop_rng.integers(0, n, n)].mean()
        return tuple(np.quantile(means, [alpha / 2, 1 - alpha / 2]))

    def scipy_boot():
        res = stats.bootstrap((scores,), np.mean, n_resamples=n_boot, method="percentile", batch=50,
                              confidence_level=LEVEL, random_state=np.random.default_rng(3))
        return res.confidence_interval.low, res.confidence_interval.high

    rows = [("uxcx `nps(method=\"bootstrap\")` (multinomial counts)", *_timed(uxcx_boot)),
            ("row-resampling loop (numpy indices)", *_timed(row_loop)),
            ("`scipy.stats.bootstrap` (percentile, batch=50)", *_timed(scipy_boot))]
    se = np.sqrt((np.mean(scores**2) - np.mean(scores) ** 2) / n)
    mc = np.sqrt(alpha / 2 * (1 - alpha / 2) / n_boot) / stats.norm.pdf(stats.norm.ppf(1 - alpha / 2)) * se
    base = rows[0][1]
    lines = [f"Bootstrap of the NPS of {n:,} responses, {n_boot} resamples, 95% percentile interval "
             f"(NPS {100 * scores.mean():.2f}; Wald se {100 * se:.3f} points; Monte Carlo se of each "
             f"bound about {100 * mc:.3f} points).", "",
             "| method | seconds | ratio to uxcx | ci_low | ci_high |", "|---|---|---|---|---|"]
    for name, seconds, (low, high) in rows:
        lines.append(f"| {name} | {seconds:.3f} | {seconds / base:.0f}x | {100 * low:.2f} "
                     f"| {100 * high:.2f} |")
    return "\n".join(lines)


def exact_coverage(n: int, p_p: float, p_d: float, method: str) -> float:
    pp, dd = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    ok = pp + dd <= n
    pp, dd = pp[ok], dd[ok]
    weight = stats.multinomial.pmf(np.stack([pp, n - pp - dd, dd], 1), n, [p_p, 1 - p_p - p_d, p_d])
    low, high, _, _ = nps_interval(pp, n - pp - dd, dd, method=method, confidence_level=LEVEL)
    truth = 100 * (p_p - p_d)
    return float(np.sum(weight * ((low <= truth + 1e-9) & (truth - 1e-9 <= high))))


def coverage_table(rng: np.random.Generator, sims: int, boot_sims: int, n_boot: int) -> str:
    lines = ["| n | p_P | p_D | NPS | adjusted-wald | wald | bootstrap | width: adj.-Wald / Wald / boot |",
             "|---|---|---|---|---|---|---|---|"]
    for n in NS:
        for p_p, p_d in SETTINGS:
            truth = 100 * (p_p - p_d)
            counts = rng.multinomial(n, [p_p, 1 - p_p - p_d, p_d], size=sims)
            cells, widths = [], []
            for method in ("adjusted-wald", "wald"):
                low, high, _, _ = nps_interval(*counts.T, method=method, confidence_level=LEVEL)
                cells.append(f"{np.mean((low <= truth) & (truth <= high)):.3f} "
                             f"({exact_coverage(n, p_p, p_d, method):.3f})")
                widths.append(np.mean(high - low))
            low, high, _, _ = nps_interval(*counts[:boot_sims].T, method="bootstrap", n_boot=n_boot,
                                           confidence_level=LEVEL, rng=rng)
            cells.append(f"{np.mean((low <= truth) & (truth <= high)):.3f}")
            widths.append(np.mean(high - low))
            lines.append(f"| {n} | {p_p:.2f} | {p_d:.2f} | {truth:.0f} | " + " | ".join(cells)
                         + " | " + " / ".join(f"{w:.1f}" for w in widths) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=20000)
    parser.add_argument("--boot-sims", type=int, default=2000)
    parser.add_argument("--n-boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print("### Bootstrap speed\n")
    print(speed_table(rng))
    print(f"\n### Coverage of 95% NPS intervals ({args.sims} simulated surveys per cell; bootstrap "
          f"{args.boot_sims} surveys of {args.n_boot} resamples; exact coverage in brackets)\n")
    se_sim = np.sqrt(0.95 * 0.05 / args.sims)
    print(coverage_table(rng, args.sims, args.boot_sims, args.n_boot))
    print(f"\nMonte Carlo se of a simulated coverage near 0.95: {se_sim:.4f} (analytic), "
          f"{np.sqrt(0.95 * 0.05 / args.boot_sims):.4f} (bootstrap).")


if __name__ == "__main__":
    main()
