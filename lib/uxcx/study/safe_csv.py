"""Tables a spreadsheet opens safely: no cell runs as a formula (CSV injection).

:func:`safe_table` neutralises cells that a spreadsheet would run as a formula before a
table is exported; :func:`write_csv` writes a table as CSV after it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["safe_table", "write_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table that a spreadsheet opens without running any cell as a formula.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        The same table; in text columns (and the header) every cell that starts
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gains a
        leading single quote, unless it is a plain number such as ``-3.5``.
        Numeric columns are unchanged, so negative numbers stay numbers.

    Notes
    -----
    Spreadsheet programs treat a cell beginning with one of those characters as
    a formula, so a respondent's answer such as ``=HYPERLINK(...)`` could run
    when a researcher opens an exported CSV (OWASP, "CSV Injection"). OWASP's
    advice is to prefix such cells with a single quote, which Excel, LibreOffice
    and Google Sheets show as text. Use it on every table the kit writes as CSV
    or XLSX.

    References
    ----------
    OWASP Foundation. *CSV Injection*.
    https://owasp.org/www-community/attacks/CSV_Injection (accessed 2025).

    Examples
    --------
    >>> t = pd.DataFrame({"answer": ["=1+2", "-3", "@SUM(A1)", "fine"], "delta": [-1.5, 2, 0, 1]})
    >>> safe_table(t).to_dict("list")
    {'answer': ["'=1+2", '-3', "'@SUM(A1)", 'fine'], 'delta': [-1.5, 2.0, 0.0, 1.0]}
    """
    out = frame.copy()
    changed = {}
    for at in range(out.shape[1]):
        column = out.iloc[:, at]
        if pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
            changed[at] = _neutralise(column)
    for at, column in changed.items():
        out.isetitem(at, column)
    if out.columns.dtype == object:
        out.columns = [_neutral_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _neutralise(column: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
        is_text = column.notna().to_numpy(dtype=bool)
    else:
        is_text = np.fromiter((isinstance(v, str) for v in column), dtype=bool, count=len(column))
    at = np.flatnonzero(is_text)
    if not len(at):
        return column
    text = column.iloc[at].astype(str)
    risky = (text.str.startswith(_FORMULA_START) & ~text.str.fullmatch(_PLAIN_NUMBER)).to_numpy(bool)
    if not risky.any():
        return column
    out = column.astype(object).copy()
    out.iloc[at[risky]] = ("'" + text[risky]).to_numpy(dtype=object)
    return out


def _neutral_cell(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write a table as CSV (UTF-8, no index) after :func:`safe_table`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"answer": ["=cmd"], "delta": [-2]}), path)
    >>> path.read_text().splitlines()
    ['answer,delta', "'=cmd,-2"]
    """
    safe_table(frame).to_csv(path, index=False, encoding="utf-8")
