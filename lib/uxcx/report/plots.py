"""Figures for the notebooks: one theme (seaborn's look), colour-blind-safe palette.

Each function draws a figure and returns it, so a notebook cell is one call. Every one
takes ``ax=``: given an axes of the researcher's own figure it draws there (a figure of
several panels takes that axes' place in its grid) and returns that figure. Axes name
what they show with the study's display labels (``labels=``, from
:func:`uxcx.study.plan.labels`) and units, and shares are drawn on percent axes, as the
sentences give them. Histograms and heatmaps are seaborn's, imported when first drawn.
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.plots_axes import (
    PALETTE,
    capitalised,
    figure_axes,
    panel_axes,
    term_label,
    theme,
)
from uxcx.report.plots_quality import distributions, ledger_bars, link_bars, missingness_bars
from uxcx.report.plots_results import dot_whisker, likert_bars, nps_bars, sus_bands, trend_chart

__all__ = ["theme", "PALETTE", "figure_axes", "panel_axes", "term_label", "capitalised", "table",
           "ledger_bars", "missingness_bars", "distributions", "link_bars",
           "dot_whisker", "sus_bands", "nps_bars", "likert_bars", "trend_chart"]


def table(frame: pd.DataFrame, *, max_rows: int = 25, note: str = ""):
    """A result frame as a reader sees it: labelled, rounded, captioned, fitting the page.

    One "95% CI" column, proportions as percentages, p-values as "< .001", the
    adjusted one named by its method; what is empty or the same in every row is
    left out or said once beneath; a table longer than ``max_rows`` shows its
    first rows and a note. See :func:`uxcx.report.tables.table`; the CSV
    downloads keep every column.
    """
    from uxcx.report import tables

    return tables.table(frame, max_rows=max_rows, note=note)
