"""Interactive use: the notebooks run on the kit's kernel wherever it is installed, ``out_dir``
defaults to ``reports/<study name>/`` of the study's repository, and pseudonyms stay the same
for a study from run to run (a keyed hash whose key lives outside the report folder)."""

import json
import os
import re
import stat
import subprocess
import sys
import warnings

import pytest

from conftest import ROOT
from uxcx.errors import UxcxWarning
from uxcx.report.execute import kernel_name as _kernel
from uxcx.report.runner import default_out
from uxcx.study import privacy

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


# --- pseudonyms ---------------------------------------------------------------------------

def _pseudonyms(study, env) -> list[str]:
    """The ids a fresh Python process exports for the study (its ledger's dropped rows)."""
    code = ("import sys, uxcx\n"
            "s = uxcx.load_study(sys.argv[1])\n"
            "print(' '.join(map(str, s.ledger.dropped()['value'])))")
    done = subprocess.run([sys.executable, "-c", code, str(study)], env=env, capture_output=True,
                          text=True, check=True, timeout=120)
    return done.stdout.split()


def test_pseudonyms_identical_across_loads_without_a_key(make_study, tmp_path):
    study = make_study({"survey.csv": "ID,NPS\nR1,9\nR2,7\nR1,3\n"},  # R1 twice: a dropped row
                       {"survey": {"path": "survey.csv", "columns": {"ID": "respondent", "NPS": "nps"}}})
    key = tmp_path / "config" / "uxcx" / "pseudonym.key"
    env = {k: v for k, v in os.environ.items() if k != privacy.KEY_ENV}
    env[privacy.KEY_FILE_ENV] = str(key)
    first = _pseudonyms(study, env)
    assert first and all(p.startswith("anon-") for p in first) and "R1" not in first
    assert _pseudonyms(study, env) == first  # another process, the same pseudonyms
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    secret = key.read_text().strip()
    assert len(secret) == 64 and secret not in study.read_text()
    key.unlink()  # rotating the key: delete the file
    assert _pseudonyms(study, env) != first
    assert key.exists()


def test_environment_key_first_then_the_study_then_the_key_file(tmp_path, monkeypatch):
    key = tmp_path / "pseudonym.key"
    monkeypatch.setenv(privacy.KEY_FILE_ENV, str(key))
    monkeypatch.setenv(privacy.KEY_ENV, "team secret")
    assert privacy.pseudonym_key("study secret") == b"team secret"
    monkeypatch.delenv(privacy.KEY_ENV)
    assert privacy.pseudonym_key("study secret") == b"study secret"
    assert not key.exists()  # no file while a key is given
    made = privacy.pseudonym_key()
    assert made == key.read_text().strip().encode() == privacy.pseudonym_key()
    assert privacy.key_file() == key


def test_key_file_in_the_user_config_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv(privacy.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert privacy.key_file() == tmp_path / "uxcx" / "pseudonym.key"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert privacy.key_file() == tmp_path / ".config" / "uxcx" / "pseudonym.key"


def test_a_key_file_that_cannot_be_made_warns_and_falls_back(tmp_path, monkeypatch):
    (tmp_path / "a file").write_text("not a folder")
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    monkeypatch.setenv(privacy.KEY_FILE_ENV, str(tmp_path / "a file" / "pseudonym.key"))
    with pytest.warns(UxcxWarning, match="pseudonyms will change between runs"):
        assert privacy.pseudonym_key() == privacy._PROCESS_KEY


# --- out_dir ------------------------------------------------------------------------------

def test_out_dir_defaults_to_reports_of_the_studys_repository(tmp_path, monkeypatch):
    repo = tmp_path / "acme"
    (repo / ".git").mkdir(parents=True)
    (repo / "studies" / "q3").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    study = repo / "studies" / "q3" / "study.yml"
    assert default_out("q3-pilot", study) == repo.resolve() / "reports" / "q3-pilot"
    # a study outside any repository: the working folder's repository, else the working folder
    assert default_out("loose", elsewhere / "study.yml") == elsewhere / "reports" / "loose"
    monkeypatch.chdir(repo / "studies")
    assert default_out("loose", elsewhere / "study.yml") == repo.resolve() / "reports" / "loose"
    assert default_out("sample", ROOT / "data" / "sample" / "study.yml").parent.name == "reports"


def test_notebooks_resolve_out_dir_and_capture_caveats_in_their_load_cell():
    assert NOTEBOOKS
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        params, load = ("".join(c["source"]) for c in nb["cells"][1:3])
        assert 'out_dir: str = ""' in params and "../reports" not in params, path.name
        assert nb["metadata"]["kernelspec"]["name"] == "uxcx", path.name
        if re.search(r"^page = \w+\(study, out_dir", load, re.M):
            continue  # a page object does both (test_a_page_resolves_out_dir_and_captures_caveats)
        assert "out_dir = out_dir or str(uxcx.report.default_out(s.name, s.path))" in load, path.name
        assert "caveats.capture()" in load, path.name


def test_a_page_resolves_out_dir_and_captures_caveats(monkeypatch):
    from uxcx.report import caveats
    from uxcx.report.page import Page

    calls = []
    monkeypatch.setattr(caveats, "capture", lambda: calls.append("capture"))
    study = ROOT / "data" / "sample" / "study.yml"
    page = Page(study, "", name="03_ux_to_cx")
    assert calls == ["capture"]
    assert page.out_dir == str(default_out(page.study.name, page.study.path))
    assert Page(study, "/tmp/elsewhere", name="x").out_dir == "/tmp/elsewhere"


# --- the kit's kernel ---------------------------------------------------------------------

def _spec(folder, program):
    spec = folder / "uxcx"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [program, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "uxcx", "language": "python"}))


def test_runner_uses_the_kits_kernel_wherever_jupyter_finds_it(tmp_path, monkeypatch):
    _spec(tmp_path / "here" / "kernels", sys.executable)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "here"))
    assert _kernel() == "uxcx"


def test_a_kernel_whose_python_is_gone_is_not_used(tmp_path, monkeypatch):
    _spec(tmp_path / "stale" / "kernels", str(tmp_path / "deleted-venv" / "bin" / "python"))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "stale"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _kernel() == "python3"
