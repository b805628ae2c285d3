"""Whatever a file holds, loading it succeeds with a reconciled ledger or raises the kit's own error.

Hypothesis writes random tables (random headers, duplicates included; cells of unicode text,
blanks, numbers, dates, times; a random mapping of headers onto roles) and random bytes to a
file, points a study file at it and loads it. Anything other than success or a
:class:`uxcx.errors.UxcxError` is a bug in the kit.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import uxcx
from uxcx.errors import UxcxError

ROLES = ["participant", "respondent", "customer", "task", "success", "time_s", "errors", "clicks",
         "seq", "nps", "csat", "ces", "sus_1", "sus_2", "umux_lite_1", "date", "start", "end",
         "revenue", "email", "comment", "design", "abandoned", "optimal_clicks"]
SOURCES = ["usability", "questionnaire", "survey", "customers"]
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "NA", "N/A", "yes", "No", "1:23", "00:01:23", "83s", "1m 23s",
                     "4,5", "-3", "=1+2", "@x", "1e400", "nan", "inf", "2024-02-30", "2024-01-06",
                     "45292", "101.0", "P1", "a@b.co", "+44 20 7946 0958", "10.0.0.1", '"', "\n",
                     "participant", "task", "\x00", "\ufeff", "0.5", "12:00", "9999999999999999999"]),
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
headers = st.lists(st.one_of(st.sampled_from(ROLES + ["Participant", " task ", "Email", "Name",
                                                      "IPAddress", "LocationLatitude", ""]),
                             st.text(min_size=0, max_size=8)), min_size=1, max_size=6)


@st.composite
def tables(draw):
    names = draw(headers)
    n_rows = draw(st.integers(0, 6))
    rows = [[draw(cells) for _ in names] for _ in range(n_rows)]
    if rows and draw(st.booleans()):  # a ragged row now and then
        rows[-1] = rows[-1][:-1] if draw(st.booleans()) else rows[-1] + ["extra"]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))
               ).writerows([names, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    data = text.getvalue().encode(encoding, errors="replace")
    mapping = draw(st.dictionaries(st.sampled_from(names), st.sampled_from(ROLES), max_size=4))
    return data, mapping


def _load(data: bytes, source: str, mapping: dict, extension: str = "csv", extra: dict | None = None):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / f"data.{extension}").write_bytes(data)
        config = {"path": f"data.{extension}", "columns": mapping, **(extra or {})}
        (path / "study.yml").write_text(yaml.safe_dump({"name": "fuzz", "sources": {source: config}}),
                                        encoding="utf-8")
        try:
            study = uxcx.load_study(path / "study.yml")
        except UxcxError:
            return None
        for name, led in study.ledger.sources.items():
            assert led.read == led.kept + led.n_dropped, name
            assert len(study[name]) == led.kept
        return study


@FAST
@given(table=tables(), source=st.sampled_from(SOURCES))
def test_random_tables_load_or_raise_the_kits_error(table, source):
    data, mapping = table
    _load(data, source, mapping)


@FAST
@given(data=st.binary(max_size=300), source=st.sampled_from(SOURCES),
       extension=st.sampled_from(["csv", "json", "txt", "xlsx", "parquet", "dat"]))
def test_random_bytes_load_or_raise_the_kits_error(data, source, extension):
    _load(data, source, {}, extension)


@settings(max_examples=25, deadline=None)
@given(table=tables(), personal=st.lists(st.sampled_from(ROLES), max_size=2),
       values=st.dictionaries(st.sampled_from(["success", "nps", "sus_*"]),
                              st.dictionaries(st.sampled_from(["Yes", "No", "N/A", "5"]),
                                              st.one_of(st.none(), st.floats(0, 10))), max_size=2))
def test_random_study_settings_load_or_raise_the_kits_error(table, personal, values):
    data, mapping = table
    _load(data, "survey", mapping, extra={"personal": personal, "values": values})


# --- regressions found by the tests above ------------------------------------------


def test_bom_only_file_is_an_empty_file():
    assert _load(b"\xef\xbb\xbf", "survey", {}) is None
    assert _load(b"\xff\xfe", "survey", {}) is None


def test_header_cut_by_a_lone_carriage_return():
    # found by hypothesis: the export sniffer's csv.reader saw '\r' inside a field
    assert _load(b"participant,participant\r,\r", "usability", {}) is None


@st.composite
def valid_surveys(draw):
    """A survey every row of which is valid: unique ids, NPS 0-10, CSAT 1-5 or blank."""
    n = draw(st.integers(1, 12))
    nps = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    csat = draw(st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=n, max_size=n))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(
        [["Response ID", "Likelihood to recommend", "Satisfaction"],
         *[[f"R{i:03d}", a, "" if b is None else b] for i, (a, b) in enumerate(zip(nps, csat))]])
    return text.getvalue().encode(encoding), nps, csat


@FAST
@given(survey=valid_surveys())
def test_valid_input_always_loads_every_row_unchanged(survey):
    data, nps, csat = survey
    study = _load(data, "survey", {"Response ID": "respondent", "Likelihood to recommend": "nps",
                                   "Satisfaction": "csat"})
    assert study is not None, "a valid survey raised an error"
    frame = study["survey"]
    assert study.ledger.sources["survey"].n_dropped == 0 and len(frame) == len(nps)
    assert frame["nps"].tolist() == nps
    assert [None if v != v else int(v) for v in frame["csat"]] == csat
    assert frame["respondent"].tolist() == [f"R{i:03d}" for i in range(len(nps))]


# --- the study file itself (issue 15) ----------------------------------------------

_FRAGMENTS = ["name: t\n", "sources:\n", "  survey:\n", "    path: s.csv\n", "    values:\n",
              "      nps: {Yes: 1, No: 0, ~: 2, 010: 3}\n", "analysis:\n", "  seed: -1\n",
              "  seed: 010\n", "  horizons: [0, .inf]\n", "a: &a [x, x, x, x]\n", "b: &b [*a, *a, *a]\n",
              "c: *b\n", "d: &d [*d]\n", "\tseed: 1\n", "name: t\n", "title: [\n", "- x\n", "? [a]\n: b\n",
              "<<: *a\n", "e: !!python/object:os.system x\n", "f: !!binary aGk=\n", "g: 1:30\n", "é: ü\n",
              "\ufeff", "\x00", "h: '\n", "--- \n", "...\n"]


@FAST
@given(parts=st.lists(st.sampled_from(_FRAGMENTS), max_size=14),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"]))
def test_random_study_files_read_or_raise_the_kits_error(parts, encoding):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "s.csv").write_text("respondent,nps\nR1,Yes\n")
        path = Path(folder) / "study.yml"
        path.write_bytes("".join(parts).encode(encoding, errors="replace"))
        try:
            uxcx.read_study(path)
        except UxcxError as err:
            assert len(str(err)) < 5000  # no message quotes an expansion


@FAST
@given(data=st.binary(max_size=400), bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]))
def test_random_bytes_as_a_study_file_raise_the_kits_error(data, bom):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.yml"
        path.write_bytes(bom + data)
        try:
            uxcx.read_study(path)
        except UxcxError:
            pass


# YAML 1.1 would turn these keys into booleans, None or other numbers; the loader must
# match each to the cell that reads so (none of them is a missing-value marker of the reader).
_TRAP_ANSWERS = ["Yes", "No", "On", "Off", "Y", "n", "TRUE", "false", "~", "010", "0o7", "1.0",
                 "1:30", "2024-01-31", "1_000", ".5", "+3"]


@FAST
@given(answers=st.lists(st.sampled_from(_TRAP_ANSWERS), min_size=1, max_size=8, unique=True),
       scores=st.data())
def test_any_unquoted_answer_maps_to_its_own_value(answers, scores):
    values = [scores.draw(st.integers(1, 5)) for _ in answers]
    rows = scores.draw(st.lists(st.integers(0, len(answers) - 1), min_size=1, max_size=10))
    mapping = ", ".join(f"{a}: {v}" for a, v in zip(answers, values))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "s.csv").write_text("respondent,csat,word\n" + "".join(
            f"R{i},{answers[r]},x\n" for i, r in enumerate(rows)))
        (path / "study.yml").write_text(
            f"name: t\nsources:\n  survey:\n    path: s.csv\n    values:\n      csat: {{{mapping}}}\n")
        study = uxcx.load_study(path / "study.yml")
    assert study["survey"]["csat"].tolist() == [values[r] for r in rows]
