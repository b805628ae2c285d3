"""Harrell's concordance (C-index) of a Cox model and its standard error, as R's survival computes them.

:func:`concordance` counts, over every comparable pair (a churn, and a customer of the
same stratum still at risk then), whether the one who churned had the higher risk
score; its standard error is survival's infinitesimal-jackknife one (``concordancefit``,
the ``se`` that ``summary(coxph)`` prints). R walks the customers through a balanced
binary tree in C; here the two dominance counts it needs are computed for every
customer at once by bit-by-bit stable partitions (a wavelet matrix), O(n log n) in numpy.
"""

from __future__ import annotations

import numpy as np

__all__ = ["concordance", "pair_counts"]


def pair_counts(values: np.ndarray, dead: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Two dominance counts along a sequence, for every position at once.

    Returns ``before`` (i: the number of j < i with ``values[j] > values[i]``) and
    ``after`` (j: the number of i > j with ``values[i] < values[j]`` and ``dead[i]``).
    Only the low ``bits`` bits are compared; the higher bits (``values >> bits``) must not
    decrease along the sequence and mark separate groups (strata), never compared.

    Each pair is counted at the highest bit where the two values differ: at that level
    the elements are grouped by their higher bits, in sequence order (a wavelet matrix:
    each level is a stable partition of every group on its bit), and within a group a
    0 counts the 1s before it, a 1 the dead 0s after it.

    >>> [c.tolist() for c in pair_counts(np.array([3, 1, 2, 0]), np.array([1, 1, 0, 1]), 2)]
    [[0, 1, 1, 3], [2, 1, 1, 0]]
    """
    n = values.size
    index = np.arange(n)
    small = np.int32 if n < 2**31 and (values.max() if n else 0) < 2**31 else np.int64  # half the traffic
    v, d = values.astype(small), dead.astype(small)
    position = index.astype(small)
    before, after = np.zeros(n, dtype=small), np.zeros(n, dtype=small)
    high = v >> bits
    begins = np.r_[True, high[1:] != high[:-1]]
    start = np.maximum.accumulate(np.where(begins, index, 0))
    stop = (np.r_[np.flatnonzero(begins)[1:], n])[np.cumsum(begins) - 1]  # one past the group's end
    for b in range(bits - 1, -1, -1):  # a loop over bits (about log2 n), each level vectorised
        bit = (v >> b) & 1
        ones = np.cumsum(bit, dtype=small)
        ones_total = ones[stop - 1] - (ones - bit)[start]
        ones_before = ones - bit - (ones - bit)[start]
        dead_zeros = np.cumsum(d * (1 - bit), dtype=small)
        dead_zeros_after = dead_zeros[stop - 1] - dead_zeros
        before += (1 - bit) * ones_before
        after += bit * dead_zeros_after
        zeros_total = (stop - start) - ones_total
        place = np.where(bit == 1, start + zeros_total + ones_before, index - ones_before)
        split = start + zeros_total
        new_start, new_stop = np.where(bit == 1, split, start), np.where(bit == 1, stop, split)
        v, d, before, after, position, start, stop = (
            _scatter(arr, place) for arr in (v, d, before, after, position, new_start, new_stop))
    out_before, out_after = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)  # counts up to n
    out_before[position], out_after[position] = before, after
    return out_before, out_after


def _scatter(values: np.ndarray, place: np.ndarray) -> np.ndarray:
    out = np.empty_like(values)
    out[place] = values
    return out


def _dense(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense ranks 0..k-1 of the values, and k (non-negative integers below 4n: by counting, no sort)."""
    small = values.dtype.kind in "iu" and values.size and values.min() >= 0
    if small and values.max() < 4 * values.size + 64:
        present = np.bincount(values) > 0
        rank = np.cumsum(present) - 1
        return rank[values].astype(np.int64), int(present.sum())
    uniq, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64).ravel(), uniq.size


def _below_above(key: np.ndarray, group: np.ndarray, weights: np.ndarray, n_keys: int, n_groups: int):
    """Per element: the weight of the elements of its group with a smaller key, and with a larger one."""
    cell = group * n_keys + key
    if n_groups * n_keys <= 8 * cell.size + 1024:
        cells, inverse = None, cell
        total = np.bincount(cell, weights=weights, minlength=n_groups * n_keys)
        cell_group = np.repeat(np.arange(n_groups), n_keys)
    else:  # many strata and many times: only the cells that occur
        cells, inverse = np.unique(cell, return_inverse=True)
        total = np.bincount(inverse, weights=weights, minlength=cells.size)
        cell_group = cells // n_keys
    upto = np.cumsum(total)
    begins = np.r_[True, cell_group[1:] != cell_group[:-1]]
    base = (upto - total)[np.maximum.accumulate(np.where(begins, np.arange(total.size), 0))]
    group_total = np.bincount(cell_group, weights=total, minlength=n_groups)[cell_group]
    below = upto - total - base
    above = group_total - (upto - base)
    return below[inverse], above[inverse]


