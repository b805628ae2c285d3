"""The data dictionary's checks on a source after reading, vectorised, as pandera reports them.

:func:`failure_cases` gives what ``frame_schema(source, roles).validate(frame, lazy=True)``
(:func:`uxcx.study.schema.frame_schema`) puts in ``SchemaErrors.failure_cases``: the same rows,
columns, dtypes and order, so the ledger's problems are unchanged. It computes the checks
itself (a range and whole-number test per numeric column, missing required keys, repeated
keys), which costs a few milliseconds a column, and builds pandera's frame only from the
cells that fail; pandera spends about 0.6 s on a million rows. Where a checked column holds
no plain numbers, pandera itself runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.study.schema import SOURCES, Role

__all__ = ["failure_cases", "CASE_COLUMNS"]

#: The columns of pandera's failure cases (``pandera.backends.pandas.error_formatters``).
CASE_COLUMNS = ["schema_context", "column", "check", "check_number", "failure_case", "index"]


def failure_cases(frame: pd.DataFrame, source: str, roles: dict[str, Role]) -> pd.DataFrame:
    """The failure cases of the source's pandera schema on ``frame`` (empty when all pass).

    Examples
    --------
    >>> from uxcx.study.schema import role
    >>> frame = pd.DataFrame({"respondent": pd.array(["a", "a"], dtype="string"), "nps": [11.0, 9.0]})
    >>> failure_cases(frame, "survey", {"respondent": role("respondent"), "nps": role("nps")}
    ...               )[["column", "check", "index"]].values.tolist()
    [['respondent', 'multiple_fields_uniqueness', 1], ['nps', 'out of range', 0]]
    """
    spec = SOURCES[source]
    checked = {name: r for name, r in roles.items()
               if r.low is not None or r.high is not None or r.integer}
    if not all(_plain_numbers(frame[name]) for name in checked if name in frame):
        return _pandera_cases(frame, source, roles)
    parts = []
    unique = [k for k in spec.unique if k in roles]
    subset = [k for k in unique if k in frame] if len(unique) == len(spec.unique) else []
    if subset:
        parts += _duplicates(frame, subset)
    for name, r in roles.items():
        required = name in spec.required
        if name not in frame or not (name in checked or required):
            continue
        column = frame[name]
        if required and column.hasnans:
            parts.append(_cases(column[column.isna()], name, "Column", "not_nullable", None))
        if name not in checked:
            continue
        missing = np.isnan(column.to_numpy(dtype="float64"))  # pandera: a missing value fails no check
        for number, (check, passed) in enumerate(_checks(column.to_numpy(), r)):
            failed = ~(passed | missing)
            if failed.any():
                parts.append(_cases(column[failed], name, "Column", check, number))
    if not parts:
        return pd.DataFrame(columns=CASE_COLUMNS)
    return pd.concat(parts).reset_index(drop=True).sort_values("schema_context", ascending=False)


def _plain_numbers(column: pd.Series) -> bool:
    return isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiu"


def _checks(values: np.ndarray, r: Role):
    """(check name, mask of cells that pass) for each of the role's checks, in schema order."""
    from uxcx.study.schema import NOT_WHOLE, OUT_OF_RANGE

    with np.errstate(invalid="ignore"):
        if r.low is not None or r.high is not None:
            low = -np.inf if r.low is None else r.low
            high = np.inf if r.high is None else r.high
            above = values > low if r.positive else values >= low
            yield OUT_OF_RANGE, above & (values <= high)
        if r.integer:
            yield NOT_WHOLE, values % 1 == 0


def _duplicates(frame: pd.DataFrame, subset: list[str]) -> list[pd.DataFrame]:
    """pandera's uniqueness cases (every repeat after the first, missing values left out)."""
    if len(subset) == 1 and frame[subset[0]].is_unique:  # one hash pass, cheaper than duplicated
        return []
    repeated = frame.duplicated(subset=subset, keep="first")
    if not repeated.any():
        return []
    cases = frame.loc[repeated, subset].unstack().reset_index()
    cases.columns = ["column", "index", "failure_case"]
    cases = cases.dropna()
    return [cases.assign(schema_context="DataFrameSchema", check="multiple_fields_uniqueness",
                         check_number=None)[CASE_COLUMNS]]


def _cases(failed: pd.Series, name: str, context: str, check: str, number) -> pd.DataFrame:
    cases = failed.rename("failure_case")
    cases.index.name = "index"
    cases = cases.reset_index()
    return cases.assign(column=name, schema_context=context, check=check,
                        check_number=number)[CASE_COLUMNS]


def _pandera_cases(frame: pd.DataFrame, source: str, roles: dict[str, Role]) -> pd.DataFrame:
    import pandera.pandas as pa

    from uxcx.study.schema import frame_schema

    try:
        frame_schema(source, roles).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases
    return pd.DataFrame(columns=CASE_COLUMNS)
