"""The study file's ``privacy:`` settings (read by :mod:`uxcx.study.study_file`).

Kept apart so that the ledger's rules on what leaves the kit have their switch beside them
(:mod:`uxcx.study.dropped_values`); reading a study file needs pydantic only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Privacy"]


class Privacy(BaseModel):
    """What the report may show of the values in the data.

    ``show_dropped_values: true`` shows every value that dropped a row as written, in
    ``ledger.json``, page 00 and ``uxcx validate``; by default a value that is no plausible
    answer for its role (a name, an IBAN or a card number typed into a score field) is shown
    by its shape and length only (:func:`uxcx.study.dropped_values.plausible_answers`).
    Emails, phone numbers and IP addresses are withheld either way.
    """

    model_config = ConfigDict(extra="forbid")

    show_dropped_values: bool = Field(
        False, description="show dropped values as written, even those that are no plausible "
        "answer (default: shown by their shape and length only)")
