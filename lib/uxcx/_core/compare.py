"""Shared machinery of the design comparisons: checking arguments, splitting a long
frame into the two samples being compared, and adjusting p-values.

The checks of columns and values are those of :mod:`uxcx._core.checks` (``require``,
``numeric``); :class:`~uxcx.errors.ComparisonError` lives in :mod:`uxcx.errors` and is
re-exported here for code that imported it from this module.

:mod:`uxcx.ux.compare` holds the public tests; this module holds what they share so
each stays readable. Nothing here is specific to one metric.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core import checks, padjust
from uxcx._core.checks import ALTERNATIVES, P_ADJUST_METHODS, check_option, numeric, require
from uxcx._core.docs import fill_doc
from uxcx._core.pvalues import finish_p, norm_log_p
from uxcx._core.results import result_frame
from uxcx.errors import ComparisonError, UxcxWarning

__all__ = ["ComparisonError", "adjust_p", "P_ADJUST_METHODS", "ALTERNATIVES", "check_choice", "check_level",
           "z_crit", "p_from_z", "p_log10_from_z", "comparison_frame", "two_levels", "pick_reference", "term",
           "split_groups", "run_by_task"]


def check_choice(name: str, value, allowed) -> None:
    """Raise a :class:`ComparisonError` naming the parameter, the allowed values and the value."""
    check_option(name, value, allowed, error=ComparisonError)


def check_level(confidence_level) -> float:
    """The confidence level, or a :class:`ComparisonError` that says what is wrong."""
    return checks.check_level(confidence_level, error=ComparisonError)


def z_crit(confidence_level: float) -> float:
    """The two-sided normal critical value, e.g. 1.96 for 0.95."""
    return float(stats.norm.ppf(0.5 + confidence_level / 2))


def p_from_z(z: float, alternative: str) -> float:
    """Normal p-value of ``z`` for the alternative (``greater``: the minuend is larger).

    Computed in log space, so it is never 0 (see :func:`p_log10_from_z` for its log10).

    >>> p_from_z(1.96, "two-sided") == p_log10_from_z(1.96, "two-sided")[0]
    True
    """
    return p_log10_from_z(z, alternative)[0]


def p_log10_from_z(z: float, alternative: str) -> tuple[float, float]:
    """``(p_value, log10_p_value)`` of a normal statistic, by :func:`uxcx._core.pvalues.norm_log_p`.

    >>> p, log10 = p_log10_from_z(40.0, "two-sided")
    >>> p > 0, round(log10, 2)
    (True, -349.14)
    """
    return finish_p(norm_log_p(z, alternative))


def comparison_frame(data: pd.DataFrame, value: str, param: str, *, by: str, subject: str | None,
                     task: str | None, need_subject: bool = True, expected: str = "a number",
                     **rules) -> pd.DataFrame:
    """The columns a comparison uses, checked, with ``value`` as numbers and incomplete rows dropped.

    Every missing column (``subject`` only when ``need_subject``) and every bad cell of
    ``value`` (not a number, or breaking ``rules``: ``allowed``, ``minimum``, ``strict``
    of :func:`uxcx._core.checks.numeric`) is reported in one :class:`~uxcx.errors.DataError`.
    Rows without a value or a group are left out; the caller's frame is not changed.
    """
    require(data, {param: value, "by": by, "subject": subject if need_subject else None, "task": task})
    keep = [c for c in dict.fromkeys([by, subject, task, value]) if c is not None and c in data.columns]
    frame = data[keep].copy()
    frame[value] = numeric(frame, value, param, expected=expected, **rules)
    return frame.dropna(subset=[value, by])


def two_levels(values: pd.Series, by: str, reference) -> tuple:
    """(minuend, reference) levels of ``by``; the reference is subtracted.

    The default reference is the first level in sorted order, so the result does
    not depend on the order of the rows.
    """
    levels = sorted(pd.unique(values.dropna()), key=str)
    if len(levels) != 2:
        raise ComparisonError(f"by={by!r} must have exactly two groups to compare; it has {len(levels)}: "
                              f"{[str(v) for v in levels][:10]}. Filter the data to two groups first.")
    reference = pick_reference(levels, reference, by)
    other = levels[1] if reference == levels[0] else levels[0]
    return other, reference


def pick_reference(levels: list, reference, by: str):
    """The reference level: the one asked for, or the first in sorted order; an error if absent."""
    if reference is None:
        return levels[0]
    if reference not in levels:
        raise ComparisonError(f"reference={reference!r} is not a level of by={by!r}; the levels are "
                              f"{[str(v) for v in levels]}.")
    return reference


def term(other, reference) -> str:
    return f"{other} \u2212 {reference}"


def split_groups(frame: pd.DataFrame, *, value: str, by: str, subject: str | None, paired: bool,
                 levels: tuple, aggregate: str | None, label: str = ""):
    """The two samples of ``value``: (a, b, note) with ``a`` the minuend.

    Unpaired: when subjects contribute several rows to a group and ``aggregate`` is
    "mean", each subject's rows are averaged first (so observations are independent)
    and ``note`` says so. Paired: one value per subject and level (rows averaged when
    ``aggregate`` is "mean", an error otherwise); subjects missing a level are dropped
    with a warning; ``a`` and ``b`` are aligned by subject.
    """
    other, reference = levels
    note = ""
    if paired:
        counts = frame.groupby([subject, by], observed=True)[value].size()
        if (counts > 1).any() and aggregate != "mean":
            raise ComparisonError(f"paired comparison needs one row per {subject} and {by}{label}; some "
                                  f"{subject}s have several. Pass task= to compare task by task.")
        if (counts > 1).any():
            note = f" on {subject} means"
        wide = frame.groupby([subject, by], observed=True)[value].mean().unstack(by)
        wide = wide.reindex(columns=[other, reference])
        complete = wide.dropna()
        if len(complete) < len(wide):
            warnings.warn(f"{len(wide) - len(complete)} {subject}(s){label} lack a value for one of the "
                          f"designs and are left out of the paired comparison.", UxcxWarning, stacklevel=4)
        return complete[other].to_numpy(), complete[reference].to_numpy(), note
    if subject is not None and aggregate == "mean" and frame.duplicated([subject, by]).any():
        frame = frame.groupby([subject, by], observed=True)[value].mean().reset_index()
        note = f" on {subject} means"
    a = frame.loc[frame[by] == other, value].to_numpy(dtype=float)
    b = frame.loc[frame[by] == reference, value].to_numpy(dtype=float)
    return a, b, note


def run_by_task(data: pd.DataFrame, *, task: str | None, kernel, p_adjust: str) -> pd.DataFrame:
    """Apply ``kernel(frame, label)`` to the whole frame or to each task; adjust the p-values."""
    check_choice("p_adjust", p_adjust, P_ADJUST_METHODS)
    if task is None:
        out = result_frame([kernel(data, "")])
    else:
        blank = int(data[task].isna().sum())
        if blank:
            warnings.warn(f"{blank} row(s) have no {task!r} and are left out of the task-by-task comparison.",
                          UxcxWarning, stacklevel=3)
        records = []
        for key, part in data.groupby(task, sort=True, observed=True):
            records.append({task: key, **kernel(part, f" (task {key})")})
        if not records:
            raise ComparisonError("no rows left to compare.")
        out = result_frame(records, groups=[task])
    return adjust_p(out, method=p_adjust)


def adjust_p(frame: pd.DataFrame, method: str = "holm") -> pd.DataFrame:
    """Adjust the ``p_value`` column of a result frame for multiple comparisons.

    Parameters
    ----------
    frame : DataFrame
        A result frame (:func:`uxcx._core.results.result_frame`) with a ``p_value`` column.
    method : {"holm", "fdr_bh", "bonferroni", "none"}
        Holm's step-down family-wise correction (default), Benjamini-Hochberg false
        discovery rate, Bonferroni, or none (``p_adjusted`` equals ``p_value``).

    Returns
    -------
    DataFrame
        A copy with ``p_adjusted`` and ``p_adjust_method`` filled for every row that
        has a p-value (rows without one, such as estimates, are left NaN). The
        caller's frame is not changed.

    Notes
    -----
    All rows with a p-value form one family. Holm (1979) controls the family-wise
    error rate at least as well as Bonferroni and is never less powerful, hence the
    default; use "fdr_bh" (Benjamini & Hochberg 1995) when many metrics or tasks are
    screened and some false discoveries are acceptable. Computed by
    :func:`uxcx._core.padjust.p_adjust`, which equals
    ``statsmodels.stats.multitest.multipletests`` without its per-call garbage collection.

    References
    ----------
    {refs}

    Examples
    --------
    >>> f = result_frame([{"p_value": 0.01}, {"p_value": 0.04}, {"p_value": 0.03}])
    >>> adjust_p(f)["p_adjusted"].round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    check_choice("method", method, P_ADJUST_METHODS)
    if "p_value" not in frame.columns:
        raise ComparisonError("adjust_p needs a result frame with a 'p_value' column.")
    out = frame.copy()
    p = pd.to_numeric(out["p_value"], errors="coerce").to_numpy(dtype=float)
    mask = ~np.isnan(p)
    adjusted = np.full(len(out), np.nan)
    if mask.any():
        adjusted[mask] = padjust.p_adjust(p[mask], method)  # one test: unchanged by every method
    out["p_adjusted"] = adjusted
    out["p_adjust_method"] = pd.Series(np.where(mask, method, None), index=out.index, dtype=object)
    return out


fill_doc(adjust_p, refs=padjust.REFERENCES)
