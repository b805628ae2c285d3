"""Adjusting p-values for multiple comparisons, vectorised in numpy.

statsmodels' ``multipletests`` runs a full ``gc.collect()`` on every Holm call
(50-150 ms in a large session), which is too slow for a function called once per
result frame, per task or per bootstrap. :func:`p_adjust` gives the same numbers
(pinned to ``multipletests`` by the tests) in microseconds, on one family or on many
families at once (one per row of a 2-D array). It is imported by
:func:`uxcx._core.compare.adjust_p` and :func:`uxcx.link.correlations.correlate`.
"""

from __future__ import annotations

import numpy as np

from uxcx._core.checks import P_ADJUST_METHODS, check_option
from uxcx._core.docs import fill_doc

__all__ = ["p_adjust", "REFERENCES"]

#: The References of the adjustments, shared by :func:`p_adjust` and
#: :func:`uxcx._core.compare.adjust_p`.
REFERENCES = """Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a
    practical and powerful approach to multiple testing. *Journal of the Royal
    Statistical Society B*, 57(1), 289-300."""


def p_adjust(p, method: str = "holm") -> np.ndarray:
    """Adjusted p-values: Holm, Benjamini-Hochberg, Bonferroni or none; NaN-aware.

    Parameters
    ----------
    p : array_like
        p-values. 1-D: one family. 2-D: one family per row (each row adjusted on its
        own). NaN marks a missing p-value: it stays NaN and does not count as a test.
    method : {"holm", "fdr_bh", "bonferroni", "none"}
        The vocabulary of :func:`uxcx._core.compare.adjust_p` (statsmodels' names).

    Returns
    -------
    ndarray of float
        The adjusted p-values, same shape as ``p``, capped at 1.

    Notes
    -----
    With the m non-missing p-values of a family sorted, p_(1) <= ... <= p_(m):

    - Bonferroni: min(1, m p_i).
    - Holm (1979), step-down: p~_(i) = min(1, max_{j <= i} (m - j + 1) p_(j)), a
      cumulative maximum. It controls the family-wise error rate like Bonferroni
      and is never less powerful; the kit's default.
    - Benjamini & Hochberg (1995), step-up: p~_(i) = min(1, min_{j >= i} m p_(j) / j),
      a reversed cumulative minimum. It controls the false discovery rate; use it to
      screen many pairs when some false discoveries are acceptable.

    Ties get equal adjusted values whatever their order. The results equal
    ``statsmodels.stats.multitest.multipletests(p, method=...)[1]`` (same
    arithmetic), without its per-call garbage collection.

    References
    ----------
    {refs}

    Examples
    --------
    >>> p_adjust([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    >>> p_adjust([0.01, np.nan, 0.04, 0.03], "fdr_bh").round(2).tolist()
    [0.03, nan, 0.04, 0.04]
    """
    if method not in P_ADJUST_METHODS:
        check_option("method", method, P_ADJUST_METHODS)
    p = np.array(p, dtype=float)
    if p.ndim not in (1, 2):
        raise ValueError(f"p must be 1-D (one family) or 2-D (one family per row); got {p.ndim}-D")
    if method == "none" or p.size == 0:
        return p
    if p.ndim == 1:  # the common case, kept lean: a few microseconds
        m = int(np.count_nonzero(p == p))  # NaN != NaN
        if method == "bonferroni":
            return np.minimum(p * m, 1.0)
        order = np.argsort(p, kind="stable")  # NaN sort last
        ranked = p[order[:m]]
        i = np.arange(1, m + 1)
        if method == "holm":
            adjusted = np.maximum.accumulate(ranked * (m - i + 1))
        else:  # fdr_bh
            adjusted = np.minimum.accumulate((ranked / (i / m))[::-1])[::-1]
        out = np.full(p.shape, np.nan)
        out[order[:m]] = np.minimum(adjusted, 1.0)
        return out
    m = np.sum(~np.isnan(p), axis=1, keepdims=True)  # tests per family
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(p, axis=1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=1)
    i = np.arange(1, p.shape[1] + 1)  # 1-based rank
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "holm":
            adjusted = np.fmax.accumulate(ranked * (m - i + 1), axis=1)
        else:  # fdr_bh
            adjusted = np.fmin.accumulate((ranked / (i / m))[:, ::-1], axis=1)[:, ::-1]
    adjusted = np.where(np.isnan(ranked), np.nan, np.minimum(adjusted, 1.0))
    out = np.empty_like(adjusted)
    np.put_along_axis(out, order, adjusted, axis=1)
    return out


fill_doc(p_adjust, refs=REFERENCES)
