"""Value and label maps of a study file: one value per answer, numbers in the loader's form.

The loader (:mod:`uxcx.study.coerce`, :func:`uxcx.io.labels.label_map`) compares answers
ignoring case and spaces, and reads a number cell as the text of that number (``1``,
``0.5``). :func:`answer_map` makes a map say one thing per answer as the loader sees it.
"""

from __future__ import annotations

import math
import re

__all__ = ["answer_map", "plain_number"]


def answer_map(role: str, mapping: dict) -> dict:
    """A value map with one value per answer as the loader compares them, numbers in plain form.

    The loader ignores case and spaces (``Yes`` and ``yes `` are one answer), so two keys
    that differ only so must agree. A number written in another form (``1.0``, ``+1``,
    ``.5``) also matches the cell the data read as that number (``1``, ``0.5``).
    """
    from uxcx.io.labels import normal_label

    seen: dict[str, tuple] = {}
    clashes = []
    for key, value in mapping.items():
        norm = normal_label(key)
        if norm in seen and seen[norm][1] != value:
            clashes.append(f"{seen[norm][0]!r} and {key!r} (mapped to {seen[norm][1]} and {value})")
        seen.setdefault(norm, (key, value))
    if clashes:
        raise ValueError(f"{role}: answers that the loader reads as one (it ignores case and "
                         f"spaces) map to different values: {'; '.join(clashes)}; keep one of each")
    out = dict(mapping)
    for key, value in mapping.items():
        plain = plain_number(key)
        if plain is not None and normal_label(plain) not in seen:
            out[plain] = value
    return out


def plain_number(key) -> str | None:
    """``key`` as the loader writes the number it reads (``1.0`` -> ``1``), if it is one and differs."""
    if not isinstance(key, str) or not re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", key):
        return None
    number = float(key)
    if not math.isfinite(number):
        return None
    plain = str(int(number)) if number.is_integer() else repr(number)
    return plain if plain != key.strip() else None
