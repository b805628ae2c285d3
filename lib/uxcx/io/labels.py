"""Label scales: answers written as words ("Strongly agree") read as the numbers they stand for.

Survey tools export rating answers as their labels unless told otherwise. A
study file names the scale of a role under ``labels:`` (``sus_*: agreement``)
or writes its own map; :func:`label_map` builds the value map the loader
applies (:mod:`uxcx.study.coerce`), and :func:`check_labels` stops with one error
listing every label no map covers, together with the YAML to add.

Matching ignores case and repeated or surrounding spaces. "N/A", "Don't know",
"Prefer not to say" and blanks are missing answers, never errors; the loader
counts them in the ledger's notes and repairs.

This module imports no pandas at load time, so reading a study file stays light.
"""

from __future__ import annotations

import re

from uxcx.io.unicode_text import visible

__all__ = ["SCALES", "MISSING_LABELS", "POSITION_SCALES", "scale_map", "label_map", "check_labels",
           "normal_label"]

# Built-in scales: label -> value. Aliases share a value. Values run from the
# negative end (1, or 0 for the 0-10 likelihood scale) to the positive end.
SCALES: dict[str, dict[str, float]] = {
    # 5-point agreement (Likert 1932); "Somewhat" is Qualtrics' wording for the inner points.
    "agreement": {
        "strongly disagree": 1, "disagree": 2, "somewhat disagree": 2,
        "neither agree nor disagree": 3, "neutral": 3, "neither disagree nor agree": 3,
        "agree": 4, "somewhat agree": 4, "strongly agree": 5},
    "agreement-7": {
        "strongly disagree": 1, "disagree": 2, "somewhat disagree": 3,
        "neither agree nor disagree": 4, "neutral": 4, "neither disagree nor agree": 4,
        "somewhat agree": 5, "agree": 6, "strongly agree": 7},
    "likelihood": {
        "very unlikely": 1, "unlikely": 2, "somewhat unlikely": 2,
        "neither likely nor unlikely": 3, "neutral": 3, "likely": 4, "somewhat likely": 4,
        "very likely": 5},
    # 0-10 likelihood to recommend (NPS, Reichheld 2003) with its anchors written out.
    "likelihood-11": {
        **{str(i): i for i in range(11)},
        "0 - not at all likely": 0, "not at all likely": 0, "0 not at all likely": 0,
        "10 - extremely likely": 10, "extremely likely": 10, "10 extremely likely": 10,
        "5 - neutral": 5},
    "satisfaction": {
        "very dissatisfied": 1, "dissatisfied": 2, "somewhat dissatisfied": 2,
        "neither satisfied nor dissatisfied": 3, "neutral": 3,
        "satisfied": 4, "somewhat satisfied": 4, "very satisfied": 5},
    "satisfaction-7": {
        "extremely dissatisfied": 1, "moderately dissatisfied": 2, "slightly dissatisfied": 3,
        "neither satisfied nor dissatisfied": 4, "neutral": 4, "slightly satisfied": 5,
        "moderately satisfied": 6, "extremely satisfied": 7},
    "ease": {
        "very difficult": 1, "difficult": 2, "somewhat difficult": 2,
        "neither easy nor difficult": 3, "neutral": 3, "easy": 4, "somewhat easy": 4,
        "very easy": 5},
    # 7 points, as the Single Ease Question (Sauro & Dumas 2009) is asked.
    "ease-7": {
        "very difficult": 1, "extremely difficult": 1, "difficult": 2, "somewhat difficult": 3,
        "neither easy nor difficult": 4, "neutral": 4, "somewhat easy": 5, "easy": 6,
        "very easy": 7, "extremely easy": 7},
    "frequency": {"never": 1, "rarely": 2, "sometimes": 3, "often": 4, "always": 5},
    # Choice positions instead of values: tools that export the position of the answer among
    # the choices write the 0-10 scale as 1-11 and a 1-5 or 1-7 scale coded from 0.
    "positions-11": {str(i + 1): i for i in range(11)},
    "zero-based-5": {str(i): i + 1 for i in range(5)},
    "zero-based-7": {str(i): i + 1 for i in range(7)},
}
#: The built-in scales whose labels are numbers (a recoding): a number outside them is an error.
POSITION_SCALES = ("positions-11", "zero-based-5", "zero-based-7")

# Answers that mean "no answer": missing values, never errors.
MISSING_LABELS = frozenset({
    "", "n/a", "na", "n.a.", "not applicable", "don't know", "dont know", "do not know",
    "don't know / not applicable", "prefer not to say", "prefer not to answer", "no answer",
    "no opinion", "-"})

