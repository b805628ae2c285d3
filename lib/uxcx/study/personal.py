"""Which columns hold personal data, told by their content (emails, phones, names, free text).

:func:`personal_columns` and :func:`personal_findings` look at what is in each column
(email addresses, phone numbers, IP addresses, latitude/longitude pairs, person names
under a header that suggests names, free text), so that such a column is withheld even
when the study forgot to list it under ``personal:``; :func:`looks_personal` tests single
values. Pseudonyms are :mod:`uxcx.study.privacy`'s, spreadsheet-safe tables
:mod:`uxcx.study.safe_csv`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["personal_columns", "personal_findings", "Finding", "looks_personal"]

_SAMPLE = 2000  # cells looked at per column, from the top and spread through the column

# Every pattern below runs in time linear in the length of the text: a match may start only
# where a run of its characters starts (a look-behind), every repetition is bounded, and the
# patterns matched whole are tried only on cells short enough to fit (the ``_*_LONGEST``
# lengths). A cell is looked at in its first SCAN_CHARS characters (see looks_personal).
SCAN_CHARS = 10_000
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}"
                    r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}")
_PHONE = re.compile(r"\+?\(?\d{1,4}\)?(?:[ .\-/]?\(?\d{1,4}\)?){2,6}")
_PHONE_LONGEST = 49  # 7 characters for the first group, 7 for each of the six others
_PHONE_IN = re.compile(r"((?<![\w.+(])\+?\(?\d{1,4}\)?(?:[ .\-/]\(?\d{1,4}\)?){2,6}(?![\w.]))")
_PHONE_MARKED = re.compile(r"^[+(]|\d[ .\-/]\d+[ .\-/]\d")  # tried on short cells only
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d\d?[./-]\d\d?[./-]\d{2,4}")
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")
_IPV6 = re.compile(r"(?=[0-9A-Fa-f:]{0,39}::|(?:[0-9A-Fa-f]{0,4}:){3})[0-9A-Fa-f:]{3,39}")
_IP_LONGEST = 39
_LATLONG = re.compile(r"\(?\s{0,3}-?\d{1,2}\.\d{3,15}\s{0,3}[,; ]\s{0,3}-?\d{1,3}\.\d{3,15}\s{0,3}\)?")
_LATLONG_LONGEST = 60
_WORD = r"[^\W\d_][^\W\d_'’.-]{0,40}(?:[-'’.][^\W\d_]{1,40}){0,4}\.?"
_NAME = re.compile(_WORD + r"(?:\s{1,3}" + _WORD + r"){0,3}")
_NAME_LONGEST = 120
# Headers that say a column holds a person's name, or a location by coordinates.
_NAME_HEADER = re.compile(
    r"(first|last|given|family|full|sur|nick|user|display|contact|participant|respondent|"
    r"customer|recipient|person|your|maiden)[\s_.-]*name|^\s*names?\s*$|^\s*name\b|name of",
    re.IGNORECASE)
_GEO_HEADER = re.compile(r"^\s*(lat|lng|lon|long|geo\w*|location\w*|gps\w*|coordinates?)\s*$",
                         re.IGNORECASE)


def looks_personal(values) -> pd.Series:
    """Which values are, or contain, an email address or phone number, or are an IP address.

    Parameters
    ----------
    values : array-like
        Any values; non-text values are taken as their text.

    Returns
    -------
    pandas.Series of bool

    Notes
    -----
    Each value is looked at in its first 10,000 characters (``SCAN_CHARS``); a longer
    value counts as personal, since what lies beyond is not looked at (a value that long
    is no answer to a question and is better withheld). The time taken grows linearly with
    the length of the values, so a cell of ten million characters costs no more than one of
    10,000.

    Examples
    --------
    >>> looks_personal(["ana@example.org", "+44 20 7946 0958", "10.0.0.7", "42", "2024-01-06"]).tolist()
    [True, True, True, False, False]
    """
    text = pd.Series(values, dtype="object").astype("string")
    long = (text.str.len() > SCAN_CHARS).fillna(False)
    text = text.str.slice(0, SCAN_CHARS).str.strip()
    out = long | _email(text) | _ip(text) | _phone(text) | _phone_inside(text)
    return out.fillna(False).astype(bool).reset_index(drop=True)


def _email(text: pd.Series) -> pd.Series:
    """An email address somewhere in the text (only texts with an @ are searched)."""
    out = pd.Series(False, index=text.index)
    maybe = text.str.contains("@", regex=False).fillna(False).astype(bool)
    if maybe.any():
        out[maybe] = text[maybe].str.contains(_EMAIL, regex=True).fillna(False).to_numpy(dtype=bool)
    return out


def _short(text: pd.Series, longest: int) -> pd.Series:
    """Texts no longer than ``longest``: those a pattern matched whole can fit."""
    return (text.str.len() <= longest).fillna(False).astype(bool)


def _whole(text: pd.Series, pattern: re.Pattern, longest: int) -> pd.Series:
    """Which texts ``pattern`` matches whole, trying it on the short ones only."""
    out = pd.Series(False, index=text.index)
    short = _short(text, longest)
    if short.any():
        out[short] = text[short].str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
    return out


def _ip(text: pd.Series) -> pd.Series:
    return _whole(text, _IPV4, _IP_LONGEST) | _whole(text, _IPV6, _IP_LONGEST)


def _phone_inside(text: pd.Series) -> pd.Series:
    """A phone number somewhere in the text ("call me on +44 20 7946 0958")."""
    out = pd.Series(False, index=text.index)
    maybe = text.str.contains(r"\d", regex=True).fillna(False).astype(bool)
    if maybe.any():
        found = text[maybe].str.extract(_PHONE_IN, expand=False)
        out[maybe] = _phone(found.str.strip()).fillna(False).to_numpy(dtype=bool)
    return out


def _phone(text: pd.Series) -> pd.Series:
    out = pd.Series(False, index=text.index)
    short = _short(text, _PHONE_LONGEST)
    if not short.any():
        return out
    text = text[short]
    digits = text.str.count(r"\d")
    shaped = text.str.fullmatch(_PHONE) & ~text.str.fullmatch(_ISO_DATE)
    # a separator or a leading + / ( tells a phone number from a plain number
    marked = text.str.contains(_PHONE_MARKED, regex=True)
    out[short] = (shaped & marked & digits.between(7, 15)).fillna(False).to_numpy(dtype=bool)
    return out


def personal_columns(frame: pd.DataFrame, *, share: float = 0.5) -> dict[str, str]:
    """The columns whose content is personal data, with what was found.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as read, columns named by the file's headers.
    share : float, default 0.5
        For phone numbers, names and coordinates: the share of the filled cells
        looked at that must fit. Any email address or IP address is enough.

    Returns
    -------
    dict of str to str
        Header -> ``"email addresses"``, ``"phone numbers"``, ``"IP addresses"``,
        ``"coordinates"``, ``"person names"`` or ``"free text"``.

    Notes
    -----
    Text columns are looked at on a sample of 2,000 filled cells (the first
    1,000 and 1,000 spread evenly through the rest), each in its first 10,000
    characters, and every pattern runs in linear time, so the check costs the same
    on a file of any size and with cells of any length. A column counts as personal when a sampled cell holds
    an email or IP address (anywhere in the text), or when at least ``share`` of
    them are phone numbers (7 to 15 digits with separators or a leading + or
    parenthesis; dates excluded), latitude/longitude pairs ("51.5074, -0.1278"),
    or, under a header that asks for a name ("First name", "Participant name"),
    one to four capitalised words. A numeric column counts when its header
    names a coordinate (``lat``, ``lng``, ``lon``, ``location``). Free text is a
    column whose sampled cells take at least 10 different values (or mostly
    differ, in a short column) and run to a median of four words or more. Headers
    alone are the loader's other test (``uxcx.study.validate``); a study lists
    further columns under ``personal:`` and opts a column back in under
    ``include_personal:``.

    References
    ----------
    European Data Protection Board (2020). *Guidelines 05/2020 on consent*; and
    ICO (2022). *Pseudonymisation and anonymisation*, draft guidance, ch. 3.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["P1", "P2"], "mail": ["a@x.org", "b@y.com"],
    ...                       "First name": ["Ana", "Ben"], "plan": ["Basic", "Plus"]})
    >>> personal_columns(frame)
    {'mail': 'email addresses', 'First name': 'person names'}
    """
    return {header: found.kind for header, found in personal_findings(frame, share=share).items()}


@dataclass(frozen=True)
class Finding:
    """Why a column counts as personal data: what it holds, and the evidence in words.

    ``reason`` counts cells and never quotes one (it goes into ledgers and reports).
    """

    kind: str
    reason: str


def personal_findings(frame: pd.DataFrame, *, share: float = 0.5,
                      columns=None) -> dict[str, Finding]:
    """The columns whose content is personal data, with what was found and how much of it.

    The same test as :func:`personal_columns` (see there); each finding also says
    how many of the filled cells looked at fit, without quoting any of them.
    ``columns`` (headers) limits the test to those columns, without copying the frame.

    Examples
    --------
    >>> frame = pd.DataFrame({"mail": ["a@x.org", "-", "b@y.com"], "plan": ["Basic", "Plus", "Pro"]})
    >>> personal_findings(frame)["mail"].reason
    'content looks like email addresses in 2 of 3 filled rows'
    """
    found = {}
    wanted = None if columns is None else set(columns)
    for at, header in enumerate(frame.columns):
        if wanted is not None and header not in wanted:
            continue
        column = frame.iloc[:, at]
        if _GEO_HEADER.search(str(header)) and (pd.api.types.is_numeric_dtype(column.dtype)
                                                 or column.dtype == object):
            found[header] = Finding("coordinates", "header names a coordinate or location")
            continue
        if not (pd.api.types.is_string_dtype(column.dtype) or column.dtype == object):
            continue
        text = _sample(column)
        if not len(text):
            continue
        what = _kind(text, str(header), share, sampled=len(column) > 2 * _SAMPLE)
        if what:
            found[header] = what
    return found


def _sample(column: pd.Series) -> pd.Series:
    n = len(column)
    if n > 2 * _SAMPLE:
        at = np.unique(np.concatenate([np.arange(_SAMPLE // 2),
                                       np.linspace(_SAMPLE // 2, n - 1, _SAMPLE // 2).astype(int)]))
        column = column.iloc[at]
    text = column.astype("string").str.strip()
    return text[text.notna() & (text != "")].reset_index(drop=True)


def _kind(text: pd.Series, header: str, share: float, *, sampled: bool = False) -> Finding | None:
    n = len(text)
    text = text.str.slice(0, SCAN_CHARS)  # a long cell is looked at in its first characters
    of = f"of {n:,} filled rows" + (" sampled" if sampled else "")
    # each pattern is tried once per distinct text and its answer given to every cell holding it
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    distinct = pd.Series(uniques, dtype=text.dtype)

    def cells(found: pd.Series) -> pd.Series:
        return found.take(codes).reset_index(drop=True)

    def seen(kind: str, hits) -> Finding:
        return Finding(kind, f"content looks like {kind} in {int(hits):,} {of}")

    email = cells(_email(distinct))
    if email.any():
        return seen("email addresses", email.sum())
    ip = cells(_ip(distinct))
    if ip.any():
        return seen("IP addresses", ip.sum())
    phone = cells(_phone(distinct).astype(bool))
    if phone.mean() >= share:
        return seen("phone numbers", phone.sum())
    coordinates = cells(_whole(distinct, _LATLONG, _LATLONG_LONGEST))
    if coordinates.mean() >= share:
        return seen("coordinates", coordinates.sum())
    if _NAME_HEADER.search(header):
        names = cells((_whole(distinct, _NAME, _NAME_LONGEST) & distinct.str[0].str.isupper()).fillna(False))
        if names.mean() >= share:
            return Finding("person names", f"header asks for a name and the content looks like "
                                           f"person names in {int(names.sum()):,} {of}")
    words = cells(distinct.str.split().str.len())
    different = text.nunique()
    if n >= 5 and different >= min(10, 0.8 * n) and words.median() >= 4:
        return Finding("free text", f"content looks like free text ({different:,} different "
                                    f"answers {of}, a median of {words.median():g} words)")
    return None
