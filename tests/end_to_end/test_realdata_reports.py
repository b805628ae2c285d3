"""Real studies written by others, through the whole report (issue 11, "any study").

The study files are tests/studies/realdata/*.yml; they read the files of shared/realdata in
place (see its SOURCES.md; CI has shared/ beside the checkout). Each report runs once per
session (:func:`test_any_study.report_once`). No notebook may fail, and the pages must state
the numbers the authors published or that R gives on the same file; each number below says
where it comes from, with the R code that produced it (R 4.x, survival 3.x).
"""

from __future__ import annotations

import json
import math

import pytest
from test_any_study import NOTEBOOKS

from conftest import REALDATA, ROOT, report_once

STUDIES = ROOT / "tests" / "studies" / "realdata"

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(),
                                reason=f"shared real data not found at {REALDATA} (see tests/conftest.py)")


def _fixture(name):
    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory):
        return report_once(tmp_path_factory, f"realdata-{name}", STUDIES / f"{name}.yml")
    return fixture


kastle = _fixture("kastle_sus")
jpfolador = _fixture("jpfolador_sus")
heritrace = _fixture("heritrace")
ldi = _fixture("ldi_qualtrics")
carpentries = _fixture("carpentries_longterm")
telco = _fixture("telco_churn")

ALL = ["kastle", "jpfolador", "heritrace", "ldi", "carpentries", "telco"]

# Which notebooks each study must run (the others may run what their inputs allow, or skip).
MUST_RUN = {
    "kastle": ["00_data_quality", "01_usability"],
    "jpfolador": ["00_data_quality", "01_usability"],
    "heritrace": ["00_data_quality", "01_usability"],
    "ldi": ["00_data_quality"],
    "carpentries": ["00_data_quality", "02_customer_experience", "03_ux_to_cx"],
    "telco": ["00_data_quality", "04_retention"],
}
MUST_SKIP = {
    "kastle": ["02_customer_experience", "04_retention", "05_behaviour"],
    "jpfolador": ["02_customer_experience", "04_retention", "05_behaviour"],
    "heritrace": ["02_customer_experience", "04_retention", "05_behaviour"],
    "ldi": ["01_usability", "03_ux_to_cx", "04_retention", "05_behaviour"],
    "carpentries": ["01_usability", "04_retention", "05_behaviour"],
    "telco": ["01_usability", "02_customer_experience", "05_behaviour"],
}


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _overall(records: list, *, weight="n") -> tuple[float, int]:
    """One mean from records: the record itself, or the n-weighted mean of groups."""
    n = sum(r[weight] for r in records)
    return sum(r[weight] * r["estimate"] for r in records) / n, n


@pytest.mark.parametrize("study", ALL)
def test_no_notebook_fails_and_the_inputless_ones_are_skipped(study, request):
    report = request.getfixturevalue(study)
    assert report.failures() == {}, f"{study}: notebooks failed: {report.failures()}"
    assert set(report.runs) == set(NOTEBOOKS)
    for notebook in MUST_RUN[study]:
        assert report.status(notebook) == "ok", (notebook, report.reason(notebook))
    for notebook in MUST_SKIP[study]:
        assert report.status(notebook) == "skipped", notebook
        assert report.reason(notebook).strip() and report.page(notebook)["reason"].strip()


def test_every_row_read_is_accounted_for(request):
    for study in ALL:
        sources = request.getfixturevalue(study).results("00_data_quality")["sources"]
        for name, s in sources.items():
            assert s["read"] == s["kept"] + s["dropped"], (study, name, s)


# --- kastle-lab/kastle-drawbridge: Google Forms, label text ---------------------------------

def test_kastle_sus_is_the_published_68_75(kastle):
    (sus,) = kastle.results("01_usability")["sus"]
    # kastle-lab/kastle-drawbridge publishes a study SUS of 68.75, median 70 (SOURCES.md).
    assert sus["n"] == 10
    assert sus["estimate"] == pytest.approx(68.75, abs=1e-9)
    # R: lab <- c("Strongly Disagree"=1, "Disagree"=2, "Neutral"=3, "Agree"=4, "Strongly Agree"=5)
    #    k <- read.csv(FILE, check.names=FALSE); m <- sapply(k[, 2:11], function(v) lab[v])
    #    s <- ((m[, c(1,3,5,7,9)] - 1) %*% rep(1, 5) + (5 - m[, c(2,4,6,8,10)]) %*% rep(1, 5)) * 2.5
    #    t.test(s)$conf.int  -> 61.4367608071 76.0632391929; median(s) -> 70
    assert sus["ci_low"] == pytest.approx(61.4367608071, abs=1e-8)
    assert sus["ci_high"] == pytest.approx(76.0632391929, abs=1e-8)
    if "median" in sus:
        assert sus["median"] == pytest.approx(70)
    # ... and the page says it in words (findings give SUS to one decimal).
    assert any("68.8" in f or "68.75" in f for f in kastle.page("01_usability")["findings"])


