"""Correlations between UX measures and CX outcomes, with intervals and adjusted p-values.

:func:`correlate` computes Pearson, Spearman or Kendall (tau-b) coefficients for every
x × y pair on each pair's complete rows, Fisher-z intervals (Bonett & Wright 2000 and
Fieller et al. 1957 variances for the rank coefficients) or a vectorised, seeded
percentile bootstrap where Fisher z does not apply, and p-values adjusted across the
pairs (:func:`uxcx._core.padjust.p_adjust`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special, stats

from uxcx._core import bootstrap
from uxcx._core.checks import ALTERNATIVES, P_ADJUST_METHODS, check_level, check_option, numeric, require
from uxcx._core.padjust import p_adjust as adjust_p_values
from uxcx._core.pvalues import finish_p, underflow_note
from uxcx._core.results import result_frame
from uxcx.errors import SmallSampleWarning, UxcxError, UxcxWarning
from uxcx.link.correlation_p import kendall_log_p, pearson_log_p, spearman_log_p

__all__ = ["correlate", "fisher_interval", "bootstrap_r", "strength"]

METHODS = ("pearson", "spearman", "kendall")
CI_METHODS = ("auto", "fisher", "bootstrap")
#: ``ci_method="auto"`` bootstraps a pair in which a variable takes fewer distinct values.
MIN_DISTINCT = 5
_NAMES = {"pearson": "Pearson r", "spearman": "Spearman rho", "kendall": "Kendall tau-b"}
_FISHER = {"pearson": "Fisher z interval, SE 1/sqrt(n-3)",
           "spearman": "Fisher z interval, Bonett-Wright SE sqrt((1+r^2/2)/(n-3))",
           "kendall": "Fisher z interval, Fieller SE sqrt(0.437/(n-4))"}
_ARRAYS_PER_RESAMPLE = 8  # (B, K) work arrays of _r_from_counts per resample, for the chunk budget


def fisher_interval(r, n, method: str, confidence_level: float):
    """Fisher-z interval of correlations, vectorised: ``(low, high, std_error)``.

    z = atanh(r) ± z_crit·SE back-transformed with tanh; SE = 1/sqrt(n - 3) (Pearson),
    sqrt((1 + r²/2)/(n - 3)) (Spearman, Bonett & Wright 2000), sqrt(0.437/(n - 4))
    (Kendall, Fieller et al. 1957). ``std_error`` is the delta-method SE of r,
    (1 - r²)·SE. NaN where n is too small (n <= 3; Kendall n <= 4).
    """
    r, n = np.asarray(r, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "pearson":
            se = 1 / np.sqrt(n - 3)
        elif method == "spearman":
            se = np.sqrt((1 + r**2 / 2) / (n - 3))
        else:
            se = np.sqrt(0.437 / (n - 4))
        se = np.where(n > (4 if method == "kendall" else 3), se, np.nan)
        z = np.arctanh(r)
        half = special.ndtri(0.5 + confidence_level / 2) * se
        return np.tanh(z - half), np.tanh(z + half), (1 - r**2) * se


def _r_from_counts(w, ux, uy, method, n, kendall_sign=None):
    """The coefficient of every resample: ``w`` (B, K) counts of the K distinct (x, y) cells.

    Cells are sorted by x (``np.unique`` on rows), so each x level is a contiguous run.
    """
    xs, ix = np.unique(ux, return_index=True)
    order_y = np.argsort(uy, kind="stable")
    ys, iy = np.unique(uy[order_y], return_index=True)
    cx = np.add.reduceat(w, ix, axis=1)  # (B, levels of x)
    cy = np.add.reduceat(w[:, order_y], iy, axis=1)
    degenerate = ((cx > 0).sum(1) < 2) | ((cy > 0).sum(1) < 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "kendall":
            s = np.einsum("bk,bk->b", w @ kendall_sign, w) / 2
            n0 = n * (n - 1) / 2
            tx, ty = (cx * (cx - 1) / 2).sum(1), (cy * (cy - 1) / 2).sum(1)
            r = s / np.sqrt((n0 - tx) * (n0 - ty))
        else:
            if method == "spearman":  # mid-ranks of each level, then of each cell
                rank_x = np.cumsum(cx, axis=1) - cx + (cx + 1) / 2
                rank_y = np.cumsum(cy, axis=1) - cy + (cy + 1) / 2
                a = rank_x[:, np.searchsorted(xs, ux)] - (n + 1) / 2
                b = rank_y[:, np.searchsorted(ys, uy)] - (n + 1) / 2
            else:
                a, b = np.broadcast_to(ux - ux.mean(), w.shape), np.broadcast_to(uy - uy.mean(), w.shape)
            ma, mb = (w * a).sum(1) / n, (w * b).sum(1) / n
            sab = (w * a * b).sum(1) / n - ma * mb
            saa, sbb = (w * a * a).sum(1) / n - ma**2, (w * b * b).sum(1) / n - mb**2
            r = sab / np.sqrt(saa * sbb)
    return np.where(degenerate, np.nan, np.clip(r, -1, 1))


def bootstrap_r(x, y, method: str, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` bootstrap replicates of the correlation of ``x`` and ``y`` (complete rows).

    Resampling rows with replacement is a multinomial draw of counts over the distinct
    (x, y) cells (:func:`uxcx._core.bootstrap.resample_cells`), so each chunk of
    resamples is one (B, K) count matrix and every coefficient follows from sums over
    it: weighted moments (Pearson), mid-ranks from cumulative level counts (Spearman),
    concordance w'Aw/2 with A the K × K sign matrix (Kendall tau-b). No loop over rows
    or resamples beyond the engine's chunks.
    A resample in which a variable is constant gives NaN.
    """
    cells, counts = np.unique(np.column_stack([x, y]), axis=0, return_counts=True)
    ux, uy = cells[:, 0], cells[:, 1]
    n, k = int(counts.sum()), len(counts)
    sign = None
    if method == "kendall":
        if k > 4000:
            raise UxcxError(f"a Kendall bootstrap over {k} distinct (x, y) pairs would take too long; "
                            "use ci_method='fisher', or method='spearman'.")
        sign = np.sign(np.subtract.outer(ux, ux)) * np.sign(np.subtract.outer(uy, uy))
    out = [_r_from_counts(bootstrap.resample_cells(counts, size, rng).astype(float), ux, uy, method, n, sign)
           for size in bootstrap.chunks(n_boot, _ARRAYS_PER_RESAMPLE * k)]
    return np.concatenate(out)


