"""The deterministic synthetic sample study, with planted, documented effects.

:func:`generate` simulates four linked sources of a fictional online shop (a
customer table, a usability benchmark of a checkout redesign, its post-test
questionnaire and a customer survey); :func:`write_sample` writes them, with the
study file and a README that states the generating model, the realised figures
and every deliberately planted problem. The same seed gives byte-identical files.

One latent "experienced usability" ``u ~ N(0, 1)`` per customer is shared by
every source in which the customer appears, so the kit's links (UX -> CX ->
retention) have effects of known size to find.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_SEED", "generate", "write_sample"]

DEFAULT_SEED = 20261123

# --- customers: observation window, plans, churn hazard --------------------------------------
WINDOW_START = np.datetime64("2024-01-01")
WINDOW_DAYS = 730  # 2025-12-31 is day 730 after 2024-01-01
START_DAYS = 547  # customers start uniformly on days 0..546 (2024-01-01 .. 2025-06-30)
DAYS_PER_MONTH = 365.25 / 12
N_CUSTOMERS = 5000
PLANS = np.array(["Basic", "Plus", "Pro"])
PLAN_SHARE = np.array([0.50, 0.35, 0.15])
PLAN_REVENUE = np.array([19.0, 39.0, 79.0])  # geometric mean of monthly revenue
REVENUE_SD = 0.10  # sd of log revenue around the plan's price
PLAN_HR = np.array([1.0, 0.8, 0.6])  # churn hazard ratio against Basic
REGIONS = np.array(["North", "South", "East", "West"])
REGION_SHARE = np.array([0.30, 0.25, 0.25, 0.20])
BASE_HAZARD = 0.025  # churn hazard per month, Basic plan, u = 0
HR_PER_SD_LOWER = 1.5  # hazard ratio per 1 SD *lower* u

# --- usability benchmark -------------------------------------------------------------------
N_PARTICIPANTS = 60
TASKS = np.array(["Find product", "Checkout", "Track order", "Update address", "Return item"])
TASK_LOGIT = np.array([1.7, 0.9, 1.5, 1.1, 0.4])  # success intercepts (Current, Desktop, u=0)
TASK_TIME = np.array([45.0, 90.0, 30.0, 60.0, 120.0])  # geometric-mean seconds
OPTIMAL_CLICKS = np.array([4, 7, 3, 5, 6])
REDESIGN_LOGIT, MOBILE_LOGIT, U_LOGIT = 1.0, -0.3, 0.8
P_ABANDON, P_PARTIAL = 0.35, 0.25  # among failures; partial among those not abandoned
REDESIGN_TIME, MOBILE_TIME, U_TIME, TIME_SD = 0.80, 1.15, -0.15, 0.35
ERROR_RATE, U_ERRORS, REDESIGN_ERRORS, FAIL_ERRORS = 0.6, -0.4, 0.7, 0.8
EXTRA_CLICKS, U_CLICKS, REDESIGN_CLICKS, FAIL_CLICKS = 1.5, -0.3, 0.7, 0.7
SEQ_0, SEQ_CREDIT, SEQ_U, SEQ_REDESIGN, SEQ_SD = 4.0, 1.5, 0.6, 0.3, 0.8

# --- questionnaire (SUS, UMUX-Lite) --------------------------------------------------------
SUS_REDESIGN = 0.4  # shift of the participant's perceived usability v = u + 0.4 * redesign
SUS_POSITIVE, SUS_NEGATIVE, SUS_SLOPE, SUS_SD = 3.7, 2.3, 0.8, 0.7
UMUX_0, UMUX_SLOPE, UMUX_SD = 5.3, 1.1, 0.7

# --- survey --------------------------------------------------------------------------------
N_RESPONDENTS, N_UNMATCHED = 3000, 40
P_MOBILE = 0.45
EASE = {"search": 5.2, "checkout": 4.8, "returns": 4.4}
EASE_SLOPE, EASE_SD = 0.9, 0.8
NPS_0, NPS_SLOPE, NPS_SD = 7.6, 1.3, 1.2
CES_0, CES_SLOPE, CES_SD = 5.0, 0.9, 1.0
GOAL_0, GOAL_SLOPE = 1.4, 1.0
CSAT_0, MED_A, CSAT_SD = 3.9, 0.45, 0.6  # CSAT* = 3.9 + a (ease - 5) + e
LOYAL_0, MED_B, MED_C, LOYAL_SD, ITEM_SD = 3.7, 0.50, 0.15, 0.5, 0.4
P_COMMENT = 0.55

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


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return (prefix + pd.Series(numbers).astype(str).str.zfill(width)).to_numpy()


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(WINDOW_START + days.astype("timedelta64[D]"), unit="D")


def _scale(rng: np.random.Generator, mean: np.ndarray, sd: float, low: int, high: int):
    """round(clip(mean + N(0, sd^2), low, high)) as integers."""
    noisy = mean + sd * rng.standard_normal(np.shape(mean))
    return np.clip(np.round(noisy), low, high).astype(np.int64)


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


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
        "Customer ID": _ids("C", np.arange(1, n + 1), 5),
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
    success = rng.random(n) < _expit(eta)
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
    participants = _ids("P", np.arange(1, N_PARTICIPANTS + 1), 2)
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
    cid = np.concatenate([ids[pick], _ids("C", ghost, 5)])[order]
    u = np.concatenate([cl["u"][pick], rng.standard_normal(N_UNMATCHED)])[order]
    region = np.concatenate([cl["region"][pick], rng.choice(4, N_UNMATCHED, p=REGION_SHARE)])
    umux = _scale(rng, np.repeat((UMUX_0 + UMUX_SLOPE * u)[:, None], 2, axis=1), UMUX_SD, 1, 7)
    ease = _scale(rng, np.array(list(EASE.values())) + EASE_SLOPE * u[:, None], EASE_SD, 1, 7)
    ease_mean = ease.mean(axis=1)
    goal = rng.random(n) < _expit(GOAL_0 + GOAL_SLOPE * u)
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
        "Response ID": _ids("R", np.arange(1, n + 1), 4),
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


def write_sample(directory: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the sample study: four CSV files, ``study.yml`` and ``README.md``.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder to write into; created if missing. Existing files of the same
        names are overwritten.
    seed : int, default 20261123
        Seed for :func:`generate`; also written as the study's analysis seed.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order usability, questionnaire, survey,
        customers, study file, README.

    Notes
    -----
    CSV files are UTF-8 without BOM, ``\\n`` line endings, no index; times carry
    one decimal and revenue two, so the same seed gives byte-identical files.
    The README's realised figures are computed from the frames just written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [path.name for path in write_sample(folder)]
    ['usability.csv', 'questionnaire.csv', 'survey.csv', 'customers.csv', 'study.yml', 'README.md']
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    frames, latent = _simulate(seed)
    float_format = {"usability": "%.1f", "customers": "%.2f"}
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8",
                     float_format=float_format.get(name))
        paths.append(path)
    texts = {"study.yml": _study_yaml(seed), "README.md": _readme(frames, latent, seed)}
    for name, text in texts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


# --- the study file and the README -----------------------------------------------------------
_STUDY = """\
# uxcx study file: see README.md, "Using your own data"
name: sample                      # reports go to reports/<name>/
title: Checkout redesign benchmark and customer survey (synthetic sample)
sources:
  usability:
    path: usability.csv           # relative to this file
    format: auto                  # auto | csv | tsv | xlsx | parquet | json
    columns:                      # your column header: role
      Participant: participant
      Customer ID: customer
      Design: design
      Device: device
      Task: task
      Success: success
      Time (s): time_s
      Errors: errors
      Clicks: clicks
      Optimal clicks: optimal_clicks
      Abandoned: abandoned
      SEQ: seq
    values:                       # value maps by role
      success: {"Yes": 1, "No": 0, "Partial": 0.5}
  questionnaire:
    path: questionnaire.csv
    columns:
      Participant: participant
      SUS1: sus_1
      SUS2: sus_2
      SUS3: sus_3
      SUS4: sus_4
      SUS5: sus_5
      SUS6: sus_6
      SUS7: sus_7
      SUS8: sus_8
      SUS9: sus_9
      SUS10: sus_10
      UMUX-Lite 1: umux_lite_1
      UMUX-Lite 2: umux_lite_2
  survey:
    path: survey.csv
    columns:
      Response ID: respondent
      Customer ID: customer
      Submitted: date
      Device: device
      Region: region
      UMUX-Lite 1: umux_lite_1
      UMUX-Lite 2: umux_lite_2
      "Ease: search": ease_search
      "Ease: checkout": ease_checkout
      "Ease: returns": ease_returns
      Completed goal: reported_success
      Likelihood to recommend: nps
      Satisfaction: csat
      Effort: ces
      "Loyalty: continue": loyalty_continue
      "Loyalty: choose again": loyalty_choose_again
      Comment: comment
      Email: email
    values:
      reported_success: {"Yes": 1, "No": 0}
    personal: [email, comment]    # never reach a report
  customers:
    path: customers.csv
    columns:
      Customer ID: customer
      Start date: start
      Churn date: end
      Plan: plan
      Monthly revenue: revenue
      Region: region