# --- jpfolador/susEvaluation: semicolons, numbers 1-5 --------------------------------------

def test_jpfolador_sus_mean_equals_r(jpfolador):
    records = jpfolador.results("01_usability")["sus"]
    # R: j <- read.csv(FILE, sep=";", check.names=FALSE); s <- sus(j[, 5:14]) (Brooke scoring as
    #    above); mean(s) -> 82.9861111111, median(s) -> 86.25, t.test(s)$conf.int -> 78.2577478323
    #    87.7144743899 (n 36)
    mean, n = _overall(records)
    assert n == 36
    assert mean == pytest.approx(82.9861111111, abs=1e-8)
    if len(records) == 1:
        assert records[0]["ci_low"] == pytest.approx(78.2577478323, abs=1e-8)
        assert records[0]["ci_high"] == pytest.approx(87.7144743899, abs=1e-8)


# --- opencitations/heritrace: testing-platform rows and SUS JSON ---------------------------

AGGREGATED = REALDATA / "usability_tasks" / "heritrace" / "aggregated"


def test_heritrace_sus_equals_the_authors(heritrace):
    records = heritrace.results("01_usability")["sus"]
    report = json.loads((AGGREGATED / "sus_aggregated_report.json").read_text())["summary_statistics"]
    if len(records) == 1:  # one SUS for all 19 participants
        # The authors' per-participant sus_score (sus_individual_scores.json); R on them:
        #    s <- c(60, 82.5, 65, 70, 62.5, 95, 90, 92.5, 92.5, 85, 85, 87.5, 67.5, 77.5, 82.5,
        #           82.5, 92.5, 77.5, 100); mean(s) -> 81.4473684211
        #    t.test(s)$conf.int -> 75.7910931456 87.1036436965
        (sus,) = records
        assert sus["n"] == 19
        assert sus["estimate"] == pytest.approx(81.4473684211, abs=1e-8)
        assert sus["ci_low"] == pytest.approx(75.7910931456, abs=1e-8)
        assert sus["ci_high"] == pytest.approx(87.1036436965, abs=1e-8)
    else:  # by user type, as the authors report it (aggregated/sus_aggregated_report.json)
        by_type = {r["user_type"]: r for r in records}
        assert set(by_type) == set(report)
        for kind, published in report.items():
            assert by_type[kind]["n"] == published["count"]
            assert by_type[kind]["estimate"] == pytest.approx(published["mean"], abs=1e-9)
            assert by_type[kind]["ci_low"] == pytest.approx(published["ci_95_lower"], abs=1e-9)
            assert by_type[kind]["ci_high"] == pytest.approx(published["ci_95_upper"], abs=1e-9)


def test_heritrace_task_success_equals_the_authors(heritrace):
    results = heritrace.results("01_usability")
    data = json.loads((AGGREGATED / "task_metrics.json").read_text())
    title = {r["task_key"]: r["task_name"] for r in data["rows"]}
    # The authors' success rates per task (task_metrics.json, success_rates): partial counts 0.5,
    # a success after the time limit and both failures count 0.
    published = {title[t["task_key"]]: t["success_rate"] / 100 for rows in data["success_rates"].values()
                 for t in rows}
    by_task = {}
    for r in results["completion_by_task"]:
        by_task.setdefault(r["task"], []).append(r)
    assert set(by_task) == set(published)
    for task, rows in by_task.items():
        rate, n = _overall(rows)
        assert rate == pytest.approx(published[task], abs=1e-9), task
    # Over all 56 attempts: sum(success_rate x total) / 56 = 4900 / 56 = 87.5 %.
    rate, n = _overall(results["completion"])
    assert n == 56 and rate == pytest.approx(0.875, abs=1e-9)


