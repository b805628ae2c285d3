"""The text files of the sample study: ``study.yml`` and the README.

:func:`study_yaml` and :func:`readme` fill in the templates
``templates/sample_study.yml.tmpl`` and ``templates/sample_README.md.tmpl``
shipped with the package. The README states the generating model
(:mod:`uxcx.datasets.sample_model`), the figures realised in the generated data and the
planted problems. :func:`uxcx.datasets.sample.write_sample` writes both files.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd

from uxcx.datasets import sample_model
from uxcx.datasets.sample_model import (
    BASE_HAZARD,
    EASE,
    EASE_SLOPE,
    HR_PER_SD_LOWER,
    MED_A,
    MED_B,
    MED_C,
    MOBILE_LOGIT,
    N_CUSTOMERS,
    N_RESPONDENTS,
    N_UNMATCHED,
    NPS_SLOPE,
    OPTIMAL_CLICKS,
    PLAN_HR,
    PLAN_REVENUE,
    PLAN_SHARE,
    PLANS,
    REDESIGN_LOGIT,
    REDESIGN_TIME,
    REGION_SHARE,
    REGIONS,
    TASK_LOGIT,
    TASK_TIME,
    TASKS,
    U_LOGIT,
    U_TIME,
    expit,
    make_ids,
)

__all__ = ["readme", "study_yaml"]


def _template(name: str) -> str:
    """The text of the package template ``templates/<name>``."""
    return (files("uxcx.datasets") / "templates" / name).read_text(encoding="utf-8")


def study_yaml(seed: int) -> str:
    """Render the sample study's ``study.yml``.

    Parameters
    ----------
    seed : int
        Written as the study's analysis seed (``analysis.seed``).

    Returns
    -------
    str
        The study file, from the template ``sample_study.yml.tmpl``.

    Examples
    --------
    >>> "  seed: 7\\n" in study_yaml(7)
    True
    """
    return _template("sample_study.yml.tmpl").replace("@SEED@", str(int(seed)))


def _ols(y: np.ndarray, *columns: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones_like(y, dtype=float), *columns])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def _expected_completion() -> np.ndarray:
    """Completion by design implied by the model (Gauss-Hermite over u, mean over cells)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    eta = (TASK_LOGIT[None, :, None, None] + REDESIGN_LOGIT * np.arange(2)[:, None, None, None]
           + MOBILE_LOGIT * np.arange(2)[None, None, :, None] + U_LOGIT * nodes)
    return (expit(eta) @ weights).mean(axis=(1, 2)) / np.sqrt(2 * np.pi)


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
    ghosts = make_ids("R", sl["unmatched"] + 1, 4)
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


def _figures_table(r: dict[str, float], exp_cur: float, exp_red: float) -> str:
    """The README's table of planted and realised figures, one Markdown row per figure."""
    pct = "{:.1%}".format
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
    return "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)


def readme(frames: dict[str, pd.DataFrame], latent: dict, seed: int) -> str:
    """Render the sample study's README.

    Parameters
    ----------
    frames : dict of str to pandas.DataFrame
        The four sources as written, from :func:`uxcx.datasets.sample.generate`.
    latent : dict
        The simulation's latent values (``u``, the positions of the planted
        problems), as the simulation returns them with the frames (see
        :func:`uxcx.datasets.sample.write_sample`).
    seed : int
        The seed the frames were generated with.

    Returns
    -------
    str
        The README, from the template ``sample_README.md.tmpl``: the files, the
        generating model, the realised figures and the planted problems.

    Notes
    -----
    Upper-case placeholders in the template are the constants of
    :mod:`uxcx.datasets.sample_model`; lower-case ones are derived here.
    """
    exp_cur, exp_red = _expected_completion()
    r = _realised(frames, latent)
    constants = {name: value for name, value in vars(sample_model).items() if name.isupper()}
    values = {
        **constants,
        "seed": seed,
        "usability_rows": len(frames["usability"]),
        "questionnaire_rows": len(frames["questionnaire"]),
        "survey_rows": len(frames["survey"]),
        "customer_rows": len(frames["customers"]),
        "task_names": ", ".join(f'"{k}"' for k in TASKS),
        "region_names": ", ".join(REGIONS),
        "plan_names": ", ".join(PLANS),
        "n_matched": N_RESPONDENTS - N_UNMATCHED,
        "plan_mix": ", ".join(f"{p} {s:.0%} (price {c:.2f}, hazard ratio {h})" for p, s, c, h
                              in zip(PLANS, PLAN_SHARE, PLAN_REVENUE, PLAN_HR, strict=True)),
        "region_mix": ", ".join(f"{g} {s:.0%}"
                                for g, s in zip(REGIONS, REGION_SHARE, strict=True)),
        "log_hr_per_sd": -np.log(HR_PER_SD_LOWER),
        "p_churn_month": 1 - np.exp(-BASE_HAZARD),
        "minus_mobile_logit": -MOBILE_LOGIT,
        "minus_u_time": -U_TIME,
        "task_alphas": ", ".join(f"{k} {a}" for k, a in zip(TASKS, TASK_LOGIT, strict=True)),
        "task_times": ", ".join(f"{k} {t:.0f} s" for k, t in zip(TASKS, TASK_TIME, strict=True)),
        "optimal_clicks": ", ".join(f"{k} {c}"
                                    for k, c in zip(TASKS, OPTIMAL_CLICKS, strict=True)),
        "ease_means": ", ".join(f"{k} {v}" for k, v in EASE.items()),
        "expected_current": exp_cur,
        "expected_redesign": exp_red,
        "csat_per_sd": MED_A * EASE_SLOPE,
        "indirect": MED_A * MED_B,
        "total": MED_C + MED_A * MED_B,
        "n_clean": r["n_clean"],
        "table": _figures_table(r, exp_cur, exp_red),
        "problems": "\n".join(_dirt(frames, latent)),
    }
    return _template("sample_README.md.tmpl").format_map(values)
