"""The report's pages: each executed notebook rendered to HTML, the skipped pages and the index.

Pages fetch nothing from the network (the kit's nbconvert template, ``templates/nbconvert/uxcx``),
open with their findings and a navigation bar, and every value from the data is escaped
(autoescaped jinja2 templates). :mod:`uxcx.report.runner` decides what runs; this module
only writes what a reader opens.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from pathlib import Path

from uxcx import __version__

__all__ = ["exporters", "write_pages", "write_page", "neighbour", "render_page", "skipped_page",
           "write_index", "notebook_title"]


def write_pages(out: Path, paths: list[Path], runs: list, exporter, *, study_title: str, done=()) -> None:
    """One page per notebook (except those in ``done``): rendered, or saying why it was skipped."""
    for i, run in enumerate(runs):
        if run.name not in done:
            write_page(out, paths, runs, i, exporter, study_title=study_title)


def write_page(out: Path, paths: list[Path], runs: list, i: int, exporter, *, study_title: str) -> None:
    """The page of notebook ``i``: the executed notebook rendered, or a page saying why it was skipped."""
    path, run = paths[i], runs[i]
    titles = {p.stem: notebook_title(p) for p in paths}
    if run.status == "skipped":
        (out / path.name).unlink(missing_ok=True)
        skipped_page(out / f"{run.name}.html", run, titles[run.name])
        return
    page = {"page_title": titles[run.name], "study_title": study_title,
            "findings": run.findings if run.status == "ok" else [],
            "previous": neighbour(runs, titles, i - 1), "next": neighbour(runs, titles, i + 1)}
    render_page(exporter, out / path.name, out / f"{run.name}.html", failed=run.status != "ok", page=page)


def exporters():
    from nbconvert import HTMLExporter

    # Readers see prose, tables and figures; a failed notebook keeps its code so the
    # failing cell can be read. The kit's page template (templates/nbconvert/uxcx) fetches
    # nothing from the network, so a report folder opens complete offline.
    templates = str(Path(__file__).parent / "templates" / "nbconvert")
    return {failed: HTMLExporter(template_name="uxcx", extra_template_basedirs=[templates],
                                 exclude_input=not failed, exclude_input_prompt=not failed,
                                 exclude_output_prompt=True) for failed in (False, True)}


def neighbour(runs: list, titles: dict[str, str], i: int) -> dict | None:
    """The page at position ``i`` for the navigation bar, or None past either end."""
    return ({"href": f"{runs[i].name}.html", "title": titles[runs[i].name]}
            if 0 <= i < len(runs) else None)


def render_page(exporter, notebook: Path, target: Path, *, failed: bool, page: dict | None = None) -> None:
    import nbformat

    if not notebook.exists():
        target.write_text(f"<p>{html.escape(notebook.name)} did not run.</p>", encoding="utf-8")
        return
    nb = nbformat.read(str(notebook), as_version=4)
    if page:
        nb.metadata["title"] = f"{page['page_title']} · {page['study_title']}"
    body, _ = exporter[failed].from_notebook_node(nb, resources={"uxcx": page or {}})
    target.write_text(body, encoding="utf-8")


def skipped_page(target: Path, run, title: str) -> None:
    page = _templates().get_template("skipped.html.j2").render(title=title, reason=run.reason, css=_css())
    target.write_text(page, encoding="utf-8")


def _templates():
    import jinja2

    # autoescape: every value that comes from the data or the study file is escaped
    return jinja2.Environment(loader=jinja2.PackageLoader("uxcx.report", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _css() -> str:
    return (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")


def write_index(out: Path, config, runs: list, titles: dict[str, str]) -> None:
    ledger = json.loads((out / "ledger.json").read_text(encoding="utf-8"))
    page = _templates().get_template("index.html.j2").render(
        title=config.title or config.name, name=config.name, date=_dt.date.today().isoformat(),
        version=__version__, css=_css(), ledger=ledger,
        failed=[r.name for r in runs if r.status == "failed"],
        runs=[{**vars(r), "title": titles.get(r.name, _title(r.name)), "tables": _tables(out, r.name)}
              for r in runs])
    (out / "index.html").write_text(page, encoding="utf-8")


def _tables(out: Path, notebook: str) -> list[dict]:
    """The CSV downloads a notebook wrote (``<notebook>.<table>.csv``), for the index."""
    return [{"file": p.name, "name": p.name[len(notebook) + 1:-len(".csv")].replace("_", " ")}
            for p in sorted(out.glob(f"{notebook}.*.csv"))]


def _title(stem: str) -> str:
    words = stem.split("_", 1)[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


def notebook_title(path: Path) -> str:
    """The notebook's own heading ("Usability: how well ...") without its number, else from its name."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return _title(path.stem)
    for cell in cells[:1]:
        text = "".join(cell.get("source", [])) if cell.get("cell_type") == "markdown" else ""
        first = text.strip().splitlines()[0] if text.strip() else ""
        if first.startswith("# "):
            heading = first[2:].split("·", 1)[-1].strip()
            return heading.split(":", 1)[0].strip() or _title(path.stem)
    return _title(path.stem)

