"""The deterministic synthetic sample study, with planted, documented effects.

:func:`generate` simulates four linked sources of a fictional online shop (a
customer table, a usability benchmark of a checkout redesign, its post-test
questionnaire and a customer survey); :func:`write_sample` writes them, with the
study file and a README that states the generating model, the realised figures
and every deliberately planted problem. The same seed gives byte-identical files.

One latent "experienced usability" ``u ~ N(0, 1)`` per customer is shared by
every source in which the customer appears, so the kit's links (UX -> CX ->
retention) have effects of known size to find. The constants of the model are in
:mod:`uxcx.datasets.sample_model`; the text of the study file and the README is
rendered by :mod:`uxcx.datasets.sample_text`. The product event log of the same customers
(``events/``, Parquet, a few million rows) is drawn by :mod:`uxcx.datasets.sample_events`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from uxcx.datasets.sample_events import simulate_events, write_events
from uxcx.datasets.sample_events_text import events_readme
from uxcx.datasets.sample_model import (  # noqa: F401 (the model's constants, also read from here)
    BASE_HAZARD,
    CES_0,
    CES_SD,
    CES_SLOPE,
    CSAT_0,
    CSAT_SD,
    DAYS_PER_MONTH,
    EASE,
    EASE_SD,
    EASE_SLOPE,
    ERROR_RATE,
    EXTRA_CLICKS,
    FAIL_CLICKS,
    FAIL_ERRORS,
    GOAL_0,
    GOAL_SLOPE,
    HR_PER_SD_LOWER,
    ITEM_SD,
    LOYAL_0,
    LOYAL_SD,
    MED_A,
    MED_B,
    MED_C,
    MOBILE_LOGIT,
    MOBILE_TIME,
    N_CUSTOMERS,
    N_PARTICIPANTS,
    N_RESPONDENTS,
    N_UNMATCHED,
    NPS_0,
    NPS_SD,
    NPS_SLOPE,
    OPTIMAL_CLICKS,
    P_ABANDON,
    P_COMMENT,
    P_MOBILE,
    P_PARTIAL,
    PLAN_HR,
    PLAN_REVENUE,
    PLAN_SHARE,
    PLANS,
    REDESIGN_CLICKS,
    REDESIGN_ERRORS,
    REDESIGN_LOGIT,
    REDESIGN_TIME,
    REGION_SHARE,
    REGIONS,
    REVENUE_SD,
    SEQ_0,
    SEQ_CREDIT,
    SEQ_REDESIGN,
    SEQ_SD,
    SEQ_U,
    START_DAYS,
    SUS_NEGATIVE,
    SUS_POSITIVE,
    SUS_REDESIGN,
    SUS_SD,
    SUS_SLOPE,
    TASK_LOGIT,
    TASK_TIME,
    TASKS,
    TIME_SD,
    U_CLICKS,
    U_ERRORS,
    U_LOGIT,
    U_TIME,
    UMUX_0,
    UMUX_SD,
    UMUX_SLOPE,
    WINDOW_DAYS,
    WINDOW_START,
    expit,
    make_ids,
)
from uxcx.datasets.sample_text import readme, study_yaml

__all__ = ["DEFAULT_SEED", "generate", "write_sample", "write_sample_events"]

DEFAULT_SEED = 20261123

_FIRST = np.array(
    "alex sam maria jan li noor omar lena tom aisha carlos yuki eva ravi zoe finn ana ben "
    "chloe david emma femi grace hugo ines jonas kim leo mia nina".split()
)
_LAST = np.array(
    "smith garcia mueller chen okafor novak silva kowalski haddad tanaka jensen rossi patel "
    "dubois nguyen murphy costa ivanova schmidt khan".split()
)
_COMMENTS = (  # detractor, passive, promoter
    np.array(["Could not find the return form.", "Checkout kept failing on my phone.",
              "Too many steps to change my address.", "Search results are useless.",
              "Support never answered, very frustrating.", "Thinking of switching shops."]),
    np.array(["It does the job.", "Fine overall, search could be better.",
              "Delivery options are a bit confusing.", "OK, but the app is slow at times.",
              "Nothing special."]),
    np.array(["Checkout was quick and painless.", "Easy to find what I needed.",
              "Love the new order tracking.", "Fast, clear, no surprises.",
              "Returns were simple, thank you!", "Great shop, I order every week."]),
)


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(WINDOW_START + days.astype("timedelta64[D]"), unit="D")


def _scale(rng: np.random.Generator, mean: np.ndarray, sd: float, low: int, high: int):
    """round(clip(mean + N(0, sd^2), low, high)) as integers."""
    noisy = mean + sd * rng.standard_normal(np.shape(mean))
    return np.clip(np.round(noisy), low, high).astype(np.int64)


def _customers(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    n = N_CUSTOMERS
    start = np.sort(rng.integers(0, START_DAYS, n))  # IDs follow start order
    u = rng.standard_normal(n)
    plan = rng.choice(3, n, p=PLAN_SHARE)
    region = rng.choice(4, n, p=REGION_SHARE)
    revenue = np.round(PLAN_REVENUE[plan] * np.exp(REVENUE_SD * rng.standard_normal(n)), 2)
    hazard = BASE_HAZARD * PLAN_HR[plan] * HR_PER_SD_LOWER ** (-u)
    days = np.ceil(rng.exponential(1.0 / hazard) * DAYS_PER_MONTH).astype(np.int64)
    churn = start + np.maximum(days, 1)
    churned = churn <= WINDOW_DAYS
    frame = pd.DataFrame({
        "Customer ID": make_ids("C", np.arange(1, n + 1), 5),
        "Start date": _iso(start),
        "Churn date": pd.Series(_iso(churn)).where(churned),
        "Plan": PLANS[plan],
        "Monthly revenue": revenue,
        "Region": REGIONS[region],
    })
    end = np.minimum(churn, WINDOW_DAYS)
    latent = {"u": u, "plan": plan, "region": region, "start": start, "end": end,
              "churned": churned, "months": (end - start) / DAYS_PER_MONTH}
    return frame, latent


def _usability(rng: np.random.Generator, ids: np.ndarray, cu: np.ndarray):
    pick = rng.choice(N_CUSTOMERS, N_PARTICIPANTS, replace=False)
    cell = rng.permutation(np.repeat(np.arange(4), N_PARTICIPANTS // 4))
    redesign, mobile, u_p = cell // 2, cell % 2, cu[pick]
    p = np.repeat(np.arange(N_PARTICIPANTS), TASKS.size)
    t = np.tile(np.arange(TASKS.size), N_PARTICIPANTS)
    d, m, u, n = redesign[p], mobile[p], u_p[p], p.size
    eta = TASK_LOGIT[t] + REDESIGN_LOGIT * d + MOBILE_LOGIT * m + U_LOGIT * u
    success = rng.random(n) < expit(eta)
    abandoned = ~success & (rng.random(n) < P_ABANDON)
    partial = ~success & ~abandoned & (rng.random(n) < P_PARTIAL)
    credit = success + 0.5 * partial
    log_time = (np.log(TASK_TIME[t]) + np.log(REDESIGN_TIME) * d + np.log(MOBILE_TIME) * m
                + U_TIME * u + TIME_SD * rng.standard_normal(n))
    time = np.round(np.exp(log_time), 1)
    miss = 1.0 - credit
    error_rate = ERROR_RATE * np.exp(U_ERRORS * u + FAIL_ERRORS * miss) * REDESIGN_ERRORS**d
    errors = rng.poisson(error_rate)
    extra = EXTRA_CLICKS * np.exp(U_CLICKS * u + FAIL_CLICKS * miss) * REDESIGN_CLICKS ** d
    clicks = OPTIMAL_CLICKS[t] + rng.poisson(extra)
    seq = _scale(rng, SEQ_0 + SEQ_CREDIT * credit + SEQ_U * u + SEQ_REDESIGN * d, SEQ_SD, 1, 7)
    zero = int(rng.integers(n))
    time[zero] = 0.0  # dirt: a time recorded as 0
    participants = make_ids("P", np.arange(1, N_PARTICIPANTS + 1), 2)
    frame = pd.DataFrame({
        "Participant": participants[p],
        "Customer ID": ids[pick][p],
        "Design": np.array(["Current", "Redesign"])[d],
        "Device": np.array(["Desktop", "Mobile"])[m],
        "Task": TASKS[t],
        "Success": np.where(success, "Yes", np.where(partial, "Partial", "No")),
        "Time (s)": time,
        "Errors": errors,
        "Clicks": clicks,
        "Optimal clicks": OPTIMAL_CLICKS[t],
        "Abandoned": abandoned.astype(np.int64),
        "SEQ": seq,
    })
    return frame, {"u": u, "zero": zero, "participants": participants,
                   "u_p": u_p, "redesign": redesign}


def _questionnaire(rng: np.random.Generator, latent: dict) -> tuple[pd.DataFrame, dict]:
    v = latent["u_p"] + SUS_REDESIGN * latent["redesign"]
    sign = np.tile([1.0, -1.0], 5)
    base = np.where(sign > 0, SUS_POSITIVE, SUS_NEGATIVE)
    sus = _scale(rng, base + sign * SUS_SLOPE * v[:, None], SUS_SD, 1, 5)
    umux = _scale(rng, np.repeat((UMUX_0 + UMUX_SLOPE * v)[:, None], 2, axis=1), UMUX_SD, 1, 7)
    row, item = int(rng.integers(N_PARTICIPANTS)), int(rng.integers(10))
    sus[row, item] = 6  # dirt: one SUS item of 6
    frame = pd.DataFrame(sus, columns=[f"SUS{k}" for k in range(1, 11)])
    frame.insert(0, "Participant", latent["participants"])
    frame[["UMUX-Lite 1", "UMUX-Lite 2"]] = umux
    return frame, {"sus6": (row, item)}


def _survey(rng: np.random.Generator, ids: np.ndarray, cl: dict) -> tuple[pd.DataFrame, dict]:
    n, k = N_RESPONDENTS, N_RESPONDENTS - N_UNMATCHED
    pick = rng.choice(N_CUSTOMERS, k, replace=False)
    ghost = N_CUSTOMERS + 1 + rng.choice(9999 - N_CUSTOMERS, N_UNMATCHED, replace=False)
    first = np.concatenate([cl["start"][pick], np.zeros(N_UNMATCHED, np.int64)])
    last = np.concatenate([cl["end"][pick], np.full(N_UNMATCHED, WINDOW_DAYS)])
    submitted = first + np.floor(rng.random(n) * (last - first)).astype(np.int64)
    order = np.argsort(submitted, kind="stable")  # response IDs follow submission order
    matched = (np.arange(n) < k)[order]
    cid = np.concatenate([ids[pick], make_ids("C", ghost, 5)])[order]
    u = np.concatenate([cl["u"][pick], rng.standard_normal(N_UNMATCHED)])[order]
    region = np.concatenate([cl["region"][pick], rng.choice(4, N_UNMATCHED, p=REGION_SHARE)])
    umux = _scale(rng, np.repeat((UMUX_0 + UMUX_SLOPE * u)[:, None], 2, axis=1), UMUX_SD, 1, 7)
    ease = _scale(rng, np.array(list(EASE.values())) + EASE_SLOPE * u[:, None], EASE_SD, 1, 7)
    ease_mean = ease.mean(axis=1)
    goal = rng.random(n) < expit(GOAL_0 + GOAL_SLOPE * u)
    nps = _scale(rng, NPS_0 + NPS_SLOPE * u, NPS_SD, 0, 10)
    csat = _scale(rng, CSAT_0 + MED_A * (ease_mean - 5), CSAT_SD, 1, 5)
    ces = _scale(rng, CES_0 + CES_SLOPE * u, CES_SD, 1, 7)
    loyal = (LOYAL_0 + MED_B * (csat - 4) + MED_C * (ease_mean - 5)
             + LOYAL_SD * rng.standard_normal(n))
    loyalty = _scale(rng, np.repeat(loyal[:, None], 2, axis=1), ITEM_SD, 1, 5)
    tone = np.digitize(nps, [7, 9])  # 0 detractor, 1 passive, 2 promoter
    text = np.stack([c[rng.integers(c.size, size=n)] for c in _COMMENTS])[tone, np.arange(n)]
    comment = pd.Series(text).where(rng.random(n) < P_COMMENT)
    email = (pd.Series(_FIRST[rng.integers(_FIRST.size, size=n)]) + "."
             + _LAST[rng.integers(_LAST.size, size=n)]
             + rng.integers(100, 1000, size=n).astype(str) + "@example.com")
    frame = pd.DataFrame({
        "Response ID": make_ids("R", np.arange(1, n + 1), 4),
        "Customer ID": cid,
        "Submitted": _iso(submitted[order]),
        "Device": np.where(rng.random(n) < P_MOBILE, "Mobile", "Desktop"),
        "Region": REGIONS[region[order]],
        "UMUX-Lite 1": umux[:, 0], "UMUX-Lite 2": umux[:, 1],
        "Ease: search": ease[:, 0], "Ease: checkout": ease[:, 1], "Ease: returns": ease[:, 2],
        "Completed goal": np.where(goal, "Yes", "No"),
        "Likelihood to recommend": nps, "Satisfaction": csat, "Effort": ces,
        "Loyalty: continue": loyalty[:, 0], "Loyalty: choose again": loyalty[:, 1],
        "Comment": comment, "Email": email,
    })
    # dirt: 3 out-of-range scores and 1 verbatim duplicate, all on matched rows
    dirty = rng.choice(np.flatnonzero(matched), 4, replace=False)
    bad = {"Likelihood to recommend": 11, "Satisfaction": 0, "Effort": 9}
    for row, (column, value) in zip(dirty[:3], bad.items(), strict=True):
        frame.loc[row, column] = value
    source = int(dirty[3])
    copy_at = int(rng.integers(source + 1, n + 1))
    frame = frame.iloc[np.insert(np.arange(n), copy_at, source)].reset_index(drop=True)
    out = {"u": np.insert(u, copy_at, u[source]), "source": source, "copy": copy_at,
           "bad": dict(zip(bad, dirty[:3].tolist(), strict=True)),
           "unmatched": np.flatnonzero(~matched)}
    return frame, out


def _simulate(seed: int) -> tuple[dict[str, pd.DataFrame], dict]:
    rng = np.random.default_rng(seed)
    customers, cl = _customers(rng)
    ids = customers["Customer ID"].to_numpy()
    usability, ul = _usability(rng, ids, cl["u"])
    questionnaire, ql = _questionnaire(rng, ul)
    survey, sl = _survey(rng, ids, cl)
    frames = {"usability": usability, "questionnaire": questionnaire,
              "survey": survey, "customers": customers}
    return frames, {"customers": cl, "usability": ul, "questionnaire": ql, "survey": sl}


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Simulate the sample study's four sources.

    Parameters
    ----------
    seed : int, default 20261123
        Seed of :func:`numpy.random.default_rng`; every draw comes from that one
        generator in a fixed order, so a seed always gives the same frames.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"usability"`` (participant x task), ``"questionnaire"`` (one row per
        participant), ``"survey"`` (one row per response, plus one duplicate) and
        ``"customers"`` (one row per customer), with the user-facing headers and
        values exactly as written to CSV (dates as ISO ``YYYY-MM-DD`` text, a
        missing churn date or comment as NaN). The planted problems are included.

    Notes
    -----
    The generating model, its coefficients and the planted problems are written
    out in ``data/sample/README.md`` (see :func:`write_sample`). Churn times are
    drawn from an exponential proportional-hazards model [1]_.

    References
    ----------
    .. [1] Bender, R., Augustin, T., & Blettner, M. (2005). Generating survival
       times to simulate Cox proportional hazards models. *Statistics in
       Medicine*, 24(11), 1713-1723.

    Examples
    --------
    >>> frames = generate()
    >>> sorted(frames)
    ['customers', 'questionnaire', 'survey', 'usability']
    >>> frames["usability"].shape, frames["questionnaire"].shape
    ((300, 12), (60, 13))
    """
    return _simulate(seed)[0]


