"""Tests of uxcx._core.mcnemar: exact conditional and mid-p McNemar tests in log space.

R 4.2.2 (``Rscript``) figures beside their calls; exact2x2 is not packaged for Debian, and its
``mcnemar.exact`` is ``binom.test(b, b + c)`` on the discordant pairs, which is what is pinned.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar

from uxcx._core.mcnemar import mcnemar_p


def test_exact_and_mid_p_fagerland_bentur_example():
    # Fagerland, Lydersen & Laake (2013) on Bentur et al. (2009), table rbind(c(1, 1), c(7, 12)):
    # the exact conditional p and the mid-p they give for it, 0.0703 and 0.0391
    # R: binom.test(1, 8)$p.value -> 0.0703125; 2*pbinom(1, 8, .5) - dbinom(1, 8, .5) -> 0.0390625
    assert mcnemar_p(1, 7, test="exact")[0] == pytest.approx(0.0703125, abs=1e-15)
    assert mcnemar_p(1, 7, test="mid-p")[0] == pytest.approx(0.0390625, abs=1e-15)
    assert mcnemar_p(1, 7, test="exact")[0] == pytest.approx(mcnemar([[1, 1], [7, 12]], exact=True).pvalue)


def test_exact_one_sided_against_r():
    # R: binom.test(6, 8, alternative="greater")$p.value -> 0.14453125
    # R: binom.test(1, 8, alternative="less")$p.value -> 0.03515625
    assert mcnemar_p(6, 2, "greater", "exact")[0] == pytest.approx(0.14453125, abs=1e-15)
    assert mcnemar_p(1, 7, "less", "exact")[0] == pytest.approx(0.03515625, abs=1e-15)
    assert mcnemar_p(4, 4, "two-sided", "exact")[0] == 1.0  # R: binom.test(4, 8) -> 1


def test_p_below_the_double_range_is_positive_with_its_log10():
    # R: (log(2) + pbinom(100, 5100, 0.5, log.p=TRUE)) / log(10) -> -1322.58045306
    for test in ("exact", "mid-p"):
        p, log10 = mcnemar_p(100, 5000, test=test)
        assert p > 0 and math.isfinite(log10)
    assert mcnemar_p(100, 5000, test="exact")[1] == pytest.approx(-1322.58045306, abs=1e-7)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 300), st.integers(0, 300), st.sampled_from(["two-sided", "greater", "less"]),
       st.sampled_from(["exact", "mid-p"]))
def test_log10_p_is_log10_of_the_ordinary_p(b, c, alternative, test):
    p, log10 = mcnemar_p(b, c, alternative, test)
    m = b + c
    if m == 0:
        assert (p, log10) == (1.0, 0.0)
        return
    half = 0.5 if test == "mid-p" else 1.0
    if alternative == "greater":
        ordinary = stats.binom.sf(b, m, 0.5) + half * stats.binom.pmf(b, m, 0.5)
    elif alternative == "less":
        ordinary = stats.binom.cdf(b - 1, m, 0.5) + half * stats.binom.pmf(b, m, 0.5)
    else:
        k = min(b, c)
        ordinary = min(1.0, 2 * (stats.binom.cdf(k - 1, m, 0.5) + half * stats.binom.pmf(k, m, 0.5)))
    assert p == pytest.approx(ordinary, rel=1e-9, abs=1e-300)
    if ordinary > 1e-290:
        assert log10 == pytest.approx(math.log10(ordinary), rel=1e-9, abs=1e-12)


def test_log10_p_falls_as_the_discordance_grows():
    logs = [mcnemar_p(10, c, test="exact")[1] for c in (10, 20, 100, 1000, 10000)]
    assert logs[0] == 0.0 and all(np.diff(logs) < 0)
    assert mcnemar_p(10, 20, test="mid-p")[0] < mcnemar_p(10, 20, test="exact")[0]
