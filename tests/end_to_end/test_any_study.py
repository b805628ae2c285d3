"""Issue 11, "any study": every notebook serves any study whose file validates.

Study shapes are cut from the sample study (data/sample): a subset of its sources and links,
or the whole study with its segment and item roles renamed. Each shape's report runs once per
test session; the tests then check that no notebook failed, that a notebook lacking its inputs
is skipped with a reason naming what is missing, and that every number a shape allows equals
the full sample's.

Each report takes 20-40 s, so it is run once per session and shared between the tests (and the
two xdist workers) through :func:`report_once`, which keeps the outcome in a folder both workers
see, behind a file lock.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Report, report_once

SAMPLE = ROOT / "data" / "sample" / "study.yml"
NOTEBOOKS = ["00_data_quality", "01_usability", "02_customer_experience", "03_ux_to_cx", "04_retention",
             "05_behaviour"]


# --- study shapes cut from the sample --------------------------------------------------------

def _sample_doc() -> dict:
    doc = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    for source in doc["sources"].values():  # absolute paths: the shape's study lives in tmp
        source["path"] = str((SAMPLE.parent / source["path"]).resolve())
    if doc.get("events"):
        doc["events"]["path"] = str((SAMPLE.parent / doc["events"]["path"]).resolve())
    return doc


def _present(name: str, roles: set[str]) -> bool:
    """Whether a name of the study file (a role, or a score the kit computes) exists in ``roles``."""
    derived = {"sus": all(f"sus_{i}" in roles for i in range(1, 11)),
               "umux_lite": {"umux_lite_1", "umux_lite_2"} <= roles,
               "ease": any(r.startswith("ease_") for r in roles),
               "loyalty": any(r.startswith("loyalty_") for r in roles),
               "promoter": "nps" in roles, "nps_group": "nps" in roles,
               "success_rate": "success" in roles, "seq_mean": "seq" in roles}
    return name in roles or derived.get(name, False)


def _keep_valid(doc: dict) -> dict:
    """Segments and measures naming only what the study's sources have (else it does not validate)."""
    roles = {r for source in doc["sources"].values() for r in source["columns"].values()}
    doc["analysis"]["segments"] = [s for s in doc["analysis"]["segments"] if s in roles]
    m = doc.get("measures") or {}
    for key in ("ux", "cx", "ux_index", "loyalty_index"):
        if key in m:
            m[key] = [n for n in m[key] if _present(n, roles)]
            if not m[key]:
                del m[key]
    if "design" in m and not _present(m["design"], roles):
        del m["design"]
    if "drivers" in m:
        d = m["drivers"]
        d["candidates"] = [n for n in d["candidates"] if _present(n, roles)]
        if not _present(d["outcome"], roles) or len(d["candidates"]) < 2:
            del m["drivers"]
    if "mediation" in m and not all(_present(n, roles) for n in m["mediation"].values()):
        del m["mediation"]
    if "labels" in m:
        m["labels"] = {k: v for k, v in m["labels"].items() if _present(k, roles)}
    return doc


def _shape(folder: Path, name: str, sources: list[str]) -> Path:
    doc = _sample_doc()
    doc["name"] = f"shape-{name}"
    doc["sources"] = {k: v for k, v in doc["sources"].items() if k in sources}
    doc.pop("events", None)  # a shape is a cut of the sources; the full and renamed studies keep the log
    doc["links"] = [pair for pair in doc["links"]
                    if all(side.split(".")[0] in sources for side in pair)]
    path = folder / f"{name}.yml"
    path.write_text(yaml.safe_dump(_keep_valid(doc), sort_keys=False), encoding="utf-8")
    return path


# The renamed study: segments and the study's own items under other names. Keys (participant,
# customer) are fixed roles, so the links keep them; segments and measures follow the new names.
RENAMED = {"design": "variant", "region": "area", "ease_search": "ease_find",
           "ease_returns": "ease_refund", "loyalty_continue": "loyalty_stay",
           "loyalty_choose_again": "loyalty_rebuy", "plan": "tier"}


