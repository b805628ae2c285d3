"""What happened to every input row: read, kept, repaired, dropped.

For every source the ledger holds the rows read, the rows kept, the repairs
made to kept rows (what changed, in how many cells) and each dropped row with
the row number the user's spreadsheet shows, the column, the value and the
reason. ``read == kept + dropped`` always; :meth:`SourceLedger.check` proves
it and the loader calls it for every source. Link coverage says how many keys
of one source found a partner in another.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .errors import Problem, UxcxError
from .privacy import looks_personal, pseudonymise

__all__ = ["Ledger", "SourceLedger", "LinkCoverage", "REASONS", "PROBLEM_COLUMNS"]

PROBLEM_COLUMNS = ["row", "column", "value", "reason", "expected", "hint"]

# Every reason a row can be dropped for, with what it means and how to fix it.
# The notebook and README show these to researchers.
REASONS: dict[str, str] = {
    "blank row": "The row is empty. Nothing to fix; it is left out.",
    "missing key": "The row has no identifier (participant, respondent, customer or task), "
    "so it cannot be linked. Fill in the identifier or delete the row.",
    "duplicate key": "Another row earlier in the file has the same identifier; the first one "
    "is kept. Remove the repeat or give it its own identifier.",
    "out of range": "The value lies outside the scale (e.g. an NPS of 11). Correct the value, "
    "or declare the scale under `ranges:` in the study file if it really is wider.",
    "not a whole number": "The scale takes whole numbers only. Correct the value.",
    "not a number": "Text where a number belongs. Correct the value or add a value map "
    "(`values:` in the study file) that turns the text into a number.",
    "label not in the value map": "A text answer no value map covers. Add it under `values:` "
    "in the study file (the error lists every label found).",
    "not a yes/no value": "Expected 1/0, yes/no or true/false (or a label in the value map).",
    "not a duration": "Expected seconds (83 or 83s), m:ss (1:23) or h:mm:ss (0:01:23).",
    "not a date": "Expected a date such as 2025-03-31.",
    "repeated header row": "The header row appears again among the data (several exports pasted "
    "together). Nothing to fix; the row is left out.",
}


@dataclass
class SourceLedger:
    """The account of one source: what was read and where each row went."""

    source: str
    file: str
    read: int = 0
    kept: int = 0
    # One row per problem that dropped a row: row, column, value, reason, expected, hint.
    dropped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    repairs: Counter = field(default_factory=Counter)
    repaired_rows: int = 0
    notes: list[str] = field(default_factory=list)
    # Kept rows worth a look (straight-lining, missing tasks): name -> sentence.
    flags: dict[str, str] = field(default_factory=dict)
    # Headers of the key columns: their values are pseudonymised wherever the ledger is exported.
    keys: list[str] = field(default_factory=list)

    @property
    def n_dropped(self) -> int:
        return int(self.dropped["row"].nunique()) if len(self.dropped) else 0

    @property
    def reasons(self) -> dict[str, int]:
        """Dropped rows by their first reason (so the counts add up to ``dropped``)."""
        if not len(self.dropped):
            return {}
        first = self.dropped.drop_duplicates("row")
        return {str(k): int(v) for k, v in first["reason"].value_counts().items()}

    def problems(self) -> list[Problem]:
        """The dropped rows' problems as :class:`~uxcx.errors.Problem` objects."""
        return [Problem(file=self.file, **rec) for rec in self.dropped.to_dict("records")]

    def check(self) -> None:
        """Raise if the account does not reconcile (a bug in the kit, never the user's)."""
        if self.read != self.kept + self.n_dropped:
            raise UxcxError(
                f"internal error: ledger of {self.source} does not reconcile "
                f"(read {self.read} != kept {self.kept} + dropped {self.n_dropped}); please report it"
            )

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "read": self.read,
            "kept": self.kept,
            "repaired": self.repaired_rows,
            "dropped": self.n_dropped,
            "reasons": self.reasons,
            "repairs": {str(k): int(v) for k, v in self.repairs.items()},
            "notes": list(self.notes),
            "flags": dict(self.flags),
            "dropped_rows": [
                {"row": int(r.row), "column": r.column, "value": r.value, "reason": r.reason}
                for r in self.exported().drop_duplicates("row").itertuples(index=False)
            ],
        }

    def exported(self) -> pd.DataFrame:
        """``dropped`` as it may leave the kit: key values pseudonymised, personal values withheld.

        A value in a key column (or of a duplicate or missing key) becomes its
        pseudonym (:func:`uxcx.privacy.pseudonymise`); any other value that is an
        email, phone number or IP address becomes ``"(personal data withheld)"``.
        """
        out = self.dropped.copy()
        if not len(out):
            return out
        keys = set(self.keys)
        is_key = (out["column"].map(lambda c: bool(keys & set(str(c).split(" + "))))
                  .astype(bool) | out["reason"].isin(["duplicate key", "missing key"])).to_numpy()
        values = out["value"].astype(object)
        if is_key.any():
            values[is_key] = pseudonymise(values[is_key]).astype(object).where(
                values[is_key].notna(), None).to_numpy()
        hide = ~is_key & looks_personal(values.where(values.notna(), "")).to_numpy()
        values[hide] = "(personal data withheld)"
        out["value"] = values
        return out


