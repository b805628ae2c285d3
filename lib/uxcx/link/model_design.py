"""The data behind :func:`uxcx.regress` and :func:`uxcx.vif`: which rows, the outcome coded for its
model, the design matrix with dummy-coded text columns, and clear errors for a design no model can fit
(too few rows, a constant predictor, perfectly collinear predictors).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from uxcx._core.checks import source_name
from uxcx.errors import ModelError, UxcxWarning

__all__ = ["NPS_ORDER", "column_names", "model_outcome", "design_matrix", "check_design", "complete_rows"]

#: NPS categories from lowest to highest, as :func:`uxcx.nps_category` names them.
NPS_ORDER = ("detractor", "passive", "promoter")


def column_names(value, what: str) -> list[str]:
    if value is None:
        return []
    names = [value] if isinstance(value, str) else list(value)
    if len(set(names)) != len(names):
        raise ModelError(f"{what} names a column twice: {names}")
    return names


def _is_text(values: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(values) or isinstance(values.dtype, pd.CategoricalDtype)


def model_outcome(values: pd.Series, kind: str, order, name: str):
    """The kind of model and the outcome coded for it."""
    distinct = pd.unique(values)
    if len(distinct) < 2:
        raise ModelError(f"outcome {name!r} has one value ({distinct[0]!r}) in every row used: there is "
                         f"nothing to explain. Check the filter, or model an outcome that varies.")
    text = _is_text(values) and values.dtype != bool
    ordered = isinstance(values.dtype, pd.CategoricalDtype) and values.dtype.ordered
    nps_like = text and set(map(str, distinct)) <= set(NPS_ORDER)
    if kind == "auto":
        binary = values.dtype == bool or (not text and set(distinct) <= {0, 1})
        if binary:
            kind = "logit"
        elif ordered or nps_like or order is not None:
            kind = "ordinal"
        elif not text:
            kind = "ols"
        else:
            raise ModelError(f"outcome {name!r} is text with levels {sorted(map(str, distinct))[:10]}: pass "
                             f"kind='ordinal' with order=[lowest, ..., highest], or code it 0/1 and pass "
                             f"kind='logit'.")
    if kind == "ols":
        if text:
            raise ModelError(f"kind='ols' needs a numeric outcome; {name!r} is text. Pass kind='ordinal' "
                             f"with order=[...] for ordered categories.")
        return kind, values.astype(float)
    if kind == "logit":
        if values.dtype == bool:
            return kind, values.astype(float)
        if text or not set(distinct) <= {0, 1}:
            raise ModelError(f"kind='logit' needs an outcome coded 0/1 (1 = the event, e.g. promoter); "
                             f"{name!r} has values {sorted(map(str, distinct))[:10]}. Recode it, e.g. "
                             f"(data[{name!r}] >= 9).astype(int) for promoters.")
        return kind, values.astype(float)
    if order is not None:
        levels = list(order)
    elif ordered:
        levels = list(values.dtype.categories)
    elif nps_like:
        levels = list(NPS_ORDER)
    elif not text:
        levels = sorted(distinct)
        if all(float(v).is_integer() for v in levels):
            levels = [int(v) for v in levels]
            values = values.astype("int64")
    else:
        raise ModelError(f"outcome {name!r} holds text without an order; pass order=[lowest, ..., "
                         f"highest] (its levels: {sorted(map(str, distinct))[:10]}).")
    stray = [v for v in distinct if v not in levels]
    if stray:
        raise ModelError(f"outcome {name!r} has values missing from order={levels}: {stray[:10]}")
    coded = pd.Categorical(values, categories=levels, ordered=True).remove_unused_categories()
    return kind, pd.Series(coded, index=values.index, name=name)


def design_matrix(frame: pd.DataFrame, columns: list[str], reference: dict) -> pd.DataFrame:
    """Numeric columns as they are; text columns as dummies ``"col: level vs reference"``."""
    parts = []
    for col in columns:
        values = frame[col]
        if not _is_text(values) or values.dtype == bool:
            parts.append(values.astype(float).rename(col))
            continue
        if isinstance(values.dtype, pd.CategoricalDtype):
            levels = [v for v in values.dtype.categories if (values == v).any()]
        else:
            levels = sorted(pd.unique(values), key=str)
        ref = reference.get(col, levels[0])
        if ref not in levels:
            raise ModelError(f"reference level {ref!r} of {col!r} is not in the data; its levels are "
                             f"{[str(v) for v in levels][:20]}")
        for level in levels:
            if level != ref:
                parts.append((values == level).astype(float).rename(f"{col}: {level} vs {ref}"))
        if len(levels) == 1:
            parts.append(pd.Series(0.0, index=frame.index, name=col))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)


def check_design(X: pd.DataFrame, n_extra: int, what: str) -> None:
    """A clear error for too few rows, a constant predictor, or perfectly collinear predictors."""
    n, k = X.shape
    if n <= k + n_extra:
        raise ModelError(f"{n} rows for {k + n_extra} terms ({what}): a model needs more rows than terms. "
                         f"Use fewer predictors, merge categories, or collect more data.")
    values = X.to_numpy()
    constant = [c for c, col in zip(X.columns, values.T) if np.ptp(col) == 0]
    if constant:
        raise ModelError(f"predictor(s) {constant} have the same value in every row used, so they cannot "
                         f"explain anything; drop them.")
    basis = [np.ones(n)]
    names: list[str] = ["the intercept"]
    for name, col in zip(X.columns, values.T):
        B = np.column_stack(basis)
        coef, *_ = np.linalg.lstsq(B, col, rcond=None)
        residual = col - B @ coef
        if np.linalg.norm(residual) <= 1e-9 * max(np.linalg.norm(col), 1.0):
            involved = [nm for nm, c in zip(names, coef) if abs(c) > 1e-9] or names
            raise ModelError(f"predictors are perfectly collinear: {name!r} is an exact linear combination "
                             f"of {', '.join(map(repr, involved))}. Drop one of them or combine them into "
                             f"one index.")
        basis.append(col)
        names.append(name)


def complete_rows(data, outcome, columns, what):
    """The rows with every needed value present (listwise), with a warning naming what was dropped."""
    used = data[[*([outcome] if outcome else []), *columns]]
    keep = used.notna().all(axis=1)
    if not keep.all():
        gaps = used.isna().sum()
        gaps = ", ".join(f"{c} ({k})" for c, k in gaps[gaps > 0].items())
        warnings.warn(f"{int((~keep).sum())} of {len(used)} rows of {source_name(data)} left out of the "
                      f"{what} for missing values in: {gaps}", UxcxWarning, stacklevel=3)
    return used[keep]
