"""Fisher's exact test of a contingency table, as R's ``fisher.test`` computes it, with p in log space.

Two ideas that belong together: the 2 × 2 table, with the conditional maximum-likelihood
odds ratio and its exact conditional interval (:func:`fisher_2x2`), and the r × c table,
whose p-value sums the probabilities of every table with the same margins that is no
more probable than the observed one (:func:`fisher_rxc`). Both p-values are sums of
log-probabilities (:func:`uxcx._core.pvalues.log_sum_p`), so they never read 0.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from uxcx._core.pvalues import log_sum_p
from uxcx._core.roots import EPS, brent_root

__all__ = ["MAX_TABLES", "REL_ERR", "TooManyTables", "fisher_2x2", "fisher_rxc"]

#: R's tolerance for "as probable as the observed table": d <= d_obs * (1 + 1e-7).
REL_ERR = 1 + 1e-7
#: The most partial tables :func:`fisher_rxc` holds at a step for a table of up to 5 rows (after
#: putting the shorter side as rows); with r > 5 rows, ``MAX_TABLES * 5 // r``, the same memory
#: (about 100 MB of work arrays).
MAX_TABLES = 2_000_000


class TooManyTables(ValueError):
    """The r × c table's enumeration would hold more partial tables at a step than ``budget``."""

    def __init__(self, budget: int):
        self.budget = budget
        super().__init__(f"more than {budget:,} partial tables share these margins")


class _Conditional:
    """The distribution of the top-left cell given the margins: noncentral hypergeometric in the odds ratio.

    R's ``fisher.test`` names: ``m``, ``n`` the column totals, ``k`` the first row's total,
    ``x`` the top-left count; its support ``lo..hi`` and ``log dhyper`` over it.
    """

    def __init__(self, table: np.ndarray):
        self.m, self.n = int(table[:, 0].sum()), int(table[:, 1].sum())
        self.k, self.x = int(table[0].sum()), int(table[0, 0])
        self.lo, self.hi = max(0, self.k - self.n), min(self.k, self.m)
        self.support = np.arange(self.lo, self.hi + 1)
        self.log_dc = stats.hypergeom.logpmf(self.support, self.m + self.n, self.m, self.k)

    def density(self, ncp: float) -> np.ndarray:
        d = self.log_dc + math.log(ncp) * self.support
        d = np.exp(d - d.max())
        return d / d.sum()

    def mean(self, ncp: float) -> float:
        if ncp == 0:
            return float(self.lo)
        if math.isinf(ncp):
            return float(self.hi)
        return float(self.support @ self.density(ncp))

    def tail(self, q: int, ncp: float, upper: bool) -> float:
        """P(X >= q) (``upper``) or P(X <= q) at odds ratio ``ncp``."""
        if ncp == 0:
            return float(q <= self.lo if upper else q >= self.lo)
        if math.isinf(ncp):
            return float(q <= self.hi if upper else q >= self.hi)
        keep = self.support >= q if upper else self.support <= q
        if ncp == 1:
            return math.exp(log_sum_p(self.log_dc[keep]))
        return float(self.density(ncp)[keep].sum())

    def log_p(self, alternative: str) -> float:
        """Natural log of the p-value at odds ratio 1."""
        if alternative == "less":
            return log_sum_p(self.log_dc[self.support <= self.x])
        if alternative == "greater":
            return log_sum_p(self.log_dc[self.support >= self.x])
        observed = self.log_dc[self.x - self.lo]
        return log_sum_p(self.log_dc[self.log_dc <= observed + math.log(REL_ERR)])

    def mle(self) -> float:
        """The conditional maximum-likelihood odds ratio: the ncp at which E[X] = x."""
        if self.x == self.lo:
            return 0.0
        if self.x == self.hi:
            return math.inf
        mu = self.mean(1.0)
        if mu > self.x:
            return brent_root(lambda t: self.mean(t) - self.x, 0.0, 1.0)
        if mu < self.x:
            return 1 / brent_root(lambda t: self.mean(1 / t) - self.x, EPS, 1.0)
        return 1.0

    def upper_bound(self, alpha: float) -> float:
        """The ncp at which P(X <= x) = alpha."""
        if self.x == self.hi:
            return math.inf
        p = self.tail(self.x, 1.0, upper=False)
        if p < alpha:
            return brent_root(lambda t: self.tail(self.x, t, False) - alpha, 0.0, 1.0)
        if p > alpha:
            return 1 / brent_root(lambda t: self.tail(self.x, 1 / t, False) - alpha, EPS, 1.0)
        return 1.0

    def lower_bound(self, alpha: float) -> float:
        """The ncp at which P(X >= x) = alpha."""
        if self.x == self.lo:
            return 0.0
        p = self.tail(self.x, 1.0, upper=True)
        if p > alpha:
            return brent_root(lambda t: self.tail(self.x, t, True) - alpha, 0.0, 1.0)
        if p < alpha:
            return 1 / brent_root(lambda t: self.tail(self.x, 1 / t, True) - alpha, EPS, 1.0)
        return 1.0


