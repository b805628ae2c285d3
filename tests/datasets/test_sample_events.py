"""Tests of uxcx.datasets.sample_events: the sample study's event log.

Determinism, the files' schema and counts against data/sample/README.md, every event inside
its customer's tenure (but the stated bad rows), the true attempts behind the README's
figures against what the files hold (read with DuckDB, independently of the generator), and
the planted effects (failed checkouts -> lower CSAT, faster churn) in direction and rough size.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from uxcx.datasets import sample_events_model as m
from uxcx.datasets.sample import DEFAULT_SEED, _simulate, write_sample_events
from uxcx.datasets.sample_events import events_fingerprint, simulate_events, write_events
from uxcx.datasets.sample_events_text import attempted_checkout, event_figures, failed_checkouts
from uxcx.datasets.sample_model import N_CUSTOMERS
from uxcx.report.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
README = (SAMPLE / "README.md").read_text(encoding="utf-8")
N_BAD = m.N_DUPLICATES + m.N_NULL_IDS + m.N_EMPTY_IDS + m.N_OUTSIDE


@pytest.fixture(scope="module")
def simulated():
    frames, latent = _simulate(DEFAULT_SEED)
    began = time.perf_counter()
    log = simulate_events(frames, latent, DEFAULT_SEED)
    print(f"\nsample event log: {log.facts['rows_written']:,} events simulated in "
          f"{time.perf_counter() - began:.2f} s")
    return frames, latent, log


@pytest.fixture(scope="module")
def written(simulated, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("events-a")
    began = time.perf_counter()
    write_events(folder, simulated[2], DEFAULT_SEED)
    print(f"\nsample event log: written in {time.perf_counter() - began:.2f} s")
    return folder / "events"


@pytest.fixture(scope="module")
def con(written):
    """DuckDB over the written files and the sample's customers and survey, in UTC."""
    db = duckdb.connect()
    db.execute("SET TimeZone='UTC'")
    db.execute(f"CREATE VIEW raw AS SELECT * FROM read_parquet('{written}/*.parquet')")
    db.execute(f"CREATE VIEW customers AS SELECT * FROM read_csv('{SAMPLE / 'customers.csv'}', header=true, "
               "all_varchar=true)")
    db.execute(f"CREATE VIEW survey AS SELECT * FROM read_csv('{SAMPLE / 'survey.csv'}', header=true, "
               "all_varchar=true)")
    # the rows the ledger keeps: an id, inside the study window, each distinct row once
    db.execute("CREATE VIEW kept AS SELECT DISTINCT * FROM raw WHERE user_id IS NOT NULL AND "
               "trim(user_id) <> '' AND event_time >= TIMESTAMPTZ '2024-01-01 00:00:00+00' AND "
               "event_time < TIMESTAMPTZ '2026-01-01 00:00:00+00'")
    yield db
    db.close()


def _one(con, query: str):
    return con.execute(query).fetchone()[0]


# --- size, speed, files ---------------------------------------------------------------------

def test_a_few_million_events_in_a_few_seconds(simulated, written):
    facts = simulated[2].facts
    assert 1_500_000 <= facts["rows_written"] <= 3_000_000
    assert facts["rows_written"] == facts["events"] + N_BAD
    assert sum(pq.read_metadata(p).num_rows for p in written.glob("*.parquet")) == facts["rows_written"]


def test_one_file_per_month_of_the_two_years(written):
    names = sorted(p.name for p in written.glob("*.parquet"))
    months = pd.period_range("2024-01", "2025-12", freq="M").astype(str)
    assert names == [f"{mo}.parquet" for mo in months]


def test_schema_is_the_same_in_every_file_with_a_utc_timestamp(written):
    expected = pa.schema([("user_id", pa.string()), ("session_id", pa.string()),
                          ("event_time", pa.timestamp("us", tz="UTC")), ("event_name", pa.string()),
                          ("device", pa.string()), ("page", pa.string())])
    for path in written.glob("*.parquet"):
        assert pq.read_schema(path).remove_metadata() == expected, path.name


def test_each_file_is_in_time_order_and_holds_its_month(written):
    window_start = np.datetime64("2024-01-01", "us")
    for path in written.glob("*.parquet"):
        ts = pq.read_table(path, columns=["event_time"])["event_time"].to_numpy().astype("datetime64[us]")
        dated = ts[ts >= window_start]  # the 1970 copies (a reset clock) sit beside their originals
        assert (np.diff(dated) >= np.timedelta64(0)).all(), path.name
        assert (dated.astype("datetime64[M]").astype(str) == path.stem).all(), path.name
    assert 0 < len(dated)


