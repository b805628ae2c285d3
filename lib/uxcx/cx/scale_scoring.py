"""Multi-item scale scores: the index of a scale (mean of its items, standardised where scales differ).

The item reading shared with :mod:`uxcx.cx.scale_reliability` (ranges from the data
dictionary or a ``scales=`` mapping, every bad cell reported at once) lives here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.checks import by_columns, check_option, numeric, require
from uxcx.errors import DataError, UxcxError
from uxcx.study.schema import score_range

__all__ = ["scale_index", "read_items"]


def _bounds(item: str, scales) -> tuple[float, float] | None:
    """The item's (low, high): from ``scales`` if it names the item, else the role's range, else None."""
    given = (scales or {}).get(item)
    if given is None:
        found = score_range(item)
        return None if found is None else (float(found[0]), float(found[1]))
    try:
        low, high = (float(v) for v in given)
    except (TypeError, ValueError):
        low = high = np.nan
    if not low < high:
        raise UxcxError(f"scales[{item!r}] must be a pair (low, high) with low < high, such as (1, 5); "
                        f"got {given!r}")
    return low, high


def read_items(data: pd.DataFrame, items, standardize, scales, by=None):
    """Check the arguments, read the items: (names, values, standardise?, note for ``method``, by)."""
    names = [items] if isinstance(items, str) else list(dict.fromkeys(items))
    if len(names) < 2:
        raise UxcxError(f"items must name at least two columns of one scale; got {items!r}")
    check_option("standardize", standardize, ("auto", True, False))
    if scales is not None and not isinstance(scales, dict):
        raise UxcxError(f"scales must map item names to (low, high), such as {{'nps': (0, 10)}}; "
                        f"got {scales!r}")
    by_cols = by_columns(by)
    require(data, [*names, *by_cols])
    bounds = {item: _bounds(item, scales) for item in names}
    columns, problems = {}, []
    for item, b in bounds.items():
        whole = b is not None and all(float(v).is_integer() for v in b)
        try:
            columns[item] = numeric(
                data, item, expected=f"a whole number from {b[0]:g} to {b[1]:g}" if whole else "a number",
                allowed=set(range(int(b[0]), int(b[1]) + 1)) if whole else None)
        except DataError as err:
            problems += err.problems
    if problems:
        raise DataError(problems)
    if standardize == "auto":
        unknown = [i for i, b in bounds.items() if b is None]
        if unknown and len(unknown) < len(names):
            raise UxcxError(f"cannot tell whether the items share a scale: the range of {unknown} is not "
                            f"known; pass scales={{item: (low, high)}} for them, or standardize=True/False")
        standardize = len(set(bounds.values()) - {None}) > 1
    note = "items z-standardised" if standardize else "raw items"
    return names, pd.DataFrame(columns, index=data.index), bool(standardize), note, by_cols


def scale_index(data: pd.DataFrame, *, items, standardize="auto", scales=None, min_items=None,
                name: str = "index") -> pd.Series:
    """The multi-item index of every respondent: the mean of the items answered.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str
        The item columns (at least two), keyed in one direction (reverse-code first).
    standardize : {"auto", True, False}
        Whether to z-standardise each item, ``(x - mean) / sd`` over the respondents who
        answered it (sd with n - 1), before averaging. "auto" does so exactly when the
        items' ranges differ (1-5 and 0-10), taken from ``scales`` or the roles
        (:func:`uxcx.study.schema.role`); items of which no range is known are taken as they are.
    scales : dict of str to (low, high), optional
        Ranges of items whose role does not give one; a value outside is an error.
    min_items : int, optional
        Fewest answered items for an index, else NaN. Default: all items but one (at least 1).
    name : str
        The name of the returned Series.

    Returns
    -------
    Series
        The index per row of ``data`` (same index): on the items' own scale, or in
        standard-deviation units when standardised.

    Notes
    -----
    ``index_i = mean over answered items j of x_ij`` (or of ``z_ij``): person-mean imputation,
    sound when few items are missing and the items are reliable (Schafer & Graham 2002),
    hence ``min_items``. Unequal ranges would weight the wider item more, hence z-scores;
    such an index compares respondents within this sample only.

    References
    ----------
    Schafer, J. L., & Graham, J. W. (2002). Missing data: Our view of the state of the art.
    *Psychological Methods*, 7(2), 147-177. https://doi.org/10.1037/1082-989X.7.2.147

    Examples
    --------
    >>> d = pd.DataFrame({"loyalty_continue": [5, 4, None], "loyalty_choose_again": [4, 4, 2]})
    >>> scale_index(d, items=["loyalty_continue", "loyalty_choose_again"]).tolist()
    [4.5, 4.0, 2.0]
    """
    names, values, std, _, _ = read_items(data, items, standardize, scales)
    k = len(names)
    least = max(k - 1, 1) if min_items is None else min_items
    if isinstance(least, bool) or not isinstance(least, (int, np.integer)) or not 1 <= least <= k:
        raise UxcxError(f"min_items must be a whole number from 1 to {k} (the number of items); "
                        f"got {min_items!r}")
    if std:
        sd = values.std(ddof=1)
        flat = sd.index[~(sd > 0)].tolist()
        if flat:
            raise UxcxError(f"cannot z-standardise {flat}: every respondent gave the same answer (or "
                            f"fewer than 2 answered); leave the item out of the index")
        values = (values - values.mean()) / sd
    return values.mean(axis=1).where(values.notna().sum(axis=1) >= least).rename(name)
