"""The Single Usability Metric (Sauro & Kindlund 2005) with a participant bootstrap."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import special

from uxcx._core.bootstrap import generator, resample_cells
from uxcx._core.checks import numeric, require
from uxcx._core.compare import ComparisonError, check_level
from uxcx._core.results import result_frame
from uxcx.errors import UxcxWarning
from uxcx.ux.completion import SUCCESS_EXPECTED, SUCCESS_VALUES, partial_credit

__all__ = ["sum_score"]

ALL_TASKS = "All tasks"
_COMPONENTS = ("completion", "time", "errors", "satisfaction")


def _per_task(spec, name: str, tasks, frame: pd.DataFrame, task_col: str) -> pd.Series | None:
    """A per-row Series from a dict (task -> value), a number, or a column name."""
    if spec is None:
        return None
    if isinstance(spec, str):
        require(frame, {name: spec})
        return numeric(frame, spec, name)
    if isinstance(spec, dict):
        missing = [str(t) for t in tasks if t not in spec]
        if missing:
            raise ComparisonError(f"{name} has no value for task(s) {missing}; give one per task.")
        return frame[task_col].map(spec).astype(float)
    if isinstance(spec, (int, float)) and spec > 0:
        return pd.Series(float(spec), index=frame.index)
    raise ComparisonError(f"{name} must be a dict of task -> value, a column name or a positive number; "
                          f"got {spec!r}.")


def _weighted(w: np.ndarray, x: np.ndarray, m: np.ndarray):
    """Weighted count, mean and SD (ddof=1) over participants: w is (B, P), x and m are (P, T)."""
    cnt = w @ m
    s1, s2 = w @ x, w @ (x * x)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / cnt
        sd = np.sqrt(np.maximum(s2 - s1 * s1 / cnt, 0) / (cnt - 1))
    return cnt, mean, sd


def _components(w, arrays, log_spec, sat_spec):
    """Each component's percentage per task: dict of (B, T) arrays."""
    out = {}
    s, ms = arrays["completion"]
    cnt, mean, _ = _weighted(w, s, ms)
    out["completion"] = mean
    if "time" in arrays:
        lt, mt = arrays["time"]
        _, mean, sd = _weighted(w, lt, mt)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["time"] = special.ndtr((log_spec - mean) / sd)
    if "errors" in arrays:
        (e, me), (o, _) = arrays["errors"], arrays["opportunities"]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["errors"] = np.clip(1 - (w @ e) / (w @ o), 0, 1)
        out["errors"][(w @ me) == 0] = np.nan
    if "satisfaction" in arrays:
        q, mq = arrays["satisfaction"]
        _, mean, sd = _weighted(w, q, mq)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["satisfaction"] = special.ndtr((mean - sat_spec) / sd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out["SUM"] = np.nanmean(np.stack(list(out.values())), axis=0)
    return out


def sum_score(data: pd.DataFrame, *, by="task", subject: str = "participant", success: str = "success",
              time: str | None = "time_s", errors: str | None = "errors", satisfaction: str | None = "seq",
              time_spec=None, error_opportunities=None, satisfaction_spec: float = 5.5, partial: float = 0.5,
              seed: int | None = 0, n_boot: int = 2000, confidence_level: float = 0.95) -> pd.DataFrame:
    """Single Usability Metric: completion, time, errors and satisfaction in one score.

    Parameters
    ----------
    data : DataFrame
        Long-form usability data: one row per participant and task.
    by : str or list of str
        The task column, or segment columns followed by the task column
        (``["design", "task"]`` gives a SUM per design and task).
    subject : str
        Participant id: the unit the bootstrap resamples.
    success, time, errors, satisfaction : str or None
        Columns of the four components; None leaves a component out (a 3-metric SUM).
    time_spec : dict, str, float or None
        Specification time in seconds: dict task -> seconds, a column, or one number
        for every task. Default rule: the geometric mean time of the successful
        attempts on the task, all segments pooled (so every design meets the same
        spec). A specification set by the product team is better.
    error_opportunities : dict, str, float or None
        Opportunities for an error per attempt: dict task -> count, a column, or one
        number. Default rule: the ``optimal_clicks`` column when present (each step
        of the optimal path is one opportunity); otherwise errors are left out with a
        :class:`UxcxWarning`.
    satisfaction_spec : float
        The rating a satisfied participant gives: 5.5 on the 7-point SEQ
        (three quarters of the way up the scale).
    partial : float
        Credit of a partial success (0.5 in the data).
    seed : int or None
        Seed of ``numpy.random.default_rng``; None is not reproducible.
    n_boot : int
        Bootstrap resamples.
    confidence_level : float

    Returns
    -------
    DataFrame
        Result schema with the ``by`` columns first; the task column holds
        "All tasks" for the overall rows. One row per segment, task and ``term``
        (each of "completion", "time", "errors", "satisfaction" used, and "SUM"):
        ``n`` (participants), ``estimate`` (a proportion, 0-1), ``std_error`` (SD of
        the bootstrap estimates), ``ci_low``/``ci_high`` (percentile bootstrap),
        ``confidence_level``, ``method``; test columns NaN.

    Notes
    -----
    Each metric becomes the percentage of the way to its specification, following
    Sauro & Kindlund (2005), then the four are averaged with equal weight:

    - completion: the completion rate (partial successes earn ``partial``);
    - time: Phi((ln spec - mean ln t) / SD ln t), the share of attempts expected
      within the spec when log times are normal (all attempts of the task);
    - errors: 1 - (total errors / total opportunities), the error-free share of
      opportunities (defects per opportunity, as in Six Sigma);
    - satisfaction: Phi((mean rating - spec) / SD of the ratings), the share of
      participants expected to rate above the spec.

    The task's SUM is the mean of its components; "All tasks" averages the tasks
    with equal weight. The interval is a percentile bootstrap that resamples
    participants (within each segment, with all their tasks, so the correlation of
    a participant's tasks is kept). It is vectorised: resamples are drawn as
    multinomial counts per participant and every statistic is a weighted sum, so
    no Python loop runs over resamples. The specifications are held fixed.
    Use SUM to summarise and to compare designs or releases on one scale, not to
    replace the component metrics.

    References
    ----------
    Sauro, J., & Kindlund, E. (2005). A method to standardize usability metrics into
    a single score. In *Proceedings of CHI 2005* (pp. 401-409). ACM.

    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.),
    chapter 9. Morgan Kaufmann.

    Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Examples
    --------
    >>> d = pd.DataFrame({"participant": [1, 2, 3, 4] * 2, "task": ["A"] * 4 + ["B"] * 4,
    ...                   "success": [1, 1, 0, 1, 1, 1, 1, 0], "time_s": [30, 40, 55, 35, 60, 70, 65, 90],
    ...                   "errors": [0, 1, 2, 0, 0, 0, 1, 3], "seq": [6, 6, 3, 7, 5, 6, 6, 2]})
    >>> r = sum_score(d, time_spec={"A": 45, "B": 75}, error_opportunities=5, n_boot=200)
    >>> r.loc[r.term == "SUM", ["task", "estimate"]].round(3).values.tolist()
    [['A', 0.703], ['B', 0.634], ['All tasks', 0.668]]
    """
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ComparisonError("by must name the task column.")
    *segments, task_col = by
    level = check_level(confidence_level)
    if not (isinstance(n_boot, int) and n_boot >= 10):
        raise ComparisonError(f"n_boot must be a whole number >= 10; got {n_boot!r}.")
    require(data, {"by": task_col, "subject": subject, "success": success, "time": time,
                   "errors": errors, "satisfaction": satisfaction,
                   **{f"by[{i}]": s for i, s in enumerate(segments)}})
    frame = data.dropna(subset=[subject, *by]).copy()
    tasks = sorted(pd.unique(frame[task_col]), key=str)
    values = {"completion": partial_credit(numeric(frame, success, "success", expected=SUCCESS_EXPECTED,
                                                   allowed=SUCCESS_VALUES), partial, error=ComparisonError)}
    methods = {"completion": f"completion rate (partial success = {partial:g})"}
    log_spec = None
    if time is not None:
        t = numeric(frame, time, "time", expected="a time in seconds > 0", minimum=0, strict=True)
        values["time"] = np.log(t)
        spec = _per_task(time_spec, "time_spec", tasks, frame, task_col)
        if spec is None:
            ok = values["completion"] == 1
            spec_t = np.exp(values["time"][ok].groupby(frame.loc[ok, task_col]).mean())
            rule = "spec = geometric mean time of successful attempts (default rule)"
        else:
            spec_t = spec.groupby(frame[task_col]).mean()
            rule = "spec as given"
        spec_t = spec_t.reindex(tasks)
        log_spec = np.log(spec_t.to_numpy(dtype=float))
        methods["time"] = (f"time: Phi((ln spec - mean ln t)/SD ln t); {rule}: "
                           + ", ".join(f"{k} {v:.1f} s" for k, v in spec_t.items()))
    if errors is not None:
        opp_spec = error_opportunities
        if opp_spec is None and "optimal_clicks" in frame.columns:
            opp_spec, rule = "optimal_clicks", "opportunities = optimal clicks (default rule)"
        else:
            rule = "opportunities as given"
        opp = _per_task(opp_spec, "error_opportunities", tasks, frame, task_col)
        if opp is None:
            warnings.warn("error_opportunities not given and no 'optimal_clicks' column: errors are left "
                          "out of SUM.", UxcxWarning, stacklevel=2)
        else:
            values["errors"] = numeric(frame, errors, "errors")
            values["opportunities"] = opp.where(values["errors"].notna())
            methods["errors"] = f"errors: 1 - errors/opportunities; {rule}"
    if satisfaction is not None:
        values["satisfaction"] = numeric(frame, satisfaction, "satisfaction")
        methods["satisfaction"] = f"satisfaction: Phi((mean - {satisfaction_spec:g})/SD)"
    boot = f"; percentile bootstrap over {subject}s ({n_boot} resamples, seed {seed})"
    methods["SUM"] = "SUM: mean of " + ", ".join(k for k in _COMPONENTS if k in methods)
    rng = generator(seed)
    alpha = (1 - level) / 2
    records = []
    groups = frame.groupby(segments, sort=True, observed=True) if segments else [((), frame)]
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        arrays = {}
        for name, series in values.items():
            wide = series.loc[part.index].groupby([part[subject], part[task_col]]).mean().unstack(task_col)
            wide = wide.reindex(columns=tasks)
            x = wide.to_numpy(dtype=float)
            arrays[name] = (np.nan_to_num(x), (~np.isnan(x)).astype(float))
        if "errors" in arrays:
            arrays["errors"] = (arrays["errors"][0], arrays["errors"][1] * arrays["opportunities"][1])
        n_p = len(wide)
        # each participant is one cell of count 1: a multinomial draw over the participants
        weights = np.vstack([np.ones(n_p), resample_cells(np.ones(n_p), n_boot, rng)])
        comps = _components(weights, arrays, log_spec, satisfaction_spec)
        seen = arrays["completion"][1]
        n_task = np.concatenate([seen.sum(axis=0), [float((seen.sum(axis=1) > 0).sum())]])
        summary = {}
        for name, est in comps.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                est = np.column_stack([est, np.nanmean(est, axis=1)])
                lo, hi = np.nanquantile(est[1:], [alpha, 1 - alpha], axis=0)
                summary[name] = (est[0], np.nanstd(est[1:], axis=0, ddof=1), lo, hi)
        for j, label in enumerate([*tasks, ALL_TASKS]):
            for name, (est, se, lo, hi) in summary.items():
                records.append({**dict(zip(by, (*key, label))), "term": name, "n": int(n_task[j]),
                                "estimate": est[j], "std_error": se[j], "ci_low": lo[j], "ci_high": hi[j],
                                "confidence_level": level, "method": methods[name] + boot})
    return result_frame(records, groups=by)