# Pairs that cannot both occur on a 5-point scale: seen together, the data are 7-point.
_SEVEN_POINT_SIGNS = {"agreement": ("agree", "somewhat agree"),
                      "ease": ("easy", "somewhat easy"),
                      "satisfaction": ("satisfied", "somewhat satisfied"),
                      "likelihood": ("likely", "somewhat likely")}


def normal_label(label) -> str:
    """A label compared as the loader compares it: NFC without invisible characters
    (:func:`uxcx.io.unicode_text.visible`), lower case, single spaces, straight quotes.

    >>> normal_label("  Strongly   Agree ")
    'strongly agree'
    >>> normal_label("Don’t know")
    "don't know"
    """
    text = visible(label).replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return " ".join(text.lower().split())


def scale_map(name: str, *, reverse: bool = False) -> dict[str, float | None]:
    """A built-in scale as a value map, with the missing-answer labels mapped to None.

    Parameters
    ----------
    name : str
        One of :data:`SCALES`: ``agreement``, ``agreement-7``, ``likelihood``,
        ``likelihood-11``, ``satisfaction``, ``satisfaction-7``, ``ease``,
        ``ease-7``, ``frequency``; or a recoding of choice positions:
        ``positions-11`` (1-11 read as 0-10, the NPS question exported as the
        position of the answer), ``zero-based-5`` and ``zero-based-7`` (0-4 read
        as 1-5, 0-6 as 1-7).
    reverse : bool, default False
        The file's scale runs the other way: each value ``v`` becomes
        ``low + high - v``.

    Returns
    -------
    dict
        Normalised label -> value (None for "N/A", "Don't know", ...).

    Raises
    ------
    KeyError
        ``name`` is not a built-in scale (the study file is checked before this).

    Notes
    -----
    The 5-point scales accept the "Somewhat ..." wording of the inner points
    (Qualtrics' default); on the 7-point scales "Somewhat" is the point next to
    the middle. "Neutral" is the middle of every scale. The 0-10 likelihood scale
    reads the numbers and the anchors "0 - Not at all likely" and "10 - Extremely
    likely" (Reichheld, 2003).

    References
    ----------
    Likert, R. (1932). A technique for the measurement of attitudes. *Archives
    of Psychology*, 22(140), 1-55.

    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business
    Review*, 81(12), 46-54.

    Examples
    --------
    >>> scale_map("agreement")["neither agree nor disagree"]
    3
    >>> scale_map("agreement", reverse=True)["strongly agree"]
    1
    >>> scale_map("likelihood-11")["10 - extremely likely"], scale_map("ease")["n/a"]
    (10, None)
    >>> scale_map("positions-11")["11"], scale_map("zero-based-5")["0"]
    (10, 1)
    """
    values = SCALES[name]
    low, high = min(values.values()), max(values.values())
    out: dict[str, float | None] = {k: (low + high - v if reverse else v) for k, v in values.items()}
    out.update({k: None for k in MISSING_LABELS if k})
    return out


def _matches(pattern: str, role: str) -> bool:
    return pattern == role or ("*" in pattern and re.fullmatch(pattern.replace("*", ".*"), role) is not None)


def label_map(config, role: str) -> dict | None:
    """The value map the loader applies to ``role``: its label scale, then its ``values:`` map.

    Parameters
    ----------
    config : uxcx.study.study_file.SourceConfig
        The source's settings: ``labels:`` (role or pattern -> scale name or
        own map), ``reverse:`` (roles or patterns whose scale runs the other
        way) and ``values:``.
    role : str

    Returns
    -------
    dict or None
        Label -> value; None when the role has neither labels nor values.

    Examples
    --------
    >>> from uxcx.study.study_file import SourceConfig
    >>> c = SourceConfig(path="x.csv", labels={"sus_*": "agreement"}, reverse=["sus_2"])
    >>> label_map(c, "sus_1")["strongly agree"], label_map(c, "sus_2")["strongly agree"]
    (5, 1)
    >>> label_map(c, "nps") is None
    True
    """
    spec = next((v for k, v in config.labels.items() if _matches(k, role)), None)
    reverse = any(_matches(k, role) for k in config.reverse)
    out: dict = {}
    if isinstance(spec, str):
        out.update(scale_map(spec, reverse=reverse))
    elif isinstance(spec, dict):
        own = {normal_label(k): v for k, v in spec.items()}
        if reverse:
            numbers = [v for v in own.values() if v is not None]
            low, high = min(numbers), max(numbers)
            own = {k: (None if v is None else low + high - v) for k, v in own.items()}
        out.update({k: None for k in MISSING_LABELS if k})
        out.update(own)
    values = config.value_map(role)
    if values:
        out.update({normal_label(k): v for k, v in values.items()})
    # the loader compares without straightening quotes: give it the curly spellings too
    out.update({k.replace("'", "\u2019"): v for k, v in out.items() if "'" in k})
    return out or None