def _renamed(folder: Path) -> Path:
    new = lambda name: RENAMED.get(name, name)  # noqa: E731
    doc = _sample_doc()
    doc["name"] = "shape-renamed"
    for source in doc["sources"].values():
        source["columns"] = {h: new(r) for h, r in source["columns"].items()}
        source["values"] = {new(r): m for r, m in source.get("values", {}).items()}
        source["personal"] = [new(r) for r in source.get("personal", [])]
    doc["links"] = [[".".join([s.split(".")[0], new(s.split(".")[1])]) for s in pair]
                    for pair in doc["links"]]
    doc["analysis"]["segments"] = [new(s) for s in doc["analysis"]["segments"]]
    m = doc.get("measures") or {}
    for key in ("ux", "cx", "ux_index", "loyalty_index"):
        if key in m:
            m[key] = [new(n) for n in m[key]]
    if "design" in m:
        m["design"] = new(m["design"])
    if "drivers" in m:
        m["drivers"] = {"outcome": new(m["drivers"]["outcome"]),
                        "candidates": [new(n) for n in m["drivers"]["candidates"]]}
    if "mediation" in m:
        m["mediation"] = {k: new(v) for k, v in m["mediation"].items()}
    if "labels" in m:
        m["labels"] = {new(k): v for k, v in m["labels"].items()}
    if "items" in m:
        m["items"] = {new(k): v for k, v in m["items"].items()}
    path = folder / "renamed.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


SHAPES = {
    "survey": ["survey"],
    "usability_questionnaire": ["usability", "questionnaire"],
    "questionnaire": ["questionnaire"],
    "survey_customers": ["survey", "customers"],
    "no_survey": ["usability", "questionnaire", "customers"],
}

# What each shape's notebooks should do: "ok", or "skipped" with words of which one must
# appear in the reason; None where either is right under the contract (the notebook may run
# the sections its inputs allow, or skip).
MISSING_UX_TEST = ("usability", "questionnaire", "task", "sus")
MISSING_SURVEY = ("survey", "nps", "csat", "customer experience", "cx")
MISSING_CUSTOMERS = ("customer", "retention", "churn", "tenure")
MISSING_EVENTS = ("event log", "events:")
EXPECTED = {
    # the sample survey carries UMUX-Lite items, so 01 runs its UMUX-Lite section on it
    "survey": {"00_data_quality": "ok", "01_usability": "ok",
               "02_customer_experience": "ok", "03_ux_to_cx": "ok", "04_retention": MISSING_CUSTOMERS,
               "05_behaviour": MISSING_EVENTS},
    "usability_questionnaire": {"00_data_quality": "ok", "01_usability": "ok",
                                "02_customer_experience": MISSING_SURVEY, "03_ux_to_cx": None,
                                "04_retention": MISSING_CUSTOMERS, "05_behaviour": MISSING_EVENTS},
    "questionnaire": {"00_data_quality": "ok", "01_usability": "ok",
                      "02_customer_experience": MISSING_SURVEY, "03_ux_to_cx": None,
                      "04_retention": MISSING_CUSTOMERS, "05_behaviour": MISSING_EVENTS},
    "survey_customers": {"00_data_quality": "ok", "01_usability": "ok",
                         "02_customer_experience": "ok", "03_ux_to_cx": "ok", "04_retention": "ok",
                         "05_behaviour": MISSING_EVENTS},
    "no_survey": {"00_data_quality": "ok", "01_usability": "ok",
                  "02_customer_experience": MISSING_SURVEY, "03_ux_to_cx": None, "04_retention": "ok",
                  "05_behaviour": MISSING_EVENTS},
    "renamed": dict.fromkeys(NOTEBOOKS, "ok"),
    "full": dict.fromkeys(NOTEBOOKS, "ok"),
}


@pytest.fixture(scope="session")
def full(sample_report) -> Report:
    return sample_report  # the one run of the full sample, shared with tests/report/test_report.py


@pytest.fixture(scope="module")
def shapes_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shapes")


def _shape_fixture(name):
    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory, shapes_dir) -> Report:
        study = _renamed(shapes_dir) if name == "renamed" else _shape(shapes_dir, name, SHAPES[name])
        return report_once(tmp_path_factory, f"shape-{name}", study)
    return fixture


survey_only = _shape_fixture("survey")
usability_questionnaire = _shape_fixture("usability_questionnaire")
questionnaire_only = _shape_fixture("questionnaire")
survey_customers = _shape_fixture("survey_customers")
no_survey = _shape_fixture("no_survey")
renamed = _shape_fixture("renamed")

FIXTURES = {"survey": "survey_only", "usability_questionnaire": "usability_questionnaire",
            "questionnaire": "questionnaire_only", "survey_customers": "survey_customers",
            "no_survey": "no_survey", "renamed": "renamed", "full": "full"}


# --- comparing numbers -------------------------------------------------------------------

NUMBERS = ("n", "estimate", "ci_low", "ci_high", "statistic", "p_value")


