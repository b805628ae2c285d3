"""The report as one PDF, printed by headless Chromium (``uxcx report --pdf``).

Chromium prints each page of the report folder (the index first, then the notebooks in
order) exactly as a browser shows it; pypdf joins the pages into ``report.pdf``. Chromium
is found on PATH (``chromium``, ``chromium-browser``, ``google-chrome``) or named by the
environment variable ``UXCX_CHROMIUM``; without it the command says how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from uxcx.errors import UxcxError

__all__ = ["find_chromium", "write_pdf"]

_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--no-pdf-header-footer"]


def find_chromium() -> str | None:
    """The Chromium to print with: ``UXCX_CHROMIUM``, else the first browser found on PATH."""
    named = os.environ.get("UXCX_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(folder, pages: list[str], *, timeout: float = 180) -> Path:
    """Print ``pages`` (file names in ``folder``, in reading order) into ``folder/report.pdf``.

    Raises
    ------
    UxcxError
        No Chromium is installed, or it could not print a page (the message names the page).
    """
    from pypdf import PdfWriter

    chromium = find_chromium()
    if chromium is None:
        raise UxcxError("--pdf needs Chromium to print the report: install it (Debian/Ubuntu: "
                        "apt-get install chromium) or set UXCX_CHROMIUM to its path; the HTML "
                        "report was written all the same")
    folder = Path(folder)
    writer = PdfWriter()
    with tempfile.TemporaryDirectory() as scratch:
        for i, name in enumerate(pages):
            target = Path(scratch) / f"{i:02d}.pdf"
            done = subprocess.run([chromium, *_FLAGS, f"--user-data-dir={Path(scratch) / 'profile'}",
                                   f"--print-to-pdf={target}", (folder / name).resolve().as_uri()],
                                  capture_output=True, timeout=timeout)
            if done.returncode != 0 or not target.exists():
                raise UxcxError(f"Chromium could not print {name} (exit {done.returncode}); "
                                "the HTML report was written all the same")
            writer.append(str(target))
        out = folder / "report.pdf"
        with open(out, "wb") as handle:
            writer.write(handle)
    return out
