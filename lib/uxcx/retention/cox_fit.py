"""The Cox partial-likelihood fit itself: Newton-Raphson on time-sorted cumulative sums, as R's coxph.

:func:`fit_cox` sorts the customers once (by stratum, then latest time first), so that
every risk set is a running sum from the top of its stratum. Each Newton step then
needs one pass over the rows: the risk weights ``w = exp(x'b)``, the weighted
covariates ``w x`` and one weighted cross-product ``w x x'`` summed cumulatively,
read at the last row of every (stratum, time) group; the deaths' own sums (for
Efron's correction) only over groups with tied deaths. The iteration is R's
``coxfit6.c`` (survival 3.x): start at b = 0, Newton step, step-halving when the
log-likelihood falls, stop when ``|1 - l_old / l_new| <= eps`` (``coxph.control``,
eps = 1e-9). Newton's method is invariant to R's centring and scaling of the
covariates, so the iterates, and hence the answer, are R's.

The final sums are kept (:class:`RiskSums`): the proportional-hazards check
(:mod:`uxcx.retention.proportional_hazards`) is computed from them without another pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from uxcx.errors import UxcxError

__all__ = ["CoxFit", "RiskSums", "fit_cox", "EPS", "MAX_ITER"]

EPS = 1e-9  # R: coxph.control(eps = 1e-9)
MAX_ITER = 20  # R: coxph.control(iter.max = 20)


def _unpack(upper_flat: np.ndarray, p: int) -> np.ndarray:
    """A symmetric p x p matrix from its upper triangle, row by row."""
    upper = np.zeros((p, p))
    upper[np.triu_indices(p)] = upper_flat
    return upper + np.triu(upper, 1).T


@dataclass(frozen=True)
class RiskSums:
    """Sums at the final coefficients, one row per (stratum, time) group with deaths.

    With ``R`` the risk-set sums and ``D`` the deaths' own sums of ``w x`` (``r1``, ``d1``)
    and ``w x x'``, and the Efron risk totals ``s0_r = R0 - (r/d) D0`` (r = 0..d-1;
    Breslow: ``R0`` d times), each group holds the sums over its d terms:
    ``mean`` = sum_r S1_r / S0_r, ``second`` = sum_r S2_r / S0_r (upper triangle), and the
    scalars ``c, e, h`` = sum_r (1, r/d, (r/d)^2) / s0_r^2 from which
    ``sum_r (S1_r / S0_r)(S1_r / S0_r)' = c r1 r1' - e (r1 d1' + d1 r1') + h d1 d1'``.
    ``death_x`` is the covariate sum of the group's deaths; ``deaths`` and ``time`` per group.
    Without tied deaths (or with Breslow's ties) ``d1``, ``e`` and ``h`` are None.
    """

    mean: np.ndarray
    second: np.ndarray
    r1: np.ndarray
    d1: np.ndarray
    c: np.ndarray
    e: np.ndarray
    h: np.ndarray
    death_x: np.ndarray
    deaths: np.ndarray
    time: np.ndarray

    def score(self, q=None) -> np.ndarray:
        """``sum_groups q (death_x - mean)``: the score (q = 1), or the PH check's weighted one."""
        resid = self.death_x - self.mean
        return resid.sum(axis=0) if q is None else np.einsum("g,gi->i", q, resid)

    def information(self, q=None) -> np.ndarray:
        """``sum_groups q sum_r (S2_r / S0_r - (S1_r / S0_r)(S1_r / S0_r)')``, p x p (q = 1 by default)."""
        q = np.ones(self.c.size) if q is None else q
        p = self.mean.shape[1]
        # einsum, not BLAS (whose threads stall on a busy machine)
        info = _unpack(np.einsum("g,gk->k", q, self.second), p) - np.einsum("g,gi,gj->ij", q * self.c,
                                                                              self.r1, self.r1)
        if self.d1 is None:  # no tied deaths (or Breslow): no Efron terms
            return info
        cross = np.einsum("g,gi,gj->ij", q * self.e, self.r1, self.d1)
        return info - np.einsum("g,gi,gj->ij", q * self.h, self.d1, self.d1) + cross + cross.T


@dataclass(frozen=True)
class CoxFit:
    """What :func:`fit_cox` returns: R's ``coxph`` fit (coefficients on the input's scale)."""

    coef: np.ndarray
    var: np.ndarray
    loglik_null: float
    loglik: float
    score_test: float
    score: np.ndarray
    iterations: int
    converged: bool
    ties: str
    sums: RiskSums
    linear_predictor: np.ndarray  # x'b (centred x), rows in the input order
    group_time: np.ndarray  # every (stratum, time) group: its time, customers and deaths
    group_size: np.ndarray
    group_deaths: np.ndarray
    exit_class: np.ndarray  # per row: order of leaving the risk set within the stratum (see concordance)


FEW_GROUPS = 2048  # up to this many (stratum, time) groups, sums per group by BLAS (no n x m temporary)


def _running_sums(lines: np.ndarray, w: np.ndarray, bounds: np.ndarray, buffer, at: np.ndarray) -> np.ndarray:
    """Cumulative sums of ``w z`` (z: 1, x, x x') at group bounds ``at``: column j sums the rows before
    ``bounds[at[j]]``.

    With few groups (``buffer`` None) ``lines`` is x transposed (p x rows) and each group's
    moments come from its own slice (numpy's einsum loops, not BLAS threads, which stall
    on a busy machine); nothing of size rows x m is built. Otherwise ``lines`` is z
    transposed (m x rows, see :func:`_moments`) and the product and the running sum
    stream through ``buffer`` (m x rows + 1, reused every step).
    """
    if buffer is None:  # few groups: a loop over groups (distinct times), each vectorised
        p = lines.shape[0]
        upper = np.triu_indices(p)
        sums = np.zeros((1 + p + p * (p + 1) // 2, bounds.size))
        for k, (a, b) in enumerate(zip(bounds[:-1], bounds[1:])):
            x, wk = lines[:, a:b], w[a:b]
            wx = x * wk
            sums[0, k + 1] = wk.sum()
            sums[1:p + 1, k + 1] = wx.sum(axis=1)
            sums[p + 1:, k + 1] = np.einsum("in,jn->ij", wx, x)[upper]
        return np.cumsum(sums, axis=1)[:, at]
    buffer[:, 0] = 0.0
    np.multiply(lines, w, out=buffer[:, 1:])
    np.cumsum(buffer[:, 1:], axis=1, out=buffer[:, 1:])
    return buffer[:, bounds[at]]


def _buffer(m: int, bounds: np.ndarray):
    """The running-sum buffer of :func:`_running_sums`, needed only beyond :data:`FEW_GROUPS` groups."""
    return None if bounds.size - 1 <= FEW_GROUPS else np.empty((m, bounds[-1] + 1))


def _moments(xt: np.ndarray) -> np.ndarray:
    """Per row 1, x and x x' (upper triangle), one quantity per line: m x rows, each line contiguous."""
    p, n = xt.shape
    zt = np.empty((1 + p + p * (p + 1) // 2, n))
    zt[0], zt[1:p + 1] = 1.0, xt
    for k, (i, j) in enumerate(zip(*np.triu_indices(p))):  # p(p+1)/2 lines, each vectorised
        np.multiply(xt[i], xt[j], out=zt[1 + p + k])
    return zt


def _small_int(codes: np.ndarray) -> np.ndarray:
    """Codes as uint16 when they fit, for which numpy's stable sort is a radix sort (linear time)."""
    return codes.astype(np.uint16) if codes.max() < 65536 else codes


def _descending_order(time: np.ndarray) -> np.ndarray:
    """Row order by time, latest first. Few distinct times (found by hashing): a radix sort of
    their ranks; many: a plain sort of the times."""
    codes, uniq = pd.factorize(time, sort=False)
    if uniq.size >= 65536:
        return np.argsort(-time)
    rank = np.empty(uniq.size, dtype=np.uint16)
    rank[np.argsort(-np.asarray(uniq))] = np.arange(uniq.size)
    return np.argsort(rank[codes], kind="stable")


class _Sorted:
    """The rows sorted once: groups of (stratum, time), latest time first within a stratum.

    ``z`` holds, per row, 1, the centred covariates and their pairwise products (upper
    triangle): the group sums of ``w z`` give S0, S1 and S2 at once.
    """

    def __init__(self, x, time, status, codes, ties):
        n, p = x.shape
        order = _descending_order(time)
        if codes.max() > 0:
            order = order[np.argsort(_small_int(codes[order]), kind="stable")]
        self.order = order
        # one contiguous line per covariate, sorted and centred (as R: steadier sums, same optimum)
        xt = np.stack([column[order] - column.mean() for column in x.T])
        t, d, s = time[order], status[order] > 0, codes[order]
        new = np.r_[True, (t[1:] != t[:-1]) | (s[1:] != s[:-1])]
        start = np.flatnonzero(new)
        self.n_groups = start.size
        self.bounds = np.r_[start, n]  # group k is rows bounds[k]:bounds[k+1]
        self.end = np.r_[start[1:], n] - 1
        self.gid = np.cumsum(new) - 1
        g_codes = s[start]
        first = np.r_[True, g_codes[1:] != g_codes[:-1]]
        # risk set of group k: the groups from the first of its stratum down to k
        self.stratum_top_group = np.maximum.accumulate(np.where(first, np.arange(self.n_groups), 0))
        self.strata = bool(first[1:].any())
        self.time = t[start]
        self.deaths = np.bincount(self.gid, weights=d, minlength=self.n_groups)
        self.dead = d.astype(np.int64)
        rows = np.flatnonzero(d)
        self.death_x = np.stack([np.bincount(self.gid[rows], weights=line[rows], minlength=self.n_groups)
                                 for line in xt], axis=1)
        self.sum_death_x = self.death_x.sum(axis=0)
        self.p = p
        self.m = 1 + p + p * (p + 1) // 2
        self.buffer = _buffer(self.m, self.bounds)
        self.lines = xt if self.buffer is None else _moments(xt)  # z only where the running sums need it
        self.xt = xt
        self.with_deaths = np.flatnonzero(self.deaths > 0)
        d_int = self.deaths[self.with_deaths].astype(np.int64)
        if ties == "efron":  # one term per death: the r-th of d tied deaths sees r/d of them gone
            self.term_group = np.repeat(np.arange(d_int.size), d_int)
            first_term = np.repeat(np.cumsum(d_int) - d_int, d_int)
            self.frac = (np.arange(self.term_group.size) - first_term) / d_int[self.term_group]
            self.term_weight = np.ones(self.term_group.size)
            tied = rows[self.deaths[self.gid[rows]] > 1]  # only tied deaths need their own sums
        else:  # Breslow: one term per group, counted d times
            self.term_group = np.arange(d_int.size)
            self.frac = np.zeros(d_int.size)
            self.term_weight = d_int.astype(float)
            tied = np.array([], dtype=np.int64)
        self.tied_rows = tied
        # groups of tied deaths: tied_rows[tied_bounds[k]:tied_bounds[k + 1]], the tied_group-th with deaths
        tied_gid = self.gid[tied]
        cut = np.flatnonzero(np.r_[True, tied_gid[1:] != tied_gid[:-1]]) if tied.size else []
        self.tied_bounds = np.r_[cut, tied.size].astype(np.int64)
        groups_with_ties = tied_gid[self.tied_bounds[:-1]]
        self.tied_group = np.zeros(self.with_deaths.size, dtype=np.int64)
        has_ties = np.isin(self.with_deaths, groups_with_ties)
        self.tied_group[has_ties] = np.searchsorted(groups_with_ties, self.with_deaths[has_ties])
        self.tied_mask = has_ties
        self.tied_buffer = _buffer(self.m, self.tied_bounds)
        tied_xt = np.stack([line[tied] for line in xt])
        self.tied_lines = tied_xt if self.tied_buffer is None else _moments(tied_xt)

    def risk(self, w: np.ndarray) -> np.ndarray:
        """Risk-set sums of ``w z`` (groups with deaths x m): the rows from the top of the stratum
        to the group's last."""
        g = self.with_deaths
        at = np.r_[g + 1, self.stratum_top_group[g]] if self.strata else g + 1
        run = _running_sums(self.lines, w, self.bounds, self.buffer, at)
        return (run[:, :g.size] - run[:, g.size:]).T if self.strata else run.T

    def own(self, w: np.ndarray) -> np.ndarray:
        """The tied deaths' own sums of ``w z`` (groups with deaths x m; zero for a single death)."""
        if not self.tied_rows.size:
            return np.zeros((self.with_deaths.size, self.m))
        every = np.arange(self.tied_bounds.size)
        run = _running_sums(self.tied_lines, w[self.tied_rows], self.tied_bounds, self.tied_buffer, every)
        own = (run[:, 1:] - run[:, :-1])[:, self.tied_group].T
        own[~self.tied_mask] = 0.0
        return own

    def _terms(self, values: np.ndarray) -> np.ndarray:
        """Sum per group with deaths of a value given per Efron/Breslow term."""
        return np.bincount(self.term_group, weights=values, minlength=self.with_deaths.size)

    def evaluate(self, beta: np.ndarray):
        """Log partial likelihood, score, information and the sums (:class:`RiskSums`) at ``beta``."""
        eta = np.einsum("jn,j->n", self.xt, beta)  # not BLAS: its threads stall on a busy machine
        top = eta.max()
        w = np.exp(eta - top)
        risk, p, wt = self.risk(w), self.p, self.term_weight
        if self.tied_rows.size:  # Efron with tied deaths
            own, f = self.own(w), self.frac
            s0 = risk[self.term_group, 0] - f * own[self.term_group, 0]
            inv = wt / s0
            inv2 = inv / s0
            a, b = self._terms(inv), self._terms(f * inv)
            c, e, h = self._terms(inv2), self._terms(f * inv2), self._terms(f * f * inv2)
            moments = risk[:, 1:] * a[:, None] - own[:, 1:] * b[:, None]  # sum_r (S1_r, S2_r) / S0_r
            d1 = own[:, 1:p + 1]
        else:  # one term per group (Breslow, or no tied deaths): S_r = R for all of a group's deaths
            s0 = risk[:, 0]
            a, c = wt / s0, wt / (s0 * s0)
            moments, d1, e, h = risk[:, 1:] * a[:, None], None, None, None
        sums = RiskSums(mean=moments[:, :p], second=moments[:, p:], r1=risk[:, 1:p + 1], d1=d1,
                        c=c, e=e, h=h, death_x=self.death_x[self.with_deaths],
                        deaths=self.deaths[self.with_deaths], time=self.time[self.with_deaths])
        loglik = float(self.sum_death_x @ beta - wt @ (np.log(s0) + top))
        return loglik, sums.score(), sums.information(), sums, eta


def _solve(info: np.ndarray, u: np.ndarray, names) -> np.ndarray:
    try:
        chol = np.linalg.cholesky(info)
    except np.linalg.LinAlgError:
        chol = None
    diag = np.diag(chol) if chol is not None else np.zeros(1)
    if chol is None or not np.all(np.isfinite(chol)) or diag.min() <= 1e-12 * diag.max():
        raise UxcxError("the covariates are collinear (one is a combination of the others, e.g. two columns "
                        f"that always agree), so the Cox model cannot separate their effects: {list(names)}. "
                        "Drop one of them")
    return np.linalg.solve(chol.T, np.linalg.solve(chol, u))


def fit_cox(x: np.ndarray, time: np.ndarray, status: np.ndarray, codes: np.ndarray, *, ties: str = "efron",
            names=(), eps: float = EPS, max_iter: int = MAX_ITER, at=None) -> CoxFit:
    """Maximise Cox's partial likelihood by Newton-Raphson, exactly as R's ``coxph`` does.

    Parameters
    ----------
    x : ndarray (n, p)
        Design matrix (float).
    time, status : ndarray (n,)
        Durations and event flags (1 = event).
    codes : ndarray (n,)
        Stratum of each row (0, 1, ...); the risk sets restart in each stratum.
    ties : {"efron", "breslow"}
        Efron's (1977) approximation for tied death times (R's default) or Breslow's (1974).
    names : sequence of str
        Column names, for the error on collinear columns.
    eps, max_iter : float, int
        R's ``coxph.control(eps, iter.max)``.
    at : ndarray, optional
        Coefficients found elsewhere (the lifelines fallback): no iteration, the sums,
        variance and log-likelihood are evaluated there.

    Returns
    -------
    CoxFit
        ``coef``, ``var`` (inverse information at ``coef``), ``loglik_null`` (at b = 0),
        ``loglik``, ``score_test`` (R's ``sctest``: ``u0' I0^-1 u0`` at b = 0), ``score``
        at the end, ``iterations``, ``converged``, the final :class:`RiskSums` and the
        linear predictor.

    Notes
    -----
    For a group of d tied deaths with risk-set sums ``R_k`` and the deaths' own sums
    ``D_k`` (k = 0, 1, 2: of w, w x, w x x'), Efron's r-th term (r = 0..d-1) uses
    ``S_k = R_k - (r / d) D_k``; Breslow's uses ``R_k`` for all d. The log-likelihood is
    ``sum_deaths x'b - sum log S_0``, the score ``sum_deaths x - sum S_1 / S_0`` and the
    information ``sum S_2 / S_0 - (S_1 / S_0)(S_1 / S_0)'`` (Therneau & Grambsch 2000,
    sec. 3.3; survival's ``coxfit6.c``).

    References
    ----------
    Cox, D. R. (1972). Regression models and life-tables. *JRSS B*, 34(2), 187-220.
    Efron, B. (1977). The efficiency of Cox's likelihood function for censored data.
    *JASA*, 72(359), 557-565.
    Breslow, N. (1974). Covariance analysis of censored survival data. *Biometrics*,
    30(1), 89-99.
    Therneau, T. M., & Grambsch, P. M. (2000). *Modeling Survival Data: Extending the
    Cox Model*. Springer.

    Examples
    --------
    >>> t = np.array([1., 1, 1, 2, 2, 2, 3, 3]); x = np.array([[0.], [1], [0], [1], [0], [1], [1], [0]])
    >>> f = fit_cox(x, t, np.ones(8), np.zeros(8, dtype=int))
    >>> round(float(f.coef[0]), 6), round(float(np.sqrt(f.var[0, 0])), 6)  # R: -0.160359, 0.709096
    (-0.160359, 0.709096)
    """
    s = _Sorted(np.asarray(x, dtype=float), np.asarray(time, dtype=float), np.asarray(status, dtype=float),
                np.asarray(codes), ties)
    p = s.xt.shape[0]
    beta = np.zeros(p)
    loglik0, u, info, sums, eta = s.evaluate(beta)
    step = _solve(info, u, names)
    score_test = float(u @ step)
    best, new, halving, converged, it = loglik0, beta + step, 0, False, 0
    if at is not None:
        max_iter, beta, converged = 0, np.asarray(at, dtype=float), True
    for it in range(1, max_iter + 1):  # noqa: B007 (``it`` is reported after the loop)
        lik, u, info, sums, eta = s.evaluate(new)
        finite = np.isfinite(lik) and np.all(np.isfinite(u)) and np.all(np.isfinite(info))
        if finite and abs(1 - best / lik) <= eps:
            best, beta, converged = lik, new, True
            break
        if not finite or lik < best:  # not converging: step back towards the last good point
            halving += 1
            new = (new + halving * beta) / (halving + 1.0)
        else:
            halving, best, beta = 0, lik, new
            new = new + _solve(info, u, names)
    if not converged or at is not None:  # R recomputes at the last good point
        best, u, info, sums, eta = s.evaluate(beta)
    var = np.linalg.inv(info)
    lp, exit_class = np.empty_like(eta), np.empty(eta.size, dtype=np.int64)
    lp[s.order] = eta
    # deaths at a time leave before those censored at it (who stay at risk for them)
    exit_class[s.order] = 2 * (s.n_groups - 1 - s.gid) + (1 - s.dead)
    return CoxFit(coef=beta, var=(var + var.T) / 2, loglik_null=loglik0, loglik=best, score_test=score_test,
                  score=u, iterations=it, converged=converged, ties=ties, sums=sums, linear_predictor=lp,
                  group_time=s.time, group_size=np.diff(s.bounds), group_deaths=s.deaths,
                  exit_class=exit_class)