links:                            # which keys join which sources
  - [usability.participant, questionnaire.participant]
  - [usability.customer, customers.customer]
  - [survey.customer, customers.customer]
analysis:
  confidence_level: 0.95
  alpha: 0.05
  p_adjust: holm
  seed: @SEED@
  segments: [design, device, region, plan]
  partial_success: 0.5
  time_unit: months
on_invalid: drop                  # drop the invalid row and record why | stop
"""


def _study_yaml(seed: int) -> str:
    return _STUDY.replace("@SEED@", str(int(seed)))


def _ols(y: np.ndarray, *columns: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones_like(y, dtype=float), *columns])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def _expected_completion() -> np.ndarray:
    """Completion by design implied by the model (Gauss-Hermite over u, mean over cells)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    eta = (TASK_LOGIT[None, :, None, None] + REDESIGN_LOGIT * np.arange(2)[:, None, None, None]
           + MOBILE_LOGIT * np.arange(2)[None, None, :, None] + U_LOGIT * nodes)
    return (_expit(eta) @ weights).mean(axis=(1, 2)) / np.sqrt(2 * np.pi)


def _realised(frames: dict[str, pd.DataFrame], latent: dict) -> dict[str, float]:
    """Figures computed from the generated data (and, where named, the latent u)."""
    import statsmodels.api as sm

    us, q, sv, cu = (frames[k] for k in ("usability", "questionnaire", "survey", "customers"))
    ul, cl, sl = latent["usability"], latent["customers"], latent["survey"]
    r: dict[str, float] = {}
    red = (us["Design"] == "Redesign").to_numpy()
    yes = (us["Success"] == "Yes").to_numpy()
    credit = yes + 0.5 * (us["Success"] == "Partial").to_numpy()
    r["done_cur"], r["done_red"] = yes[~red].mean(), yes[red].mean()
    r["credit_cur"], r["credit_red"] = credit[~red].mean(), credit[red].mean()
    r["partial"], r["abandoned"] = (us["Success"] == "Partial").sum(), us["Abandoned"].sum()
    tasks = pd.get_dummies(us["Task"], drop_first=True, dtype=float).to_numpy()
    mobile = (us["Device"] == "Mobile").to_numpy(float)
    x = sm.add_constant(np.column_stack([tasks, red, mobile, ul["u"]]))
    r["logit_red"] = sm.GLM(yes.astype(float), x, family=sm.families.Binomial()).fit().params[-3]
    t = us["Time (s)"].to_numpy()
    ok = t > 0
    log_t = np.log(t[ok])
    r["gm_ratio"] = np.exp(log_t[red[ok]].mean() - log_t[~red[ok]].mean())
    r["time_factor"] = np.exp(_ols(log_t, x[ok, 1:])[-3])
    r["seq_cur"], r["seq_red"] = us["SEQ"][~red].mean(), us["SEQ"][red].mean()

    items = q[[f"SUS{k}" for k in range(1, 11)]].to_numpy()
    valid = ((items >= 1) & (items <= 5)).all(axis=1)
    sus = 2.5 * ((items[:, 0::2] - 1).sum(axis=1) + (5 - items[:, 1::2]).sum(axis=1))
    q_red = ul["redesign"].astype(bool)
    r["sus_cur"], r["sus_red"] = sus[valid & ~q_red].mean(), sus[valid & q_red].mean()

    bad = np.array(list(sl["bad"].values()))
    drop = np.r_[bad + (bad >= sl["copy"]), sl["copy"]]  # rows after the copy moved down one
    clean = sv.drop(index=drop)
    u = np.delete(sl["u"], drop)
    nps = clean["Likelihood to recommend"].to_numpy()
    umux = clean[["UMUX-Lite 1", "UMUX-Lite 2"]].mean(axis=1).to_numpy()
    ease = clean[["Ease: search", "Ease: checkout", "Ease: returns"]].mean(axis=1).to_numpy()
    csat = clean["Satisfaction"].to_numpy(float)
    loyal = clean[["Loyalty: continue", "Loyalty: choose again"]].mean(axis=1).to_numpy()
    r["n_clean"] = len(clean)
    r["nps_score"] = 100 * ((nps >= 9).mean() - (nps <= 6).mean())
    r["csat_mean"], r["ces_mean"] = csat.mean(), clean["Effort"].mean()
    r["r_umux_nps"] = np.corrcoef(umux, nps)[0, 1]
    r["nps_slope"] = _ols(nps.astype(float), u)[1]
    r["a"] = _ols(csat, ease)[1]
    r["b"], r["c_prime"] = _ols(loyal, csat, ease)[1:]
    r["c"] = _ols(loyal, ease)[1]

    churned = cu["Churn date"].notna().to_numpy()
    where = pd.Index(cu["Customer ID"]).get_indexer(clean["Customer ID"])
    resp_churn, resp_umux = churned[where[where >= 0]], umux[where >= 0]
    low = resp_umux < np.median(resp_umux)
    r["churn_low_umux"], r["churn_high_umux"] = resp_churn[low].mean(), resp_churn[~low].mean()
    r["churned"], r["churn_share"] = churned.sum(), churned.mean()
    for j, plan in enumerate(PLANS):
        r[f"churn_{plan}"] = churned[cl["plan"] == j].mean()
    events, months, cu_u = cl["churned"], cl["months"], cl["u"]
    r["rate"] = events.sum() / months.sum()
    below = cu_u < 0
    r["rate_low_u"] = events[below].sum() / months[below].sum()
    r["rate_high_u"] = events[~below].sum() / months[~below].sum()
    plans = np.column_stack([cl["plan"] == 1, cl["plan"] == 2]).astype(float)
    fit = sm.GLM(events.astype(float), sm.add_constant(np.column_stack([cu_u, plans])),
                 family=sm.families.Poisson(), offset=np.log(months)).fit()
    r["base_hazard"], r["hr_lower"] = np.exp(fit.params[0]), np.exp(-fit.params[1])
    r["hr_plus"], r["hr_pro"] = np.exp(fit.params[2:])
    r["median_months"] = np.median(months)
    return r


