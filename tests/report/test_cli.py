"""The uxcx command: validate, sample, and errors as messages with exit status 1."""

import filecmp
import subprocess
import sys

from conftest import ROOT
from uxcx.report.cli import main

SAMPLE = ROOT / "data" / "sample" / "study.yml"


def test_validate_sample_shows_planted_dirt_and_exits_0(capsys):
    assert main(["validate", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "survey" in out and "3001" in out and "2997" in out
    assert "duplicate key" in out and "out of range" in out
    assert "Every row accounted for: read = kept + dropped." in out
    assert "personal data withheld" in out


def test_validate_broken_study_exits_1_without_traceback(make_study, capsys):
    study = make_study({"s.csv": "ID,NPS\nA,9\n"},
                       {"survey": {"path": "s.csv", "columns": {"ID": "respondent", "Score": "nps"}}})
    assert main(["validate", str(study)]) == 1
    err = capsys.readouterr().err
    assert "column 'Score' is not in s.csv" in err and "'ID', 'NPS'" in err
    assert "Traceback" not in err


def test_validate_stop_mode_lists_every_problem(make_study, capsys):
    study = make_study({"s.csv": "ID,NPS\nA,11\nB,x\nC,3\n"},
                       {"survey": {"path": "s.csv", "columns": {"ID": "respondent", "NPS": "nps"}}},
                       on_invalid="stop")
    assert main(["validate", str(study)]) == 1
    err = capsys.readouterr().err
    assert "2 problems in" in err
    assert "s.csv, row 2, column 'NPS': out of range (value '11')" in err
    assert "row 3, column 'NPS': not a number (value 'x')" in err


def test_sample_command_writes_the_committed_files(tmp_path, capsys):
    assert main(["sample", str(tmp_path)]) == 0
    names = ["usability.csv", "questionnaire.csv", "survey.csv", "customers.csv", "study.yml",
             "README.md"]
    match, mismatch, errors = filecmp.cmpfiles(tmp_path, ROOT / "data" / "sample", names,
                                               shallow=False)
    assert sorted(match) == sorted(names) and not mismatch and not errors


def test_console_script_runs():
    done = subprocess.run([sys.executable, "-m", "uxcx.report.cli", "--version"], capture_output=True,
                          text=True)
    assert done.returncode == 0 and done.stdout.startswith("uxcx ")


def test_validate_exits_1_when_a_source_has_no_valid_rows(make_study, capsys):
    study = make_study({"s.csv": "ID,NPS\nA,11\nB,12\n"},
                       {"survey": {"path": "s.csv", "columns": {"ID": "respondent", "NPS": "nps"}}})
    assert main(["validate", str(study)]) == 1
    captured = capsys.readouterr()
    assert "no valid rows left in survey" in captured.err
    assert "out of range" in captured.out  # the ledger still says why