def strength(r) -> np.ndarray:
    """Cohen's (1988) label of |r|: negligible (< .1), small (< .3), medium (< .5), large."""
    a = np.abs(np.asarray(r, dtype=float))
    label = np.select([a < 0.1, a < 0.3, a < 0.5, a >= 0.5], ["negligible", "small", "medium", "large"],
                      default="")
    return np.where(np.isnan(a), None, label).astype(object)


def _pairs(x, y) -> list[tuple[str, str]]:
    xs = [x] if isinstance(x, str) else list(x)
    ys = [y] if isinstance(y, str) else list(y)
    if not xs or not ys:
        raise UxcxError("x and y must each name at least one column.")
    pairs, seen = [], set()
    for a in xs:
        for b in ys:
            if a != b and frozenset((a, b)) not in seen:
                seen.add(frozenset((a, b)))
                pairs.append((a, b))
    if not pairs:
        raise UxcxError("x and y name the same single column; give two different columns.")
    return pairs


def _coefficients(values: pd.DataFrame, pairs, method):
    """r and n of every pair on its complete rows, and the rows.

    Pairs that share a missing-value pattern are computed at once: one centred (and,
    for Spearman, ranked) column block, one dot product per pair.
    """
    present = values.notna().to_numpy()
    cols = {c: i for i, c in enumerate(values.columns)}
    a = np.array([cols[p] for p, _ in pairs])
    b = np.array([cols[q] for _, q in pairs])
    masks = present[:, a] & present[:, b]
    n = masks.sum(0)
    r = np.full(len(pairs), np.nan)
    keys = [np.packbits(m).tobytes() for m in masks.T]
    for key in dict.fromkeys(keys):
        which = np.array([i for i, k in enumerate(keys) if k == key])
        rows = masks[:, which[0]]
        if method == "kendall":
            for i in which:
                xv, yv = values.iloc[rows, a[i]].to_numpy(), values.iloc[rows, b[i]].to_numpy()
                if n[i] >= 2 and np.ptp(xv) > 0 and np.ptp(yv) > 0:
                    r[i] = stats.kendalltau(xv, yv).statistic
            continue
        used = np.unique(np.concatenate([a[which], b[which]]))
        block = values.to_numpy(dtype=float)[np.ix_(rows, used)]
        if method == "spearman":
            block = stats.rankdata(block, axis=0)
        block = block - block.mean(0)
        with np.errstate(invalid="ignore", divide="ignore"):
            block = block / np.linalg.norm(block, axis=0)
        pos = {c: j for j, c in enumerate(used)}
        ja, jb = [pos[c] for c in a[which]], [pos[c] for c in b[which]]
        r[which] = np.clip(np.einsum("ij,ij->j", block[:, ja], block[:, jb]), -1, 1)
    return r, n, masks


