"""A study with an event log: load_study measures it, accounts for every event, links its ids."""

from __future__ import annotations

import textwrap

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from uxcx.errors import DataError
from uxcx.study.cache import _inputs
from uxcx.study.load import load_study

STUDY = """\
name: shop
sources:
  customers:
    path: customers.csv
    columns: {Customer: customer, Start: start, End: end}
events:
  path: events/
  columns: {uid: customer, sid: session, at: timestamp, name: event, device: device}
  window: [2025-01-01, 2025-12-31]
  tasks:
    checkout: {start: [cart_viewed], success: [order_placed], errors: [payment_error], timeout: 30 min}
analysis:
  observed_until: 2025-12-31
"""


def _log(rows):
    frame = pd.DataFrame(rows, columns=["uid", "sid", "at", "name", "device"])
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return pa.Table.from_pandas(frame, preserve_index=False)


@pytest.fixture()
def shop(tmp_path):
    (tmp_path / "study.yml").write_text(textwrap.dedent(STUDY))
    (tmp_path / "customers.csv").write_text(
        "Customer,Start,End\nc1,2024-06-01,\nc2,2024-06-01,2025-09-30\nc3,2024-07-01,\n")
    (tmp_path / "events").mkdir()
    pq.write_table(_log([
        # c1: an error, then success 4 minutes after the start
        ("c1", "s1", "2025-03-01 10:00:00", "cart_viewed", "mobile"),
        ("c1", "s1", "2025-03-01 10:01:00", "payment_error", "mobile"),
        ("c1", "s1", "2025-03-01 10:04:00", "order_placed", "mobile"),
        ("c1", "s1", "2025-03-01 10:04:00", "order_placed", "mobile"),  # a logging retry: one kept
        # c2: times out, tries again the next day and succeeds
        ("c2", "s2", "2025-03-02 09:00:00", "cart_viewed", "desktop"),
        ("c2", "s2", "2025-03-02 09:45:00", "page_view", "desktop"),
        ("c2", "s3", "2025-03-03 09:00:00", "cart_viewed", "desktop"),
        ("c2", "s3", "2025-03-03 09:02:30", "order_placed", "desktop"),
    ]), tmp_path / "events" / "2025-03.parquet")
    pq.write_table(_log([
        ("x9", "s9", "2025-04-01 12:00:00", "cart_viewed", "mobile"),   # a test account: no customer
        ("x9", "s9", "2025-04-01 12:00:10", "order_placed", "mobile"),
        (None, "s8", "2025-04-01 12:00:00", "cart_viewed", "mobile"),   # no id
        ("c3", "s7", "2026-02-01 12:00:00", "cart_viewed", "mobile"),   # after the window
    ]), tmp_path / "events" / "2025-04.parquet")
    return tmp_path / "study.yml"


def test_the_event_log_becomes_behaviour_and_attempts(shop):
    study = load_study(shop)
    people = study.frames["behaviour"].set_index("customer")
    assert sorted(people.index) == ["c1", "c2", "x9"]
    assert people.loc["c1", ["success", "errors", "attempts", "retries"]].tolist() == [1, 1, 1, 0]
    assert people.loc["c1", "time_s"] == 240
    c2 = people.loc["c2", ["success", "attempts", "retries", "first_attempt_success"]]
    assert c2.tolist() == [1, 2, 1, 0]
    assert people.loc["c2", "time_s"] == 150
    attempts = study.frames["attempts"]
    assert sorted(attempts["outcome"]) == ["success", "success", "success", "timeout"]


def test_every_event_is_accounted_for(shop):
    account = load_study(shop).ledger.sources["events"]
    assert account.read == 12
    assert account.reasons == {"missing id": 1, "outside the study window": 1, "duplicate event": 1}
    assert account.kept == 9 and account.read == account.kept + account.n_dropped
    exported = account.as_dict()
    assert exported["dropped"] == 3 and exported["unit"] == "event" and exported["dropped_rows_are_examples"]
    assert all("2025-" in row["hint"] for row in account.exported().to_dict("records"))


def test_ids_with_no_customer_are_counted_and_named_in_a_note(shop):
    study = load_study(shop)
    link = next(li for li in study.ledger.links if li.left == "events.customer")
    assert (link.right, link.left_keys, link.left_matched, link.right_keys, link.right_matched) == (
        "customers.customer", 3, 2, 3, 2)
    assert any("1 of the 3 customer ids" in note for note in study.ledger.sources["events"].notes)


def test_stop_mode_stops_on_dropped_events_naming_their_reasons(shop):
    with pytest.raises(DataError) as err:
        load_study(shop, on_invalid="stop")
    text = str(err.value)
    assert "missing id" in text and "outside the study window" in text
    assert "x9" not in text  # an id is never printed raw


def test_the_report_cache_sees_a_changed_partition(shop):
    study = load_study(shop)
    before = _inputs(study)
    pq.write_table(_log([("c3", "s1", "2025-05-01 10:00:00", "cart_viewed", "mobile")]),
                   shop.parent / "events" / "2025-05.parquet")
    assert _inputs(study) != before


def test_a_second_load_reuses_the_measures_until_a_partition_changes(shop):
    first = load_study(shop)
    first.frames["behaviour"].loc[0, "errors"] = 99  # a researcher's edit stays in their study
    again = load_study(shop)
    assert 99 not in again.frames["behaviour"]["errors"].tolist()
    pq.write_table(_log([("c3", "s5", "2025-05-01 10:00:00", "cart_viewed", "mobile"),
                         ("c3", "s5", "2025-05-01 10:00:30", "order_placed", "mobile")]),
                   shop.parent / "events" / "2025-05.parquet")
    changed = load_study(shop)
    assert "c3" in set(changed.frames["behaviour"]["customer"])
    assert changed.ledger.sources["events"].read == 14


def test_dropped_events_name_their_file_and_show_read_times_but_no_ids(shop):
    dropped = load_study(shop).ledger.dropped().query("source == 'events'")
    by_reason = dropped.set_index("reason")
    assert by_reason.loc["outside the study window", "column"] == "at, 2025-04.parquet"
    assert by_reason.loc["outside the study window", "value"].startswith("2026-02-01 12:00:00")
    assert by_reason.loc["duplicate event", "value"].startswith("2025-03-01 10:04:00")
    assert by_reason.loc["missing id", "column"] == "uid, 2025-04.parquet"
    assert not dropped["value"].astype(str).str.contains("c1|c2|c3|x9").any()
