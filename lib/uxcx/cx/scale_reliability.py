"""Multi-item indices and their reliability: the index, Cronbach's alpha, McDonald's omega, item analysis.

A loyalty or ease index is the mean of several items meant to measure one thing.
:func:`scale_index` scores it (a Series); :func:`cronbach_alpha`, :func:`mcdonald_omega`
and :func:`reliability` say how consistently the items measure it (result frames);
:func:`item_total` shows which item helps or hurts. Items on different scales (1-5 and
0-10) are z-standardised first, decided from the roles' ranges (:func:`uxcx.study.schema.role`)
or ``scales=``, so every function describes the index :func:`scale_index` builds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.multivariate.factor import Factor

from uxcx._core.checks import by_columns, check_level
from uxcx._core.common import finish, group_ids
from uxcx.cx.scale_scoring import read_items, scale_index
from uxcx.cx.scale_warnings import constant_items, warn_degenerate, warn_fewer, warn_reverse, where
from uxcx.errors import UxcxError, UxcxWarning

__all__ = ["NUNNALLY_MINIMUM", "scale_index", "cronbach_alpha", "mcdonald_omega", "item_total",
           "reliability"]

#: The reliability Nunnally (1978) asks of a scale used to compare groups.
NUNNALLY_MINIMUM = 0.7
#: Complete responses alpha needs: with two, any two standardised items correlate +1 or -1,
#: so alpha is 1 (or undefined) whatever the items, and Feldt's F has one degree of freedom.
ALPHA_MINIMUM = 3


def _matrix(x: np.ndarray, std: bool) -> np.ndarray:
    """Covariance matrix of complete rows (the correlation matrix when standardising)."""
    c = np.cov(x, rowvar=False)
    sd = np.sqrt(np.diag(c)) if std else np.ones(len(c))
    with np.errstate(invalid="ignore", divide="ignore"):
        return c / np.outer(sd, sd)


def _alpha(c: np.ndarray):
    """Alpha, corrected item-total (item-rest) correlations and alpha if item deleted, from one matrix."""
    k = len(c)
    total, trace, row, diag = c.sum(), np.trace(c), c.sum(axis=1), np.diag(c)
    rest = total - 2 * row + diag  # variance of the sum of the other items
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - trace / total)
        rest_r = (row - diag) / np.sqrt(diag * rest)
        drop = (k - 1) / (k - 2) * (1 - (trace - diag) / rest) if k > 2 else np.full(k, np.nan)
    return alpha, rest_r, drop


def _groups(data, items, by, standardize, scales):
    """Read, then per group its complete rows (listwise deletion); the ``method`` text per group."""
    names, values, std, note, by_cols = read_items(data, items, standardize, scales, by)
    gid, keys = group_ids(data, by_cols)
    x = values.to_numpy()
    complete = ~np.isnan(x).any(axis=1)
    parts = [x[(gid == g) & complete] for g in range(len(keys))]
    dropped = np.bincount(gid[~complete], minlength=len(keys))
    method = np.array([f"{note}; listwise deletion ({d} incomplete rows left out)" for d in dropped])
    n = np.array([len(p) for p in parts], dtype=float)
    return names, std, by_cols, keys, parts, n, method


def cronbach_alpha(data: pd.DataFrame, *, items, by=None, standardize="auto", scales=None,
                   confidence_level: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha of a multi-item scale with Feldt's F-based interval, per group.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str
        The item columns (at least two).
    by : str or list of str, optional
        Group columns; alpha is computed within each group.
    standardize, scales
        As in :func:`scale_index`; standardised items give alpha from the correlation
        matrix (standardised alpha), the reliability of a mean of z-scores.
    confidence_level : float
        Level of the two-sided interval.

    Returns
    -------
    DataFrame
        The result schema (:mod:`uxcx._core.results`), group columns first, a row per group:
        ``term`` "alpha", ``n`` (complete responses), ``estimate``, ``ci_low``, ``ci_high``,
        ``confidence_level``, ``method``; ``std_error`` and the test columns are NaN.

    Notes
    -----
    ``alpha = k/(k-1) * (1 - sum_i s_i^2 / s_T^2)`` for ``k`` items with variances ``s_i^2``
    and variance ``s_T^2`` of their sum (Cronbach 1951), from the rows that answered every
    item (listwise deletion, stated in ``method``): a lower bound of reliability, equal to it
    when all items load equally (see :func:`mcdonald_omega`). The interval (Feldt, Woodruff &
    Salih 1987; as R ``psych::alpha.ci``, pingouin) takes ``(1 - alpha_pop) / (1 - alpha) ~
    F(n - 1, (n - 1)(k - 1))``: ``1 - (1 - alpha) F_{1-q}`` to ``1 - (1 - alpha) F_q``,
    ``q = (1 - level) / 2``. A negatively correlating item brings a reverse-coding hint.

    Degenerate input says so rather than giving a silent [1, 1]: a group with fewer
    than three complete responses has NaN alpha and interval (with two, standardised
    items always correlate ±1, so alpha is 1 whatever they measure) and a
    :class:`~uxcx.errors.SmallSampleWarning` naming it; an item with one answer from
    every respondent of a group brings a :class:`~uxcx.errors.UxcxWarning` naming it
    (standardised, alpha is NaN; raw, alpha counts an item that adds no variance);
    items that agree perfectly (alpha = 1, a zero-width interval) are named too.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334. https://doi.org/10.1007/BF02310555

    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for coefficient
    alpha. *Applied Psychological Measurement*, 11(1), 93-103.
    https://doi.org/10.1177/014662168701100107

    Examples
    --------
    >>> rng = np.random.default_rng(1); f = rng.normal(size=200)  # one trait, three items
    >>> d = pd.DataFrame({f"item_{j}": f + rng.normal(scale=s, size=200) for j, s in enumerate([.6, .8, 1])})
    >>> cronbach_alpha(d, items=list(d))[["n", "estimate", "ci_low", "ci_high"]].round(3)
         n  estimate  ci_low  ci_high
    0  200     0.775   0.715    0.824
    """
    level = check_level(confidence_level)
    names, std, by_cols, keys, parts, n, method = _groups(data, items, by, standardize, scales)
    alpha = np.full(len(parts), np.nan)
    constant, perfect = {}, []
    for g, x in enumerate(parts):
        if len(x) >= ALPHA_MINIMUM:
            if (flat := constant_items(names, x)):
                constant[where(keys, g, by_cols)] = flat
            alpha[g], rest_r, _ = _alpha(_matrix(x, std))
            warn_reverse(names, rest_r, where(keys, g, by_cols))
            if alpha[g] >= 1 - 1e-12:
                perfect.append(where(keys, g, by_cols))
    warn_fewer(n, ALPHA_MINIMUM, "alpha", keys, by_cols)
    warn_degenerate(constant, perfect, std)
    ok = n >= ALPHA_MINIMUM
    df1 = np.maximum(n - 1, 1)
    q = (1 - level) / 2
    low = np.where(ok, 1 - (1 - alpha) * stats.f.isf(q, df1, df1 * (len(names) - 1)), np.nan)
    high = np.where(ok, 1 - (1 - alpha) * stats.f.ppf(q, df1, df1 * (len(names) - 1)), np.nan)
    return finish(keys, by_cols, term="alpha", n=n, estimate=alpha, ci_low=low, ci_high=high,
                  confidence_level=level, method="Cronbach's alpha, Feldt F interval; " + method)


