"""Warnings become caveats: a note beside the result a warning concerns, and a list in the JSON.

A notebook's load cell calls :func:`capture`. From then on, a warning of the kit
(:class:`~uxcx.errors.UxcxWarning`, :class:`~uxcx.errors.SmallSampleWarning`) raised while
a cell runs is shown right below that cell's output as a short note, "Caveat: 789
customers censored ...", in the warning's own words: no file path, no warning class, no
line of code. Any other library's warning (a pandas ``FutureWarning``, ...) is kept off
the page and counted. The report runner puts both into the notebook's JSON:
``results["caveats"]`` (one ``{"section", "cell", "text"}`` per caveat, the section being
the heading the cell sits under) and ``results["warnings_suppressed"]`` (a count per
warning class), through :func:`add_to_results`.

Outside a notebook, :class:`Caveats` is a context manager that does the same for a block.
"""

from __future__ import annotations

import html
import json
import os
import re
import warnings
from pathlib import Path

from uxcx.errors import UxcxWarning

__all__ = ["capture", "Caveats", "plain", "note_html", "add_to_results", "RECORD_ENV"]

# The runner names a file here for each notebook's kernel; the kernel writes what it collected there.
RECORD_ENV = "UXCX_CAVEATS_RECORD"

_PATH = re.compile(r"(?:[A-Za-z]:\\|\\\\|(?<![\w.~])/)(?:[^\s:'\"\\/]+[\\/])+([^\s:'\"\\/]+)")
_PLURAL = re.compile(r"\b(\d[\d,]*) ([A-Za-z]+)\(s\)")
_STYLE = ("margin:.3em 0;padding:.4em .8em;border-left:4px solid #b7791f;background:#fffaf0;"
          "color:#3d2c00")
_ACTIVE: dict[int, Caveats] = {}  # id(shell) -> the collector hooked into it


def plain(message) -> str:
    """A warning's text as a reader sees it: folders dropped from paths, "customer(s)" agreed.

    Examples
    --------
    >>> plain("789 customer(s) censored before 12 were left out of /tmp/x/customers.csv")
    '789 customers censored before 12 were left out of customers.csv'
    >>> plain("1 group(s) have too few times")
    '1 group(s) have too few times'
    """
    text = " ".join(str(message).split())
    text = _PATH.sub(r"\1", text)
    return _PLURAL.sub(lambda m: m[0] if m[1] == "1" else f"{m[1]} {m[2]}s", text)


def note_html(texts: list[str]) -> str:
    """The notes shown below a cell: one escaped "Caveat: ..." paragraph per text.

    Examples
    --------
    >>> note_html(["n < 5 & <b>bold</b>"]).split("</strong> ")[1]
    'n &lt; 5 &amp; &lt;b&gt;bold&lt;/b&gt;</div>'
    """
    return "\n".join(f'<div class="uxcx-caveat" role="note" style="{_STYLE}">'
                     f"<strong>Caveat:</strong> {html.escape(t)}</div>" for t in texts)