def _dirt(frames: dict[str, pd.DataFrame], latent: dict) -> list[str]:
    """The README's list of planted problems, with spreadsheet row numbers (header = row 1)."""
    sv, sl = frames["survey"], latent["survey"]
    lines = ["- `survey.csv`, **3 out-of-range scores**:"]
    for column, row in sl["bad"].items():
        final = row + (row >= sl["copy"])
        lines.append(f"  - row {final + 2} (Response ID {sv['Response ID'][final]}): "
                     f"`{column}` = {sv[column][final]}")
    rid = sv["Response ID"][sl["source"]]
    lines.append(f"- `survey.csv`, **1 duplicate response**: Response ID {rid} on row "
                 f"{sl['source'] + 2} and again, a verbatim copy, on row {sl['copy'] + 2}; "
                 f"the file has {len(sv):,} rows for {len(sv) - 1:,} responses.")
    ghosts = _ids("R", sl["unmatched"] + 1, 4)
    lines.append(f"- `survey.csv`, **{ghosts.size} responses whose `Customer ID` matches no "
                 "customer** (IDs above C05000, valid-looking but absent from "
                 f"`customers.csv`): Response IDs {', '.join(ghosts)}.")
    row, item = latent["questionnaire"]["sus6"]
    who = frames["questionnaire"]["Participant"][row]
    lines.append(f"- `questionnaire.csv`, **1 SUS item of 6** (allowed 1-5): row {row + 2}, "
                 f"Participant {who}, `SUS{item + 1}`.")
    zero = latent["usability"]["zero"]
    us = frames["usability"]
    lines.append(f"- `usability.csv`, **1 `Time (s)` of 0**: row {zero + 2}, Participant "
                 f"{us['Participant'][zero]}, Task \"{us['Task'][zero]}\".")
    return lines


