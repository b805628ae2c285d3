"""What a named file is, before anything of it is parsed: refuse what is no data file.

A study names its sources by path, and a path can lead anywhere: a named pipe (reading
it waits for ever), a device, a system file under ``/proc`` (``/proc/self/environ``
holds the environment, secrets included), a symbolic link in a loop, a file far too
large for memory, a web page saved as ``.csv``. :func:`path_problem` says what such a
path is without opening it; :func:`read_source` reads a regular file into memory with
a size bound, decompresses gzip, and refuses content that is no table (a web page, a
PDF, an archive, binary data, a file holding the pseudonym key) **without quoting any
of it**: only a file recognised as a table has its headers shown in messages.

The size bound is :data:`DEFAULT_MAX_MB` megabytes; raise it with the source's
``max_file_mb:`` in the study file or the environment variable ``UXCX_MAX_FILE_MB``.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from uxcx.io.secrets import known_secrets
from uxcx.io.shared import fail

__all__ = ["PathProblem", "path_problem", "read_source", "outside_folder", "max_bytes",
           "DEFAULT_MAX_MB", "MAX_MB_ENV", "SYSTEM_FOLDERS"]

DEFAULT_MAX_MB = 1024
MAX_MB_ENV = "UXCX_MAX_FILE_MB"
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
_EXPORT_AGAIN = "name the exported data file (CSV, XLSX, Parquet or JSON) instead"


@dataclass(frozen=True)
class PathProblem:
    """Why a path cannot be read as a data file: what it is, and what to do."""

    reason: str
    hint: str
    missing: bool = False  # nothing at all at the path (callers add their did-you-mean)


def path_problem(path, *, data: bool = True) -> PathProblem | None:
    """What is wrong with ``path`` as a data file, found without opening it (None if nothing).

    ``data=False`` checks a file that is no data file (the study file itself): only what
    the path is, not its name.

    Examples
    --------
    >>> path_problem("/proc/self/environ").reason[:40]
    'this is a system file under /proc, not a'
    >>> path_problem("/dev/null").reason[:40]
    'this is a system file under /dev, not a '
    """
    path = Path(path)
    real = os.path.realpath(path)
    system = next((f for f in SYSTEM_FOLDERS if real == f or real.startswith(f + "/")), None)
    if system:  # refused before any stat or read: these files describe the running system
        return PathProblem(f"this is a system file under {system}, not a data file (files there are "
                           "devices or describe the running computer, and can hold secrets)",
                           _EXPORT_AGAIN)
    try:
        info = os.stat(path)
    except OSError as err:
        return _stat_problem(path, err)
    if stat.S_ISDIR(info.st_mode):
        return PathProblem("this is a folder, not a file", "name the file inside the folder")
    kind = ("a named pipe (FIFO), not a data file: reading it would wait for another program "
            "to write into it" if stat.S_ISFIFO(info.st_mode)
            else "a device, not a data file" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "a socket, not a data file" if stat.S_ISSOCK(info.st_mode)
            else None if stat.S_ISREG(info.st_mode) else "no regular file")
    if kind:
        return PathProblem(f"this is {kind}", _EXPORT_AGAIN)
    if _is_key_file(real):
        return PathProblem("this is the pseudonym key file, a secret: it is never read as data",
                           _EXPORT_AGAIN)
    what = _settings_kind(path) if data else None
    if what:
        return PathProblem(f"this is {what}, not a data export (its content is not shown)",
                           _EXPORT_AGAIN)
    return None


# Files of settings, programs and secrets: named as data, their first line would be quoted
# as "headers" (an .env file's first secret). Refused by name, before they are opened.
_SETTINGS_SUFFIXES = {
    ".yml": "a YAML file (a study file?)", ".yaml": "a YAML file (a study file?)",
    ".env": "an environment file (it holds settings and often secrets)", ".ini": "a settings file",
    ".cfg": "a settings file", ".conf": "a settings file", ".toml": "a settings file",
    ".py": "a program", ".sh": "a program", ".ps1": "a program", ".key": "a key (a secret)",
    ".pem": "a key or certificate (a secret)", ".crt": "a certificate", ".p12": "a key store (a secret)",
    ".pfx": "a key store (a secret)", ".kdbx": "a password database", ".ipynb": "a notebook",
    ".html": "a web page", ".htm": "a web page", ".pdf": "a PDF document",
    ".docx": "a Word document", ".ods": "an OpenDocument spreadsheet (save it as .xlsx)",
}
_DATA_SUFFIXES = (".csv", ".tsv", ".tab", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq", ".json",
                  ".jsonl", ".ndjson", ".gz")


def _settings_kind(path: Path) -> str | None:
    name = path.name.lower()
    suffix = Path(name).suffix
    if suffix in _SETTINGS_SUFFIXES:
        return _SETTINGS_SUFFIXES[suffix]
    if name.startswith(".") and not name.endswith(_DATA_SUFFIXES):  # .env, .netrc, .pgpass
        return "a hidden settings file"
    if name in ("id_rsa", "id_ed25519", "id_ecdsa", "id_dsa", "credentials", "passwd", "shadow"):
        return "a system or key file (a secret)"
    return None


def _stat_problem(path: Path, err: OSError) -> PathProblem:
    if err.errno == errno.ELOOP:
        return PathProblem("this is a symbolic link in a loop (following it leads back to "
                           "itself)", "point the link at the real file, or name that file")
    if err.errno == errno.ENOENT and os.path.islink(path):
        return PathProblem("this is a symbolic link to a file that does not exist",
                           "point the link at the real file, or name that file")
    if err.errno == errno.ENOENT:
        return PathProblem("file not found", "check the path and its spelling", missing=True)
    if err.errno == errno.ENOTDIR:
        return PathProblem("a part of the path is a file, not a folder", "check the path")
    if err.errno == errno.EACCES:
        return PathProblem("you may not read this file (permission denied)",
                           "ask for read access or copy the file somewhere you may read it")
    return PathProblem(f"the file cannot be reached ({err.strerror or err})", "check the path")


def _is_key_file(real: str) -> bool:
    from uxcx.io.secrets import key_file

    try:
        return real == os.path.realpath(key_file())
    except (OSError, RuntimeError, ValueError):
        return False


def outside_folder(path, folder) -> bool:
    """Whether ``path`` (links followed) lies outside ``folder``."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) != base


