"""The vectorised kernels behind :func:`uxcx.link.mediate.mediation`: batched fits, effects per
resample, jackknife values and bootstrap intervals.

A nonparametric bootstrap resample of n rows is fully described by how often each row is
drawn, a Multinomial(n; 1/n, ..., 1/n) count vector ``w``. A linear regression needs only
the weighted cross-products of its columns, so ``w @ P`` (``P`` the products of every pair of
columns, one row per observation) gives the sufficient statistics of every linear equation
of a resample; :func:`uxcx._core.bootstrap.resample_sums` forms them for all resamples and
the small normal equations are then solved batched. A logistic equation is fitted by
Newton-Raphson (IRLS) on a chunk of resamples at once, with the counts of
:func:`uxcx._core.bootstrap.resample_counts` as case weights. Chunks are sized by the
engine's memory budget, so memory stays flat as n grows."""

from __future__ import annotations

import numpy as np

from uxcx._core.bootstrap import chunks, resample_counts, resample_sums

__all__ = ["Design", "bootstrap", "jackknife", "effects", "intervals"]

_NEWTON_STEPS = 25
_NEWTON_TOL = 1e-10


class Design:
    """The data of one mediation model, centred, with the two equations' column lists.

    Columns of ``cols``: 0 = intercept, 1 = x, 2 = m, 3 = y, 4.. = covariates. x, the
    covariates and a continuous m or y are centred at their means (slopes are unchanged,
    the cross-products are better conditioned). ``t0``/``t1`` are the exposure values
    compared, on the centred scale.
    """

    def __init__(self, x, m, y, cov, m_binary, y_binary, contrast):
        n = len(x)
        cov = np.asarray(cov, dtype=float).reshape(n, -1)
        centre = np.concatenate([[x.mean()], [0 if m_binary else m.mean()],
                                 [0 if y_binary else y.mean()], cov.mean(axis=0)])
        self.cols = np.column_stack([np.ones(n), x, m, y, cov]) - np.concatenate([[0], centre])
        self.n, self.k_cov = n, cov.shape[1]
        self.m_binary, self.y_binary = m_binary, y_binary
        self.t0, self.t1 = contrast[0] - centre[0], contrast[1] - centre[0]
        covs = list(range(4, 4 + self.k_cov))
        self.med_cols = [0, 1, *covs]          # m ~ 1 + x + covariates: a is coefficient 1
        self.out_cols = [0, 1, 2, *covs]       # y ~ 1 + x + m + covariates: c' is 1, b is 2
        self.linear = not (m_binary or y_binary)
        p = self.cols.shape[1]
        self.pairs = np.triu_indices(p)
        self.products = self.cols[:, self.pairs[0]] * self.cols[:, self.pairs[1]]

    @property
    def per_resample(self) -> int:
        """Float elements of the work arrays of one resample (counts, weights, IRLS terms)."""
        return self.n * (3 if self.linear else 14 + len(self.out_cols) ** 2)


def _gram(design: Design, sums: np.ndarray) -> np.ndarray:
    """Cross-product matrices (resamples x p x p) from the weighted sums of the column products."""
    p = design.cols.shape[1]
    gram = np.empty((len(sums), p, p))
    gram[:, design.pairs[0], design.pairs[1]] = sums
    gram[:, design.pairs[1], design.pairs[0]] = sums
    return gram


def _ols(gram, predictors, response):
    """Least-squares coefficients of every resample from its cross-products."""
    xtx = gram[:, predictors][:, :, predictors]
    xty = gram[:, predictors, response]
    return np.linalg.solve(xtx, xty[..., None])[..., 0]


def _logit(design: Design, weights, predictors, response, start):
    """Batched Newton-Raphson (IRLS) fits with case weights; NaN rows where not converged."""
    from scipy import special  # scipy loads only where a formula needs it (see mediate.mediation)

    X = design.cols[:, predictors]
    yv = design.cols[:, response]
    pairs = np.triu_indices(len(predictors))
    xx = X[:, pairs[0]] * X[:, pairs[1]]
    beta = np.repeat(start[None, :], len(weights), axis=0)
    done = np.zeros(len(weights), dtype=bool)
    for _ in range(_NEWTON_STEPS):  # a fixed handful of Newton steps, all resamples at once
        prob = special.expit(beta @ X.T)
        score = (weights * (yv - prob)) @ X
        info_sums = (weights * prob * (1 - prob)) @ xx
        info = np.empty((len(weights), len(predictors), len(predictors)))
        info[:, pairs[0], pairs[1]] = info_sums
        info[:, pairs[1], pairs[0]] = info_sums
        with np.errstate(all="ignore"):
            try:
                step = np.linalg.solve(info, score[..., None])[..., 0]
            except np.linalg.LinAlgError:
                step = np.stack([_safe_solve(a, s) for a, s in zip(info, score)])
        beta = beta + np.where(done[:, None], 0.0, step)
        done |= np.max(np.abs(step), axis=1) < _NEWTON_TOL
        if done.all():
            break
    beta[~done | ~np.isfinite(beta).all(axis=1)] = np.nan
    return beta


