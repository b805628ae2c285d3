"""Files that are no data file: refused by what they are, never quoted (uxcx.io.source_file)."""

from __future__ import annotations

import bz2
import gzip
import io
import os
import zipfile

import pytest

import uxcx
from uxcx.errors import DataError, StudyError
from uxcx.io.source_file import path_problem
from uxcx.io.tables import detect_format, read_table

CSV = b"respondent,nps\nR1,9\nR2,7\n"
SECRET_LINE = b"TOP-SECRET-CONTENT-1234"


def _refused(path, *words):
    with pytest.raises(DataError) as err:
        read_table(path)
    text = str(err.value)
    for word in words:
        assert word in text
    assert SECRET_LINE.decode() not in text
    return text


# --- special paths, refused before they are opened ---------------------------------

def test_a_named_pipe_is_named_as_such_and_never_opened(tmp_path):
    pipe = tmp_path / "survey.csv"
    os.mkfifo(pipe)
    _refused(pipe, "named pipe (FIFO)", "another program")  # opening it would block for ever


@pytest.mark.parametrize("path, folder", [("/proc/self/environ", "/proc"), ("/proc/self/status", "/proc"),
                                          ("/sys/kernel/hostname", "/sys"), ("/dev/zero", "/dev"),
                                          ("/dev/stdin", "")])
def test_system_files_are_refused_unread(path, folder):
    # /dev/stdin is a link into /proc/self/fd and on to a terminal, a pipe or /dev/null
    _refused(path, f"system file under {folder}", "can hold secrets")


def test_a_link_to_a_system_file_is_refused(tmp_path):
    link = tmp_path / "survey.csv"
    link.symlink_to("/proc/self/environ")
    _refused(link, "system file under /proc")


def test_link_loops_and_dangling_links_are_data_errors(tmp_path):
    loop = tmp_path / "a.csv"
    other = tmp_path / "b.csv"
    loop.symlink_to(other)
    other.symlink_to(loop)
    _refused(loop, "symbolic link in a loop")
    dangling = tmp_path / "c.csv"
    dangling.symlink_to(tmp_path / "gone.csv")
    _refused(dangling, "symbolic link to a file that does not exist")
    with pytest.raises(DataError, match="loop"):
        detect_format(loop)


def test_a_folder_is_no_file(tmp_path):
    _refused(tmp_path, "this is a folder")


def test_missing_file_still_says_where_it_looked(tmp_path):
    text = _refused(tmp_path / "nope.csv", "file not found")
    assert str(tmp_path / "nope.csv") in text


def test_path_problem_of_a_regular_file_is_none(tmp_path):
    (tmp_path / "ok.csv").write_bytes(CSV)
    assert path_problem(tmp_path / "ok.csv") is None


# --- content that is no table ---------------------------------------------------------

@pytest.mark.parametrize("content, words", [
    (b"<!DOCTYPE html>\n<html><head><title>" + SECRET_LINE + b"</title>", "looks like a web page"),
    (b"\n\n  <html lang='en'><body><table><tr><td>" + SECRET_LINE, "looks like a web page"),
    ("<!doctype html><p>x</p>".encode("utf-16"), "looks like a web page"),  # saved as Unicode
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">' + SECRET_LINE, "web page"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
     "Excel 2003 XML spreadsheet"),
    (b"%PDF-1.7\n" + SECRET_LINE, "a PDF document"),
    (b"\x89PNG\r\n\x1a\n" + SECRET_LINE, "an image (PNG)"),
    (bz2.compress(CSV), "bzip2"),
    (b"SQLite format 3\x00" + SECRET_LINE, "database file"),
    (b"-----BEGIN OPENSSH PRIVATE KEY-----\n" + SECRET_LINE, "a key or certificate"),
    (bytes(range(256)) * 40 + SECRET_LINE, "binary data"),
])
def test_content_that_is_no_table_is_named_and_not_quoted(tmp_path, content, words):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    _refused(path, words)


def test_a_web_page_saved_as_xls_is_named_a_web_page(tmp_path):
    path = tmp_path / "export.xls"  # many tools "export to Excel" as an HTML table
    path.write_bytes(b"<html><body><table><tr><td>id</td></tr></table></body></html>")
    _refused(path, "looks like a web page", "save the export again from the tool")


def test_a_zip_of_csv_files_and_an_ods_say_what_they_are(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("survey.csv", CSV)
        archive.writestr(SECRET_LINE.decode() + ".txt", b"x")
    (tmp_path / "a.csv").write_bytes(buffer.getvalue())
    _refused(tmp_path / "a.csv", "ZIP archive of 2 file(s), 1 of them tables", "unzip it")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    (tmp_path / "b.xlsx").write_bytes(buffer.getvalue())
    _refused(tmp_path / "b.xlsx", "OpenDocument", "save it as .xlsx")


def test_text_with_odd_bytes_is_still_text(tmp_path):
    # a few control characters (a form feed, an escape) do not make a CSV binary
    path = tmp_path / "s.csv"
    path.write_bytes(b"respondent,comment\n" + b"".join(b"R%d,ok\x0c\x1b\n" % i for i in range(3)))
    assert len(read_table(path).frame) == 3


# --- gzip --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["survey.csv.gz", "survey.csv", "survey.gz"])
def test_gzip_is_read_by_its_magic_bytes_with_a_note(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(CSV))
    table = read_table(path)
    assert table.frame["nps"].tolist() == [9, 7]
    assert table.format == "csv"
    assert any("gzip-compressed" in note for note in table.notes)


def test_gzip_of_two_members_and_of_json(tmp_path):
    (tmp_path / "a.csv.gz").write_bytes(gzip.compress(CSV) + gzip.compress(b"R3,5\n"))
    assert read_table(tmp_path / "a.csv.gz").frame["nps"].tolist() == [9, 7, 5]
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(b'[{"respondent": "R1", "nps": 3}]'))
    assert read_table(tmp_path / "b.json.gz").frame["nps"].tolist() == [3]