def _log_p_values(cols: np.ndarray, index: dict, pairs, masks, r, n, method: str, alternative: str):
    """Natural-log p-value and its method words for every pair, R's cor.test choice (one call per pair).

    The tie counts of a column on a pair's rows are computed once per missing-value pattern.
    """
    log_p, how = np.full(len(pairs), np.nan), np.full(len(pairs), "", dtype=object)
    keys = [np.packbits(m).tobytes() for m in masks.T]
    cache: dict = {}

    def tie_counts(column, i):
        if (column, keys[i]) not in cache:
            cache[column, keys[i]] = np.unique(cols[masks[:, i], index[column]], return_counts=True)[1]
        return cache[column, keys[i]]

    for i, (a, b) in enumerate(pairs):
        if not (n[i] > 2 and np.isfinite(r[i])):
            continue
        if method == "pearson":
            log_p[i], how[i] = pearson_log_p(r[i], int(n[i]), alternative)
            continue
        counts = tie_counts(a, i), tie_counts(b, i)
        ties = max(counts[0].max(), counts[1].max()) > 1
        if method == "spearman":
            log_p[i], how[i] = spearman_log_p(r[i], int(n[i]), ties, alternative)
        else:
            xv, yv = cols[masks[:, i], index[a]], cols[masks[:, i], index[b]]
            log_p[i], how[i] = kendall_log_p(xv, yv, r[i], alternative, counts)
    return log_p, how