def _omega(x: np.ndarray, std: bool) -> tuple[float, str]:
    """Omega total of complete rows ``x`` from a one-factor ML model, and any trouble met."""
    if not (x.std(axis=0) > 0).all():
        return np.nan, "an item has the same answer from every respondent"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = Factor(x, n_factor=1, method="ml").fit(rng=np.random.default_rng(0))
        except (ValueError, np.linalg.LinAlgError) as err:
            return np.nan, f"the factor model could not be fitted ({err})"
    lam, psi = fit.loadings[:, 0], fit.uniqueness
    heywood = {"a Heywood case (a standardised loading at or above 1, or a unique variance near 0)"} if (
        psi.min() < 0.005 or np.abs(lam).max() >= 1) else set()
    if not std:  # ML is scale-free: rescale the correlation solution to the items' own units
        sd = x.std(axis=0, ddof=1)
        lam, psi = lam * sd, psi * sd**2
    common = lam.sum() ** 2
    return float(common / (common + psi.sum())), "; ".join(sorted({str(w.message) for w in caught} | heywood))


def mcdonald_omega(data: pd.DataFrame, *, items, by=None, standardize="auto", scales=None) -> pd.DataFrame:
    """McDonald's omega total of a multi-item scale from a one-factor model, per group.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str
        The item columns; omega needs three or more (a one-factor model of two items is not
        identified), else it is NaN and ``method`` says why.
    by : str or list of str, optional
        Group columns.
    standardize, scales
        As in :func:`scale_index`: standardised items give omega of a mean of z-scores (from
        the correlation matrix, as R ``psych::omega``), raw items omega of the raw mean.

    Returns
    -------
    DataFrame
        The result schema, group columns first: ``term`` "omega", ``n`` (complete
        responses), ``estimate``, ``method``; no interval, so ``ci_low``, ``ci_high``,
        ``confidence_level``, ``std_error`` and the test columns are NaN.

    Notes
    -----
    The one-factor model ``x_i = mu_i + lambda_i F + e_i`` is fitted by maximum likelihood
    (statsmodels ``Factor(method="ml")``, EM start with a fixed seed) on the rows that
    answered every item; ``omega = (sum lambda)^2 / ((sum lambda)^2 + sum psi)`` (McDonald
    1999, eq. 6.20b), ``psi_i`` the unique variances, in the items' units unless
    standardised (Flora 2020). Omega does not assume equal loadings, so under a one-factor
    model omega >= alpha. A fit that does not converge, or a Heywood case (a standardised
    loading >= 1 or a unique variance near 0), brings a :class:`~uxcx.errors.UxcxWarning`.

    References
    ----------
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Mahwah, NJ: Lawrence Erlbaum.

    Flora, D. B. (2020). Your coefficient alpha is probably wrong, but which coefficient omega
    is right? *Advances in Methods and Practices in Psychological Science*, 3(4), 484-501.
    https://doi.org/10.1177/2515245920951747

    Examples
    --------
    >>> rng = np.random.default_rng(1); f = rng.normal(size=200)  # one trait, three items
    >>> d = pd.DataFrame({f"item_{j}": f + rng.normal(scale=s, size=200) for j, s in enumerate([.6, .8, 1])})
    >>> round(float(mcdonald_omega(d, items=list(d))["estimate"].iloc[0]), 3)
    0.775
    """
    names, std, by_cols, keys, parts, n, method = _groups(data, items, by, standardize, scales)
    k = len(names)
    omega = np.full(len(parts), np.nan)
    troubles = []
    for g, x in enumerate(parts):
        if k >= 3 and len(x) > k:
            omega[g], trouble = _omega(x, std)
            troubles += [trouble + where(keys, g, by_cols)] if trouble else []
    if troubles:
        warnings.warn("McDonald's omega: the one-factor model fitted with trouble, so omega may be off: "
                      + "; ".join(troubles), UxcxWarning, stacklevel=2)
    if k >= 3:
        warn_fewer(n, k + 1, "omega")
    why = ("" if k >= 3 else " not identified with 2 items (a one-factor model needs 3): report alpha, "
           "or Spearman-Brown for two items (Eisinga et al. 2013);")
    return finish(keys, by_cols, term="omega", n=n, estimate=omega,
                  method=f"McDonald's omega total, one-factor ML model;{why} " + method)


