"""What the table readers share: the error for a whole file, header names, text encoding.

Used by :mod:`uxcx.io.tables` and the readers under it (:mod:`uxcx.io.delimited`,
:mod:`uxcx.io.xlsx_parquet_json`).
"""

from __future__ import annotations

import codecs

import pandas as pd

from uxcx.errors import DataError, Problem


def fail(file, reason, expected="", hint="") -> DataError:
    """A :class:`~uxcx.errors.DataError` about the file as a whole (no row, no column)."""
    return DataError([Problem(file, None, None, None, reason, expected, hint)])


def column_names(header: list, file: str, header_row: int | None, notes: list[str]) -> list[str]:
    """Header names stripped of surrounding spaces; raise if one is used twice.

    An empty name becomes ``"Unnamed: i"``, as in pandas.

    Examples
    --------
    >>> notes = []
    >>> column_names([" id", "nps", None], "survey.csv", 1, notes)
    ['id', 'nps', 'Unnamed: 2']
    >>> notes
    ["removed spaces around the column names ' id'"]
    """
    names = [str(h).strip() if h is not None else "" for h in header]
    changed = [repr(str(h)) for h, n in zip(header, names, strict=True) if n and str(h) != n]
    if changed:
        notes.append("removed spaces around the column names " + ", ".join(changed))
    where: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if name:
            where.setdefault(name, []).append(i)
    problems = [
        Problem(file, header_row, name, name,
                f"the column name is used {len(at)} times, in columns "
                + ", ".join(f"{i + 1} ({_letters(i)})" for i in at),
                expected="every column name once",
                hint="rename the columns so each name differs (for example 'q1' and "
                     "'q1_repeat'), or delete the extra copy")
        for name, at in where.items() if len(at) > 1
    ]
    if problems:
        raise DataError(problems)
    return [name or f"Unnamed: {i}" for i, name in enumerate(names)]


def shown_headers(headers, limit: int = 20, width: int = 60) -> str:
    """Header names as a message lists them: the first ``limit``, each cut to ``width`` characters.

    Escaped (``repr``) so that control characters and quotes show as what they are.

    >>> shown_headers(["id", "x" * 70, "nps"], limit=2, width=10)
    "'id', 'xxxxxxxxx…' ... (3 in all)"
    """
    headers = list(headers)
    cut = [str(h) if len(str(h)) <= width else str(h)[:width - 1] + "\u2026" for h in headers[:limit]]
    more = f" ... ({len(headers)} in all)" if len(headers) > limit else ""
    return ", ".join(repr(h) for h in cut) + more


def _letters(i: int) -> str:
    """The spreadsheet letters of a 0-based column position (0 → A, 26 → AA)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def to_utf8(data: bytes, file: str, notes: list[str]) -> tuple[bytes, str]:
    """The text as UTF-8 bytes (without a byte-order mark), and the encoding found.

    A UTF-8 byte-order mark gives ``"utf-8-sig"``, a UTF-16 one ``"utf-16"``;
    otherwise valid UTF-8 is ``"utf-8"`` and anything else is decoded as
    ``"cp1252"`` (``"latin-1"`` if even that fails), with a note.

    Examples
    --------
    >>> notes = []
    >>> to_utf8("Zürich".encode("cp1252"), "survey.csv", notes)
    (b'Z\\xc3\\xbcrich', 'cp1252')
    >>> notes
    ['decoded as cp1252 (not valid UTF-8)']
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError:
            raise fail(file, "the file starts like UTF-16 text but is not valid UTF-16",
                       "text in UTF-8 or UTF-16",
                       "open it in a spreadsheet and save it again as CSV UTF-8") from None
    if b"\x00" in data:
        data, utf16 = _nul_bytes(data, notes)
        if utf16:
            return data, utf16
    if data.isascii():
        return data, "utf-8"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
        notes.append("decoded as cp1252 (not valid UTF-8)")
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
        notes.append("decoded as latin-1 (neither valid UTF-8 nor cp1252)")
    return text.encode("utf-8"), encoding


def _nul_bytes(data: bytes, notes: list[str]) -> tuple[bytes, str | None]:
    """UTF-16 without a byte-order mark (a NUL in every other byte), or stray NULs removed."""
    sample = data[:1 << 16]
    for order, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros and zeros.count(0) >= 0.9 * len(zeros):
            try:
                text = data.decode(order)
            except UnicodeDecodeError:
                break
            notes.append(f"decoded as {order.upper()} (no byte-order mark)")
            return text.encode("utf-8"), order
    n = data.count(0)
    notes.append(f"removed {n} NUL byte{'s' * (n > 1)} (a damaged or binary-padded file)")
    return data.replace(b"\x00", b""), None


def replaced(frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """The frame with some columns replaced (names may be any hashable)."""
    if not columns:
        return frame
    return pd.DataFrame({name: columns.get(name, frame[name]) for name in frame.columns},
                        index=frame.index)
