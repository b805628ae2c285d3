"""The runner asks each notebook what it needs: a folder of one's own notebooks (--notebooks DIR),
skipped with the reason in words, in the JSON and on the index, and exit 0 when nothing failed."""

import json

import nbformat

from conftest import ROOT
from uxcx.report.cli import main

SAMPLE = ROOT / "data" / "sample" / "study.yml"


def _notebook(path, needs, code):
    nb = nbformat.v4.new_notebook()
    nb.metadata["uxcx"] = {"needs": needs}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    params = nbformat.v4.new_code_cell('study = ""\nout_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, str(path))


def test_own_notebooks_run_or_are_skipped_with_the_reason(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    save = ('import uxcx\nuxcx.save_results(out_dir, "{name}", findings=["ran"], results={{}})')
    _notebook(books / "10_any.ipynb", ["any"], save.format(name="10_any"))
    _notebook(books / "11_tasks.ipynb", ["tasks"], save.format(name="11_tasks"))
    study = tmp_path / "study.yml"  # the sample's survey alone: no task rows
    text = SAMPLE.read_text().replace("path: survey.csv", f"path: {SAMPLE.parent / 'survey.csv'}")
    keep = text.split("  survey:\n")[1].split("  customers:\n")[0]
    head = 'name: survey-only\ntitle: "<script>alert(1)</script> & co"\nsources:\n  survey:\n'
    study.write_text(head + keep
                     + "analysis:\n  segments: [region]\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(study), "--out", str(out), "--notebooks", str(books)]) == 0
    ran = json.loads((out / "10_any.json").read_text())
    skipped = json.loads((out / "11_tasks.json").read_text())
    assert ran["status"] == "ok" and ran["findings"] == ["ran"]
    assert skipped["status"] == "skipped"
    assert skipped["reason"].startswith("needs task rows from a usability source; this study has survey (")
    index = (out / "index.html").read_text()
    assert "skipped" in index and "Not run: this page needs task rows" in index
    # a value from the study file is text on the page, never markup
    assert "<script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in index
    assert "Not run" in (out / "11_tasks.html").read_text()


def test_missing_notebooks_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(SAMPLE), "--out", str(tmp_path), "--notebooks", str(tmp_path / "none")]) == 1
    assert "no notebooks folder" in capsys.readouterr().err