# --- labordynamicsinstitute/tutorial-preserving-survey: Qualtrics ---------------------------

def test_ldi_ledger_drops_previews_and_the_unfinished_response(ldi):
    results = ldi.results("00_data_quality")
    survey = results["sources"]["survey"]
    reasons = results["reasons"]["survey"]
    # SOURCES.md: 25 responses, 2 "Survey Preview" rows, 1 partial response (Finished False).
    assert survey["read"] == 25
    assert reasons.get("preview response") == 2 and reasons.get("unfinished response") == 1


def test_ldi_implausible_age_is_blanked_not_dropped(ldi):
    # The study says out_of_range: blank for the age (an 8 in an adult survey): the cell is
    # blanked and the response kept, so 25 - 2 previews - 1 unfinished = 22 are kept.
    results = ldi.results("00_data_quality")
    assert "out of range" not in results["reasons"]["survey"]
    assert results["sources"]["survey"]["kept"] == 22


def test_ldi_confidential_answers_reach_no_output(ldi):
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in ldi.out.rglob("*")
                   if p.is_file() and p.suffix in (".json", ".html", ".csv", ".ipynb"))
    for secret in ("Hermione Granger", "Harry Potter", "555-555-5555", "George Washington"):
        assert secret not in text


# --- carpentries/assessment: long-term survey, NPS with blanks ----------------------------

def test_carpentries_nps_equals_r(carpentries):
    (nps,) = carpentries.results("02_customer_experience")["nps"]
    # R: c <- read.csv(FILE, check.names=FALSE); x <- c[["Likely-To-Recommend"]]; x <- x[!is.na(x)]
    #    length(x) -> 402; sum(x >= 9) -> 215; sum(x <= 6) -> 69
    #    100 * (mean(x >= 9) - mean(x <= 6)) -> 36.3184079602
    assert nps["n"] == 402
    assert nps["estimate"] == pytest.approx(36.3184079602, abs=1e-8)
    if "promoters" in nps:
        assert (nps["promoters"], nps["detractors"]) == (215, 69)


def test_carpentries_usefulness_correlates_with_recommendation_as_in_r(carpentries):
    pairs = {(r["x"], r["y"]): r for r in carpentries.results("03_ux_to_cx")["correlations"]}
    # R: agree <- c("Strongly disagree"=1, "Disagree"=2, "Neutral"=3, "Agree"=4, "Strongly agree"=5)
    #    x <- unname(agree[c[["Improved Coding Practices"]]]); y <- c[["Likely-To-Recommend"]]
    #    cor.test(x, y) -> r 0.4602314653, p 2.05023e-22, n 401 complete pairs
    #    x <- unname(agree[c[["Improved-Research-Productivity"]]]) -> r 0.5183321890, p 6.96596e-29, n 400
    #    cor.test(coding, unname(agree[c[["Skills-Advance-Career"]]])) -> r 0.7115719338, n 408
    want = {("item_coding", "nps"): (401, 0.4602314653, 2.05023e-22),
            ("item_productivity", "nps"): (400, 0.5183321890, 6.96596e-29),
            ("item_coding", "item_career"): (408, 0.7115719338, 3.24334e-64)}
    for (x, y), (n, r, p) in want.items():
        record = pairs.get((x, y)) or pairs.get((y, x))
        assert record is not None, f"no correlation of {x} with {y}; pairs: {sorted(pairs)}"
        assert record["n"] == n
        assert record["estimate"] == pytest.approx(r, abs=1e-9)
        assert record["p_value"] == pytest.approx(p, rel=1e-4)


# --- IBM Telco churn: tenure in months, Churn Yes/No, Contract ----------------------------

def _contract_rows(records: list) -> list:
    return [r for r in records if r.get("contract") in ("Month-to-month", "One year", "Two year")]