def _same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) and \
               (b is None or (isinstance(b, float) and math.isnan(b)))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    return a == b


def _rename_record(record: dict, names: dict) -> dict:
    """A record with its grouping keys and its names (values such as x, y, term) renamed."""
    out = {}
    for key, value in record.items():
        if isinstance(value, str):
            for old, new in names.items():
                value = re.sub(rf"\b{old}\b", new, value)
        out[names.get(key, key)] = value
    return out


def assert_same_records(got: list, want: list, *, names: dict | None = None, what: str = ""):
    """The records hold the same numbers (NUMBERS) in the same order; names mapped first."""
    want = [_rename_record(r, names) for r in want] if names else want
    assert len(got) == len(want), f"{what}: {len(got)} records, the full sample has {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        for key in NUMBERS:
            if key in w:
                assert _same(g.get(key), w[key]), f"{what}[{i}].{key}: {g.get(key)!r} != {w[key]!r}"
        labels = {k: v for k, v in w.items() if isinstance(v, str) and k not in ("method",)}
        for key, value in labels.items():
            if key in g:
                assert g[key] == value, f"{what}[{i}].{key}: {g[key]!r} != {value!r}"


def _by_pair(records: list) -> dict:
    return {(r["x"], r["y"]): r for r in records}


# --- every shape: nothing fails, skips say why --------------------------------------------

@pytest.mark.parametrize("shape", list(FIXTURES))
def test_no_notebook_fails_and_skips_say_what_is_missing(shape, request):
    report: Report = request.getfixturevalue(FIXTURES[shape])
    assert report.failures() == {}, f"{shape}: notebooks failed: {report.failures()}"
    assert set(report.runs) == set(NOTEBOOKS)
    for notebook, expected in EXPECTED[shape].items():
        status, reason = report.status(notebook), report.reason(notebook)
        page = report.page(notebook)
        assert page["status"] == status, (notebook, page["status"], status)
        if expected == "ok":
            assert status == "ok", f"{shape}/{notebook} was {status}: {reason}"
        elif expected is not None:
            assert status == "skipped", f"{shape}/{notebook} should be skipped, was {status}"
        if status == "skipped":
            assert reason.strip(), f"{shape}/{notebook} skipped without a reason"
            assert page.get("reason", "").strip(), f"{shape}/{notebook}.json has no reason"
            if expected is not None and expected != "ok":
                assert any(word in reason.lower() for word in expected), \
                    f"{shape}/{notebook}: the reason {reason!r} names none of {expected}"
        if status == "ok":
            assert isinstance(page["findings"], list) and isinstance(page["results"], dict)
            skipped = page["results"].get("skipped_sections", {})
            assert isinstance(skipped, dict)
            for section, why in skipped.items():
                assert isinstance(why, str) and why.strip(), f"{shape}/{notebook}: {section} without a reason"


def test_the_full_sample_skips_no_section(full):
    for notebook in NOTEBOOKS:
        assert full.results(notebook).get("skipped_sections", {}) == {}, notebook


def test_the_renamed_study_skips_no_more_than_the_full_sample(renamed, full):
    for notebook in NOTEBOOKS:
        assert set(renamed.results(notebook).get("skipped_sections", {})) <= \
            set(full.results(notebook).get("skipped_sections", {})), notebook


# --- the numbers each shape allows equal the full sample's -------------------------------

def test_survey_only_nps_and_survey_numbers_equal_the_full_sample(survey_only, full):
    got, want = survey_only.results("02_customer_experience"), full.results("02_customer_experience")
    for key in ("nps", "csat_top2", "csat_mean", "ces_mean", "loyalty_reliability", "nps_by_segment"):
        assert key in got, f"02 on the survey alone has no {key!r}"
        assert_same_records(got[key], want[key], what=f"02.{key}")


@pytest.mark.parametrize("shape", ["survey_only", "survey_customers"])
def test_without_a_usability_test_01_leaves_the_task_sections_out_and_says_why(shape, request):
    results = request.getfixturevalue(shape).results("01_usability")
    skipped = results.get("skipped_sections", {})
    for key in ("completion", "completion_by_task", "time_by_task", "sum", "sus"):
        assert key not in results, key
    # completion, time on task, the design comparison, the SUM and SUS: each left out with why
    why = [text.lower() for text in skipped.values()]
    assert sum("usability" in text for text in why) >= 3, skipped
    assert any("sus" in text for text in why), skipped


