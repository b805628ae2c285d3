"""The messy-input corpus (tests/messy/README.md): every file ends in a clear error or a recorded repair.

Each row of the README's table is one case: the file is loaded through a study file written
beside it, and the outcome column is checked against the error message or the ledger.
Plus a 200 MB file generated at test time (marked ``big``; deselect with ``-m "not big"``).
"""

from __future__ import annotations

import re
import resource
import shutil
import time

import numpy as np
import pandas as pd
import pytest
import yaml

import uxcx
from conftest import ROOT
from uxcx.errors import UxcxError
from uxcx.io.tables import read_table
from uxcx.study.study_file import read_study
from uxcx.study.validate import validate

CORPUS = ROOT / "tests" / "messy"


def _table() -> list[dict]:
    """The README's table as dicts: file, source, settings, wrong, outcome."""
    lines = (CORPUS / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| file |"))
    cases = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        file, source, settings, wrong, outcome = [c.strip() for c in line.strip("|").split(" | ")]
        cases.append({"file": file, "source": source, "settings": yaml.safe_load(settings) or {},
                      "wrong": wrong, "outcome": outcome})
    return cases


CASES = _table()

# Files too big to keep in the repository, written by the test instead.
GENERATED = {
    "huge_cell.csv": lambda: ("respondent,nps,comment\nR1,9,\"" + "very long answer " * 180_000
                              + "\"\nR2,7,short\n").encode(),
}


def _load(tmp_path, case):
    name = case["file"]
    data = GENERATED[name]() if name in GENERATED else (CORPUS / name).read_bytes()
    (tmp_path / name).write_bytes(data)
    settings = dict(case["settings"])
    study = {"name": "messy", "on_invalid": settings.pop("on_invalid", "drop"),
             "sources": {case["source"]: {"path": name, **settings}}}
    (tmp_path / "study.yml").write_text(yaml.safe_dump(study), encoding="utf-8")
    return uxcx.load_study(tmp_path / "study.yml")


def _clauses(outcome: str) -> tuple[str, list[str]]:
    kind, _, rest = outcome.partition(":")
    return kind, [c.strip() for c in rest.split(" · ") if c.strip()]


def test_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "README.md"}
    listed = {c["file"] for c in CASES}
    assert on_disk | set(GENERATED) == listed
    assert len(listed) >= 30
    kinds = {_clauses(c["outcome"])[0] for c in CASES}
    assert kinds == {"error", "loads"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}-{i}" for i, c in enumerate(CASES)])
def test_messy_file(tmp_path, case):
    kind, clauses = _clauses(case["outcome"])
    if kind == "error":
        with pytest.raises(UxcxError) as err:
            _load(tmp_path, case)
        message = str(err.value)
        assert case["file"] in message
        for fragment in clauses:
            assert fragment in message, f"{fragment!r} not in:\n{message}"
        return
    study = _load(tmp_path, case)
    ledger = study.ledger.sources[case["source"]]
    assert ledger.read == ledger.kept + ledger.n_dropped
    frame = study[case["source"]]
    dropped = {(int(r.row), r.reason) for r in ledger.dropped.itertuples()}
    for clause in clauses:
        word, _, arg = clause.partition(" ")
        if word == "kept":
            assert ledger.kept == len(frame) == int(arg)
        elif word == "read":
            assert ledger.read == int(arg)
        elif word == "dropped":
            row, _, reason = arg.partition(" ")
            assert (int(row), reason) in dropped, dropped
        elif word == "repair":
            text, n = re.fullmatch(r'"(.+)" (\d+)', arg).groups()
            hits = {k: v for k, v in ledger.repairs.items() if text in k}
            assert sum(hits.values()) == int(n), dict(ledger.repairs)
        elif word == "note":
            text = arg.strip('"')
            assert any(text in note for note in ledger.notes), ledger.notes
        elif word == "rows":
            assert frame.index.tolist() == [int(r) for r in arg.split(",")]
        elif word == "value":
            column, _, values = arg.partition(" ")
            shown = [str(v.date()) if isinstance(v, pd.Timestamp) else str(v) for v in frame[column]]
            assert shown == values.split(","), shown
        else:
            raise AssertionError(f"unknown clause {clause!r} in tests/messy/README.md")


