"""Plain-language sentences on tests against a benchmark: SUS against 68, CSAT or NPS against a target.

Each sentence reads as a researcher writes the result: the estimate with its interval
(the one-sided bound for a one-sided test), the verdict against the benchmark, then the
statistic and p as APA style has them ("t(28) = 3.78, p < .001, one-sided").
"""

from __future__ import annotations

import math

import pandas as pd

from uxcx.report.findings import number, p_text, pd_notna

__all__ = ["benchmark_findings", "benchmark_verdict", "target_findings", "TARGET_WORDS"]

_SIDE = {"greater": "above", "less": "below"}
#: How a sentence names each CX measure tested against a target, and its decimals and sign.
TARGET_WORDS = {"nps": ("NPS", 1, True), "csat": ("mean satisfaction (CSAT, 1-5)", 2, False),
                "ces": ("mean effort (CES, 1-7, 7 = very easy)", 2, False)}


def benchmark_verdict(estimate: float, benchmark: float, p: float, alternative: str, alpha: float) -> str:
    """How the estimate stands against the benchmark, in words a reader can repeat.

    >>> benchmark_verdict(72.4, 68, 0.02, "greater", 0.05), benchmark_verdict(66, 68, 0.7, "greater", 0.05)
    ('is above', 'falls short of')
    >>> benchmark_verdict(69, 68, 0.3, "greater", 0.05), benchmark_verdict(66, 68, 0.01, "two-sided", 0.05)
    ('is not shown to be above', 'is below')
    """
    if alternative == "two-sided":
        side = "above" if estimate > benchmark else "below"
        return f"is {side}" if p < alpha else "is not clearly different from"
    side = _SIDE[alternative]
    if p < alpha:
        return f"is {side}"
    beyond = estimate > benchmark if alternative == "greater" else estimate < benchmark
    return f"is not shown to be {side}" if beyond else ("falls short of" if alternative == "greater"
                                                       else "is not below")


def _interval(row, digits: int, sign: bool) -> str:
    level = f"{row['confidence_level']:.0%}"
    low, high = (number(row[c], digits, sign=sign) for c in ("ci_low", "ci_high"))
    if row["alternative"] == "greater":
        return f"{level} lower bound {low}"
    if row["alternative"] == "less":
        return f"{level} upper bound {high}"
    return f"{level} CI {low} to {high}"


def _statistic(row) -> str:
    if pd_notna(row.get("df")) and not math.isnan(float(row["df"])):
        return f"t({row['df']:.0f}) = {number(row['statistic'], 2)}"
    return f"adjusted-Wald z = {number(row['statistic'], 2)}"


def benchmark_findings(result: pd.DataFrame, *, what: str, benchmark_name: str = "the target",
                       by: str | None = None, digits: int = 1, sign: bool = False,
                       alpha: float = 0.05) -> list[str]:
    """One sentence per row of a benchmark test (:func:`uxcx.mean_benchmark`, :func:`uxcx.sus` or
    :func:`uxcx.mean_score` with ``benchmark=``, :func:`uxcx.nps_benchmark`).

    Parameters
    ----------
    result : DataFrame
        The test's rows; the benchmark is read from ``benchmark`` (means) or ``target`` (NPS).
    what : str
        The measure as a sentence names it: "mean SUS", "mean satisfaction (CSAT, 1-5)", "NPS".
    benchmark_name : str
        What the benchmark is: "the industry average" (SUS 68), "the study's target".
    by : str, optional
        The grouping column, named at the start of each sentence.
    digits, sign : int, bool
        Decimals of the estimate and interval; ``sign`` shows "+" (NPS).
    alpha : float
        The significance level the verdict uses.

    Examples
    --------
    >>> row = {"estimate": 72.4, "ci_low": 68.1, "ci_high": float("inf"), "confidence_level": 0.95,
    ...        "alternative": "greater", "statistic": 2.1, "df": 19.0, "p_value": 0.0241, "n": 20,
    ...        "benchmark": 68.0}
    >>> benchmark_findings(pd.DataFrame([row]), what="mean SUS", benchmark_name="the industry average")[0]
    'The mean SUS of 72.4 (n = 20; 95% lower bound 68.1) is above the industry average of 68 \
(t(19) = 2.10, p = .024, one-sided).'
    """
    out = []
    goal_column = "benchmark" if "benchmark" in result else "target"
    for _, row in result.iterrows():
        who = f"With {row[by]}, the" if by else "The"
        goal = f"{benchmark_name} of {number(row[goal_column], 2).rstrip('0').rstrip('.')}"
        lead = f"{who} {what} of {number(row['estimate'], digits, sign=sign)}"
        if not pd_notna(row["p_value"]):
            reason = ("all answers are the same" if "all values equal" in str(row.get("method", ""))
                      else "too few answers")
            out.append(f"{lead} (n = {row['n']:,.0f}) cannot be tested against {goal}: {reason}.")
            continue
        sided = "" if row["alternative"] == "two-sided" else ", one-sided"
        verdict = benchmark_verdict(row["estimate"], row[goal_column], row["p_value"], row["alternative"],
                                    alpha)
        out.append(f"{lead} (n = {row['n']:,.0f}; {_interval(row, digits, sign)}) {verdict} {goal} "
                   f"({_statistic(row)}, {p_text(row['p_value'])}{sided}).")
    return out


def target_findings(result: pd.DataFrame, *, labels: dict | None = None, by: str | None = None,
                    alpha: float = 0.05) -> list[str]:
    """Sentences for :func:`uxcx.target_tests`: each measure against the study's target.

    ``labels`` names measures outside :data:`TARGET_WORDS` (a study's display labels).
    """
    out = []
    for measure, rows in result.groupby("measure", sort=False):
        what, digits, sign = TARGET_WORDS.get(measure, (f"mean {(labels or {}).get(measure, measure)}", 2,
                                                        False))
        out += benchmark_findings(rows, what=what, benchmark_name="the study's target", by=by,
                                  digits=digits, sign=sign, alpha=alpha)
    return out
