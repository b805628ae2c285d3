"""``uxcx report --pdf``: the report printed by headless Chromium into one report.pdf."""

import shutil

import nbformat
import pytest

from conftest import ROOT
from uxcx.report.cli import main

SAMPLE = ROOT / "data" / "sample" / "study.yml"


def _books(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('study = ""\nout_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# 10 · Printed page"), params,
                nbformat.v4.new_code_cell('import uxcx\nuxcx.save_results(out_dir, "10_printed", '
                                          'findings=["Everything printed."], results={})')]
    nbformat.write(nb, str(books / "10_printed.ipynb"))
    return books


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (CI installs it)")
def test_pdf_holds_the_index_then_every_page(tmp_path, capsys):
    from pypdf import PdfReader

    out = tmp_path / "out"
    args = ["report", str(SAMPLE), "--out", str(out), "--notebooks", str(_books(tmp_path)), "--pdf"]
    assert main(args) == 0
    assert f"pdf: {out / 'report.pdf'}" in capsys.readouterr().err
    pages = [p.extract_text() for p in PdfReader(str(out / "report.pdf")).pages]
    assert "Findings" in pages[0] and "Checkout redesign benchmark" in pages[0]
    assert any("Everything printed." in p and "Printed page" in p for p in pages[1:])


def test_pdf_without_chromium_says_how_to_get_it_and_keeps_the_html(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("UXCX_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "out"
    args = ["report", str(SAMPLE), "--out", str(out), "--notebooks", str(_books(tmp_path)), "--pdf"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "--pdf needs Chromium" in err and "apt-get install chromium" in err and "Traceback" not in err
    assert (out / "index.html").exists() and (out / "10_printed.html").exists()
    assert not (out / "report.pdf").exists()
