"""One-dimensional root finding as R's ``uniroot`` does it, so that estimates solved by a root match R.

R's exact-test estimates (the conditional odds ratio of ``fisher.test`` and its interval)
are roots found by ``uniroot`` at its default tolerance, ``.Machine$double.eps^0.25``
(about 1.2e-4 on the scale searched). A tighter root would differ from R in the fifth
or sixth digit, so :func:`brent_root` follows the same algorithm with the same default
tolerance and stopping rule, and gives R's value to the last digits.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = ["R_UNIROOT_TOL", "brent_root"]

EPS = float(np.finfo(float).eps)
#: ``uniroot``'s default ``tol``: ``.Machine$double.eps^0.25``.
R_UNIROOT_TOL = EPS ** 0.25


def brent_root(f: Callable[[float], float], lower: float, upper: float, *, tol: float = R_UNIROOT_TOL,
               f_lower: float | None = None, f_upper: float | None = None, max_iter: int = 1000) -> float:
    """A zero of ``f`` in ``[lower, upper]`` by Brent's method, as R's ``uniroot(f, c(lower, upper))``.

    Brent's (1973) method, in the form of Forsythe, Malcolm & Moler (1977, ch. 7) that R's
    ``zeroin`` uses: keep a bracket ``[b, c]`` with ``|f(b)| <= |f(c)|``, try inverse
    quadratic (or, with two points, linear) interpolation, and bisect when the
    interpolated step leaves the bracket or shrinks too slowly; stop when half the
    bracket is within ``2·eps·|b| + tol/2``.

    Parameters
    ----------
    f : callable
        A scalar function with ``f(lower)`` and ``f(upper)`` of opposite signs (or one zero).
    lower, upper : float
    tol : float
        Absolute tolerance on the root (R's default: ``eps^0.25``).
    f_lower, f_upper : float, optional
        ``f`` at the ends, when already known (R's ``f.lower``, ``f.upper``).
    max_iter : int

    References
    ----------
    Brent, R. P. (1973). *Algorithms for Minimization without Derivatives*, ch. 4. Prentice-Hall.

    Forsythe, G. E., Malcolm, M. A., & Moler, C. B. (1977). *Computer Methods for
    Mathematical Computations*, ch. 7. Prentice-Hall.

    Examples
    --------
    >>> round(brent_root(lambda t: t * t - 2, 0, 2, tol=1e-12), 10)
    1.4142135624
    """
    fa = f(lower) if f_lower is None else f_lower
    fb = f(upper) if f_upper is None else f_upper
    if math.isnan(fa) or math.isnan(fb) or np.sign(fa) * np.sign(fb) > 0:
        raise ValueError(f"f has no sign change on [{lower}, {upper}] (f = {fa}, {fb})")
    a, b = float(lower), float(upper)
    if fa == 0:
        return a
    if fb == 0:
        return b
    c, fc = a, fa
    for _ in range(max_iter + 1):
        previous = b - a
        if abs(fc) < abs(fb):  # b is always the best guess so far
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_now = 2 * EPS * abs(b) + tol / 2
        step = (c - b) / 2
        if abs(step) <= tol_now or fb == 0:
            return b
        if abs(previous) >= tol_now and abs(fa) > abs(fb):
            step = _interpolated(a, b, c, fa, fb, fc, previous, tol_now, step)
        if abs(step) < tol_now:
            step = tol_now if step > 0 else -tol_now
        a, fa = b, fb
        b += step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def _interpolated(a, b, c, fa, fb, fc, previous, tol_now, bisection):
    """The interpolation step when it stays inside the bracket and shrinks it fast enough, else bisection."""
    cb = c - b
    if a == c:  # two points: secant
        t1 = fb / fa
        p, q = cb * t1, 1.0 - t1
    else:  # three points: inverse quadratic interpolation
        q, t1, t2 = fa / fc, fb / fc, fb / fa
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
        q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
    if p > 0:
        q = -q
    else:
        p = -p
    if p < 0.75 * cb * q - abs(tol_now * q) / 2 and p < abs(previous * q / 2):
        return p / q
    return bisection
