"""The layers of DESIGN.md, enforced with import-linter (contracts in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT = Path(sys.executable).parent / "lint-imports"


def _lint(*args):
    return subprocess.run([str(LINT), *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_every_architecture_contract_is_kept():
    done = _lint()
    assert done.returncode == 0, done.stdout[-4000:]
    assert "4 kept, 0 broken" in done.stdout


def test_a_broken_layer_is_caught(tmp_path):
    # the same tool on an upside-down contract: it must fail, naming the import that breaks it
    config = tmp_path / "upside_down.ini"
    config.write_text("[importlinter]\nroot_package = uxcx\n\n[importlinter:contract:1]\n"
                      "name = link under study\ntype = layers\nlayers =\n    uxcx.study\n    uxcx.link\n")
    done = _lint("--config", str(config))
    assert done.returncode == 1 and "BROKEN" in done.stdout and "uxcx.link" in done.stdout
