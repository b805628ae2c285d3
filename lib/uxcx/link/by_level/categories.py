"""compare_by_level's tests of a binary or categorical outcome across independent levels.

The one idea here is the table of levels × outcome values: with two levels and a 0/1
outcome, the N-1 two-proportion test (Campbell 2007) with Woolf's odds ratio when every
expected count is at least 5, else Fisher's exact test with the conditional MLE odds
ratio and its exact interval (Cochran's 1954 rule); with more levels or categories, the
chi-square test or, when an expected count is below 5, Fisher's exact r × c test
(:func:`uxcx._core.contingency.table_test`), with Cramér's V and its parametric
bootstrap interval. Each level's share of each category is in :func:`category_rows`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core.bootstrap import chunks, resample_cells
from uxcx._core.common import proportion_interval
from uxcx._core.compare import term
from uxcx._core.contingency import MIN_EXPECTED, expected_counts, table_test
from uxcx._core.results import COLUMNS, result_frame
from uxcx.link.level_effects import cramer_v
from uxcx.ux.compare import compare_completion

__all__ = ["two_shares", "table_comparison", "category_rows", "outcome_table"]

_CELL_ARRAYS = 4  # (B, k, c) work arrays per resample, for the bootstrap's chunk budget


def outcome_table(frame: pd.DataFrame, outcome: str, level: str, levels: list, kind: str):
    """Counts of levels × outcome values (binary: columns 1 then 0, so odds are of a 1) and the values."""
    values = [1.0, 0.0] if kind == "binary" else sorted(pd.unique(frame[outcome]), key=str)
    table = pd.crosstab(frame[level].to_numpy(), frame[outcome].to_numpy()).reindex(
        index=levels, columns=values, fill_value=0)
    return table.to_numpy(dtype=float), values


def two_shares(frame, outcome, level, levels, reference, described, conf):
    """Two independent levels of a 0/1 outcome: (tests frame, effect dict, reason)."""
    other = next(v for v in levels if v != reference)
    observed, _ = outcome_table(frame, outcome, level, [other, reference], "binary")
    tests = compare_completion(frame, success=outcome, by=level, subject=None, reference=reference,
                               confidence_level=conf)
    smallest = float(expected_counts(observed).min())
    if smallest < MIN_EXPECTED:
        res = table_test(observed, method="fisher", confidence_level=conf)
        tests = tests.assign(statistic=np.nan, df=np.nan, p_value=res["p_value"], p_adjusted=res["p_value"],
                             log10_p_value=res["log10_p_value"],
                             method=f"{res['method']}; the difference of shares: {tests['method'].iloc[0]}")
        why = (f"{described} and an expected count is below {MIN_EXPECTED:g} ({smallest:.2f}), so Fisher's "
               "exact test compares the shares (Cochran 1954)")
        effect = {"estimate": res["estimate"], "ci_low": res["ci_low"], "ci_high": res["ci_high"],
                  "effect_size_type": "odds ratio",
                  "method": "conditional maximum-likelihood estimate with exact interval (R's fisher.test)"}
        return tests, effect, why
    why = (f"{described} and every expected count is at least {MIN_EXPECTED:g}, so the N-1 two-proportion "
           "test compares the shares (accurate in small samples, Campbell 2007)")
    cells = observed.ravel()
    fix = 0.5 if (cells == 0).any() else 0.0
    a_, b_, c_, d_ = cells + fix
    log_or, se = np.log(a_ * d_ / (b_ * c_)), np.sqrt(1 / a_ + 1 / b_ + 1 / c_ + 1 / d_)
    half = stats.norm.ppf(0.5 + conf / 2) * se
    effect = {"estimate": np.exp(log_or), "ci_low": np.exp(log_or - half), "ci_high": np.exp(log_or + half),
              "effect_size_type": "odds ratio",
              "method": "Woolf log interval" + (" (0.5 added to every cell)" if fix else "")}
    return tests, effect, why


def _cramer_boot(observed: np.ndarray, conf: float, n_boot: int, rng) -> tuple:
    """Percentile interval of Cramér's V, each level's rows resampled (a multinomial draw per level)."""
    reps = np.concatenate([cramer_v(resample_cells(observed, b, rng).astype(float))
                           for b in chunks(n_boot, _CELL_ARRAYS * observed.size)])
    reps = reps[np.isfinite(reps)]
    if len(reps) < 10:
        return np.nan, np.nan, np.nan
    low, high = np.quantile(reps, [(1 - conf) / 2, (1 + conf) / 2])
    return low, high, reps.std(ddof=1)


def table_comparison(frame, outcome, level, levels, reference, kind, described, conf, n_boot, rng):
    """k levels of a 0/1 outcome, or any levels of a categorical one: (test row, effect dict, reason)."""
    observed, _ = outcome_table(frame, outcome, level, levels, kind)
    res = table_test(observed, method="auto", confidence_level=conf)
    k = len(levels)
    other = next(v for v in levels if v != reference)
    what = "shares" if kind == "binary" else f"mix of {outcome} values"
    if res["test"] == "fisher":
        why = (f"{described} and an expected count is below {MIN_EXPECTED:g} ({res['expected'].min():.2f}), "
               f"so Fisher's exact test compares the {k} levels' {what} (Cochran 1954)")
    else:
        why = f"{described}, so a chi-square test of independence compares the {k} levels' {what}"
    row = {"term": term(other, reference) if k == 2 else f"across {k} levels", "n": int(observed.sum()),
           "alternative": "two-sided", "confidence_level": conf, "method": res["method"],
           **{key: res[key] for key in ("statistic", "df", "p_value", "log10_p_value")}}
    low, high, se = _cramer_boot(observed, conf, n_boot, rng)
    effect = {"estimate": float(cramer_v(observed)), "std_error": se, "ci_low": low, "ci_high": high,
              "effect_size_type": "Cram\u00e9r's V", "method": "parametric bootstrap within levels"}
    return row, effect, why


def category_rows(frame, outcome, level, levels, conf) -> pd.DataFrame:
    """One row per level and outcome value: the level's share of it with its adjusted-Wald interval."""
    observed, values = outcome_table(frame, outcome, level, levels, "categorical")
    n = np.repeat(observed.sum(1), len(values))
    counts = observed.ravel()
    low, high, se, _ = proportion_interval(counts, n, "adjusted-wald", conf)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts / n
    out = result_frame(pd.DataFrame({
        level: np.repeat(np.asarray(levels, dtype=object), len(values)),
        "term": [f"{outcome} = {v}" for v in values] * len(levels), "n": n, "estimate": share,
        "std_error": se, "ci_low": low, "ci_high": high, "confidence_level": conf,
        "method": "share, adjusted-Wald interval (Agresti & Coull 1998)"}), groups=[level])
    return out[[level, *COLUMNS]]
