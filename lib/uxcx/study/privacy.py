"""Personal data kept out of outputs: detection by content, pseudonyms, spreadsheet-safe tables.

Three tools the loader and the report runner share:

- :func:`personal_columns` finds columns that hold personal data by what is in
  them (email addresses, phone numbers, IP addresses, latitude/longitude pairs,
  person names under a header that suggests names, free text), so that such a
  column is withheld even when the study forgot to list it under ``personal:``.
- :func:`pseudonymise` replaces identifiers by a keyed hash (HMAC-SHA256,
  truncated), the same identifier always giving the same pseudonym under one
  key, so joins still work and nobody without the key can recover the id.
- :func:`safe_table` neutralises cells that a spreadsheet would run as a
  formula (CSV injection) before a table is exported.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["personal_columns", "personal_findings", "Finding", "looks_personal", "pseudonymise",
           "pseudonym_key", "key_file", "safe_table",
           "write_csv", "KEY_ENV", "KEY_FILE_ENV"]

KEY_ENV = "UXCX_PSEUDONYM_KEY"
KEY_FILE_ENV = "UXCX_PSEUDONYM_KEY_FILE"  # where this user's key file is (default ~/.config/uxcx/)
_PREFIX = "anon-"
_DIGITS = 12  # hex digits of the HMAC kept: 48 bits, collisions unlikely below ~10^6 ids
_SAMPLE = 2000  # cells looked at per column, from the top and spread through the column
_PROCESS_KEY = os.urandom(32)  # the last resort: when no key file can be read or made

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\(?\d{1,4}\)?(?:[ .\-/]?\(?\d{1,4}\)?){2,6}")
_PHONE_IN = re.compile(r"((?<![\w.])\+?\(?\d{1,4}\)?(?:[ .\-/]\(?\d{1,4}\)?){2,6}(?![\w.]))")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d\d?[./-]\d\d?[./-]\d{2,4}")
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")
_IPV6 = re.compile(r"(?=[0-9A-Fa-f:]*::|(?:[0-9A-Fa-f]{0,4}:){3})[0-9A-Fa-f:]{3,39}")
_LATLONG = re.compile(r"\(?\s*-?\d{1,2}\.\d{3,}\s*[,; ]\s*-?\d{1,3}\.\d{3,}\s*\)?")
_NAME = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’.][^\W\d_]+)*\.?"
                   r"(?:\s+[^\W\d_][^\W\d_'’.-]*(?:[-'’.][^\W\d_]+)*\.?){0,3}")
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

    Examples
    --------
    >>> looks_personal(["ana@example.org", "+44 20 7946 0958", "10.0.0.7", "42", "2024-01-06"]).tolist()
    [True, True, True, False, False]
    """
    text = pd.Series(values, dtype="object").astype("string").str.strip()
    out = text.str.contains(_EMAIL, regex=True)
    out |= text.str.fullmatch(_IPV4) | text.str.fullmatch(_IPV6)
    out |= _phone(text) | _phone_inside(text)
    return out.fillna(False).astype(bool).reset_index(drop=True)


def _phone_inside(text: pd.Series) -> pd.Series:
    """A phone number somewhere in the text ("call me on +44 20 7946 0958")."""
    found = text.str.extract(_PHONE_IN, expand=False)
    return _phone(found.str.strip()).fillna(False)


