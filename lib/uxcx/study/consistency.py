"""Names in a study file that must refer to something: roles, segments and measures.

A study file can be valid key by key and still break the report later: a column
mapped to ``sucess`` is read as a category (and the report has no task success), a
value map for a role no column has is ignored, a segment or a measure that no source
holds stops a notebook. :func:`loaded_problems` catches those, with a did-you-mean;
:func:`uxcx.study.load.load_study` adds them to the mapping problems of the sources, so
every problem of the file is reported at once as one :class:`~uxcx.errors.StudyError`.

Where the checks run: after loading, on the frames' actual columns. The file alone
cannot say which roles a source has: a header that already is a role name (``NPS``) or
a listed segment is taken without a mapping line, and ``format: wide-tasks``,
``format: testing-platform``, ``sus_by_position``, ``multi_select`` and Qualtrics
``match: text`` make or rename columns while loading. Checking the loaded frames (plus
the roles of the ``columns:`` mapping, whose headers the loader found, for columns
withheld as personal data) avoids false errors for every one of them without a list of
exceptions. It also keeps :func:`~uxcx.study.study_file.read_study` free of pandas and
pandera, and puts the study file's problems in one message instead of two rounds.
The checks that need no data (:func:`file_problems`: role typos under ``columns:``,
the names of ``measures.items``) run in the same pass.

Consequences: a ``personal:`` entry naming a role that may have come from a header
(any role or listed segment) is not required to be present, since such a column is
withheld before the frame is made; when a source could not be loaded (its mapping is
wrong), the checks across sources (segments, measures) wait until it loads; a role that
is the did-you-mean of a mistyped column counts as present, so the typo is reported once.

Names not close to any role stay categories (``region``, ``plan``, ``band``): a typo is
flagged only when the name is one edit from a role (two for longer names that
:mod:`difflib` also finds close, or a role cut short by two letters: ``time`` for ``time_s``); a
three-letter name one letter off a role (``sex`` for ``seq``) is taken as a word of its own.
"""

from __future__ import annotations

import difflib
import re

from uxcx.study.schema import ROLES, SOURCES, known_role, role

__all__ = ["file_problems", "loaded_problems", "DERIVED"]

_SUS = tuple(f"sus_{i}" for i in range(1, 11))
_UMUX = ("umux_lite_1", "umux_lite_2")

# Concrete role names a typo is compared with.
_CANDIDATES = (*ROLES, *_SUS, *_UMUX)
# Role families by prefix (ease_<task>, ...): a typo of the prefix keeps the rest.
_FAMILIES = ("ease", "loyalty", "comment", "item")

# The per-person scores the kit computes, and what each is computed from (in words).
DERIVED = {
    "sus": "sus_1..sus_10 (all ten in one source)",
    "umux_lite": "umux_lite_1 and umux_lite_2",
    "ease": "an ease_* item",
    "loyalty": "a loyalty_* item",
    "ux_index": "UMUX-Lite, SUS or ease_* items, a ux item of measures.items, or measures.ux_index",
    "promoter": "nps",
    "nps_group": "nps",
    "success_rate": "success",
    "time_s": "time_s",
    "errors_per_task": "errors",
    "clicks_per_task": "clicks",
    "seq_mean": "seq",
    "churned": "start (and end) dates, or a churned column",
    "tenure": "start (and end) dates, or a tenure column",
}

_NAME = re.compile(r"[a-z][a-z0-9_]*")


# --- what the file alone settles -------------------------------------------------------


def file_problems(config) -> list[str]:
    """Problems of the study file that need no data: role typos under ``columns:``, item names.

    Parameters
    ----------
    config : uxcx.study.study_file.StudyFile

    Returns
    -------
    list of str
        One sentence per problem, each naming the key, the value, what was expected
        and how to fix it.
    """
    out = []
    for source, settings in config.sources.items():
        for header, name, near in _typos(config, settings):
            out.append(
                f"sources.{source}.columns: {header!r} is mapped to {name!r}, which is no role; "
                f"did you mean {_either(near)}? Roles are listed in data/README.md; a column of "
                f"your own is kept as a category: list it under analysis.segments, or declare "
                f"a rated item under measures.items")
    for name in config.measures.items:
        where = f"measures.items.{name}"
        if not _NAME.fullmatch(name):
            out.append(f"{where}: an item's name must be a lower-case name of letters, digits and "
                       f"_ starting with a letter (such as trust or item_trust), like the roles "
                       f"it is mapped to under sources.<source>.columns; got {name!r}")
        elif name in ROLES or (known_role(name) and not name.startswith("item_")):
            out.append(f"{where}: {name!r} is a built-in role ({role(name).description}; "
                       f"{role(name).expected}); its range and meaning are the kit's. Remove it "
                       f"from measures.items, or give your item a name of its own (such as "
                       f"item_{name})")
        elif name in DERIVED:
            out.append(f"{where}: {name!r} is the name of a score the kit computes (from "
                       f"{DERIVED[name]}); give your item a name of its own (such as item_{name})")
    return out


