"""Loading a study: every source read, checked and accounted for.

:func:`load_study` reads the study file (:mod:`uxcx.study.study_file`), reads each source
(:mod:`uxcx.io.tables`), checks it against the data dictionary (:mod:`uxcx.study.schema`)
and returns the clean frames with the ledger (:mod:`uxcx.study.ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from uxcx.errors import DataError, StudyError
from uxcx.io.tables import read_table
from uxcx.study.cache import read_cache
from uxcx.study.consistency import loaded_problems
from uxcx.study.events import load_events
from uxcx.study.ledger import Ledger, LinkCoverage
from uxcx.study.quality import flags
from uxcx.study.study_file import Analysis, SourceConfig, StudyFile, read_study
from uxcx.study.validate import validate

__all__ = ["Study", "load_study"]


@dataclass
class Study:
    """A loaded study: its settings, a clean frame per source and the ledger.

    The frames are indexed by ``row``, the row number the user's spreadsheet
    shows, so any value can be traced back to the file.
    """

    path: Path
    config: StudyFile
    frames: dict[str, pd.DataFrame]
    ledger: Ledger

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def title(self) -> str:
        return self.config.title or self.config.name

    @property
    def analysis(self) -> Analysis:
        return self.config.analysis

    def __getitem__(self, source: str) -> pd.DataFrame:
        if source not in self.frames:
            raise KeyError(f"this study has no {source!r} source; it has {sorted(self.frames)}")
        return self.frames[source]

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}: {len(v)} rows" for k, v in self.frames.items())
        return f"<Study {self.name!r} ({parts})>"


def load_study(path, *, on_invalid: str | None = None) -> Study:
    """Load a study: read every source, check it and account for every row.

    Parameters
    ----------
    path : str or Path
        The study file (YAML).
    on_invalid : {"drop", "stop"}, optional
        Overrides the study file: drop invalid rows and record why in the
        ledger (default), or stop with one error listing every problem.

    Returns
    -------
    Study
        ``study.frames[source]`` are the clean frames (columns named by role,
        indexed by the file's row numbers), ``study.ledger`` says what
        happened to every row.

    Raises
    ------
    StudyError
        The study file or its column mapping is wrong.
    DataError
        A file cannot be read, or (with ``on_invalid="stop"``) holds invalid rows.

    Examples
    --------
    >>> from uxcx.datasets.sample import write_sample
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = write_sample(folder)
    >>> study = load_study(f"{folder}/study.yml")
    >>> sorted(study.frames)  # the sample's event log is measured into behaviour and attempts
    ['attempts', 'behaviour', 'customers', 'questionnaire', 'survey', 'usability']
    >>> s = study.ledger.sources["survey"]
    >>> s.read == s.kept + s.n_dropped
    True
    """
    if on_invalid is None:  # inside `uxcx report`: the run's one load, while its inputs are unchanged
        cached = read_cache(path)
        if cached is not None:
            return cached
    config, path = read_study(path)
    mode = on_invalid or config.on_invalid
    if mode not in ("drop", "stop"):
        raise StudyError(f"on_invalid must be 'drop' or 'stop', got {mode!r}")
    frames, ledger, mapping_problems, data_problems = {}, Ledger(), [], []
    for name, source in config.sources.items():
        file = path.parent / source.path
        raw = read_table(file, format=source.format, sheet=source.sheet,
                         text_columns=_key_headers(source), folder=path.parent,
                         max_mb=source.max_file_mb, secrets=[config.analysis.pseudonym_key])
        try:
            frame, account = validate(raw, name, source, segments=config.analysis.segments,
                                      pseudonym_secret=config.analysis.pseudonym_key,
                                      items=config.measures.items)
        except StudyError as err:
            mapping_problems += err.messages
            continue
        account.file = source.path  # as the study file names it: no user folders in reports
        account.pseudonym_secret = config.analysis.pseudonym_key  # ledger.json uses the study's key too
        account.show_dropped_values = config.privacy.show_dropped_values  # else masked by shape
        account.flags = flags(name, frame)
        frames[name], ledger.sources[name] = frame, account
        if mode == "stop":
            data_problems += account.problems()
    mapping_problems += loaded_problems(config, frames)  # names that must refer to a loaded role
    if mapping_problems:
        raise StudyError(mapping_problems, path)
    if data_problems:
        raise DataError(data_problems)
    unlinked = [f"links: {side!r}: no column of {side.split('.')[0]} is mapped to role "
                f"{side.split('.')[1]!r}; add it under sources.{side.split('.')[0]}.columns"
                for pair in config.links for side in pair
                if side.split(".")[1] not in frames[side.split(".")[0]].columns]
    if unlinked:
        raise StudyError(unlinked, path)
    ledger.links = [_coverage(frames, left, right) for left, right in config.links]
    if config.events is not None:  # measured in its engine; only per-attempt and per-person rows come back
        problems = load_events(config, path.parent, frames, ledger, secret=config.analysis.pseudonym_key,
                               show_dropped_values=config.privacy.show_dropped_values)
        if mode == "stop" and problems:
            raise DataError(problems)
    return Study(path=path, config=config, frames=frames, ledger=ledger)


def _key_headers(source: SourceConfig) -> list[str]:
    keys = {"participant", "respondent", "customer", "task"}
    # with decimal: or thousands: stated, numbers are read as written (1.234 is not 1.234 then)
    stated = getattr(source, "decimal", None) is not None or getattr(source, "thousands", None) is not None
    # amounts too, so that numbers.read_numbers judges "1.234" with the whole column
    money = [h for h, r in source.columns.items() if r == "revenue"] + ["revenue"]
    return [h for h, r in source.columns.items() if r in keys or stated] + money


def _coverage(frames: dict, left: str, right: str) -> LinkCoverage:
    (ls, lr), (rs, rr) = left.split("."), right.split(".")
    lkeys = pd.Index(frames[ls][lr].dropna().unique())
    rkeys = pd.Index(frames[rs][rr].dropna().unique())
    return LinkCoverage(left, right, len(lkeys), int(lkeys.isin(rkeys).sum()),
                        len(rkeys), int(rkeys.isin(lkeys).sum()))