def _readme(frames: dict[str, pd.DataFrame], latent: dict, seed: int) -> str:
    r = _realised(frames, latent)
    exp_cur, exp_red = _expected_completion()
    pct = "{:.1%}".format
    n_s = len(frames["survey"])
    tasks = ", ".join(f"{k} {a}" for k, a in zip(TASKS, TASK_LOGIT, strict=True))
    times = ", ".join(f"{k} {t:.0f} s" for k, t in zip(TASKS, TASK_TIME, strict=True))
    clicks = ", ".join(f"{k} {c}" for k, c in zip(TASKS, OPTIMAL_CLICKS, strict=True))
    ease = ", ".join(f"{k} {v}" for k, v in EASE.items())
    plans = ", ".join(f"{p} {s:.0%} (price {c:.2f}, hazard ratio {h})" for p, s, c, h
                      in zip(PLANS, PLAN_SHARE, PLAN_REVENUE, PLAN_HR, strict=True))
    regions = ", ".join(f"{g} {s:.0%}" for g, s in zip(REGIONS, REGION_SHARE, strict=True))
    rows = [
        ("Completion (Success = Yes), Current", f"{pct(exp_cur)} (implied)", pct(r["done_cur"])),
        ("Completion (Success = Yes), Redesign", f"{pct(exp_red)} (implied)", pct(r["done_red"])),
        ("Completion with Partial = 0.5, Current / Redesign", "-",
         f"{pct(r['credit_cur'])} / {pct(r['credit_red'])}"),
        ("Redesign shift on the logit scale (logistic GLM: task, design, device, u*)",
         f"{REDESIGN_LOGIT}", f"{r['logit_red']:.2f}"),
        ("Geometric-mean time, Redesign / Current (times > 0)", f"{REDESIGN_TIME}",
         f"{r['gm_ratio']:.3f}"),
        ("Redesign time factor (OLS on log time: task, design, device, u*)", f"{REDESIGN_TIME}",
         f"{r['time_factor']:.3f}"),
        ("Partial / abandoned attempts", "-", f"{r['partial']} / {r['abandoned']}"),
        ("Mean SEQ, Current / Redesign", "-", f"{r['seq_cur']:.2f} / {r['seq_red']:.2f}"),
        ("Mean SUS, Current / Redesign (valid questionnaires)", "-",
         f"{r['sus_cur']:.1f} / {r['sus_red']:.1f}"),
        ("NPS (% promoters - % detractors)", "-", f"{r['nps_score']:.1f}"),
        ("Mean Satisfaction (CSAT) / mean Effort (CES)", "-",
         f"{r['csat_mean']:.2f} / {r['ces_mean']:.2f}"),
        ("Pearson r, UMUX-Lite mean vs Likelihood to recommend", "-", f"{r['r_umux_nps']:.3f}"),
        ("Slope of Likelihood to recommend on u* (after rounding and clipping)",
         f"{NPS_SLOPE}", f"{r['nps_slope']:.3f}"),
        ("Mediation a: Satisfaction on ease mean (OLS)", f"{MED_A}", f"{r['a']:.3f}"),
        ("Mediation b: loyalty on Satisfaction, ease mean held (OLS)", f"{MED_B}",
         f"{r['b']:.3f}"),
        ("Mediation c': loyalty on ease mean, Satisfaction held (OLS)", f"{MED_C}",
         f"{r['c_prime']:.3f}"),
        ("Total effect c: loyalty on ease mean (OLS)", f"{MED_C + MED_A * MED_B:.3f}",
         f"{r['c']:.3f}"),
        ("Customers churned by 2025-12-31", "-",
         f"{r['churned']:,} of {N_CUSTOMERS:,} ({pct(r['churn_share'])})"),
        ("Churn share, " + " / ".join(PLANS), "-",
         " / ".join(pct(r[f"churn_{p}"]) for p in PLANS)),
        ("Median months observed per customer", "-", f"{r['median_months']:.1f}"),
        ("Churn events per customer-month, all / u* < 0 / u* >= 0", "-",
         f"{r['rate']:.4f} / {r['rate_low_u']:.4f} / {r['rate_high_u']:.4f}"),
        ("Exponential model (Poisson GLM, log-exposure offset): base monthly hazard",
         f"{BASE_HAZARD}", f"{r['base_hazard']:.4f}"),
        ("... hazard ratio per 1 SD lower u*", f"{HR_PER_SD_LOWER}", f"{r['hr_lower']:.3f}"),
        ("... hazard ratio Plus / Pro against Basic", f"{PLAN_HR[1]} / {PLAN_HR[2]}",
         f"{r['hr_plus']:.3f} / {r['hr_pro']:.3f}"),
        ("Churn share of matched respondents, UMUX-Lite mean below / at or above median", "-",
         f"{pct(r['churn_low_umux'])} / {pct(r['churn_high_umux'])}"),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    return f"""\
# Sample study: checkout redesign benchmark and customer survey

Synthetic data for a fictional online shop, generated by `uxcx.sample` with seed
{seed}. Nobody in these files exists; the e-mail addresses use the reserved domain
`example.com`. `study.yml` maps the headers below onto the kit's roles; analyse
the study with `uxcx report data/sample/study.yml`.

Every file here, this README included, is written by `uxcx.sample.write_sample`.
Do not edit them by hand: regenerate with

    uxcx sample data/sample

The same seed gives byte-identical files.

## The study

A shop redesigned its checkout. Sixty customers took part in a usability benchmark
(between subjects: 30 used the current design and 30 the redesign, half of each on a
phone), attempted five tasks and then filled in a SUS and UMUX-Lite questionnaire.
Separately, {N_RESPONDENTS:,} people answered a customer survey, and the customer table
follows {N_CUSTOMERS:,} customers from 2024-01-01 to 2025-12-31 to show who churned.
The question: does better experienced usability show up in satisfaction, loyalty
and retention, and by how much?

## Files

Row numbers in this README are as a spreadsheet shows them: the header is row 1,
the first data row is row 2. All files are UTF-8 CSV with a header row.

### `usability.csv`: {len(frames["usability"])} rows, one per participant and task

| Header | Role | Type and range |
| --- | --- | --- |
| Participant | participant | text, P01-P60 |
| Customer ID | customer | text; the customer the participant was recruited from |
| Design | design | "Current" or "Redesign" (between subjects, 30 participants each) |
| Device | device | "Desktop" or "Mobile" (15 participants each within a design) |
| Task | task | {", ".join(f'"{k}"' for k in TASKS)} |
| Success | success | "Yes", "No" or "Partial" (mapped to 1, 0, 0.5) |
| Time (s) | time_s | seconds, > 0, one decimal |
| Errors | errors | count, >= 0 |
| Clicks | clicks | count, >= Optimal clicks |
| Optimal clicks | optimal_clicks | count, constant per task |
| Abandoned | abandoned | 1 (gave up) or 0; abandoned attempts are "No" |
| SEQ | seq | Single Ease Question, 1-7, 7 = very easy |

### `questionnaire.csv`: {len(frames["questionnaire"])} rows, one per participant

| Header | Role | Type and range |
| --- | --- | --- |
| Participant | participant | text, P01-P60, as in `usability.csv` |
| SUS1 ... SUS10 | sus_1 ... sus_10 | SUS items, 1-5; odd items worded positively, even negatively |
| UMUX-Lite 1, UMUX-Lite 2 | umux_lite_1, umux_lite_2 | 1-7, 7 = strongly agree |

### `survey.csv`: {n_s:,} rows, one per response (plus one duplicate)

| Header | Role | Type and range |
| --- | --- | --- |
| Response ID | respondent | text, R0001-R{N_RESPONDENTS:04d}, numbered in order of submission |
| Customer ID | customer | text; most match `customers.csv` |
| Submitted | date | date, YYYY-MM-DD |
| Device | device | "Desktop" or "Mobile" |
| Region | region | {", ".join(REGIONS)} |
| UMUX-Lite 1, UMUX-Lite 2 | umux_lite_1, umux_lite_2 | 1-7, 7 = strongly agree |
| Ease: search | ease_search | 1-7, 7 = very easy |
| Ease: checkout | ease_checkout | 1-7, 7 = very easy |
| Ease: returns | ease_returns | 1-7, 7 = very easy |
| Completed goal | reported_success | "Yes" or "No" (self-reported; mapped to 1, 0) |
| Likelihood to recommend | nps | 0-10 (Net Promoter Score item) |
| Satisfaction | csat | 1-5, 5 = very satisfied (CSAT) |
| Effort | ces | 1-7 Customer Effort Score, **7 = very easy**, 1 = very difficult |
| Loyalty: continue | loyalty_continue | 1-5, 5 = strongly agree |
| Loyalty: choose again | loyalty_choose_again | 1-5, 5 = strongly agree |
| Comment | comment | short free text or empty; personal |
| Email | email | fake, firstname.lastname###@example.com; personal, never reported |

### `customers.csv`: {len(frames["customers"]):,} rows, one per customer

| Header | Role | Type and range |
| --- | --- | --- |
| Customer ID | customer | text, C00001-C{N_CUSTOMERS:05d}, numbered in order of start |
| Start date | start | date, 2024-01-01 to 2025-06-30 |
| Churn date | end | date after Start date, up to 2025-12-31; empty while still a customer |
| Plan | plan | {", ".join(PLANS)} |
| Monthly revenue | revenue | currency units per month, two decimals |
| Region | region | {", ".join(REGIONS)} |

## How the data were generated

All draws come from one `numpy.random.default_rng({seed})` in a fixed order.
`N(m, s^2)` is a normal draw; `round(clip(x, lo, hi))` is the rating recorded;
`expit(x) = 1 / (1 + exp(-x))`. Coefficients are on the latent scale, before
rounding and clipping, which shrink the slopes seen in the recorded ratings.

**Latent experienced usability.** Every customer has `u ~ N(0, 1)`. The 60
participants ({N_PARTICIPANTS} customers drawn without replacement) and the
{N_RESPONDENTS - N_UNMATCHED:,} matched survey respondents (drawn independently, without
replacement) carry their customer's `u`, so a customer in both carries the same `u`;
the {N_UNMATCHED} unmatched respondents have their own `u ~ N(0, 1)`.

**Customers.**

- Start date uniform on 2024-01-01 ... 2025-06-30.
- Plan: {plans}. Region: {regions}.
- `Monthly revenue = round(price * exp(N(0, {REVENUE_SD}^2)), 2)`.
- Churn: exponential hazard per month
  `h = {BASE_HAZARD} * HR_plan * {HR_PER_SD_LOWER}^(-u)`, i.e. a hazard ratio of
  **{HR_PER_SD_LOWER} per 1 SD lower u** (log hazard ratio {-np.log(HR_PER_SD_LOWER):.3f}
  per SD of u) and a base rate of **{BASE_HAZARD} per month** for a Basic customer at
  u = 0 (a {1 - np.exp(-BASE_HAZARD):.2%} chance of leaving in a month). Time to churn
  `T ~ Exponential(h)` months; `Churn date = Start date + ceil(T * {DAYS_PER_MONTH}) days`,
  left empty (censored) when later than 2025-12-31.

**Usability benchmark.** Fifteen participants are shuffled into each Design x Device
cell. With `red = 1` for Redesign and `mob = 1` for Mobile, for task k:

- `P(success) = expit(alpha_k + {REDESIGN_LOGIT}*red - {-MOBILE_LOGIT}*mob + {U_LOGIT}*u)`,
  alpha: {tasks}. The redesign shifts the logit by **{REDESIGN_LOGIT}**; averaged over
  tasks, devices and u this implies completion of **{pct(exp_cur)} (Current)** and
  **{pct(exp_red)} (Redesign)**.
- A failed attempt is abandoned with probability {P_ABANDON} (`Abandoned = 1`,
  `Success = "No"`); a failed attempt not abandoned is recorded "Partial" with
  probability {P_PARTIAL}, otherwise "No". credit = 1 (Yes), 0.5 (Partial), 0 (No).
- `Time (s) = round(exp(ln tau_k + ln({REDESIGN_TIME})*red + ln({MOBILE_TIME})*mob
  - {-U_TIME}*u + N(0, {TIME_SD}^2)), 1)`, tau: {times}. The redesign multiplies the
  geometric-mean time by **{REDESIGN_TIME}**; time does not depend on success.
- `Errors ~ Poisson({ERROR_RATE} * {REDESIGN_ERRORS}^red
  * exp({U_ERRORS}*u + {FAIL_ERRORS}*(1 - credit)))`.
- `Clicks = Optimal clicks + Poisson({EXTRA_CLICKS} * {REDESIGN_CLICKS}^red
  * exp({U_CLICKS}*u + {FAIL_CLICKS}*(1 - credit)))`;
  Optimal clicks: {clicks}.
- `SEQ = round(clip({SEQ_0} + {SEQ_CREDIT}*credit + {SEQ_U}*u + {SEQ_REDESIGN}*red
  + N(0, {SEQ_SD}^2), 1, 7))`.

**Questionnaire.** The participant's perceived usability of the tested design is
`v = u + {SUS_REDESIGN}*red`; item noise is independent.

- SUS odd items: `round(clip({SUS_POSITIVE} + {SUS_SLOPE}*v + N(0, {SUS_SD}^2), 1, 5))`;
  even items: `round(clip({SUS_NEGATIVE} - {SUS_SLOPE}*v + N(0, {SUS_SD}^2), 1, 5))`.
- UMUX-Lite 1 and 2: `round(clip({UMUX_0} + {UMUX_SLOPE}*v + N(0, {UMUX_SD}^2), 1, 7))` each.

**Survey.** For a respondent with latent u:

- Submitted: uniform over the days the person was a customer (start to churn or
  2025-12-31); unmatched respondents anywhere in 2024-2025.
- Device "Mobile" with probability {P_MOBILE}, independent of everything else;
  Region is the customer's.
- UMUX-Lite 1 and 2: `round(clip({UMUX_0} + {UMUX_SLOPE}*u + N(0, {UMUX_SD}^2), 1, 7))` each.
- Ease items: `round(clip(e_k + {EASE_SLOPE}*u + N(0, {EASE_SD}^2), 1, 7))`, e: {ease}.
  `E` = mean of the three recorded ease ratings.
- Completed goal: "Yes" with probability `expit({GOAL_0} + {GOAL_SLOPE}*u)`.
- **Likelihood to recommend** `= round(clip({NPS_0} + {NPS_SLOPE}*u + N(0, {NPS_SD}^2), 0, 10))`.
- **Effort** `= round(clip({CES_0} + {CES_SLOPE}*u + N(0, {CES_SD}^2), 1, 7))`, 7 = very easy.
- **Mediation** ease -> satisfaction -> loyalty (satisfaction and loyalty depend on u
  only through `E`):
  - `Satisfaction = round(clip({CSAT_0} + a*(E - 5) + N(0, {CSAT_SD}^2), 1, 5))`, **a = {MED_A}**
    (so CSAT rises about {MED_A * EASE_SLOPE:.2f} per SD of u, through ease);
  - `L = {LOYAL_0} + b*(Satisfaction - 4) + c'*(E - 5) + N(0, {LOYAL_SD}^2)` with the
    recorded Satisfaction, **b = {MED_B}**, **c' = {MED_C}**;
  - Loyalty: continue and Loyalty: choose again `= round(clip(L + N(0, {ITEM_SD}^2), 1, 5))`
    each; the loyalty index is their mean.
  - Indirect effect `a*b = {MED_A * MED_B:.3f}`, total `c = c' + a*b = {MED_C + MED_A * MED_B:.3f}`
    loyalty points per ease point.
- Comment: given with probability {P_COMMENT}, drawn from short texts matching the
  respondent's NPS group (0-6, 7-8, 9-10). Email: random first and last names and
  three digits, unrelated to anything.

## Realised figures

Computed from the files as written. Survey figures use the {r["n_clean"]:,} clean rows
(the three out-of-range rows and the duplicate's second copy left out). `u*` marks
figures that use the latent u, which is not in the files.

| Figure | Planted | Realised |
| --- | --- | --- |
{table}

## Deliberate problems

Planted so the kit's checks have something to find (with `on_invalid: drop` the
invalid rows are dropped and the ledger says why):

{chr(10).join(_dirt(frames, latent))}

Nothing else is wrong. The only empty cells are `Churn date` (still a customer) and
`Comment` (none given).
"""