def _typos(config, settings) -> list[tuple[str, str, list[str]]]:
    """(header, role, the roles it likely means) for each mistyped role of a source's mapping."""
    items, segments = set(config.measures.items), set(config.analysis.segments)
    out = []
    for header, name in settings.columns.items():
        if known_role(name) or name in items or name in segments or name in DERIVED:
            continue
        near = _typo_of(name)
        if near:
            out.append((header, name, near))
    return out


def _osa(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if prev2 is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def _close(name: str, target: str) -> bool:
    """Whether ``name`` looks like a mistyped ``target`` (not merely a similar word)."""
    d = _osa(name, target)
    if d == 1:
        # a three-letter word one letter off a role is as likely a word of its own (sex, seq)
        return not (len(name) <= 3 and len(name) == len(target) and sorted(name) != sorted(target))
    if d == 2 and len(name) >= 4 and target.startswith(name):
        return True  # a role's name cut short: time -> time_s
    return d == 2 and len(name) >= 6 and difflib.SequenceMatcher(None, name, target).ratio() >= 0.75


def _typo_of(name: str) -> list[str]:
    """The roles ``name`` is most likely a typo of, best first (empty when none)."""
    scored = sorted((_osa(name, c), c) for c in _CANDIDATES if _close(name, c))
    if scored:
        best = scored[0][0]
        return [c for d, c in scored if d == best][:2]
    prefix, _, rest = name.partition("_")
    if rest:
        for family in _FAMILIES:
            if prefix != family and _close(prefix, family) and _osa(prefix, family) == 1:
                return [f"{family}_{rest}"]
    return []


def _either(names: list[str]) -> str:
    return " or ".join(repr(n) for n in names)


# --- what needs the loaded frames --------------------------------------------------------


def loaded_problems(config, frames: dict) -> list[str]:
    """Problems of names that must refer to a role a loaded source has.

    Parameters
    ----------
    config : uxcx.study.study_file.StudyFile
    frames : dict of str to DataFrame
        The loaded sources, columns named by role. A source of the study missing here
        (it could not be loaded) is not checked, and neither are segments and measures.

    Returns
    -------
    list of str
        One sentence per problem.
    """
    has = {s: _roles_of(config.sources[s], frames[s]) for s in config.sources if s in frames}
    out = file_problems(config)
    for source, roles in has.items():
        out += _source_keys(source, config.sources[source], roles, config, has)
    if set(has) != set(config.sources):
        return out
    # a role a mistyped column likely means counts as present: the typo is reported once
    present = {s: list(dict.fromkeys([*map(str, frames[s].columns), *sorted(_meant(config, s))]))
               for s in has}
    out += _segments(config, present)
    out += _measures(config, present)
    return out


def _roles_of(settings, frame) -> list[str]:
    """Roles a loaded source maps: the frame's columns, and mapped roles withheld as personal."""
    names = [str(c) for c in frame.columns]
    return names + [r for r in dict.fromkeys(settings.columns.values()) if r not in names]


def _meant(config, source: str) -> set[str]:
    """The roles the mistyped columns of a source likely mean (counted as present)."""
    return {r for _, _, near in _typos(config, config.sources[source]) for r in near[:1]}


def _matches(key: str, name: str) -> bool:
    return key == name or ("*" in key and re.fullmatch(key.replace("*", ".*"), name) is not None)


def _shown(names) -> str:
    """Names for a message, sus_1..sus_10 folded into one."""
    names = list(dict.fromkeys(names))
    if set(_SUS) <= set(names):
        at = names.index("sus_1")
        names = [n for n in names if n not in _SUS]
        names.insert(at, "sus_1..sus_10")
    return ", ".join(names) if names else "(nothing)"


# Patterns of the role families: a pattern of these matching nothing is a general rule, no error.
_FAMILY_PATTERNS = ("sus_*", "umux_lite_*", "ease_*", "loyalty_*", "item_*", "comment_*")


def _source_keys(source: str, settings, roles: list[str], config, has: dict) -> list[str]:
    out = []
    entries = [("values", list(settings.values), True), ("labels", list(settings.labels), True),
               ("reverse", settings.reverse, True), ("ranges", list(settings.ranges), False),
               ("personal", settings.personal, False),
               ("include_personal", settings.include_personal, False)]
    may_be_withheld = set(config.analysis.segments)
    for key, names, patterns in entries:
        for name in dict.fromkeys(names):
            if "*" in name and not patterns:
                fits = [r for r in roles if _matches(name, r)]
                out.append(f"sources.{source}.{key}: {name!r} is a pattern, and patterns are read "
                           f"only under values, labels and reverse; name each role here ("
                           + (f"{source} has {_shown(fits)}" if fits else f"no role of {source} "
                              f"matches it; {source} maps {_shown(roles)}") + ")")
                continue
            if any(_matches(name, r) for r in (*roles, *_meant(config, source))):
                continue
            if key == "personal" and (known_role(name) or name in may_be_withheld):
                continue  # a header may have supplied it, and it was withheld as asked
            elsewhere = [o for o, theirs in has.items()
                         if o != source and any(_matches(name, r) for r in theirs)]
            if "*" in name:
                near = difflib.get_close_matches(name, _FAMILY_PATTERNS, n=1, cutoff=0.75)
                if not elsewhere and (not near or near[0] == name):
                    continue  # a rule for whichever family items a source has: none here
                what = f"pattern {name!r} matches no role"
            else:
                near = difflib.get_close_matches(name, roles, n=1, cutoff=0.6)
                what = f"no column is mapped to role {name!r}"
            if elsewhere:
                hint = (f"; it names roles of {' and '.join(elsewhere)}: put it under "
                        f"sources.{elsewhere[0]}.{key}.")
            else:
                hint = f"; did you mean {near[0]!r}?" if near else "."
            out.append(f"sources.{source}.{key}: {what} in {source}{hint} The roles {source} maps "
                       f"are: {_shown(roles)}. Map a column to it under sources.{source}.columns, "
                       f"or remove the entry")
    return out


def _segments(config, present: dict[str, list[str]]) -> list[str]:
    out = []
    every = [c for cols in present.values() for c in cols]
    every += list(config.events.properties) if config.events is not None else []  # device of an attempt
    for name in dict.fromkeys(config.analysis.segments):
        if name in every:
            continue
        withheld = [s for s, cols in present.items() if name in config.sources[s].columns.values()]
        if withheld:
            s = withheld[0]
            out.append(f"analysis.segments: {name!r} is withheld from {s} as personal data; list "
                       f"it under sources.{s}.include_personal to break results down by it, or "
                       f"remove it from analysis.segments")
            continue
        near = difflib.get_close_matches(name, list(dict.fromkeys(every)), n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else "."
        could = [f"{s}: {_shown(cats)}" for s, cols in present.items()
                 if (cats := [c for c in cols if role(c).kind == "category"
                              and c not in SOURCES[s].required])]
        out.append(f"analysis.segments: {name!r} is a column of no source{hint} Columns that can "
                   f"be segments: {'; '.join(could) if could else 'none'}. Map a column to "
                   f"{name!r} under sources.<source>.columns, or remove it from analysis.segments")
    return out


def _computable(config, columns: set[str], per_source: list[set[str]]) -> dict[str, bool]:
    """Which derived scores the study's columns allow."""
    ux_items = {n for n, item in config.measures.items.items() if item.side == "ux"}
    starts = lambda prefix: any(c.startswith(prefix) for c in columns)  # noqa: E731
    return {
        "sus": any(set(_SUS) <= cols for cols in per_source),
        "umux_lite": any(set(_UMUX) <= cols for cols in per_source),
        "ease": starts("ease_"),
        "loyalty": starts("loyalty_"),
        "ux_index": bool(config.measures.ux_index) or starts(("umux_lite_", "sus_", "ease_"))
                    or bool(ux_items & columns),
        "promoter": "nps" in columns, "nps_group": "nps" in columns,
        "success_rate": "success" in columns, "time_s": "time_s" in columns,
        "errors_per_task": "errors" in columns, "clicks_per_task": "clicks" in columns,
        "seq_mean": "seq" in columns,
        "churned": "start" in columns or "churned" in columns,
        "tenure": "start" in columns or "tenure" in columns,
    }


def _measures(config, present: dict[str, list[str]]) -> list[str]:
    m = config.measures
    columns = {c for cols in present.values() for c in cols}
    can = _computable(config, columns, [set(cols) for cols in present.values()])
    items = set(m.items)
    out = []
    for name in m.items:
        if name not in columns:
            out.append(f"measures.items.{name}: no source has a column mapped to {name!r}; map "
                       f"one under sources.<source>.columns, or remove the item")
    named: list[tuple[str, str]] = []
    for key in ("ux", "cx", "ux_index", "loyalty_index"):
        named += [(f"measures.{key}", n) for n in getattr(m, key) or []]
    if m.design:
        named.append(("measures.design", m.design))
    if m.drivers:
        named.append(("measures.drivers.outcome", m.drivers.outcome))
        named += [("measures.drivers.candidates", n) for n in m.drivers.candidates]
    if m.mediation:
        named += [(f"measures.mediation.{k}", getattr(m.mediation, k))
                  for k in ("x", "mediator", "outcome")]
    named += [(f"measures.labels.{n}", n) for n in m.labels]
    known = sorted(columns | items | {d for d, ok in can.items() if ok})
    for where, name in named:
        if name in columns or name in items or can.get(name):
            continue
        if name in DERIVED:
            out.append(f"{where}: {name!r} is a score the kit computes from {DERIVED[name]}, "
                       f"which no source has. Map those columns under sources.<source>.columns, "
                       f"or remove {name!r} here")
            continue
        near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else "."
        computed = [d for d, ok in can.items() if ok]
        out.append(f"{where}: {name!r} is no role of any source, no item of measures.items and "
                   f"no score the kit computes{hint} The sources have: "
                   + "; ".join(f"{s}: {_shown(cols)}" for s, cols in present.items())
                   + f". The kit computes here: {', '.join(computed) if computed else 'nothing'}")
    return out
