"""The kit's errors and warnings: one base error, errors that speak to people.

A problem in a researcher's data is a :class:`DataError` carrying every
:class:`Problem` of the file at once (file, row as the spreadsheet numbers it,
column, value, what was expected, how to fix it), never a traceback from deep
inside pandas. A problem in the study file is a :class:`StudyError`. Arguments that
cannot work together for a comparison or a model raise :class:`ComparisonError` or
:class:`ModelError`. Every one of them is a :class:`UxcxError` (and a ``ValueError``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["UxcxError", "StudyError", "DataError", "Problem", "ComparisonError", "ModelError", "UxcxWarning",
           "SmallSampleWarning"]

# How many problems a message lists before summarising the rest.
_SHOWN = 20


class UxcxError(Exception):
    """Base class of every error the kit raises on purpose."""


class StudyError(UxcxError, ValueError):
    """The study file is wrong: unknown key, missing file, bad mapping.

    Parameters
    ----------
    messages : str or list of str
        One sentence per problem, each saying what is wrong and how to fix it.
    path : str, optional
        The study file.
    """

    def __init__(self, messages: str | list[str], path: Any = None):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        self.path = None if path is None else str(path)
        head = f"Study file {self.path}" if self.path else "Study file"
        n = len(self.messages)
        body = "\n".join(f"  - {m}" for m in self.messages)
        super().__init__(f"{head}: {n} problem{'s' if n != 1 else ''}\n{body}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file.

    ``row`` is the row number the user sees in a spreadsheet (header = 1 for
    a file with one header row) or None when the problem is the whole file or
    a whole column.
    """

    file: str
    row: int | None
    column: str | None
    value: Any
    reason: str
    expected: str = ""
    hint: str = ""

    def as_dict(self) -> dict:
        out = asdict(self)
        out["value"] = _show(self.value)
        return out

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = f"{', '.join(where)}: {self.reason}"
        if self.value is not None:
            text += f" (value {_show(self.value)!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        if self.hint:
            text += f". Fix: {self.hint}"
        return text


class DataError(UxcxError, ValueError):
    """A researcher's file cannot be used as it is.

    Holds every problem found in the file, so one run shows them all.

    Parameters
    ----------
    problems : list of Problem
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        n = len(self.problems)
        lines = [str(p) for p in self.problems[:_SHOWN]]
        if n > _SHOWN:
            lines.append(f"... and {n - _SHOWN} more problems of the same kinds")
        head = f"{n} problem{'s' if n != 1 else ''} in {', '.join(files)}"
        super().__init__(head + "\n" + "\n".join(f"  - {line}" for line in lines))


class ComparisonError(UxcxError, ValueError):
    """The data or arguments cannot be compared as asked (not two groups, no such reference, ...)."""


class ModelError(UxcxError, ValueError):
    """The data cannot be modelled as asked (one outcome value, collinear predictors, separation...)."""


class UxcxWarning(UserWarning):
    """A result stands, but on shaky ground (an assumption failed, data are thin)."""


class SmallSampleWarning(UxcxWarning):
    """Too few observations for the estimate to say much."""


def _show(value: Any) -> Any:
    """A value as it can be printed and written to JSON (NaN and NA become None)."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT, pd.NA raise or compare unequal
            return None
    except (TypeError, ValueError):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, (int, float, bool)) else str(value)