def max_bytes(max_mb=None) -> int:
    """The size bound in bytes: ``max_mb``, else ``UXCX_MAX_FILE_MB``, else the default."""
    if max_mb is None:
        try:
            max_mb = float(os.environ.get(MAX_MB_ENV) or DEFAULT_MAX_MB)
        except ValueError:
            max_mb = DEFAULT_MAX_MB
    return int(max_mb * (1 << 20))


def read_source(path, file: str, *, max_mb=None, secrets=(), notes=None) -> bytes:
    """The bytes of a data file, refused with a :class:`~uxcx.errors.DataError` when no table.

    Parameters
    ----------
    path : path-like
    file : str
        The path as the user gave it, for messages.
    max_mb : float, optional
        Size bound in megabytes (see :func:`max_bytes`); it bounds a gzip file's
        decompressed size too.
    secrets : iterable of str
        Pseudonym keys besides the environment's and the key file's (the study's own).
    notes : list of str, optional
        A note is appended when a gzip file was decompressed.
    """
    problem = path_problem(path)
    if problem and problem.missing:
        raise FileNotFoundError(errno.ENOENT, problem.reason, str(path))  # the caller's message
    if problem:
        raise fail(file, problem.reason, "a data file", problem.hint)
    limit = max_bytes(max_mb)
    size = os.stat(path).st_size
    if size > limit:
        raise _too_large(file, size, limit)
    with open(path, "rb") as handle:
        data = handle.read(size + 1)  # read(limit) would reserve the whole bound
        if len(data) > size:  # grown since it was measured, or a system file
            if size == 0:
                raise fail(file, "this file reports a size of 0 but holds data: a system file, "
                           "not a data file", "a data file", _EXPORT_AGAIN)
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise _too_large(file, len(data), limit)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, file, limit)
        if notes is not None:
            notes.append("read a gzip-compressed file (decompressed in memory)")
    _refuse_non_table(data, file, secrets)
    return data


def _too_large(file: str, size: int, limit: int):
    return fail(file, f"the file is {size / (1 << 20):,.0f} MB or more, over the limit of "
                f"{limit / (1 << 20):,.0f} MB for a file read into memory", "a smaller file",
                f"if it is the right file, raise the limit with max_file_mb: under the source in "
                f"the study file (or the environment variable {MAX_MB_ENV}); else name a smaller "
                "export")


def _gunzip(data: bytes, file: str, limit: int) -> bytes:
    """Decompress gzip (all members), never past ``limit`` bytes (a zip bomb stops there)."""
    out, rest = bytearray(), data
    try:
        while rest[:2] == b"\x1f\x8b":
            engine = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += engine.decompress(rest, limit + 1 - len(out))
            if len(out) > limit:
                raise fail(file, f"the gzip file decompresses to more than "
                           f"{limit / (1 << 20):,.0f} MB", "a smaller file",
                           f"raise the limit with max_file_mb: under the source (or {MAX_MB_ENV})")
            if not engine.eof:
                raise zlib.error("the compressed data end early")
            rest = engine.unused_data
    except (zlib.error, gzip.BadGzipFile, EOFError) as err:
        raise fail(file, f"this is a gzip file, but it cannot be decompressed ({err})",
                   "a complete gzip file or an uncompressed export",
                   "download or copy the file again; or unzip it and name the file inside") from None
    return bytes(out)


# --- content that is no table -------------------------------------------------------

