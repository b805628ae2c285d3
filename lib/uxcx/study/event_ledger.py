"""The ledger of an event log: events counted by the engine, a few examples per reason.

A log of 100 million events cannot list each dropped event as a survey's ledger lists each
dropped row, and it need not: the engine counts the events read, kept and dropped by
reason (:mod:`uxcx.io.events`), and keeps up to five examples of each reason with the file
they came from, so the researcher can find the pattern and fix it at the source. The
account still reconciles: ``read == kept + dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from uxcx.study.ledger import PROBLEM_COLUMNS, SourceLedger

__all__ = ["EventLedger", "event_account"]


@dataclass
class EventLedger(SourceLedger):
    """The account of an event log: counts by reason (``counted``), examples in ``dropped``."""

    counted: dict[str, int] = field(default_factory=dict)
    engine: str = ""
    unit: str = "event"

    @property
    def _unit(self) -> str:
        return "row"

    @property
    def n_dropped(self) -> int:
        return int(sum(self.counted.values()))

    @property
    def reasons(self) -> dict[str, int]:
        return {reason: int(n) for reason, n in self.counted.items() if n}

    def exported(self, problems: pd.DataFrame | None = None) -> pd.DataFrame:
        """As :meth:`SourceLedger.exported`, but the time of an event that was read (outside the
        window, or a duplicate) is shown as written: a time is no personal datum, and the fix
        starts from it (a device clock at 1970-01-01). Unreadable times stay masked."""
        out = super().exported(problems)
        if problems is None and len(out):
            readable = self.dropped["reason"].isin(["outside the study window", "duplicate event"]).to_numpy()
            out.loc[readable, "value"] = self.dropped.loc[readable, "value"].to_numpy()
        return out

    def as_dict(self) -> dict:
        out = super().as_dict()
        out["unit"] = "event"
        out["engine"] = self.engine
        out["dropped_rows_are_examples"] = True  # up to five per reason; the counts are in reasons
        return out


def event_account(measures, config, *, file: str) -> EventLedger:
    """The :class:`EventLedger` of one run of :func:`uxcx.io.events.run.measure_events`."""
    examples = measures.examples
    if examples is None or not len(examples):
        dropped = pd.DataFrame(columns=PROBLEM_COLUMNS)
    else:
        dropped = pd.DataFrame({
            # the row within its file (Parquet: the first record is 1), where the engine knows it
            "row": pd.to_numeric(examples.get("row"), errors="coerce") if "row" in examples else pd.NA,
            # the file with the column: a row number finds the event only in its own file
            "column": (examples["column"].astype(str) + ", " + examples["file"].astype(str))
            if "file" in examples else examples["column"].astype(str),
            "value": examples["value"] if "value" in examples else None,
            "reason": examples["reason"].astype(str),
            "expected": "",
            "hint": (examples["file"].astype(str).radd("in ") if "file" in examples else ""),
        })[PROBLEM_COLUMNS]
    account = EventLedger(source="events", file=file, read=int(measures.read), kept=int(measures.kept),
                          dropped=dropped.reset_index(drop=True), counted=dict(measures.dropped),
                          engine=measures.engine)
    account.notes = list(measures.notes)
    account.keys = [config.header(config.id_role)] + (
        [config.header("session")] if config.has_session else [])
    account.check()
    return account
