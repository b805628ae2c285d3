"""Plain-language sentences from results, for notebooks and the report index.

Sentences name measures by the study's display labels, methods in words ("adjusted-Wald
interval", "Holm-adjusted"), amounts in the study's currency, negative numbers with a
true minus sign and never a "−0"; where an unadjusted interval sits beside an adjusted
p-value that disagrees with it, one sentence says why.
"""

from __future__ import annotations

import html
import re

__all__ = ["data_quality", "show_findings", "p_text", "completion_findings", "time_findings",
           "rate_findings", "sum_findings", "sus_findings", "nps_findings", "segment_findings",
           "share_findings", "mean_findings", "trend_findings", "reliability_findings", "number",
           "method_words", "money", "adjustment_words"]

# Codes of the result schema's method columns as a sentence writes them.
_CODES = ((r"\badjusted-wald\b", "adjusted-Wald"), (r"\bwilson\b", "Wilson"),
          (r"\bclopper-pearson\b", "Clopper-Pearson"), (r"\ba\*b\b", "a × b"),
          (r"\bpartial=([\d.]+)", r"partial success counted as \1"),
          (r"\bBCa bootstrap CI\b", "BCa bootstrap interval"))
_ADJUSTMENTS = {"holm": "Holm", "bonferroni": "Bonferroni", "fdr_bh": "Benjamini-Hochberg",
                "bh": "Benjamini-Hochberg", "hochberg": "Hochberg", "sidak": "Šidák", "hommel": "Hommel"}
_KEY_WORDS = {"participant": "participants", "respondent": "respondents", "customer": "customers"}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def number(x: float, digits: int = 0, *, sign: bool = False) -> str:
    """A number for a sentence: a true minus sign, thousands separated, and never "−0".

    >>> number(-0.3), number(-3.2), number(5, sign=True), number(-0.04, 1, sign=True), number(12345.6)
    ('0', '−3', '+5', '0.0', '12,346')
    """
    value = round(float(x), digits)
    if value == 0:
        value = 0.0  # a value that rounds to zero has no sign: "−0" reads as a negative
    text = f"{abs(value):,.{digits}f}"
    if value < 0:
        return "−" + text
    return ("+" if sign and value > 0 else "") + text


def method_words(method) -> str:
    """A method column as a sentence writes it: codes of the schema become words.

    >>> method_words("adjusted-wald"), method_words("a*b; Sobel test; BCa bootstrap CI (2000 resamples)")
    ('adjusted-Wald interval', 'a × b; Sobel test; BCa bootstrap interval (2000 resamples)')
    """
    text = str(method)
    if text in ("adjusted-wald", "wilson", "clopper-pearson", "wald", "exact"):
        text += " interval"
    for code, word in _CODES:
        text = re.sub(code, word, text)
    return re.sub(r"\bwald\b", "Wald", text)


def adjustment_words(method) -> str:
    """The name of a p-value adjustment: ``"holm"`` -> "Holm", ``"fdr_bh"`` -> "Benjamini-Hochberg"."""
    return _ADJUSTMENTS.get(str(method).lower(), str(method).replace("_", " "))


