"""compare_by_level's tests of a score across three or more levels: Friedman, Welch's ANOVA, Kruskal-Wallis.

The one idea here is the k-level omnibus test of a score or rating and its effect size
(Kendall's W, omega², epsilon²). p-values are computed in log space from the
statistic's distribution (:mod:`uxcx._core.pvalues`), so they never read 0; the
statistics are scipy's. Binary and categorical outcomes go to
:mod:`uxcx.link.by_level.categories`.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from uxcx._core.pvalues import chi2_log_p, f_log_p, finish_p, underflow_note
from uxcx.link.by_level.outcome import normal_enough
from uxcx.link.level_effects import boot_effect, kendall_w, omega2, welch_df

__all__ = ["k_level_test"]


def _p_fields(log_p: float, method: str) -> dict:
    p, log10 = finish_p(log_p)
    return {"p_value": p, "log10_p_value": log10, "method": method + underflow_note(log10)}


def k_level_test(samples: dict, levels: list, *, kind: str, described: str, paired: bool, subject,
                 alpha: float, conf: float, n_boot: int, rng) -> tuple[dict, dict, str]:
    """The test row (with ``log10_p_value``), the effect row and the reason of a k-level comparison.

    Paired: Friedman's test (Cochran's Q on 0/1 data), Kendall's W. Unpaired: Welch's
    one-way ANOVA with omega² when the groups are normal enough, else Kruskal-Wallis
    with epsilon². The chi-square (Friedman, Kruskal-Wallis) and F (Welch) tails are
    :func:`~uxcx._core.pvalues.chi2_log_p` and :func:`~uxcx._core.pvalues.f_log_p`.
    """
    k = len(levels)
    arrays = [samples[str(v)] for v in levels]
    row = {"term": f"across {k} levels", "n": sum(len(a) for a in arrays), "alternative": "two-sided",
           "confidence_level": conf}
    if paired:
        wide = np.column_stack(arrays)
        res = stats.friedmanchisquare(*arrays)
        name = "Cochran's Q test" if kind == "binary" else "Friedman test"
        why = (f"{described}, so the {name} compares the {k} levels within {subject}s"
               + ("" if kind == "binary" else ", without assuming normality or sphericity"))
        row.update(n=len(wide), statistic=res.statistic, df=k - 1.0,
                   **_p_fields(chi2_log_p(res.statistic, k - 1), name))
        low, high, se = boot_effect("friedman", [wide], conf, n_boot, rng)
        effect = {"estimate": float(kendall_w(wide)), "std_error": se, "ci_low": low, "ci_high": high,
                  "effect_size_type": "Kendall's W", "method": f"percentile bootstrap over {subject}s"}
        return row, effect, why
    normal, check = (False, "") if kind == "ordinal" else normal_enough(samples, alpha)
    if normal:
        res = stats.f_oneway(*arrays, equal_var=False)
        df2 = welch_df(arrays)
        why = f"{described} and {check}, so Welch's one-way ANOVA compares the means"
        name = f"Welch one-way ANOVA, F({k - 1}, {df2:.1f})"
        row.update(statistic=res.statistic, df=df2, **_p_fields(f_log_p(res.statistic, k - 1, df2), name))
        effect = {**omega2(arrays, conf), "effect_size_type": "omega squared",
                  "method": "noncentral-F interval (Steiger 2004)"}
        return row, effect, why
    res = stats.kruskal(*arrays)
    why = (f"{described}, so the Kruskal-Wallis test compares them without assuming normality"
           if kind == "ordinal" else f"{described} but {check}, so the Kruskal-Wallis test compares them")
    row.update(statistic=res.statistic, df=k - 1.0,
               **_p_fields(chi2_log_p(res.statistic, k - 1), "Kruskal-Wallis H test"))
    low, high, se = boot_effect("kruskal", arrays, conf, n_boot, rng)
    effect = {"estimate": res.statistic / (row["n"] - 1), "std_error": se, "ci_low": low, "ci_high": high,
              "effect_size_type": "epsilon squared", "method": "percentile bootstrap within levels"}
    return row, effect, why