def write_sample(directory: str | Path, seed: int = DEFAULT_SEED, *, events: bool = True) -> list[Path]:
    """Write the sample study: four CSV files, ``study.yml``, ``README.md`` and the event log.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if missing. Existing files of the same
        names are overwritten, and ``events/`` is replaced as a whole.
    seed : int, default 20261123
        Seed for :func:`generate`; also written as the study's analysis seed.
    events : bool, default True
        Also write the event log, one Parquet file per month in ``events/``
        (:mod:`uxcx.datasets.sample_events`). The README describes the log either way.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order usability, questionnaire, survey,
        customers, study file, README, then the event log's files by month.

    Notes
    -----
    CSV files are UTF-8 without BOM, ``\\n`` line endings, no index; times carry
    one decimal and revenue two, so the same seed gives byte-identical files (the
    Parquet files too, with the same pyarrow). The README's realised figures are
    computed from the frames and the log just generated.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [path.name for path in write_sample(folder, events=False)]
    ['usability.csv', 'questionnaire.csv', 'survey.csv', 'customers.csv', 'study.yml', 'README.md']
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    frames, latent = _simulate(seed)
    log = simulate_events(frames, latent, seed)
    float_format = {"usability": "%.1f", "customers": "%.2f"}
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8",
                     float_format=float_format.get(name))
        paths.append(path)
    text = readme(frames, latent, seed) + events_readme(log, frames, latent, seed)
    for name, content in {"study.yml": study_yaml(seed), "README.md": text}.items():
        path = folder / name
        path.write_text(content, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths + (write_events(folder, log, seed) if events else [])


def write_sample_events(directory: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write only the sample's event log into ``<directory>/events/`` (the CSV files untouched).

    For a fresh clone, where the log (git-ignored) is missing: ``make report`` and the test
    suite call it through ``uxcx sample data/sample --events-only``. Returns the Parquet files.
    """
    frames, latent = _simulate(seed)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    return write_events(folder, simulate_events(frames, latent, seed), seed)