def money(x: float, currency: str = "") -> str:
    """An amount in the study's currency: ``money(37931, "EUR")`` -> "€37,931"; "" leaves it bare.

    >>> money(37931.2, "EUR"), money(12.5, "CHF"), money(-3, "")
    ('€37,931', 'CHF 12', '−3')
    """
    text = number(x)
    if not currency:
        return text
    symbol = _SYMBOLS.get(currency.upper(), currency if len(currency) == 1 else None)
    sign, digits = ("−", text[1:]) if text.startswith("−") else ("", text)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{currency} {digits}"


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def _reasons(reasons: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {reason}" for reason, n in reasons.items())


def data_quality(study, *, missing=None, worst: float = 0.2, labels: dict | None = None) -> list[str]:
    """What a researcher should know about a study's data, headline first.

    Parameters
    ----------
    study : uxcx.Study
    missing : DataFrame, optional
        :func:`uxcx.study.quality.missingness` of the study (computed when omitted).
    worst : float
        Columns with more than this share missing are named.
    labels : dict, optional
        How columns are named for readers; default the study's
        (:func:`uxcx.study.plan.labels`).

    Returns
    -------
    list of str
        One sentence per point: the reconciliation, each source's drops by
        reason, repairs, heavily missing columns, and link coverage.
    """
    from uxcx.study.plan import labels as study_labels
    from uxcx.study.quality import missingness

    ledger = study.ledger
    tables = {name: s for name, s in ledger.sources.items() if name != "events"}  # rows, not events
    read = sum(s.read for s in tables.values())
    kept = sum(s.kept for s in tables.values())
    dropped = sum(s.n_dropped for s in tables.values())
    files = f"{len(tables)} source file{'s' if len(tables) != 1 else ''}"
    out = [f"All {read:,} rows read from {files} are accounted for: "
           f"{kept:,} kept and {dropped:,} dropped, each with its reason."] if tables else []
    by_source = [f"{s.n_dropped:,} in {name} ({_reasons(s.reasons)})"
                 for name, s in tables.items() if s.n_dropped]
    if by_source:
        out.append(f"Dropped: {'; '.join(by_source)}. The data-quality page lists each dropped row "
                   f"with its row number, column and value, so it can be fixed in the file.")
    log = ledger.sources.get("events")
    if log is not None:
        out.append(f"All {log.read:,} events of the event log are accounted for: {log.kept:,} kept and "
                   f"{log.n_dropped:,} dropped" + (f" ({_reasons(log.reasons)})" if log.n_dropped else "")
                   + "; the data-quality page shows examples of each reason.")
    for name, s in ledger.sources.items():
        out += [f"In the {name} file, {text}." for text in s.flags.values()]
        if s.repaired_rows:
            what = "; ".join(f"{k} ({v:,})" for k, v in s.repairs.items())
            out.append(f"{_rows(s.repaired_rows)} of the {name} file were repaired and kept: {what}.")
    missing = missingness(study) if missing is None else missing
    # An empty end date means "still a customer", not a gap in the data.
    heavy = missing[(missing["share_missing"] > worst) & (missing["column"] != "end")]
    names = study_labels(study, list(heavy["column"])) if labels is None else labels
    for r in heavy.itertuples():
        name = names.get(r.column, r.column)
        out.append(f"{name[:1].upper() + name[1:]} in the {r.source} data is missing for "
                   f"{r.share_missing:.0%} of rows; results that use it rest on the "
                   f"{r.n - r.missing:,} rows that have it.")
    whole = []
    for link in ledger.links:
        (left, key), (right, _) = (str(side).partition(".")[::2] for side in (link.left, link.right))
        keys = _KEY_WORDS.get(key, f"{key} values")
        if link.left_keys and link.left_matched < link.left_keys:
            gap = link.left_keys - link.left_matched
            out.append(f"{gap:,} of {link.left_keys:,} {keys} in the {left} data "
                       f"({gap / link.left_keys:.1%}) have no match in the {right} data; "
                       f"analyses joining the two leave them out.")
        elif link.left_keys:
            whole.append(f"every {keys.removesuffix('s') if key in _KEY_WORDS else key} of the {left} data "
                         f"is found in the {right} data")
    if whole:
        text = "; ".join(whole)
        out.append(text[:1].upper() + text[1:] + ".")
    return out


def show_findings(sentences: list[str]):
    """The sentences as a bulleted list for a notebook (plain text outside one).

    Rendered as HTML with every sentence escaped, never as Markdown: the sentences
    carry labels from the data (designs, segments, tasks), and a label such as
    ``<img onerror=...>`` or ``[x](javascript:...)`` must print as text, not run.
    """
    try:
        from IPython.display import HTML
    except ImportError:  # pragma: no cover - IPython comes with the kit
        return "\n".join(f"- {s}" for s in sentences)
    items = "".join(f"<li>{html.escape(str(s))}</li>" for s in sentences)
    return HTML(f"<ul class='uxcx-findings'>{items}</ul>")


# --- usability ---------------------------------------------------------------------------------

def p_text(p: float) -> str:
    """A p-value as APA style writes it: ``p < .001``, ``p = .02``, ``p > .999``.

    A p-value that underflowed (``p_value`` holds the smallest double, see
    :mod:`uxcx._core.pvalues`) reads "p < .001" like any other tiny one.

    >>> p_text(0.0004), p_text(0.0213), p_text(0.5), p_text(5e-324), p_text(0.99996)
    ('p < .001', 'p = .021', 'p = .50', 'p < .001', 'p > .999')
    """
    if p < 0.001:
        return "p < .001"
    if p > 0.999:
        return "p > .999"
    text = f"{p:.3f}" if p < 0.01 or (p < 0.1 and round(p, 2) != p) else f"{p:.2f}"
    return "p = " + text.lstrip("0")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def adjusted_p(row) -> tuple[float, str]:
    """The p-value to report for a result row and its label: the adjusted one when there is one."""
    if pd_notna(row.get("p_adjusted")) and row.get("p_adjust_method") not in (None, "none"):
        return row["p_adjusted"], f"{adjustment_words(row['p_adjust_method'])}-adjusted "
    return row["p_value"], ""


def pd_notna(value) -> bool:
    return value is not None and value == value


def completion_findings(rates, comparison, *, by: str = "design", task: str = "task",
                        alpha: float = 0.05) -> list[str]:
    """Sentences on completion: each task's change between designs, with interval and test.

    ``rates`` is :func:`uxcx.completion_rate` by ``[task, by]``; ``comparison`` is
    :func:`uxcx.compare_completion` with ``task=``. Tasks whose adjusted p-value
    reaches ``alpha`` come first.
    """
    out, unclear = [], []
    level = f"{comparison['confidence_level'].iloc[0]:.0%}" if len(comparison) else "95%"
    for _, row in comparison.sort_values("p_value").iterrows():
        other, reference = (s.strip() for s in row["term"].split("−"))
        r = rates.set_index([task, by])["estimate"]
        p, adj = adjusted_p(row)
        if adj and p >= alpha and (row["ci_low"] > 0 or row["ci_high"] < 0):
            unclear.append(row[task])
        verb = "raised" if row["estimate"] > 0 else "lowered"
        before, after = _pct(r[(row[task], reference)]), _pct(r[(row[task], other)])
        claim = (f"{other} {verb} {row[task]} completion from {before} to {after}" if p < alpha else
                 f"{row[task]} completion was {before} with {reference} and {after} with {other}, "
                 f"a difference not statistically significant{' after adjustment' if adj else ''}")
        out.append(f"{claim} (difference {number(100 * row['estimate'], sign=True)} points, {level} CI "
                   f"{number(100 * row['ci_low'])} to {number(100 * row['ci_high'])}; N−1 two-proportion "
                   f"test, {adj}{p_text(p)}).")
    return out + _unadjusted(unclear, comparison, what="completion", null="a difference of 0",
                             level=level, alpha=alpha)


def _unadjusted(names: list, comparison, *, what: str, null: str, level: str, alpha: float) -> list[str]:
    """One sentence on why an interval that leaves out no difference sits beside a p-value that is
    not significant after adjustment (the interval is for one comparison, the p-value for all)."""
    if not names:
        return []
    method = adjustment_words(comparison["p_adjust_method"].dropna().iloc[0])
    listed = ", ".join(map(str, names[:-1])) + (" and " if len(names) > 1 else "") + str(names[-1])
    return [f"The {what} intervals of {listed} leave out {null}, yet the {method}-adjusted p-values are "
            f"above {alpha:g}: each {level} interval covers its own comparison as if it were the only one, "
            f"while the p-values are adjusted for making {len(comparison)} comparisons at once, so only "
            f"the adjusted p-value says whether a difference stands out from chance."]


def time_findings(comparison, *, task: str = "task", alpha: float = 0.05) -> list[str]:
    """Sentences on task time: ratio of geometric means per task, with interval and test."""
    out, unclear = [], []
    for _, row in comparison.sort_values("p_value").iterrows():
        other, reference = (s.strip() for s in row["term"].split("−"))
        p, adj = adjusted_p(row)
        if adj and p >= alpha and (row["ci_low"] > 1 or row["ci_high"] < 1):
            unclear.append(row[task])
        ratio = row["estimate"]
        change = f"{abs(1 - ratio):.0%} {'less' if ratio < 1 else 'more'} time"
        lead = (f"{row[task]} took {change} with {other} than with {reference}" if p < alpha else
                f"{row[task]} took {change} with {other} than with {reference}, a difference not "
                f"statistically significant{' after adjustment' if adj else ''}")
        out.append(f"{lead} (ratio of geometric means {ratio:.2f}, {row['confidence_level']:.0%} CI "
                   f"{row['ci_low']:.2f} to {row['ci_high']:.2f}; Welch t on log times, {adj}{p_text(p)}).")
    level = f"{comparison['confidence_level'].iloc[0]:.0%}" if len(comparison) else "95%"
    return out + _unadjusted(unclear, comparison, what="time", null="a ratio of 1 (no difference)",
                             level=level, alpha=alpha)


def rate_findings(rates, *, by: str | None = "design", what: str = "Task completion") -> list[str]:
    """One sentence: a rate per group with its interval (``rates`` from a rate function by ``by``)."""
    parts = [f"{_pct(row['estimate'])}{f' with {row[by]}' if by else ''} ({row['confidence_level']:.0%} CI "
             f"{_pct(row['ci_low'])} to {_pct(row['ci_high'])}, n = {row['n']:.0f})"
             for _, row in rates.iterrows()]
    return [f"{what} across all tasks: {'; '.join(parts)}."]


def sum_findings(result, *, by: str | None = "design", task: str = "task") -> list[str]:
    """One sentence: the Single Usability Metric across all tasks per group, with its interval."""
    overall = result[(result["term"] == "SUM") & (result[task] == "All tasks")]
    parts = [f"{f'{row[by]} ' if by else ''}{_pct(row['estimate'])} ({row['confidence_level']:.0%} CI "
             f"{_pct(row['ci_low'])} "
             f"to {_pct(row['ci_high'])})" for _, row in overall.iterrows()]
    return [f"Single Usability Metric across all tasks (completion, time, errors and satisfaction "
            f"combined; Sauro & Kindlund 2005): {'; '.join(parts)}."] if parts else []


def sus_findings(sus, *, by: str | None = "design") -> list[str]:
    """One sentence: mean SUS per group (or overall) with n, interval, grade and percentile."""
    parts = [f"{f'{row[by]} ' if by else ''}{row['estimate']:.1f} (n = {row['n']:.0f}, "
             f"{row['confidence_level']:.0%} CI {row['ci_low']:.1f} to {row['ci_high']:.1f}; "
             f"grade {row['grade']}, {_ordinal(row['percentile'])} percentile)"
             for _, row in sus.iterrows()]
    return [f"Perceived usability (SUS): {'; '.join(parts)}."]


def _ordinal(x: float) -> str:
    """63 -> '63rd', 11 -> '11th' (English ordinals)."""
    n = int(round(x))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- customer experience -----------------------------------------------------------------------

def _signed(x: float) -> str:
    return number(x, 1, sign=True)


def nps_findings(result, *, by: str | None = None) -> list[str]:
    """One sentence per row of :func:`uxcx.nps`: the score, its interval and the three shares."""
    out = []
    for _, row in result.iterrows():
        who = f"{row[by]}: " if by else ""
        out.append(f"{who}NPS {_signed(row['estimate'])} ({row['confidence_level']:.0%} CI "
                   f"{_signed(row['ci_low'])} to {_signed(row['ci_high'])}; {method_words(row['method'])}, "
                   f"n = {row['n']:,.0f}): {_pct(row['share_promoters'])} promoters, "
                   f"{_pct(row['share_passives'])} passives, {_pct(row['share_detractors'])} detractors.")
    return out


def segment_findings(comparison, *, what: str = "NPS", alpha: float = 0.05) -> list[str]:
    """Which segments differ from the reference after adjustment (from :func:`uxcx.compare_nps`)."""
    if not len(comparison):
        return []
    differ = comparison[comparison["p_adjusted"] < alpha]
    method = adjustment_words(comparison["p_adjust_method"].iloc[0])
    if len(differ):
        return [f"{row['term']}: {what} differs by {_signed(row['estimate'])} points "
                f"({row['confidence_level']:.0%} CI {_signed(row['ci_low'])} to {_signed(row['ci_high'])}; "
                f"{method}-adjusted {p_text(row['p_adjusted'])})."
                for _, row in differ.iterrows()]
    widest = comparison.loc[comparison["estimate"].abs().idxmax()]
    return [f"No segment's {what} differs from {widest['reference']} once p-values are "
            f"{method}-adjusted for {len(comparison)} comparisons "
            f"(largest gap: {widest['term']}, {_signed(widest['estimate'])} points, "
            f"adjusted {p_text(widest['p_adjusted'])})."]


def _who(row, by) -> str:
    return f", {row[by]}" if by else ""


def share_findings(result, *, what: str, by: str | None = None) -> list[str]:
    """``what`` share with interval, one sentence per row (top-box shares, abandonment, ...)."""
    return [f"{what}{_who(row, by)}: {_pct(row['estimate'])} ({row['confidence_level']:.0%} CI "
            f"{_pct(row['ci_low'])} to {_pct(row['ci_high'])}, n = {row['n']:,.0f})."
            for _, row in result.iterrows()]


def mean_findings(result, *, what: str, scale: str, by: str | None = None) -> list[str]:
    """``what`` mean with its t interval on its scale, one sentence per row."""
    return [f"{what}{_who(row, by)}: mean {row['estimate']:.2f} on {scale} ({row['confidence_level']:.0%} CI "
            f"{row['ci_low']:.2f} to {row['ci_high']:.2f}, n = {row['n']:,.0f})."
            for _, row in result.iterrows()]


def trend_findings(result, *, what: str = "NPS") -> list[str]:
    """First and last period of a :func:`uxcx.trend` table, and whether their intervals overlap."""
    if len(result) < 2:
        return []
    first, last = result.iloc[0], result.iloc[-1]
    overlap = not (last["ci_low"] > first["ci_high"] or last["ci_high"] < first["ci_low"])
    judged = ("their intervals overlap, so the change may be noise" if overlap else
              "their intervals do not overlap")
    return [f"{what} went from {_signed(first['estimate'])} in {first['period']} (n = {first['n']:,.0f}) to "
            f"{_signed(last['estimate'])} in {last['period']} (n = {last['n']:,.0f}); {judged}."]


def reliability_findings(result, *, what: str = "The index", minimum: float = 0.7) -> list[str]:
    """Alpha (and omega where it can be fitted) of a scale, and whether it may be used as one score."""
    rows = result.set_index("term")
    alpha = rows.loc["alpha"]
    text = (f"{what}: Cronbach's alpha {alpha['estimate']:.2f} ({alpha['confidence_level']:.0%} CI "
            f"{alpha['ci_low']:.2f} to {alpha['ci_high']:.2f})")
    omega = rows["estimate"].get("omega")
    text += f", McDonald's omega {omega:.2f}" if pd_notna(omega) else " (omega needs three or more items)"
    low = min(v for v in (alpha["estimate"], omega) if pd_notna(v))
    verdict = (f"consistent enough (at least {minimum}, Nunnally 1978) to use as one score" if low >= minimum
               else f"below {minimum}: report the items separately rather than as one score")
    return [f"{text}; {verdict}."]
