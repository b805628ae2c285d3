"""Two-sample and paired t tests as R's ``t.test``: Welch, Student's pooled variance, paired.

Computed here rather than by ``scipy.stats.ttest_*`` so that the p-value comes from the
t distribution in log space (:func:`uxcx._core.pvalues.t_log_p`: never 0) and so that
constant data get the kit's words instead of scipy's precision-loss RuntimeWarning.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats

from uxcx._core.pvalues import finish_p, t_log_p
from uxcx.errors import UxcxWarning

__all__ = ["t_compare", "constant_groups"]

# R's t.test stops with "data are essentially constant" when the standard error is below this
# multiple of machine epsilon times the larger absolute mean.
_CONSTANT = 10 * np.finfo(float).eps


def constant_groups(a: np.ndarray, b: np.ndarray, names: tuple[str, str], what: str,
                    label: str = "") -> None:
    """Warn, naming the group, when every value of one design is the same (no spread)."""
    for values, name in ((a, names[0]), (b, names[1])):
        if len(values) > 1 and np.ptp(values) == 0:
            warnings.warn(f"Every {what} of {name}{label} is {values[0]:g}: that group has no spread, so "
                          "the t test leans on the other group's spread alone (a ceiling or floor effect, "
                          "or a data-entry problem?).", UxcxWarning, stacklevel=5)


def t_compare(a: np.ndarray, b: np.ndarray, *, paired: bool, equal_var: bool, alternative: str,
              confidence_level: float, names: tuple[str, str] = ("the other design", "the reference"),
              what: str = "rating", label: str = "") -> dict:
    """Welch's, Student's or the paired t test of ``a`` minus ``b`` with its interval.

    Returns ``estimate`` (difference of means, or mean difference), ``std_error``, ``df``,
    ``statistic``, ``ci_low``/``ci_high`` (two-sided t interval), ``p_value``,
    ``log10_p_value`` and ``name`` (the caller appends :func:`~uxcx._core.pvalues.underflow_note`).

    Welch (1947): se^2 = s_a^2/n_a + s_b^2/n_b, Welch-Satterthwaite df. Student (pooled):
    s_p^2 = ((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2), se^2 = s_p^2 (1/n_a + 1/n_b),
    df = n_a + n_b - 2 (R's ``t.test(var.equal=TRUE)``). Paired: the one-sample t of ``a - b``.
    When se is below R's "essentially constant" bound the test is undefined: a
    :class:`~uxcx.errors.UxcxWarning` says so and the test and interval are NaN, the
    estimate kept.
    """
    if paired:
        diff = a - b
        n = len(diff)
        est, se, df = float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(n)), n - 1.0
        scale = abs(est)
        name = "paired t test"
    else:
        na, nb = len(a), len(b)
        va, vb = float(a.var(ddof=1)), float(b.var(ddof=1))
        est = float(a.mean() - b.mean())
        scale = max(abs(float(a.mean())), abs(float(b.mean())))
        if equal_var:
            df = na + nb - 2.0
            se = math.sqrt(((na - 1) * va + (nb - 1) * vb) / df * (1 / na + 1 / nb))
            name = "Student's t test (pooled variance)"
        else:
            qa, qb = va / na, vb / nb
            se = math.sqrt(qa + qb)
            df = (qa + qb) ** 2 / (qa ** 2 / (na - 1) + qb ** 2 / (nb - 1)) if se > 0 else math.nan
            name = "Welch t test"
    if not se > _CONSTANT * scale:
        where = "the paired differences" if paired else f"the {what}s of both groups"
        warnings.warn(f"The t test{label} is undefined: {where} do not vary (every value the same), so "
                      "there is no standard error (R's t.test stops: 'data are essentially constant'). "
                      "The row gives the difference without a test or an interval.", UxcxWarning,
                      stacklevel=4)
        return {"estimate": est, "std_error": se, "df": df, "statistic": math.nan, "ci_low": math.nan,
                "ci_high": math.nan, "p_value": math.nan, "log10_p_value": math.nan,
                "name": f"{name}: not computed, no variation"}
    if not paired:
        constant_groups(a, b, names, what, label)
    t = est / se
    half = float(stats.t.ppf(0.5 + confidence_level / 2, df)) * se
    p, log10_p = finish_p(t_log_p(t, df, alternative))
    return {"estimate": est, "std_error": se, "df": df, "statistic": t, "ci_low": est - half,
            "ci_high": est + half, "p_value": p, "log10_p_value": log10_p,
            "name": name}
