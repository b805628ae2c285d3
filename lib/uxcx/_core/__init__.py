"""Shared machinery: argument checks, frame helpers, interval formulas, the result schema,
two-sample comparison helpers and effect sizes, multiple-testing adjustment.

Private to the kit: the public names are exported from ``uxcx``.
"""
