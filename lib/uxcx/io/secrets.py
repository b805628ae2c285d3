"""The pseudonym key's whereabouts, known to the readers so that no file can echo it.

The key behind pseudonyms (:mod:`uxcx.study.privacy`) comes from the environment
(``UXCX_PSEUDONYM_KEY``), the study file (``analysis.pseudonym_key``) or this user's key
file (:func:`key_file`). A study could name any of them as a data source, or a file
holding it (a ``.env`` file, ``/proc/self/environ``); the readers refuse such a file
without quoting it, so the key never reaches a message, the ledger or a page.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["KEY_ENV", "KEY_FILE_ENV", "key_file", "known_secrets", "redact", "MIN_SECRET"]

KEY_ENV = "UXCX_PSEUDONYM_KEY"
KEY_FILE_ENV = "UXCX_PSEUDONYM_KEY_FILE"  # where this user's key file is (default ~/.config/uxcx/)
#: Shorter keys are not searched for in data (they would match ordinary text).
MIN_SECRET = 6


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


def known_secrets(extra=()) -> list[str]:
    """The pseudonym keys in play: the environment's, ``extra`` (the study's), the key file's.

    The key file is read only when it exists (never made here). Keys shorter than
    :data:`MIN_SECRET` characters are left out.
    """
    found = [os.environ.get(KEY_ENV) or "", *(str(k) for k in extra if k is not None)]
    path = key_file()
    try:
        if path.is_file() and path.stat().st_size < 4096:
            found.append(path.read_text(encoding="utf-8", errors="replace").strip())
    except OSError:
        pass
    return sorted({k.strip() for k in found if len(k.strip()) >= MIN_SECRET}, key=len, reverse=True)


def redact(text: str, secrets) -> str:
    """``text`` with every secret replaced by ``[secret withheld]``.

    >>> redact("key abc123xyz here", ["abc123xyz"])
    'key [secret withheld] here'
    """
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "[secret withheld]")
    return text
