"""Warnings become caveats beside the result they concern and in the JSON; the console of
``uxcx report`` shows progress and results only, and a notebook that fails is still reported."""

import json
import re
import subprocess
import sys
import warnings

import nbformat
import pytest

from conftest import ROOT
from uxcx.errors import SmallSampleWarning, UxcxWarning
from uxcx.report.caveats import Caveats, add_to_results, plain

SAMPLE = ROOT / "data" / "sample" / "study.yml"
CAVEAT = "789 customers censored before 12 were left out of customers.csv"


def test_kit_warnings_become_plain_caveats_and_others_are_counted():
    before = list(warnings.filters)
    censored = "789 customer(s) censored before 12 were left out of /home/ana/data/customers.csv"
    with Caveats() as caveats:
        warnings.warn(censored, UxcxWarning, stacklevel=1)
        warnings.warn(censored, UxcxWarning, stacklevel=1)  # said twice in one cell: kept once
        warnings.warn("fewer than two scores in group B", SmallSampleWarning, stacklevel=1)
        warnings.warn("an option of pandas changes", FutureWarning, stacklevel=1)
        warnings.warn("a plain user warning", UserWarning, stacklevel=1)
    assert caveats.notes == [{"cell": None, "text": CAVEAT},
                             {"cell": None, "text": "fewer than two scores in group B"}]
    assert caveats.suppressed == {"FutureWarning": 1, "UserWarning": 1}
    assert warnings.filters == before  # the block leaves the warning filters as they were


def test_plain_words():
    assert plain("1 customer(s) have no 'revenue'") == "1 customer(s) have no 'revenue'"
    assert plain("3 row(s)  with\na missing value") == "3 rows with a missing value"
    assert plain(r"read C:\Users\ana\study\survey.xlsx") == "read survey.xlsx"


def test_add_to_results_leaves_a_notebook_without_caveats_alone(tmp_path):
    page = tmp_path / "10_x.json"
    page.write_text('{"results": {"x": 1}}')
    assert not add_to_results(page, tmp_path / "no-record.json", tmp_path / "10_x.ipynb")
    assert json.loads(page.read_text()) == {"results": {"x": 1}}


def _notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('study = ""\nout_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_markdown_cell(c[3:]) if c.startswith("md:") else
                           nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, str(path))


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """``uxcx report`` in a process of its own on three small notebooks: one with warnings, one
    that fails in a cell, one whose kernel dies."""
    base = tmp_path_factory.mktemp("caveats")
    books = base / "books"
    books.mkdir()
    _notebook(books / "10_caveats.ipynb", [
        "import warnings\nimport uxcx\nfrom uxcx.errors import UxcxWarning\nfrom uxcx.report import caveats\n"
        "caveats.capture()",
        "md:## Who stays",
        'print("result 42")\n'
        'warnings.warn("789 customer(s) censored before 12 were left out of /home/ana/data/customers.csv", '
        "UxcxWarning)\n"
        'warnings.warn("a pandas option changes", FutureWarning)',
        "md:## Saving",
        'uxcx.save_results(out_dir, "10_caveats", findings=["It ran."], results={"x": 1})'])
    _notebook(books / "11_fails.ipynb", ["raise ValueError('planted failure')"])
    _notebook(books / "12_dies.ipynb", ["import os\nos._exit(3)"])
    out = base / "out"
    done = subprocess.run([sys.executable, "-m", "uxcx.report.cli", "report", str(SAMPLE), "--out", str(out),
                           "--notebooks", str(books), "--jobs", "2"],
                          capture_output=True, text=True, timeout=300, cwd=base)
    return out, done


def test_console_shows_progress_and_results_but_no_kernel_chatter(console):
    _, done = console
    err = done.stderr
    assert "[IPKernelApp]" not in err and "KeyboardInterrupt" not in err, err
    assert "UxcxWarning" not in err and "FutureWarning" not in err, err
    assert re.search(r"\[\d/3\] 10_caveats: ok \(", err), err
    assert "report: " in err and done.stdout == ""


def test_failing_notebooks_are_still_reported(console):
    out, done = console
    assert done.returncode == 1
    assert "notebook 11_fails failed at cell" in done.stderr and "planted failure" in done.stderr
    assert "notebook 12_dies failed" in done.stderr and "DeadKernelError" in done.stderr
    for name in ("11_fails", "12_dies"):
        assert json.loads((out / f"{name}.json").read_text())["status"] == "failed"
    assert json.loads((out / "10_caveats.json").read_text())["status"] == "ok"


def test_caveat_shown_right_below_its_result_without_path_or_warning_class(console):
    out, _ = console
    page = (out / "10_caveats.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split("</style>")[-1]))
    assert f"Caveat: {CAVEAT}" in text
    assert text.index("result 42") < text.index("Caveat:") < text.index("Saving")
    for leak in ("UxcxWarning", "FutureWarning", "/home/ana", "ipykernel_", ".py:", "customer(s)"):
        assert leak not in text, leak
    executed = nbformat.read(str(out / "10_caveats.ipynb"), as_version=4)
    streams = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs
               if o.output_type == "stream" and o.name == "stderr"]
    assert not streams  # nothing the page would show as a red stderr box


def test_caveats_and_count_of_other_warnings_in_the_json(console):
    out, _ = console
    executed = nbformat.read(str(out / "10_caveats.ipynb"), as_version=4)
    cell = next(c.execution_count for c in executed.cells if "warnings.warn(" in c.source)
    results = json.loads((out / "10_caveats.json").read_text(encoding="utf-8"))["results"]
    assert results == {"x": 1, "caveats": [{"section": "Who stays", "cell": cell, "text": CAVEAT}],
                       "warnings_suppressed": {"FutureWarning": 1}}
