"""Shared fixtures: the repository's paths, a seeded rng, study files written on the fly."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import yaml
from hypothesis import settings

matplotlib.use("Agg")

# Locally hypothesis explores new examples on every run (that is how it found the Wilson
# rounding bug); in CI (CI=true) the examples are fixed so a landing cannot turn on chance.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"shared real data not found at {REALDATA}")
    return REALDATA


@pytest.fixture
def make_study(tmp_path):
    """Write files and a study file into tmp_path; returns the study file's path.

    ``files`` maps file names to text (written as UTF-8) or bytes; ``sources``
    is the study file's ``sources:`` section.
    """

    def make(files: dict, sources: dict, **extra) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        doc = {"name": extra.pop("name", "t"), "sources": sources, **extra}
        study = tmp_path / "study.yml"
        study.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        return study

    return make
