"""Checks of a study file beyond its schema: the files it names and the links between sources.

:func:`uxcx.study.study_file.read_study` runs them once the file validates, so every
problem is reported together; :func:`study_key` finds the study's pseudonym key in the
raw file so that no message quotes it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from uxcx.io.source_file import path_problem

__all__ = ["check_files", "check_links", "study_key"]


def study_key(raw: dict):
    analysis = raw.get("analysis")
    key = analysis.get("pseudonym_key") if isinstance(analysis, dict) else None
    return str(key) if isinstance(key, (str, int, float)) else None


def check_files(config, folder: Path) -> list[str]:
    """Every source's path: a regular data file (no pipe, device, system file or link loop)."""
    out = []
    for name, source in config.sources.items():
        file = Path(os.path.realpath(folder / source.path))
        problem = path_problem(folder / source.path)
        if problem and problem.missing:
            parent = file.parent
            present = [p.name for p in parent.glob("*")] if parent.is_dir() else []
            near = difflib.get_close_matches(Path(source.path).name, present)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            out.append(f"sources.{name}.path: no such file {source.path!r} "
                       f"(looked for {file}){hint}")
        elif problem:
            out.append(f"sources.{name}.path: {source.path!r}: {problem.reason}; {problem.hint}")
    return out


def check_links(config) -> list[str]:
    out = []
    for i, pair in enumerate(config.links):
        for side in pair:
            source, _, role = side.partition(".")
            where = f"links[{i}]: {side!r}"
            if not role:
                out.append(f"{where} should be source.role, e.g. survey.customer")
            elif source not in config.sources:
                out.append(f"{where} names source {source!r}, which the study does not have "
                           f"(it has {', '.join(config.sources)})")
    return out
