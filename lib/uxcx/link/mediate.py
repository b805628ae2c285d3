"""Mediation: how much of the effect of a UX measure on a CX outcome runs through a mediator.

The public function is :func:`mediation` (e.g. ease of use -> satisfaction -> loyalty); the
vectorised bootstrap it relies on lives in :mod:`uxcx.link.mediate_boot`.
"""

from __future__ import annotations

import importlib
import sys
import threading
import warnings

import numpy as np
import pandas as pd

from uxcx._core.bootstrap import generator
from uxcx._core.checks import by_columns, check_level, check_option, numeric, require, source_name
from uxcx._core.results import result_frame
from uxcx.errors import UxcxError, UxcxWarning
from uxcx.link import mediate_boot as boot
from uxcx.link.mediate_paths import fit_path, path_row, sobel_row

__all__ = ["mediation", "CI_METHODS"]

CI_METHODS = ("bca", "percentile")
# What the intervals and result rows need but the resampling does not (scipy.special above all).
_NEEDED_AFTER_RESAMPLING = ("scipy.special", "uxcx._core.pvalues")
_CI_NAMES = {"bca": "BCa bootstrap CI", "percentile": "percentile bootstrap CI"}


def mediation(data: pd.DataFrame, *, x: str, m: str, y: str, covariates=None, n_boot: int = 5000,
              seed=None, confidence_level: float = 0.95, ci_method: str = "bca",
              contrast=None) -> pd.DataFrame:
    """Simple mediation x -> m -> y: paths a, b, direct, total and indirect effects, with intervals.

    Parameters
    ----------
    data : DataFrame
        One row per person (respondent, participant).
    x : str
        The cause, e.g. a UX measure (mean ease rating, SUS score). Continuous or 0/1.
    m : str
        The mediator, e.g. satisfaction (CSAT). A column holding only 0 and 1 is modelled
        by logistic regression, any other numeric column by ordinary least squares.
    y : str
        The outcome, e.g. a loyalty index or "promoter" (0/1); 0/1 is modelled by logistic
        regression, as for ``m``.
    covariates : str or list of str, optional
        Columns entered in every equation (e.g. a 0/1 device column).
    n_boot : int, default 5000
        Bootstrap resamples (Hayes 2022 recommends at least 5,000).
    seed : int or numpy.random.Generator, optional
        Seed of the resampling; the same seed gives the same intervals.
    confidence_level : float, default 0.95
    ci_method : {"bca", "percentile"}, default "bca"
        Bootstrap interval: bias-corrected and accelerated (Efron 1987) or percentile.
    contrast : (float, float), optional
        The two values of ``x`` compared for a logistic equation (potential-outcome effects).
        Default: (0, 1) when ``x`` holds only 0 and 1, else one unit around its mean,
        (mean - 0.5, mean + 0.5). With two linear equations every effect is per unit of
        ``x`` times the width of the contrast, so the default gives a*b, c' and c.

    Returns
    -------
    DataFrame
        Six rows in the result schema (:mod:`uxcx._core.results`), ``term`` in order:

        - ``a``: effect of x on m (OLS slope; log-odds when m is 0/1);
        - ``b``: effect of m on y holding x (OLS slope; log-odds when y is 0/1);
        - ``direct``: c', effect of x on y holding m (OLS slope), or the average direct
          effect (ADE) on the probability scale when y is 0/1;
        - ``total``: c, effect of x on y (OLS of y on x), or ADE + ACME when an equation
          is logistic;
        - ``indirect``: a*b, or the average causal mediation effect (ACME) when an
          equation is logistic;
        - ``proportion_mediated``: indirect / total.

        Columns: ``term``; ``n`` rows used; ``estimate``; ``std_error`` (model-based for the
        paths, the Sobel standard error for a linear indirect effect, the bootstrap standard
        deviation otherwise); ``ci_low``, ``ci_high``: t interval (OLS) or Wald z interval
        (logistic) for the paths, bootstrap interval for the effects and the proportion;
        ``confidence_level``; ``method`` names model, test and interval; ``statistic``,
        ``df``, ``p_value``, ``log10_p_value``, ``alternative``: t (OLS) or z (logistic) test
        of a path, the Sobel z test of a linear indirect effect, NaN where only the bootstrap
        interval speaks; the p-value is computed in log space (:mod:`uxcx._core.pvalues`), so
        it never reads 0: below the floating-point range ``p_value`` holds the smallest
        positive double and ``method`` says "p < 1e-300"; ``p_adjusted``, ``p_adjust_method``,
        ``effect_size``, ``effect_size_type``:
        NaN. Two extra columns, ``mc_error_low`` and ``mc_error_high``, give the Monte-Carlo
        standard error of each bootstrap bound (NaN for the other rows).

    Raises
    ------
    UxcxError
        A constant x, m or y; too few complete rows; a logistic equation with perfect
        separation; a bad option.
    DataError
        A missing column or a value that is not a number.

    Warns
    -----
    UxcxWarning
        Rows dropped for missing values (listwise deletion, with the count); resamples in
        which a logistic fit failed; a proportion mediated that does not mean anything.

    Notes
    -----
    Model 4 of Hayes (2022), after Baron & Kenny (1986): ``m = i1 + a x + e1``,
    ``y = i2 + c' x + b m + e2`` and ``y = i3 + c x + e3`` (covariates in each), fitted by
    OLS (one least-squares solve each, with the classical standard errors and t tests of R's
    ``lm`` and ``statsmodels.OLS``); ``c = c' + a b`` exactly, and the indirect effect is
    ``a b``. The Sobel (1982) test
    uses ``z = a b / sqrt(a^2 se_b^2 + b^2 se_a^2)``; it assumes a normal ``a b``, which is
    rarely true, so the bootstrap interval (Preacher & Hayes 2004, 2008) is the one to
    report; the p-value is there for readers who ask.

    When m or y is 0/1 a logistic equation replaces the linear one and ``a b`` mixes scales,
    so the effects are those of Imai, Keele & Tingley (2010), as in
    ``statsmodels.stats.mediation.Mediation``: with ``x`` set to ``t`` and the mediator to
    its value under ``t'``, ``ACME(t) = mean_i[E y_i(t, M_i(t1)) - E y_i(t, M_i(t0))]``,
    ``ADE(t') = mean_i[E y_i(t1, M_i(t')) - E y_i(t0, M_i(t'))]``; the rows report their
    averages over ``t`` in (t0, t1), on the scale of y (a probability when y is 0/1), and
    total = ACME + ADE. A continuous mediator's counterfactual value keeps each person's
    own residual, ``M_i(t') = m_i + a (t' - x_i)`` (no simulation: the estimate is exact
    and deterministic); a 0/1 mediator is averaged over its fitted probability. With both
    equations linear these equal a b, c' and c.

    Bootstrap: ``n_boot`` nonparametric resamples of the rows, drawn as multinomial count
    vectors and counted one resample at a time (memory stays flat as n grows). Linear
    equations come from each resample's weighted cross-products
    (:func:`uxcx._core.bootstrap.resample_sums`), logistic ones from batched Newton-Raphson
    on chunks of count vectors (weights = counts, at most 25 steps, tolerance 1e-10; a
    resample that does not converge is dropped with a warning). Percentile interval: the
    alpha/2 and 1 - alpha/2 quantiles. BCa (Efron 1987): levels
    ``Phi(z0 + (z0 + z)/(1 - acc (z0 + z)))`` with ``z0`` from the share of resamples below
    the estimate and the acceleration ``acc`` from the jackknife (exact
    downdated OLS; for logistic equations a one-step Newton leave-one-out, linearised).
    The Monte-Carlo error of a bound at quantile level q is half the distance between the
    bootstrap quantiles at ``q -/+ sqrt(q (1 - q) / B)``: the order statistics one binomial
    standard deviation either side (Conover 1999, sec. 3.2); for BCa it leaves out the
    Monte-Carlo error of z0. If it matters at the reported digits, raise ``n_boot``.

    The proportion mediated is only meaningful when the total effect is clearly not zero
    and indirect and total share a sign (Preacher & Kelley 2011); otherwise a warning
    says so and ``method`` flags the row.

    Mediation is a causal claim: the design must rule out confounding of x -> m, m -> y
    and x -> y (Imai et al. 2010); a cross-sectional survey cannot by itself.

    References
    ----------
    Baron, R. M., & Kenny, D. A. (1986). The moderator-mediator variable distinction in
    social psychological research. Journal of Personality and Social Psychology, 51(6),
    1173-1182.

    Conover, W. J. (1999). Practical Nonparametric Statistics (3rd ed.). Wiley.

    Efron, B. (1987). Better bootstrap confidence intervals. Journal of the American
    Statistical Association, 82(397), 171-185.

    Hayes, A. F. (2022). Introduction to Mediation, Moderation, and Conditional Process
    Analysis (3rd ed.). Guilford Press.

    Imai, K., Keele, L., & Tingley, D. (2010). A general approach to causal mediation
    analysis. Psychological Methods, 15(4), 309-334.

    Preacher, K. J., & Hayes, A. F. (2004). SPSS and SAS procedures for estimating indirect
    effects in simple mediation models. Behavior Research Methods, Instruments, &
    Computers, 36(4), 717-731.

    Preacher, K. J., & Hayes, A. F. (2008). Asymptotic and resampling strategies for
    assessing and comparing indirect effects in multiple mediator models. Behavior
    Research Methods, 40(3), 879-891.

    Preacher, K. J., & Kelley, K. (2011). Effect size measures for mediation models.
    Psychological Methods, 16(2), 93-115.

    Sobel, M. E. (1982). Asymptotic confidence intervals for indirect effects in structural
    equation models. Sociological Methodology, 13, 290-312.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> ease = rng.normal(5, 1, 400)
    >>> csat = 2 + 0.5 * ease + rng.normal(0, 0.6, 400)
    >>> loyalty = 1 + 0.5 * csat + 0.1 * ease + rng.normal(0, 0.5, 400)
    >>> df = pd.DataFrame({"ease": ease, "csat": csat, "loyalty": loyalty})
    >>> r = mediation(df, x="ease", m="csat", y="loyalty", n_boot=1000, seed=2)
    >>> r[["term", "estimate", "ci_low", "ci_high"]].round(2)
                      term  estimate  ci_low  ci_high
    0                    a      0.55    0.48     0.61
    1                    b      0.46    0.38     0.54
    2               direct      0.11    0.04     0.18
    3                total      0.36    0.30     0.43
    4             indirect      0.25    0.21     0.31
    5  proportion_mediated      0.69    0.54     0.88
    """
    level = check_level(confidence_level)
    check_option("ci_method", ci_method, CI_METHODS)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 100:
        raise UxcxError(f"n_boot must be a whole number of resamples, at least 100 (5000 is usual); "
                        f"got {n_boot!r}")
    covs = by_columns(covariates)
    names = [x, m, y, *covs]
    if len(set(names)) < len(names):
        raise UxcxError(f"x, m, y and covariates must be different columns; got {names}")
    require(data, names)
    _import_meanwhile(_NEEDED_AFTER_RESAMPLING)
    values = _complete_rows(data, names)
    design, kinds = _design(values, x, m, y, covs, contrast)
    med_fit, out_fit, total_fit = _point_fits(design, kinds, names)
    med, out = np.asarray(med_fit.params), np.asarray(out_fit.params)
    estimate = boot.effects(design, np.ones((1, design.n)), med[None], out[None])[0]
    rng = generator(seed)
    draws = boot.bootstrap(design, int(n_boot), rng, start=(med, out))
    failed = int(np.sum(~np.isfinite(draws[:, 0])))
    if failed:
        warnings.warn(f"{failed} of {n_boot} bootstrap resamples could not be fitted (a logistic "
                      f"equation did not converge) and were left out", UxcxWarning, stacklevel=2)
    jack = boot.jackknife(design, med, out) if ci_method == "bca" else None
    low, high, mc_low, mc_high = boot.intervals(draws, estimate, jack, level, ci_method)
    boot_sd = np.nanstd(draws, axis=0, ddof=1)
    rows = _rows(design, kinds, med_fit, out_fit, total_fit, estimate, level,
                 (low, high, mc_low, mc_high, boot_sd), f"{_CI_NAMES[ci_method]} ({n_boot} resamples)")
    mc = pd.DataFrame([{k: r.pop(k, np.nan) for k in ("mc_error_low", "mc_error_high")} for r in rows])
    frame = result_frame(rows)
    frame["n"] = frame["n"].astype("int64")
    return pd.concat([frame, mc], axis=1)


