"""Plain-language sentences for linking UX to CX: correlations, levels, drivers, mediation, power.

Each function takes a result frame of :mod:`uxcx` and returns a list of sentences,
numbers rounded for reading, intervals and tests named, as :mod:`uxcx.report.findings` does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.report.findings import adjusted_p, adjustment_words, method_words, number, p_text, pd_notna

__all__ = ["correlation_findings", "level_findings", "driver_findings", "mediation_findings",
           "power_findings"]

_STRENGTH = ((0.5, "strongly"), (0.3, "moderately"), (0.1, "weakly"))  # Cohen (1988)


def _level(frame: pd.DataFrame) -> str:
    levels = frame["confidence_level"].dropna()
    return f"{levels.iloc[0]:.0%}" if len(levels) else "95%"


def _label(labels: dict | None, name) -> str:
    # reader names come from the study (uxcx.study.plan.labels); a name without one is shown as is
    return (labels or {}).get(name, str(name))


def correlation_findings(result: pd.DataFrame, *, labels: dict | None = None, alpha: float = 0.05,
                         limit: int = 4) -> list[str]:
    """The strongest UX x CX correlations in words, then how many pairs showed nothing clear.

    ``result`` is :func:`uxcx.correlate`. Strength follows Cohen (1988): |r| of .1 weak,
    .3 moderate, .5 strong.

    >>> r = pd.DataFrame({"x": ["sus"], "y": ["nps"], "n": [60], "estimate": [0.52], "ci_low": [0.31],
    ...                   "ci_high": [0.68], "confidence_level": [0.95], "p_value": [1e-5],
    ...                   "p_adjusted": [2e-5], "p_adjust_method": ["holm"], "method": ["Pearson r"]})
    >>> correlation_findings(r, labels={"sus": "SUS", "nps": "NPS"})[0][:70]
    'SUS and NPS go together strongly: Pearson r = 0.52 (95% CI 0.31 to 0.6'
    """
    out, level = [], _level(result)
    ranked = result.assign(_abs=result["estimate"].abs()).sort_values("_abs", ascending=False)
    clear = [row for _, row in ranked.iterrows() if adjusted_p(row)[0] < alpha]
    # pairs whose own interval leaves out 0 but whose adjusted p-value does not reach alpha
    between = [row for _, row in ranked.iterrows() if adjusted_p(row)[0] >= alpha and adjusted_p(row)[1]
               and (row["ci_low"] > 0 or row["ci_high"] < 0)]
    for row in clear[:limit]:
        p, adj = adjusted_p(row)
        size = abs(row["estimate"])
        how = next((word for cut, word in _STRENGTH if size >= cut), "only faintly")
        direction = "go together" if row["estimate"] > 0 else "move in opposite directions"
        coefficient = str(row["method"]).split(";")[0]
        out.append(f"{_label(labels, row['x'])} and {_label(labels, row['y'])} {direction} {how}: "
                   f"{coefficient} = {number(row['estimate'], 2)} ({level} CI {number(row['ci_low'], 2)} to "
                   f"{number(row['ci_high'], 2)}, n = {int(row['n']):,}; {adj}{p_text(p)}).")
    unclear = len(result) - len(clear)
    if unclear:
        out.append(f"{unclear} of {len(result)} pairs show no correlation distinguishable from zero "
                   f"at α = {alpha:g} after adjustment.")
    if between:
        method = adjustment_words(between[0]["p_adjust_method"])
        out.append(f"For {len(between)} of them the {level} interval alone leaves out zero: each interval "
                   f"covers one pair as if it were the only one, while the {method}-adjusted p-values allow "
                   f"for testing {len(result)} pairs at once, so only the adjusted p-value says whether "
                   f"a correlation stands out from chance.")
    elif len(clear) > limit:
        out.append(f"All {len(result)} pairs are correlated beyond chance; the {limit} strongest are above.")
    return out


def level_findings(result: pd.DataFrame, *, outcome: str, level: str, what: str = "",
                   digits: int = 2) -> list[str]:
    """A CX outcome across UX levels: each level's value, the difference, the test and why it was chosen.

    ``result`` is :func:`uxcx.compare_by_level` with ``level=level`` (rows of kind ``level``,
    ``test`` and ``effect``, and the ``reason`` column). Numbers get at least ``digits``
    decimals, and more where an interval is narrower than that step can show (a CSAT
    mean of 3.87, 95% CI 3.83 to 3.90, not 3.9, 3.8 to 3.9).
    """
    levels = result[result["kind"] == "level"]
    tests = result[result["kind"] == "test"]
    effects = result[result["kind"] == "effect"]
    conf = _level(result)

    def places(rows) -> int:
        # the rounding step at most a quarter of the narrowest interval's width, up to 3 decimals
        width = (rows["ci_high"] - rows["ci_low"]).abs().min() if len(rows) else np.nan
        return digits if not width > 0 else int(min(3, max(digits, np.ceil(-np.log10(width / 4)))))

    def interval(row, d) -> str:
        return f"{conf} CI {number(row['ci_low'], d)} to {number(row['ci_high'], d)}"

    d = places(levels)
    parts = [f"{row[level] if level in row and pd_notna(row[level]) else row['term']}: "
             f"{number(row['estimate'], d)} ({interval(row, d)}, n = {int(row['n']):,})"
             for _, row in levels.iterrows()]
    out = [f"{what or outcome} — " + "; ".join(parts) + "."] if parts else []
    for _, row in tests.iterrows():
        p, adj = adjusted_p(row)
        sentence = f"{method_words(str(row['method']).split(';')[0])} ({row['term']}): {adj}{p_text(p)}"
        if len(effects):
            e = effects.iloc[0]
            de = max(2, places(effects.iloc[:1]))
            sentence += f", {e['effect_size_type']} {number(e['effect_size'], de)} ({interval(e, de)})"
        elif pd_notna(row["estimate"]):
            dt = places(tests.loc[[row.name]])
            sentence += f", difference {number(row['estimate'], dt, sign=True)} ({interval(row, dt)})"
        out.append(f"{sentence}. Why this test: {row['reason']}")
    return out


def driver_findings(result: pd.DataFrame, *, outcome: str, labels: dict | None = None) -> list[str]:
    """Which drivers matter most for ``outcome``, with their share of the explained variance.

    ``result`` is :func:`uxcx.key_drivers` (one row per driver; ``share``, ``rank``,
    ``rank_stability`` and ``sign`` after the schema).
    """
    model = result[result["driver"] == "(model)"]
    drivers = result[result["driver"] != "(model)"]
    if not len(drivers):
        return []
    ordered = drivers.sort_values("estimate", ascending=False)
    level = _level(result)
    r2 = model.iloc[0] if len(model) else None
    top = ordered.iloc[0]
    fit = (f"Together the {len(ordered)} drivers explain {r2['estimate']:.0%} of the variance in {outcome} "
           f"({level} CI {r2['ci_low']:.0%} to {r2['ci_high']:.0%}); " if r2 is not None else "")
    out = [fit + f"{_label(labels, top['driver'])} accounts for the largest part, {top['share']:.0%} of it "
           f"({level} CI {top['share_ci_low']:.0%} to {top['share_ci_high']:.0%})"
           + (f", and ranks first in {top['rank_stability']:.0%} of bootstrap resamples."
              if pd_notna(top.get("rank_stability")) else ".")]
    rest = [f"{_label(labels, row['driver'])} {row['share']:.0%}" for _, row in ordered.iloc[1:].iterrows()]
    if rest:
        out.append("The others: " + ", ".join(rest) + ".")
    negative = [_label(labels, row["driver"]) for _, row in ordered.iterrows()
                if pd_notna(row.get("sign")) and float(row["sign"]) < 0]
    if negative:
        out.append(f"{', '.join(negative)} work(s) against {outcome} once the other drivers are held "
                   f"constant (a negative coefficient): read as a suppressor, not a lever.")
    return out


def mediation_findings(result: pd.DataFrame, *, x: str, m: str, y: str) -> list[str]:
    """The indirect path x -> m -> y in words: how much of x's effect on y runs through m.

    ``result`` is :func:`uxcx.mediation` (``term`` rows a, b, direct, total, indirect,
    proportion_mediated).
    """
    rows = result.set_index("term")
    level = _level(result)
    ind, direct, total = rows.loc["indirect"], rows.loc["direct"], rows.loc["total"]
    through = ind["ci_low"] > 0 or ind["ci_high"] < 0
    out = [f"Each point of {x} goes with {number(total['estimate'], 2)} points of {y} in all ({level} CI "
           f"{number(total['ci_low'], 2)} to {number(total['ci_high'], 2)}); {number(ind['estimate'], 2)} of "
           f"it runs through {m} ({level} CI {number(ind['ci_low'], 2)} to {number(ind['ci_high'], 2)}, "
           f"{method_words(ind['method'])})."]
    if "proportion_mediated" in rows.index and through and pd_notna(rows.loc["proportion_mediated",
                                                                              "estimate"]):
        pm = rows.loc["proportion_mediated"]
        out.append(f"That is {pm['estimate']:.0%} of the total effect ({level} CI {pm['ci_low']:.0%} to "
                   f"{pm['ci_high']:.0%}).")
    if not through:
        out.append(f"The interval of the indirect effect includes zero: no clear evidence that {m} "
                   f"carries the effect of {x} on {y}.")
    clear_direct = direct["ci_low"] > 0 or direct["ci_high"] < 0
    out.append(f"The direct effect of {x} on {y}, {m} held constant, is {number(direct['estimate'], 2)} "
               f"({level} CI {number(direct['ci_low'], 2)} to {number(direct['ci_high'], 2)})"
               + (": part of the effect does not run through " + m + "." if clear_direct else
                  f": not distinguishable from zero, so {m} may carry the whole effect."))
    return out


def power_findings(correlation: pd.DataFrame | None = None, nps: pd.DataFrame | None = None) -> list[str]:
    """Sample sizes for the next study, from :func:`uxcx.sample_size_correlation` and
    :func:`uxcx.sample_size_nps`."""
    out = []
    if correlation is not None:
        for _, row in correlation.iterrows():
            out.append(f"To detect a correlation of {row['r']:.2f} with {row['power']:.0%} power "
                       f"(α = {row['alpha']:g}, {row['alternative']}), plan for {int(row['n']):,} people.")
    if nps is not None:
        for _, row in nps.iterrows():
            out.append(f"To detect an NPS difference of {abs(row['difference']):.0f} points with "
                       f"{row['power']:.0%} power, plan for {int(row['n_per_group']):,} respondents "
                       f"per group.")
    return out