# --- regression tests for the repairs added with the corpus -------------------------

def test_repeated_header_is_not_taken_for_data_in_a_typed_column(tmp_path):
    # the header repeated with an empty cell in one column: still a header row
    text = "participant,task,success,time_s\nP1,Search,1,42\nparticipant,task,,time_s\nP2,Search,0,61\n"
    (tmp_path / "u.csv").write_text(text)
    (tmp_path / "study.yml").write_text(yaml.safe_dump(
        {"name": "m", "sources": {"usability": {"path": "u.csv"}}}))
    led = uxcx.load_study(tmp_path / "study.yml").ledger.sources["usability"]
    assert led.reasons == {"repeated header row": 1} and led.kept == 2


def test_decimal_comma_is_read_from_the_column_in_a_comma_file_too(tmp_path):
    # "4,5" (quoted in a comma-separated file) cannot hold a thousands separator: the column
    # shows a decimal comma, and the repair is counted
    (tmp_path / "u.csv").write_text('participant,task,time_s\nP1,Search,"4,5"\nP2,Search,12\n')
    (tmp_path / "study.yml").write_text(yaml.safe_dump(
        {"name": "m", "sources": {"usability": {"path": "u.csv"}}}))
    study = uxcx.load_study(tmp_path / "study.yml")
    led = study.ledger.sources["usability"]
    assert study["usability"]["time_s"].tolist() == [4.5, 12.0]
    assert led.repairs["time_s: decimal commas read as decimal points"] == 1


def test_a_one_column_file_keeps_its_header(tmp_path):
    from uxcx.io.tables import read_table

    (tmp_path / "c.csv").write_text("comment\nToo slow, honestly\nGreat\nFine\n")
    table = read_table(tmp_path / "c.csv")
    assert list(table.frame.columns) == ["comment"] and table.notes == []


# --- 200 MB ---------------------------------------------------------------------------

def _write_big(path, target_bytes: int) -> int:
    """A usability CSV of about ``target_bytes``, written in vectorised blocks; rows written."""
    rng = np.random.default_rng(20261123)
    tasks = np.array(["Find product", "Checkout", "Returns", "Account", "Search"])
    rows, block = 0, 500_000
    with path.open("wb") as out:
        out.write(b"participant,task,design,success,time_s,errors,clicks,seq\n")
        while out.tell() < target_bytes:
            i = np.arange(rows, rows + block)
            frame = pd.DataFrame({
                "participant": np.char.add("P", (i // 5).astype(str)),
                "task": tasks[i % 5],
                "design": np.where((i // 5) % 2 == 0, "Current", "Redesign"),
                "success": rng.integers(0, 2, block),
                "time_s": np.round(rng.lognormal(4, 0.5, block), 1),
                "errors": rng.poisson(0.5, block),
                "clicks": rng.integers(3, 30, block),
                "seq": rng.integers(1, 8, block),
            })
            out.write(frame.to_csv(index=False, header=False).encode())
            rows += block
    return rows


@pytest.mark.big
def test_200_mb_file_reads_and_validates_quickly(tmp_path):
    # read_table + validate, the loader's two steps on one source (load_study adds the
    # quality flags of uxcx.study.quality, timed separately)
    path = tmp_path / "big.csv"
    rows = _write_big(path, 200 * 1024 * 1024)
    (tmp_path / "study.yml").write_text(yaml.safe_dump(
        {"name": "big", "sources": {"usability": {"path": "big.csv"}}}))
    config, _ = read_study(tmp_path / "study.yml")
    start = time.perf_counter()
    raw = read_table(path)
    frame, led = validate(raw, "usability", config.sources["usability"])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    assert led.read == led.kept == len(frame) == rows
    print(f"\n200 MB: {path.stat().st_size / 2**20:.0f} MiB, {rows:,} rows read and validated in "
          f"{seconds:.1f} s; peak RSS of the test process {peak / 1024:.0f} MiB")
    assert seconds < 60
    shutil.rmtree(tmp_path, ignore_errors=True)
