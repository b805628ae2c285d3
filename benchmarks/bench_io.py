"""Speed of ``uxcx.io.tables.read_table`` against ``pandas.read_csv`` on a survey export.

Writes a realistic survey CSV to a temporary folder (respondent id, date, NPS
0-10, CSAT 1-5, CES 1-7, five Likert items, a segment, a short free-text answer
with commas and quotes, a duration; about 5 % of answers blank), then times, in
the same run and best of ``--repeat``:

- ``uxcx.io.tables.read_table(path, text_columns=["respondent_id"])``;
- ``pandas.read_csv(path)`` with the default C engine, the call a researcher
  would otherwise make;
- ``pandas.read_csv(path, engine="pyarrow", dtype_backend="pyarrow")``, the
  engine ``read_table`` uses, for reference.

It then checks that ``read_table`` and ``pandas.read_csv`` give the same values
(both turned into plain Python values: numbers compare as numbers, missing is
None, dates as ISO text) and prints a markdown table.

Usage::

    python benchmarks/bench_io.py [--rows 1000000] [--repeat 3] [--blank-lines]

``--blank-lines`` puts a blank line after every 10,000 rows, which sends
``read_table`` down its C-engine path (it keeps the row numbering).
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from uxcx.io.tables import read_table

COMMENTS = np.array([
    "", "Great", "Too slow, honestly", "Love the new search", 'Support was "meh"',
    "Checkout failed twice", "ok", "Hard to find the export, but fine once found",
])
SEGMENTS = np.array(["Enterprise", "SMB", "Consumer", "Public sector"])


def make_survey(rows: int, seed: int = 20240501) -> pd.DataFrame:
    """A survey export with ``rows`` respondents (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "respondent_id": np.char.add("R_", np.char.zfill(np.arange(1, rows + 1).astype(str), 8)),
        "date": (np.datetime64("2024-01-01") + rng.integers(0, 366, rows)).astype(str),
        "nps": rng.integers(0, 11, rows),
        "csat": rng.integers(1, 6, rows).astype(float),
        "ces": rng.integers(1, 8, rows).astype(float),
        **{f"likert_{i}": rng.integers(1, 6, rows).astype(float) for i in range(1, 6)},
        "segment": SEGMENTS[rng.integers(0, len(SEGMENTS), rows)],
        "comment": COMMENTS[rng.integers(0, len(COMMENTS), rows)],
        "duration_s": np.round(rng.gamma(2.0, 90.0, rows), 1),
    })
    for column in ["csat", "ces", "likert_1", "likert_2", "likert_3", "likert_4", "likert_5"]:
        frame.loc[rng.random(rows) < 0.05, column] = np.nan  # skipped questions
    return frame


def write_csv(frame: pd.DataFrame, path: Path, blank_lines: bool) -> None:
    text = frame.to_csv(index=False, float_format="%g")
    if blank_lines:
        lines = text.split("\n")
        text = "\n".join(line + "\n" if i and i % 10_000 == 0 else line
                         for i, line in enumerate(lines))
    path.write_text(text, encoding="utf-8")


def best_of(readers: dict, repeat: int) -> tuple[dict, dict]:
    """The shortest of ``repeat`` timings of each reader, and its last result.

    The readers take turns (one run of each per round), so a burst of load on a
    shared machine does not fall on one of them only.
    """
    best = dict.fromkeys(readers, float("inf"))
    results = {}
    for _ in range(repeat):
        for name, function in readers.items():
            results.pop(name, None)  # free the last result outside the timing
            gc.collect()
            start = time.perf_counter()
            result = function()
            best[name] = min(best[name], time.perf_counter() - start)
            results[name] = result
    return best, results


def plain(column: pd.Series) -> np.ndarray:
    """A column as Python values: missing → None, dates → ISO text."""
    if isinstance(column.dtype, pd.ArrowDtype) and pa.types.is_temporal(
            column.dtype.pyarrow_dtype):
        column = column.astype(str).where(column.notna(), None)
    values = column.astype(object).to_numpy()
    return np.where(pd.isna(values), None, values)


def compare(ours: pd.DataFrame, theirs: pd.DataFrame) -> list[str]:
    """The columns whose values differ (empty when all agree)."""
    if list(ours.columns) != list(theirs.columns) or len(ours) != len(theirs):
        return ["<shape or column names>"]
    return [c for c in ours.columns if not np.array_equal(plain(ours[c]), plain(theirs[c]))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blank-lines", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.csv"
        write_csv(make_survey(args.rows), path, args.blank_lines)
        size = path.stat().st_size / 1e6

        seconds, results = best_of({
            "uxcx.io.tables.read_table": lambda: read_table(path, text_columns=["respondent_id"]),
            "pandas.read_csv (C engine)": lambda: pd.read_csv(path),
            "pandas.read_csv (pyarrow engine, reference)": lambda: pd.read_csv(
                path, engine="pyarrow", dtype_backend="pyarrow"),
        }, args.repeat)
    table, peer = results["uxcx.io.tables.read_table"], results["pandas.read_csv (C engine)"]
    t_ours, t_pandas = seconds["uxcx.io.tables.read_table"], seconds["pandas.read_csv (C engine)"]

    differ = compare(table.frame, peer)
    print(f"\n{args.rows:,} rows, {size:.1f} MB, {os.cpu_count()} CPUs, "
          f"pandas {pd.__version__}, pyarrow {pa.__version__}, best of {args.repeat}"
          f"{', blank lines' if args.blank_lines else ''}\n")
    print("| reader | seconds | relative to pandas.read_csv |")
    print("| --- | ---: | ---: |")
    for name, best in seconds.items():
        print(f"| {name} | {best:.3f} | {best / t_pandas:.2f}x |")
    print(f"\nread_table takes {t_ours / t_pandas:.2f}x the time of pandas.read_csv")
    print(f"blank rows listed by read_table: {len(table.blank_rows)}")
    if differ:
        print(f"VALUES DIFFER in: {', '.join(differ)}")
        return 1
    print(f"values identical: {len(table.frame):,} rows x {table.frame.shape[1]} columns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
