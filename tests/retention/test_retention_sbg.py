"""Tests of uxcx.retention.sbg against Fader & Hardie (2007) and independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special

from uxcx.errors import UxcxError
from uxcx.retention.sbg import sbg_derl, sbg_fit, sbg_project

# Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1), table 1:
# percent of the cohort alive at the start of years 1-8 (1,000 customers each).
REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1]
HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1]


def test_regular_cohort_against_paper():
    fit = sbg_fit(REGULAR, n=1000).set_index("term")
    # Fader & Hardie 2007, p. 82: alpha = 0.704, beta = 1.182 (regular cohort, 7 years of data)
    assert fit.loc["alpha", "estimate"] == pytest.approx(0.704, abs=5e-4)
    assert fit.loc["beta", "estimate"] == pytest.approx(1.182, abs=5e-4)
    assert fit.loc["alpha", "ci_low"] < 0.704 < fit.loc["alpha", "ci_high"]
    assert fit.attrs["periods"] == 7


def test_high_end_cohort_against_paper():
    fit = sbg_fit(HIGH_END, n=1000).set_index("term")
    # Fader & Hardie 2007, p. 82: alpha = 0.668, beta = 3.806 (high end cohort)
    assert fit.loc["alpha", "estimate"] == pytest.approx(0.668, abs=5e-4)
    assert fit.loc["beta", "estimate"] == pytest.approx(3.806, abs=5e-4)


def test_mle_against_independent_optimiser():
    # Nelder-Mead on (alpha, beta) directly, with the likelihood written from the recursion
    # P(1) = a/(a+b), P(t) = (b+t-2)/(a+b+t-1) P(t-1) (Fader & Hardie 2007, eq. 7).
    counts = np.array(REGULAR) * 10
    lost = -np.diff(counts)

    def nll(p):
        a, b = p
        if a <= 0 or b <= 0:
            return np.inf
        probs = [a / (a + b)]
        for t in range(2, 8):
            probs.append(probs[-1] * (b + t - 2) / (a + b + t - 1))
        return -(lost @ np.log(probs) + counts[-1] * np.log(1 - sum(probs)))

    ref = optimize.minimize(nll, [1, 1], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}).x
    fit = sbg_fit(REGULAR, n=1000)
    assert fit["estimate"].to_numpy() == pytest.approx(ref, abs=1e-5)
    assert fit["log_lik"].iloc[0] == pytest.approx(-nll(ref), abs=1e-8)


def test_percent_and_counts_give_same_estimates_and_n_scales_errors():
    a = sbg_fit(REGULAR, n=1000)
    b = sbg_fit([10 * v for v in REGULAR])
    c = sbg_fit(REGULAR, n=4000)
    assert a["estimate"].to_numpy() == pytest.approx(b["estimate"].to_numpy(), abs=1e-6)
    assert a["std_error"].to_numpy() == pytest.approx(b["std_error"].to_numpy(), rel=1e-4)
    assert c["std_error"].to_numpy() == pytest.approx(a["std_error"].to_numpy() / 2, rel=1e-3)


def test_projection_matches_fitted_and_recursion():
    fit = sbg_fit(REGULAR, n=1000)
    p = sbg_project(fit, 12)
    a, b = fit["estimate"]
    surv = np.cumprod((b + np.arange(12)) / (a + b + np.arange(12)))  # S(t) = prod r(i), eq. 5
    assert p["survival"].to_numpy() == pytest.approx(surv, rel=1e-10)
    assert p["retention"].to_numpy() == pytest.approx(surv / np.concatenate([[1], surv[:-1]]), rel=1e-10)
    # The model fits the 7 observed years within 1.2 percentage points (Fader & Hardie 2007, fig. 3).
    assert np.abs(p["survival"].to_numpy()[:7] * 100 - REGULAR[1:]).max() < 1.2
    assert (p["survival_low"] < p["survival"]).all() and (p["survival"] < p["survival_high"]).all()
    assert p["fitted"].sum() == 7


@settings(max_examples=30, deadline=None)
@given(st.floats(0.2, 5), st.floats(0.2, 5), st.floats(0.02, 0.5), st.integers(0, 5))
def test_derl_equals_discounted_series(a, b, d, renewals):
    fit = pd.DataFrame({"term": ["alpha", "beta"], "estimate": [a, b]})
    n = renewals + 1
    t = np.arange(n, n + 5000)
    s = np.exp(special.betaln(a, b + t) - special.betaln(a, b + n - 1))  # S(t) / S(n-1)
    series = np.sum(s * np.exp(-(t - n) * np.log1p(d)))  # F&H 2010, eq. 4 written as a sum
    assert sbg_derl(fit, discount=d, renewals=renewals) == pytest.approx(series, rel=1e-6)


def test_bad_input():
    with pytest.raises(UxcxError, match="not increase"):
        sbg_fit([100, 60, 70, 50])
    with pytest.raises(UxcxError, match="at least 3"):
        sbg_fit([100, 60])
    with pytest.raises(UxcxError, match="some customers lost"):
        sbg_fit([100, 100, 100])
    with pytest.raises(UxcxError, match="discount"):
        sbg_derl(sbg_fit(REGULAR, n=1000), discount=0)
