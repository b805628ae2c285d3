"""A study's event log: measured in its engine, accounted for, linked to the other sources.

:func:`load_events` runs the ``events:`` block (:mod:`uxcx.study.events_options`) through
:func:`uxcx.io.events.run.measure_events` and adds two frames to the study:
``behaviour``, one row per person × task (the usability roles ``task``, ``success``,
``time_s``, ``errors``, ``clicks``, ``abandoned`` and the id, so the rest of the kit reads
it as a usability source), and ``attempts``, one row per attempt. The ledger gains an
``events`` account (:class:`~uxcx.study.event_ledger.EventLedger`) and the links gain the
coverage of the log's ids among the customers (or participants) of the other sources.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pandas as pd

from uxcx.study.cache import listed_files, listing
from uxcx.study.event_ledger import event_account
from uxcx.study.ledger import Ledger, LinkCoverage

__all__ = ["load_events", "BEHAVIOUR", "ATTEMPTS"]

BEHAVIOUR, ATTEMPTS = "behaviour", "attempts"
# the sources a log's ids are looked up in: its people's records and their answers (a usability
# test of 60 among a log of millions would only read as 99% unmatched)
_PARTNERS = {"customer": ("customers", "survey"), "participant": ("usability", "questionnaire")}
# where every person of the log should be found: an id missing there is worth a note
_HOME = {"customer": "customers", "participant": "usability"}
_MEASURED: dict = {}
_SAY_PROGRESS = 256 * 2**20  # bytes of log above which the load says what it is doing


def _measured(events, folder):
    """The log's measures, run once per process while its files and settings are unchanged.

    A notebook session or a test run loads the same study many times; the engine's pass over
    millions of events is the cost of a load, and the result is the same while the files
    (by name, size and modification time) and the ``events:`` block are.
    """
    from uxcx.io.events.run import measure_events

    key = (events.model_dump_json(), str(Path(folder).resolve()), listing(Path(folder), events.path))
    if key not in _MEASURED:
        _MEASURED.clear()  # one log at a time: a large one's frames are not kept twice
        files = listed_files(Path(folder), events.path)
        size = sum(f.stat().st_size for f in files)
        if size > _SAY_PROGRESS:  # a minute or two of silence reads as a hang
            print(f"uxcx: measuring the event log ({len(files):,} files, {size / 2**20:,.0f} MiB) "
                  f"in {events.engine} ...", file=sys.stderr, flush=True)
        _MEASURED[key] = measure_events(events, folder)
        if size > _SAY_PROGRESS:
            m = _MEASURED[key]
            print(f"uxcx: {m.read:,} events measured in {m.seconds:,.0f} s: {len(m.attempts):,} attempts "
                  f"by {len(m.people):,} person-tasks", file=sys.stderr, flush=True)
    return copy.deepcopy(_MEASURED[key])  # the study's frames are its own to change


def load_events(config, folder, frames: dict, ledger: Ledger, *, secret=None,
                show_dropped_values: bool = False) -> list:
    """Measure the study's event log into ``frames`` and ``ledger``; returns the problems of
    dropped events (for ``on_invalid: stop``), empty when none were dropped."""
    events = config.events
    measures = _measured(events, folder)
    account = event_account(measures, events, file=events.path)
    account.pseudonym_secret = secret
    account.show_dropped_values = show_dropped_values
    ledger.sources["events"] = account
    frames[BEHAVIOUR] = measures.people.reset_index(drop=True)
    key = events.id_role
    # columns named by role, as in every frame of the study (the engine calls the id person)
    frames[ATTEMPTS] = measures.attempts.rename(columns={"person": key}).reset_index(drop=True)
    logged = pd.Index(frames[BEHAVIOUR][key].dropna().unique()) if len(frames[BEHAVIOUR]) else pd.Index([])
    for partner in _PARTNERS[key]:
        other = frames.get(partner)
        if other is None or key not in other:
            continue
        theirs = pd.Index(other[key].dropna().unique())
        coverage = LinkCoverage(f"events.{key}", f"{partner}.{key}", len(logged),
                                int(logged.isin(theirs).sum()), len(theirs), int(theirs.isin(logged).sum()))
        ledger.links.append(coverage)
        unmatched = coverage.left_keys - coverage.left_matched
        if unmatched and partner == _HOME[key]:
            account.notes.append(
                f"{unmatched:,} of the {coverage.left_keys:,} {key} ids with a task attempt in the event "
                f"log match no {key} of the {partner} source; their measures are kept but join no "
                f"{partner} data (a test account, or a {key} missing from the {partner} file)")
    return account.problems() if account.n_dropped else []
