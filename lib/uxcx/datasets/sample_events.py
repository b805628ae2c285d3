"""The sample study's product event log: sessions, checkout attempts and planted bad rows.

:func:`simulate_events` draws a few million events for the customers of the sample study
(:mod:`uxcx.datasets.sample`), *given* the customers and the survey already drawn: a
customer's sessions fall inside their tenure, and the chance that a checkout attempt fails
rises with a lower CSAT in the survey and in the last months before the customer churned.
The association of failed checkouts with CSAT and churn is therefore planted in the data
(by conditioning on them), which is what the sample needs: effects of known direction for
the kit's UX -> CX and retention pages to find. The log has a random stream of its own
(``default_rng([seed, EVENTS_STREAM])``), so the CSV files stay byte-identical.

Everything is vectorised: sessions, attempts and events are laid out with counts and
``numpy.repeat``, never a Python loop over rows, sessions or customers. :func:`write_events`
writes one Parquet file per month into ``events/`` (replaced atomically) with the columns
``user_id, session_id, event_time (timestamp[us, tz=UTC]), event_name, device, page``.
The constants are in :mod:`uxcx.datasets.sample_events_model`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from uxcx.datasets.sample_events_model import (
    ACTIVITY_SHAPE,
    BROWSE_EVENTS,
    BROWSE_GAP_S,
    BROWSE_MEAN,
    BROWSE_PAGES,
    BROWSE_SHARE,
    CHECKOUT_GAP_S,
    CHURN_LEAD_DAYS,
    CSAT_REF,
    DEVICE_SHARE,
    DEVICES,
    ERRORS_FAILED,
    ERRORS_SUCCESS,
    EVENTS_STREAM,
    FAILED_STEPS_SHARE,
    HOUR_SHARE,
    LAST_CHECKOUT_H,
    MAX_ERRORS,
    MAX_RETRIES,
    N_DUPLICATES,
    N_EMPTY_IDS,
    N_GHOSTS,
    N_NULL_IDS,
    N_OUTSIDE,
    P_CHECKOUT,
    P_OWN_DEVICE,
    P_RETRY,
    P_TIMEOUT,
    POST_MEAN,
    PRE_MEAN,
    Q_0,
    Q_CHURN,
    Q_CSAT,
    Q_MOBILE,
    Q_SD,
    RESTART_GAP_S,
    SESSIONS_PER_MONTH,
    STEP_PAGES,
    TIMEOUT_GAP_MIN,
)
from uxcx.datasets.sample_model import DAYS_PER_MONTH, N_CUSTOMERS, WINDOW_DAYS, WINDOW_START, expit, make_ids

__all__ = ["EventLog", "simulate_events", "write_events", "events_fingerprint", "EVENT_NAMES", "PAGES"]

DAY_MS = 86_400_000
EVENT_NAMES = np.array(["page_viewed", "search", "product_viewed", "cart_viewed", "checkout_step",
                        "form_error", "payment_error", "order_placed"])
PAGES = np.array([*BROWSE_PAGES, "/search", "/product", "/cart", *STEP_PAGES, "/checkout/confirmation"])
# the 7 slots of an attempt, in order: cart, shipping, form errors, payment, payment errors, review,
# order; their event names and pages (indices into EVENT_NAMES and PAGES)
_SLOT_NAME = np.array([3, 4, 5, 4, 6, 4, 7])
_SLOT_PAGE = np.array([6, 7, 7, 8, 8, 9, 10])
_SLOTS = _SLOT_NAME.size
_ATTEMPTS = MAX_RETRIES + 1
_WIDTH = 2 + _SLOTS * _ATTEMPTS  # per session: browse before, the attempts' slots, browse after
_EPOCH_MS = int(WINDOW_START.astype("datetime64[ms]").astype(np.int64))
_END_MS = (WINDOW_DAYS + 1) * DAY_MS  # 2026-01-01 00:00 UTC: the last customers were seen on 2025-12-31
_OUTCOMES = np.array(["success", "restarted", "timeout", "session_end"])
_MODULES = ("sample_model.py", "sample.py", "sample_events_model.py", "sample_events.py")


@dataclass(frozen=True)
class EventLog:
    """A generated log: the files' tables, the true attempts behind them and the counts the README states.

    ``files`` maps file names (``2025-01.parquet``) to their tables in file order; ``attempts``
    has one row per true checkout attempt (``customer`` index into ``ids``, ``session`` number,
    ``attempt`` 1, 2, ... per session, ``outcome``, ``errors``); ``ids`` are the customer ids,
    the real customers first, then the ghosts; ``facts`` are counts (events, sessions, bad rows).
    """

    files: dict[str, pa.Table]
    attempts: pd.DataFrame
    ids: np.ndarray
    facts: dict = field(default_factory=dict)


def _people(frames: dict[str, pd.DataFrame], latent: dict, rng: np.random.Generator) -> dict:
    """Each customer's id, tenure (days from 2024-01-01, end exclusive), churn and CSAT; then the ghosts."""
    customers, survey, cl = frames["customers"], frames["survey"], latent["customers"]
    ids = customers["Customer ID"].to_numpy()
    known = pd.Index(ids)
    # ghost ids: numbers above the customers' that neither the customers nor the survey use
    used = survey["Customer ID"][known.get_indexer(survey["Customer ID"]) < 0].str[1:].astype(int)
    free = np.setdiff1d(np.arange(N_CUSTOMERS + 1, 10_000), used.to_numpy())
    ghosts = make_ids("C", np.sort(rng.choice(free, N_GHOSTS, replace=False)), 5)
    answered = survey[survey["Satisfaction"].between(1, 5)].drop_duplicates("Response ID")
    csat = np.full(N_CUSTOMERS + N_GHOSTS, np.nan)
    where = known.get_indexer(answered["Customer ID"])
    csat[where[where >= 0]] = answered["Satisfaction"].to_numpy(float)[where >= 0]
    churned = np.r_[cl["churned"], np.zeros(N_GHOSTS, bool)]
    end = np.r_[np.where(cl["churned"], cl["end"], WINDOW_DAYS + 1), np.full(N_GHOSTS, WINDOW_DAYS + 1)]
    start = np.r_[cl["start"], rng.integers(0, WINDOW_DAYS // 2, N_GHOSTS)]
    return {"ids": np.r_[ids, ghosts], "start": start, "end": end, "churned": churned, "csat": csat}


def _sessions(rng: np.random.Generator, people: dict) -> dict:
    """Sessions per customer ~ Poisson(rate * activity * months); each a start, a device, a failure chance."""
    n = people["ids"].size
    start, end = people["start"], people["end"]
    activity = rng.gamma(ACTIVITY_SHAPE, 1.0 / ACTIVITY_SHAPE, n)
    own = rng.choice(DEVICES.size, n, p=DEVICE_SHARE)
    frailty = Q_SD * rng.standard_normal(n)
    who = np.repeat(np.arange(n), rng.poisson(SESSIONS_PER_MONTH * activity * (end - start) / DAYS_PER_MONTH))
    size = who.size
    day = start[who] + np.floor(rng.random(size) * (end - start)[who]).astype(np.int64)
    hour = rng.choice(24, size, p=HOUR_SHARE)
    t0 = day * DAY_MS + hour * 3_600_000 + rng.integers(0, 3_600_000, size)
    keep_own = rng.random(size) < P_OWN_DEVICE
    device = np.where(keep_own, own[who], rng.choice(DEVICES.size, size, p=DEVICE_SHARE))
    checkout = rng.random(size) < P_CHECKOUT
    near_churn = people["churned"][who] & (end[who] - day <= CHURN_LEAD_DAYS)
    low_csat = np.nan_to_num(CSAT_REF - people["csat"][who])  # no survey answer: 0
    fail = expit(Q_0 + Q_CSAT * low_csat + Q_MOBILE * (DEVICES[device] == "Mobile")
                 + Q_CHURN * near_churn + frailty[who])
    return {"who": who, "t0": t0, "device": device, "checkout": checkout, "fail": fail}


def _attempts(rng: np.random.Generator, sessions: dict) -> dict:
    """Attempts of each checkout session: failures retried with P_RETRY, the last one a success or not."""
    where = np.flatnonzero(sessions["checkout"])
    q = sessions["fail"][where]
    retried = np.minimum(rng.geometric(1.0 - q * P_RETRY) - 1, MAX_RETRIES)
    final_ok = rng.random(where.size) < (1.0 - q) / (1.0 - q * P_RETRY)
    count = retried + 1
    first = np.cumsum(count) - count
    session = np.repeat(where, count)
    k = np.arange(session.size) - np.repeat(first, count)
    last = k == np.repeat(retried, count)
    success = last & np.repeat(final_ok, count)
    timeout = ~success & (rng.random(session.size) < P_TIMEOUT)
    errors = np.minimum(rng.poisson(np.where(success, ERRORS_SUCCESS, ERRORS_FAILED)), MAX_ERRORS)
    form = rng.binomial(errors, 0.5)
    steps = np.where(success, 3, rng.choice(4, session.size, p=FAILED_STEPS_SHARE))
    # an error's page was seen: a payment error needs the payment step, a form error the shipping one
    steps = np.maximum(steps, np.where(errors > form, 2, np.where(form > 0, 1, 0)))
    outcome = np.where(success, 0, np.where(timeout, 2, np.where(last, 3, 1)))
    slots = np.column_stack([np.ones_like(k), steps >= 1, form, steps >= 2, errors - form, steps >= 3,
                             success])
    n_sessions = sessions["who"].size
    first_of = np.full(n_sessions, -1)
    first_of[where] = first
    count_of = np.zeros(n_sessions, np.int64)
    count_of[where] = count
    return {"session": session, "k": k, "outcome": outcome, "errors": errors, "slots": slots.astype(np.int64),
            "timeout": timeout, "first_of": first_of, "count_of": count_of}


def _gap(rng: np.random.Generator, size: int, spec: tuple[float, float, float]) -> np.ndarray:
    low, mean, high = spec
    return np.round(1000 * np.minimum(low + rng.exponential(mean, size), high)).astype(np.int64)


def _uniform_ms(rng: np.random.Generator, size: int, low_s: float, high_s: float) -> np.ndarray:
    return np.round(1000 * rng.uniform(low_s, high_s, size)).astype(np.int64)


def _events(rng: np.random.Generator, sessions: dict, att: dict) -> dict:
    """Every event of every session in order: name, page, time (ms since 2024-01-01), session number."""
    n_sessions, checkout = sessions["who"].size, sessions["checkout"]
    counts = np.zeros((n_sessions, _WIDTH), np.int64)
    counts[:, 0] = 1 + rng.poisson(np.where(checkout, PRE_MEAN, BROWSE_MEAN))
    cols = 1 + _SLOTS * att["k"][:, None] + np.arange(_SLOTS)
    counts[att["session"][:, None], cols] = att["slots"]
    last = att["first_of"] + att["count_of"] - 1  # each checkout session's last attempt
    ends = np.where(checkout, att["outcome"][np.maximum(last, 0)], 3)
    counts[:, -1] = np.where(ends == 0, rng.poisson(POST_MEAN, n_sessions),
                             np.where(ends == 2, 1 + rng.poisson(POST_MEAN, n_sessions), 0))
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    session, col = cell // _WIDTH, cell % _WIDTH
    n = session.size
    browse = (col == 0) | (col == _WIDTH - 1)
    slot, k = (col - 1) % _SLOTS, (col - 1) // _SLOTS
    kind = rng.choice(BROWSE_EVENTS.size, n, p=BROWSE_SHARE)
    name = np.where(browse, kind, _SLOT_NAME[slot])
    browse_page = np.where(kind == 0, rng.integers(0, BROWSE_PAGES.size, n), BROWSE_PAGES.size + kind - 1)
    page = np.where(browse, browse_page, _SLOT_PAGE[slot])
    # time since the previous event: browse and checkout paces; after a failed attempt a retry's short
    # pause or a pause past the time-out; none before a session's first event
    gap = np.where(browse, _gap(rng, n, BROWSE_GAP_S), _gap(rng, n, CHECKOUT_GAP_S))
    new_cell = np.r_[True, cell[1:] != cell[:-1]]
    retry = new_cell & ~browse & (slot == 0) & (k >= 1)
    prev = att["first_of"][session] + k - 1
    timed_out = att["timeout"][np.where(retry, prev, 0)]
    after_timeout = (retry & timed_out) | (new_cell & (col == _WIDTH - 1) & (ends[session] == 2))
    gap = np.where(retry, _uniform_ms(rng, n, *RESTART_GAP_S), gap)
    gap = np.where(after_timeout, _uniform_ms(rng, n, 60 * TIMEOUT_GAP_MIN[0], 60 * TIMEOUT_GAP_MIN[1]), gap)
    first_row = np.r_[True, session[1:] != session[:-1]]
    gap[first_row] = 0
    total = np.cumsum(gap)
    offset = total - np.repeat(total[first_row], np.bincount(session, minlength=n_sessions))
    # a session ends inside its customer's tenure (and a checkout session an hour before the log ends)
    duration = offset[np.r_[np.flatnonzero(first_row)[1:] - 1, n - 1]]
    limit = np.where(checkout, _END_MS - LAST_CHECKOUT_H * 3_600_000, _END_MS)
    limit = np.minimum(limit, sessions["end_day"] * DAY_MS) - 1000
    t0 = sessions["t0"] - np.maximum(0, sessions["t0"] + duration - limit)
    t0 = np.maximum(t0, sessions["start_day"] * DAY_MS)
    return {"session": session, "name": name, "page": page, "ts": t0[session] + offset, "t0": t0}


def _bad_rows(rng: np.random.Generator, ev: dict, real: np.ndarray) -> dict:
    """Rows to append: verbatim duplicates, copies with no id, copies dated 1970-01-01 (a reset clock)."""
    kinds = np.repeat(np.arange(4), [N_DUPLICATES, N_NULL_IDS, N_EMPTY_IDS, N_OUTSIDE])
    source = rng.choice(np.flatnonzero(real), kinds.size, replace=False)
    ts = ev["ts"][source]
    outside = kinds == 3
    ts = np.where(outside, ts % DAY_MS - _EPOCH_MS, ts)  # same time of day on 1970-01-01
    return {"source": source, "kind": kinds, "ts": ts}


def _column(vocabulary, index: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(vocabulary).take(pa.array(index, mask=mask))


def _tables(people: dict, sessions: dict, ev: dict, bad: dict) -> tuple[dict[str, pa.Table], dict]:
    """The rows in file order (by time; each copy right after its original), one table per month."""
    rows = np.r_[np.arange(ev["ts"].size), bad["source"]]
    ts = np.r_[ev["ts"], bad["ts"]]
    copy = np.r_[np.zeros(ev["ts"].size, np.int64), 1 + np.arange(bad["source"].size)]
    order = np.lexsort((copy, rows, ev["ts"][rows]))
    rows, ts, copy = rows[order], ts[order], copy[order]
    session = ev["session"][rows]
    who = sessions["who"][session]
    kind = np.r_[np.full(ev["ts"].size, -1), bad["kind"]][order]
    ids = np.r_[people["ids"], [""]]
    who = np.where(kind == 2, ids.size - 1, who)
    session_ids = make_ids("S", np.argsort(np.argsort(ev["t0"], kind="stable")) + 1, 7)
    table = pa.table({
        "user_id": _column(ids, who, mask=kind == 1),
        "session_id": _column(session_ids, session),
        "event_time": pa.array((ts + _EPOCH_MS) * 1000, type=pa.timestamp("us", tz="UTC")),
        "event_name": _column(EVENT_NAMES, ev["name"][rows]),
        "device": _column(DEVICES, sessions["device"][session]),
        "page": _column(PAGES, ev["page"][rows]),
    })
    month = (WINDOW_START + (ev["ts"][rows] // DAY_MS).astype("timedelta64[D]")).astype("datetime64[M]")
    labels, first = np.unique(month, return_index=True)
    bounds = np.r_[first, rows.size]
    files = {f"{label}.parquet": table.slice(a, b - a) for label, a, b in zip(labels.astype(str), bounds[:-1],
                                                                               bounds[1:], strict=True)}
    return files, {"rows_written": rows.size, "session_ids": session_ids}


def _facts(people: dict, sessions: dict, att: dict, ev: dict, bad: dict) -> dict:
    first_row = np.r_[True, ev["session"][1:] != ev["session"][:-1]]
    last_row = np.r_[first_row[1:], True]
    day_first, day_last = ev["ts"][first_row] // DAY_MS, ev["ts"][last_row] // DAY_MS
    ghost_rows = sessions["who"][ev["session"]] >= N_CUSTOMERS
    outcomes = np.bincount(att["outcome"], minlength=4)
    return {
        "events": ev["ts"].size, "sessions": sessions["who"].size,
        "checkout_sessions": int(sessions["checkout"].sum()), "attempts": att["k"].size,
        **{f"outcome_{name}": int(c) for name, c in zip(_OUTCOMES, outcomes, strict=True)},
        "error_events": int(att["errors"].sum()), "across_midnight": int((day_last > day_first).sum()),
        "ghost_ids": people["ids"][N_CUSTOMERS:].tolist(), "ghost_events": int(ghost_rows.sum()),
        "ghost_sessions": int((sessions["who"] >= N_CUSTOMERS).sum()),
        "duplicates": N_DUPLICATES, "null_ids": N_NULL_IDS, "empty_ids": N_EMPTY_IDS, "outside": N_OUTSIDE,
        "bad_rows": int(bad["source"].size), "customers_with_events": int(np.unique(sessions["who"][
            sessions["who"] < N_CUSTOMERS]).size),
    }


def simulate_events(frames: dict[str, pd.DataFrame], latent: dict, seed: int) -> EventLog:
    """Draw the sample's event log given its customers and survey.

    Parameters
    ----------
    frames, latent : dict
        The sample's frames and latent values, as :func:`uxcx.datasets.sample._simulate` returns
        them for ``seed`` (customers' tenure and churn, the survey's CSAT).
    seed : int
        The sample's seed; the log draws from ``default_rng([seed, EVENTS_STREAM])``.

    Returns
    -------
    EventLog
        The files' tables, the true attempts and the counts for the README.

    Notes
    -----
    Session counts are Poisson with a Gamma-distributed activity per customer (a
    negative-binomial count, as web-session counts are often modelled [1]_).

    References
    ----------
    .. [1] Ehrenberg, A. S. C. (1959). The pattern of consumer purchases. *Journal of the
       Royal Statistical Society, Series C*, 8(1), 26-41.
    """
    rng = np.random.default_rng([int(seed), EVENTS_STREAM])
    people = _people(frames, latent, rng)
    sessions = _sessions(rng, people)
    sessions["start_day"] = people["start"][sessions["who"]]
    sessions["end_day"] = people["end"][sessions["who"]]
    att = _attempts(rng, sessions)
    ev = _events(rng, sessions, att)
    bad = _bad_rows(rng, ev, sessions["who"][ev["session"]] < N_CUSTOMERS)
    files, written = _tables(people, sessions, ev, bad)
    attempts = pd.DataFrame({
        "customer": sessions["who"][att["session"]], "session": written["session_ids"][att["session"]],
        "attempt": att["k"] + 1, "outcome": _OUTCOMES[att["outcome"]], "errors": att["errors"],
    })
    facts = {**_facts(people, sessions, att, ev, bad), "rows_written": written["rows_written"]}
    return EventLog(files=files, attempts=attempts, ids=people["ids"], facts=facts)


def events_fingerprint(seed: int) -> str:
    """A digest of the seed and the generator's source: written beside the files to tell a stale log."""
    here = Path(__file__).parent
    digest = hashlib.sha256(str(int(seed)).encode())
    for name in _MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def write_events(directory: str | Path, log: EventLog, seed: int) -> list[Path]:
    """Write ``log`` into ``<directory>/events/``, replacing that folder atomically.

    The files are written into a hidden sibling folder first and renamed into place, so a
    reader (or a second test worker) never sees half a log. ``events/_manifest.json`` records
    the seed, :func:`events_fingerprint` and the row counts (Spark and DuckDB skip ``_`` files).
    Returns the Parquet files written, in month order.
    """
    folder = Path(directory)
    final, partial = folder / "events", folder / f".events.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name, table in log.files.items():
        pq.write_table(table, partial / name)
    manifest = {"seed": int(seed), "fingerprint": events_fingerprint(seed),
                "rows": {name: t.num_rows for name, t in log.files.items()}}
    (partial / "_manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    old = folder / f".events.old-{os.getpid()}"
    if final.exists():
        os.replace(final, old)
    os.replace(partial, final)
    shutil.rmtree(old, ignore_errors=True)
    return [final / name for name in log.files]