def test_same_seed_gives_byte_identical_files(written, tmp_path):
    write_sample_events(tmp_path, DEFAULT_SEED)
    again = tmp_path / "events"
    names = sorted(p.name for p in written.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (written / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_another_log(simulated):
    frames, latent, log = simulated
    other = simulate_events(frames, latent, DEFAULT_SEED + 1)
    assert not other.files["2025-01.parquet"].equals(log.files["2025-01.parquet"])


def test_rewriting_replaces_the_folder_whole(simulated, tmp_path):
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "stale.parquet").write_bytes(b"old")
    paths = write_events(tmp_path, simulated[2], DEFAULT_SEED)
    assert not (tmp_path / "events" / "stale.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events"]  # no temporary folder left
    manifest = json.loads((tmp_path / "events" / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["fingerprint"] == events_fingerprint(DEFAULT_SEED)
    assert sum(manifest["rows"].values()) == simulated[2].facts["rows_written"] and len(paths) == 24


def test_the_repositorys_log_exists_and_is_fresh():
    # tests/conftest.py writes data/sample/events/ at the start of the session when missing or stale
    manifest = json.loads((SAMPLE / "events" / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == DEFAULT_SEED and manifest["fingerprint"] == events_fingerprint(DEFAULT_SEED)
    assert all((SAMPLE / "events" / name).is_file() for name in manifest["rows"])


def test_sample_command_writes_the_log_alone_or_skips_it(tmp_path, capsys):
    assert main(["sample", str(tmp_path / "only"), "--events-only"]) == 0
    assert sorted(p.name for p in (tmp_path / "only").iterdir()) == ["events"]
    assert len(list((tmp_path / "only" / "events").glob("*.parquet"))) == 24
    assert main(["sample", str(tmp_path / "csv"), "--no-events"]) == 0
    assert not (tmp_path / "csv" / "events").exists()
    # the README describes the log either way: it is the committed one
    assert (tmp_path / "csv" / "README.md").read_text(encoding="utf-8") == README
    with pytest.raises(SystemExit):
        main(["sample", str(tmp_path), "--events-only", "--no-events"])


# --- the stated bad rows --------------------------------------------------------------------

def test_exact_duplicates(con):
    distinct = _one(con, "SELECT count(*) FROM (SELECT DISTINCT * FROM raw)")
    assert _one(con, "SELECT count(*) FROM raw") - distinct == m.N_DUPLICATES


def test_events_with_no_id(con):
    assert _one(con, "SELECT count(*) FROM raw WHERE user_id IS NULL") == m.N_NULL_IDS
    assert _one(con, "SELECT count(*) FROM raw WHERE user_id = ''") == m.N_EMPTY_IDS


def test_events_outside_the_study_window(con):
    assert _one(con, "SELECT count(*) FROM raw WHERE event_time < TIMESTAMPTZ '2024-01-01 00:00:00+00'") \
        == m.N_OUTSIDE
    assert _one(con, "SELECT count(*) FROM raw WHERE event_time < TIMESTAMPTZ '1970-01-02 00:00:00+00'") \
        == m.N_OUTSIDE
    assert _one(con, "SELECT count(*) FROM raw WHERE event_time >= TIMESTAMPTZ '2026-01-01 00:00:00+00'") == 0


def test_kept_rows_are_read_less_the_bad_ones(con, simulated):
    assert _one(con, "SELECT count(*) FROM kept") == simulated[2].facts["rows_written"] - N_BAD


def test_ghost_ids_match_no_customer_and_no_respondent(con, simulated):
    ghosts = con.execute("SELECT user_id, count(*) FROM kept WHERE user_id NOT IN "
                         "(SELECT \"Customer ID\" FROM customers) GROUP BY 1 ORDER BY 1").fetchall()
    facts = simulated[2].facts
    assert [g for g, _ in ghosts] == facts["ghost_ids"] and len(ghosts) == m.N_GHOSTS
    assert sum(n for _, n in ghosts) == facts["ghost_events"]
    assert _one(con, "SELECT count(*) FROM survey WHERE \"Customer ID\" IN (SELECT DISTINCT user_id "
                "FROM kept WHERE user_id NOT IN (SELECT \"Customer ID\" FROM customers))") == 0


# --- consistency with the customers -----------------------------------------------------------

def test_every_event_lies_inside_its_customers_tenure(con):
    # tenure: from 00:00 UTC of Start date to 00:00 UTC of Churn date, or to the end of 2025-12-31
    outside = _one(con, """
        SELECT count(*) FROM raw JOIN customers c ON raw.user_id = c."Customer ID"
        WHERE event_time < CAST(c."Start date" AS DATE)::TIMESTAMPTZ
           OR event_time >= COALESCE(CAST(c."Churn date" AS DATE), DATE '2026-01-01')::TIMESTAMPTZ""")
    assert outside == m.N_OUTSIDE  # the 1970 copies only


def test_a_session_belongs_to_one_customer_and_some_span_midnight(con, simulated):
    assert _one(con, "SELECT count(*) FROM (SELECT session_id FROM kept GROUP BY 1 HAVING "
                "count(DISTINCT user_id) > 1)") == 0
    facts = simulated[2].facts
    assert _one(con, "SELECT count(DISTINCT session_id) FROM kept") == facts["sessions"]
    midnight = _one(con, "SELECT count(*) FROM (SELECT session_id FROM kept GROUP BY 1 HAVING "
                    "CAST(min(event_time) AS DATE) < CAST(max(event_time) AS DATE))")
    assert midnight == facts["across_midnight"] and midnight > 0


def test_the_true_attempts_are_what_the_files_hold(con, simulated):
    # every attempt has one cart_viewed and, when it succeeds, one order_placed: per customer,
    # cart_viewed - order_placed in the kept rows counts the failed checkouts
    log = simulated[2]
    facts, a = log.facts, log.attempts
    counts = con.execute("SELECT event_name, count(*) FROM kept GROUP BY 1").fetchall()
    counts = dict(counts)
    assert counts["cart_viewed"] == facts["attempts"] == len(a)
    assert counts["order_placed"] == facts["outcome_success"] == (a["outcome"] == "success").sum()
    assert counts["form_error"] + counts["payment_error"] == facts["error_events"] == a["errors"].sum()
    per = con.execute("SELECT user_id, count(*) FILTER (event_name = 'cart_viewed') - count(*) FILTER "
                      "(event_name = 'order_placed') AS failed FROM kept GROUP BY 1").df()
    ids = pd.read_csv(SAMPLE / "customers.csv")["Customer ID"]
    from_files = per.set_index("user_id")["failed"].reindex(ids, fill_value=0).to_numpy()
    np.testing.assert_array_equal(from_files, failed_checkouts(log))


def test_retries_time_outs_and_abandonment_all_occur(simulated):
    f = simulated[2].facts
    assert min(f["outcome_restarted"], f["outcome_timeout"], f["outcome_session_end"]) >= 500
    assert f["outcome_success"] + f["outcome_restarted"] + f["outcome_timeout"] + f["outcome_session_end"] \
        == f["attempts"]


def test_time_outs_are_pauses_past_30_minutes(con):
    # events are at most 10 minutes apart (browsing; 3 inside an attempt, 1 before a retry) except
    # the pauses past the 30-minute time-out, which are 35-120 minutes: nothing in between
    gaps = con.execute("""
        SELECT (epoch_us(event_time) - epoch_us(prev)) / 6e7 AS minutes FROM (
          SELECT event_time, lag(event_time) OVER (PARTITION BY session_id ORDER BY event_time) AS prev
          FROM kept) WHERE prev IS NOT NULL""").df()["minutes"]
    assert gaps.min() > 0 and gaps.max() <= 120
    assert not gaps.between(10.0, 35.0, inclusive="neither").any()
    assert (gaps >= 35).sum() > 1000


def test_the_kits_event_measures_find_the_true_attempts(written, simulated):
    from uxcx.io.events.run import measure_events
    from uxcx.study.study_file import read_study

    config, _ = read_study(SAMPLE / "study.yml")
    measured = measure_events(config.events, written.parent)
    log = simulated[2]
    assert measured.read == log.facts["rows_written"] and measured.kept == measured.read - N_BAD
    assert measured.dropped["duplicate event"] == m.N_DUPLICATES
    assert measured.dropped["missing id"] == m.N_NULL_IDS + m.N_EMPTY_IDS
    assert measured.dropped["outside the study window"] == m.N_OUTSIDE
    got = measured.attempts.sort_values(["session", "start"])
    truth = log.attempts.sort_values(["session", "attempt"])
    np.testing.assert_array_equal(got["outcome"].astype(str), truth["outcome"])
    np.testing.assert_array_equal(got["errors"].astype(int), truth["errors"])
    people = measured.people.set_index("customer")["failed_attempts"]
    ids = pd.read_csv(SAMPLE / "customers.csv")["Customer ID"]
    np.testing.assert_array_equal(people.reindex(ids, fill_value=0).astype(int), failed_checkouts(log))
    assert people.index.isin(log.facts["ghost_ids"]).sum() == m.N_GHOSTS


# --- the README and the planted effects --------------------------------------------------------

def test_readme_states_the_counts(simulated):
    f = simulated[2].facts
    for text in (f"**{f['rows_written']:,} events**", f"**{m.N_DUPLICATES} duplicate events**",
                 f"{m.N_NULL_IDS} with `user_id` null and {m.N_EMPTY_IDS} with `user_id`",
                 f"**{m.N_OUTSIDE} events outside the study window**",
                 f"**{m.N_GHOSTS} customer ids that match no customer** ({', '.join(f['ghost_ids'])})",
                 f"their {f['ghost_events']:,} events in {f['ghost_sessions']} sessions",
                 f"{f['rows_written'] - N_BAD:,} kept and {N_BAD} dropped",
                 f"| {f['sessions']:,} / {f['checkout_sessions']:,} / {f['across_midnight']:,} |"):
        assert text in README, text


def test_failed_checkouts_go_with_lower_csat(con, simulated):
    r = event_figures(simulated[2], *simulated[:2])
    assert r["csat_0"] > r["csat_1"] > r["csat_2plus"]
    assert 0.3 < r["csat_0"] - r["csat_2plus"] < 1.0
    assert 0.05 < r["share_2plus"] < 0.3
    assert (f"**{r['csat_0']:.2f} / {r['csat_1']:.2f} / {r['csat_2plus']:.2f}** (n = {r['n_csat_0']:,} / "
            f"{r['n_csat_1']:,} / {r['n_csat_2plus']:,})") in README
    assert f"**{r['share_2plus']:.1%}**" in README
    # the same means straight from the files: the customers who viewed a cart, joined to the
    # survey's valid answers
    means = con.execute("""
        WITH failed AS (SELECT user_id, count(*) FILTER (event_name = 'cart_viewed')
                          - count(*) FILTER (event_name = 'order_placed') AS n FROM kept GROUP BY 1
                        HAVING count(*) FILTER (event_name = 'cart_viewed') > 0),
             answers AS (SELECT DISTINCT "Response ID", "Customer ID", CAST("Satisfaction" AS INT) AS csat
                         FROM survey WHERE CAST("Satisfaction" AS INT) BETWEEN 1 AND 5)
        SELECT least(coalesce(n, 0), 2) AS g, avg(csat) FROM answers JOIN customers c USING ("Customer ID")
        JOIN failed f ON f.user_id = answers."Customer ID" GROUP BY 1 ORDER BY 1""").fetchall()
    np.testing.assert_allclose([v for _, v in means], [r["csat_0"], r["csat_1"], r["csat_2plus"]], rtol=1e-12)


def test_failed_checkouts_go_with_faster_churn_by_the_kits_cox(simulated):
    import uxcx

    frames, latent, log = simulated
    r = event_figures(log, frames, latent)
    cl, tried = latent["customers"], attempted_checkout(log)
    group = np.minimum(failed_checkouts(log), 2)[tried]
    data = pd.DataFrame({"duration": np.asarray(cl["months"])[tried],
                         "event": np.asarray(cl["churned"])[tried].astype(int),
                         "failed": pd.Categorical(np.array(["0", "1", "2+"])[group], ["0", "1", "2+"])})
    fit = uxcx.cox(data, covariates="failed", check_ph=False).set_index("term")
    two = fit.loc["failed[2+]", "estimate"]
    # the README's figures (statsmodels PHReg) are the kit's Cox model (tested against R's coxph), Efron ties
    np.testing.assert_allclose(two, r["hr_2plus"], rtol=1e-5)
    np.testing.assert_allclose(fit.loc["failed[2+]", ["ci_low", "ci_high"]].astype(float), r["hr_2plus_ci"],
                               rtol=1e-4)
    np.testing.assert_allclose(fit.loc["failed[1]", "estimate"], r["hr_1"], rtol=1e-5)
    # R 4.2.2, survival: d = this frame (the 4,765 customers who attempted a checkout) as CSV,
    # failed a factor with levels 0, 1, 2+;
    # summary(coxph(Surv(duration, event) ~ failed, data = d))$conf.int (Efron ties):
    #   failed1 1.536478742 (1.334805962-1.768621802), failed2+ 2.856192863 (2.517956251-3.239864739)
    np.testing.assert_allclose([r["hr_1"], r["hr_2plus"], *r["hr_2plus_ci"]],
                               [1.536478742, 2.856192863, 2.517956251, 3.239864739], rtol=1e-8)
    assert 1.6 < two < 3.5 and r["hr_2plus_ci"][0] > 1.3  # planted: a clearly faster churn
    assert f"**{r['hr_2plus']:.2f}** ({r['hr_2plus_ci'][0]:.2f}-{r['hr_2plus_ci'][1]:.2f})" in README
    assert r["churn_2plus"] > r["churn_1"] > r["churn_0"]


def test_only_real_customers_csat_enters_the_model(simulated):
    frames, _, log = simulated
    assert log.ids[:N_CUSTOMERS].tolist() == frames["customers"]["Customer ID"].tolist()
    assert log.attempts["customer"].max() < N_CUSTOMERS + m.N_GHOSTS
