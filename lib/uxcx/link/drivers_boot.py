"""Kernels of key driver analysis: subset R² in batches, Shapley values, relative weights,
the vectorised bootstrap, batched logistic fits, and the result frame built from them.

Everything here works on stacks of correlation matrices of shape ``(B, q, q)``
(the outcome in the last row and column), so the full sample (``B = 1``) and a
chunk of bootstrap resamples (count matrices from :mod:`uxcx._core.bootstrap`) go through
the same code. :func:`uxcx.link.drivers.key_drivers` is the public entry point; it checks
the data and builds the result frame.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from math import factorial

import numpy as np
from scipy.special import expit, log_expit

from uxcx._core.results import result_frame
from uxcx.errors import UxcxWarning

__all__ = ["SubsetPlan", "subset_plan", "subset_r2", "shapley_weights", "shapley_values", "relative_weights",
           "weighted_corr", "logit_r2", "ranks", "assemble", "MODEL_ROW"]

# The driver of the row that holds the model R².
MODEL_ROW = "(model)"


@dataclass(frozen=True)
class SubsetPlan:
    """Every subset of the players, as batches of column subsets of equal size.

    ``n_players`` players (single columns or blocks of columns) give ``2**n_players``
    subsets, numbered by bitmask (bit j set = player j included). ``batches`` holds,
    per number of columns k >= 1, the subset numbers with k columns and their column
    indices, shape ``(m, k)``. The empty subset has R² = 0 and is in no batch.
    """

    n_players: int
    n_columns: int
    batches: tuple[tuple[np.ndarray, np.ndarray], ...]
    column_masks: np.ndarray

    @property
    def n_subsets(self) -> int:
        return 1 << self.n_players

    @property
    def cost(self) -> int:
        """Elements of the stacked matrices of the largest batch, per correlation matrix."""
        return max((len(pos) * (idx.shape[1] + 1) ** 2 for pos, idx in self.batches), default=1)


def subset_plan(blocks: list[list[int]], n_columns: int) -> SubsetPlan:
    """The plan for players given as lists of column indices (one index each when ungrouped)."""
    n_players = len(blocks)
    subsets = np.arange(1 << n_players, dtype=np.int64)
    column_masks = np.zeros_like(subsets)
    for j, block in enumerate(blocks):  # loop over a handful of players, not rows
        block_mask = np.int64(sum(1 << c for c in block))
        column_masks |= np.where((subsets >> j) & 1, block_mask, np.int64(0))
    bits = ((column_masks[:, None] >> np.arange(n_columns)) & 1).astype(bool)
    sizes = bits.sum(axis=1)
    batches = []
    for k in range(1, n_columns + 1):
        pos = np.flatnonzero(sizes == k)
        if len(pos):
            idx = np.nonzero(bits[pos])[1].reshape(len(pos), k)
            batches.append((pos, idx))
    return SubsetPlan(n_players, n_columns, tuple(batches), column_masks)


def subset_r2(corr: np.ndarray, plan: SubsetPlan) -> np.ndarray:
    """R² of the outcome on every subset, from correlation matrices ``(B, q, q)``.

    For a subset S, the Cholesky factor L of ``[[R_SS, r_Sy], [r_Sy', 1]]`` has last row
    ``(R_SS^-1/2 r_Sy, sqrt(1 - R²_S))``, so ``R²_S = sum(L[-1, :-1]**2) = r_Sy' R_SS^-1 r_Sy``
    (the squared semi-partial correlations added up). Returns ``(B, 2**n_players)``.
    """
    y = corr.shape[-1] - 1
    out = np.zeros((corr.shape[0], plan.n_subsets))
    for pos, idx in plan.batches:
        full = np.concatenate([idx, np.full((len(idx), 1), y)], axis=1)
        sub = corr[:, full[:, :, None], full[:, None, :]]
        chol = np.linalg.cholesky(sub)
        out[:, pos] = np.sum(chol[..., -1, :-1] ** 2, axis=-1)
    return out


def shapley_weights(n_players: int) -> np.ndarray:
    """Matrix ``(2**P, P)`` turning subset values into Shapley values: ``phi = v @ W``.

    ``W[S, j] = w(|S| - 1)`` when j is in S and ``-w(|S|)`` when it is not, with
    ``w(s) = s!(P-s-1)!/P!`` (and 0 for the full set, which j is always in).
    """
    subsets = np.arange(1 << n_players, dtype=np.int64)
    bits = ((subsets[:, None] >> np.arange(n_players)) & 1).astype(bool)
    size = bits.sum(axis=1)
    w = np.array([factorial(s) * factorial(n_players - s - 1) / factorial(n_players)
                  for s in range(n_players)] + [0.0])
    return np.where(bits, w[np.maximum(size - 1, 0)][:, None], -w[size][:, None])


def shapley_values(v: np.ndarray, n_players: int) -> np.ndarray:
    """Shapley value of each player from the value ``v`` (``(B, 2**P)``) of every subset.

    ``phi_j = sum over S not containing j of |S|!(P-|S|-1)!/P! * (v(S + j) - v(S))``,
    one matrix product with :func:`shapley_weights`; the values add up to
    ``v(all) - v(empty)``. Returns ``(B, P)``.
    """
    return v @ shapley_weights(n_players)


def relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) raw relative weights from correlation matrices ``(B, p+1, p+1)``.

    With ``R_xx = V diag(e) V'`` and ``Lambda = R_xx^(1/2) = V diag(sqrt e) V'``, the outcome
    is regressed on the orthogonal counterparts of the drivers, ``beta = Lambda^-1 r_xy``, and
    ``eps_j = sum_k Lambda_jk**2 beta_k**2``. The weights add up to ``r_xy' R_xx^-1 r_xy = R²``.
    """
    p = corr.shape[-1] - 1
    rxx, rxy = corr[:, :p, :p], corr[:, :p, p]
    evals, evecs = np.linalg.eigh(rxx)
    root = (evecs * np.sqrt(np.clip(evals, 0, None))[:, None, :]) @ np.swapaxes(evecs, -1, -2)
    beta = np.linalg.solve(root, rxy[..., None])[..., 0]
    return np.einsum("bjk,bk->bj", root**2, beta**2)


def weighted_corr(weights: np.ndarray, z: np.ndarray, products: np.ndarray) -> np.ndarray:
    """Correlation matrices ``(B, q, q)`` of ``z`` (``(n, q)``) under frequency weights ``(B, n)``.

    ``products`` holds ``z_i z_j`` for the upper triangle (``(n, q(q+1)/2)``, from
    :func:`np.triu_indices`), so the weighted second moments of every resample are one
    matrix product ``weights @ products``. ``z`` should be centred and scaled for accuracy.
    """
    q = z.shape[1]
    iu = np.triu_indices(q)
    total = weights.sum(axis=1, keepdims=True)
    mean = weights @ z / total
    second = weights @ products / total
    cov_upper = second - mean[:, iu[0]] * mean[:, iu[1]]
    cov = np.empty((weights.shape[0], q, q))
    cov[:, iu[0], iu[1]] = cov_upper
    cov[:, iu[1], iu[0]] = cov_upper
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / (sd[:, :, None] * sd[:, None, :])


def logit_r2(x: np.ndarray, y: np.ndarray, weights: np.ndarray, column_masks: np.ndarray,
             start: np.ndarray | None = None, max_iter: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """McFadden's pseudo-R² of a logistic model on every column subset, for every weighting.

    ``x`` is ``(U, p)`` (distinct rows, standardised), ``y`` their 0/1 outcome, ``weights``
    ``(B, U)`` frequency weights, ``column_masks`` ``(M,)`` bitmasks of included columns.
    All ``B * M`` models are fitted at once by Newton-Raphson (IRLS) on the weighted log
    likelihood, excluded columns held at 0, starting from ``start`` (``(M, p + 1)``, e.g. the
    full-sample fits for the bootstrap) or from the intercept-only fit. Returns
    ``R² = 1 - LL_S / LL_0`` ``(B, M)`` and the coefficients ``(B, M, p + 1)`` (intercept first).
    """
    u, p = x.shape
    design = np.column_stack([np.ones(u), x])
    q = p + 1
    include = np.column_stack([np.ones(len(column_masks), dtype=bool),
                               ((column_masks[:, None] >> np.arange(p)) & 1).astype(bool)])
    outer = include[:, :, None] & include[:, None, :]
    eye = np.eye(q)
    cross = (design[:, :, None] * design[:, None, :]).reshape(u, q * q)
    total = weights.sum(axis=1)
    ybar = np.clip(weights @ y / total, 1e-12, 1 - 1e-12)
    ll0 = total * (ybar * np.log(ybar) + (1 - ybar) * np.log1p(-ybar))
    beta = np.zeros((weights.shape[0], len(column_masks), q))
    if start is None:
        beta[..., 0] = np.log(ybar / (1 - ybar))[:, None]
    else:
        beta[...] = start
    wb = weights[:, None, :]
    ridge = 1e-9 * total[:, None, None, None] * eye
    shape = (weights.shape[0], len(column_masks))
    for _ in range(max_iter):  # Newton steps; each is a few 2-D matrix products (BLAS)
        mu = expit(beta.reshape(-1, q) @ design.T).reshape(*shape, u)
        grad = np.where(include, ((wb * (y - mu)).reshape(-1, u) @ design).reshape(*shape, q), 0.0)
        hess = ((wb * mu * (1 - mu)).reshape(-1, u) @ cross).reshape(*shape, q, q)
        # A ridge of 1e-9 of the total weight keeps a (nearly) separated resample solvable; it
        # moves the likelihood by far less than rounding error elsewhere.
        hess = np.where(outer, hess, eye) + ridge
        step = np.linalg.solve(hess, grad[..., None])[..., 0]
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    eta = (beta.reshape(-1, q) @ design.T).reshape(*shape, u)
    ll = np.sum(wb * (y * log_expit(eta) + (1 - y) * log_expit(-eta)), axis=-1)
    return 1 - ll / ll0[:, None], beta


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank of each column within each row, 1 = largest (ties by column order)."""
    order = np.argsort(-values, axis=-1, kind="stable")
    return np.argsort(order, axis=-1, kind="stable") + 1


def assemble(names, players, imp, r2, sign, rank, boot, n, level, method, binary, outcome):
    """The result frame from the estimates and the matrix of bootstrap replicates."""
    good = boot[~np.isnan(boot).any(axis=1)]
    lost = len(boot) - len(good)
    if lost:
        warnings.warn(f"{lost} of {len(boot)} bootstrap resample(s) could not be analysed (a driver "
                      "constant, or a binary outcome separated, in the resample) and are left out; the "
                      "intervals describe the other resamples only, so read them with care.", UxcxWarning,
                      stacklevel=3)
    alpha = 1 - level
    has_boot = len(good) >= 2
    share_boot = good[:, :-1] / good[:, -1:]
    quant = lambda a: (np.quantile(a, [alpha / 2, 1 - alpha / 2], axis=0) if has_boot  # noqa: E731
                       else np.full((2, a.shape[1]), np.nan))
    low, high = quant(good)
    share_low, share_high = quant(share_boot)
    stability = (np.mean(ranks(good[:, :-1]) == rank, axis=0) if has_boot
                 else np.full(len(names), np.nan))
    what = ("Shapley decomposition of McFadden pseudo-R² (logistic fits)" if binary
            else "Shapley value regression (LMG) of R²" if method == "shapley"
            else "Johnson relative weights of R²")
    boot_text = f"; percentile bootstrap, {len(good)} resamples" if has_boot else "; no bootstrap"
    records = [{"driver": name, "term": "importance", "estimate": imp[j]} for j, name in enumerate(names)]
    records.append({"driver": MODEL_ROW, "term": "mcfadden_r2" if binary else "r_squared", "estimate": r2})
    out = result_frame(records, groups=["driver"])
    out["n"] = n
    out["std_error"] = good.std(axis=0, ddof=1) if has_boot else np.nan
    out["ci_low"], out["ci_high"] = low, high
    out["confidence_level"] = level
    out["method"] = what + boot_text
    out["share"] = np.append(imp / r2, 1.0)
    out["share_ci_low"] = np.append(share_low, 1.0)
    out["share_ci_high"] = np.append(share_high, 1.0)
    out["rank"] = np.append(rank.astype(float), np.nan)
    out["rank_stability"] = np.append(stability, np.nan)
    out["sign"] = np.append(sign, np.nan)
    out.attrs.update(r_squared=r2, outcome=outcome, driver_columns={k: list(v) for k, v in players.items()})
    return out