def fisher_2x2(table, alternative: str = "two-sided", confidence_level: float = 0.95) -> dict:
    """Fisher's exact test of a 2 × 2 table with the conditional MLE odds ratio and its exact interval.

    Parameters
    ----------
    table : array_like, shape (2, 2)
        Counts; the odds ratio is (a·d)/(b·c) of ``[[a, b], [c, d]]`` in its conditional form.
    alternative : {"two-sided", "less", "greater"}
        "greater": the odds ratio is above 1.
    confidence_level : float

    Returns
    -------
    dict
        ``log_p`` (natural log of the p-value), ``estimate`` (conditional MLE of the
        odds ratio), ``ci_low``, ``ci_high``.

    Notes
    -----
    Given the margins, the top-left count X follows the noncentral hypergeometric
    distribution with the odds ratio as its parameter (Fisher 1935; Cornfield 1956).
    The p-value at odds ratio 1 is the hypergeometric tail; two-sided, it sums the
    probabilities of every table no more probable than the observed one (times
    1 + 1e-7, R's guard against rounding). The estimate solves E[X] = x (the
    conditional MLE, not the sample odds ratio ad/bc); the interval inverts the two
    one-sided tests, each at (1 - confidence_level)/2 (Cornfield 1956). Every root is
    found as R's ``uniroot`` finds it (:func:`uxcx._core.roots.brent_root`, tolerance
    eps^0.25 on the searched scale), so the numbers are R's ``fisher.test`` to the last
    digits (an exact root differs in the sixth digit of the estimate).

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal
    Statistical Society*, 98(1), 39-82.

    Cornfield, J. (1956). A statistical problem arising from retrospective studies.
    *Proceedings of the Third Berkeley Symposium*, 4, 135-148.

    Agresti, A. (2002). *Categorical Data Analysis* (2nd ed.), section 3.5. Wiley.

    Examples
    --------
    >>> r = fisher_2x2([[3, 1], [1, 3]])  # Agresti's tea-tasting table
    >>> round(math.exp(r["log_p"]), 6), round(r["estimate"], 6)
    (0.485714, 6.408309)
    """
    table = np.asarray(table, dtype=np.int64)
    dist = _Conditional(table)
    if alternative == "less":
        low, high = 0.0, dist.upper_bound(1 - confidence_level)
    elif alternative == "greater":
        low, high = dist.lower_bound(1 - confidence_level), math.inf
    else:
        alpha = (1 - confidence_level) / 2
        low, high = dist.lower_bound(alpha), dist.upper_bound(alpha)
    return {"log_p": dist.log_p(alternative), "estimate": dist.mle(), "ci_low": low, "ci_high": high}