def test_a_damaged_gzip_file_says_so(tmp_path):
    path = tmp_path / "survey.csv.gz"
    path.write_bytes(gzip.compress(CSV * 100)[:40])
    _refused(path, "this is a gzip file, but it cannot be decompressed", "download or copy the file again")


def test_a_gzip_bomb_stops_at_the_size_bound(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"0," * (8 << 20)))  # 16 MB of text in a few KB
    with pytest.raises(DataError, match="decompresses to more than 1 MB"):
        read_table(path, max_mb=1)


# --- size bound --------------------------------------------------------------------------

def test_a_file_over_the_bound_is_refused_and_the_bound_can_be_raised(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(b"respondent,nps\n" + b"R1,9\n" * 100_000)  # ~500 KB
    with pytest.raises(DataError) as err:
        read_table(path, max_mb=0.25)
    assert "over the limit of 0 MB" in str(err.value) or "over the limit" in str(err.value)
    assert "max_file_mb:" in str(err.value) and "UXCX_MAX_FILE_MB" in str(err.value)
    assert len(read_table(path, max_mb=1).frame) == 100_000
    monkeypatch.setenv("UXCX_MAX_FILE_MB", "0.25")
    with pytest.raises(DataError, match="over the limit"):
        read_table(path)


def test_the_study_sets_the_bound_per_source(make_study):
    big = b"respondent,nps\n" + b"R1,9\n" * 100_000
    path = make_study({"s.csv": big}, {"survey": {"path": "s.csv", "max_file_mb": 0.25}})
    with pytest.raises(DataError, match="over the limit"):
        uxcx.load_study(path)


# --- through a study file -------------------------------------------------------------------

def test_read_study_names_every_special_source_at_once(tmp_path, make_study):
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "loop.csv").symlink_to(tmp_path / "loop.csv")
    path = make_study({}, {"survey": {"path": "pipe.csv"}, "usability": {"path": "loop.csv"},
                           "customers": {"path": "/proc/self/environ"}, "questionnaire": {"path": "."}})
    with pytest.raises(StudyError) as err:
        uxcx.read_study(path)
    text = str(err.value)
    assert len(err.value.messages) == 4
    assert "sources.survey.path: 'pipe.csv': this is a named pipe" in text
    assert "did you mean" not in text  # the pipe was found; it is no file
    assert "sources.usability.path: 'loop.csv': this is a symbolic link in a loop" in text
    assert "sources.customers.path: '/proc/self/environ': this is a system file under /proc" in text
    assert "sources.questionnaire.path: '.': this is a folder" in text


def test_a_source_outside_the_study_folder_gets_a_ledger_note(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "s.csv").write_bytes(CSV)
    folder = tmp_path / "study"
    folder.mkdir()
    (folder / "linked.csv").symlink_to(outside / "s.csv")
    (folder / "inside.csv").write_bytes(CSV)
    for name, expected in (("../elsewhere/s.csv", True), ("linked.csv", True), ("inside.csv", False)):
        (folder / "study.yml").write_text(f"name: t\nsources:\n  survey: {{path: '{name}'}}\n")
        notes = uxcx.load_study(folder / "study.yml").ledger.sources["survey"].notes
        assert any("outside the study file's folder" in n for n in notes) is expected, name
        assert not any(str(tmp_path) in n for n in notes)  # no user folders in the ledger


# --- settings, programs and secrets named as data --------------------------------------------

@pytest.mark.parametrize("name, words", [
    (".env", "hidden settings file"), ("secrets.env", "environment file"), ("study.yml", "YAML file"),
    ("config.toml", "settings file"), ("id_rsa", "key file (a secret)"), ("server.pem", "a secret"),
    ("analysis.py", "a program"), ("export.ipynb", "a notebook"),
])
def test_settings_and_key_files_are_refused_by_name_unread(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(SECRET_LINE + b"=x,y\n")
    _refused(path, words, "its content is not shown")
    assert path_problem(path, data=False) is None  # the study file itself may be .yml


@pytest.mark.parametrize("content", [b"API_TOKEN=" + SECRET_LINE + b"\nDEBUG=1\n",
                                     b"export AWS_KEY=" + SECRET_LINE + b"\r\nexport REGION=eu\r\n"])
def test_name_value_lines_are_a_settings_file_whatever_the_name(tmp_path, content):
    path = tmp_path / "survey.csv"
    path.write_bytes(content)
    _refused(path, "looks like a settings file (lines of NAME=value)")


def test_a_csv_with_equals_signs_in_its_cells_is_still_a_csv(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"formula,result\na=1,b=2\nc=3,d=4\n")
    assert read_table(path).frame.shape == (2, 2)
