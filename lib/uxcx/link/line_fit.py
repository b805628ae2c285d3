"""The least-squares line of one measure on another, with the confidence band of its mean.

Figures draw it (:func:`uxcx.report.plots_link.scatter_fit`); the fit itself belongs here, with
the models, so that a plot never fits a model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["line_fit"]


def line_fit(data: pd.DataFrame, *, x: str, y: str, confidence_level: float = 0.95,
             points: int = 100) -> tuple[pd.DataFrame, float, int]:
    """OLS of ``y`` on ``x`` and the interval for the mean of ``y`` along a grid of ``x``.

    Parameters
    ----------
    data : DataFrame
        Rows missing ``x`` or ``y`` are left out.
    x, y : str
        Predictor and outcome columns.
    confidence_level : float
        Of the band.
    points : int
        Grid points from the smallest to the largest ``x``.

    Returns
    -------
    (DataFrame, float, int)
        The band (``x``, ``fit``, ``ci_low``, ``ci_high``), the slope, and the n used.

    Notes
    -----
    The band is :math:`\\hat y(x_0) \\pm t_{n-2} \\, s \\sqrt{1/n + (x_0-\\bar x)^2/S_{xx}}`, the
    interval for the mean response (statsmodels ``OLSResults.get_prediction``; Weisberg,
    *Applied Linear Regression*, 4th ed., 2014, sec. 2.8).

    Examples
    --------
    >>> d = pd.DataFrame({"x": [1, 2, 3, 4, 5], "y": [2.0, 4.1, 5.9, 8.2, 9.9]})
    >>> band, slope, n = line_fit(d, x="x", y="y", points=3)
    >>> round(slope, 3), n, band["fit"].round(2).tolist()
    (1.99, 5, [2.04, 6.02, 10.0])
    """
    import statsmodels.api as sm

    both = data[[x, y]].dropna().astype(float)
    fit = sm.OLS(both[y].to_numpy(), sm.add_constant(both[x].to_numpy())).fit()
    grid = np.linspace(both[x].min(), both[x].max(), points)
    band = fit.get_prediction(sm.add_constant(grid)).summary_frame(alpha=1 - confidence_level)
    out = pd.DataFrame({"x": grid, "fit": band["mean"].to_numpy(), "ci_low": band["mean_ci_lower"].to_numpy(),
                        "ci_high": band["mean_ci_upper"].to_numpy()})
    return out, float(fit.params[1]), len(both)
