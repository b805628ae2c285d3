"""Task measures from event logs (uxcx.io.events.tasks): every rule by hand, then against a reference.

Each small log is registered as the view ``clean_events`` in DuckDB (and in Spark, for the tests
marked ``spark``); times are written in minutes from an origin, the time-out is 10 minutes.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uxcx.errors import StudyError
from uxcx.io.events.task_frames import attempts_frame, measure_tasks, people_frame
from uxcx.io.events.tasks import literal, task_queries

MIN = 60_000_000  # one minute in microseconds
T0 = 1_750_000_000 * 1_000_000  # 2025-06-15 15:06:40 UTC, in microseconds
LOG_END = T0 + 10_000 * MIN


def task(start, success, errors=(), timeout_min=10.0):
    return SimpleNamespace(start=list(start), success=list(success), errors=list(errors),
                           timeout_s=timeout_min * 60.0)


CHECKOUT = {"checkout": task(["cart"], ["buy"], ["err"])}


def log(rows, properties=()):
    """rows: (person, session, minute, event, *properties) -> the clean_events columns."""
    columns = ["person", "session", "minute", "event", *properties]
    frame = pd.DataFrame(rows, columns=columns)
    frame.insert(2, "ts_us", T0 + np.round(frame.pop("minute").to_numpy(float) * MIN).astype("int64"))
    return frame


class DuckEngine:
    dialect = "duckdb"

    def __init__(self, con):
        self.con = con

    def register(self, events: pd.DataFrame):
        self.con.register("raw_events", events)
        casts = ", ".join(f"CAST({c} AS {'BIGINT' if c == 'ts_us' else 'VARCHAR'}) AS {c}" for c in events)
        self.con.execute(f"CREATE OR REPLACE VIEW clean_events AS SELECT {casts} FROM raw_events")

    def sql(self, query, **_):
        return self.con.execute(query).df()

    def execute(self, query):
        self.con.execute(query)


class SparkEngine:
    dialect = "spark"

    def __init__(self, spark):
        self.spark = spark

    def register(self, events: pd.DataFrame):
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        schema = StructType([StructField(c, LongType() if c == "ts_us" else StringType()) for c in events])
        rows = [tuple(None if pd.isna(v) else (int(v) if c == "ts_us" else str(v)) for c, v in r.items())
                for _, r in events.iterrows()]
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView("clean_events")

    def sql(self, query, **_):
        return self.spark.sql(query).toPandas()

    def execute(self, query):
        self.spark.sql(query)


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request, duckdb_con):
    if request.param == "duckdb":
        return DuckEngine(duckdb_con)
    return SparkEngine(request.getfixturevalue("spark"))


def measure(engine, events, tasks=CHECKOUT, *, has_session=True, properties=(), log_end_us=LOG_END,
            id_role="customer"):
    engine.register(events)
    measured = measure_tasks(engine, tasks, has_session=has_session, properties=list(properties),
                             log_end_us=log_end_us, id_role=id_role)
    return measured.attempts, measured.people


def minutes(stamps: pd.Series) -> list[float]:
    return ((stamps - pd.Timestamp(T0, unit="us", tz="UTC")) / pd.Timedelta(minutes=1)).round(6).tolist()


def check(frame, **expected):
    """Each named column of ``frame`` (start/end in minutes from T0) equals the values given."""
    for column, values in expected.items():
        got = minutes(frame[column]) if column in ("start", "end", "first_start") else frame[column].tolist()
        assert len(got) == len(values), (column, got)
        for g, v in zip(got, values):
            assert (pd.isna(g) and pd.isna(v)) or g == v, (column, got, values)


def test_success_time_errors_steps(engine):
    events = log([("a", "s", 0, "cart"), ("a", "s", 1, "page"), ("a", "s", 2, "err"), ("a", "s", 3, "buy"),
                  ("a", "s", 4, "err"), ("a", "s", 5, "page")])
    attempts, people = measure(engine, events)
    check(attempts, person=["a"], session=["s"], task=["checkout"], attempt=[1], start=[0], end=[3],
          outcome=["success"], success=[1.0], time_s=[180.0], errors=[1], steps=[4], retry=[0])
    check(people, customer=["a"], attempts=[1], successes=[1], success=[1.0], first_attempt_success=[1.0],
          time_s=[180.0], errors=[1], failed_attempts=[0], clicks=[4.0], retries=[0], abandoned=[0.0],
          first_start=[0])
    assert str(attempts["start"].dt.tz) == "UTC" and attempts["errors"].dtype == "int64"
    assert attempts["person"].dtype == "string" and people["success"].dtype == "float64"


def test_timeout_ends_at_start_plus_timeout_and_a_late_success_is_not_counted(engine):
    # the session goes on past the time-out (10 min): the success at 15 min comes too late
    events = log([("a", "s", 0, "cart"), ("a", "s", 5, "err"), ("a", "s", 12, "page"), ("a", "s", 15, "buy")])
    attempts, people = measure(engine, events)
    check(attempts, outcome=["timeout"], end=[10], success=[0.0], time_s=[np.nan], errors=[1], steps=[2])
    check(people, success=[0.0], abandoned=[1.0], failed_attempts=[1], clicks=[np.nan], time_s=[np.nan])


def test_timeout_is_inclusive_to_the_microsecond(engine):
    events = log([("a", "s", 0, "cart"), ("a", "s", 10, "buy"),
                  ("b", "s", 0, "cart"), ("b", "s", 10 + 1 / MIN, "buy")])
    attempts, _ = measure(engine, events)
    check(attempts, person=["a", "b"], outcome=["success", "timeout"], time_s=[600.0, np.nan], steps=[2, 1])


def test_restart_and_retry(engine):
    events = log([("a", "s", 0, "cart"), ("a", "s", 1, "err"), ("a", "s", 2, "cart"), ("a", "s", 3, "page"),
                  ("a", "s", 4, "buy"), ("a", "s", 30, "cart"), ("a", "s", 40, "cart"), ("a", "s", 41, "x")])
    attempts, people = measure(engine, events)
    # the restart at exactly the time-out (40 = 30 + 10) still counts as a restart
    check(attempts, attempt=[1, 2, 3, 4], start=[0, 2, 30, 40], end=[2, 4, 40, 41],
          outcome=["restarted", "success", "restarted", "session_end"], success=[0.0, 1.0, 0.0, 0.0],
          time_s=[np.nan, 120.0, np.nan, np.nan], errors=[1, 0, 0, 0], steps=[2, 3, 1, 2], retry=[0, 1, 0, 1])
    check(people, attempts=[4], successes=[1], success=[1.0], first_attempt_success=[0.0], time_s=[120.0],
          errors=[1], failed_attempts=[3], clicks=[3.0], retries=[2], abandoned=[1.0])


def test_session_end_and_attempts_numbered_across_sessions(engine):
    # a start in the next session is not a restart: the first attempt ends with its session
    events = log([("a", "s1", 0, "cart"), ("a", "s1", 2, "page"),
                  ("a", "s2", 5, "cart"), ("a", "s2", 6, "buy")])
    attempts, people = measure(engine, events)
    check(attempts, session=["s1", "s2"], attempt=[1, 2], end=[2, 6], outcome=["session_end", "success"],
          steps=[2, 2], retry=[0, 1])
    check(people, attempts=[2], failed_attempts=[1], first_attempt_success=[0.0], abandoned=[0.0],
          retries=[1])


def test_without_sessions_an_attempt_runs_to_its_timeout(engine):
    events = log([("a", None, 0, "cart"), ("a", None, 2, "page"),
                  ("a", None, 5, "cart"), ("a", None, 6, "buy")])
    attempts, _ = measure(engine, events, has_session=False)
    check(attempts, session=[pd.NA, pd.NA], outcome=["restarted", "success"], end=[5, 6], steps=[2, 2])
    events = log([("a", None, 0, "cart"), ("a", None, 2, "page")])
    attempts, _ = measure(engine, events, has_session=False)
    check(attempts, outcome=["timeout"], end=[10], steps=[2])


def test_censored_at_the_end_of_the_log(engine):
    # the log ends at 25 min: the time-outs of b's second attempt (30) and of c's (28) reach past it
    events = log([("a", "s", 0, "cart"), ("a", "s", 1, "page"),
                  ("b", "s", 0, "cart"), ("b", "s", 20, "cart"), ("b", "s", 21, "err"),
                  ("c", "s", 18, "cart"), ("c", "s", 19, "page")])
    attempts, people = measure(engine, events, log_end_us=T0 + 25 * MIN)
    check(attempts, person=["a", "b", "b", "c"], outcome=["session_end", "timeout", "censored", "censored"],
          end=[1, 10, 25, 25], success=[0.0, 0.0, np.nan, np.nan], errors=[0, 0, 1, 0], steps=[2, 1, 2, 2],
          retry=[0, 0, 1, 0], time_s=[np.nan] * 4)
    check(people, customer=["a", "b", "c"], success=[0.0, np.nan, np.nan], failed_attempts=[1, 1, 0],
          abandoned=[1.0, 1.0, np.nan], first_attempt_success=[0.0, 0.0, np.nan], retries=[0, 1, 0],
          successes=[0, 0, 0], attempts=[1, 2, 1])


def test_ties_start_first_then_others_errors_successes_then_names(engine):
    tasks = {"checkout": task(["cart", "cart2"], ["buy", "buy2"], ["err"])}
    events = log([
        # logged at once: cart, page, err, buy in that order (an attempt of 0 s, the error in it)
        ("a", "s", 0, "buy"), ("a", "s", 0, "err"), ("a", "s", 0, "page"), ("a", "s", 0, "cart"),
        ("b", "s", 0, "cart2"), ("b", "s", 0, "cart"),  # cart begins, cart2 restarts at once
        ("c", "s", 0, "cart"), ("c", "s", 1, "buy2"), ("c", "s", 1, "buy"),  # buy ends it; buy2 after
    ])
    attempts, _ = measure(engine, events, tasks)
    check(attempts, person=["a", "b", "b", "c"], outcome=["success", "restarted", "session_end", "success"],
          time_s=[0.0, np.nan, np.nan, 60.0], errors=[1, 0, 0, 0], steps=[4, 1, 1, 2], end=[0, 0, 0, 1])


def test_errors_outside_attempts_and_success_without_start(engine):
    events = log([("a", "s", 0, "err"), ("a", "s", 1, "buy"), ("a", "s", 2, "cart"), ("a", "s", 3, "buy"),
                  ("a", "s", 4, "err"), ("b", "s", 0, "buy"), ("b", "s", 1, "err")])
    attempts, people = measure(engine, events)
    check(attempts, person=["a"], outcome=["success"], errors=[0], steps=[2])
    check(people, customer=["a"], errors=[0])


def test_two_tasks_sharing_an_event(engine):
    tasks = {"search": task(["home"], ["cart"]), "checkout": task(["cart"], ["buy"], ["err"], timeout_min=3)}
    events = log([("a", "s", 0, "home"), ("a", "s", 1, "cart"), ("a", "s", 2, "err"), ("a", "s", 5, "buy"),
                  ("a", "s", 6, "page")])
    attempts, people = measure(engine, events, tasks)
    check(attempts, task=["checkout", "search"], start=[1, 0], outcome=["timeout", "success"], end=[4, 1],
          errors=[1, 0], steps=[2, 2])
    check(people, task=["checkout", "search"], success=[0.0, 1.0], clicks=[np.nan, 2.0])


def test_properties_come_from_the_start_event_and_the_first_attempt(engine):
    events = log([("a", "s", 0, "cart", "phone", None), ("a", "s", 1, "page", "desktop", "p1"),
                  ("a", "s", 2, "cart", "tablet", "p2"), ("a", "s", 3, "buy", "desktop", "p3")],
                 properties=["device", "page"])
    attempts, people = measure(engine, events, properties=["device", "page"])
    check(attempts, device=["phone", "tablet"], page=[pd.NA, "p2"])
    check(people, device=["phone"], page=[pd.NA])
    assert list(people.columns[-2:]) == ["device", "page"]


def test_names_with_quotes_backslashes_and_accents_are_literals(engine):
    tasks = {"it's": task(["pan'ier \\ vu"], ["commandé ✓"])}
    events = log([("a", "s", 0, "pan'ier \\ vu"), ("a", "s", 1, "commandé ✓")])
    attempts, _ = measure(engine, events, tasks)
    check(attempts, task=["it's"], outcome=["success"], time_s=[60.0])


def test_bad_names_and_properties_are_refused():
    with pytest.raises(StudyError, match="control character"):
        literal("cart\nviewed")
    with pytest.raises(StudyError, match="both a start and a success"):
        task_queries({"t": task(["a"], ["a"])}, has_session=True, properties=[], log_end_us=0)
    with pytest.raises(StudyError, match="clash"):
        task_queries(CHECKOUT, has_session=True, properties=["errors"], log_end_us=0)
    with pytest.raises(StudyError, match="at least one task"):
        task_queries({}, has_session=True, properties=[], log_end_us=0)
    assert literal("a'b\\c") == "'a' || CHR(39) || 'b' || CHR(92) || 'c'"


# ---- a reference written from the rules, one event at a time (fine on tiny logs) ----

def sort_key(properties):
    """The tie order of the rules: time, kind, name, then properties with missing ones first."""
    def key(r):
        props = [(isinstance(r[p], str), r[p] if isinstance(r[p], str) else "") for p in properties]
        return (r["ts_us"], r["kind"], r["event"], *props)
    return key


def reference_partition(order, name, timeout, *, has_session, properties, log_end_us):
    """The attempts of one person (session) at one task, walking its events in order."""
    rows, current = [], None
    for i, r in enumerate(order):
        if current is not None and r["ts_us"] > current["start_us"] + timeout:
            rows.append({**current, "outcome": "timeout", "end_us": current["start_us"] + timeout})
            current = None
        if r["kind"] == 0:
            if current is not None:
                rows.append({**current, "outcome": "restarted", "end_us": r["ts_us"]})
            current = {"person": r["person"], "session": r["session"] if has_session else None,
                       "task": name, "start_us": r["ts_us"], "errors": 0, "steps": 1, "seq": i,
                       **{p: r[p] for p in properties}}
        elif current is not None:
            current["steps"] += 1
            current["errors"] += r["kind"] == 2
            if r["kind"] == 3:
                rows.append({**current, "outcome": "success", "end_us": r["ts_us"]})
                current = None
    if current is not None:
        if current["start_us"] + timeout > log_end_us:
            rows.append({**current, "outcome": "censored", "end_us": log_end_us})
        elif has_session:
            rows.append({**current, "outcome": "session_end", "end_us": order[-1]["ts_us"]})
        else:
            rows.append({**current, "outcome": "timeout", "end_us": current["start_us"] + timeout})
    return rows


def reference_attempts(events, tasks, *, has_session, properties, log_end_us):
    events = events.drop_duplicates()  # a repeat of an event is no event
    rows = []
    for name, t in tasks.items():
        kinds = {**{e: 0 for e in t.start}, **{e: 2 for e in t.errors}, **{e: 3 for e in t.success}}
        keys = ["person", "session"] if has_session else ["person"]
        for _, part in events.groupby(keys, dropna=False, sort=False):
            part = part.assign(kind=part["event"].map(kinds).fillna(1).astype(int))
            order = sorted(part.to_dict("records"), key=sort_key(properties))
            rows += reference_partition(order, name, round(t.timeout_s * 1e6), has_session=has_session,
                                        properties=properties, log_end_us=log_end_us)
    out = pd.DataFrame(rows, columns=["person", "session", "task", "start_us", "end_us", "outcome", "errors",
                                      "steps", "seq", *properties])
    out["session_key"] = out["session"].fillna("")
    out = out.sort_values(["task", "person", "start_us", "session_key", "seq"], kind="stable")
    out["attempt"] = out.groupby(["task", "person"]).cumcount() + 1
    previous = out.groupby(["task", "person"])["outcome"].shift()
    out["retry"] = (previous.notna() & (previous != "success")).astype(int)
    out["success"] = out["outcome"].map({"success": 1.0, "censored": np.nan}).fillna(0.0)
    out.loc[out["outcome"] == "censored", "success"] = np.nan
    out["time_us"] = np.where(out["outcome"] == "success", out["end_us"] - out["start_us"], np.nan)
    for i, p in enumerate(properties):
        out[f"p_{i}"] = out[p]
    return attempts_frame(out, properties)


def reference_people(attempts, properties):
    rows = []
    for (name, person), a in attempts.groupby(["task", "person"], sort=True):
        a = a.sort_values("attempt")
        ok = a[a["outcome"] == "success"]
        observed = a[a["outcome"] != "censored"]
        first = a.iloc[0]
        rows.append({
            "customer": person, "task": name, "attempts": len(a), "successes": len(ok),
            "success": 1.0 if len(ok) else (np.nan if (a["outcome"] == "censored").any() else 0.0),
            "first_attempt_success": first["success"], "time_s": ok["time_s"].iloc[0] if len(ok) else np.nan,
            "errors": a["errors"].sum(), "failed_attempts": int(a["outcome"].isin(
                ["timeout", "restarted", "session_end"]).sum()),
            "clicks": float(ok["steps"].iloc[0]) if len(ok) else np.nan, "retries": a["retry"].sum(),
            "abandoned": 1.0 - observed["success"].iloc[-1] if len(observed) else np.nan,
            "first_start": first["start"], **{p: first[p] for p in properties}})
    return rows


EVENTS = ["home", "cart", "buy", "err", "page", "zz"]
TWO_TASKS = {"checkout": task(["cart"], ["buy"], ["err"], timeout_min=4),
             "search": task(["home"], ["cart", "buy"], ["zz"], timeout_min=3)}


def random_log(seed, n, people=3):
    rng = np.random.default_rng(seed)
    return log(list(zip(rng.choice([f"p{i}" for i in range(1, people + 1)], n), rng.choice(["s1", "s2"], n),
                        rng.integers(0, 15, n).astype(float), rng.choice(EVENTS, n),
                        rng.choice(np.array(["m", "d", None], dtype=object), n))), properties=["device"])


def compare_with_reference(engine, events, has_session, log_end):
    attempts, people = measure(engine, events, TWO_TASKS, has_session=has_session, properties=["device"],
                               log_end_us=log_end)
    if not has_session:
        events = events.assign(session=None)
    expected = reference_attempts(events, TWO_TASKS, has_session=has_session, properties=["device"],
                                  log_end_us=log_end)
    expected = expected.sort_values(["task", "person", "attempt"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(attempts, expected)
    expected_people = pd.DataFrame(reference_people(expected, ["device"]), columns=people.columns)
    pd.testing.assert_frame_equal(people, expected_people.astype(people.dtypes.to_dict()))
    return attempts, people


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40), has_session=st.booleans(),
       log_end_min=st.sampled_from([14, 16, 60]))
def test_agrees_with_a_reference_written_from_the_rules(duckdb_con, seed, n, has_session, log_end_min):
    compare_with_reference(DuckEngine(duckdb_con), random_log(seed, n), has_session, T0 + log_end_min * MIN)


@pytest.mark.spark
def test_spark_and_duckdb_give_equal_frames(spark, duckdb_con):
    events = random_log(20261203, 400, people=40)
    duck = compare_with_reference(DuckEngine(duckdb_con), events, True, T0 + 16 * MIN)
    on_spark = compare_with_reference(SparkEngine(spark), events, True, T0 + 16 * MIN)
    for d, s in zip(duck, on_spark):
        pd.testing.assert_frame_equal(d, s)
    assert set(duck[0]["outcome"]) == {"success", "restarted", "censored", "session_end", "timeout"}


@pytest.mark.spark
def test_the_queries_alone_give_the_same_tables_on_both_engines(spark, duckdb_con):
    events = random_log(7, 120)
    queries = task_queries(TWO_TASKS, has_session=True, properties=["device"], log_end_us=T0 + 16 * MIN)
    frames = []
    for engine in (DuckEngine(duckdb_con), SparkEngine(spark)):
        engine.register(events)
        frames.append((attempts_frame(engine.sql(queries["attempts"]), ["device"]),
                       people_frame(engine.sql(queries["people"]), ["device"], id_role="customer")))
    measured = measure(DuckEngine(duckdb_con), events, TWO_TASKS, properties=["device"],
                       log_end_us=T0 + 16 * MIN)
    for duck, on_spark, once in zip(*frames, measured):
        pd.testing.assert_frame_equal(duck, on_spark)
        pd.testing.assert_frame_equal(duck, once)
