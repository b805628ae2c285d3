"""Joining sources at the right level: per-participant attributes from the task rows.

A usability sheet has one row per participant x task; between-subjects
attributes (design, device, customer) repeat on every row of a participant.
:func:`participants` takes them once per participant, so questionnaire scores
(one row per participant) can be broken down by design or device.
"""

from __future__ import annotations

import pandas as pd

from .errors import UxcxError

__all__ = ["participants", "with_participant_columns"]


def participants(usability: pd.DataFrame, *, subject: str = "participant",
                 columns=None) -> pd.DataFrame:
    """One row per participant with the columns that do not change across their tasks.

    Parameters
    ----------
    usability : DataFrame
        Task rows (participant x task).
    subject : str
        The participant column.
    columns : list of str, optional
        Columns to take; default every column that is constant within each participant
        (design, device, customer, ...).

    Returns
    -------
    DataFrame
        Indexed by ``subject``.

    Raises
    ------
    UxcxError
        A requested column differs between the tasks of a participant (it is a
        within-subjects factor and cannot describe a participant).

    Examples
    --------
    >>> u = pd.DataFrame({"participant": ["P1", "P1", "P2"], "task": ["a", "b", "a"],
    ...                   "design": ["New", "New", "Old"], "seq": [5, 6, 4]})
    >>> participants(u)["design"].to_dict()
    {'P1': 'New', 'P2': 'Old'}
    """
    groups = usability.groupby(subject, sort=True, observed=True)
    varies = groups.nunique(dropna=False).gt(1).any()
    if columns is None:
        columns = [c for c in usability.columns if c != subject and not varies.get(c, True)]
    else:
        moving = [c for c in columns if varies.get(c, False)]
        if moving:
            raise UxcxError(f"{', '.join(moving)} change(s) between the tasks of a participant, so "
                            f"cannot describe a participant; compare them within subjects instead")
    return groups[list(columns)].first()


def with_participant_columns(frame: pd.DataFrame, usability: pd.DataFrame, *,
                             subject: str = "participant", columns=None) -> pd.DataFrame:
    """``frame`` (one row per participant) with the participant columns of ``usability`` added.

    Rows of ``frame`` with no task rows keep missing values there; the caller's frame
    is not changed.
    """
    extra = participants(usability, subject=subject, columns=columns)
    extra = extra[[c for c in extra.columns if c not in frame.columns]]
    out = frame.join(extra, on=subject)
    return out
