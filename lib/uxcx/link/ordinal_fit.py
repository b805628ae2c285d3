"""The proportional-odds model fitted to its optimum: the analytic score and Hessian of the
cumulative-logit likelihood for statsmodels' ``OrderedModel``, then Newton's method.

statsmodels differentiates ``OrderedModel`` numerically, so BFGS stops where the numerical
gradient is small, in the 5th digit of the coefficients, and its standard errors come from a
finite-difference Hessian. With the exact derivatives below, a few Newton steps after BFGS
reach the maximum to machine precision, and the covariance is the inverse of the exact
observed information, as a converged ``MASS::polr`` reports it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.tools.sm_exceptions import ConvergenceWarning

__all__ = ["ExactOrderedModel", "fit_ordinal"]

_NEWTON_TOL = 1e-11
_TINY = np.finfo(float).tiny


class ExactOrderedModel(OrderedModel):
    """``OrderedModel`` with a logit link and exact derivatives of its log likelihood.

    The model (McCullagh 1980): ``P(Y <= j | x) = F(theta_j - x'b)``, F the logistic
    distribution. For a person in category k let ``u = theta_k - x'b`` and
    ``l = theta_{k-1} - x'b`` (``theta_{-1} = -inf``, ``theta_{K-1} = +inf``); the
    contribution is ``log P``, ``P = F(u) - F(l)``, with

    * ``d/du = f(u) / P``, ``d/dl = -f(l) / P``;
    * ``d2/du2 = f'(u) / P - (d/du)^2``, ``d2/dl2 = -f'(l) / P - (d/dl)^2``,
      ``d2/du dl = f(u) f(l) / P^2``;

    with ``f = F (1 - F)`` and ``f' = f (1 - 2F)`` (Agresti 2010, sec. 3.4; McCullagh 1980,
    appendix). ``u`` and ``l`` are linear in ``(b, theta)``, so the score and Hessian in
    ``(b, theta)`` are weighted sums over people; the chain rule maps them onto statsmodels'
    parameters ``(b, theta_1, log(theta_2 - theta_1), ...)``.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *Journal of the Royal
    Statistical Society, Series B*, 42(2), 109-142.

    Agresti, A. (2010). *Analysis of Ordinal Categorical Data* (2nd ed.). Wiley.
    """

    def __init__(self, endog, exog, **kwds):
        super().__init__(endog, exog, distr="logit", **kwds)

    def _bounds_and_prob(self, params):
        beta = params[:self.k_vars]
        cuts = self.transform_threshold_params(params)  # -inf, theta_1 .. theta_{K-1}, +inf
        eta = self.exog @ beta if self.k_vars else np.zeros(self.nobs)
        code = np.asarray(self.endog, dtype=int)
        upp, low = cuts[code + 1] - eta, cuts[code] - eta
        # F(u) - F(l) without cancellation in the upper tail: there 1 - F(l) - (1 - F(u))
        prob = np.where(low > 0, special.expit(-low) - special.expit(-upp),
                        special.expit(upp) - special.expit(low))
        # never exactly 0, so that a far-out trial step of BFGS gives a finite, very low likelihood
        return upp, low, np.maximum(prob, _TINY), code

    def loglikeobs(self, params):
        """Exact log likelihood of each person (statsmodels adds 1e-20 to P, which biases tiny P)."""
        return np.log(self._bounds_and_prob(np.asarray(params, dtype=float))[2])

    def _derivatives(self, params):
        """Score and Hessian in (b, theta) and the Jacobian of theta in statsmodels' parameters."""
        params = np.asarray(params, dtype=float)
        upp, low, prob, code = self._bounds_and_prob(params)
        f_u = special.expit(upp) * special.expit(-upp)
        f_l = special.expit(low) * special.expit(-low)
        with np.errstate(invalid="ignore"):
            df_u, df_l = -f_u * np.tanh(upp / 2), -f_l * np.tanh(low / 2)  # f' = f (1 - 2F)
        g_u, g_l = f_u / prob, -f_l / prob
        h_uu, h_ll, h_ul = df_u / prob - g_u**2, -df_l / prob - g_l**2, -g_u * g_l
        k, m = self.k_vars, self.k_levels - 1
        du = np.zeros((self.nobs, k + m))  # d u / d (b, theta); rows of +inf bounds stay zero
        dl = np.zeros((self.nobs, k + m))
        du[:, :k] = dl[:, :k] = -self.exog
        rows = np.arange(self.nobs)
        du[rows[code < m], k + code[code < m]] = 1.0
        dl[rows[code > 0], k + code[code > 0] - 1] = 1.0
        score = du.T @ g_u + dl.T @ g_l
        hess = (du.T @ (du * h_uu[:, None]) + dl.T @ (dl * h_ll[:, None])
                + du.T @ (dl * h_ul[:, None]) + dl.T @ (du * h_ul[:, None]))
        increments = np.exp(params[k + 1:])
        jac = np.eye(k + m)
        # theta_j = theta_1 + sum of the increments up to j: row j holds 1, then increments 1..j
        jac[k:, k:] = np.tril(np.broadcast_to(np.r_[1.0, increments], (m, m)))
        return score, hess, jac, increments

    def score(self, params):
        """Exact gradient of the log likelihood in statsmodels' parameters."""
        score, _, jac, _ = self._derivatives(params)
        return jac.T @ score

    def hessian(self, params):
        """Exact Hessian of the log likelihood in statsmodels' parameters."""
        score, hess, jac, increments = self._derivatives(params)
        k = self.k_vars
        out = jac.T @ hess @ jac
        # second derivative of theta_j in log(increment_i) is increment_i for every j >= i
        tail = np.cumsum(score[k:][::-1])[::-1]
        out[k + 1:, k + 1:] += np.diag(increments * tail[1:])
        return out


def fit_ordinal(y: pd.Series, X: pd.DataFrame):
    """The converged proportional-odds fit: BFGS on the exact score, then Newton's method.

    Returns statsmodels' ``OrderedResultsWrapper``. Newton's steps stop when no parameter
    moves by more than 1e-11; the covariance is the inverse of the exact negative Hessian.
    If Newton's method fails (a non-finite step or a lower likelihood) the BFGS fit is kept
    and its ``mle_retvals["converged"]`` says whether it converged.
    """
    model = ExactOrderedModel(y, X)
    with warnings.catch_warnings():  # BFGS only brings Newton's method close; its verdict is not final
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        first = model.fit(method="bfgs", disp=0, maxiter=2000, gtol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            polished = model.fit(start_params=np.asarray(first.params), method="newton", disp=0,
                                 maxiter=100, tol=_NEWTON_TOL)
        except (np.linalg.LinAlgError, ValueError):
            return first
    good = (np.isfinite(polished.params).all() and polished.mle_retvals.get("converged", False)
            and polished.llf >= first.llf - 1e-9)
    return polished if good else first
