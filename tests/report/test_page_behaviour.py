"""Notebook 05's page (uxcx.report.page_behaviour) on fabricated behaviour frames, section by section.

The frames have the shape the study loader gives an ``events:`` block (issue 16: ``behaviour``
per person × task, ``attempts`` per attempt, the ledger's account of the log). They are
fabricated with planted effects (more failed checkouts: lower CSAT, faster churn) and put on a
study loaded from a small folder, so each section is checked against counts made here by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

import uxcx
from uxcx.errors import UxcxError
from uxcx.report import behaviour_tables as bt
from uxcx.report.page_behaviour import Behaviour
from uxcx.study.event_ledger import EventLedger
from uxcx.study.events_options import EventsConfig

N = 600
TASKS = {"checkout": {"start": ["cart_viewed"], "success": ["order_placed"], "errors": ["payment_error"],
                      "timeout": "30 min"},
         "search": {"start": ["search_opened"], "success": ["result_clicked"], "timeout": "10 min"}}


def _people(rng, ids) -> pd.DataFrame:
    """Per customer × task, as io.events gives it: checkout for everyone, search for about 70%."""
    frames = []
    for task, share in (("checkout", 1.0), ("search", 0.7)):
        who = ids[rng.random(len(ids)) < share]
        n = len(who)
        failed = rng.choice([0, 1, 2, 3], size=n, p=[0.55, 0.22, 0.13, 0.10])
        # a person with no failed attempt succeeded (a row is a person who attempted the task)
        success = ((failed == 0) | (rng.random(n) < np.where(failed >= 2, 0.5, 0.8))).astype(float)
        start = pd.Timestamp("2025-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 180 * 86400, n), "s")
        frames.append(pd.DataFrame({
            "customer": who, "task": task, "attempts": failed + success.astype(int),
            "successes": success.astype(int), "success": success,
            "first_attempt_success": ((failed == 0) & (success == 1)).astype(float),
            "time_s": np.where(success == 1, np.exp(rng.normal(4.5, 0.5, n)), np.nan),
            "errors": failed + rng.poisson(0.3, n), "failed_attempts": failed,
            "clicks": np.where(success == 1, rng.integers(4, 20, n), np.nan), "retries": failed,
            "abandoned": 1 - success, "first_start": start,
            "device": rng.choice(["desktop", "mobile"], size=n)}))
    return pd.concat(frames, ignore_index=True)


def _attempts(people: pd.DataFrame) -> pd.DataFrame:
    """One row per attempt: the failed ones first (time-outs, restarts, session ends), then the success."""
    rows = people.loc[people.index.repeat(people["attempts"])].reset_index(drop=True)
    rows["attempt"] = rows.groupby(["customer", "task"]).cumcount() + 1
    last_success = (rows["attempt"] == rows["attempts"]) & (rows["success"] == 1)
    kinds = np.array(["timeout", "restarted", "session_end"])
    rows["outcome"] = np.where(last_success, "success", kinds[rows["attempt"].to_numpy() % 3])
    open_ = rows.iloc[:7].assign(outcome="censored", attempt=99)  # still open when the log ends
    out = pd.concat([rows, open_], ignore_index=True)
    out["success"] = np.where(out["outcome"] == "censored", np.nan, (out["outcome"] == "success") * 1.0)
    return out[["customer", "task", "attempt", "outcome", "success", "device"]]


def _customers(rng, ids, people) -> pd.DataFrame:
    """Customers whose churn hazard doubles per failed-checkout level (planted)."""
    level = people[people["task"] == "checkout"].set_index("customer")["failed_attempts"].clip(upper=2)
    rate = 0.04 * 2.0 ** level.reindex(ids).to_numpy()
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 540, len(ids)), "D")
    end = start + pd.to_timedelta(rng.exponential(1 / rate) * 30.4375, "D")
    end = end.where(end <= pd.Timestamp("2025-12-31"))
    return pd.DataFrame({"Customer ID": ids, "Start": start.strftime("%Y-%m-%d"),
                         "End": end.strftime("%Y-%m-%d").fillna(""),
                         "Plan": rng.choice(["Basic", "Plus"], size=len(ids))})


def _survey(rng, ids, people) -> pd.DataFrame:
    """Two thirds of the customers answered; CSAT drops with each failed-checkout level (planted)."""
    level = people[people["task"] == "checkout"].set_index("customer")["failed_attempts"].clip(upper=2)
    who = ids[rng.random(len(ids)) < 0.67]
    csat = np.clip(np.round(4.3 - 0.7 * level.reindex(who).to_numpy() + rng.normal(0, 0.7, len(who))), 1, 5)
    nps = np.clip(np.round(8.5 - 1.5 * level.reindex(who).to_numpy() + rng.normal(0, 1.5, len(who))), 0, 10)
    return pd.DataFrame({"Response": [f"R{i}" for i in range(len(who))], "Customer ID": who,
                         "Satisfaction": csat.astype(int), "Recommend": nps.astype(int)})


def _write(folder, *, rng, n=N, survey=True, customers=True, role="customer"):
    ids = np.array([f"C{i:04d}" for i in range(1, n + 1)])
    people = _people(rng, ids)
    sources = {}
    if customers:
        _customers(rng, ids, people).to_csv(folder / "customers.csv", index=False)
        sources["customers"] = {"path": "customers.csv", "columns": {
            "Customer ID": "customer", "Start": "start", "End": "end", "Plan": "plan"}}
    if survey:
        _survey(rng, ids, people).to_csv(folder / "survey.csv", index=False)
        sources["survey"] = {"path": "survey.csv", "columns": {
            "Response": "respondent", "Customer ID": "customer", "Satisfaction": "csat", "Recommend": "nps"}}
    doc = {"name": "behaviour-test", "sources": sources or {"survey": {"path": "only.csv"}},
           "analysis": {"segments": ["plan"] if customers else [], "observed_until": "2025-12-31", "seed": 7}}
    if not sources:  # a study file names a source; this one has no rows to join
        (folder / "only.csv").write_text("respondent,nps\n", encoding="utf-8")
    (folder / "study.yml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return folder / "study.yml", people.rename(columns={"customer": role})


def _events_block(role: str) -> EventsConfig:
    columns = {"user_id": role, "event_time": "timestamp", "event_name": "event", "device": "device"}
    return EventsConfig.model_validate({"path": "events/", "columns": columns, "tasks": TASKS})


@pytest.fixture
def open_page(tmp_path, monkeypatch, rng):
    """Open a Behaviour page on a fabricated study: the loaded study gets the frames io.events would give."""
    load = uxcx.load_study

    def make(*, n=N, events=True, role="customer", **kw):
        path, people = _write(tmp_path, rng=rng, n=n, role=role,
                              **{k: v for k, v in kw.items() if k in ("survey", "customers")})
        study = load(path)
        if events:  # what uxcx.study.events.load_events adds to a study
            study.config = study.config.model_copy(update={"events": _events_block(role)})
            study.frames["behaviour"] = people
            study.frames["attempts"] = _attempts(people.rename(columns={role: "customer"})).rename(
                columns={"customer": role})
            study.ledger.sources["events"] = EventLedger(
                source="events", file="events/", read=1_000_050, kept=1_000_000, engine="duckdb",
                counted={"missing id": 40, "not a timestamp": 10}, notes=["3 successes with no start"])
        monkeypatch.setattr(uxcx, "load_study", lambda _: study, raising=False)
        options = {k: v for k, v in kw.items() if k in ("task", "n_boot")}
        return Behaviour(path, str(tmp_path / "out"), **options)

    return make


def test_event_log_accounts_for_every_event_and_counts_attempts_per_task(open_page):
    page = open_page()
    page.event_log()
    log = page.results["event_log"].set_index("events")["count"]
    assert log.to_dict() == {"read": 1_000_050, "kept": 1_000_000, "dropped: missing id": 40,
                             "dropped: not a timestamp": 10}
    tasks = page.results["tasks"].set_index("task")
    attempts = page.study.frames["attempts"]
    assert tasks.loc["checkout", "attempts"] == (attempts["task"] == "checkout").sum()
    assert tasks.loc["checkout", "censored attempts"] == ((attempts["task"] == "checkout")
                                                          & (attempts["outcome"] == "censored")).sum()
    assert tasks.loc["checkout", "people"] == N
    assert page.notes[0] == ("Of 1,000,050 events read from the event log, 1,000,000 were kept and 50 "
                             "dropped (missing id: 40; not a timestamp: 10), in DuckDB.")
    assert page.results["engine"] == "duckdb"


def test_funnel_counts_people_at_each_stage_with_adjusted_wald_intervals(open_page):
    page = open_page()
    page.funnel()
    funnel = page.results["funnel"].set_index(["task", "stage"])
    people = page.people[page.people["task"] == "checkout"]
    x, n = int(people["success"].sum()), len(people)
    row = funnel.loc[("checkout", "succeeded at all")]
    assert funnel.loc[("checkout", "started"), "people"] == n
    assert row["people"] == x and row["n"] == n and row["estimate"] == pytest.approx(x / n)
    # adjusted Wald (Sauro & Lewis 2005): p~ = (x + z²/2)/(n + z²), p~ ± z·sqrt(p~(1-p~)/(n + z²))
    z = 1.959963984540054
    p = (x + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(p * (1 - p) / (n + z**2))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((p - half, p + half), rel=1e-12)
    first = funnel.loc[("checkout", "succeeded on the first attempt")]
    assert first["people"] == int(people["first_attempt_success"].sum()) < x
    outcomes = page.results["attempt_outcomes"]
    ended = outcomes[outcomes["outcome"] != "censored"]
    assert ended.groupby("task")["share of ended attempts"].sum().to_numpy() == pytest.approx([1, 1])
    assert outcomes.loc[outcomes["outcome"] == "censored", "share of ended attempts"].isna().all()
    assert any(s.startswith(f"checkout: {n:,} customers started; ") for s in page.notes)
    assert any("still open when the log ends are left out of the rates" in s for s in page.notes)


def test_completion_and_time_by_segment_from_customers_and_the_start_event(open_page):
    page = open_page()
    page.completion()
    rates = page.results["completion"].set_index("task")
    checkout = page.people[page.people["task"] == "checkout"]
    assert rates.loc["checkout", "estimate"] == pytest.approx(checkout["success"].mean())
    times = page.results["time_on_task"].set_index("task")
    assert times.loc["checkout", "estimate"] == pytest.approx(np.exp(np.log(checkout["time_s"]).mean()))
    by = page.results["completion_by_segment"]
    assert set(by["segment"]) == {"plan", "device"}  # plan from the customers, device from the start event
    mobile = by[(by["segment"] == "device") & (by["level"] == "mobile") & (by["task"] == "search")]
    search = page.people[(page.people["task"] == "search") & (page.people["device"] == "mobile")]
    assert mobile["n"].iloc[0] == len(search)
    assert set(page.results["time_by_segment"]["segment"]) == {"plan", "device"}
    assert any(s.startswith("checkout by device: completion ranges from ") for s in page.notes)


def test_completion_over_time_per_month_of_the_first_attempt(open_page):
    page = open_page()
    page.over_time()
    rates = page.results["completion_over_time"]
    months = page.people["first_start"].dt.strftime("%Y-%m")
    assert sorted(rates["month"].unique()) == sorted(months.unique())
    assert rates["n"].sum() == page.people["success"].notna().sum()
    assert any(s.startswith("checkout: completion ") and " in 2025-01 " in s for s in page.notes)


def test_cx_by_failed_attempts_recovers_the_planted_drop_in_csat(open_page):
    page = open_page()
    page.with_cx()
    joins = page.results["joins"].set_index("left")
    assert joins.loc["checkout behaviour", "right"] == "survey"
    surveyed = page.study["survey"]["customer"].nunique()
    assert joins.loc["checkout behaviour", "left_matched"] == surveyed  # every respondent has a checkout
    table = page.results["cx_by_failed_attempts"]
    csat = table[(table["task"] == "checkout") & (table["outcome"] == "csat")]
    levels = csat[csat["kind"] == "level"].set_index(bt.LEVEL)
    assert list(levels.index) == ["0", "1", "2+"]
    assert levels.loc["2+", "estimate"] < levels.loc["1", "estimate"] < levels.loc["0", "estimate"]
    test = csat[csat["kind"] == "test"].iloc[0]
    # R 4.2: kruskal.test(csat ~ factor(level), data = <the surveyed customers and their checkout level>)
    assert "Kruskal" in test["method"] and test["statistic"] == pytest.approx(132.04014277, rel=1e-9)
    assert test["df"] == 2 and test["p_value"] < 1e-6
    assert {"p_value", "log10_p_value"} <= set(table.columns)
    worst = "Customers whose checkout failed more than once gave a mean Satisfaction (CSAT) of"
    assert any(s.startswith(worst) for s in page.notes)
    # search has no planted effect: its comparison runs and says what it finds either way
    assert (table["task"] == "search").any()


def test_retention_by_failed_attempts_gives_hazard_ratios_and_the_sentence(open_page):
    page = open_page()
    page.with_retention()
    cox = page.results["cox_failed_attempts"]
    checkout = cox[cox["task"] == "checkout"].set_index("term")
    # R 4.2 (survival 3.4): coxph(Surv(duration, event) ~ level, ties = "efron"), level a factor
    # with levels 0, 1, 2+ on the customers joined to their checkout level (summary(f)$conf.int)
    for term, (hr, low, high) in {"1": (1.86486605118, 1.44097673198, 2.41345006595),
                                  "2+": (3.52017323656, 2.75914176986, 4.49111377705)}.items():
        row = checkout.loc[f"{bt.LEVEL}[{term}]"]
        assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx((hr, low, high), rel=1e-7)
    assert checkout.loc[f"{bt.LEVEL}[2+]", "ci_low"] > 1.5  # planted: 4 times the hazard of no failed attempt
    # the page's Cox model is uxcx.cox on the customers joined to their level
    data = page.results["retention_by_failed_attempts"]
    assert set(data[data["task"] == "checkout"][bt.LEVEL].dropna()) == {"0", "1", "2+"}
    # R 4.2: survdiff(Surv(duration, event) ~ level)$chisq
    logrank = page.results["logrank_failed_attempts"].set_index("task")
    assert logrank.loc["checkout", "statistic"] == pytest.approx(113.224586445, rel=1e-9)
    assert logrank.loc["checkout", "p_value"] < 1e-6
    worst = "Customers whose checkout failed more than once left"
    sentence = next(s for s in page.notes if s.startswith(worst))
    assert "times as fast as those whose checkout never failed (95% CI" in sentence
    joins = page.results["joins"].set_index("right")
    assert joins.loc["checkout behaviour", "left_keys"] == N


def test_finish_saves_results_and_findings(open_page, tmp_path):
    page = open_page()
    for section in (page.event_log, page.funnel, page.completion, page.over_time, page.with_cx,
                    page.with_retention):
        section()
    page.finish()
    doc = json.loads((tmp_path / "out" / "05_behaviour.json").read_text())
    assert doc["results"]["skipped_sections"] == {}
    assert doc["findings"] == page.notes and len(doc["findings"]) > 10
    # the index leads with what failed attempts cost: CX and churn first, the counts after
    assert doc["findings"][0].startswith("Customers whose checkout failed more than once")
    lead = [i for i, f in enumerate(doc["findings"]) if f.startswith(("Customers whose", "Retention curves"))]
    assert lead == list(range(len(lead))) and doc["findings"][len(lead)].startswith("Of 1,000,050 events")
    assert (tmp_path / "out" / "05_behaviour.funnel.csv").exists()


def test_n_boot_sets_the_resamples_of_the_effect_size_intervals(open_page, monkeypatch):
    asked, compare = [], uxcx.compare_by_level

    def recorded(*args, **kw):
        asked.append(kw["n_boot"])
        return compare(*args, **kw)

    page = open_page(n_boot=50)
    monkeypatch.setattr(uxcx, "compare_by_level", recorded, raising=False)
    page.with_cx()
    assert asked and set(asked) == {50}


def test_one_task_named_in_the_parameters(open_page):
    page = open_page(task="search")
    assert set(page.people["task"]) == {"search"} and page.tasks == ["search"]
    with pytest.raises(UxcxError, match="is not a task of the study's events: block; its tasks are"):
        open_page(task="chekout")


def _run_all(page):
    for section in (page.event_log, page.funnel, page.completion, page.over_time, page.with_cx,
                    page.with_retention):
        section()
    return page.sections.skipped


def test_without_an_events_block_every_section_says_why(open_page):
    skipped = _run_all(open_page(events=False))
    assert set(skipped) == {"The event log", "The funnel of each task", "Completion and time on task",
                            "Completion over time", "Behaviour and CX", "Behaviour and retention"}
    assert all("no events: block" in why for why in skipped.values())


def test_without_a_survey_or_customers_the_cx_and_retention_sections_say_why(open_page):
    skipped = _run_all(open_page(survey=False, customers=False))
    assert skipped["Behaviour and CX"] == "there is no survey with a customer key to join the behaviour to"
    assert "customers source" in skipped["Behaviour and retention"]
    assert "Completion by segment" not in skipped  # device, a property of the start event, remains


def test_participants_cannot_be_joined_to_customers(open_page):
    skipped = _run_all(open_page(role="participant", survey=False, customers=False))
    assert skipped["Behaviour and CX"] == skipped["Behaviour and retention"] == \
        "the event log's people are participants, not customers"
    assert "The funnel of each task" not in skipped


def test_too_few_people_leave_the_comparisons_out_with_the_threshold(open_page):
    skipped = _run_all(open_page(n=20))
    assert skipped["CX by failed attempts"].startswith("no task has 30 surveyed customers")
    assert skipped["Retention by failed attempts"].startswith("no task has 30 customers (5 of whom left)")
