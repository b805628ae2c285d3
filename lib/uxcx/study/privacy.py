"""Personal data kept out of outputs: pseudonyms for identifiers, and the key behind them.

:func:`pseudonymise` replaces identifiers by a keyed hash (HMAC-SHA256, truncated), the
same identifier always giving the same pseudonym under one key, so joins still work and
nobody without the key can recover the id; :func:`pseudonym_key` and :func:`key_file`
find (or make) that key.

The loader and the report runner share two further tools, importable from here as
before: detection of personal columns by content (:mod:`uxcx.study.personal`:
:func:`personal_columns`, :func:`personal_findings`, :func:`looks_personal`) and
spreadsheet-safe export (:mod:`uxcx.study.safe_csv`: :func:`safe_table`,
:func:`write_csv`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import numpy as np
import pandas as pd

from uxcx.io.secrets import KEY_ENV, KEY_FILE_ENV, key_file
from uxcx.study.personal import Finding, looks_personal, personal_columns, personal_findings
from uxcx.study.safe_csv import safe_table, write_csv

__all__ = ["personal_columns", "personal_findings", "Finding", "looks_personal", "pseudonymise",
           "pseudonym_key", "key_file", "safe_table",
           "write_csv", "KEY_ENV", "KEY_FILE_ENV"]

_PREFIX = "anon-"
_DIGITS = 12  # hex digits of the HMAC kept: 48 bits, collisions unlikely below ~10^6 ids
_PROCESS_KEY = os.urandom(32)  # the last resort: when no key file can be read or made


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
