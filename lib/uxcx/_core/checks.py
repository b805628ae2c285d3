"""Checks of arguments shared by every analysis module: options, confidence levels, names.

Each raises the kit's own error with the parameter, what is allowed and what
was given (as seaborn's ``_check_argument`` does), never an ``assert``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from uxcx.errors import UxcxError

__all__ = ["ALTERNATIVES", "check_option", "check_level", "source_name"]

ALTERNATIVES = ("two-sided", "less", "greater")


def check_option(name: str, value, allowed: Sequence, *, error: type[UxcxError] = UxcxError) -> None:
    """Raise ``error`` naming the parameter, the allowed values and the value given.

    >>> check_option("method", "wald", ("wilson", "exact"))
    Traceback (most recent call last):
    ...
    uxcx.errors.UxcxError: method must be one of 'wilson', 'exact'; got 'wald'
    """
    if value not in allowed:
        raise error(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def check_level(confidence_level, *, error: type[UxcxError] = UxcxError) -> float:
    """The confidence level as a float strictly between 0 and 1, or an error that says so.

    >>> check_level(0.9)
    0.9
    """
    try:
        level = float(confidence_level)
    except (TypeError, ValueError):
        level = np.nan
    if isinstance(confidence_level, bool) or not 0 < level < 1:
        raise error(f"confidence_level must be a number between 0 and 1 (such as 0.95 for a 95% "
                    f"interval); got {confidence_level!r}")
    return level


def source_name(data: pd.DataFrame) -> str:
    """What to call a frame in a message: its ``attrs["source"]`` if set, else "the data"."""
    return str(data.attrs.get("source", "the data"))