def _phone(text: pd.Series) -> pd.Series:
    digits = text.str.count(r"\d")
    shaped = text.str.fullmatch(_PHONE) & ~text.str.fullmatch(_ISO_DATE)
    # a separator or a leading + / ( tells a phone number from a plain number
    marked = text.str.contains(r"^[+(]|\d[ .\-/]\d+[ .\-/]\d", regex=True)
    return (shaped & marked & digits.between(7, 15)).fillna(False)


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
    1,000 and 1,000 spread evenly through the rest), so the check costs the same
    on a file of any size. A column counts as personal when a sampled cell holds
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
    of = f"of {n:,} filled rows" + (" sampled" if sampled else "")

    def seen(kind: str, hits) -> Finding:
        return Finding(kind, f"content looks like {kind} in {int(hits):,} {of}")

    email = text.str.contains(_EMAIL, regex=True).fillna(False)
    if email.any():
        return seen("email addresses", email.sum())
    ip = (text.str.fullmatch(_IPV4) | text.str.fullmatch(_IPV6)).fillna(False)
    if ip.any():
        return seen("IP addresses", ip.sum())
    phone = _phone(text).astype(bool)
    if phone.mean() >= share:
        return seen("phone numbers", phone.sum())
    coordinates = text.str.fullmatch(_LATLONG).fillna(False)
    if coordinates.mean() >= share:
        return seen("coordinates", coordinates.sum())
    if _NAME_HEADER.search(header):
        names = (text.str.fullmatch(_NAME) & text.str[0].str.isupper()).fillna(False)
        if names.mean() >= share:
            return Finding("person names", f"header asks for a name and the content looks like "
                                           f"person names in {int(names.sum()):,} {of}")
    words = text.str.split().str.len()
    different = text.nunique()
    if n >= 5 and different >= min(10, 0.8 * n) and words.median() >= 4:
        return Finding("free text", f"content looks like free text ({different:,} different "
                                    f"answers {of}, a median of {words.median():g} words)")
    return None


def pseudonym_key(study_key: str | bytes | None = None) -> bytes:
    """The secret key for pseudonyms: the environment's, else the study's, else this user's.

    Parameters
    ----------
    study_key : str or bytes, optional
        A key from the study file (``analysis.pseudonym_key``).

    Returns
    -------
    bytes
        ``UXCX_PSEUDONYM_KEY`` from the environment when set, else ``study_key``,
        else the key in this user's key file (:func:`key_file`), made once with
        32 random bytes (readable by the user only) the first time it is needed.
        The same key on every run keeps each id's pseudonym the same from run to
        run and page to page; it lives outside every report folder and is never
        written into one. Rotate it by deleting the file (a new key is made on the
        next run) or by setting ``UXCX_PSEUDONYM_KEY``. When the file can be neither
        read nor made, a key drawn for this process is used, with a warning.

    Examples
    --------
    >>> pseudonym_key("team secret") == pseudonym_key(b"team secret") or KEY_ENV in os.environ
    True
    """
    key = os.environ.get(KEY_ENV) or study_key
    if not key:
        return _user_key()
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def key_file() -> Path:
    """Where this user's pseudonym key is kept.

    ``UXCX_PSEUDONYM_KEY_FILE`` when set, else ``uxcx/pseudonym.key`` under
    ``XDG_CONFIG_HOME``, else ``~/.config/uxcx/pseudonym.key``.

    Examples
    --------
    >>> key_file().suffix
    '.key'
    """
    named = os.environ.get(KEY_FILE_ENV)
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config).expanduser() / "uxcx" / "pseudonym.key"


def _user_key() -> bytes:
    path = key_file()
    try:
        if not path.exists():
            _make_key_file(path)
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise OSError(f"{path} is empty")
        return key.encode("utf-8")
    except OSError as err:
        import warnings

        from uxcx.errors import UxcxWarning

        warnings.warn(f"the pseudonym key file {path.name} could not be read or made "
                      f"({err.strerror or err}), so pseudonyms will change between runs; set "
                      f"{KEY_ENV} or {KEY_FILE_ENV}", UxcxWarning, stacklevel=3)
        return _PROCESS_KEY


def _make_key_file(path: Path) -> None:
    """Write a new random key at ``path`` (mode 0600), unless another process got there first."""
    import secrets
    import tempfile

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".pseudonym-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)  # whole or not at all; a key already there is kept
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(draft, path)
    finally:
        if os.path.exists(draft):
            os.unlink(draft)


