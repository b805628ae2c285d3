"""The study file's events: block: what it accepts, and what it refuses in words."""

from __future__ import annotations

import textwrap

import pytest

from uxcx.errors import StudyError
from uxcx.study.events_options import EventsConfig, parse_timeout
from uxcx.study.study_file import read_study

BLOCK = """\
name: behaviour
events:
  path: events/
  columns: {user_id: customer, session_id: session, event_time: timestamp, event_name: event,
            device: device, page: page}
  tasks:
    checkout: {start: [cart_viewed], success: [order_placed], errors: [payment_error], timeout: 30 min}
"""


def _study(tmp_path, text: str):
    (tmp_path / "events").mkdir(exist_ok=True)
    file = tmp_path / "study.yml"
    file.write_text(textwrap.dedent(text))
    return file


def test_a_study_of_an_event_log_alone_reads(tmp_path):
    config, _ = read_study(_study(tmp_path, BLOCK))
    events = config.events
    assert config.sources == {}
    assert events.id_role == "customer" and events.has_session
    assert events.properties == ["device", "page"]
    assert events.header("timestamp") == "event_time"
    task = events.tasks["checkout"]
    assert (task.start, task.success, task.errors, task.timeout_s) == (
        ["cart_viewed"], ["order_placed"], ["payment_error"], 1800.0)
    assert events.engine == "duckdb" and events.spark_master is None and events.timezone == "UTC"


def test_spark_is_one_line_and_its_master_another(tmp_path):
    text = BLOCK.replace("  tasks:", "  engine: spark\n  spark: {master: \"local[2]\"}\n  tasks:")
    events = read_study(_study(tmp_path, text))[0].events
    assert (events.engine, events.spark_master) == ("spark", "local[2]")


@pytest.mark.parametrize("written, seconds", [("30 min", 1800), ("1 h", 3600), ("90 s", 90), (45, 45),
                                              ("1.5 hours", 5400), ("2 d", 172800)])
def test_time_outs_are_read_with_their_unit(written, seconds):
    assert parse_timeout(written) == seconds


@pytest.mark.parametrize("written", ["30 parsecs", "soon", 0, -5, True, "1e9999 s"])
def test_a_time_out_that_is_no_duration_is_refused(written):
    with pytest.raises(ValueError, match="time-out"):
        parse_timeout(written)


@pytest.mark.parametrize("change, message", [
    (("user_id: customer, ", ""), "exactly one column to the person's id"),
    (("user_id: customer", "user_id: customer, account: participant"), "exactly one column"),
    (("event_name: event,", ""), "'event'"),
    (("device: device", "device: event"), "mapped more than once"),
    (("timeout: 30 min", "timeout: 30 minuets"), "time-out is a number and a unit"),
    (("success: [order_placed]", "success: [cart_viewed]"), "both a start and a success event"),
    (("path: events/", "path: events/\n  timezone: Mars/Olympus"), "unknown time zone"),
    (("path: events/", "path: events/\n  window: [2025-12-31, 2025-01-01]"), "first day, last day"),
    (("path: events/", "path: events/\n  engine: hadoop"), "engine"),
    (("path: events/", "path: events/\n  colums: {}"), "did you mean 'columns'"),
    (("errors: [payment_error]", "erors: [payment_error]"), "did you mean 'errors'"),
    (("path: events/", "path: events/\n  memory_limit: lots"), "memory_limit"),
])
def test_mistakes_in_the_block_are_named(tmp_path, change, message):
    with pytest.raises(StudyError) as err:
        read_study(_study(tmp_path, BLOCK.replace(*change)))
    assert message in str(err.value)


def test_an_event_name_with_control_characters_is_refused():
    with pytest.raises(ValueError, match="printable"):
        EventsConfig.model_validate({
            "path": "e", "columns": {"a": "customer", "b": "timestamp", "c": "event"},
            "tasks": {"t": {"start": ["x\x00"], "success": ["y"], "timeout": 60}}})


def test_a_study_with_neither_sources_nor_events_says_what_to_add(tmp_path):
    with pytest.raises(StudyError, match="at least one source"):
        read_study(_study(tmp_path, "name: empty\n"))
