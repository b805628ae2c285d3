"""Which columns of a source are withheld as personal data, and why (quoting no cell).

:func:`find_personal` decides, for one source, which columns hold personal data: by role,
by the study's ``personal:`` list and, for unmapped columns and columns mapped to a key,
text or category role, by header (:data:`PERSONAL_HEADER`) or by content
(:func:`uxcx.study.personal.personal_findings`); the study's ``include_personal:`` opts a
column back in. :func:`uxcx.study.validate.validate` withholds or pseudonymises them.
"""

from __future__ import annotations

import re

from uxcx.study.header_map import normal_header
from uxcx.study.personal import personal_findings
from uxcx.study.schema import SOURCES, role

__all__ = ["find_personal", "PERSONAL_HEADER", "SCANNED_KINDS"]

# Headers that say a column holds personal data. They (and the content test of
# uxcx.study.privacy) decide for unmapped columns and for columns mapped to a key, text or
# category role; a column mapped to a numeric analysis role is analysed whatever its header says.
PERSONAL_HEADER = re.compile(
    r"e-?mail|phone|mobile.?(?:number|no\b)|ip.?address|first.?name|last.?name|full.?name|^name$|"
    r"latitude|longitude|recipient|street|postcode|zip.?code", re.IGNORECASE)

# Kinds of role whose columns the header and content tests look at (the others are numbers,
# yes/no values, durations and dates the analysis reads as such).
SCANNED_KINDS = ("key", "category", "text")


def find_personal(table, mapping, roles_of, source, config):
    """The personal columns (mapped ones), why each counts (any column), and the unmapped rest.

    Returns ``(personal, why, ignored)``: the mapped headers to withhold or pseudonymise
    (the study's ``include_personal:`` honoured), ``{header: ": reason and reason"}`` for
    every personal column, mapped or not, and the unmapped headers that hold no personal data.
    """
    required = SOURCES[source].required
    # the 1/0 columns of a multi_select question are named 'question - option': the option
    # ("Email", "Phone") is no personal data, so their headers are not tested
    spread = tuple(normal_header(m) + " - " for m in config.multi_select)
    choices = {h for h in table.columns if spread and normal_header(h).startswith(spread)}
    scanned = [h for h in table.columns
               if h not in mapping or (roles_of[h].kind in SCANNED_KINDS
                                       and (roles_of[h].kind == "key" or mapping[h] not in required))]
    found = personal_findings(table, columns=scanned) if scanned else {}
    reasons: dict[str, list[str]] = {}
    for h in table.columns:
        name = mapping.get(h)
        said = []
        if name is not None and role(name).personal:
            said.append(f"role {name!r} is personal data")
        if name is not None and name in config.personal:
            said.append(f"listed under sources.{source}.personal")
        if h in scanned and not said:  # personal by role or by the study: reason enough
            hit = None if h in choices else PERSONAL_HEADER.search(str(h))
            if hit:
                said.append(f"header matches {hit.group(0).lower()!r}")
            if h in found:
                said.append(found[h].reason)
        if said and (name is None or name not in config.include_personal):
            kind = f" ({found[h].kind})" if h in found else ""
            reasons[h] = f"{kind}: " + ", ".join(said)
    personal = [h for h in mapping if h in reasons]
    ignored = [h for h in table.columns if h not in mapping and h not in reasons]
    return personal, reasons, ignored
