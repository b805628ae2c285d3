"""Method names in cells: tidied ("adjusted-Wald"), said once beneath or shortened with notes.

Re-exported by :mod:`uxcx.report.cells`.
"""

from __future__ import annotations

import re

import pandas as pd

from uxcx.report.cells_text import humane, texts

__all__ = ["SHORT", "NAMES", "methods"]

#: A method longer than this is shortened in its cell and given in full beneath the table.
SHORT = 48
#: Method names as a reader writes them.
NAMES = {"adjusted-wald": "adjusted-Wald", "wilson": "Wilson", "holm": "Holm", "bonferroni": "Bonferroni",
         "fdr_bh": "Benjamini-Hochberg", "clopper-pearson": "Clopper-Pearson"}
_NAMES = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, NAMES)) + r")(?![\w-])")
_SUPERSCRIPT = str.maketrans("0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


# --- methods --------------------------------------------------------------------------------------

def _tidy_method(text: str) -> str:
    return _NAMES.sub(lambda m: NAMES[m.group(1)], text.strip().rstrip("."))


def methods(data, shown, method, *, keys):
    """The method column: said once beneath when the same for all rows, else shortened with notes.

    ``method`` is the one method of every row (else None); ``keys`` are the label
    columns (none of the schema's) that may name each row's method instead.
    Returns the cells (None when the method is said beneath) and the notes.
    """
    if method is not None:
        return None, [f"Method: {_tidy_method(method)}."]
    full = [(_tidy_method(m) if isinstance(m, str) else "") for m in data["method"]]
    parts = [[p.strip() for p in m.split(";") if p.strip()] for m in full]
    common = [p for p in parts[0] if all(p in q for q, m in zip(parts, full) if m)] if full[0] else []
    rest = ["; ".join(p for p in q if p not in common) for q in parts]
    notes = [f"Method, all rows: {'; '.join(common)}."] if common else []
    key = _method_key(data, rest, keys)
    if key is not None:
        names = data[key].map(humane) if key == "term" else pd.Series(texts(data[key]))
        pairs = dict.fromkeys(zip(names, rest))
        return None, notes + [f"{label}: {_without_prefix(text, label)}." for label, text in pairs if text]
    short = _shorten_all(sorted(set(rest) - {""}, key=rest.index))
    marks, cells = {}, []
    for text in rest[:len(shown)]:
        cell = text if len(text) <= SHORT else short[text]
        if cell != text:
            marks.setdefault(text, len(marks) + 1)
            cell += str(marks[text]).translate(_SUPERSCRIPT)
        cells.append(cell)
    notes += [f"{str(n).translate(_SUPERSCRIPT)} {text}." for text, n in marks.items()]
    return cells, notes


def _method_key(data, rest, keys):
    """A shown label column pairing one to one with the methods (SUM: term), so each is said once."""
    distinct = set(rest) - {""}
    if not 2 <= len(distinct) <= 8:
        return None
    for column in ["term", *keys]:
        if column not in keys or pd.api.types.is_numeric_dtype(data[column]):
            continue
        pairs = pd.DataFrame({"key": data[column].astype(str), "method": rest}).drop_duplicates()
        if len(pairs) == len(distinct) and pairs["key"].is_unique and pairs["method"].is_unique:
            return column
    return None


def _shorten_all(full: list[str]) -> dict[str, str]:
    """A short cell for each method; methods that would read alike keep their last, distinguishing clause."""
    first = {t: _shorten(t.split(";")[0]) for t in full}
    out = {}
    for text, short in first.items():
        clashes = [t for t, s in first.items() if s == short]
        if len(clashes) > 1 and ";" in text:
            short = f"{short}; {_shorten(text.split(';')[-1])}"
        out[text] = short
    return out


def _without_prefix(text: str, label: str) -> str:
    """"time: Phi(...)" under the label "time" reads "Phi(...)"."""
    return text[len(label) + 2:] if text.lower().startswith(label.lower() + ": ") else text


def _shorten(text: str, limit: int = SHORT) -> str:
    text = text.strip()
    if ": " in text and text.index(": ") > 2:
        text = text[:text.index(": ")]
    text = re.sub(r"\s*\([^()]*(\([^()]*\)[^()]*)*\)", "", text).strip() or text
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return text

