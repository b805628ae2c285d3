"""Plain-language sentences from results, for notebooks and the report index."""

from __future__ import annotations

__all__ = ["data_quality", "show_findings"]


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def _reasons(reasons: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {reason}" for reason, n in reasons.items())


def data_quality(study, *, missing=None, worst: float = 0.2) -> list[str]:
    """What a researcher should know about a study's data, headline first.

    Parameters
    ----------
    study : uxcx.Study
    missing : DataFrame, optional
        :func:`uxcx.quality.missingness` of the study (computed when omitted).
    worst : float
        Columns with more than this share missing are named.

    Returns
    -------
    list of str
        One sentence per point: the reconciliation, each source's drops by
        reason, repairs, heavily missing columns, and link coverage.
    """
    from .quality import missingness

    ledger = study.ledger
    read = sum(s.read for s in ledger.sources.values())
    kept = sum(s.kept for s in ledger.sources.values())
    dropped = sum(s.n_dropped for s in ledger.sources.values())
    files = f"{len(ledger.sources)} source file{'s' if len(ledger.sources) != 1 else ''}"
    out = [f"All {read:,} rows read from {files} are accounted for: "
           f"{kept:,} kept and {dropped:,} dropped, each with its reason."]
    by_source = [f"{s.n_dropped:,} in {name} ({_reasons(s.reasons)})"
                 for name, s in ledger.sources.items() if s.n_dropped]
    if by_source:
        out.append(f"Dropped: {'; '.join(by_source)}. The data-quality page lists each dropped row "
                   f"with its row number, column and value, so it can be fixed in the file.")
    for name, s in ledger.sources.items():
        if s.repaired_rows:
            what = "; ".join(f"{k} ({v:,})" for k, v in s.repairs.items())
            out.append(f"{_rows(s.repaired_rows)} of the {name} file were repaired and kept: {what}.")
    missing = missingness(study) if missing is None else missing
    # An empty end date means "still a customer", not a gap in the data.
    heavy = missing[(missing["share_missing"] > worst) & (missing["column"] != "end")]
    for r in heavy.itertuples():
        out.append(f"{r.column} in the {r.source} data is missing for {r.share_missing:.0%} of rows; "
                   f"results that use it rest on the {r.n - r.missing:,} rows that have it.")
    whole = [f"{link.left} to {link.right}" for link in ledger.links
             if link.left_keys and link.left_matched == link.left_keys]
    for link in ledger.links:
        if link.left_keys and link.left_matched < link.left_keys:
            gap = link.left_keys - link.left_matched
            out.append(f"{gap:,} of {link.left_keys:,} {link.left} keys "
                       f"({gap / link.left_keys:.1%}) have no partner in {link.right}; "
                       f"analyses joining the two leave them out.")
    if whole:
        out.append(f"Every key links for {', '.join(whole)}.")
    return out


def show_findings(sentences: list[str]):
    """The sentences as a bulleted Markdown block for a notebook (plain text outside one)."""
    text = "\n".join(f"- {s}" for s in sentences)
    try:
        from IPython.display import Markdown
    except ImportError:  # pragma: no cover - IPython comes with the kit
        return text
    return Markdown(text)
