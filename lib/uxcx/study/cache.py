"""One load of a study per report: the runner's loaded copy, handed to every notebook.

``uxcx report`` loads and validates the study once (it needs the ledger anyway) and
:func:`write_cache` stores that :class:`~uxcx.study.load.Study` in a private temporary
folder of the run; the notebooks' kernels find it through the environment variable
:data:`CACHE_ENV`, and :func:`uxcx.study.load.load_study` returns it instead of reading
every source again. The copy is used only while it is true: it records a BLAKE2 hash of
the study file and of every source file's bytes, and any difference (a file edited
during the run, a notebook pointed at another study) reads the files afresh. The
warnings the load raised are stored too and raised again, so a notebook's caveats are
the same either way. The folder is created readable by its owner only and removed when
the run ends: the loaded study holds the pseudonym key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import warnings
from pathlib import Path

__all__ = ["CACHE_ENV", "write_cache", "read_cache", "listing", "listed_files"]

CACHE_ENV = "UXCX_STUDY_CACHE"
_CHUNK = 1 << 20


def _digest(file: Path) -> str | None:
    try:
        h = hashlib.blake2b(digest_size=16)
        with open(file, "rb") as f:
            for block in iter(lambda: f.read(_CHUNK), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def _inputs(study) -> dict[str, str | None]:
    files = [Path(study.path).resolve()]
    files += [(Path(study.path).parent / source.path).resolve() for source in study.config.sources.values()]
    inputs = {str(f): _digest(f) for f in files}
    events = study.config.events
    if events is not None:
        inputs["events:" + events.path] = listing(Path(study.path).parent, events.path)
    return inputs


def listed_files(folder: Path, pattern: str) -> list[Path]:
    """The files an event log's ``path`` names: a file, every file under a folder, or a glob's."""
    base = Path(folder) / pattern
    if base.is_dir():
        return sorted(p for p in base.rglob("*") if p.is_file())
    if any(c in pattern for c in "*?["):
        return sorted(p for p in Path(folder).glob(pattern) if p.is_file())
    return [base] if base.is_file() else []


def listing(folder: Path, pattern: str) -> str:
    """The event log's files by name, size and modification time: hashing 100 million events'
    bytes would cost more than the load the cache saves, and an edit changes size or time."""
    h = hashlib.blake2b(digest_size=16)
    for p in listed_files(folder, pattern):
        info = p.stat()
        h.update(f"{p}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return h.hexdigest()


def write_cache(study, folder: Path, raised: list) -> Path:
    """Store ``study`` (and the warnings its load ``raised``) in ``folder``; returns the file."""
    record = {"study": str(Path(study.path).resolve()), "inputs": _inputs(study), "study_object": study,
              "warnings": [(w.category, str(w.message)) for w in raised]}
    target = Path(folder) / "study.pickle"
    with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
        pickle.dump(record, f, protocol=pickle.HIGHEST_PROTOCOL)
    return target


def _private(file: Path) -> bool:
    """A regular file of this user that nobody else can write (only such a pickle is read)."""
    try:
        info = file.stat()
    except OSError:
        return False
    return file.is_file() and info.st_uid == os.getuid() and not info.st_mode & 0o022


def read_cache(path):
    """The runner's loaded copy of the study at ``path``, or None when there is none or it is stale."""
    cache = os.environ.get(CACHE_ENV)
    if not cache or not _private(Path(cache)):
        return None
    try:
        wanted = str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError, TypeError):
        return None
    try:
        with open(cache, "rb") as f:
            record = pickle.load(f)  # written by this user's own run, in a folder only it can read
    except Exception:  # a damaged cache is no reason to fail: read the files instead
        return None
    if record.get("study") != wanted:
        return None
    study = record["study_object"]
    if record["inputs"] != _inputs(study):
        return None
    for category, message in record["warnings"]:
        warnings.warn(message, category, stacklevel=3)
    return study