@dataclass(frozen=True)
class LinkCoverage:
    """How many distinct keys of each side of a link found a partner on the other."""

    left: str
    right: str
    left_keys: int
    left_matched: int
    right_keys: int
    right_matched: int

    @property
    def name(self) -> str:
        return f"{self.left} -> {self.right}"

    def as_dict(self) -> dict:
        return {
            "left": self.left,
            "right": self.right,
            "left_keys": self.left_keys,
            "left_matched": self.left_matched,
            "left_unmatched": self.left_keys - self.left_matched,
            "right_keys": self.right_keys,
            "right_matched": self.right_matched,
            "right_unmatched": self.right_keys - self.right_matched,
        }


@dataclass
class Ledger:
    """The ledger of a whole study: one :class:`SourceLedger` per source, and the links."""

    sources: dict[str, SourceLedger] = field(default_factory=dict)
    links: list[LinkCoverage] = field(default_factory=list)
    # joins of per-person tables made by the analyses (uxcx.link.join_measures)
    joins: list[LinkCoverage] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The ledger as JSON-ready data (the shape of ``ledger.json``)."""
        return {
            "sources": {name: s.as_dict() for name, s in self.sources.items()},
            "links": {link.name: link.as_dict() for link in self.links},
            "joins": {join.name: join.as_dict() for join in self.joins},
        }

    def summary(self) -> pd.DataFrame:
        """One row per source: file, read, kept, repaired, dropped."""
        rows = [
            {
                "source": name,
                "file": s.file,
                "read": s.read,
                "kept": s.kept,
                "repaired": s.repaired_rows,
                "dropped": s.n_dropped,
            }
            for name, s in self.sources.items()
        ]
        return pd.DataFrame(rows, columns=["source", "file", "read", "kept", "repaired", "dropped"])

    def reasons(self) -> pd.DataFrame:
        """Dropped rows by source and reason, with what the reason means."""
        rows = [
            {"source": name, "reason": reason, "rows": n, "meaning": REASONS.get(reason, "")}
            for name, s in self.sources.items()
            for reason, n in s.reasons.items()
        ]
        return pd.DataFrame(rows, columns=["source", "reason", "rows", "meaning"])

    def repairs(self) -> pd.DataFrame:
        """Repairs by source: what was changed and in how many cells."""
        rows = [
            {"source": name, "repair": what, "cells": n}
            for name, s in self.sources.items()
            for what, n in s.repairs.items()
        ]
        return pd.DataFrame(rows, columns=["source", "repair", "cells"])

    def dropped(self) -> pd.DataFrame:
        """Every problem that dropped a row: source, row, column, value, reason.

        Key values appear as pseudonyms and personal values are withheld
        (:meth:`SourceLedger.exported`); the row number finds the row in the file.
        """
        frames = [s.exported().assign(source=name) for name, s in self.sources.items()
                  if len(s.dropped)]
        if not frames:
            return pd.DataFrame(columns=["source", "row", "column", "value", "reason"])
        out = pd.concat(frames, ignore_index=True)
        return out[["source", "row", "column", "value", "reason"]]

    def link_table(self, *, joins: bool = False) -> pd.DataFrame:
        """One row per link (or, with ``joins=True``, per join of the analyses) with matched
        and unmatched key counts on both sides."""
        cols = ["left", "right", "left_keys", "left_matched", "left_unmatched",
                "right_keys", "right_matched", "right_unmatched"]
        return pd.DataFrame([link.as_dict() for link in (self.joins if joins else self.links)],
                            columns=cols)
