"""Net Promoter Score: the category of each rating, and the score with its interval per segment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx._core.bootstrap import chunks, generator, resample_cells
from uxcx._core.checks import by_columns, check_level, check_option, require
from uxcx._core.common import finish, group_ids
from uxcx._core.compare import z_crit
from uxcx.cx.common import NPS_MIN, missing_note, rating_values, warn_segments
from uxcx.errors import UxcxError

__all__ = ["nps_category", "nps", "nps_counts", "nps_moments", "nps_interval", "NPS_METHODS", "CATEGORIES"]

NPS_METHODS = ("adjusted-wald", "wald", "bootstrap")
CATEGORIES = ("promoter", "passive", "detractor")
NPS_SCALE = (0, 10)


def nps_category(data: pd.DataFrame, *, score: str = "nps") -> pd.Series:
    """The NPS category of each rating: promoter (9-10), passive (7-8), detractor (0-6).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    score : str
        Column of likelihood-to-recommend ratings, whole numbers 0-10; missing
        values stay missing.

    Returns
    -------
    Series
        Categorical (categories "promoter", "passive", "detractor"), named
        ``nps_category``, with the index of ``data``.

    Raises
    ------
    DataError
        A rating that is not a whole number from 0 to 10, naming every such row.

    Notes
    -----
    Reichheld's (2003) cut-offs on the 0-10 likelihood-to-recommend scale:
    promoters answer 9 or 10, passives 7 or 8, detractors 0 to 6. Pure scoring:
    no inference, the caller's frame is not changed.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business
    Review*, 81(12), 46-54.

    Examples
    --------
    >>> d = pd.DataFrame({"nps": [10, 9, 8, 7, 6, 0, None]})
    >>> nps_category(d).tolist()
    ['promoter', 'promoter', 'passive', 'passive', 'detractor', 'detractor', nan]
    """
    require(data, [score])
    values = rating_values(data, score, NPS_SCALE)
    labels = np.select([values >= 9, values >= 7, values >= 0], ["promoter", "passive", "detractor"],
                       default="")
    out = pd.Categorical(np.where(values.isna(), None, labels), categories=list(CATEGORIES))
    return pd.Series(out, index=data.index, name="nps_category")


def nps_counts(data: pd.DataFrame, score: str, by_cols: list[str]):
    """Per segment: keys, promoters, passives, detractors and missing ratings (int arrays)."""
    require(data, [score, *by_cols])
    values = rating_values(data, score, NPS_SCALE)
    gid, keys = group_ids(data, by_cols)

    def count(mask: pd.Series) -> np.ndarray:
        return np.bincount(gid[mask.to_numpy()], minlength=len(keys)).astype(np.int64)

    return (keys, count(values >= 9), count((values >= 7) & (values <= 8)), count(values <= 6),
            count(values.isna()))


def nps_moments(promoters, detractors, n, method: str):
    """Centre and trinomial variance of the NPS as a proportion, per group (NaN where n < 2).

    "adjusted-wald" adds ¾ to promoters and detractors and 3 to n; "wald" uses the raw counts.
    """
    extra = (0.75, 3.0) if method == "adjusted-wald" else (0.0, 0.0)
    n = np.asarray(n, dtype=float)
    n_adj = n + extra[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_p = (np.asarray(promoters, dtype=float) + extra[0]) / n_adj
        share_d = (np.asarray(detractors, dtype=float) + extra[0]) / n_adj
        centre = share_p - share_d
        var = np.maximum(share_p + share_d - centre**2, 0) / n_adj
    ok = n >= 2
    return np.where(ok, centre, np.nan), np.where(ok, var, np.nan)


def nps_interval(promoters, passives, detractors, *, method: str = "adjusted-wald",
                 confidence_level: float = 0.95, n_boot: int = 2000, rng=None):
    """NPS interval from category counts, vectorised over groups (points, -100..100).

    Returns ``low, high, std_error, clipped`` arrays; NaN where n < 2. See :func:`nps`
    for the formulas. ``rng`` is a ``numpy.random.Generator`` (bootstrap only).
    """
    p_count, a_count, d_count = (np.asarray(a, dtype=float) for a in (promoters, passives, detractors))
    n = p_count + a_count + d_count
    ok = n >= 2
    if method == "bootstrap":
        rng = generator(rng)
        cells = np.where(ok[..., None], np.stack([p_count, a_count, d_count], axis=-1), 0)
        boot = np.concatenate([(draws[..., 0] - draws[..., 2]) / np.where(ok, n, 1)
                               for draws in (resample_cells(cells, b, rng)
                                             for b in chunks(int(n_boot), 4 * cells.size))])
        alpha = 1 - confidence_level
        low, high = np.quantile(boot, [alpha / 2, 1 - alpha / 2], axis=0)
        se = boot.std(axis=0, ddof=1)
    else:
        centre, var = nps_moments(p_count, d_count, n, method)
        se = np.sqrt(var)
        z = z_crit(confidence_level)
        low, high = centre - z * se, centre + z * se
    low, high, se = (np.where(ok, v, np.nan) * 100 for v in (low, high, se))
    clipped = (low < -100 - 1e-9) | (high > 100 + 1e-9)
    return np.clip(low, -100, 100), np.clip(high, -100, 100), se, clipped


def nps(data: pd.DataFrame, *, score: str = "nps", by=None, method: str = "adjusted-wald",
        confidence_level: float = 0.95, n_boot: int = 2000, seed=None) -> pd.DataFrame:
    """Net Promoter Score per segment, with category counts and a confidence interval.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (the survey source).
    score : str
        Column of likelihood-to-recommend ratings, whole numbers 0-10. Missing
        ratings are left out (counted in ``method``).
    by : str or list of str, optional
        Segment columns (region, device, plan, ...): one row per segment.
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval; default adjusted Wald (Rocks 2016; Lewis & Sauro).
    confidence_level : float
        Two-sided level of the interval.
    n_boot : int
        Bootstrap resamples (``method="bootstrap"`` only).
    seed : int or numpy.random.Generator, optional
        Seeds the bootstrap; pass the study's ``analysis.seed`` for a reproducible report.

    Returns
    -------
    DataFrame
        The result schema (:mod:`uxcx._core.results`): the ``by`` columns, ``term``
        ("NPS"), ``n`` (respondents with a rating), ``estimate`` (NPS in points,
        -100..100), ``std_error`` (of the method, in points), ``ci_low``,
        ``ci_high``, ``confidence_level``, ``method`` (the method, "(bound
        clipped)" where a bound was cut at ±100, and missing ratings left out);
        test columns NaN. After the schema: ``promoters``, ``passives``,
        ``detractors`` (counts) and ``share_promoters``, ``share_passives``,
        ``share_detractors`` (proportions of ``n``).

    Warns
    -----
    SmallSampleWarning
        Naming each segment with fewer than 30 respondents; segments with fewer
        than 2 get a NaN interval (see :mod:`uxcx.cx.common`).

    Notes
    -----
    With P promoters (9-10), D detractors (0-6) and n ratings, NPS = 100·(P - D)/n.
    Each answer scores +1, 0 or -1, so the counts are trinomial and the variance
    of the NPS (as a proportion) is var = (p_P + p_D - (p_P - p_D)²)/n.

    - "adjusted-wald" (default): add ¾ to promoters and to detractors and 3 to n
      (so 1½ to passives), p_P = (P + ¾)/(n + 3), p_D = (D + ¾)/(n + 3), and take
      (p_P - p_D) ± z·sqrt((p_P + p_D - (p_P - p_D)²)/(n + 3)). The interval is
      centred on the adjusted score, slightly towards 0 from ``estimate``. Rocks
      (2016) found adjusted-Wald intervals close to nominal coverage where the plain
      Wald interval falls short at small n; Lewis & Sauro (2020, 2021) confirmed
      this on real data and recommend this form. The pseudo-counts suit a 95%
      level: at 95% or more the interval always contains ``estimate`` (with all
      answers in one category it needs z² >= 2(n + 3)/(n + 1); every count up to
      n = 300 was checked), but at lower levels and nearly unanimous answers the
      pull towards 0 can exceed the half-width and leave ``estimate`` outside.
    - "wald": the same formula on the raw counts, p_P = P/n, p_D = D/n; too
      narrow at small n or near ±100 (zero width when all answers agree).
    - "bootstrap": percentile interval of ``n_boot`` resampled scores. Resampling
      rows with replacement only changes the three category counts, so the
      counts are drawn directly, Multinomial(n; p_P, p_pass, p_D), all segments
      at once and the resamples in chunks
      (:func:`uxcx._core.bootstrap.resample_cells`): the same distribution as a row
      bootstrap at a fraction of the cost. ``std_error`` is the SD of the
      resampled scores. Degenerate (zero width) when all answers agree.

    Bounds are clipped to [-100, 100]. Use the NPS with its interval rather than
    the mean rating when stakeholders track the NPS itself; compare segments with
    :func:`uxcx.cx.compare.compare_nps`.

    References
    ----------
    Lewis, J. R., & Sauro, J. (2020). Confidence intervals for Net Promoter Scores.
    MeasuringU. https://measuringu.com/nps-confidence-intervals/

    Lewis, J. R., & Sauro, J. (2021, January 19). Evaluating NPS confidence
    intervals with real-world data. MeasuringU.
    https://measuringu.com/nps-three-confidence-intervals/

    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business
    Review*, 81(12), 46-54.

    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The
    American Statistician*, 70(4), 365-372. https://doi.org/10.1080/00031305.2016.1158124
    (arXiv:1601.07235)

    Examples
    --------
    50 promoters, 25 passives, 25 detractors: NPS 25, adjusted-Wald 95% 8.3 to 40.2,
    Wald 8.75 to 41.25.

    >>> d = pd.DataFrame({"nps": [10] * 50 + [7] * 25 + [3] * 25})
    >>> r = nps(d)
    >>> r[["n", "estimate", "ci_low", "ci_high"]].round(1).to_dict("records")
    [{'n': 100, 'estimate': 25.0, 'ci_low': 8.3, 'ci_high': 40.2}]
    >>> nps(d, method="wald")[["ci_low", "ci_high"]].round(2).values.tolist()
    [[8.75, 41.25]]
    >>> r[["promoters", "passives", "detractors"]].values.tolist(), float(r.loc[0, "share_promoters"])
    ([[50, 25, 25]], 0.5)
    """
    by_cols = by_columns(by)
    check_option("method", method, NPS_METHODS)
    level = check_level(confidence_level)
    if method == "bootstrap" and (isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer))
                                  or n_boot < 100):
        raise UxcxError(f"n_boot must be a whole number of at least 100 resamples (2000 or more for a "
                        f"95% interval); got {n_boot!r}")
    keys, pro, pas, det, missing = nps_counts(data, score, by_cols)
    n = pro + pas + det
    warn_segments(keys, by_cols, n, minimum=NPS_MIN, what="respondents", measure="NPS")
    low, high, se, clipped = nps_interval(pro, pas, det, method=method, confidence_level=level,
                                          n_boot=n_boot, rng=seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.stack([pro, pas, det]) / np.where(n > 0, n, np.nan)
    label = method if method != "bootstrap" else f"bootstrap percentile ({n_boot} multinomial resamples)"
    label = (np.full(len(n), label, dtype=object) + np.where(clipped, " (bound clipped)", "")
             + missing_note(missing))
    out = finish(keys, by_cols, term="NPS", n=n, estimate=100 * (share[0] - share[2]), std_error=se,
                 ci_low=low, ci_high=high, confidence_level=level, method=label)
    for name, counts in zip(("promoters", "passives", "detractors"), (pro, pas, det)):
        out[name] = counts
    for name, part in zip(("share_promoters", "share_passives", "share_detractors"), share):
        out[name] = part
    return out