def item_total(data: pd.DataFrame, *, items, standardize="auto", scales=None) -> pd.DataFrame:
    """Item analysis: each item's corrected item-total correlation and alpha if it were left out.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str
        The item columns (at least two).
    standardize, scales
        As in :func:`scale_index` (standardised items use the correlation matrix).

    Returns
    -------
    DataFrame
        One row per item: ``item``, ``n`` (complete responses), ``mean`` and ``sd`` of the
        raw item, ``item_rest_r`` (corrected item-total correlation) and
        ``alpha_if_deleted`` (NaN for a two-item scale).

    Notes
    -----
    The corrected item-total correlation of item ``i`` is its correlation with the sum of
    the other items, ``(c_i. - c_ii) / sqrt(c_ii (C - 2 c_i. + c_ii))`` with ``c_i.`` the
    row sum and ``C`` the total of the covariance matrix (SPSS's "Corrected Item-Total
    Correlation", R ``psych::alpha``'s ``r.drop``); complete rows only. Items below about
    0.3 measure something else (Nunnally 1978); a negative one is usually keyed the other
    way, and a :class:`~uxcx.errors.UxcxWarning` suggests reverse-coding it.

    References
    ----------
    Nunnally, J. C. (1978). *Psychometric theory* (2nd ed.). New York: McGraw-Hill.

    Examples
    --------
    >>> rng = np.random.default_rng(1); f = rng.normal(size=200)  # one trait, three items
    >>> d = pd.DataFrame({f"item_{j}": f + rng.normal(scale=s, size=200) for j, s in enumerate([.6, .8, 1])})
    >>> item_total(d, items=list(d))[["item", "item_rest_r", "alpha_if_deleted"]].round(3)
         item  item_rest_r  alpha_if_deleted
    0  item_0        0.674             0.646
    1  item_1        0.612             0.696
    2  item_2        0.566             0.755
    """
    names, values, std, _, _ = read_items(data, items, standardize, scales)
    x = values.dropna().to_numpy()
    if len(x) < 2:
        raise UxcxError(f"item analysis needs at least 2 respondents who answered every item; got {len(x)}")
    _, rest_r, drop = _alpha(_matrix(x, std))
    warn_reverse(names, rest_r)
    return pd.DataFrame({"item": names, "n": len(x), "mean": x.mean(axis=0), "sd": x.std(axis=0, ddof=1),
                         "item_rest_r": rest_r, "alpha_if_deleted": drop})