def _safe_solve(a, b):
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return np.full_like(b, np.nan)


def _row_effects(design: Design, med, out):
    """Each row's indirect and direct effect terms (resamples x rows each), non-linear models."""
    from scipy import special

    t0, t1 = design.t0, design.t1
    a, c_prime, b = med[:, 1], out[:, 1], out[:, 2]
    x = design.cols[:, 1]
    lin_y = out @ design.cols[:, design.out_cols].T
    dx0, dx1 = (t0 - x)[None, :], (t1 - x)[None, :]
    link = special.expit if design.y_binary else (lambda v: v)
    if design.m_binary:
        lin_m = med @ design.cols[:, design.med_cols].T
        pm0, pm1 = special.expit(lin_m + a[:, None] * dx0), special.expit(lin_m + a[:, None] * dx1)
        base = lin_y - b[:, None] * design.cols[:, 2][None, :]
        mu = {(t, v): link(base + c_prime[:, None] * dt + b[:, None] * v)
              for t, dt in ((0, dx0), (1, dx1)) for v in (0, 1)}
        acme = (pm1 - pm0) * (mu[0, 1] - mu[0, 0] + mu[1, 1] - mu[1, 0])
        ade = sum(pm * (mu[1, 1] - mu[0, 1]) + (1 - pm) * (mu[1, 0] - mu[0, 0]) for pm in (pm0, pm1))
    else:
        mu = {(t, s): link(lin_y + c_prime[:, None] * dt + (b * a)[:, None] * ds)
              for t, dt in ((0, dx0), (1, dx1)) for s, ds in ((0, dx0), (1, dx1))}
        acme = mu[0, 1] - mu[0, 0] + mu[1, 1] - mu[1, 0]
        ade = mu[1, 0] - mu[0, 0] + mu[1, 1] - mu[0, 1]
    return acme / 2, ade / 2


def effects(design: Design, weights, med, out):
    """Indirect, direct, total effects and proportion mediated (resamples x 4).

    ``med``: mediator-model coefficients (resamples x k), ``out``: outcome-model
    coefficients. All-linear models give the closed forms a*b, c', a*b + c' (times the
    contrast width). Otherwise the weighted averages over rows of the potential outcomes
    of Imai, Keele & Tingley (2010), averaged over both exposure values; see
    :func:`uxcx.link.mediate.mediation`.
    """
    if design.linear:
        width = design.t1 - design.t0
        indirect, direct = med[:, 1] * out[:, 2] * width, out[:, 1] * width
    else:
        acme, ade = _row_effects(design, med, out)
        total_w = weights.sum(axis=1)
        indirect = np.einsum("bi,bi->b", weights, acme) / total_w
        direct = np.einsum("bi,bi->b", weights, ade) / total_w
    total = indirect + direct
    with np.errstate(all="ignore"):
        return np.column_stack([indirect, direct, total, indirect / total])


def fit(design: Design, weights, start=None):
    """(mediator coefficients, outcome coefficients) for every row of ``weights``."""
    gram = None if (design.m_binary and design.y_binary) else _gram(design, weights @ design.products)
    if design.m_binary:
        med = _logit(design, weights, design.med_cols, 2, start[0])
    else:
        med = _ols(gram, design.med_cols, 2)
    if design.y_binary:
        out = _logit(design, weights, design.out_cols, 3, start[1])
    else:
        out = _ols(gram, design.out_cols, 3)
    return med, out


def bootstrap(design: Design, n_boot: int, rng: np.random.Generator, start=None):
    """Effects of ``n_boot`` resamples (n_boot x 4).

    Two linear equations need only each resample's sums of the column products, which
    :func:`uxcx._core.bootstrap.resample_sums` forms without a count matrix; a logistic
    equation needs the counts themselves, drawn chunk by chunk into one reused buffer.
    """
    if design.linear:
        with np.errstate(all="ignore"):
            gram = _gram(design, resample_sums(design.products, n_boot, rng))
            med, outc = _ols(gram, design.med_cols, 2), _ols(gram, design.out_cols, 3)
            return effects(design, None, med, outc)
    out = np.empty((n_boot, 4))
    sizes = list(chunks(n_boot, design.per_resample))
    buffer = np.empty((max(sizes, default=0), design.n))  # one block of memory for every chunk's counts
    done = 0
    for size in sizes:  # chunks of resamples, each handled in one batch
        weights = resample_counts(design.n, size, rng, out=buffer)
        with np.errstate(all="ignore"):
            med, outc = fit(design, weights, start)
            out[done:done + size] = effects(design, weights, med, outc)
        done += size
    return out


