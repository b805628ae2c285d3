"""Effect sizes of :func:`uxcx.link.by_level.compare_by_level` and their intervals.

Cliff's delta with the Brunner-Munzel interval, omega² with the noncentral-F
interval, and vectorised percentile bootstraps (no loop over resamples beyond
fixed-size chunks) of Kruskal-Wallis epsilon², Kendall's W, Cramér's V and the
matched-pairs rank-biserial correlation; Welch's ANOVA denominator df.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from uxcx._core.bootstrap import chunks, resample_cells, resample_indices

__all__ = ["boot_effect", "cliffs_delta", "cramer_v", "kendall_w", "omega2", "rank_eta2", "welch_df"]

_ARRAYS_PER_VALUE = 8  # work arrays (draws, ranks, centred ranks, ...) per resampled value, for the budget


def rank_eta2(values: np.ndarray, groups: np.ndarray, k: int) -> np.ndarray:
    """Kruskal-Wallis epsilon² = H/(n - 1), the share of rank variance between groups, per row."""
    ranks = stats.rankdata(values, axis=-1)
    centred = ranks - ranks.mean(-1, keepdims=True)
    onehot = np.eye(k)[groups]
    sums, sizes = centred @ onehot, onehot.sum(0)
    return (sums**2 / sizes).sum(-1) / (centred**2).sum(-1)


def kendall_w(wide: np.ndarray) -> np.ndarray:
    """Kendall's W = chi²_F / (n (k - 1)) with the tie-corrected Friedman chi², for (..., n, k)."""
    ranks = stats.rankdata(wide, axis=-1)
    n, k = wide.shape[-2:]
    centred = ranks - (k + 1) / 2
    totals = centred.sum(-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        chi2 = (k - 1) * (totals**2).sum(-1) / (centred**2).sum((-2, -1))
    return chi2 / (n * (k - 1))


def cramer_v(table: np.ndarray) -> np.ndarray:
    """Cramér's V of (..., k, 2) tables."""
    n = table.sum((-2, -1), keepdims=True)
    expected = table.sum(-1, keepdims=True) * table.sum(-2, keepdims=True) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        chi2 = np.nansum((table - expected) ** 2 / expected, axis=(-2, -1))
    return np.sqrt(chi2 / n[..., 0, 0] / (min(table.shape[-2:]) - 1))


def _percentile(reps: np.ndarray, level: float):
    reps = reps[np.isfinite(reps)]
    if len(reps) < 10:
        return np.nan, np.nan, np.nan
    low, high = np.quantile(reps, [(1 - level) / 2, (1 + level) / 2])
    return low, high, reps.std(ddof=1)


def boot_effect(kind: str, samples: list, level: float, n_boot: int, rng) -> tuple:
    """Percentile bootstrap of an effect size: resampling within groups (or subjects when paired)."""
    if kind == "friedman":
        wide = samples[0]
        reps = [kendall_w(wide[resample_indices(len(wide), b, rng)])
                for b in chunks(n_boot, _ARRAYS_PER_VALUE * wide.size)]
    elif kind == "kruskal":
        sizes = [len(s) for s in samples]
        groups = np.repeat(np.arange(len(samples)), sizes)
        reps = []
        for b in chunks(n_boot, _ARRAYS_PER_VALUE * sum(sizes)):
            drawn = np.concatenate([s[resample_indices(len(s), b, rng)] for s in samples], axis=1)
            reps.append(rank_eta2(drawn, groups, len(samples)))
    elif kind == "chi2":  # samples: successes and sizes per group; the rows of each group resampled
        x, size = samples
        cells = np.stack([x, size - x], axis=-1)
        reps = [cramer_v(resample_cells(cells, b, rng).astype(float))
                for b in chunks(n_boot, _ARRAYS_PER_VALUE * cells.size)]
    else:  # paired rank-biserial of the differences
        d = samples[0]
        reps = []
        for b in chunks(n_boot, _ARRAYS_PER_VALUE * len(d)):
            drawn = d[resample_indices(len(d), b, rng)]
            zeros = (drawn == 0).sum(1, keepdims=True)
            ranks = stats.rankdata(np.abs(drawn), axis=1) - zeros  # ranks among the non-zero
            plus, minus = (ranks * (drawn > 0)).sum(1), (ranks * (drawn < 0)).sum(1)
            with np.errstate(invalid="ignore", divide="ignore"):
                reps.append((plus - minus) / (plus + minus))
    return _percentile(np.concatenate(reps), level)


def cliffs_delta(a: np.ndarray, b: np.ndarray, level: float) -> dict:
    """Cliff's delta P(a > b) - P(a < b) with the Brunner-Munzel (2000) interval (t, Satterthwaite df)."""
    na, nb = len(a), len(b)
    pooled = stats.rankdata(np.concatenate([b, a]))
    rb, ra = pooled[:nb], pooled[nb:]
    p_hat = (ra.mean() - (na + 1) / 2) / nb  # P(b < a) + P(b = a)/2
    sb = np.sum((rb - stats.rankdata(b) - rb.mean() + (nb + 1) / 2) ** 2) / (nb - 1)
    sa = np.sum((ra - stats.rankdata(a) - ra.mean() + (na + 1) / 2) ** 2) / (na - 1)
    se = np.sqrt(nb * sb + na * sa) / (na * nb)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (nb * sb + na * sa) ** 2 / ((nb * sb) ** 2 / (nb - 1) + (na * sa) ** 2 / (na - 1))
        half = stats.t.ppf(0.5 + level / 2, df) * se
    return {"estimate": 2 * p_hat - 1, "std_error": 2 * se, "ci_low": max(-1.0, 2 * (p_hat - half) - 1),
            "ci_high": min(1.0, 2 * (p_hat + half) - 1)}


def omega2(samples: list, level: float) -> dict:
    """omega² from the one-way ANOVA table; interval from the noncentral F (Steiger 2004)."""
    k, n = len(samples), sum(len(s) for s in samples)
    allv = np.concatenate(samples)
    ssb = sum(len(s) * (s.mean() - allv.mean()) ** 2 for s in samples)
    ssw = sum(((s - s.mean()) ** 2).sum() for s in samples)
    df1, df2 = k - 1, n - k
    msw = ssw / df2
    f = (ssb / df1) / msw

    def ncp(target):
        g = lambda lam: stats.ncf.cdf(f, df1, df2, lam) - target  # noqa: E731
        if g(0) <= 0:
            return 0.0
        hi = max(10.0, f * df1 * 4)
        while g(hi) > 0:
            hi *= 4
        return optimize.brentq(g, 0, hi, xtol=1e-10)

    lo, hi = ncp(0.5 + level / 2), ncp(0.5 - level / 2)
    return {"estimate": max(0.0, (ssb - df1 * msw) / (ssb + ssw + msw)), "ci_low": lo / (lo + n),
            "ci_high": hi / (hi + n)}


def welch_df(samples: list) -> float:
    """Denominator df of Welch's (1951) one-way ANOVA."""
    w = np.array([len(s) / s.var(ddof=1) for s in samples])
    k = len(samples)
    lam = np.sum((1 - w / w.sum()) ** 2 / (np.array([len(s) for s in samples]) - 1))
    return float((k**2 - 1) / (3 * lam))
