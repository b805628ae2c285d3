"""Is the Net Promoter Score above a target? The adjusted-Wald benchmark test of Lewis & Sauro (2021)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from uxcx._core.checks import ALTERNATIVES, by_columns, check_level, check_option
from uxcx._core.common import finish
from uxcx._core.pvalues import finish_p, norm_log_p, place_log10, underflow_note
from uxcx.cx.common import NPS_MIN, missing_note, warn_segments
from uxcx.cx.nps import nps_counts, nps_moments
from uxcx.errors import UxcxError

__all__ = ["nps_benchmark"]


def _target(target) -> float:
    try:
        value = float(target)
    except (TypeError, ValueError):
        value = np.nan
    if isinstance(target, bool) or not -100 < value < 100:
        raise UxcxError(f"target must be an NPS in points strictly between -100 and 100 (such as 30, or "
                        f"measures.targets.nps in the study file); got {target!r}")
    return value


def nps_benchmark(data: pd.DataFrame, *, target: float, score: str = "nps", by=None,
                  alternative: str = "greater", confidence_level: float = 0.95) -> pd.DataFrame:
    """Test a Net Promoter Score against a target (an industry average, a goal) by the adjusted-Wald method.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    target : float
        The NPS to beat, in points (-100 to 100), e.g. 30.
    score : str
        Likelihood-to-recommend ratings, whole numbers 0-10; missing left out.
    by : str or list of str, optional
        Segment columns: one test per segment (no multiplicity adjustment).
    alternative : {"greater", "less", "two-sided"}, default "greater"
        "greater" asks whether the NPS exceeds the target, the usual benchmark
        question and the one Lewis & Sauro (2021) answer with a one-tailed test.
    confidence_level : float
        Level of the interval, which matches the test: one-sided for a one-sided
        alternative (the lower bound for "greater": a 95% one-sided bound is the
        lower end of the 90% two-sided interval they show beside the test).

    Returns
    -------
    DataFrame
        One row per segment: the ``by`` columns, then the result schema with
        ``term`` "NPS", ``n``, ``estimate`` (the NPS in points), ``std_error``
        (adjusted Wald, points), ``ci_low``, ``ci_high``, ``confidence_level``,
        ``method``, ``statistic`` (z), ``p_value``, ``log10_p_value`` (after
        ``p_value``, computed in log space), ``alternative``, ``effect_size`` (the
        NPS minus the target, points) and ``effect_size_type``; ``df``,
        ``p_adjusted`` and ``p_adjust_method`` NaN. After the schema: ``target``,
        ``adjusted_nps`` (the centre of test and interval), ``promoters``,
        ``passives``, ``detractors``.

    Warns
    -----
    SmallSampleWarning
        Naming each segment with fewer than 30 respondents; under 2, no test.

    Notes
    -----
    Lewis & Sauro (2021) turn their adjusted-Wald comparison of two NPS into a
    benchmark test: with P promoters, D detractors and n ratings, add ¾ to P and
    to D and 3 to n, p_P = (P + ¾)/(n + 3), p_D = (D + ¾)/(n + 3),
    NPS_adj = p_P - p_D and se = sqrt((p_P + p_D - NPS_adj²)/(n + 3)) (the
    trinomial variance, as :func:`uxcx.nps` uses for its interval); then
    z = (NPS_adj - target)/se, with the one-tailed p-value from the normal
    distribution, computed in log space so that it never reads 0. The interval
    NPS_adj ± z_crit·se is :func:`uxcx.nps`'s adjusted-Wald interval (one-sided
    here for a one-sided test), so test and interval agree: the NPS beats the
    target at level 1 - α exactly when the lower bound is above it. ``estimate``
    is the plain NPS; test and interval are centred on the adjusted one.

    Calibration (simulated, 4,000 samples each, 40% promoters and 20% detractors, the
    target at the true NPS of 20): "greater" rejects 3.5% at n = 30, 4.8% at n = 100 and
    4.2% at n = 300, at or a little under the nominal 5% as the pseudo-counts intend.

    References
    ----------
    Lewis, J. R., & Sauro, J. (2021, July 6). How to compare a Net Promoter Score
    with a benchmark. MeasuringU. https://measuringu.com/nps-benchmark-test/

    Lewis, J. R., & Sauro, J. (2020). Confidence intervals for Net Promoter Scores.
    MeasuringU. https://measuringu.com/nps-confidence-intervals/

    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The
    American Statistician*, 70(4), 365-372.

    Examples
    --------
    50 promoters, 25 passives, 25 detractors against a target of 10:

    >>> d = pd.DataFrame({"nps": [10] * 50 + [7] * 25 + [3] * 25})
    >>> r = nps_benchmark(d, target=10)
    >>> r[["estimate", "adjusted_nps", "statistic", "p_value", "ci_low"]].round(3).to_dict("records")
    [{'estimate': 25.0, 'adjusted_nps': 24.272, 'statistic': 1.752, 'p_value': 0.04, 'ci_low': 10.87}]
    """
    by_cols = by_columns(by)
    check_option("alternative", alternative, ALTERNATIVES)
    level = check_level(confidence_level)
    goal = _target(target)
    keys, pro, pas, det, missing = nps_counts(data, score, by_cols)
    n = pro + pas + det
    warn_segments(keys, by_cols, n, minimum=NPS_MIN, what="respondents", measure="NPS test")
    centre, var = nps_moments(pro, det, n, "adjusted-wald")
    centre, se = 100 * centre, 100 * np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (centre - goal) / se
        estimate = np.where(n > 0, 100 * (pro - det) / np.where(n > 0, n, 1), np.nan)
    p, log10 = np.array([finish_p(norm_log_p(v, alternative)) for v in z]).reshape(-1, 2).T
    q = stats.norm.ppf((1 + level) / 2 if alternative == "two-sided" else level)
    low = centre - q * se if alternative != "less" else np.where(np.isnan(se), np.nan, -100.0)
    high = centre + q * se if alternative != "greater" else np.where(np.isnan(se), np.nan, 100.0)
    method = (np.array([f"adjusted-Wald z test against {goal:g} (Lewis & Sauro 2021){underflow_note(v)}"
                        for v in log10], dtype=object) + missing_note(missing))
    out = finish(keys, by_cols, term="NPS", n=n, estimate=estimate, std_error=se,
                 ci_low=np.clip(low, -100, 100), ci_high=np.clip(high, -100, 100), confidence_level=level,
                 method=method, statistic=z, p_value=p, alternative=alternative,
                 effect_size=estimate - goal, effect_size_type="NPS minus target (points)")
    place_log10(out, log10)
    out["target"], out["adjusted_nps"] = goal, centre
    out["promoters"], out["passives"], out["detractors"] = pro, pas, det
    return out