def concordance(time: np.ndarray, status: np.ndarray, risk: np.ndarray, strata: np.ndarray, *,
                exit_class=None) -> dict:
    """C-index of risk scores for right-censored times, with survival's standard error.

    Parameters
    ----------
    time, status : ndarray
        Durations and event flags (1 = event).
    risk : ndarray
        Risk scores (the Cox linear predictor): a higher score should mean an earlier event.
    strata : ndarray of int
        Pairs are compared within a stratum only.
    exit_class : ndarray of int, optional
        The order in which customers leave the risk set within their stratum, as
        :func:`uxcx.retention.cox_fit.fit_cox` returns it (saves sorting the times again).

    Returns
    -------
    dict
        ``concordance``, ``std_error`` and the pair counts ``concordant``, ``discordant``,
        ``tied_risk`` (pairs tied on the score, counted half).

    Notes
    -----
    A pair is comparable when customer i churned at t_i and customer j was still at
    risk: t_j > t_i, or t_j = t_i and j censored (pairs that churned at the same time
    are not compared). It is concordant when i had the higher score.
    ``C = (concordant + tied / 2) / (concordant + discordant + tied)``. The variance is
    the infinitesimal jackknife ``sum_i dfbeta_i^2`` with
    ``dfbeta_i = ((c_i - d_i) - (c_i + d_i + t_i) D) / (2 N)``, where ``c_i, d_i, t_i`` count
    the concordant, discordant and tied pairs customer i is part of, D is Somers'
    d and N the number of comparable pairs (Therneau & Watson 2017; R's
    ``concordancefit``, whose se ``summary.coxph`` prints).

    References
    ----------
    Harrell, F. E., Califf, R. M., Pryor, D. B., Lee, K. L., & Rosati, R. A. (1982).
    Evaluating the yield of medical tests. *JAMA*, 247(18), 2543-2546.
    Therneau, T. M., & Watson, D. A. (2017). The concordance statistic and the Cox model.
    Mayo Clinic technical report 85 (survival package vignette "concordance").

    Examples
    --------
    >>> t = np.array([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161,
    ...               5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45.])
    >>> e = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1.])
    >>> c = concordance(t, e, np.r_[np.zeros(11), np.ones(12)], np.zeros(23, dtype=int))
    >>> round(c["concordance"], 6), round(c["std_error"], 6)  # R: 0.619048 (se = 0.063185)
    (0.619048, 0.063185)
    """
    death = status > 0
    dead = death.astype(float)
    # order of exit: deaths at a time come before those censored at it, who stay at risk for them
    if exit_class is None:
        exit_class = 2 * _dense(time)[0] + (~death)
    klass, n_class = _dense(exit_class)
    stratum, n_strata = _dense(strata)
    by_risk = np.argsort(risk)
    score = np.empty(risk.size, dtype=np.int64)
    score[by_risk] = np.cumsum(np.r_[False, np.diff(risk[by_risk]) != 0])  # dense ranks of the scores
    n_score = int(score.max()) + 1 if score.size else 0
    seq = np.argsort((stratum * n_score + score) * n_class + klass)  # (stratum, score, exit); one sort
    k, r, g, d = klass[seq], score[seq], stratum[seq], dead[seq]
    bits = max(1, int(n_class - 1).bit_length())
    # in (stratum, score, exit) order "earlier" is a lower score: customers at risk later with a lower
    # score, for each churn; reversed, churns earlier with a higher score, for each customer
    # in (stratum, score, exit) order "before" is a lower score: for each churn, those at risk later
    # with a lower score; for each customer, the churns earlier with a higher score
    lower_later, higher_earlier_deaths = pair_counts((g << bits) + k, d, bits)
    # ties on the score: within a run of one (stratum, score), the later exits and the earlier churns
    idx = np.arange(k.size)
    run = np.r_[True, (r[1:] != r[:-1]) | (g[1:] != g[:-1])]
    cell = run | np.r_[True, k[1:] != k[:-1]]
    run_end = np.r_[np.flatnonzero(run)[1:], k.size][np.cumsum(run) - 1]
    cell_end = np.r_[np.flatnonzero(cell)[1:], k.size][np.cumsum(cell) - 1]
    tied_later = (run_end - cell_end).astype(float)
    deaths_before = np.cumsum(d) - d
    tied_earlier_deaths = (deaths_before[np.maximum.accumulate(np.where(cell, idx, 0))]
                           - deaths_before[np.maximum.accumulate(np.where(run, idx, 0))])
    later = _below_above(k, g, np.ones(k.size), n_class, n_strata)[1]
    earlier_deaths = _below_above(k, g, d, n_class, n_strata)[0]
    # each customer's pairs: as the one who churned (d = 1) and as the one still at risk
    higher_later = later - lower_later - tied_later
    conc = d * lower_later + higher_earlier_deaths
    disc = d * higher_later + (earlier_deaths - higher_earlier_deaths - tied_earlier_deaths)
    tied = d * tied_later + tied_earlier_deaths
    n_conc, n_disc, n_tied = d @ lower_later, d @ higher_later, d @ tied_later
    pairs = n_conc + n_disc + n_tied
    counts = {"concordant": float(n_conc), "discordant": float(n_disc), "tied_risk": float(n_tied)}
    if pairs == 0:
        return {"concordance": np.nan, "std_error": np.nan, **counts}
    somers = (n_conc - n_disc) / pairs
    dfbeta = ((conc - disc) - (conc + disc + tied) * somers) / (2 * pairs)
    return {"concordance": float((n_conc + n_tied / 2) / pairs), "std_error": float(np.sqrt(dfbeta @ dfbeta)),
            **counts}
