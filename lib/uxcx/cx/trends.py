"""Tracking a CX measure over time: one estimate with its interval per month, quarter or release."""

from __future__ import annotations

import warnings

import pandas as pd

from uxcx._core.checks import by_columns, cell_problem, check_option, require, source_name
from uxcx.cx.nps import nps
from uxcx.cx.ratings import mean_score, top_box
from uxcx.errors import DataError, UxcxError, UxcxWarning

__all__ = ["trend", "MEASURES"]

# measure: (function, default score column)
MEASURES = {"nps": "nps", "csat_top2": "csat", "csat_mean": "csat", "ces_mean": "ces"}
_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}


def _dates(data: pd.DataFrame, column: str) -> pd.Series:
    """``data[column]`` as datetimes; a :class:`DataError` names every cell that is not a date."""
    raw = data[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw
    parsed = pd.to_datetime(raw, errors="coerce", format="mixed")
    bad = parsed.isna() & raw.notna()
    if bad.any():
        file = source_name(data)
        rows = raw.index[bad.to_numpy()]
        raise DataError([cell_problem(file, raw.index, r, column, raw.loc[r], "not a date",
                                      expected="a date such as 2025-03-31",
                                      hint="correct the cell, or blank it if unknown") for r in rows])
    return parsed


def trend(data: pd.DataFrame, *, measure: str = "nps", date: str = "date", period: str = "month",
          score: str | None = None, by=None, confidence_level: float = 0.95, method: str | None = None,
          n_boot: int = 2000, seed=None) -> pd.DataFrame:
    """A CX measure per period (month, quarter, year or a column such as a release), for a tracking chart.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    measure : {"nps", "csat_top2", "csat_mean", "ces_mean"}
        NPS (:func:`uxcx.cx.nps.nps`), top-2-box CSAT share (:func:`uxcx.cx.ratings.top_box`),
        mean CSAT or mean CES (:func:`uxcx.cx.ratings.mean_score`).
    date : str
        Column of response dates (used when ``period`` is "month", "quarter" or "year").
        Rows without a date are left out with a warning.
    period : str
        "month", "quarter", "year", or the name of a column whose values are the
        periods (e.g. "release" or "wave"), in their sorted (or categorical) order.
    score : str, optional
        The rating column; default "nps", "csat" or "ces" after the measure.
    by : str or list of str, optional
        Segment columns: one line per segment on the chart.
    confidence_level : float
        Two-sided level of every interval.
    method : str, optional
        Interval method of the measure ("adjusted-wald" by default for NPS and top-box;
        NPS also "wald", "bootstrap"; top-box also "wilson", "exact"). Not used for means.
    n_boot, seed
        Bootstrap resamples and seed (``measure="nps"``, ``method="bootstrap"``).

    Returns
    -------
    DataFrame
        The measure's result frame with group columns ``by`` then ``period``: one
        row per (segment and) period, in time order. ``period`` is a label such as
        "2025-03", "2025Q1", "2025" or the column's value. After the schema columns
        (and the measure's own extra columns), ``period_start``: the first day of
        the period as a timestamp, for a time axis (NaT when ``period`` is a column).

    Warns
    -----
    SmallSampleWarning
        From the measure, naming each thin period (and segment).
    UxcxWarning
        When rows without a date or period are left out.

    Notes
    -----
    Each period is estimated on its own, as the measure's function does for a
    segment, so the intervals are those documented there. Periods without any
    response do not appear (a gap, not a zero). Judge a change between two periods
    by a test (e.g. :func:`uxcx.cx.compare.compare_nps` with ``by="period"``), not by
    whether two intervals overlap, which is too conservative (Schenker & Gentleman 2001).

    References
    ----------
    Schenker, N., & Gentleman, J. F. (2001). On judging the significance of
    differences by examining the overlap between confidence intervals. *The
    American Statistician*, 55(3), 182-186.

    Examples
    --------
    >>> d = pd.DataFrame({"date": ["2025-01-05"] * 40 + ["2025-02-10"] * 40,
    ...                   "nps": [10] * 20 + [8] * 10 + [2] * 10 + [9] * 30 + [5] * 10})
    >>> t = trend(d, measure="nps", period="month")
    >>> t[["period", "n", "estimate"]].values.tolist()
    [['2025-01', 40, 25.0], ['2025-02', 40, 50.0]]
    """
    check_option("measure", measure, tuple(MEASURES))
    by_cols = by_columns(by)
    score = score or MEASURES[measure]
    if period in _FREQ:
        require(data, [date, score, *by_cols])
        when = _dates(data, date)
        stamp = when.dt.to_period(_FREQ[period])
        label = stamp.astype(str).where(when.notna())
        start = stamp.dt.start_time
        what = f"a {date!r} date"
    elif isinstance(period, str) and period in data.columns:
        label, start, what = data[period], None, f"a {period!r} value"
    else:
        raise UxcxError(f"period must be 'month', 'quarter', 'year' or the name of a column of the data "
                        f"(such as 'release'); got {period!r}")
    keep = label.notna()
    if not keep.all():
        warnings.warn(f"{int((~keep).sum())} row(s) have no {what} and are left out of the trend.",
                      UxcxWarning, stacklevel=2)
    work = data.loc[keep, [score, *by_cols]].copy()
    work["period"] = label[keep]
    groups = [*by_cols, "period"]
    if measure == "nps":
        out = nps(work, score=score, by=groups, method=method or "adjusted-wald",
                  confidence_level=confidence_level, n_boot=n_boot, seed=seed)
    elif measure == "csat_top2":
        out = top_box(work, score=score, top=2, scale=None, by=groups, method=method or "adjusted-wald",
                      confidence_level=confidence_level)
    else:
        out = mean_score(work, score=score, by=groups, confidence_level=confidence_level)
    if start is None:
        out["period_start"] = pd.NaT
    else:
        starts = pd.Series(start[keep].to_numpy(), index=label[keep].to_numpy())
        starts = starts[~starts.index.duplicated()]
        out["period_start"] = starts.reindex(out["period"].to_numpy()).to_numpy()
    return out
