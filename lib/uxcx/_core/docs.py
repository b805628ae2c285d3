"""Docstrings shared between functions: one reference list written once, filled in at import.

Under ``python -OO`` docstrings are stripped (``__doc__`` is None); filling must then do nothing.
"""

from __future__ import annotations

__all__ = ["fill_doc"]


def fill_doc(func, **parts):
    """Replace ``{name}`` in ``func.__doc__`` by each part; return ``func`` (usable as a decorator).

    >>> def f():
    ...     '''See {refs}.'''
    >>> fill_doc(f, refs="Sauro & Lewis (2016)").__doc__
    'See Sauro & Lewis (2016).'
    """
    if func.__doc__:
        doc = func.__doc__
        for name, text in parts.items():
            doc = doc.replace("{" + name + "}", text)
        func.__doc__ = doc
    return func