class Caveats:
    """The kit's warnings of a notebook (or a block) as caveats; other warnings counted.

    Attributes
    ----------
    notes : list of dict
        One ``{"cell": n, "text": ...}`` per caveat, in the order raised; ``cell`` is the
        execution count of the cell that raised it (None outside a notebook). A text
        raised twice in one cell is kept once.
    suppressed : dict
        How many warnings of other libraries were kept off the page, by warning class.

    Examples
    --------
    >>> import warnings
    >>> from uxcx.errors import SmallSampleWarning
    >>> with Caveats() as caveats:
    ...     warnings.warn("12 customer(s) censored before 6", SmallSampleWarning)
    ...     warnings.warn("an old pandas option", FutureWarning)
    >>> caveats.notes
    [{'cell': None, 'text': '12 customers censored before 6'}]
    >>> caveats.suppressed
    {'FutureWarning': 1}
    """

    def __init__(self, *, record: str | os.PathLike | None = None):
        self.notes: list[dict] = []
        self.suppressed: dict[str, int] = {}
        self._record = Path(record) if record else None
        self._catcher = None
        self._log: list = []

    def start(self) -> None:
        """Catch warnings from now on (a no-op when already catching)."""
        if self._catcher is not None:
            return
        self._catcher = warnings.catch_warnings(record=True)
        self._log = self._catcher.__enter__()
        warnings.simplefilter("always", UxcxWarning)  # each cell says its own caveats

    def stop(self, cell: int | None = None) -> list[str]:
        """Stop catching; keep what was caught; return the caveats new since :meth:`start`."""
        if self._catcher is None:
            return []
        catcher, log, self._catcher, self._log = self._catcher, self._log, None, []
        catcher.__exit__(None, None, None)
        new = []
        for caught in log:
            if issubclass(caught.category, UxcxWarning):
                text = plain(caught.message)
                if text and text not in new:
                    new.append(text)
            else:
                name = caught.category.__name__
                self.suppressed[name] = self.suppressed.get(name, 0) + 1
        self.notes += [{"cell": cell, "text": t} for t in new]
        if self._record is not None:
            self._write_record()
        return new

    def _write_record(self) -> None:
        doc = {"caveats": self.notes, "warnings_suppressed": self.suppressed}
        try:
            self._record.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # the runner then finds no record; the notes are on the page all the same

    def __repr__(self) -> str:
        kept = sum(self.suppressed.values())
        return f"<Caveats: {len(self.notes)} caveat(s); {kept} other warning(s) kept off the page>"

    def __enter__(self) -> Caveats:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # IPython events: each cell runs between pre_run_cell and post_run_cell.
    def _before_cell(self, info=None) -> None:
        self.start()

    def _after_cell(self, result=None) -> None:
        texts = self.stop(getattr(result, "execution_count", None))
        if texts:
            from IPython.display import display

            display({"text/html": note_html(texts),
                     "text/plain": "\n".join(f"Caveat: {t}" for t in texts)},
                    raw=True, metadata={"uxcx": {"caveats": texts}})

    def _unhook(self, shell) -> None:
        for event, hook in (("pre_run_cell", self._before_cell), ("post_run_cell", self._after_cell)):
            try:
                shell.events.unregister(event, hook)
            except ValueError:
                pass
        self.stop()


def capture(shell=None) -> Caveats:
    """Turn the kit's warnings into caveats below each cell of this notebook from now on.

    Parameters
    ----------
    shell : IPython shell, optional
        Default the running one. Outside IPython nothing is hooked and an idle
        :class:`Caveats` is returned (use it as a context manager).

    Returns
    -------
    Caveats
        The collector, which also keeps the caveats and counts. Calling
        :func:`capture` again (the load cell run twice) starts afresh. When the
        environment names a record file (``UXCX_CAVEATS_RECORD``, set by the report
        runner), what was collected is written there after every cell.

    Examples
    --------
    >>> capture().notes  # not in a notebook here: nothing hooked
    []
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with the kit
            get_ipython = None
        shell = get_ipython() if get_ipython else None
    caveats = Caveats(record=os.environ.get(RECORD_ENV) or None)
    if shell is None or not hasattr(shell, "events"):
        return caveats
    old = _ACTIVE.pop(id(shell), None)
    if old is not None:
        old._unhook(shell)
    shell.events.register("pre_run_cell", caveats._before_cell)
    shell.events.register("post_run_cell", caveats._after_cell)
    _ACTIVE[id(shell)] = caveats
    caveats.start()  # the rest of the cell that calls capture() counts too
    return caveats


def add_to_results(json_path, record, notebook) -> bool:
    """Put a notebook's caveats and count of suppressed warnings into its saved JSON.

    Parameters
    ----------
    json_path : str or Path
        The ``<notebook>.json`` the notebook saved (:func:`uxcx.save_results`).
    record : str or Path
        The record file its kernel wrote (see :data:`RECORD_ENV`).
    notebook : str or Path
        The executed notebook, to name the section (the ``##`` heading) each
        caveat's cell sits under.

    Returns
    -------
    bool
        True when the JSON was updated; False when the notebook did not capture
        caveats or saved no JSON (the file is then left as it is).
    """
    json_path, record = Path(json_path), Path(record)
    if not (record.is_file() and json_path.is_file()):
        return False
    try:
        got = json.loads(record.read_text(encoding="utf-8"))
        doc = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    sections = _sections(Path(notebook))
    results = doc.setdefault("results", {})
    results["caveats"] = [{"section": sections.get(c.get("cell")), "cell": c.get("cell"),
                           "text": c.get("text", "")} for c in got.get("caveats", [])]
    results["warnings_suppressed"] = dict(got.get("warnings_suppressed", {}))
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def _sections(notebook: Path) -> dict[int, str]:
    """Execution count of each code cell -> the last ``##`` (or deeper) heading above it."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return {}
    found, heading = {}, None
    for cell in cells:
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            for line in text.splitlines():
                if re.match(r"#{2,6}\s", line):
                    heading = line.lstrip("#").strip().replace("`", "").replace("*", "")
        elif cell.get("cell_type") == "code" and cell.get("execution_count") is not None:
            if heading:
                found[cell["execution_count"]] = heading
    return found