def fisher_rxc(table) -> tuple[float, int]:
    """Fisher's exact test of an r × c table: ``(log_p, tables)``, enumerating the tables with its margins.

    The p-value is the probability, under independence with both margins fixed, of the
    tables no more probable than the observed one (times 1 + 1e-7; Freeman & Halton
    1951), as R's ``fisher.test`` gives it for tables larger than 2 × 2 (there by the
    network algorithm of Mehta & Patel 1983). A table's log-probability is
    ``sum log(row!) + sum log(col!) - log(n!) - sum log(cell!)``. The tables are built
    column by column and, within a column, cell by cell, every partial table of a step
    at once. As in the network algorithm, after every cell the partial tables whose
    completions all count (each at most as probable as the observed table) are summed in
    closed form, ``N'! C(S, left) / (prod R! prod C!)`` of what is left (Vandermonde's
    identity), and those whose completions are all more probable are dropped. The bounds
    on a completion's ``sum log(cell!)`` spread each open row or column total evenly over
    its open cells (the least, log x! being convex) or put it in one cell (the most,
    log(a + b)! >= log a! + log b!). ``tables`` counts the partial tables built, a measure
    of the work.

    Raises
    ------
    TooManyTables
        When a step would hold more than :data:`MAX_TABLES` partial tables.

    References
    ----------
    Freeman, G. H., & Halton, J. H. (1951). Note on an exact treatment of contingency,
    goodness of fit and other problems of significance. *Biometrika*, 38(1/2), 141-149.

    Mehta, C. R., & Patel, N. R. (1983). A network algorithm for performing Fisher's
    exact test in r × c contingency tables. *JASA*, 78(382), 427-434.

    Examples
    --------
    >>> log_p, tables = fisher_rxc([[2, 0, 1], [0, 3, 1]])
    >>> round(math.exp(log_p), 6)
    0.142857
    """
    table = np.asarray(table, dtype=np.int64)
    if table.shape[0] > table.shape[1]:
        table = table.T  # fewer cells per column: fewer partial tables
    # small columns first (few ways to fill them), the largest last (it is what is left)
    table = table[:, np.argsort(table.sum(0), kind="stable")]
    rows, cols = table.sum(1), table.sum(0)
    log_fact = special.gammaln(np.arange(table.sum() + 1) + 1.0)
    constant = log_fact[rows].sum() + log_fact[cols].sum() - log_fact[table.sum()]
    # a table counts when its sum of log(cell!) reaches the observed one's, less R's tolerance
    threshold = log_fact[table].sum() - math.log(REL_ERR)
    remaining, spent = rows[None, :].copy(), np.zeros(1)
    summed, enumerated = [], 1
    budget = MAX_TABLES * 5 // max(5, len(rows))
    for j, total in enumerate(cols[:-1]):
        later = cols[j + 1:]
        left = np.full(len(remaining), total)
        for i in range(len(rows)):
            if i < len(rows) - 1:
                low = np.maximum(0, left - remaining[:, i + 1:].sum(1))
                counts = np.minimum(remaining[:, i], left) - low + 1
            else:  # the column's last cell takes what is left
                low, counts = left, np.ones(len(left), dtype=np.int64)
            size = int(counts.sum())
            if size > budget:
                raise TooManyTables(budget)
            parent = np.repeat(np.arange(len(remaining)), counts)
            value = low[parent] + np.arange(size) - np.repeat(np.cumsum(counts) - counts, counts)
            remaining, left, spent = remaining[parent], left[parent] - value, spent[parent] + log_fact[value]
            remaining[:, i] -= value
            enumerated += size
            keep, mass = _settle(remaining, left, spent, i, later, log_fact, threshold)
            summed.append(constant - spent[~keep & np.isfinite(mass)] + mass[~keep & np.isfinite(mass)])
            remaining, left, spent = remaining[keep], left[keep], spent[keep]
    spent = spent + log_fact[remaining].sum(1)  # the last column is what the rows have left
    summed.append((constant - spent)[spent >= threshold])
    return log_sum_p(np.concatenate(summed)), enumerated


def _settle(remaining, left, spent, i, later, log_fact, threshold):
    """Which partial tables to keep building, and the log-mass of those whose completions all count.

    After cell (i, j), a partial table still has ``left`` to put in rows below i of column j
    and the later columns to fill. When even its least ``sum log(cell!)`` reaches the
    threshold, every completion counts, and the completions' summed ``prod 1/cell!`` is
    ``N'! C(S, left) / (prod R! prod C_later!)`` (Vandermonde's identity over the column's
    rest; N' the later columns' total, S the rows below i); when even its most falls short,
    none counts. Returns ``keep`` and the log-mass (-inf where none counts, NaN where kept).
    """
    k, r = len(later), remaining.shape[1]
    below = np.arange(r) > i
    cells = k + below  # cells still open in each row: the later columns, and column j below i
    q, extra = np.divmod(remaining, cells)
    by_rows = (extra * log_fact[q + 1] + (cells - extra) * log_fact[q]).sum(1)
    qc, extra_c = np.divmod(later, r)
    by_cols = float((extra_c * log_fact[qc + 1] + (r - extra_c) * log_fact[qc]).sum())
    open_rows = r - 1 - i
    if open_rows:
        ql, extra_l = np.divmod(left, open_rows)
        by_cols = by_cols + extra_l * log_fact[ql + 1] + (open_rows - extra_l) * log_fact[ql]
    least = np.maximum(by_rows, by_cols)
    most = np.minimum(log_fact[remaining].sum(1), log_fact[left] + log_fact[later].sum())
    every = spent + least >= threshold
    none = spent + most < threshold
    rows_below = remaining[:, below].sum(1)
    log_choose = log_fact[rows_below] - log_fact[left] - log_fact[rows_below - left]
    mass = np.where(every, log_fact[later.sum()] + log_choose - log_fact[remaining].sum(1)
                    - log_fact[later].sum(), np.where(none, -np.inf, np.nan))
    return ~(every | none), mass
