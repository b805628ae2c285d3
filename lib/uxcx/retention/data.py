"""Survival data from a customer table: each customer's time as a customer and whether it ended.

:func:`survival_data` turns start and churn dates (or a tenure and a churn flag)
into the ``duration`` and ``event`` columns that :mod:`uxcx.retention.curves` (Kaplan-Meier),
:mod:`uxcx.retention.log_rank`, :mod:`uxcx.retention.restricted_mean` and
:mod:`uxcx.retention.proportional_hazards`
take; every bad row is reported at once, with its spreadsheet row.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core.checks import cell_problem, check_option, require, source_name
from uxcx.errors import DataError, Problem, UxcxError, UxcxWarning

__all__ = ["survival_data", "TIME_UNITS", "DAYS_PER_MONTH"]

TIME_UNITS = ("days", "months")
DAYS_PER_MONTH = 365.25 / 12


def _dates(data, column, problems, file):
    raw = data[column]
    values = pd.to_datetime(raw, errors="coerce")
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    problems += [cell_problem(file, raw.index, i, column, raw.loc[i], "not a date",
                              expected="a date such as 2025-03-31",
                              hint="correct the cell, or blank it if the customer is still a customer")
                 for i in raw.index[bad.to_numpy()]]
    return values


def survival_data(customers: pd.DataFrame, *, start: str = "start", end: str = "end",
                  tenure: str | None = None, churned: str | None = None, observed_until=None,
                  time_unit: str = "months") -> pd.DataFrame:
    """Each customer's time as a customer (``duration``) and whether it ended in churn (``event``).

    Parameters
    ----------
    customers : DataFrame
        One row per customer; the index is the row as the spreadsheet numbers it
        (as :func:`uxcx.load_study` gives it).
    start, end : str
        Date columns: when the customer started, and when they left (empty while
        still a customer). Used unless ``tenure`` is given.
    tenure : str, optional
        A column holding the time as a customer, already in ``time_unit``; with
        it, ``churned`` names the 0/1 column saying who left.
    churned : str, optional
        1 when the customer left, 0 while still a customer (``True``/``False``
        also accepted). Required with ``tenure``.
    observed_until : date-like, optional
        The day the data were drawn: customers still active are censored then.
        Default: the latest start or end date in the data, and a
        :class:`~uxcx.errors.UxcxWarning` states the date used.
    time_unit : {"months", "days"}
        Unit of ``duration``; a month is 365.25 / 12 = 30.4375 days.

    Returns
    -------
    DataFrame
        A copy of ``customers`` (same index, every column kept) with two more
        columns: ``duration`` (float, in ``time_unit``) and ``event`` (int, 1 =
        churned, 0 = censored, still a customer at ``observed_until``).
        ``attrs["time_unit"]`` and, for dates, ``attrs["observed_until"]`` record
        the choices; the curve functions read the unit from there.

    Raises
    ------
    DataError
        One error listing every bad row (row, column, value, fix): a date that
        is not a date, a missing start date, a churn date before the start date, a
        date after ``observed_until``, a missing or negative tenure, a churn flag
        other than 0 or 1.

    Notes
    -----
    With dates, ``duration = (end - start)`` in days, or ``(observed_until -
    start)`` with ``event = 0`` when ``end`` is empty; months are days / 30.4375.
    A duration of 0 (a customer who left on the day they started, or a tenure of
    0) is allowed: the Kaplan-Meier curve then drops below 1 at time 0, since
    such a customer is at risk at time 0 and leaves then, exactly as R's
    ``survfit`` treats it; a censored 0 only leaves the risk set.

    References
    ----------
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis: Techniques
    for Censored and Truncated Data* (2nd ed.), ch. 3 (censoring). Springer.

    Examples
    --------
    >>> c = pd.DataFrame({"start": ["2025-01-01", "2025-01-01"], "end": ["2025-03-02", None]},
    ...                  index=pd.Index([2, 3], name="row"))
    >>> s = survival_data(c, observed_until="2025-12-31", time_unit="days")
    >>> s[["duration", "event"]].to_dict("list")
    {'duration': [60.0, 364.0], 'event': [1, 0]}
    """
    check_option("time_unit", time_unit, TIME_UNITS)
    file = source_name(customers)
    problems: list[Problem] = []
    out = customers.copy()

    def report(mask, column, reason, expected, hint):
        problems.extend(cell_problem(file, customers.index, i, column, customers[column].loc[i], reason,
                                     expected=expected, hint=hint) for i in customers.index[mask.to_numpy()])

    if tenure is not None:
        if churned is None:
            raise UxcxError("tenure= needs churned= too: the 0/1 column saying which customers left")
        require(customers, [tenure, churned])
        duration = pd.to_numeric(customers[tenure], errors="coerce").astype(float)
        for mask, reason in ((duration.isna(), "missing or not a number"), (duration < 0, "negative tenure")):
            report(mask, tenure, reason, f"a number >= 0 ({time_unit})",
                   "correct the cell, or drop the customer")
        flag = customers[churned]
        if flag.dtype == bool or str(flag.dtype) == "boolean":
            flag = flag.astype("Float64")
        event = pd.to_numeric(flag, errors="coerce").astype(float)
        report(~event.isin([0.0, 1.0]), churned, "churn flag must be 0 or 1",
               "1 (left) or 0 (still a customer)",
               "map the values in the study file (values: {churned: {Yes: 1, No: 0}})")
    else:
        require(customers, [start, end])
        begin = _dates(customers, start, problems, file)
        stop = _dates(customers, end, problems, file)
        if observed_until is None:
            until = max(begin.max(), stop.max())
            if pd.isna(until):
                raise DataError([Problem(file, None, start, None, "no dates to analyse",
                                         expected="start dates", hint="fill the start column")])
            warnings.warn(f"observed_until not given: customers still active are censored at the latest "
                          f"date in the data, {until.date()}; pass observed_until= to set it",
                          UxcxWarning, stacklevel=2)
        else:
            until = pd.Timestamp(observed_until)
        day = until.date()
        later = "correct the date, or pass a later observed_until"
        blank = customers[start].isna() | (customers[start].astype(str).str.strip() == "")
        report(blank, start, "missing start date", "a start date",
               "fill in the start date, or drop the customer")
        report(stop < begin, end, "churn date before the start date", "a date on or after the start date",
               "check the two dates (swapped?)")
        report(stop > until, end, f"churn date after observed_until ({day})", f"a date on or before {day}",
               later)
        report(stop.isna() & (begin > until), start, f"start after observed_until ({day})",
               f"a date on or before {day}", later)
        event = stop.notna().astype(float)
        days = (stop.fillna(until) - begin).dt.days.astype(float)
        duration = days if time_unit == "days" else days / DAYS_PER_MONTH
        out.attrs["observed_until"] = day.isoformat()
    if problems:
        problems.sort(key=lambda p: (p.row is None, p.row or 0))
        raise DataError(problems)
    out["duration"] = duration.to_numpy(dtype=float)
    out["event"] = event.to_numpy().astype(np.int64)
    out.attrs["time_unit"] = time_unit
    return out
