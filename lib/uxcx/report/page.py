"""What every analysis page of the report shares: the study, its settings, sections and findings.

A notebook of the kit is a page: its first cell opens a :class:`Page` (a subclass per
notebook, e.g. :class:`uxcx.report.page_ux_to_cx.UxToCx`), each section's cell is one
method call, and the last cell calls :meth:`Page.finish`. The page keeps what a
researcher working in the notebook wants at hand (``page.study``, ``page.results``,
``page.notes``), and each method decides from the study, not from the sample's names,
whether its section can run (:class:`uxcx.report.sections.Sections` says why not).
"""

from __future__ import annotations

from uxcx.report.sections import Sections

__all__ = ["Page", "show"]


def show(obj) -> None:
    """Display ``obj`` below the cell when running in IPython (a table, a figure, HTML)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with the kit
        return
    if get_ipython() is not None:
        display(obj)


class Page:
    """One notebook's study, settings and what it has found so far.

    Parameters
    ----------
    study : str or Path
        The study file.
    out_dir : str
        Where the results go; empty: ``reports/<study name>/`` of the study's repository.
    name : str
        The notebook's name, as its results file is named (``03_ux_to_cx``).
    """

    def __init__(self, study, out_dir: str = "", *, name: str):
        import uxcx
        from uxcx.report import caveats, plots

        caveats.capture()  # the kit's warnings become caveats below each cell
        plots.theme()
        self.name = name
        self.study = uxcx.load_study(study)
        self.out_dir = out_dir or str(uxcx.report.default_out(self.study.name, self.study.path))
        self.settings = self.study.analysis
        self.options = dict(confidence_level=self.settings.confidence_level)
        self.sections = Sections()
        self.notes: list[str] = []
        self.results: dict = {}

    def finish(self):
        """Save the results and findings (``<name>.json``) and show the findings."""
        import uxcx

        uxcx.save_results(self.out_dir, self.name, findings=self.notes,
                          results={**self.results, "skipped_sections": self.sections.skipped})
        return uxcx.show_findings(self.notes)
