"""Sections of a notebook that run only when the study has their inputs.

A notebook serves any study whose file validates: a section whose inputs are
missing is left out with one sentence saying why, never an exception. Each
notebook keeps one :class:`Sections`; its ``skipped`` mapping goes into the
notebook's results so the report can say what was left out.
"""

from __future__ import annotations

import html

__all__ = ["Sections"]


class Sections:
    """Which sections of a notebook ran, and why the others were left out.

    >>> sections = Sections(display=False)
    >>> sections.run("Task time", "")
    True
    >>> sections.run("Comparing designs", "the usability source has one design only")
    False
    >>> sections.skipped
    {'Comparing designs': 'the usability source has one design only'}
    """

    def __init__(self, *, display: bool = True):
        self.skipped: dict[str, str] = {}
        self._display = display

    def run(self, name: str, missing: str | None) -> bool:
        """True when the section can run (``missing`` empty); else say why it is left out."""
        if not missing:
            return True
        self.skipped[name] = missing
        if self._display:
            from IPython.display import HTML, display

            display(HTML(f"<p class='uxcx-skipped'><em>{html.escape(name)} is left out: "
                         f"{html.escape(missing)}.</em></p>"))
        return False