def _loo_coefficients(design: Design, coef, predictors, response, binary):
    """Leave-one-out coefficients (n x k): exact for OLS (Sherman-Morrison downdate),
    one Newton step from the full fit for logistic regression."""
    X = design.cols[:, predictors]
    yv = design.cols[:, response]
    if binary:
        from scipy import special

        prob = special.expit(X @ coef)
        w, resid = prob * (1 - prob), yv - prob
    else:
        w, resid = np.ones(len(yv)), yv - X @ coef
    inv = np.linalg.inv(X.T @ (X * w[:, None]))
    hx = X @ inv                                   # rows: (H^-1 x_i)'
    leverage = w * np.einsum("ij,ij->i", hx, X)
    return coef[None, :] - hx * (resid / (1 - leverage))[:, None]


def jackknife(design: Design, med, out):
    """Leave-one-out values of the four effects (n x 4), for the BCa acceleration.

    All-linear: exact (downdated regressions). Otherwise the effects are averages over
    rows, so the leave-one-out value is linearised: (n * theta(beta_(i)) - g_i) / (n - 1),
    theta(beta_(i)) ~ theta + grad(theta) . (beta_(i) - beta), the gradient by central
    differences.
    """
    med_loo = _loo_coefficients(design, med, design.med_cols, 2, design.m_binary)
    out_loo = _loo_coefficients(design, out, design.out_cols, 3, design.y_binary)
    if design.linear:
        return effects(design, None, med_loo, out_loo)
    ones = np.ones((1, design.n))
    params = np.concatenate([med, out])
    k_med = len(med)

    def theta(p):
        return effects(design, ones, p[None, :k_med], p[None, k_med:])[0, :3]

    h = 1e-6 * np.maximum(1.0, np.abs(params))
    grad = np.stack([(theta(params + e) - theta(params - e)) / (2 * hj)
                     for e, hj in zip(np.diag(h), h)], axis=1)  # loop over a few parameters
    base = theta(params)
    shift = np.concatenate([med_loo - med, out_loo - out], axis=1) @ grad.T
    per_row = _row_contributions(design, med, out)
    loo = (design.n * (base + shift) - per_row) / (design.n - 1)
    with np.errstate(all="ignore"):
        return np.column_stack([loo, loo[:, 0] / loo[:, 2]])


def _row_contributions(design: Design, med, out):
    """Each row's own term g_i of the averaged effects (n x 3)."""
    acme, ade = _row_effects(design, med[None, :], out[None, :])
    return np.column_stack([acme[0], ade[0], acme[0] + ade[0]])


def intervals(boot, estimate, jack, level: float, method: str):
    """Percentile or BCa bounds and their Monte-Carlo standard errors, per column.

    Returns ``low, high, mc_low, mc_high`` arrays. BCa (Efron 1987): bias correction
    z0 = Phi^-1(#{theta* < theta} / B), acceleration a = sum(d^3) / (6 (sum d^2)^1.5) with
    d the jackknife deviations from their mean; the bound levels
    Phi(z0 + (z0 + z)/(1 - a (z0 + z))). Quantiles interpolate linearly (numpy's default,
    as scipy.stats.bootstrap). The Monte-Carlo error of a bound at level q is half the
    distance between the bootstrap quantiles at q -/+ sqrt(q (1 - q) / B).
    """
    from scipy import special

    alpha = (1 - level) / 2
    k = boot.shape[1]
    low, high, mc_low, mc_high = (np.full(k, np.nan) for _ in range(4))
    for j in range(k):  # loop over the four effects
        values = boot[:, j][np.isfinite(boot[:, j])]
        if len(values) < 2 or not np.isfinite(estimate[j]):
            continue
        levels = np.array([alpha, 1 - alpha])
        if method == "bca":
            with np.errstate(all="ignore"):
                z0 = special.ndtri(np.mean(values < estimate[j]))
                d = np.nanmean(jack[:, j]) - jack[:, j]
                accel = np.nansum(d**3) / (6 * np.nansum(d**2) ** 1.5)
                z = special.ndtri(levels)
                levels = special.ndtr(z0 + (z0 + z) / (1 - accel * (z0 + z)))
            if not np.isfinite(levels).all():
                continue
        bounds = np.quantile(values, levels)
        spread = np.sqrt(levels * (1 - levels) / len(values))
        upper = np.quantile(values, np.clip(levels + spread, 0, 1))
        lower = np.quantile(values, np.clip(levels - spread, 0, 1))
        low[j], high[j] = bounds
        mc_low[j], mc_high[j] = (upper - lower) / 2
    return low, high, mc_low, mc_high
