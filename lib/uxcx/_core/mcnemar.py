"""McNemar's test of matched pairs on the discordant pairs, exact or mid-p, in log space.

With b pairs in which only the first condition succeeded and c in which only the second
did, b ~ Binomial(b + c, 1/2) under the null of equal marginal rates (McNemar 1947). The
exact conditional test sums that binomial's tail (R's ``binom.test(b, b + c)``, which
``exact2x2::mcnemar.exact`` equals); the mid-p counts the observed value's probability
once, not twice (Fagerland, Lydersen & Laake 2013).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from uxcx._core.pvalues import finish_p, log_sum_p

__all__ = ["MCNEMAR_TESTS", "mcnemar_p"]

#: The variants of the test: mid-p (the kit's default) and exact conditional.
MCNEMAR_TESTS = ("mid-p", "exact")


def mcnemar_p(b: int, c: int, alternative: str = "two-sided", test: str = "mid-p") -> tuple[float, float]:
    """``(p_value, log10_p_value)`` of McNemar's test on ``b`` and ``c`` discordant pairs.

    Parameters
    ----------
    b, c : int
        Discordant pairs: only the first condition succeeded (b), only the second (c).
    alternative : {"two-sided", "greater", "less"}
        "greater": the first condition's rate is higher (b tends to exceed c).
    test : {"mid-p", "exact"}
        "exact": the exact conditional binomial test, two-sided p = min(1, 2 P(X <= min(b, c)))
        (R's ``binom.test(b, b + c)``; ``exact2x2::mcnemar.exact``); one-sided P(X >= b) or
        P(X <= b). "mid-p": the same with half the probability of the observed value,
        two-sided 2 P(X <= min(b, c)) - P(X = min(b, c)).

    Returns
    -------
    tuple of float
        The p-value (never 0) and its log10, summed from binomial log-probabilities.

    References
    ----------
    McNemar, Q. (1947). Note on the sampling error of the difference between correlated
    proportions or percentages. *Psychometrika*, 12(2), 153-157.

    Fagerland, M. W., Lydersen, S., & Laake, P. (2013). The McNemar test for binary
    matched-pairs data: mid-p and asymptotic are better than exact conditional. *BMC
    Medical Research Methodology*, 13, 91.

    Examples
    --------
    1 and 7 discordant pairs (Fagerland et al. 2013's example):

    >>> [round(p, 7) for p in (mcnemar_p(1, 7, test="exact")[0], mcnemar_p(1, 7)[0])]
    [0.0703125, 0.0390625]
    """
    b, c = int(b), int(c)
    m = b + c
    if m == 0:
        return 1.0, 0.0
    log_pmf = stats.binom.logpmf(np.arange(m + 1), m, 0.5)
    half = math.log(0.5) if test == "mid-p" else 0.0

    def tail(k: int, upper: bool) -> float:
        """log of P(X < k) + w P(X = k) (or the upper tail), w = 1/2 for mid-p, 1 for exact."""
        strict = log_pmf[k + 1:] if upper else log_pmf[:k]
        return log_sum_p(np.r_[strict, log_pmf[k] + half])

    if alternative == "greater":
        log_p = tail(b, upper=True)
    elif alternative == "less":
        log_p = tail(b, upper=False)
    else:
        log_p = min(0.0, math.log(2.0) + tail(min(b, c), upper=False))
    return finish_p(log_p)