def _import_meanwhile(modules) -> None:
    """Import ``modules`` in a background thread while the resamples are drawn (first call only).

    In a notebook's first call the import of scipy.special is about a third of the time of a
    linear mediation; numpy releases the GIL while it draws, so the two overlap. Imports are
    thread-safe: code that needs a module the thread is still importing waits for it.
    """
    missing = [name for name in modules if name not in sys.modules]
    if missing:
        threading.Thread(target=lambda: [importlib.import_module(name) for name in missing],
                         name="uxcx-mediation-imports", daemon=True).start()


def _complete_rows(data: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The role columns as floats, rows with a missing value dropped (with a warning)."""
    values = pd.DataFrame({c: numeric(data, c, expected="a number") for c in names})
    complete = values.notna().all(axis=1)
    dropped = int((~complete).sum())
    if dropped:
        warnings.warn(f"mediation: {dropped} of {len(values)} rows of {source_name(data)} have a "
                      f"missing value in {', '.join(names)} and were left out (listwise deletion)",
                      UxcxWarning, stacklevel=3)
    return values[complete]


def _is_binary(v: np.ndarray) -> bool:
    return bool(np.isin(v, (0.0, 1.0)).all() and len(np.unique(v)) == 2)


def _design(values: pd.DataFrame, x, m, y, covs, contrast):
    n, k = len(values), 3 + len(covs)
    if n < k + 2:
        raise UxcxError(f"mediation needs at least {k + 2} complete rows for {k - 1} predictors of y; "
                        f"there are {n}. Collect more data or drop covariates.")
    for role, col in (("x", x), ("m", m), ("y", y), *(("covariate", c) for c in covs)):
        if values[col].nunique() < 2:
            raise UxcxError(f"{role}={col!r} has the same value in every complete row, so nothing can "
                            f"depend on it or be explained; pick a column that varies.")
    xv, mv, yv = (values[c].to_numpy() for c in (x, m, y))
    kinds = {"m": _is_binary(mv), "y": _is_binary(yv)}
    if contrast is None:
        contrast = (0.0, 1.0) if _is_binary(xv) else (xv.mean() - 0.5, xv.mean() + 0.5)
    try:
        t0, t1 = (float(v) for v in contrast)
    except (TypeError, ValueError):
        raise UxcxError(f"contrast must be two values of x, such as (0, 1); got {contrast!r}") from None
    if not t0 != t1:
        raise UxcxError(f"contrast must be two different values of x; got {contrast!r}")
    design = boot.Design(xv, mv, yv, values[covs].to_numpy(), kinds["m"], kinds["y"], (t0, t1))
    return design, kinds


def _point_fits(design, kinds, names):
    x, m, y = names[:3]
    cols = design.cols
    med = fit_path(cols[:, design.med_cols], cols[:, 2], kinds["m"], f"m={m!r}")
    out = fit_path(cols[:, design.out_cols], cols[:, 3], kinds["y"], f"y={y!r}")
    total = fit_path(cols[:, design.med_cols], cols[:, 3], False, f"y={y!r}") if design.linear else None
    return med, out, total


def _rows(design, kinds, med_fit, out_fit, total_fit, estimate, level, bootstrap, ci_name):
    low, high, mc_low, mc_high, sd = bootstrap
    n = design.n
    cov = " + covariates" if design.k_cov else ""
    rows = [{"term": "a", **path_row(med_fit, 1, level, f"m ~ x{cov}", n)},
            {"term": "b", **path_row(out_fit, 2, level, f"y ~ x + m{cov}", n)}]

    def booted(term, j, method):
        return {"term": term, "n": n, "estimate": estimate[j], "std_error": sd[j], "ci_low": low[j],
                "ci_high": high[j], "confidence_level": level, "method": method,
                "mc_error_low": mc_low[j], "mc_error_high": mc_high[j]}

    scale = "probability scale of y" if kinds["y"] else "scale of y"
    potential = f"(Imai, Keele & Tingley 2010), {scale}, x from {design.t0:+.3g} to {design.t1:+.3g} " \
                f"about its mean; {ci_name}"
    if kinds["y"]:
        rows.append(booted("direct", 1, f"average direct effect {potential}"))
    else:
        rows.append({"term": "direct", **path_row(out_fit, 1, level, f"y ~ x + m{cov} (c')", n)})
    if design.linear:
        rows.append({"term": "total", **path_row(total_fit, 1, level, f"y ~ x{cov} (c)", n)})
        indirect = booted("indirect", 0, f"a*b; Sobel test; {ci_name}")
        rows.append({**indirect, **sobel_row(med_fit, out_fit, indirect["method"])})
        total_low, total_high = rows[3]["ci_low"], rows[3]["ci_high"]
    else:
        rows.append(booted("total", 2, f"total effect = ACME + ADE {potential}"))
        rows.append(booted("indirect", 0, f"average causal mediation effect (ACME) {potential}; "
                                          f"no p-value, judge by the interval"))
        total_low, total_high = low[2], high[2]
    prop = booted("proportion_mediated", 3, f"indirect / total; {ci_name}")
    problem = _proportion_problem(estimate[0], estimate[2], total_low, total_high)
    if problem:
        warnings.warn(f"the proportion mediated is not meaningful here: {problem}; report the "
                      f"indirect and total effects instead", UxcxWarning, stacklevel=4)
        prop["method"] += f" (not meaningful: {problem})"
    rows.append(prop)
    return rows


def _proportion_problem(indirect, total, total_low, total_high) -> str:
    if not np.isfinite(total) or total == 0:
        return "the total effect is zero"
    if total_low <= 0 <= total_high:
        return "the total effect's interval includes zero, so the ratio can take any size"
    if np.sign(indirect) != np.sign(total):
        return "the indirect and total effects have opposite signs (inconsistent mediation)"
    return ""
