"""Joining sources at the right level: one row per person before any join.

A usability sheet has one row per participant x task; between-subjects
attributes (design, device, customer) repeat on every row of a participant.
:func:`participants` takes them once per participant, :func:`participant_measures`
aggregates the task rows per participant, :func:`respondent_measures` adds the
per-person indices of a survey, and :func:`join_measures` joins two per-person
tables through a key while the ledger records who matched.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.checks import check_option
from uxcx.errors import UxcxError
from uxcx.study.ledger import LinkCoverage

__all__ = ["participants", "with_participant_columns", "participant_measures", "respondent_measures",
           "join_measures", "per_key", "questionnaire_frame", "ux_levels", "customer_ux", "usability_source"]


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


# --- measures per person, and the joins between sources ------------------------------

_UX_TASK = {"success": "success_rate", "time_s": "time_s", "errors": "errors_per_task",
            "clicks": "clicks_per_task", "seq": "seq_mean"}


def participant_measures(usability: pd.DataFrame, questionnaire: pd.DataFrame | None = None, *,
                         subject: str = "participant", partial_success: float = 0.5) -> pd.DataFrame:
    """UX measures of every participant: task rows aggregated first, questionnaire scores joined.

    Correlating a person's SUS with their task times needs one row per person:
    the task rows (participant x task) are aggregated per participant before any join,
    so a participant with five tasks does not count five times.

    Parameters
    ----------
    usability : DataFrame
        Task rows with ``subject`` and any of ``success``, ``time_s``, ``errors``,
        ``clicks``, ``seq``.
    questionnaire : DataFrame, optional
        One row per participant with ``sus_1..sus_10`` and/or ``umux_lite_1/2``.
    subject : str
        The participant column.
    partial_success : {0, 0.5, 1}
        What a partial success (0.5) counts as (the study's ``analysis.partial_success``;
        the rule of :func:`uxcx.ux.completion.partial_credit`).

    Returns
    -------
    DataFrame
        Indexed by ``subject``: ``tasks`` (attempts), ``success_rate`` (mean credit, 0-1),
        ``time_s`` (geometric mean time on task over all attempts, seconds),
        ``errors_per_task``, ``clicks_per_task``, ``seq_mean`` (those whose columns exist),
        ``sus`` and ``umux_lite`` (0-100) from the questionnaire, and the columns constant
        within a participant (design, device, customer, ...).

    Notes
    -----
    Time is summarised by the geometric mean because task times are right-skewed
    (Sauro & Lewis 2016, ch. 3); the mean of log times is the natural per-person summary
    to correlate. Participants in only one of the two sources keep missing values there.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.). Morgan Kaufmann.

    Examples
    --------
    >>> u = pd.DataFrame({"participant": ["P1", "P1", "P2", "P2"], "task": ["a", "b", "a", "b"],
    ...                   "success": [1, 0.5, 0, 1], "time_s": [10.0, 40.0, 20.0, 20.0]})
    >>> participant_measures(u)[["tasks", "success_rate", "time_s"]].round(2).to_dict("list")
    {'tasks': [2, 2], 'success_rate': [0.75, 0.5], 'time_s': [20.0, 20.0]}
    """
    from uxcx.ux.completion import partial_credit
    from uxcx.ux.questionnaires import sus_score
    from uxcx.ux.short_questionnaires import umux_lite_score

    frame = usability.copy()
    if "success" in frame:
        frame["success"] = partial_credit(frame["success"], partial_success)
    if "time_s" in frame:
        frame["time_s"] = np.log(frame["time_s"].where(frame["time_s"] > 0))
    present = {c: name for c, name in _UX_TASK.items() if c in frame}
    groups = frame.groupby(subject, sort=True, observed=True)
    out = groups[list(present)].mean().rename(columns=present)
    out.insert(0, "tasks", groups.size())
    if "time_s" in out:
        out["time_s"] = np.exp(out["time_s"])
    out = out.join(participants(usability, subject=subject).drop(columns=list(_UX_TASK), errors="ignore"))
    if questionnaire is not None:
        scores = pd.DataFrame(index=questionnaire[subject])
        if all(f"sus_{i}" in questionnaire for i in range(1, 11)):
            scores["sus"] = sus_score(questionnaire).to_numpy()
        if {"umux_lite_1", "umux_lite_2"} <= set(questionnaire.columns):
            scores["umux_lite"] = umux_lite_score(questionnaire).to_numpy()
        scores = scores[~scores.index.duplicated()]
        out = out.join(scores, how="outer")
        out.index.name = subject
    return out


def respondent_measures(survey: pd.DataFrame) -> pd.DataFrame:
    """The survey with per-person UX and CX measures added (the caller's frame is not changed).

    Adds, where the items exist: ``sus`` (0-100, Brooke 1996, when all ten items are in the
    survey), ``umux_lite`` (0-100, Lewis et al. 2013), ``ease`` (mean
    of the ``ease_*`` items), ``loyalty`` (mean of the ``loyalty_*`` items), ``promoter``
    (1 when ``nps`` >= 9, else 0) and ``nps_group`` (detractor / passive / promoter;
    Reichheld 2003). A multi-item mean needs every item answered (else missing), so a
    person's index is never made from a different set of questions.

    References
    ----------
    Lewis, J. R., Utesch, B. S., & Maher, D. E. (2013). UMUX-LITE: When there's no time for
    the SUS. *Proceedings of CHI 2013*, 2099-2102.

    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12).

    Examples
    --------
    >>> s = pd.DataFrame({"nps": [10, 7, 3], "ease_a": [7, 4, 1], "ease_b": [5, 4, None]})
    >>> respondent_measures(s)[["ease", "promoter", "nps_group"]].to_dict("list")
    {'ease': [6.0, 4.0, nan], 'promoter': [1.0, 0.0, 0.0], 'nps_group': ['promoter', 'passive', 'detractor']}
    """
    from uxcx.cx.nps import nps_category
    from uxcx.ux.questionnaires import sus_score
    from uxcx.ux.short_questionnaires import umux_lite_score

    out = survey.copy()
    if all(f"sus_{i}" in out for i in range(1, 11)):
        out["sus"] = sus_score(out)
    if {"umux_lite_1", "umux_lite_2"} <= set(out.columns):
        out["umux_lite"] = umux_lite_score(out)
    for family in ("ease", "loyalty"):
        items = [c for c in out.columns if c.startswith(f"{family}_")]
        if items:
            out[family] = out[items].mean(axis=1, skipna=False)
    if "nps" in out:
        out["promoter"] = (out["nps"] >= 9).astype(float).where(out["nps"].notna())
        out["nps_group"] = nps_category(out).astype(object).where(out["nps"].notna())
    return out


def join_measures(left: pd.DataFrame, right: pd.DataFrame, *, on: str, names=("left", "right"),
                  ledger=None, how: str = "left") -> pd.DataFrame:
    """Join two per-person frames on a key, and account for who matched.

    ``right`` must hold at most one row per key (aggregate first); a key repeated there is
    an error rather than a silent multiplication of rows. The matched and unmatched key
    counts of both sides go into ``ledger.joins`` (when a :class:`~uxcx.study.ledger.Ledger` is
    given) as a :class:`~uxcx.study.ledger.LinkCoverage`, so the report can show them.

    Parameters
    ----------
    left, right : DataFrame
        ``on`` may be a column or the index name.
    on : str
        The key (e.g. ``customer``).
    names : (str, str)
        How the two sides are called in the ledger (e.g. ``("participants", "survey")``).
    ledger : Ledger, optional
    how : {"left", "inner"}
        Keep every row of ``left`` (missing values where unmatched) or only matched rows.

    Examples
    --------
    >>> a = pd.DataFrame({"customer": ["C1", "C2", None], "sus": [80, 60, 70]})
    >>> b = pd.DataFrame({"customer": ["C1", "C3"], "nps": [9, 4]})
    >>> join_measures(a, b, on="customer")["nps"].tolist()
    [9.0, nan, nan]
    """
    check_option("how", how, ("left", "inner"))
    lkey = _key(left, on, names[0])
    rkey = _key(right, on, names[1])
    repeated = rkey[rkey.duplicated() & rkey.notna()]
    if len(repeated):
        raise UxcxError(f"{names[1]} has more than one row for {len(repeated.unique())} {on} key(s), e.g. "
                        f"{repeated.iloc[0]!r}; aggregate it to one row per {on} before joining")
    right_cols = right.reset_index() if on not in right.columns else right
    right_cols = right_cols[[on, *[c for c in right_cols.columns if c != on and c not in left.columns]]]
    out = left.reset_index() if on not in left.columns and left.index.name == on else left
    index = out.index
    out = out.merge(right_cols, on=on, how="left", validate="many_to_one").set_axis(index)
    if on not in left.columns and left.index.name == on:
        out = out.set_index(on)
    out.attrs = dict(left.attrs)  # e.g. the time unit of survival data
    matched = lkey.isin(rkey.dropna())
    if ledger is not None:
        lk, rk = pd.Index(lkey.dropna().unique()), pd.Index(rkey.dropna().unique())
        ledger.joins = [j for j in ledger.joins if j.name != f"{names[0]} -> {names[1]}"]
        ledger.joins.append(LinkCoverage(names[0], names[1], len(lk), int(lk.isin(rk).sum()),
                                         len(rk), int(rk.isin(lk).sum())))
    return out[matched.to_numpy()] if how == "inner" else out


def _key(frame: pd.DataFrame, on: str, name: str) -> pd.Series:
    if on in frame.columns:
        return frame[on]
    if frame.index.name == on:
        return frame.index.to_series()
    raise UxcxError(f"{name} has no {on!r} column to join on; it has {list(frame.columns)}")


def per_key(frame: pd.DataFrame, *, on: str) -> pd.DataFrame:
    """One row per ``on`` key: numeric columns averaged, ``responses`` counted (rows without a key left out).

    Examples
    --------
    >>> per_key(pd.DataFrame({"customer": ["C1", "C1", "C2"], "nps": [10, 8, 3]}), on="customer").to_dict()
    {'nps': {'C1': 9.0, 'C2': 3.0}, 'responses': {'C1': 2, 'C2': 1}}
    """
    numeric = frame.select_dtypes("number").columns.drop(on, errors="ignore")
    groups = frame.dropna(subset=[on]).groupby(on, sort=True, observed=True)
    out = groups[list(numeric)].mean()
    out["responses"] = groups.size()
    return out


def questionnaire_frame(study, usability: pd.DataFrame | None = None) -> pd.DataFrame | None:
    """The per-person answers that hold SUS or UMUX-Lite items, or None.

    The ``questionnaire`` source when it has the items (with the participant columns of
    the task rows, such as the design, added), else the ``survey`` source when the
    questionnaire was asked there (one row per respondent).
    """
    sus = {f"sus_{i}" for i in range(1, 11)}
    umux = {"umux_lite_1", "umux_lite_2"}
    for name in ("questionnaire", "survey"):
        frame = study.frames.get(name)
        if frame is None or not len(frame) or not (sus <= set(frame) or umux <= set(frame)):
            continue
        if name == "questionnaire" and usability is not None and len(usability) and "participant" in frame:
            return with_participant_columns(frame, usability)
        return frame
    return None


def ux_levels(values: pd.Series, *, labels=("Low", "Middle", "High")) -> pd.Series:
    """Thirds of a UX measure (by rank, so ties on a short scale still give three groups).

    A 0/1 measure (self-reported success) gives two levels instead, "Did not" and "Completed".

    >>> ux_levels(pd.Series([1, 2, 3, 4, 5, 6])).tolist()
    ['Low', 'Low', 'Middle', 'Middle', 'High', 'High']
    >>> ux_levels(pd.Series([1, 0, None])).tolist()
    ['Completed', 'Did not', nan]
    """
    known = values.dropna()
    if set(known.unique()) <= {0, 1}:
        return values.map({1: "Completed", 0: "Did not"})
    ranks = values.rank(method="first")
    return pd.qcut(ranks, len(labels), labels=list(labels)).astype(object).where(values.notna())


def usability_source(study) -> pd.DataFrame | None:
    """The study's task rows: its usability source, else the behaviour measured from its event log.

    A study with an ``events:`` block but no usability test has one row per person × task of
    the log (``study.frames["behaviour"]``, :mod:`uxcx.study.events`) under the usability roles
    (``task``, ``success``, ``time_s``, ``errors``, ``clicks``, ``abandoned`` and the id), so it is
    read as the usability source; a log keyed by customer gains a ``participant`` column equal
    to the customer, as a usability sheet with a customer key has both. A study with a usability
    test keeps it (a test and a log measure different people and tasks): None without either.
    """
    usability = study.frames.get("usability")
    behaviour = study.frames.get("behaviour")
    if (usability is not None and len(usability)) or behaviour is None or not len(behaviour):
        return usability
    if "participant" not in behaviour and "customer" in behaviour:
        behaviour = behaviour.assign(participant=behaviour["customer"])
    return behaviour


def customer_ux(study, items=None) -> tuple[pd.DataFrame, str]:
    """One UX score per customer, and what it is in words; an empty frame when the study has none.

    The survey's UX index (the standardised mean of ``items``, by default the UX index items
    the study names or the UMUX-Lite, SUS, ease and ux items present) when the survey has a
    customer key; else the usability test's per-participant SUS, UMUX-Lite or success rate,
    when the task rows carry a customer key; without a usability test, the task success rate
    measured from the event log (:func:`usability_source`). Several answers of one customer are
    averaged.
    """
    from uxcx.cx.scale_reliability import scale_index
    from uxcx.study import plan

    survey = study.frames.get("survey")
    if survey is not None and len(survey) and "customer" in survey:
        answers = respondent_measures(survey)
        chosen = [c for c in (items or plan.index_items(study, answers, "ux_index")) if c in answers]
        if chosen:
            answers["ux"] = scale_index(answers, items=chosen, standardize=True)
            what = ("the mean of the customer's standardised answers to " + ", ".join(chosen)
                    + " (survey)")
            return per_key(answers[["customer", "ux"]], on="customer"), what
    usability = usability_source(study)
    if usability is not None and len(usability) and "customer" in usability:
        people = participant_measures(usability, study.frames.get("questionnaire"),
                                      partial_success=study.analysis.partial_success)
        where = "usability test" if usability is study.frames.get("usability") else "event log's tasks"
        for measure in ("sus", "umux_lite", "success_rate"):
            if measure in people and people[measure].notna().sum() >= 2:
                frame = people[["customer", measure]].rename(columns={measure: "ux"})
                return per_key(frame, on="customer"), f"the customer's {measure} in the {where}"
    return pd.DataFrame(columns=["ux", "responses"]), ""
