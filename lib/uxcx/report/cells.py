"""Cells for people: each value of a result frame as a reader reads it in a table.

The text of one cell, built row by row because a result frame mixes kinds in
one column (a completion rate above a time ratio): a row's kind (a proportion
as a percentage, a difference of two in points, an NPS, a count, a number), the
decimals its interval's width calls for (never "10 to 10"), thousands
separators and a true minus (never "−0"), p-values as APA writes them ("< .001"),
the test statistic with its letter and df ("t(149) = −3.50"), an interval as
one cell ("35% to 68%"), and method names tidied and shortened with footnotes.
:mod:`uxcx.report.tables` lays these cells out as a table. The cells are made in
:mod:`uxcx.report.cells_text` (single cells), :mod:`uxcx.report.cells_rows` (row kinds
and decimals) and :mod:`uxcx.report.cells_methods` (method names), gathered here.

Examples
--------
>>> import pandas as pd
>>> r = pd.DataFrame({"term": ["completion", "time ratio"], "estimate": [0.517, 1.234],
...                   "ci_low": [0.346, 1.02], "ci_high": [0.683, 1.49], "statistic": [-3.5, 2.1],
...                   "df": [149, 40], "method": ["adjusted-wald", "Welch t test"]})
>>> kinds = row_kinds(r)
>>> kinds
['percent', 'number']
>>> estimates(r, kinds), intervals(r, kinds)
(['52%', '1.23'], ['35% to 68%', '1.02 to 1.49'])
>>> statistics(r)[1]
't(40) = 2.10'
"""

from __future__ import annotations

from uxcx.report.cells_methods import NAMES, SHORT, methods
from uxcx.report.cells_rows import (
           column_numbers,
           effects,
           estimates,
           intervals,
           row_kinds,
           statistics,
           with_interval,
)
from uxcx.report.cells_text import (
           DASH,
           MINUS,
           caption_value,
           ci_label,
           humane,
           number,
           numbers,
           p_cell,
           single,
           texts,
)

__all__ = ["MINUS", "DASH", "SHORT", "NAMES", "number", "numbers", "p_cell", "ci_label", "row_kinds",
           "estimates", "intervals", "column_numbers", "with_interval", "statistics", "effects", "methods",
           "texts", "humane", "single", "caption_value"]
