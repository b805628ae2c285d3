"""Set-up files agree with each other; notebooks are committed clean; docs match the code."""

import re

import nbformat
import pytest
import tomllib
import yaml

from conftest import ROOT
from uxcx.study.schema import ROLES


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    pip = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
        else:
            conda[_name(dep)] = dep
    conda.pop("python"), conda.pop("pip")
    wanted = {_name(r): r for r in project["dependencies"]}
    assert set(conda) == set(wanted), "environment.yml and pyproject.toml list different packages"
    for name, requirement in wanted.items():
        assert conda[name].replace(" ", "") == requirement.replace(" ", ""), name
    assert pip == ["-e ."]
    assert project["requires-python"] == ">=3.10" and "python>=3.10" in env["dependencies"]


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_hygiene(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged"
    assert re.search(r"^study: str = ", code[0].source, re.M)
    assert re.search(r"^out_dir: str = ", code[0].source, re.M)
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "commit notebooks without outputs"
        assert not re.search(r"^\s*(def|class) ", cell.source, re.M), "logic belongs in lib/uxcx"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_data_dictionary_lists_every_role():
    text = (ROOT / "data" / "README.md").read_text()
    missing = [r for r in ROLES if f"`{r}`" not in text]
    assert not missing, f"data/README.md does not document roles {missing}"


def test_readme_shows_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_code_passes_ruff():
    import subprocess
    import sys
    from pathlib import Path

    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run([str(ruff), "check", "lib", "tests", "benchmarks"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_readme_study_file_example_is_valid():
    from uxcx.study.study_file import StudyFile

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```yaml\n(name: .*?)```", readme, re.S).group(1)
    config = StudyFile.model_validate(yaml.safe_load(block))
    assert set(config.sources) == {"usability", "survey", "customers"}
    assert config.sources["survey"].value_map("csat")["N/A"] is None


def test_readme_bringing_your_own_data_example_is_valid_and_reasons_documented():
    from uxcx.study.ledger import REASONS
    from uxcx.study.study_file import StudyFile

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(name: .*?)```", readme, re.S)
    assert len(blocks) == 3
    config = StudyFile.model_validate(yaml.safe_load(blocks[2]))
    assert config.sources["survey"].format == "qualtrics"
    assert config.sources["usability"].format == "wide-tasks"
    assert config.analysis.pseudonym_key
    # every reason a row can be dropped for is explained, with its fix, in the README
    missing = [reason for reason in REASONS if f"| `{reason}` |" not in readme]
    assert not missing, f"README does not explain ledger reasons {missing}"


def test_readme_measures_example_is_valid():
    from uxcx.study.study_file import StudyFile

    readme = (ROOT / "README.md").read_text()
    block = re.findall(r"```yaml\n(name: .*?)```", readme, re.S)[1]
    config = StudyFile.model_validate(yaml.safe_load(block))
    assert config.measures.items["satisfied_app"].side == "cx"
    assert config.measures.ux == ["sus"] and config.analysis.segments == ["plan"]


def test_wheel_ships_the_notebooks_and_the_runner_finds_them_when_installed(tmp_path):
    import subprocess
    import sys
    import zipfile

    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w",
                            str(tmp_path / "wheel")], capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "wheel").glob("uxcx-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("uxcx/report/notebooks/"))
    assert shipped == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    # -S: no site-packages, so the checkout's editable install cannot answer instead
    code = ("from uxcx.report.runner import default_notebooks as d; "
            "print(d()); print(len(list(d().glob('[0-9]*.ipynb'))))")
    found = subprocess.run([sys.executable, "-S", "-c", code],
                           capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path / "site")})
    folder, count = found.stdout.split()
    assert folder == str(tmp_path / "site" / "uxcx" / "report" / "notebooks") and int(count) == len(shipped)


def test_every_module_imports_under_python_OO():
    # -OO strips docstrings (__doc__ is None): no module may depend on them at import
    import subprocess
    import sys

    code = ("import importlib, pkgutil, uxcx\n"
            "names = [m.name for m in pkgutil.walk_packages(uxcx.__path__, 'uxcx.')\n"
            "         if m.name != 'uxcx._legacy']\n"
            "[importlib.import_module(n) for n in names]\nprint(len(names))")
    done = subprocess.run([sys.executable, "-OO", "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout) > 80


def test_one_source_for_the_version():
    from importlib.metadata import version

    import uxcx

    assert version("uxcx") == uxcx.__version__
    assert 'version = "' not in (ROOT / "pyproject.toml").read_text()
