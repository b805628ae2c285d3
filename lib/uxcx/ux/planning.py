"""Planning a usability study: how many participants (Sauro & Lewis 2016, ch. 7)."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from uxcx._core.compare import ALTERNATIVES, ComparisonError, check_choice, check_level

__all__ = ["sample_size_margin", "sample_size_two_proportions", "sample_size_discovery", "discovery"]


def _proportion(name: str, value, *, open_: bool = True) -> float:
    ok = isinstance(value, (int, float)) and (0 < value < 1 if open_ else 0 <= value <= 1)
    if not ok:
        raise ComparisonError(f"{name} must be a proportion strictly between 0 and 1; got {value!r}.")
    return float(value)


def sample_size_margin(p: float = 0.5, margin: float = 0.10, confidence_level: float = 0.95,
                       method: str = "adjusted-wald") -> int:
    """Participants needed for a completion rate with a given margin of error.

    Parameters
    ----------
    p : float
        Expected completion rate; 0.5 is the worst case (largest n).
    margin : float
        Half-width of the interval wanted, as a proportion (0.10 = +/- 10 points).
    confidence_level : float
    method : {"adjusted-wald", "wald"}
        The interval the study will report.

    Returns
    -------
    int
        n, rounded up.

    Notes
    -----
    The Wald interval p +/- z sqrt(p(1 - p)/n) gives n = z^2 p(1 - p)/d^2. The
    adjusted-Wald interval (Agresti & Coull 1998), which Sauro & Lewis recommend for
    completion rates, is computed on n + z^2 trials, so the same margin needs
    z^2 fewer participants: n = z^2 p(1 - p)/d^2 - z^2 (Sauro & Lewis 2016, ch. 7),
    with p the expected adjusted proportion.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    chapter 7. Morgan Kaufmann.

    Agresti, A., & Coull, B. A. (1998). Approximate is better than "exact" for interval
    estimation of binomial proportions. *The American Statistician*, 52(2), 119-126.

    Examples
    --------
    >>> sample_size_margin(0.5, 0.10), sample_size_margin(0.5, 0.10, method="wald")
    (93, 97)
    """
    p = _proportion("p", p)
    margin = _proportion("margin", margin)
    z = stats.norm.ppf(0.5 + check_level(confidence_level) / 2)
    check_choice("method", method, ("adjusted-wald", "wald"))
    n = z * z * p * (1 - p) / margin ** 2
    if method == "adjusted-wald":
        n -= z * z
    return max(1, math.ceil(n - 1e-9))


def sample_size_two_proportions(p1: float, p2: float, power: float = 0.8, alpha: float = 0.05,
                                alternative: str = "two-sided", method: str = "pooled") -> int:
    """Participants per group to detect a difference between two completion rates.

    Parameters
    ----------
    p1, p2 : float
        Expected rates of the two designs (between subjects).
    power : float
        Chance of a significant result if the rates are as expected.
    alpha : float
        Significance level of the test.
    alternative : {"two-sided", "greater", "less"}
        One-sided: "greater" expects p1 > p2, "less" p1 < p2.
    method : {"pooled", "arcsine"}
        "pooled": the normal approximation with the pooled variance under the null
        and the unpooled under the alternative (Fleiss, Levin & Paik 2003, eq. 4.14
        without continuity correction; what R's ``power.prop.test`` solves).
        "arcsine": statsmodels ``NormalIndPower`` on Cohen's h from
        ``proportion_effectsize`` (Cohen 1988).

    Returns
    -------
    int
        n per group, rounded up.

    Notes
    -----
    "pooled": n = (z_a sqrt(2 pbar qbar) + z_b sqrt(p1 q1 + p2 q2))^2 / (p1 - p2)^2,
    pbar = (p1 + p2)/2, z_a = z_(1 - alpha/2) (two-sided) or z_(1 - alpha), z_b = z_power.
    This is the test the N-1 two-proportion test approximates for moderate n;
    "arcsine" gives n = ((z_a + z_b) / h)^2 with h = 2 asin sqrt p1 - 2 asin sqrt p2.
    The two agree within a participant or two for rates between 0.2 and 0.8.

    References
    ----------
    Fleiss, J. L., Levin, B., & Paik, M. C. (2003). *Statistical Methods for Rates and
    Proportions* (3rd ed.). Wiley.

    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.). Erlbaum.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    chapter 7. Morgan Kaufmann.

    Examples
    --------
    >>> sample_size_two_proportions(0.5, 0.75)
    58
    """
    p1, p2 = _proportion("p1", p1), _proportion("p2", p2)
    power, alpha = _proportion("power", power), _proportion("alpha", alpha)
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("method", method, ("pooled", "arcsine"))
    if p1 == p2:
        raise ComparisonError("p1 and p2 are equal: no sample size detects a difference of zero.")
    if (alternative == "greater" and p1 < p2) or (alternative == "less" and p1 > p2):
        sign = ">" if alternative == "greater" else "<"
        raise ComparisonError(f"alternative={alternative!r} expects p1 {sign} p2, "
                              f"but p1 = {p1:g} and p2 = {p2:g}.")
    if method == "arcsine":
        h = abs(proportion_effectsize(p1, p2))
        alt = "two-sided" if alternative == "two-sided" else "larger"
        n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0,
                                         alternative=alt)
        return math.ceil(float(n) - 1e-9)
    za = stats.norm.ppf(1 - alpha / 2 if alternative == "two-sided" else 1 - alpha)
    zb = stats.norm.ppf(power)
    pbar = (p1 + p2) / 2
    spread = za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    n = spread ** 2 / (p1 - p2) ** 2
    return math.ceil(float(n) - 1e-9)


def discovery(p, n):
    """Chance of seeing a problem at least once among n participants: 1 - (1 - p)^n.

    Parameters
    ----------
    p : float or array
        Probability that one participant meets the problem.
    n : int or array
        Participants.

    Returns
    -------
    float or ndarray
        Broadcast over ``p`` and ``n``.

    Notes
    -----
    The binomial model of problem discovery (Lewis 1994; Sauro & Lewis 2016, ch. 7).
    It assumes each participant meets the problem independently with the same p.

    References
    ----------
    Lewis, J. R. (1994). Sample sizes for usability studies: additional considerations.
    *Human Factors*, 36(2), 368-378.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    chapter 7. Morgan Kaufmann.

    Examples
    --------
    >>> round(discovery(0.31, 5), 3)
    0.844
    """
    p_arr, n_arr = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    if np.any((p_arr < 0) | (p_arr > 1)) or np.any(n_arr < 0):
        raise ComparisonError("discovery needs 0 <= p <= 1 and n >= 0.")
    out = 1 - (1 - p_arr) ** n_arr
    return float(out) if out.ndim == 0 else out


def sample_size_discovery(p: float = 0.10, goal: float = 0.90) -> int:
    """Smallest n with 1 - (1 - p)^n >= goal: participants to see a problem at least once.

    Parameters
    ----------
    p : float
        Probability that one participant meets the problem.
    goal : float
        Wanted chance of seeing it at least once.

    Returns
    -------
    int

    Notes
    -----
    n = ceil(ln(1 - goal) / ln(1 - p)) (Sauro & Lewis 2016, ch. 7; Lewis 1994).
    Sauro & Lewis's table of problem-discovery sample sizes gives n = 22 for
    p = 0.10 at 90%.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    chapter 7. Morgan Kaufmann.

    Lewis, J. R. (1994). Sample sizes for usability studies: additional considerations.
    *Human Factors*, 36(2), 368-378.

    Examples
    --------
    >>> sample_size_discovery(0.10, 0.90)
    22
    """
    p, goal = _proportion("p", p), _proportion("goal", goal)
    n = math.ceil(math.log(1 - goal) / math.log(1 - p))
    while n > 1 and discovery(p, n - 1) >= goal - 1e-12:
        n -= 1
    return n