def reliability(data: pd.DataFrame, *, items, by=None, name: str = "index", standardize="auto",
                scales=None, confidence_level: float = 0.95,
                minimum: float = NUNNALLY_MINIMUM) -> pd.DataFrame:
    """Alpha and omega of one scale together, with a warning when either falls short.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str
        The item columns (at least two; omega needs three).
    by : str or list of str, optional
        Group columns.
    name : str
        The scale's name, in the ``scale`` column and the warnings.
    standardize, scales, confidence_level
        As in :func:`cronbach_alpha`.
    minimum : float
        Reliability below which a :class:`~uxcx.errors.UxcxWarning` names the scale;
        default 0.7 (Nunnally 1978).

    Returns
    -------
    DataFrame
        ``scale``, the group columns, then the result schema: per group the row of
        :func:`cronbach_alpha` (``term`` "alpha") and of :func:`mcdonald_omega` ("omega").

    Notes
    -----
    Report omega as the index's reliability with alpha beside it: alpha equals reliability
    only when the items load equally, and is otherwise lower (McDonald 1999). Nunnally's
    0.70 suits comparing groups; decisions about single respondents need 0.90 or more.
    For a two-item scale omega is NaN (see :func:`mcdonald_omega`).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297-334. https://doi.org/10.1007/BF02310555

    McDonald, R. P. (1999). *Test theory: A unified treatment*. Mahwah, NJ: Lawrence Erlbaum.

    Nunnally, J. C. (1978). *Psychometric theory* (2nd ed.). New York: McGraw-Hill.

    Eisinga, R., te Grotenhuis, M., & Pelzer, B. (2013). The reliability of a two-item scale:
    Pearson, Cronbach, or Spearman-Brown? *International Journal of Public Health*, 58(4),
    637-642. https://doi.org/10.1007/s00038-012-0416-3

    Examples
    --------
    >>> rng = np.random.default_rng(1); f = rng.normal(size=200)  # one trait, three items
    >>> d = pd.DataFrame({f"item_{j}": f + rng.normal(scale=s, size=200) for j, s in enumerate([.6, .8, 1])})
    >>> reliability(d, items=list(d), name="ease")[["scale", "term", "estimate"]].round(3)
      scale   term  estimate
    0  ease  alpha     0.775
    1  ease  omega     0.775
    """
    alpha = cronbach_alpha(data, items=items, by=by, standardize=standardize, scales=scales,
                           confidence_level=confidence_level)
    omega = mcdonald_omega(data, items=items, by=by, standardize=standardize, scales=scales)
    by_cols = by_columns(by)
    out = pd.concat([alpha, omega], ignore_index=True)
    if by_cols:
        out = out.sort_values(by_cols, kind="stable").reset_index(drop=True)
    out.insert(0, "scale", name)
    low = out[out["estimate"] < minimum]
    if len(low):
        shown = "; ".join(f"{row.term} = {row.estimate:.2f}" + "".join(f", {c}={row[c]!r}" for c in by_cols)
                          for _, row in low.iterrows())
        warnings.warn(f"scale {name!r} falls short of the {minimum:g} reliability Nunnally (1978) asks "
                      f"for ({shown}): its items may not measure one thing reliably; see item_total() "
                      f"for an item that does not fit", UxcxWarning, stacklevel=2)
    return out