_SIGNATURES = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG", "an image (PNG)"), (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"), (b"GIF89a", "an image (GIF)"),
    *((b"BZh%d1AY&SY" % level, "a bzip2-compressed file") for level in range(1, 10)),
    (b"\xfd7zXZ\x00", "an xz-compressed file"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"), (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"SQLite format 3\x00", "a database file (SQLite)"), (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"), (b"-----BEGIN ", "a key or certificate (a secret)"),
    (b"{\\rtf", "a rich-text document (RTF)"),
)
_WEB = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<script")


def _refuse_non_table(data: bytes, file: str, secrets) -> None:
    head = data[:4096]
    for magic, what in _SIGNATURES:
        if head.startswith(magic) and not (magic == b"MZ" and _texty(head)):
            raise fail(file, f"this is {what}, not a table", "a CSV, XLSX, Parquet or JSON file",
                       _EXPORT_AGAIN)
    if head.startswith(b"PK\x03\x04"):
        _zip_kind(data, file)
    text = _ascii_lower(head)
    if text.startswith(_WEB) or text.startswith((b"<?xml", b"<!--")) and b"<html" in text:
        raise fail(file, "this looks like a web page, not a CSV export", "a CSV export",
                   "save the export again from the tool (a browser's 'Save page as' keeps the "
                   "page, not the data); the download link of the export gives the CSV")
    if text.startswith(b"<?xml"):
        what = ("an Excel 2003 XML spreadsheet" if b"urn:schemas-microsoft-com:office:spreadsheet"
                in text or b"<workbook" in text else "an XML file")
        raise fail(file, f"this is {what}, not a table the kit reads", "a CSV or XLSX file",
                   "open it in Excel and save it as .xlsx or CSV UTF-8")
    if _settings_lines(head, complete=len(data) <= len(head)):
        raise fail(file, "this looks like a settings file (lines of NAME=value), not a table: "
                   "its content is not shown", "a CSV, XLSX, Parquet or JSON file", _EXPORT_AGAIN)
    if not head.startswith((b"PK\x03\x04", b"PAR1")) and _binary(data[:1 << 16]):
        raise fail(file, "this file holds binary data, not text: it is no CSV export",
                   "a CSV, XLSX, Parquet or JSON file", _EXPORT_AGAIN)
    for secret in known_secrets(secrets):
        if _holds(data, secret):
            raise fail(file, "this file holds the pseudonym key (a secret), so nothing of it is "
                       "read or shown", "a data file without secrets", _EXPORT_AGAIN)


def _holds(data: bytes, secret: str) -> bool:
    if secret.encode("utf-8") in data:
        return True
    return b"\x00" in data[:4096] and (secret.encode("utf-16-le") in data
                                       or secret.encode("utf-16-be") in data)


_SETTING = re.compile(rb"\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=\s*[^\s,;\t|]*\s*")


def _settings_lines(head: bytes, complete: bool) -> bool:
    """The first lines (at least two, up to five) are all NAME=value, with no delimiter."""
    lines = head.replace(b"\x00", b"").splitlines()
    lines = [line for line in (lines if complete else lines[:-1]) if line.strip()][:5]
    return len(lines) >= 2 and all(_SETTING.fullmatch(line) for line in lines)


def _ascii_lower(head: bytes) -> bytes:
    text = head.replace(b"\x00", b"")  # UTF-16 pages too
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        text = text.removeprefix(bom)
    return text.lstrip().lower()


def _texty(head: bytes) -> bool:
    return not _binary(head)


def _binary(sample: bytes) -> bool:
    """Control bytes (other than tabs, line breaks, NUL padding) in over 2% of the sample."""
    if not sample or sample[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_like(sample):
        return False
    controls = sum(sample.count(bytes([c])) for c in (*range(1, 9), 11, 14, 15, *range(16, 26),
                                                      *range(28, 32), 127))
    return controls > max(8, 0.02 * len(sample))


def _utf16_like(sample: bytes) -> bool:
    return any(half and half.count(0) >= 0.9 * len(half) for half in (sample[1::2], sample[0::2]))


def _zip_kind(data: bytes, file: str) -> None:
    """Refuse a ZIP archive that is no workbook, saying what it is."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the XLSX reader says it is damaged
    if any(n.startswith("xl/") for n in names):
        return
    if "mimetype" in names and any(n == "content.xml" for n in names):
        what, hint = ("an OpenDocument file (LibreOffice .ods)",
                      "open it in LibreOffice Calc and save it as .xlsx or CSV UTF-8")
    elif any(n.startswith("word/") for n in names):
        what, hint = "a Word document", _EXPORT_AGAIN
    else:
        tables = sum(n.lower().endswith((".csv", ".tsv", ".xlsx", ".json", ".parquet")) for n in names)
        what = f"a ZIP archive of {len(names)} file(s), {tables} of them tables"
        hint = "unzip it and name the table file inside"
    raise fail(file, f"this is {what}, not a table", "a CSV, XLSX, Parquet or JSON file", hint)