def pseudonymise(values, key: bytes | str | None = None) -> pd.Series:
    """Identifiers replaced by a keyed hash: ``anon-`` and 12 hex digits of HMAC-SHA256.

    Parameters
    ----------
    values : array-like
        Identifiers (any type; compared as text, so ``123`` and ``"123"`` agree).
        Missing values stay missing.
    key : bytes or str, optional
        The secret key; default :func:`pseudonym_key`.

    Returns
    -------
    pandas.Series of str (``"string"`` dtype)

    Notes
    -----
    ``HMAC-SHA256(key, id)`` (RFC 2104; NIST FIPS 198-1) truncated to 48 bits.
    Without the key a pseudonym cannot be turned back into the id, nor can one
    be made for a guessed id, which a plain hash of a short id would allow. The
    same id under the same key always gives the same pseudonym, so sources still
    link. Keep the key out of the study's outputs (set it in the environment).

    References
    ----------
    Krawczyk, H., Bellare, M. and Canetti, R. (1997). HMAC: keyed-hashing for
    message authentication. RFC 2104, IETF.
    ENISA (2019). *Pseudonymisation techniques and best practices*, sec. 5.2.

    Examples
    --------
    >>> pseudonymise(["P01", None, "P01"], key=b"k").tolist()
    ['anon-4b31b1141a26', <NA>, 'anon-4b31b1141a26']
    """
    raw = pd.Series(values, dtype="object")
    secret = pseudonym_key() if key is None else (key.encode() if isinstance(key, str) else key)
    missing = raw.isna().to_numpy()
    text = raw.astype(str).to_numpy()
    uniques, inverse = np.unique(text, return_inverse=True)  # hash each id once
    hashed = np.array([_PREFIX + hmac.new(secret, u.encode("utf-8"), hashlib.sha256)
                       .hexdigest()[:_DIGITS] for u in uniques], dtype=object)
    out = pd.Series(hashed[inverse], index=raw.index, dtype="string")
    out[missing] = pd.NA
    return out


# --- CSV injection ----------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table that a spreadsheet opens without running any cell as a formula.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        The same table; in text columns (and the header) every cell that starts
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gains a
        leading single quote, unless it is a plain number such as ``-3.5``.
        Numeric columns are unchanged, so negative numbers stay numbers.

    Notes
    -----
    Spreadsheet programs treat a cell beginning with one of those characters as
    a formula, so a respondent's answer such as ``=HYPERLINK(...)`` could run
    when a researcher opens an exported CSV (OWASP, "CSV Injection"). OWASP's
    advice is to prefix such cells with a single quote, which Excel, LibreOffice
    and Google Sheets show as text. Use it on every table the kit writes as CSV
    or XLSX.

    References
    ----------
    OWASP Foundation. *CSV Injection*.
    https://owasp.org/www-community/attacks/CSV_Injection (accessed 2025).

    Examples
    --------
    >>> t = pd.DataFrame({"answer": ["=1+2", "-3", "@SUM(A1)", "fine"], "delta": [-1.5, 2, 0, 1]})
    >>> safe_table(t).to_dict("list")
    {'answer': ["'=1+2", '-3', "'@SUM(A1)", 'fine'], 'delta': [-1.5, 2.0, 0.0, 1.0]}
    """
    out = frame.copy()
    changed = {}
    for at in range(out.shape[1]):
        column = out.iloc[:, at]
        if pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
            changed[at] = _neutralise(column)
    for at, column in changed.items():
        out.isetitem(at, column)
    if out.columns.dtype == object:
        out.columns = [_neutral_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def _neutralise(column: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
        is_text = column.notna().to_numpy(dtype=bool)
    else:
        is_text = np.fromiter((isinstance(v, str) for v in column), dtype=bool, count=len(column))
    at = np.flatnonzero(is_text)
    if not len(at):
        return column
    text = column.iloc[at].astype(str)
    risky = (text.str.startswith(_FORMULA_START) & ~text.str.fullmatch(_PLAIN_NUMBER)).to_numpy(bool)
    if not risky.any():
        return column
    out = column.astype(object).copy()
    out.iloc[at[risky]] = ("'" + text[risky]).to_numpy(dtype=object)
    return out


def _neutral_cell(value: str) -> str:
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path) -> None:
    """Write a table as CSV (UTF-8, no index) after :func:`safe_table`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_csv(pd.DataFrame({"answer": ["=cmd"], "delta": [-2]}), path)
    >>> path.read_text().splitlines()
    ['answer,delta', "'=cmd,-2"]
    """
    safe_table(frame).to_csv(path, index=False, encoding="utf-8")