def correlate(data: pd.DataFrame, *, x, y, method: str = "pearson", ci_method: str = "auto",
              alternative: str = "two-sided", confidence_level: float = 0.95, p_adjust: str = "holm",
              n_boot: int = 2000, seed: int | None = None) -> pd.DataFrame:
    """Correlations of every x × y pair with intervals and p-values adjusted across pairs.

    Parameters
    ----------
    data : DataFrame
        One row per person (aggregate task rows per participant first).
    x, y : str or list of str
        Columns (UX measures and CX outcomes). Every x is paired with every y; a
        column paired with itself, and the mirror of a pair already listed, are skipped.
    method : {"pearson", "spearman", "kendall"}
        Pearson's r, Spearman's rho, or Kendall's tau-b (ties counted).
    ci_method : {"auto", "fisher", "bootstrap"}
        "fisher": Fisher-z interval; "bootstrap": percentile bootstrap; "auto"
        (default): Fisher z, unless a variable of the pair takes fewer than 5 distinct
        values (binary, or a 3- or 4-point scale), where the ties make the Fisher-z
        variances (derived for continuous data) wrong, so the bootstrap is used.
    alternative : {"two-sided", "less", "greater"}
        Of the test; "greater": a positive correlation. The interval is always two-sided.
    confidence_level : float
    p_adjust : {"holm", "fdr_bh", "bonferroni", "none"}
        Adjustment across all pairs (Holm default; Benjamini-Hochberg to screen many).
    n_boot : int
        Bootstrap resamples (where bootstrapped).
    seed : int, optional
        Seed of ``numpy.random.default_rng`` for the bootstrap.

    Returns
    -------
    DataFrame
        One row per pair. Group columns ``x`` and ``y`` (column names), then the result
        schema: ``term`` (NaN), ``n`` (the pair's complete rows), ``estimate`` (the
        coefficient), ``std_error`` (Fisher: delta-method (1 - r²)·SE_z; bootstrap: SD of
        the replicates), ``ci_low``, ``ci_high``, ``confidence_level``, ``method``
        (coefficient and interval method), ``statistic`` (t = r sqrt((n - 2)/(1 - r²))
        for Pearson and Spearman; tau-b for Kendall, as scipy reports it), ``df`` (n - 2
        where the p-value is Student's t; NaN for Kendall and for Spearman's exact and
        Edgeworth p), ``p_value`` (R's ``cor.test``; never 0), ``log10_p_value`` (its
        log10, computed in log space, finite when ``p_value`` underflows), ``alternative``, ``p_adjusted``,
        ``p_adjust_method``, ``effect_size`` (the coefficient), ``effect_size_type``
        ("Pearson r", "Spearman rho", "Kendall tau-b"); after the schema, ``strength``
        (Cohen 1988: negligible < .1 <= small < .3 <= medium < .5 <= large).

    Warns
    -----
    UxcxWarning
        Rows dropped for missing values (counts per pair); a constant variable (r NaN).
    SmallSampleWarning
        A pair with too few rows for an interval.

    Notes
    -----
    Each pair uses its complete rows (pairwise deletion); pairs sharing a
    missing-value pattern are computed together from one centred (Spearman: ranked)
    block, so with complete data the whole matrix comes from one pass. p-values follow
    R's ``cor.test`` and are computed in log space (:mod:`uxcx.link.correlation_p`):
    Pearson, Student's t with n - 2 df (exact under bivariate normality); Spearman
    without ties, the exact permutation distribution for n <= 9 and the Edgeworth
    series of AS 89 (Best & Roberts 1975) up to n = 1290, else (ties, or more rows)
    Student's t of t = rho sqrt((n - 2)/(1 - rho²)); Kendall's tau-b, exact for n < 50
    without ties, else the tie-corrected normal approximation (Kendall 1945). ``method``
    says which. Far in Spearman's tail, where the Edgeworth correction cancels more
    than 90% of the normal term (R's value falls to 0 there and R reports p = 0), the t
    approximation continues it, capped so p stays monotone in rho (see
    :func:`uxcx.link.correlation_p.spearman_log_p`); a p-value below
    the floating-point range is reported as the smallest positive double with its
    log10 beside it and a note in ``method``.

    Fisher's z = atanh(r) is close to normal: the interval is
    tanh(z ± z_(1-α/2)·SE) with SE = 1/sqrt(n - 3) for Pearson (Fisher 1921; as R's
    ``cor.test``), sqrt((1 + r²/2)/(n - 3)) for Spearman (Bonett & Wright 2000) and
    sqrt(0.437/(n - 4)) for Kendall (Fieller, Hartley & Pearson 1957). With a binary
    or few-valued variable these variances do not hold, and the percentile bootstrap
    (Efron & Tibshirani 1993) over rows is used instead (resamples where a variable
    is constant are left out, and ``method`` counts them). Pearson's r measures linear
    association; prefer Spearman or Kendall for ratings and skewed task times, since
    they depend only on order.

    References
    ----------
    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation
    deduced from a small sample. *Metron*, 1, 3-32.

    Bonett, D. G., & Wright, T. A. (2000). Sample size requirements for estimating
    Pearson, Kendall and Spearman correlations. *Psychometrika*, 65(1), 23-28.

    Best, D. J., & Roberts, D. E. (1975). Algorithm AS 89: the upper tail probabilities
    of Spearman's rho. *Applied Statistics*, 24(3), 377-379.

    Fieller, E. C., Hartley, H. O., & Pearson, E. S. (1957). Tests for rank correlation
    coefficients. I. *Biometrika*, 44(3/4), 470-481.

    Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*,
    33(3), 239-251.

    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.). Erlbaum.

    Examples
    --------
    >>> d = pd.DataFrame({"sus": [50, 62.5, 70, 72.5, 80, 85, 90, 95],
    ...                   "nps": [3, 6, 7, 6, 8, 9, 9, 10], "time": [9, 8, 8, 6, 5, 6, 4, 3]})
    >>> r = correlate(d, x="sus", y=["nps", "time"])
    >>> r[["y", "n", "estimate", "ci_low", "ci_high", "p_adjusted"]].round(4).to_dict("records")[0]
    {'y': 'nps', 'n': 8, 'estimate': 0.9722, 'ci_low': 0.8497, 'ci_high': 0.9951, 'p_adjusted': 0.0001}
    >>> r["strength"].tolist()
    ['large', 'large']
    """
    check_option("method", method, METHODS)
    check_option("ci_method", ci_method, CI_METHODS)
    check_option("alternative", alternative, ALTERNATIVES)
    check_option("p_adjust", p_adjust, P_ADJUST_METHODS)
    level = check_level(confidence_level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 100:
        raise UxcxError(f"n_boot must be a whole number of at least 100 resamples; got {n_boot!r}")
    pairs = _pairs(x, y)
    columns = list(dict.fromkeys(c for pair in pairs for c in pair))
    require(data, columns)
    values = pd.DataFrame({c: numeric(data, c, expected="a number") for c in columns})
    r, n, masks = _coefficients(values, pairs, method)
    cols = values.to_numpy(dtype=float)
    index = {c: i for i, c in enumerate(values.columns)}
    log_p, p_how = _log_p_values(cols, index, pairs, masks, r, n, method, alternative)
    p, log10_p = (np.array(v) for v in zip(*[finish_p(v) for v in log_p]))

    dropped = [(pair, int(len(values) - k)) for pair, k in zip(pairs, n) if k < len(values)]
    if dropped:
        listed = "; ".join(f"{a} × {b}: {d} of {len(values)}" for (a, b), d in dropped[:10])
        warnings.warn(f"rows with a missing value are left out pair by pair ({listed}"
                      f"{'; ...' if len(dropped) > 10 else ''}).", UxcxWarning, stacklevel=2)
    const = [f"{a} × {b}" for (a, b), v, k in zip(pairs, r, n) if np.isnan(v) and k >= 2]
    if const:
        warnings.warn(f"a variable is constant on the complete rows of {', '.join(const)}: no correlation "
                      "can be computed (NaN).", UxcxWarning, stacklevel=2)

    low, high, se = fisher_interval(r, n, method, level)
    interval = np.array([_FISHER[method]] * len(pairs), dtype=object)
    rng = bootstrap.generator(seed)
    for i, (a, b) in enumerate(pairs):
        xv, yv = cols[masks[:, i], index[a]], cols[masks[:, i], index[b]]
        few = min(len(np.unique(xv)), len(np.unique(yv))) < MIN_DISTINCT
        if ci_method == "bootstrap" or (ci_method == "auto" and few):
            if np.isnan(r[i]) or n[i] < 5:
                low[i] = high[i] = se[i] = np.nan
                interval[i] = "percentile bootstrap"
                continue
            reps = bootstrap_r(xv, yv, method, n_boot, rng)
            bad = int(np.isnan(reps).sum())
            low[i], high[i] = np.nanquantile(reps, [(1 - level) / 2, (1 + level) / 2])
            se[i] = np.nanstd(reps, ddof=1)
            why = f"; a variable has fewer than {MIN_DISTINCT} values" if ci_method == "auto" else ""
            left = f", {bad} with a constant variable left out" if bad else ""
            interval[i] = f"percentile bootstrap ({n_boot} resamples{left}){why}"
    small = [f"{a} × {b} (n = {k})" for (a, b), k, lo, v in zip(pairs, n, low, r)
             if np.isnan(lo) and not np.isnan(v)]
    if small:
        warnings.warn(f"too few complete rows for an interval: {', '.join(small)}.", SmallSampleWarning,
                      stacklevel=2)

    with np.errstate(invalid="ignore", divide="ignore"):
        t = r * np.sqrt((n - 2.0) / ((1 + r) * (1 - r)))
    stat = r if method == "kendall" else t
    with_t = np.array(["t " in h for h in p_how]) if method == "spearman" else method == "pearson"
    out = result_frame(pd.DataFrame({
        "x": [a for a, _ in pairs], "y": [b for _, b in pairs], "n": n.astype(np.int64), "estimate": r,
        "std_error": se, "ci_low": low, "ci_high": high, "confidence_level": level,
        "method": [f"{_NAMES[method]}; {m}" + (f"; {h}{underflow_note(lg)}" if h else "")
                   for m, h, lg in zip(interval, p_how, log10_p)], "statistic": stat,
        "df": np.where(with_t, n - 2.0, np.nan), "p_value": p, "log10_p_value": log10_p,
        "alternative": alternative,
        "p_adjusted": adjust_p_values(p, p_adjust),
        "p_adjust_method": np.where(np.isnan(p), None, p_adjust).astype(object),
        "effect_size": r, "effect_size_type": _NAMES[method]}), groups=["x", "y"])
    out["strength"] = strength(r)
    return out