def check_labels(frame, mapping: dict, config, source: str, file: str, rows) -> list[str]:
    """Stop on labels no map covers; say how many answers were missing labels.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as read (headers as in the file).
    mapping : dict
        header -> role, for the columns the study uses.
    config : uxcx.study.study_file.SourceConfig
    source : str
        The source's name (for the YAML path in the hint).
    file : str
        The file, for the error.
    rows : array-like of int
        The spreadsheet row of each row of ``frame``.

    Returns
    -------
    list of str
        Notes: per labelled column, the answers read as missing (N/A, Don't
        know, blank).

    Raises
    ------
    DataError
        One problem per column whose labels a map does not cover: its first
        such row, every distinct label found, the built-in scales that would
        cover them and the YAML map to add.
    """
    import pandas as pd

    from uxcx.errors import DataError, Problem
    from uxcx.io.markers import is_marker
    from uxcx.io.unicode_text import visible_series

    notes, problems, groups = [], [], {}
    for header, role in mapping.items():
        key = next((k for k in config.labels if _matches(k, role)), None)
        if key is not None:
            groups.setdefault(key, []).append((header, role))
    for key, columns in groups.items():
        found, first, bad_columns, unknown_labels = [], None, [], []
        for header, role in columns:
            values = label_map(config, role) or {}
            text = visible_series(frame[header]).str.strip()
            norm = text.map(normal_label, na_action="ignore")
            numeric = pd.to_numeric(text, errors="coerce").notna()
            marker = is_marker(text)  # NA, null, None: missing in a rating column
            unknown = (text.notna() & ~numeric & ~marker
                       & ~norm.isin(list(values)).fillna(False)).astype(bool)
            nothing = [k for k, v in values.items() if v is None]
            missing = text.isna() | marker | norm.isin(nothing).fillna(False)
            if int(missing.sum()):
                notes.append(f"{header!r}: {int(missing.sum())} answer(s) blank, N/A or Don't know "
                             "read as missing")
            here = list(dict.fromkeys(text[text.notna() & ~numeric & ~marker]))
            _seven_point(here, config, role, header, source)
            found += [t for t in here if t not in found]
            if unknown.any():
                at = int(pd.Series(list(rows))[unknown.to_numpy()].iloc[0])
                first = at if first is None else min(first, at)
                bad_columns.append(header)
                unknown_labels += [t for t in text[unknown].unique() if t not in unknown_labels]
        if bad_columns:
            problems.append(Problem(
                file, first, ", ".join(bad_columns), unknown_labels,
                f"labels that the map under labels: {key} does not cover",
                expected="labels of the scale named under labels:",
                hint=_yaml_hint(found, label_map(config, columns[0][1]) or {}, source, key)))
    if problems:
        raise DataError(problems)
    return notes


def _seven_point(found, config, role, header, source) -> None:
    spec = next((v for k, v in config.labels.items() if _matches(k, role)), None)
    seen = {normal_label(t) for t in found}
    if isinstance(spec, str) and spec in _SEVEN_POINT_SIGNS and set(_SEVEN_POINT_SIGNS[spec]) <= seen:
        from uxcx.errors import StudyError

        a, b = _SEVEN_POINT_SIGNS[spec]
        raise StudyError(f"sources.{source}.labels: column {header!r} has both {a!r} and {b!r}, "
                         f"so its scale has 7 points; name it {spec}-7 instead of {spec}")


def _yaml_hint(found, values, source, key) -> str:
    covering = [name for name, scale in SCALES.items()
                if all(normal_label(t) in scale or normal_label(t) in MISSING_LABELS for t in found)]
    lines = ["sources:", f"  {source}:", "    labels:", f'      "{key}":'] + [
        f'        "{t}": ' + (f"{values[normal_label(t)]:g}" if values.get(normal_label(t)) is not None
                       else "null" if normal_label(t) in values else "null  # your value")
        for t in found]
    lead = (f"name a built-in scale that covers them ({', '.join(covering)}), or " if covering
            else "")
    return f"{lead}write the map in the study file (labels found: {len(found)}):\n" + "\n".join(lines)
