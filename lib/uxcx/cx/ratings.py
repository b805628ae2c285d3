"""Rating-scale measures: top-box share (CSAT), mean with t interval (CSAT, CES), Likert item tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.benchmark import mean_frame, mean_rows
from uxcx._core.checks import ALTERNATIVES, by_columns, check_level, check_option, require
from uxcx._core.common import PROPORTION_METHODS, finish, group_ids, per_group, proportion_interval
from uxcx._core.results import COLUMNS
from uxcx.cx.common import (
    RATING_MIN,
    expand_items,
    missing_note,
    rating_table,
    rating_values,
    scale_bounds,
    segment_names,
    warn_segments,
)
from uxcx.errors import UxcxError

__all__ = ["top_box", "mean_score", "likert_distribution", "likert_summary"]


def _top_threshold(top, bounds, score) -> int:
    if bounds is None:
        raise UxcxError(f"{score!r} is not a known rating role; pass its scale, e.g. scale=(1, 5)")
    low, high = bounds
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or not 1 <= top <= high - low:
        raise UxcxError(f"top must be a whole number of scale points from 1 to {high - low} for the "
                        f"{low}-{high} scale; got {top!r}")
    return high - int(top) + 1


def top_box(data: pd.DataFrame, *, score: str = "csat", top: int = 2, scale=(1, 5), by=None,
            method: str = "adjusted-wald", confidence_level: float = 0.95) -> pd.DataFrame:
    """Top-box share of a rating (top-2-box CSAT by default) with a confidence interval.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        Column of ratings, whole numbers on ``scale``; missing left out.
    top : int
        How many of the highest scale points count: 2 gives the top-2 box (4 or 5
        of 1-5), 1 the top box.
    scale : (int, int)
        Lowest and highest scale point.
    by : str or list of str, optional
        Segment columns: one row per segment.
    method : {"adjusted-wald", "wilson", "exact"}
        Interval of the proportion; default adjusted Wald (Agresti & Coull 1998;
        Sauro & Lewis 2016).
    confidence_level : float
        Two-sided level.

    Returns
    -------
    DataFrame
        Result schema: ``by`` columns, ``term`` ("top-2 box"), ``n`` (ratings),
        ``estimate`` (share in the top box, 0-1), ``std_error`` (adjusted Wald only),
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``; test columns NaN.

    Warns
    -----
    SmallSampleWarning
        Naming each segment with fewer than 10 ratings; fewer than 2 give a NaN
        interval (rules in :mod:`uxcx.cx.common`).

    Notes
    -----
    With x ratings in the top ``top`` points of n, the share is x/n and the
    interval is that of a binomial proportion (see
    :func:`uxcx.ux.completion.completion_rate`): by default p~ = (x + z²/2)/(n + z²)
    ± z·sqrt(p~(1 - p~)/(n + z²)), clipped to [0, 1]. Top-box shares are how CSAT
    is usually reported; the mean (:func:`mean_score`) uses every scale point and
    is more precise for comparing groups (Sauro & Lewis 2016, ch. 3 and 5).

    References
    ----------
    Agresti, A., & Coull, B. A. (1998). Approximate is better than "exact" for
    interval estimation of binomial proportions. *The American Statistician*,
    52(2), 119-126.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience: Practical
    Statistics for User Research* (2nd ed.). Morgan Kaufmann.

    Examples
    --------
    >>> d = pd.DataFrame({"csat": [5, 5, 4, 4, 4, 3, 3, 2, 5, 1]})
    >>> top_box(d)[["n", "estimate", "ci_low", "ci_high"]].round(2).to_dict("records")
    [{'n': 10, 'estimate': 0.6, 'ci_low': 0.31, 'ci_high': 0.83}]
    """
    by_cols = by_columns(by)
    check_option("method", method, PROPORTION_METHODS)
    level = check_level(confidence_level)
    bounds = scale_bounds(score, scale)
    threshold = _top_threshold(top, bounds, score)
    require(data, [score, *by_cols])
    values = rating_values(data, score, bounds)
    gid, keys = group_ids(data, by_cols)
    hit = (values >= threshold).astype(float).where(values.notna())
    agg = per_group(hit, gid, len(keys), "count", "sum")
    n, x = agg["count"].to_numpy(), agg["sum"].to_numpy()
    missing = np.bincount(gid[values.isna().to_numpy()], minlength=len(keys))
    warn_segments(keys, by_cols, n, minimum=RATING_MIN, what="ratings", measure="top-box share")
    low, high, se, clipped = proportion_interval(x, n, method, level)
    ok = n >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(n > 0, x / np.where(n > 0, n, 1), np.nan)
    label = (np.full(len(n), f"{method}; top {top} of {bounds[0]}-{bounds[1]}", dtype=object)
             + np.where(clipped & ok, " (bound clipped)", "") + missing_note(missing))
    return finish(keys, by_cols, term=f"top-{top} box", n=n, estimate=estimate,
                  std_error=np.where(ok, se, np.nan), ci_low=np.where(ok, low, np.nan),
                  ci_high=np.where(ok, high, np.nan), confidence_level=level, method=label)


def mean_score(data: pd.DataFrame, *, score: str, by=None, scale=None, confidence_level: float = 0.95,
               benchmark: float | None = None, alternative: str = "two-sided") -> pd.DataFrame:
    """Mean rating with a Student t interval (CSAT, CES, loyalty and ease items), tested against a target.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        Column of ratings; missing left out.
    by : str or list of str, optional
        Segment columns.
    scale : (int, int), optional
        Allowed whole-number range. Default: the role's range (csat 1-5, ces 1-7,
        nps 0-10, ``ease_*`` 1-7, ``loyalty_*`` 1-5); any number for other columns.
    confidence_level : float
        Level of the interval (one-sided for a one-sided ``alternative``).
    benchmark : float, optional
        A target mean on the rating's scale (CSAT 4.0, say): adds the one-sample
        t test of :func:`uxcx.mean_benchmark`, which gives the same numbers.
    alternative : {"two-sided", "greater", "less"}
        The alternative about the mean against ``benchmark`` (used only with it).

    Returns
    -------
    DataFrame
        Result schema: ``by`` columns, ``term`` ("mean <score>"), ``n``, ``estimate``
        (mean), ``std_error`` (sd/√n), ``ci_low``, ``ci_high``, ``confidence_level``,
        ``method`` ("t interval"); test columns NaN without a ``benchmark``. With
        one: ``statistic`` (t), ``df``, ``p_value``, ``log10_p_value`` (after
        ``p_value``), ``alternative``, ``effect_size`` (Cohen's d) and
        ``effect_size_type``, then ``benchmark``, ``effect_size_ci_low`` and
        ``effect_size_ci_high`` after the schema.

    Warns
    -----
    SmallSampleWarning
        Naming each segment with fewer than 10 ratings; fewer than 2 give a NaN
        interval.
    UxcxWarning
        Naming each segment whose ratings are all the same: no spread, so no
        interval (R's ``t.test`` refuses such data); the mean stands.

    Notes
    -----
    mean ± t(1 - α/2, n - 1)·s/√n with s the sample standard deviation. Rating
    scales are bounded and discrete, but the t interval of their mean covers close
    to nominal levels even at small samples (Sauro & Lewis 2016, ch. 3), so it is
    the standard choice for CSAT and CES means. A CES where 7 = very easy (this
    kit's role) has higher = better, like CSAT.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 3. Morgan Kaufmann.

    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1-25.

    Examples
    --------
    >>> d = pd.DataFrame({"ces": [7, 6, 6, 5, 4, 7, 5, 6, 3, 6]})
    >>> mean_score(d, score="ces")[["n", "estimate", "ci_low", "ci_high"]].round(2).to_dict("records")
    [{'n': 10, 'estimate': 5.5, 'ci_low': 4.59, 'ci_high': 6.41}]
    """
    by_cols = by_columns(by)
    level = check_level(confidence_level)
    check_option("alternative", alternative, ALTERNATIVES)
    bounds = scale_bounds(score, scale)
    require(data, [score, *by_cols])
    values = rating_values(data, score, bounds)
    gid, keys = group_ids(data, by_cols)
    missing = np.bincount(gid[values.isna().to_numpy()], minlength=len(keys))
    names = segment_names(keys, by_cols)
    mu = None if benchmark is None else float(benchmark)
    side = alternative if mu is not None else "two-sided"
    what = "ratings" if score == "value" else f"{score} ratings"  # "value": likert_summary's stacked items
    rows = mean_rows(values, gid, names, confidence_level=level, alternative=side, mu=mu, what=what,
                     warn_few=False)
    warn_segments(keys, by_cols, rows["n"], minimum=RATING_MIN, what="ratings", measure="mean")
    method = "t interval" if mu is None else f"one-sample t test against {mu:g}; t interval"
    rows["note"] = rows["note"] + missing_note(missing)
    return mean_frame(keys, by_cols, rows, term=f"mean {score}", method=method, confidence_level=level,
                      alternative=side)


def _long(data, items, by_cols, bounds) -> pd.DataFrame:
    """The items checked (every bad cell at once) and stacked: by columns, item, value."""
    require(data, [*items, *by_cols])
    values = rating_table(data, items, bounds)
    wide = pd.concat([data[by_cols].reset_index(drop=True), values.reset_index(drop=True)], axis=1)
    long = wide.melt(id_vars=by_cols, value_vars=items, var_name="item", value_name="value")
    long["item"] = pd.Categorical(long["item"], categories=items)
    return long


def likert_distribution(data: pd.DataFrame, *, items, scale=(1, 5), by=None) -> pd.DataFrame:
    """The full answer distribution of Likert items: a tidy count and share per scale point.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str or str
        Item columns, or a pattern such as ``"loyalty_*"``.
    scale : (int, int)
        Lowest and highest scale point; answers must be whole numbers in it.
    by : str or list of str, optional
        Segment columns.

    Returns
    -------
    DataFrame
        One row per segment × item × scale point (every point, also unused ones):
        the ``by`` columns, ``item``, ``level``, ``count``, ``n`` (answers to the
        item in the segment; missing left out) and ``share`` (count/n). Not a result
        frame: this is the table behind a stacked (diverging) bar chart.

    Notes
    -----
    Shares of one item and segment sum to 1. Summaries of the same items, with
    intervals, come from :func:`likert_summary`. Showing the whole distribution
    rather than a mean alone is the usual advice for Likert items (Robbins &
    Heiberger 2011), since two items with one mean can be split very differently.

    References
    ----------
    Likert, R. (1932). A technique for the measurement of attitudes. *Archives of
    Psychology*, 22(140), 1-55.

    Robbins, N. B., & Heiberger, R. M. (2011). Plotting Likert and other rating
    scales. *Proceedings of the 2011 Joint Statistical Meeting*, 1058-1066.

    Examples
    --------
    >>> d = pd.DataFrame({"loyalty_a": [5, 4, 4, 2], "loyalty_b": [3, 3, None, 1]})
    >>> t = likert_distribution(d, items="loyalty_*")
    >>> t[t["item"] == "loyalty_b"][["level", "count", "share"]].round(2).values.tolist()
    [[1.0, 1.0, 0.33], [2.0, 0.0, 0.0], [3.0, 2.0, 0.67], [4.0, 0.0, 0.0], [5.0, 0.0, 0.0]]
    """
    by_cols = by_columns(by)
    items = expand_items(data, items)
    bounds = scale_bounds(items[0], scale)
    long = _long(data, items, by_cols, bounds).dropna(subset=["value"])
    long["item"] = long["item"].cat.codes
    long["level"] = long["value"].astype(int)
    keys = [*by_cols, "item"]
    present = long[keys].drop_duplicates()
    full = present.merge(pd.DataFrame({"level": range(bounds[0], bounds[1] + 1)}), how="cross")
    counts = long.groupby([*keys, "level"], dropna=False).size().rename("count").reset_index()
    out = full.merge(counts, on=[*keys, "level"], how="left").fillna({"count": 0})
    out = out.sort_values([*keys, "level"], kind="stable").reset_index(drop=True)
    out["count"] = out["count"].astype("int64")
    out["n"] = out.groupby(keys, dropna=False)["count"].transform("sum")
    out["share"] = out["count"] / out["n"]
    out["item"] = np.asarray(items, dtype=object)[out["item"].to_numpy()]
    return out.reset_index(drop=True)


def likert_summary(data: pd.DataFrame, *, items, scale=(1, 5), top: int = 2, by=None,
                   method: str = "adjusted-wald", confidence_level: float = 0.95) -> pd.DataFrame:
    """Top-box share and mean of each Likert item, with intervals.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    items : list of str or str
        Item columns, or a pattern such as ``"ease_*"``.
    scale : (int, int)
        Lowest and highest scale point.
    top : int
        Scale points in the top box (2: top-2 box).
    by : str or list of str, optional
        Segment columns.
    method : {"adjusted-wald", "wilson", "exact"}
        Interval of the top-box share.
    confidence_level : float
        Two-sided level.

    Returns
    -------
    DataFrame
        Result schema with group columns ``by`` and ``item``: two rows per item and
        segment, ``term`` "top-2 box" (:func:`top_box`) and "mean value"
        (:func:`mean_score`), each with ``n``, ``estimate``, ``std_error``,
        ``ci_low``, ``ci_high``, ``confidence_level``, ``method``.

    Notes
    -----
    Each item is checked against ``scale`` first (one error lists every bad cell,
    with the row of the user's file), then summarised as :func:`top_box` and
    :func:`mean_score` summarise one rating; see those for formulas. The mean
    treats scale points as equally spaced, the top-box share does not; report both
    when readers differ on that.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    ch. 3. Morgan Kaufmann.

    Examples
    --------
    >>> d = pd.DataFrame({"ease_a": [7, 6, 5, 7, 2, 6, 6, 7, 4, 5],
    ...                   "ease_b": [3, 4, 5, 2, 6, 4, 3, 5, 4, 1]})
    >>> s = likert_summary(d, items="ease_*", scale=(1, 7))
    >>> s[["item", "term", "estimate"]].round(2).values.tolist()
    [['ease_a', 'top-2 box', 0.6], ['ease_a', 'mean value', 5.5], ['ease_b', 'top-2 box', 0.1], \
['ease_b', 'mean value', 3.7]]
    """
    by_cols = by_columns(by)
    items = expand_items(data, items)
    bounds = scale_bounds(items[0], scale)
    long = _long(data, items, by_cols, bounds)
    groups = [*by_cols, "item"]
    box = top_box(long, score="value", top=top, scale=bounds, by=groups, method=method,
                  confidence_level=confidence_level)
    mean = mean_score(long, score="value", by=groups, scale=bounds, confidence_level=confidence_level)
    out = pd.concat([box, mean], ignore_index=True)
    out["item"] = pd.Categorical(out["item"], categories=items)
    def order(column: pd.Series) -> pd.Series:  # top box before mean within an item
        return column.str.startswith("mean") if column.name == "term" else column

    out = out.sort_values([*groups, "term"], key=order, kind="stable")
    out["item"] = out["item"].astype(str)
    return out[[*groups, *COLUMNS]].reset_index(drop=True)
