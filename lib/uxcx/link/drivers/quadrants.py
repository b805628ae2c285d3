"""Driver performance: where each driver of :func:`uxcx.link.drivers.key_drivers` stands on its scale.

The one idea here is the importance x performance chart: :func:`driver_quadrants`
puts each driver's mean on 0-100 (:func:`column_range` finds its scale) and sorts the
drivers into quadrants by importance and performance. The importance itself is
computed in :mod:`uxcx.link.drivers.importance`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.checks import numeric, require
from uxcx.errors import UxcxError
from uxcx.link.drivers_boot import MODEL_ROW
from uxcx.study.schema import role, score_range

__all__ = ["QUADRANTS", "column_range", "driver_quadrants"]

QUADRANTS = ("Key strength", "Priority to fix", "Secondary strength", "Low priority")


def column_range(column: str, ranges: dict) -> tuple[float, float]:
    """The (lowest, highest) of a driver column: from ``ranges``, its role's scale, or 0-1 if binary."""
    if column in ranges:
        return tuple(map(float, ranges[column]))
    found = score_range(column)
    if found is not None:
        return float(found[0]), float(found[1])
    if role(column).kind == "binary":
        return 0.0, 1.0
    raise UxcxError(f"the scale range of driver column {column!r} is not known, so its performance "
                    f"cannot be put on 0-100; pass ranges={{{column!r}: (lowest, highest)}}.")


def driver_quadrants(result: pd.DataFrame, data: pd.DataFrame, *, ranges: dict | None = None,
                     importance_cut: float | None = None, performance_cut: float | None = None
                     ) -> pd.DataFrame:
    """Importance and performance of each driver, with its quadrant, for an importance x performance chart.

    Parameters
    ----------
    result : DataFrame
        The result of :func:`key_drivers` (its ``attrs["driver_columns"]`` says which
        columns make up each driver).
    data : DataFrame
        The data the drivers were analysed on (the performance is the mean of each column).
    ranges : dict of {str: (float, float)}, optional
        Scale range of driver columns whose role has none (e.g. ``{"item_speed": (1, 10)}``);
        the kit's roles (``ease_*``, ``ces``, ``csat``, ``umux_lite_*``, ...) are known.
    importance_cut : float, optional
        Share of R² that splits important from less important drivers; default ``1 / p``
        (the share every driver would have if all were equally important).
    performance_cut : float, optional
        Performance (0-100) that splits strong from weak; default the mean over the drivers.

    Returns
    -------
    DataFrame
        The driver rows of ``result`` (the model row left out) with three extra columns:
        ``performance_mean`` (mean of the column on its own scale; for a group the mean of its
        columns' 0-100 scores mapped back is not defined, so NaN), ``performance`` (0-100:
        ``100 * (mean - low) / (high - low)``, averaged over a group's columns) and
        ``quadrant``: "Key strength" (important, performing well), "Priority to fix"
        (important, performing poorly), "Secondary strength" (less important, performing
        well) or "Low priority". ``attrs`` holds ``importance_cut`` and ``performance_cut``.

    Notes
    -----
    The importance x performance (or "derived importance") matrix of customer-satisfaction
    research (Martilla & James 1977): the drivers where improvement pays off most are the
    important ones that perform poorly. Rescaling to 0-100 puts scales of different length
    on one axis; missing values are ignored in the means.

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77-79.

    Examples
    --------
    >>> from uxcx.link.drivers import key_drivers
    >>> rng = np.random.default_rng(2)
    >>> d = pd.DataFrame({"ease_search": rng.integers(1, 6, 300), "ease_returns": rng.integers(3, 8, 300)})
    >>> d["csat"] = (1 + (d["ease_search"] + d["ease_returns"] // 3) // 3).clip(1, 5)
    >>> r = key_drivers(d, outcome="csat", drivers=["ease_search", "ease_returns"], n_boot=0)
    >>> q = driver_quadrants(r, d)
    >>> q[["driver", "share", "performance", "quadrant"]].round(1)
             driver  share  performance            quadrant
    0   ease_search    0.9         34.2     Priority to fix
    1  ease_returns    0.1         65.2  Secondary strength
    """
    ranges = dict(ranges or {})
    groups = result.attrs.get("driver_columns")
    rows = result[result["driver"] != MODEL_ROW].reset_index(drop=True)
    if groups is None:
        groups = {d: [d] for d in rows["driver"]}
    columns = [c for d in rows["driver"] for c in groups[d]]
    require(data, columns)
    scores, means = [], []
    for name in rows["driver"]:  # a handful of drivers
        cols = groups[name]
        raw = [numeric(data, c, expected="a number").mean() for c in cols]
        bounds = [column_range(c, ranges) for c in cols]
        scores.append(np.mean([100 * (m - lo) / (hi - lo) for m, (lo, hi) in zip(raw, bounds)]))
        means.append(raw[0] if len(cols) == 1 else np.nan)
    out = rows.copy()
    out["performance_mean"] = means
    out["performance"] = scores
    imp_cut = 1 / len(rows) if importance_cut is None else float(importance_cut)
    perf_cut = float(np.mean(scores)) if performance_cut is None else float(performance_cut)
    important = out["share"].to_numpy() >= imp_cut
    strong = out["performance"].to_numpy() >= perf_cut
    out["quadrant"] = np.select([important & strong, important, strong], QUADRANTS[:3], QUADRANTS[3])
    out.attrs.update(importance_cut=imp_cut, performance_cut=perf_cut)
    return out
