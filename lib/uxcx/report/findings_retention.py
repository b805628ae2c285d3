"""Plain-language sentences on retention: curves, log-rank, lifetime value and projections.

Hazard and odds ratios are worded by :func:`uxcx.hazard_sentences`; this module words
the rest of notebook 04 in the same style.
"""

from __future__ import annotations

import pandas as pd

from uxcx.report.findings import money, p_text, pd_notna

__all__ = ["retention_findings", "logrank_findings", "value_findings", "projection_findings"]


def _level(frame: pd.DataFrame) -> str:
    levels = frame["confidence_level"].dropna()
    return f"{levels.iloc[0]:.0%}" if len(levels) else "95%"


def retention_findings(km, *, by: str, horizon: float, unit: str = "months") -> list[str]:
    """Each segment's retention at ``horizon`` and its median lifetime (or that it is not reached).

    ``km`` is :func:`uxcx.kaplan_meier` with ``by`` and ``horizons`` including ``horizon``.

    >>> import numpy as np
    >>> from uxcx.retention.curves import kaplan_meier
    >>> d = pd.DataFrame({"duration": np.arange(1.0, 21), "event": 1, "g": ["a"] * 20})
    >>> retention_findings(kaplan_meier(d, by="g", horizons=[5]), by="g", horizon=5)[0][:47]
    'a: 75% still customers after 5 months (95% CI 5'
    """
    out = []
    retention = km.retention[km.retention["term"].str.endswith(f" {horizon:g}")]
    medians = km.medians.set_index(by) if by in km.medians else km.medians
    level = _level(km.retention)
    for _, row in retention.iterrows():
        segment = row[by] if by in row else "All customers"
        sentence = (f"{segment}: {row['estimate']:.0%} still customers after {horizon:g} {unit} ({level} CI "
                    f"{row['ci_low']:.0%} to {row['ci_high']:.0%})")
        median = medians.loc[segment] if segment in medians.index else None
        if median is not None and pd_notna(median["estimate"]):
            high = f"{median['ci_high']:.1f}" if pd_notna(median["ci_high"]) else "not reached"
            sentence += (f"; half had left by {median['estimate']:.1f} {unit} ({level} CI "
                         f"{median['ci_low']:.1f} to {high})")
        elif median is not None:
            sentence += "; more than half are still customers at the end of observation (median not reached)"
        out.append(sentence + ".")
    return out


def logrank_findings(result: pd.DataFrame, *, what: str, alpha: float = 0.05) -> list[str]:
    """The log-rank test in words; a p-value below the floating-point range is stated as a bound."""
    out = []
    for _, row in result.iterrows():
        p = row["p_value"]
        bound = "log10" in str(row["method"])
        ptext = "p < 1e-300" if bound else p_text(p)
        verdict = "differ" if p < alpha else "do not clearly differ"
        out.append(f"Retention curves by {what} {verdict} (log-rank χ² = {row['statistic']:.1f}, "
                   f"df = {int(row['df'])}, {ptext}).")
    return out


def value_findings(value: pd.DataFrame, at_stake: pd.DataFrame, *, by: str, tau: float,
                   unit: str = "months", currency: str = "") -> list[str]:
    """Lifetime value per segment and the revenue at stake from the gap to the best segment.

    Amounts are written in the study's ``currency`` (:func:`uxcx.study.plan.currency`):
    a code with a common symbol as that symbol ("EUR" -> "€"), any other code before the
    amount ("CHF 340"); with no currency the amounts stand bare.

    >>> v = pd.DataFrame({"plan": ["Basic"], "estimate": [347.2], "ci_low": [332.0], "ci_high": [362.4],
    ...                   "confidence_level": [0.95]})
    >>> value_findings(v, v.iloc[:0], by="plan", tau=12, currency="EUR")[0][-33:]
    'Basic €347 (95% CI €332 to €362).'
    """
    level = _level(value)

    def amount(x) -> str:
        return money(x, currency)

    parts = [f"{row[by]} {amount(row['estimate'])} ({level} CI {amount(row['ci_low'])} to "
             f"{amount(row['ci_high'])})" for _, row in value.iterrows()]
    out = [f"Revenue per customer over the first {tau:g} {unit} (mean revenue × restricted mean "
           f"lifetime): " + "; ".join(parts) + "."]
    for _, row in at_stake.iterrows():
        if row["estimate"] > 0:
            out.append(f"If {row[by]} customers stayed as long as the best segment, "
                       f"{amount(row['estimate'])} more revenue would come in over {tau:g} {unit} "
                       f"({level} CI {amount(row['ci_low'])} to {amount(row['ci_high'])}).")
    return out


def projection_findings(fit: pd.DataFrame, projection: pd.DataFrame, *, unit: str = "months") -> list[str]:
    """The shifted-beta-geometric fit and its furthest projection in words."""
    rows = fit.set_index("term")
    last = projection.iloc[-1]
    level = _level(fit)
    return [f"A shifted-beta-geometric model (Fader & Hardie 2007) fits the cohort with α = "
            f"{rows.loc['alpha', 'estimate']:.2f} and β = {rows.loc['beta', 'estimate']:.2f}; it projects "
            f"{last['survival']:.0%} of the cohort still customers after {int(last['period'])} {unit} "
            f"({level} CI {last['survival_low']:.0%} to {last['survival_high']:.0%})."]
