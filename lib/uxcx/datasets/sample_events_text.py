"""The README's section on the sample's event log: its model, realised figures and bad rows.

:func:`events_readme` fills in ``templates/sample_README_events.md.tmpl`` from the constants of
:mod:`uxcx.datasets.sample_events_model` (upper-case placeholders) and from figures computed
on the log just generated (:func:`event_figures`); :func:`uxcx.datasets.sample.write_sample`
appends it to the README.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd

from uxcx.datasets import sample_events_model
from uxcx.datasets.sample_events import EVENT_NAMES, PAGES, EventLog
from uxcx.datasets.sample_events_model import DEVICE_SHARE, DEVICES
from uxcx.datasets.sample_model import N_CUSTOMERS

__all__ = ["event_figures", "events_readme", "failed_checkouts", "attempted_checkout"]


def failed_checkouts(log: EventLog) -> np.ndarray:
    """Failed checkout attempts per real customer (index = row of customers.csv)."""
    a = log.attempts
    failed = a["customer"].to_numpy()[a["outcome"].to_numpy() != "success"]
    return np.bincount(failed, minlength=log.ids.size)[:N_CUSTOMERS]


def attempted_checkout(log: EventLog) -> np.ndarray:
    """Whether each real customer (row of customers.csv) attempted a checkout at least once."""
    tried = np.bincount(log.attempts["customer"].to_numpy(), minlength=log.ids.size)[:N_CUSTOMERS]
    return tried > 0


def _csat_by_customer(frames: dict[str, pd.DataFrame]) -> np.ndarray:
    """Each customer's valid Satisfaction (1-5) in the survey, NaN when none."""
    sv = frames["survey"]
    ok = sv[sv["Satisfaction"].between(1, 5)].drop_duplicates("Response ID")
    where = pd.Index(frames["customers"]["Customer ID"]).get_indexer(ok["Customer ID"])
    csat = np.full(N_CUSTOMERS, np.nan)
    csat[where[where >= 0]] = ok["Satisfaction"].to_numpy(float)[where >= 0]
    return csat


def event_figures(log: EventLog, frames: dict[str, pd.DataFrame], latent: dict) -> dict:
    """The planted effects as realised: failed-checkout groups against CSAT and churn.

    The hazard ratios come from a Cox model (Efron ties; statsmodels ``PHReg``, as
    ``survival::coxph(Surv(months, churned) ~ one + two_plus)`` in R) of the months from
    Start date to Churn date or 2025-12-31, on indicators of 1 and of 2+ failed checkouts
    against none [1]_.

    References
    ----------
    .. [1] Cox, D. R. (1972). Regression models and life-tables. *Journal of the Royal
       Statistical Society, Series B*, 34(2), 187-220.
    """
    from statsmodels.duration.hazard_regression import PHReg

    # among the customers who attempted a checkout, as notebook 05 counts them: one who never
    # tried has no failed checkout to count, and would dilute the reference group
    tried = attempted_checkout(log)
    group = np.minimum(failed_checkouts(log), 2)[tried]
    csat = _csat_by_customer(frames)[tried]
    answered = ~np.isnan(csat)
    cl = {k: np.asarray(v)[tried] for k, v in latent["customers"].items() if k in ("months", "churned")}
    design = np.column_stack([group == 1, group == 2]).astype(float)
    fit = PHReg(cl["months"], design, status=cl["churned"].astype(float), ties="efron").fit()
    hr, ci = np.exp(fit.params), np.exp(fit.conf_int())
    r = {"share_2plus": (group == 2).mean(), "share_1": (group == 1).mean(), "share_0": (group == 0).mean(),
         "hr_1": hr[0], "hr_1_ci": tuple(ci[0]), "hr_2plus": hr[1], "hr_2plus_ci": tuple(ci[1])}
    for g, label in enumerate(("0", "1", "2plus")):
        pick = answered & (group == g)
        r[f"csat_{label}"], r[f"n_csat_{label}"] = csat[pick].mean(), int(pick.sum())
        r[f"churn_{label}"] = cl["churned"][group == g].mean()
    r["no_csat"] = int(np.isnan(_csat_by_customer(frames)).sum())  # of all customers, as the model reads it
    r["attempted"] = int(tried.sum())
    return r


