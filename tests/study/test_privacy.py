"""Personal data: detection by content, keyed pseudonyms, CSV-injection safety, and whole reports scanned."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

import uxcx
from conftest import ROOT
from uxcx.report.runner import run_report, save_results
from uxcx.study.privacy import looks_personal, personal_columns, pseudonymise, safe_table, write_csv

SAMPLE = ROOT / "data" / "sample"


# --- pseudonyms ---------------------------------------------------------------------

def test_pseudonym_is_truncated_hmac_sha256_rfc4231():
    # RFC 4231, test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?")
    # = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
    assert pseudonymise(["what do ya want for nothing?"], key=b"Jefe").tolist() == ["anon-5bdcc146bf60"]


def test_pseudonyms_are_stable_per_key_and_differ_between_keys():
    ids = ["P01", "P02", "P01", None, 17]
    a, b = pseudonymise(ids, key="one"), pseudonymise(ids, key="two")
    assert a[0] == a[2] != a[1] and pd.isna(a[3]) and a[0] != b[0]
    expected = "anon-" + hmac.new(b"one", b"17", hashlib.sha256).hexdigest()[:12]
    assert a[4] == expected == pseudonymise(["17"], key="one")[0]


def test_key_comes_from_the_environment_first(monkeypatch):
    monkeypatch.setenv("UXCX_PSEUDONYM_KEY", "from-env")
    assert pseudonymise(["P01"])[0] == pseudonymise(["P01"], key="from-env")[0]


# --- detection by content -------------------------------------------------------------

def test_personal_columns_by_content():
    n = 12
    frame = pd.DataFrame({
        "contact": [f"user{i}@mail.example.org" for i in range(n)],
        "callback": [f"+1 (555) 01{i:02d}-4477" for i in range(n)],
        "client": [f"192.168.0.{i}" for i in range(n)],
        "v6": ["2001:db8::ff00:42:8329"] * n,
        "where": ["51.5074, -0.1278"] * n,
        "Respondent name": ["Ana Lima", "Ben O'Neil", "Zoë Müller", "Li Wei"] * 3,
        "why": [f"the page number {i} kept freezing when I paid" for i in range(n)],
        "LocationLatitude": np.linspace(40, 41, n),
        # not personal:
        "submitted": pd.date_range("2024-01-01", periods=n).strftime("%Y-%m-%d"),
        "Task name": ["Find product", "Checkout", "Returns"] * 4,
        "plan": ["Basic", "Plus"] * 6,
        "revenue": np.linspace(-5, 1e6, n),
        "order": [f"{10**9 + i}" for i in range(n)],
        "time": ["12:30:00"] * n,
    })
    assert personal_columns(frame) == {
        "contact": "email addresses", "callback": "phone numbers", "client": "IP addresses",
        "v6": "IP addresses", "where": "coordinates", "Respondent name": "person names",
        "why": "free text", "LocationLatitude": "coordinates"}


def test_an_email_deep_in_a_long_column_is_found_by_the_spread_sample():
    values = ["Basic"] * 100_000
    values[60_000:60_100] = ["someone@example.com"] * 100
    assert personal_columns(pd.DataFrame({"segment": values})) == {"segment": "email addresses"}


def test_looks_personal_finds_contacts_inside_text_and_keeps_numbers_and_dates():
    got = looks_personal(["-12.5", "2024-03-31", "31/03/2024", "1234567", "call +44 20 7946 0958",
                          "x@y.io", "fe80::1"])
    assert got.tolist() == [False, False, False, False, True, True, True]


# --- CSV injection (OWASP "CSV Injection") -------------------------------------------------

@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
                                  "\tcmd", "\r=1"])
def test_formula_cells_are_quoted(cell):
    out = safe_table(pd.DataFrame({"answer": [cell]}))
    assert out["answer"][0] == "'" + cell


def test_numbers_stay_numbers_and_plain_text_is_untouched(tmp_path):
    frame = pd.DataFrame({"group": ["-5", "ok", None, "=x"], "estimate": [-1.25, 2.0, np.nan, -3.0],
                          "n": pd.array([1, -2, 3, 4], dtype="Int64")})
    out = safe_table(frame)
    assert out["group"].tolist()[:2] == ["-5", "ok"] and pd.isna(out["group"][2])
    assert out["group"][3] == "'=x"
    pd.testing.assert_series_equal(out["estimate"], frame["estimate"])
    pd.testing.assert_series_equal(out["n"], frame["n"])
    assert frame["group"][3] == "=x"  # the caller's frame is not changed
    write_csv(frame, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["estimate"].tolist()[:2] == [-1.25, 2.0] and back["group"][3] == "'=x"


def test_save_results_writes_safe_csv_tables(tmp_path):
    rows = [{"segment": "=cmd|' /C calc'!A0", "estimate": -0.5}, {"segment": "B", "estimate": 1.0}]
    save_results(tmp_path, "99_x", findings=["f"], results={"by_segment": rows, "n": 3})
    text = (tmp_path / "99_x.by_segment.csv").read_text()
    assert text.splitlines()[1].startswith("'=cmd") and ",-0.5" in text
    assert not (tmp_path / "99_x.n.csv").exists()


# --- the loader ------------------------------------------------------------------------------

def _study(tmp_path, files: dict, sources: dict, **extra):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "study.yml").write_text(yaml.safe_dump({"name": "p", "sources": sources, **extra}))
    return uxcx.load_study(tmp_path / "study.yml")


def test_unlisted_personal_columns_are_withheld_and_opt_in_keeps_them(tmp_path):
    text = ("respondent,nps,contact,note\n" + "".join(
        f"R{i},{i % 11},r{i}@mail.org,+1 555 010 {1000 + i}\n" for i in range(10)))
    s = _study(tmp_path, {"s.csv": text}, {"survey": {"path": "s.csv", "columns": {
        "contact": "contact", "note": "note"}}})
    assert list(s["survey"].columns) == ["respondent", "nps"]
    note = [n for n in s.ledger.sources["survey"].notes if "withheld" in n][0]
    assert "'contact' (email addresses)" in note and "'note' (phone numbers)" in note
    s = _study(tmp_path, {"s.csv": text}, {"survey": {"path": "s.csv", "columns": {
        "contact": "contact"}, "include_personal": ["contact"]}})
    assert "contact" in s["survey"]


def test_email_keys_are_pseudonymised_and_still_link(tmp_path, monkeypatch):
    monkeypatch.setenv("UXCX_PSEUDONYM_KEY", "k")
    survey = "respondent,customer,nps\n" + "".join(f"R{i},c{i}@shop.com,{i}\n" for i in range(6))
    customers = "customer,start\n" + "".join(f"c{i}@shop.com,2024-01-0{i + 1}\n" for i in range(4))
    s = _study(tmp_path, {"s.csv": survey, "c.csv": customers},
               {"survey": {"path": "s.csv"}, "customers": {"path": "c.csv"}},
               links=[["survey.customer", "customers.customer"]])
    assert s["survey"]["customer"][2] == pseudonymise(["c0@shop.com"], key="k")[0]
    assert s.ledger.links[0].left_matched == 4
    assert not any("@" in str(v) for v in s["customers"]["customer"])


def test_ledger_exports_pseudonymise_keys_and_withhold_personal_values(tmp_path, monkeypatch):
    monkeypatch.setenv("UXCX_PSEUDONYM_KEY", "k")
    text = "respondent,nps\nR1,9\nR1,7\nR2,call me on +44 20 7946 0958\n"
    s = _study(tmp_path, {"s.csv": text}, {"survey": {"path": "s.csv"}})
    dropped = s.ledger.as_dict()["sources"]["survey"]["dropped_rows"]
    values = {d["row"]: d["value"] for d in dropped}
    assert values[3] == pseudonymise(["R1"], key="k")[0]
    assert values[4] == "(personal data withheld)"
    assert s.ledger.dropped()["value"].tolist() == [values[3], values[4]]
    assert s.ledger.sources["survey"].dropped["value"].tolist()[0] == "R1"  # in memory, for the fix


# --- whole reports, every output file scanned ----------------------------------------------

def _qualtrics_study(folder):
    """The sample study with a Qualtrics-shaped survey holding planted personal data."""
    for name in ("usability.csv", "questionnaire.csv", "customers.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    survey = pd.read_csv(SAMPLE / "survey.csv")
    n = len(survey)
    rng = np.random.default_rng(7)
    first = np.array(["Amelia", "Bartholomew", "Cordelia", "Desmond", "Evangeline", "Fitzgerald"])
    last = np.array(["Quartermaine", "Oyelaran", "Vasquez-Holt", "Lindqvist", "Okonkwo", "Marchetti"])
    planted = pd.DataFrame({
        "ResponseId": "R_" + survey["Response ID"],
        "RecipientFirstName": first[rng.integers(0, 6, n)],
        "RecipientLastName": last[rng.integers(0, 6, n)],
        "RecipientEmail": [f"planted.person{i}@qualtrics-fixture.test" for i in range(n)],
        "IPAddress": [f"203.0.113.{i % 250}" for i in range(n)],
        "LocationLatitude": rng.uniform(-60, 60, n).round(4),
        "LocationLongitude": rng.uniform(-150, 150, n).round(4),
        "ExternalReference": [f"EXT-{900000 + i}" for i in range(n)],
        "Contact me at": [f"+44 20 7946 {i:04d}" for i in range(n)],
        "Respondent name": [f"{a} {b}" for a, b in zip(first[rng.integers(0, 6, n)],
                                                      last[rng.integers(0, 6, n)], strict=True)],
    })
    survey = pd.concat([planted, survey.drop(columns=["Response ID", "Email"])], axis=1)
    survey.loc[::7, "Comment"] = "=HYPERLINK(\"http://evil.test\",\"click\")"
    survey.to_csv(folder / "survey.csv", index=False)
    study = yaml.safe_load((SAMPLE / "study.yml").read_text())
    columns = study["sources"]["survey"]["columns"]
    columns.pop("Response ID"), columns.pop("Email"), columns.pop("Comment")
    # mapped under harmless role names: withheld by header or content, not by role
    study["sources"]["survey"]["columns"] = {
        "ResponseId": "respondent", **columns, "Comment": "feedback",
        "RecipientFirstName": "first", "RecipientLastName": "last", "RecipientEmail": "contact",
        "IPAddress": "client", "LocationLatitude": "lat", "LocationLongitude": "lon",
        "ExternalReference": "external_reference", "Contact me at": "callback",
        "Respondent name": "who"}
    study["sources"]["survey"].pop("personal")
    study["events"]["path"] = str(SAMPLE / "events")  # the sample's log, read where it is
    study["name"] = "qualtrics_fixture"
    (folder / "study.yml").write_text(yaml.safe_dump(study, sort_keys=False))
    secrets = {"emails": set(planted["RecipientEmail"]), "ips": set(planted["IPAddress"]),
               "names": set(first) | set(last), "phones": set(planted["Contact me at"]),
               "external": set(planted["ExternalReference"])}
    return folder / "study.yml", secrets


@pytest.fixture(scope="module")
def qualtrics_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("qualtrics")
    study, secrets = _qualtrics_study(folder)
    out = folder / "report"
    runs = run_report(study, out_dir=out, jobs=2, progress=None)  # the whole report
    return out, runs, secrets


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_report")
    runs = run_report(SAMPLE / "study.yml", out_dir=out, jobs=2, progress=None, only=["00", "01", "02"])
    return out, runs


def _outputs(out):
    files = [p for p in out.iterdir() if p.suffix in (".ipynb", ".html", ".json", ".csv")]
    assert {p.suffix for p in files} >= {".ipynb", ".html", ".json"}
    return {p.name: p.read_text(encoding="utf-8", errors="ignore") for p in files}


def test_qualtrics_fixture_leaks_nothing(qualtrics_report):
    out, runs, secrets = qualtrics_report
    assert [r.status for r in runs] == ["ok"] * len(runs)
    texts = _outputs(out)
    for kind, values in secrets.items():
        for name, text in texts.items():
            leaked = [v for v in values if v in text]
            assert not leaked, f"{name} holds {kind}: {leaked[:3]}"
    for name, text in texts.items():
        assert "qualtrics-fixture.test" not in text and "203.0.113." not in text, name
        assert "evil.test" not in text, name  # free text withheld, formula and all
    ledger = json.loads(texts["ledger.json"])
    notes = " ".join(ledger["sources"]["survey"]["notes"])
    for header in ("RecipientEmail", "RecipientFirstName", "IPAddress", "LocationLatitude",
                   "Contact me at", "Respondent name", "Comment"):
        assert repr(header) in notes


def test_sample_report_leaks_nothing_and_exports_safe_csv(sample_report):
    out, runs = sample_report
    assert [r.status for r in runs] == ["ok"] * len(runs)
    survey = pd.read_csv(SAMPLE / "survey.csv")
    secrets = set(survey["Email"].dropna()) | set(survey["Comment"].dropna())
    texts = _outputs(out)
    for name, text in texts.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{name} holds personal data: {leaked[:3]}"
    ledger = json.loads(texts["ledger.json"])
    dup = [d for d in ledger["sources"]["survey"]["dropped_rows"] if d["reason"] == "duplicate key"]
    assert dup and all(d["value"].startswith("anon-") for d in dup)
    csvs = [n for n in texts if n.endswith(".csv")]
    assert csvs, "result tables are exported as CSV next to each notebook's JSON"
    for name in csvs:
        table = pd.read_csv(out / name)
        for column in table.select_dtypes("object"):
            cells = table[column].dropna().astype(str)
            assert not cells.str.match(r"[=+@\t\r]").any(), (name, column)


def test_ledger_json_uses_the_studys_pseudonym_key(tmp_path, monkeypatch):
    # analysis.pseudonym_key reaches the exported ledger as it reaches the data (env still first)
    monkeypatch.delenv("UXCX_PSEUDONYM_KEY", raising=False)
    from uxcx.study.privacy import pseudonymise

    (tmp_path / "s.csv").write_text("ID,NPS\nR1,9\nR1,7\nR2,11\n", encoding="utf-8")
    (tmp_path / "study.yml").write_text(
        "name: k\nsources:\n  survey:\n    path: s.csv\n    columns: {ID: respondent, NPS: nps}\n"
        "analysis:\n  pseudonym_key: the-study-secret\n", encoding="utf-8")
    ledger = uxcx.load_study(tmp_path / "study.yml").ledger.as_dict()
    dropped = {d["reason"]: d["value"] for d in ledger["sources"]["survey"]["dropped_rows"]}
    assert dropped["duplicate key"] == pseudonymise(["R1"], "the-study-secret").iloc[0]
    assert "the-study-secret" not in json.dumps(ledger)
