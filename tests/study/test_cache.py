"""The report's one load of a study, read by its notebooks while every input is unchanged."""

from __future__ import annotations

import json
import os
import shutil
import warnings

import nbformat
import pytest

import uxcx
from conftest import ROOT
from uxcx.study.cache import CACHE_ENV, read_cache, write_cache

SAMPLE = ROOT / "data" / "sample"


@pytest.fixture
def study_copy(tmp_path):
    folder = tmp_path / "study"
    shutil.copytree(SAMPLE, folder)
    return folder / "study.yml"


@pytest.fixture
def cached(study_copy, tmp_path, monkeypatch):
    study = uxcx.load_study(study_copy)
    raised = [warnings.WarningMessage(UserWarning("planted caveat"), UserWarning, "x.py", 1)]
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    file = write_cache(study, private, raised)
    monkeypatch.setenv(CACHE_ENV, str(file))
    return study, file


def test_the_cached_study_is_returned_with_its_warnings(cached, study_copy):
    study, file = cached
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    with pytest.warns(UserWarning, match="planted caveat"):
        again = uxcx.load_study(study_copy)
    assert sorted(again.frames) == sorted(study.frames)
    for name, frame in study.frames.items():
        assert again.frames[name].equals(frame)
    assert again.ledger.as_dict() == study.ledger.as_dict()


def test_an_edited_source_is_read_again(cached, study_copy):
    study, _ = cached
    survey = study_copy.parent / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines(keepends=True)
    survey.write_text("".join(lines[:-1]), encoding="utf-8")  # one response fewer
    assert read_cache(study_copy) is None
    fresh = uxcx.load_study(study_copy)
    assert len(fresh.frames["survey"]) == len(study.frames["survey"]) - 1


def test_an_edited_study_file_or_another_study_is_not_served(cached, study_copy, tmp_path):
    assert read_cache(SAMPLE / "study.yml") is None  # another study
    study_copy.write_text(study_copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert read_cache(study_copy) is None


def test_a_cache_others_can_write_is_never_read(cached, study_copy):
    _, file = cached
    os.chmod(file, 0o666)
    assert read_cache(study_copy) is None


def test_load_study_with_an_explicit_mode_reads_the_files(cached, study_copy, monkeypatch):
    import uxcx.study.load as load

    def refuse(path):
        raise AssertionError("the cache was consulted")

    monkeypatch.setattr(load, "read_cache", refuse)
    study = uxcx.load_study(study_copy, on_invalid="drop")
    assert len(study.frames["survey"]) == len(cached[0].frames["survey"])


def test_notebooks_of_a_report_read_the_runners_load_and_the_copy_is_removed(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('study = ""\nout_dir = ""')
    params.metadata["tags"] = ["parameters"]
    probe = tmp_path / "probe.json"
    nb.cells = [params, nbformat.v4.new_code_cell(
        "import json, os, uxcx\nfrom uxcx.study.cache import CACHE_ENV, read_cache\n"
        f"json.dump({{'hit': read_cache(study) is not None, 'cache': os.environ.get(CACHE_ENV, '')}}, "
        f"open({str(probe)!r}, 'w'))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebooks / "00_probe.ipynb")
    runs = uxcx.run_report(SAMPLE / "study.yml", out_dir=tmp_path / "out", notebooks=notebooks, progress=None)
    assert [r.status for r in runs] == ["ok"]
    seen = json.loads(probe.read_text(encoding="utf-8"))
    assert seen["hit"] is True
    assert seen["cache"] and not os.path.exists(os.path.dirname(seen["cache"]))  # removed after the run
