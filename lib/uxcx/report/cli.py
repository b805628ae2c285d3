"""The ``uxcx`` command: ``report``, ``validate`` and ``sample``.

Errors in the user's files or study file are printed as the kit's messages
(no traceback) and end with exit status 1; ``validate`` exits 0 when the
study is usable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from uxcx import __version__
from uxcx.errors import UxcxError

__all__ = ["main"]


def _report(args) -> int:
    from uxcx.report.runner import default_out, run_report
    from uxcx.study.study_file import read_study

    out = args.out
    if not out:  # reports/<study name>/ of the study's repository, as the notebooks resolve it
        config, path = read_study(args.study)
        out = default_out(config.name, path)
    runs = run_report(args.study, out_dir=out, only=args.only, jobs=args.jobs,
                      notebooks=args.notebooks,
                      progress=lambda line: print(line, file=sys.stderr, flush=True),
                      cell_progress=sys.stderr.isatty())
    if args.pdf:
        from uxcx.report.pdf import write_pdf

        pdf = write_pdf(Path(out), ["index.html", *(f"{r.name}.html" for r in runs)])
        print(f"pdf: {pdf}", file=sys.stderr)
    failed = [r for r in runs if r.status == "failed"]
    for r in failed:
        print(f"notebook {r.name} failed at cell {r.cell}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def _validate(args) -> int:
    from uxcx.study.load import load_study

    study = load_study(args.study)
    print(validation_text(study))
    empty = [name for name, s in study.ledger.sources.items() if s.kept == 0]
    if empty:
        print(f"uxcx: not usable: no valid rows left in {', '.join(empty)}", file=sys.stderr)
        return 1
    return 0


def validation_text(study) -> str:
    """The ledger summary, reasons, repairs and links as plain text."""
    import pandas as pd

    with pd.option_context("display.width", 120, "display.max_colwidth", 60):
        parts = [f"Study {study.name!r}: {study.title}", "", study.ledger.summary().to_string(index=False)]
        reasons = study.ledger.reasons()
        if len(reasons):
            table = reasons[["source", "reason", "rows"]].to_string(index=False)
            parts += ["", "Dropped rows by reason:", table]
            dropped = study.ledger.dropped()
            parts += ["", "Dropped rows:", dropped.head(40).to_string(index=False)]
            if len(dropped) > 40:
                parts.append(f"... and {len(dropped) - 40} more (see ledger.json)")
        repairs = study.ledger.repairs()
        if len(repairs):
            parts += ["", "Repairs:", repairs.to_string(index=False)]
        sources = study.ledger.sources.items()
        flagged = [f"  {name}: {text}" for name, s in sources for text in s.flags.values()]
        if flagged:
            parts += ["", "Kept, but worth a look:", *flagged]
        notes = [f"  {name}: {n}" for name, s in study.ledger.sources.items() for n in s.notes]
        if notes:
            parts += ["", "Notes:", *notes]
        if study.ledger.links:
            parts += ["", "Links:", study.ledger.link_table().to_string(index=False)]
    parts += ["", "Every row accounted for: read = kept + dropped."]
    return "\n".join(parts)


def _sample(args) -> int:
    from uxcx.datasets.sample import DEFAULT_SEED, write_sample, write_sample_events

    seed = args.seed if args.seed is not None else DEFAULT_SEED
    if args.events_only:
        paths = write_sample_events(args.directory, seed=seed)
    else:
        paths = write_sample(args.directory, seed=seed, events=args.events)
    for p in paths:
        print(p)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="uxcx", description="UX and CX research kit.")
    p.add_argument("--version", action="version", version=f"uxcx {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("report", help="run every notebook on a study and write the report")
    r.add_argument("study", help="the study file (YAML)")
    r.add_argument("--out", help="output folder (default reports/<study name>/ of the study's "
                                  "repository, else of the working folder)")
    r.add_argument("--only", nargs="+", metavar="NAME", help="run only these notebooks")
    r.add_argument("--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    r.add_argument("--pdf", action="store_true",
                   help="also print the report into report.pdf (needs Chromium)")
    r.add_argument("--notebooks", metavar="DIR",
                   help="a folder of your own notebooks (default: the kit's notebooks)")
    r.set_defaults(func=_report)

    v = sub.add_parser("validate", help="load a study and print its ledger and problems")
    v.add_argument("study", help="the study file (YAML)")
    v.set_defaults(func=_validate)

    s = sub.add_parser("sample", help="write the synthetic sample study into a folder")
    s.add_argument("directory", help="folder to write (created if missing)")
    s.add_argument("--seed", type=int, default=None, help="random seed (default: the sample's)")
    which = s.add_mutually_exclusive_group()
    which.add_argument("--no-events", dest="events", action="store_false",
                       help="skip the event log (events/, a few million rows of Parquet)")
    which.add_argument("--events-only", action="store_true",
                       help="write only the event log into DIRECTORY/events/ (the CSV files untouched)")
    s.set_defaults(func=_sample)
    return p


def main(argv=None) -> int:
    from uxcx.report.staging import ReportInterrupted

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ReportInterrupted as err:
        print(f"uxcx: {err}", file=sys.stderr)
        return 130  # the shell's code for a run stopped by Ctrl-C
    except KeyboardInterrupt:
        print("uxcx: interrupted", file=sys.stderr)
        return 130
    except UxcxError as err:
        print(f"uxcx: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