def test_telco_km_by_contract_equals_r(telco):
    results = telco.results("04_retention")
    rows = _contract_rows(results["retention_by_segment"])
    assert rows, "04 shows no retention by contract"
    medians = {r["contract"]: r for r in rows if r["term"] == "median survival"}
    # R: t <- read.csv(FILE); t$event <- as.integer(t$Churn == "Yes")
    #    fit <- survfit(Surv(Tenure, event) ~ Contract, data = t); print(fit)
    #      Month-to-month n 3875 events 1655 median 35 0.95LCL 32 0.95UCL 38
    #      One year       n 1473 events  166 median NA 0.95LCL 72 0.95UCL NA
    #      Two year       n 1695 events   48 median NA 0.95LCL NA 0.95UCL NA
    m2m, one, two = medians["Month-to-month"], medians["One year"], medians["Two year"]
    assert (m2m["n"], m2m["estimate"], m2m["ci_low"], m2m["ci_high"]) == (3875, 35, 32, 38)
    assert one["n"] == 1473 and _nan(one["estimate"]) and one["ci_low"] == 72 and _nan(one["ci_high"])
    assert two["n"] == 1695 and _nan(two["estimate"]) and _nan(two["ci_low"])
    # R: summary(fit, times = c(6, 12, 24))$surv
    #      Month-to-month 0.7858348941 0.7030966363 0.5859154739
    #      One year       0.9972564265 0.9908082041 0.9782723764; Two year 1 1 1
    surv = {("Month-to-month", 6): 0.7858348941, ("Month-to-month", 12): 0.7030966363,
            ("Month-to-month", 24): 0.5859154739, ("One year", 6): 0.9972564265,
            ("One year", 12): 0.9908082041, ("One year", 24): 0.9782723764,
            ("Two year", 6): 1.0, ("Two year", 12): 1.0, ("Two year", 24): 1.0}
    at = {(r["contract"], r["term"]): r["estimate"] for r in rows}
    for (contract, month), value in surv.items():
        assert at[(contract, f"retention at {month} months")] == pytest.approx(value, abs=1e-9)


def test_telco_logrank_by_segment_equals_r(telco):
    results = telco.results("04_retention")
    tests = {r["term"]: r for r in results["logrank"]}
    # R: d <- survdiff(Surv(Tenure, event) ~ Contract, data = t); d$chisq -> 2352.8725382593, df 2
    #    survdiff(Surv(Tenure, event) ~ InternetService, data = t)$chisq -> 520.1206081845
    for segment, chisq in (("contract", 2352.8725382593), ("internet", 520.1206081845)):
        (test,) = [r for term, r in tests.items() if segment in term.lower()]
        assert test["statistic"] == pytest.approx(chisq, rel=1e-9)
        assert test["df"] == 2 and test["n"] == 7043


def test_telco_cox_on_the_segments_equals_r(telco):
    results = telco.results("04_retention")
    covariates = {r.get("covariate") for r in results["cox"]}
    assert covariates == {"contract", "internet"}, covariates  # the study's two segments
    hr = {(r["covariate"], r["level"]): r for r in results["cox"]}
    # R: t$InternetService <- factor(t$InternetService, levels = c("DSL", "Fiber optic", "No"))
    #    summary(coxph(Surv(Tenure, event) ~ Contract + InternetService, data = t,
    #                  ties = "efron"))$conf.int   (exp(coef), lower .95, upper .95)
    want = {("contract", "One year"): (0.12240013888, 0.10376996112, 0.14437505649),
            ("contract", "Two year"): (0.01776389577, 0.01303345968, 0.02421122255),
            ("internet", "Fiber optic"): (1.34602445015, 1.20869694998, 1.49895457288),
            ("internet", "No"): (0.74759083848, 0.60773399285, 0.91963271491)}
    for key, (estimate, low, high) in want.items():
        assert hr[key]["estimate"] == pytest.approx(estimate, rel=1e-7), key
        assert hr[key]["ci_low"] == pytest.approx(low, rel=1e-7), key
        assert hr[key]["ci_high"] == pytest.approx(high, rel=1e-7), key


def test_telco_restricted_mean_lifetime_by_contract_equals_r(telco):
    lifetime = {r["contract"]: r for r in telco.results("04_retention")["lifetime"]}
    # R: summary(survfit(Surv(Tenure, event) ~ Contract, data = t), rmean = 12)$table[, "rmean"]
    #      Month-to-month 9.722325752, One year 11.966891389, Two year 12.000000000
    #    differences from Month-to-month: 2.244565637 and 2.277674248 months
    assert lifetime["One year"]["estimate"] == pytest.approx(11.966891389 - 9.722325752, abs=1e-8)
    assert lifetime["Two year"]["estimate"] == pytest.approx(12.0 - 9.722325752, abs=1e-8)