def test_survey_only_correlations_equal_the_full_sample(survey_only, full):
    got = _by_pair(survey_only.results("03_ux_to_cx")["correlations"])
    want = _by_pair(full.results("03_ux_to_cx")["correlations"])
    assert got, "03 on the survey alone has no correlations"
    assert set(got) == set(want)
    for pair, record in want.items():
        assert_same_records([got[pair]], [record], what=f"03.correlations{pair}")


def test_usability_and_questionnaire_equal_the_full_sample(usability_questionnaire, full):
    got, want = usability_questionnaire.results("01_usability"), full.results("01_usability")
    for key in ("completion", "completion_by_task", "time_by_task", "sus", "completion_difference",
                "time_ratio", "sum"):
        assert key in got, f"01 on usability + questionnaire has no {key!r}"
        assert_same_records(got[key], want[key], what=f"01.{key}")


def test_questionnaire_only_gives_the_overall_sus_and_leaves_tasks_out(questionnaire_only, full):
    import uxcx

    got = questionnaire_only.results("01_usability")
    assert "completion" not in got and "completion_by_task" not in got
    skipped = got.get("skipped_sections", {})
    assert skipped, "01 without a usability source lists no skipped section"
    assert any(any(w in why.lower() for w in ("usability", "task")) for why in skipped.values()), skipped
    # No design without the usability sheet: one SUS for everyone, the questionnaire's own mean.
    (sus,) = got["sus"]
    expected = uxcx.sus(uxcx.load_study(SAMPLE)["questionnaire"])
    assert sus["n"] == expected.loc[0, "n"]
    for key in ("estimate", "ci_low", "ci_high"):
        assert sus[key] == pytest.approx(expected.loc[0, key], rel=1e-9)
    # ... which is the n-weighted mean of the full report's SUS by design, where every
    # questionnaire participant has a design.
    by_design = full.results("01_usability")["sus"]
    if sum(r["n"] for r in by_design) == sus["n"]:
        mean = sum(r["n"] * r["estimate"] for r in by_design) / sus["n"]
        assert sus["estimate"] == pytest.approx(mean, rel=1e-9)


def test_survey_and_customers_equal_the_full_sample(survey_customers, full):
    got, want = survey_customers.results("02_customer_experience"), full.results("02_customer_experience")
    assert_same_records(got["nps"], want["nps"], what="02.nps")
    got4, want4 = survey_customers.results("04_retention"), full.results("04_retention")
    # The UX index of 04 comes from the survey, so every retention number is the full sample's.
    for key in ("retention_by_segment", "retention_by_ux", "logrank", "cox"):
        if key in want4:
            assert key in got4, f"04 on survey + customers has no {key!r}"
            assert_same_records(got4[key], want4[key], what=f"04.{key}")


def test_everything_but_the_survey_equals_the_full_sample(no_survey, full):
    got, want = no_survey.results("01_usability"), full.results("01_usability")
    for key in ("completion", "sus", "completion_difference", "sum"):
        assert_same_records(got[key], want[key], what=f"01.{key}")
    got4, want4 = no_survey.results("04_retention"), full.results("04_retention")
    assert_same_records(got4["retention_by_segment"], want4["retention_by_segment"],
                        what="04.retention_by_segment")


def test_renamed_roles_give_the_full_sample_numbers_under_the_new_names(renamed, full):
    for notebook, keys in {"01_usability": ("completion", "completion_by_task", "sus", "sum"),
                           "02_customer_experience": ("nps", "nps_by_segment", "csat_top2",
                                                      "loyalty_reliability"),
                           "04_retention": ("retention_by_segment", "retention_by_ux", "logrank")}.items():
        got, want = renamed.results(notebook), full.results(notebook)
        for key in keys:
            assert_same_records(got[key], want[key], names=RENAMED, what=f"{notebook}.{key}")
    got = _by_pair(renamed.results("03_ux_to_cx")["correlations"])
    want = {(_rename_record(r, RENAMED)["x"], _rename_record(r, RENAMED)["y"]): r
            for r in full.results("03_ux_to_cx")["correlations"]}
    assert set(got) == set(want)
    for pair, record in want.items():
        assert_same_records([got[pair]], [record], names=RENAMED, what=f"03.correlations{pair}")


def test_renamed_roles_reach_the_pages_under_their_new_names(renamed):
    text = " ".join(json.dumps(renamed.page(n)) for n in NOTEBOOKS)
    for old in ("ease_search", "loyalty_continue"):
        assert old not in text, f"{old!r} (a sample-study name) appears in the renamed study's report"
    assert "variant" in json.dumps(renamed.results("01_usability")["sus"])
