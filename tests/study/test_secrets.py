"""The pseudonym key never reaches a message, the ledger or a printed study (issue 15).

Three keys are planted (the environment's, the study file's, the key file's); studies good
and hostile go through `uxcx validate` and `load_study`, and everything they print, raise,
warn or export is searched for each key.
"""

from __future__ import annotations

import hashlib
import json
import warnings

import pytest
import yaml

import uxcx
from uxcx.datasets.sample import write_sample
from uxcx.io.secrets import KEY_ENV, KEY_FILE_ENV, redact
from uxcx.report.cli import main
from uxcx.study.study_file import StudyFile

# Fixed per run (pytest-xdist's workers must collect the same parameter ids), unlike any text in the kit.
ENV_KEY = "env-" + hashlib.sha256(b"uxcx planted environment key").hexdigest()[:32]
STUDY_KEY = "study-" + hashlib.sha256(b"uxcx planted study key").hexdigest()[:32]
FILE_KEY = "file-" + hashlib.sha256(b"uxcx planted key file").hexdigest()[:32]
KEYS = (ENV_KEY, STUDY_KEY, FILE_KEY)


@pytest.fixture
def planted(tmp_path, monkeypatch):
    key_file = tmp_path / "config" / "pseudonym.key"
    key_file.parent.mkdir()
    key_file.write_text(FILE_KEY + "\n")
    monkeypatch.setenv(KEY_ENV, ENV_KEY)
    monkeypatch.setenv(KEY_FILE_ENV, str(key_file))
    return key_file


def _study(folder, sources: dict, analysis: dict | None = None, text: str | None = None):
    path = folder / "study.yml"
    if text is not None:
        path.write_text(text)
        return path
    doc = {"name": "t", "sources": sources,
           "analysis": {"pseudonym_key": STUDY_KEY, **(analysis or {})}}
    path.write_text(yaml.safe_dump(doc))
    return path


def _outputs(path, capsys) -> str:
    """Everything validate and load_study say about ``path``: printed, raised, warned, exported."""
    seen = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(["validate", str(path)])
        out = capsys.readouterr()
        seen += [out.out, out.err, str(code)]
        try:
            study = uxcx.load_study(path)
        except uxcx.UxcxError as err:
            seen += [str(err), repr(err)]
        else:
            seen += [repr(study), repr(study.config), str(study.config), study.config.model_dump_json(),
                     json.dumps(study.ledger.as_dict(), default=str),
                     *(frame.to_csv() for frame in study.frames.values())]
        seen += [str(w.message) for w in caught]
    return "\n".join(seen)


def _assert_no_key(text: str):
    for key in KEYS:
        assert key not in text
        assert key[-12:] not in text  # nor a piece of it


def test_a_good_study_shows_no_key_anywhere(tmp_path, planted, capsys):
    write_sample(tmp_path)
    doc = yaml.safe_load((tmp_path / "study.yml").read_text())
    doc.setdefault("analysis", {})["pseudonym_key"] = STUDY_KEY
    (tmp_path / "study.yml").write_text(yaml.safe_dump(doc))
    text = _outputs(tmp_path / "study.yml", capsys)
    assert "Every row accounted for" in text  # it did load
    _assert_no_key(text)


@pytest.mark.parametrize("name, content", [
    ("env.csv", f"respondent,nps\nR1,9\n{KEY_ENV}={ENV_KEY},3\n"),   # a .env file named as data
    ("header.csv", f"respondent,{STUDY_KEY}\nR1,9\n"),              # the study's key as a header
    ("cell.csv", f"respondent,nps\nR1,{FILE_KEY}\n"),               # the key file's key in a score
    ("utf16.csv", f"respondent,nps\nR1,{ENV_KEY}\n".encode("utf-16")),
])
def test_a_file_holding_a_key_is_refused_unquoted(tmp_path, planted, capsys, name, content):
    data = content if isinstance(content, bytes) else content.encode()
    (tmp_path / name).write_bytes(data)
    path = _study(tmp_path, {"survey": {"path": name, "columns": {"Q9": "nps"}}})
    text = _outputs(path, capsys)
    assert "holds the pseudonym key" in text
    _assert_no_key(text)


@pytest.mark.parametrize("source", ["/proc/self/environ", "/proc/self/cmdline", "key file"])
def test_system_files_and_the_key_file_are_refused_unread(tmp_path, planted, capsys, source):
    path = _study(tmp_path, {"survey": {"path": str(planted) if source == "key file" else source}})
    text = _outputs(path, capsys)
    assert "system file under /proc" in text or "the pseudonym key file" in text
    _assert_no_key(text)


@pytest.mark.parametrize("text", [
    f"name: t\nsources: {{}}\nanalysis:\n  pseudonym_key: [{STUDY_KEY}]\n",          # wrong type
    f"name: t\nsources: {{}}\nanalysis:\n  pseudonym_key: {{k: {STUDY_KEY}}}\n",
    f"name: t\nsources: {{}}\nanalysis:\n  pseudonym_kee: {STUDY_KEY}\n",             # a typo
    f"name: t\nsources: {{}}\nanalysis:\n  pseudonym_key: \"{STUDY_KEY}\n",            # unclosed quote
    f"name: t\nsources: {{}}\nanalysis: {STUDY_KEY}\n",                               # not a section
    f"name: t\nsources: {{survey: {{path: {STUDY_KEY}.csv}}}}\nanalysis:\n  pseudonym_key: {STUDY_KEY}\n",
    f"name: t\ntitle: [{STUDY_KEY}]\nsources: {{}}\nanalysis:\n  pseudonym_key: {STUDY_KEY}\n",
])
def test_study_file_errors_never_quote_the_key(tmp_path, planted, capsys, text):
    path = _study(tmp_path, {}, text=text)
    out = _outputs(path, capsys)
    assert "problem" in out
    _assert_no_key(out)


def test_the_key_is_kept_out_of_the_settings_printed():
    config = StudyFile.model_validate({"name": "t", "sources": {"survey": {"path": "s.csv"}},
                                            "analysis": {"pseudonym_key": STUDY_KEY}})
    assert config.analysis.pseudonym_key == STUDY_KEY  # the kit still has it
    for shown in (repr(config), str(config.analysis), config.model_dump_json(), str(config.model_dump())):
        assert STUDY_KEY not in shown


def test_redact_replaces_every_occurrence():
    assert redact(f"{ENV_KEY} and {ENV_KEY}", [ENV_KEY]) == "[secret withheld] and [secret withheld]"
