"""p-value adjustment: ``uxcx._core.padjust.p_adjust`` against statsmodels' ``multipletests``.

statsmodels runs ``gc.collect()`` inside every Holm call, so its cost grows with
the number of live Python objects in the session (a notebook holding frames pays
50-150 ms a call). Both are timed on the same families of p-values, in a process
that first allocates ``--objects`` small objects to stand in for a working session,
and the answers are checked equal (to 1e-15).

Also timed: one 2-D call adjusting ``--families`` families (rows) at once, against
a loop of ``multipletests`` calls.

Usage::

    python benchmarks/bench_padjust.py [--m 20] [--calls 200] [--objects 2000000] [--families 1000]

Prints a markdown table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from statsmodels.stats.multitest import multipletests

from uxcx._core.padjust import p_adjust


def _time(fn, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=20, help="p-values per family")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--objects", type=int, default=2_000_000, help="live objects, as in a session")
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    session = [[i] for i in range(args.objects)]  # noqa: F841  (kept alive on purpose)
    p = rng.uniform(size=args.m) ** 3
    print("| method | m | multipletests (ms/call) | p_adjust (ms/call) | ratio | max abs diff |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for method in ("holm", "fdr_bh", "bonferroni"):
        want = multipletests(p, method=method)[1]
        got = p_adjust(p, method)
        diff = float(np.max(np.abs(got - want)))
        assert diff <= 1e-15, (method, diff)
        calls = max(5, args.calls // (20 if method == "holm" else 1))
        t_sm = _time(lambda how=method: multipletests(p, method=how), calls)
        t_ux = _time(lambda how=method: p_adjust(p, how), args.calls)
        print(f"| {method} | {args.m} | {t_sm * 1e3:.3f} | {t_ux * 1e3:.4f} | {t_sm / t_ux:,.1f}x "
              f"| {diff:.1e} |")
    block = rng.uniform(size=(args.families, args.m)) ** 3
    start = time.perf_counter()
    want = np.array([multipletests(row, method="holm")[1] for row in block[: min(50, args.families)]])
    t_sm = (time.perf_counter() - start) / len(want) * args.families
    start = time.perf_counter()
    got = p_adjust(block, "holm")
    t_ux = time.perf_counter() - start
    assert np.max(np.abs(got[: len(want)] - want)) <= 1e-15
    print(f"| holm, {args.families} families in one 2-D call | {args.m} | {t_sm * 1e3:.1f} (total, "
          f"extrapolated from 50) | {t_ux * 1e3:.3f} (total) | {t_sm / t_ux:,.0f}x | |")


if __name__ == "__main__":
    main()