def _table(log: EventLog, r: dict) -> str:
    f, pct = log.facts, "{:.1%}".format
    per_file = [t.num_rows for t in log.files.values()]
    rows = [
        ("Events (rows) / files / rows per file", f"{f['rows_written']:,} / {len(log.files)} / "
         f"{min(per_file):,}-{max(per_file):,}"),
        ("Sessions / with a checkout / spanning midnight (UTC)",
         f"{f['sessions']:,} / {f['checkout_sessions']:,} / {f['across_midnight']:,}"),
        ("Customers of customers.csv with at least one event",
         f"{f['customers_with_events']:,} of {N_CUSTOMERS:,}"),
        ("Checkout attempts", f"{f['attempts']:,}"),
        ("... ended by order_placed / by a restart / by the time-out / by the session's end",
         f"{f['outcome_success']:,} / {f['outcome_restarted']:,} / {f['outcome_timeout']:,} / "
         f"{f['outcome_session_end']:,}"),
        ("Error events in attempts (form_error + payment_error)", f"{f['error_events']:,}"),
        ("Customers who attempted a checkout (the base of the rows below)", f"{r['attempted']:,}"),
        ("Customers with 0 / 1 / 2+ failed checkouts",
         f"{pct(r['share_0'])} / {pct(r['share_1'])} / **{pct(r['share_2plus'])}**"),
        ("Mean CSAT (Satisfaction) by failed checkouts 0 / 1 / 2+ (respondents)",
         f"**{r['csat_0']:.2f} / {r['csat_1']:.2f} / {r['csat_2plus']:.2f}** (n = "
         f"{r['n_csat_0']:,} / {r['n_csat_1']:,} / {r['n_csat_2plus']:,})"),
        ("Churn share by failed checkouts 0 / 1 / 2+",
         f"{pct(r['churn_0'])} / {pct(r['churn_1'])} / {pct(r['churn_2plus'])}"),
        ("Churn hazard ratio, 2+ failed checkouts vs 0 (Cox, Efron ties; 95% CI)",
         f"**{r['hr_2plus']:.2f}** ({r['hr_2plus_ci'][0]:.2f}-{r['hr_2plus_ci'][1]:.2f})"),
        ("Churn hazard ratio, 1 failed checkout vs 0 (same model)",
         f"{r['hr_1']:.2f} ({r['hr_1_ci'][0]:.2f}-{r['hr_1_ci'][1]:.2f})"),
    ]
    return "\n".join(f"| {a} | {b} |" for a, b in rows)


def events_readme(log: EventLog, frames: dict[str, pd.DataFrame], latent: dict, seed: int) -> str:
    """Render the README's event-log section (Markdown, starting with a blank line)."""
    r = event_figures(log, frames, latent)
    f = log.facts
    constants = {k: v for k, v in vars(sample_events_model).items() if k.isupper()}
    quoted = ", ".join
    values = {
        **constants, **f, "seed": seed, "n_files": len(log.files), "no_csat": r["no_csat"],
        "events_read": f["rows_written"], "events_kept": f["rows_written"] - f["bad_rows"],
        "missing_ids": f["null_ids"] + f["empty_ids"], "n_ghosts": len(f["ghost_ids"]),
        "ghost_ids": quoted(f["ghost_ids"]),
        "event_names": quoted(f"`{n}`" for n in EVENT_NAMES),
        "device_names": quoted(f'"{d}"' for d in DEVICES),
        "device_mix": quoted(f"{d} {s:.0%}" for d, s in zip(DEVICES, DEVICE_SHARE, strict=True)),
        "page_names": quoted(f"`{p}`" for p in PAGES),
        "table": _table(log, r),
    }
    text = (files("uxcx.datasets") / "templates" / "sample_README_events.md.tmpl").read_text(encoding="utf-8")
    return text.format_map(values)
