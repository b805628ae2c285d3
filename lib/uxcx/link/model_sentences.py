"""Plain sentences for the effects of a fitted model: :func:`effect_sentences` (one per term of a
:func:`uxcx.tidy` frame, with its interval, rounded to what the interval supports)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from uxcx.errors import UxcxError

__all__ = ["effect_sentences"]

_INTERCEPTS = {"intercept", "const", "Intercept", "(Intercept)"}


def _decimals(width: float, minimum: int) -> int:
    """Decimals whose rounding step is at most a quarter of the interval's width (0-4)."""
    if not np.isfinite(width) or width <= 0:
        return max(minimum, 2)
    return int(min(4, max(minimum, np.ceil(-np.log10(width / 4)))))


def _num(x: float, d: int) -> str:
    if d < 0:  # significant figures, for ratios far below 1
        return f"{x:.2g}"
    return f"{x:.{d}f}".replace("-", "\u2212")


def _digits(values, d: int, null: float) -> int:
    """More decimals while a bound that excludes the null would print as the null."""
    low, high = values
    while d < 4 and (low > null or high < null) and null in (round(low, d), round(high, d)):
        d += 1
    return d


def _lookup(value, term, default):
    return value.get(term, default) if isinstance(value, dict) else (default if value is None else value)


def effect_sentences(tidy_frame: pd.DataFrame, *, outcome_label: str, per=None, labels=None,
                     unit="point", outcome_unit: str = "points") -> list[str]:
    """A plain sentence per effect of a :func:`tidy` frame, with its interval.

    Parameters
    ----------
    tidy_frame : DataFrame
        From :func:`tidy` (intercepts and ordinal cut points are skipped).
    outcome_label : str
        What the outcome is called in words: "likelihood to recommend" (linear),
        "being a promoter" (logistic: "the odds of being a promoter"), "NPS
        category" (ordinal: "the odds of a higher NPS category").
    per : float or dict, optional
        The step of a numeric predictor the sentence speaks of (default 1), e.g.
        ``per=10`` for "each 10-point rise in SUS", or ``{"sus": 10}`` per term.
    labels : dict, optional
        Words for terms, e.g. ``{"sus": "SUS"}``; default the term itself.
    unit : str or dict
        The unit of a predictor step ("point"; per term as a dict).
    outcome_unit : str
        The unit of a linear outcome ("points").

    Returns
    -------
    list of str
        One sentence per term. A linear effect: "Each 10-point rise in SUS goes with
        0.9 more points of likelihood to recommend (95% CI 0.6 to 1.2)." A ratio:
        "... goes with 1.8 times the odds of being a promoter (95% CI 1.4 to 2.3)."
        A dummy "device: Mobile vs Desktop" reads "Mobile rather than Desktop
        (device) goes with ...". When the interval includes no effect (0, or a ratio
        of 1) the sentence says so.

    Notes
    -----
    A step of ``per`` multiplies a linear coefficient and its interval by ``per``
    and raises a ratio and its interval to the power ``per`` (exp(per b)). Numbers
    are rounded so that the rounding step is at most a quarter of the interval's
    width (at least one decimal for ratios; two significant figures for ratios
    below 0.1), with a decimal more where a bound would otherwise
    print as the null. The sentences describe association, not cause.

    Examples
    --------
    >>> t = pd.DataFrame({"term": ["sus"], "estimate": [0.09], "ci_low": [0.06], "ci_high": [0.12],
    ...                   "confidence_level": [0.95], "method": ["OLS, HC3 errors"]})
    >>> effect_sentences(t, outcome_label="likelihood to recommend", per=10, labels={"sus": "SUS"})
    ['Each 10-point rise in SUS goes with 0.9 more points of likelihood to recommend (95% CI 0.6 to 1.2).']
    """
    missing = [c for c in ("term", "estimate", "ci_low", "ci_high", "method") if c not in tidy_frame]
    if missing:
        raise UxcxError(f"effect_sentences needs a frame from uxcx.tidy(); this one lacks {missing}")
    out = []
    for _, row in tidy_frame.iterrows():  # one row per model term: a handful
        term, method = str(row["term"]), str(row["method"])
        if term in _INTERCEPTS or "threshold" in method:
            continue
        level = row["confidence_level"] if "confidence_level" in row and pd.notna(
            row["confidence_level"]) else 0.95
        ratio = method.split(", ")[-1].replace(" ratio", "") if method.endswith(" ratio") else None
        if ": " in term and " vs " in term:
            variable, rest = term.split(": ", 1)
            level_name, reference = rest.rsplit(" vs ", 1)
            named = _lookup(labels, variable, variable) if isinstance(labels, dict) else variable
            step, lead = 1.0, f"{level_name} rather than {reference} ({named})"
        else:
            step = float(_lookup(per, term, 1))
            if not step > 0:
                raise UxcxError(f"per must be a positive step; got {step!r} for {term!r}")
            name = _lookup(labels, term, term) if isinstance(labels, dict) else term
            lead = f"Each {step:g}-{_lookup(unit, term, 'point')} rise in {name}"
        est, low, high = (float(row[c]) for c in ("estimate", "ci_low", "ci_high"))
        ci_text = f"{level:.0%} CI"
        if ratio is None:
            est, low, high = est * step, low * step, high * step
            d = _digits((low, high), _decimals(high - low, 0), 0.0)
            more = "more" if est >= 0 else "fewer"
            body = f"{_num(abs(est), d)} {more} {outcome_unit} of {outcome_label}"
            null = low <= 0 <= high
        else:
            est, low, high = est ** step, low ** step, high ** step
            d = _digits((low, high), _decimals(high - low, 1), 1.0) if min(est, low) >= 0.1 else -1
            what = f"a higher {outcome_label}" if "ordinal" in method else outcome_label
            body = f"{_num(est, d)} times the {ratio} of {what}"
            null = low <= 1 <= high
        interval = f"{_num(low, d)} to {_num(high, d)}"
        lead = lead[0].upper() + lead[1:]
        if null:
            out.append(f"{lead} goes with {body}, but the {ci_text}, {interval}, includes no effect.")
        else:
            out.append(f"{lead} goes with {body} ({ci_text} {interval}).")
    return out

