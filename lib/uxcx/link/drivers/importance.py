"""Driver importance: how much of an outcome (NPS, CSAT, loyalty) each driver accounts for.

The one idea here is splitting R²: :func:`key_drivers` shares the model R² among the
drivers by exact Shapley value regression (LMG) or Johnson's relative weights, with
bootstrap intervals and rank stability. The linear algebra lives in
:mod:`uxcx.link.drivers_boot`; each driver's performance for an importance x performance
chart is :mod:`uxcx.link.drivers.quadrants`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core import bootstrap
from uxcx._core.checks import check_level, check_option, numeric, require, source_name
from uxcx.errors import UxcxError, UxcxWarning
from uxcx.link import drivers_boot as kern

__all__ = ["key_drivers", "DRIVER_METHODS"]

DRIVER_METHODS = ("shapley", "relative-weights")
MODEL_ROW = kern.MODEL_ROW
MAX_BINARY_DRIVERS = 10
# A standardised logistic coefficient beyond this (odds ratio e**15 per SD) means separation.
SEPARATED = 15.0


def _players(drivers, outcome: str) -> dict[str, list[str]]:
    """``drivers`` as {player name: [columns]}; a plain list gives one column per player."""
    if isinstance(drivers, str):
        drivers = [drivers]
    if isinstance(drivers, dict):
        players = {str(k): ([v] if isinstance(v, str) else list(v)) for k, v in drivers.items()}
    else:
        players = {str(c): [c] for c in drivers}
    columns = [c for cols in players.values() for c in cols]
    if not players or any(not cols for cols in players.values()):
        raise UxcxError("drivers must name at least one column (a list of columns, or a dict "
                        "{group name: [columns]} with at least one column per group).")
    repeated = sorted({c for c in columns if columns.count(c) > 1}, key=str)
    if repeated:
        raise UxcxError(f"drivers name these columns more than once: {repeated}; each column can "
                        "belong to one driver (or one group) only.")
    if outcome in columns:
        raise UxcxError(f"the outcome {outcome!r} is also listed as a driver; remove it from drivers.")
    return players


def _complete(data: pd.DataFrame, columns: list[str], outcome: str) -> np.ndarray:
    """[drivers, outcome] as floats, incomplete rows dropped listwise with a warning that counts them.

    Columns already numeric are read as they are; any other goes through
    :func:`uxcx._core.common.numeric`, which reports every cell that is not a number.
    """
    wanted = [*columns, outcome]
    fast = [c for c in wanted if pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(
        data[c]) and str(data[c].dtype) not in ("Int64", "Float64", "boolean")]
    values = np.empty((len(data), len(wanted)))
    for j, c in enumerate(wanted):  # a handful of columns
        values[:, j] = (data[c].to_numpy(dtype=float) if c in fast
                        else numeric(data, c, expected="a number").to_numpy())
    keep = ~np.isnan(values).any(axis=1)
    dropped = int(len(values) - keep.sum())
    if dropped:
        warnings.warn(f"{dropped} of {len(values)} row(s) of {source_name(data)} lack the outcome or a "
                      "driver and are left out of the key driver analysis (listwise deletion).",
                      UxcxWarning, stacklevel=3)
    return values[keep] if dropped else values


def _check_matrix(values: np.ndarray, columns: list[str], outcome: str, binary: bool):
    """Standardised [drivers, outcome] and their correlations, or an error naming a bad column."""
    n, p = len(values), len(columns)
    if n < p + 2:
        raise UxcxError(f"{n} complete row(s) for {p} driver column(s): key driver analysis needs at "
                        f"least {p + 2} (and many more for stable results). Collect more responses or "
                        "use fewer drivers.")
    sd = values.std(axis=0)
    if sd[-1] == 0:
        raise UxcxError(f"the outcome {outcome!r} has one value ({values[0, -1]:g}) in every complete row; "
                        "there is nothing to explain. Check the column or the rows kept.")
    constant = [c for c, s in zip(columns, sd[:-1]) if s == 0]
    if constant:
        raise UxcxError(f"driver(s) {constant} have the same value in every complete row and cannot "
                        "drive anything; remove them from drivers.")
    z = (values - values.mean(axis=0)) / sd
    corr = z.T @ z / n
    evals, evecs = np.linalg.eigh(corr[:-1, :-1])
    if evals[0] < 1e-10:
        involved = [c for c, w in zip(columns, evecs[:, 0]) if abs(w) > 1e-4]
        raise UxcxError(f"drivers {involved} are perfectly collinear (one is an exact linear combination "
                        "of the others), so their shares of R² are not defined. Drop one of them, or "
                        "put them together in one group: drivers={'name': [columns], ...}.")
    if not binary and np.linalg.eigvalsh(corr)[0] < 1e-10:
        raise UxcxError(f"the outcome {outcome!r} is an exact linear combination of the drivers (R² = 1); "
                        "check that no driver is computed from the outcome.")
    return z, corr


def _continuous(blocks, plan, method):
    """Importances (``(B, P)``), model R² (``(B,)``) and validity for a stack of correlations."""
    def run(corr):
        ok = np.all(np.isfinite(corr), axis=(1, 2))
        ok[ok] = np.linalg.eigvalsh(corr[ok])[:, 0] > 1e-10
        corr = np.where(ok[:, None, None], corr, np.eye(corr.shape[-1]))
        if method == "shapley":
            v = kern.subset_r2(corr, plan)
            imp, r2 = kern.shapley_values(v, plan.n_players), v[:, -1]
        else:
            eps = kern.relative_weights(corr)
            imp = np.stack([eps[:, b].sum(axis=1) for b in blocks], axis=1)
            r2 = eps.sum(axis=1)
        return imp, r2, ok
    return run


def _binary(x_u, y_u, plan):
    def run(weights, start=None):
        total = weights.sum(axis=1)
        ybar = weights @ y_u / total
        ok = (ybar > 0) & (ybar < 1)
        weights = np.where(ok[:, None], weights, 1.0)
        v, beta = kern.logit_r2(x_u, y_u, weights, plan.column_masks, start)
        ok &= np.all(np.isfinite(v), axis=1) & (np.max(np.abs(beta[:, -1, 1:]), axis=1) <= SEPARATED)
        return kern.shapley_values(v, plan.n_players), v[:, -1], ok, beta
    return run


def key_drivers(data: pd.DataFrame, *, outcome: str, drivers, method: str = "shapley", n_boot: int = 1000,
                seed=None, confidence_level: float = 0.95, max_drivers: int = 20) -> pd.DataFrame:
    """How much of the outcome each driver accounts for: Shapley value regression or relative weights.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (e.g. the survey).
    outcome : str
        The outcome column (e.g. ``"nps"``, ``"csat"``). An outcome holding only 0 and 1
        (promoter or not, churned or not) is detected as binary and analysed with
        logistic models (see Notes).
    drivers : list of str, or dict of {str: list of str}
        Driver columns. A dict groups columns into blocks, e.g.
        ``{"ease": ["ease_search", "ease_checkout"], "effort": ["ces"]}``: each block is one
        "player" whose importance is that of the block as a whole (see Notes).
    method : {"shapley", "relative-weights"}
        Exact Shapley value regression (LMG, the default) or Johnson's (2000) relative
        weights (continuous outcomes only; for a group, the sum of its columns' weights).
    n_boot : int
        Bootstrap resamples for the intervals and rank stability; 0 skips the bootstrap.
    seed : int or numpy Generator, optional
        Seed of ``numpy.random.default_rng``; the same seed gives the same intervals.
    confidence_level : float
        Level of the two-sided percentile intervals.
    max_drivers : int
        Most players (drivers or groups) allowed for ``method="shapley"`` (2**p subsets).

    Returns
    -------
    DataFrame
        The result schema (:func:`uxcx._core.results.result_frame`) with group column ``driver``
        first, one row per driver (``term`` "importance") and a last row ``driver`` "(model)"
        (``term`` "r_squared", or "mcfadden_r2" for a binary outcome) holding the model R²
        that the importances add up to. Columns used: ``n`` (complete rows), ``estimate``
        (raw importance: the driver's part of R²), ``std_error`` (bootstrap standard
        deviation), ``ci_low``/``ci_high`` (percentile bootstrap), ``confidence_level``,
        ``method``; the test columns are NaN. Extra columns after the schema: ``share``
        (estimate / R²) with its percentile interval ``share_ci_low``/``share_ci_high``
        (the ratio is taken within each resample), ``rank`` (1 = most
        important), ``rank_stability`` (share of resamples in which the driver holds that
        same rank), ``sign`` (+1/-1: sign of the driver's coefficient in the full model with
        all drivers, standardised; NaN for a group of several columns). ``attrs`` holds
        ``r_squared``, ``outcome`` and ``driver_columns`` ({driver: [columns]}).

    Raises
    ------
    UxcxError
        More players than ``max_drivers`` (or than 10 for a binary outcome); a constant or
        perfectly collinear driver (named); an outcome with one value; fewer complete rows
        than drivers + 2; perfect separation in the logistic model.
    DataError
        A missing column or a value that is not a number, listing every bad cell.

    Warns
    -----
    UxcxWarning
        Rows with a missing outcome or driver, dropped listwise (with their count);
        Bootstrap resamples that could not be analysed (a driver constant, or a binary
        outcome perfectly separated, in the resample) are left out, with their count.

    Notes
    -----
    **Shapley value regression (LMG).** For p players, the R² of every subset S of them is
    ``R²_S = r_yS' R_SS^-1 r_yS`` from the correlation matrix (computed once; no refits on
    the rows). The importance of driver j averages its gain in R² over all orders of entry:
    ``phi_j = sum over S without j of |S|!(p-|S|-1)!/p! (R²_{S+j} - R²_S)``. The importances
    add up to the full model's R² exactly, whatever the correlation among the drivers
    (Lindeman, Merenda & Gold 1980; Grömping 2006; equal to Budescu's 1993 general
    dominance weights). All 2**p subsets are solved in batches of equal size, each by a
    Cholesky factorisation, so 15 drivers (32,768 subsets) take a fraction of a second. Beyond
    ``max_drivers`` the number of subsets explodes: group related items into blocks with a
    dict; the Shapley value of a block is then computed with the block as one player
    (the R² of a subset of blocks uses all their columns), as recommended by Grömping (2006).

    **Relative weights** (Johnson 2000) approximate the same decomposition from the
    eigendecomposition of R_xx: with ``Lambda = R_xx^(1/2)`` and ``beta = Lambda^-1 r_xy``,
    ``eps_j = sum_k Lambda_jk**2 beta_k**2``; they also add up to R². Fast at any p.

    **Binary outcome.** The Shapley decomposition of McFadden's pseudo-R²
    ``1 - LL_S / LL_0`` over logistic models of every subset of players (2**p maximum-
    likelihood fits, run together by Newton-Raphson on the distinct rows); hence at most 10
    players. The decomposed measure follows Azen & Traxel's (2009) dominance analysis for
    logistic regression, which recommends McFadden's measure.

    **Intervals.** Rows are resampled with replacement ``n_boot`` times; each resample's
    correlation matrix comes from weighted moments (resample counts times the products of
    the standardised columns, one matrix product per chunk of resamples) and all its subset
    R² are solved in the same batches; intervals are percentile intervals (Efron &
    Tibshirani 1993). ``rank_stability`` near 1 means the ranking is trustworthy; two
    drivers with overlapping intervals and low stability are practically tied.

    References
    ----------
    Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to Bivariate and
    Multivariate Analysis*. Glenview, IL: Scott, Foresman.

    Budescu, D. V. (1993). Dominance analysis: a new approach to the problem of relative
    importance of predictors in multiple regression. *Psychological Bulletin*, 114(3), 542-551.

    Grömping, U. (2006). Relative importance for linear regression in R: the package
    relaimpo. *Journal of Statistical Software*, 17(1), 1-27.

    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
    predictor variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1-19.

    Azen, R., & Traxel, N. (2009). Using dominance analysis to determine predictor importance
    in logistic regression. *Journal of Educational and Behavioral Statistics*, 34(3), 319-347.

    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. New York:
    Chapman & Hall.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame(rng.normal(size=(200, 3)), columns=["ease", "speed", "price"])
    >>> d["nps"] = 2 * d["ease"] + d["speed"] + rng.normal(size=200)
    >>> r = key_drivers(d, outcome="nps", drivers=["ease", "speed", "price"], n_boot=200, seed=1)
    >>> r[["driver", "estimate", "rank"]].round(3)
        driver  estimate  rank
    0     ease     0.653   1.0
    1    speed     0.133   2.0
    2    price     0.006   3.0
    3  (model)     0.792   NaN
    >>> bool(np.isclose(r["estimate"].iloc[:3].sum(), r.attrs["r_squared"]))
    True
    """
    check_option("method", method, DRIVER_METHODS)
    level = check_level(confidence_level)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise UxcxError(f"n_boot must be a whole number >= 0 (0 skips the bootstrap); got {n_boot!r}")
    players = _players(drivers, outcome)
    names, columns = list(players), [c for cols in players.values() for c in cols]
    blocks = [[columns.index(c) for c in players[k]] for k in names]
    require(data, [*columns, outcome])
    values = _complete(data, columns, outcome)
    y = values[:, -1]
    binary = len(y) > 0 and bool(np.all((y == 0) | (y == 1))) and 0 < y.sum() < len(y)
    if binary and method == "relative-weights":
        raise UxcxError(f"the outcome {outcome!r} is binary (0/1); relative weights are defined for a "
                        "continuous outcome here. Use method='shapley' (McFadden pseudo-R²).")
    limit = MAX_BINARY_DRIVERS if binary else max_drivers
    if method == "shapley" and len(names) > limit:
        why = "logistic fits" if binary else "subsets, each solved"
        raise UxcxError(f"{len(names)} drivers is too many for exact Shapley values: 2**{len(names)} = "
                        f"{2 ** len(names):,} {why}. Group related drivers into blocks, "
                        "drivers={'group name': [columns], ...} (each block counts as one driver), "
                        f"or use method='relative-weights' (continuous outcome).")
    z, corr = _check_matrix(values, columns, outcome, binary)
    n, p = z.shape[0], len(columns)
    plan = kern.subset_plan(blocks, p) if method == "shapley" else None
    rng = bootstrap.generator(seed)
    single = [b[0] if len(b) == 1 else -1 for b in blocks]
    if binary:
        patterns, counts = np.unique(np.column_stack([z[:, :-1], y]), axis=0, return_counts=True)
        run = _binary(patterns[:, :-1], patterns[:, -1], plan)
        imp, r2, ok, beta = run(counts[None, :].astype(float))
        coef = beta[0, -1, 1:]
        if not ok[0]:
            raise UxcxError(f"the drivers separate {outcome!r} (almost) perfectly: some combination of "
                            "them predicts every 0 and 1, so the logistic coefficients run off to "
                            "infinity. Remove the driver that gives the outcome away, or collect more data.")
        per_item = plan.n_subsets * (len(counts) + (p + 1) ** 2) * 3
        draw = lambda b: bootstrap.resample_cells(counts, b, rng).astype(float)  # noqa: E731
        boot_run = lambda w: run(w, beta[0])[:3]  # noqa: E731
    else:
        coef = np.linalg.solve(corr[:-1, :-1], corr[:-1, -1])
        run = _continuous(blocks, plan, method)
        imp, r2, ok = run(corr[None])
        iu = np.triu_indices(p + 1)
        products = z[:, iu[0]] * z[:, iu[1]] if n_boot else None
        per_item = 2 * n + (plan.cost * 2 if plan else (p + 1) ** 2 * 4)
        draw = lambda b: bootstrap.resample_counts(n, b, rng)  # noqa: E731
        boot_run = lambda w: run(kern.weighted_corr(w, z, products))  # noqa: E731
    imp, r2 = imp[0], float(r2[0])
    sign = np.array([np.sign(coef[j]) if j >= 0 else np.nan for j in single])
    rank = kern.ranks(imp[None])[0]
    boot = np.full((n_boot, len(names) + 1), np.nan)
    start = 0
    for size in bootstrap.chunks(n_boot, per_item):  # chunks of resamples, each batch vectorised
        b_imp, b_r2, b_ok = boot_run(draw(size))
        boot[start:start + size] = np.where(b_ok[:, None], np.column_stack([b_imp, b_r2]), np.nan)
        start += size
    return kern.assemble(names, players, imp, r2, sign, rank, boot, n, level, method, binary, outcome)
