"""The generating model of the sample study's event log: sizes, shares, effects and planted dirt.

:mod:`uxcx.datasets.sample_events` simulates the log from these constants and
:mod:`uxcx.datasets.sample_events_text` writes them into the README (its upper-case
placeholders are these names). The log is drawn *given* the customers and the survey
already generated (:mod:`uxcx.datasets.sample`), from a random stream of its own, so the
four CSV files do not change when this model does.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EVENTS_STREAM", "N_GHOSTS", "SESSIONS_PER_MONTH", "ACTIVITY_SHAPE", "DEVICES",
           "DEVICE_SHARE", "P_OWN_DEVICE", "HOUR_SHARE", "P_CHECKOUT", "BROWSE_MEAN", "PRE_MEAN",
           "POST_MEAN", "BROWSE_EVENTS", "BROWSE_SHARE", "BROWSE_PAGES", "Q_0", "Q_CSAT", "CSAT_REF",
           "Q_MOBILE", "Q_CHURN", "CHURN_LEAD_DAYS", "Q_SD", "P_RETRY", "MAX_RETRIES", "P_TIMEOUT",
           "ERRORS_FAILED", "ERRORS_SUCCESS", "MAX_ERRORS", "FAILED_STEPS_SHARE", "STEP_PAGES",
           "BROWSE_GAP_S", "CHECKOUT_GAP_S", "RESTART_GAP_S", "TIMEOUT_GAP_MIN", "TIMEOUT_S",
           "LAST_CHECKOUT_H", "N_DUPLICATES", "N_NULL_IDS", "N_EMPTY_IDS", "N_OUTSIDE", "TASK_EVENTS"]

EVENTS_STREAM = 16  # the log's generator is default_rng([seed, 16]): the issue that added it

# --- who is active, when, on what ----------------------------------------------------------
N_GHOSTS = 12  # extra customer ids with sessions, matching no row of customers.csv
SESSIONS_PER_MONTH = 4.0  # mean sessions per customer-month of tenure (activity 1)
ACTIVITY_SHAPE = 2.0  # a customer's activity multiplier ~ Gamma(2, 1/2): mean 1, sd 0.71
DEVICES = np.array(["Desktop", "Mobile", "Tablet"])
DEVICE_SHARE = np.array([0.55, 0.40, 0.05])  # a customer's own device
P_OWN_DEVICE = 0.8  # a session is on the customer's own device, else on one drawn afresh
# share of sessions starting in each UTC hour 0..23 (evening peak; a few just before midnight)
HOUR_SHARE = np.array([1.5, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.4, 3.6, 4.4, 4.8, 5.0, 5.4, 5.2,
                       5.0, 4.9, 5.0, 5.4, 6.2, 7.2, 7.6, 6.8, 5.2, 3.4])
HOUR_SHARE = HOUR_SHARE / HOUR_SHARE.sum()

# --- what a session holds ------------------------------------------------------------------
P_CHECKOUT = 0.30  # a session holds a checkout (one or more attempts)
BROWSE_MEAN, PRE_MEAN, POST_MEAN = 5.0, 3.0, 0.6  # browse events: 1 + Poisson(mean); after: Poisson
BROWSE_EVENTS = np.array(["page_viewed", "search", "product_viewed"])
BROWSE_SHARE = np.array([0.40, 0.20, 0.40])
BROWSE_PAGES = np.array(["/", "/category", "/account", "/help"])  # of page_viewed, uniformly
TASK_EVENTS = {"start": "cart_viewed", "success": "order_placed",
               "errors": ("form_error", "payment_error"), "step": "checkout_step"}
STEP_PAGES = np.array(["/checkout/shipping", "/checkout/payment", "/checkout/review"])

# --- the checkout: failure, retries, errors ------------------------------------------------
# logit P(an attempt fails) = Q_0 + Q_CSAT * (CSAT_REF - CSAT) + Q_MOBILE * mobile
#                             + Q_CHURN * (within CHURN_LEAD_DAYS of churning) + N(0, Q_SD^2)
Q_0, Q_CSAT, CSAT_REF, Q_MOBILE = -4.0, 0.6, 4.0, 0.4
Q_CHURN, CHURN_LEAD_DAYS, Q_SD = 2.6, 90, 0.5
P_RETRY = 0.6  # a failed attempt is followed by another in the same session
MAX_RETRIES = 4  # at most 5 attempts in a session
P_TIMEOUT = 0.3  # a failed attempt ends by the time-out (a pause of 35-120 min), else by
#                  the next start (retry) or by the end of the session (no retry)
ERRORS_FAILED, ERRORS_SUCCESS, MAX_ERRORS = 1.2, 0.15, 3  # error events ~ min(Poisson, 3)
FAILED_STEPS_SHARE = np.array([0.25, 0.35, 0.25, 0.15])  # checkout steps seen before failing: 0..3
TIMEOUT_S = 30 * 60  # the task's time-out, as in study.yml

# --- time between events (seconds) ---------------------------------------------------------
BROWSE_GAP_S = (10.0, 40.0, 600.0)  # browse: 10 + Exponential(40), at most 600
CHECKOUT_GAP_S = (5.0, 25.0, 180.0)  # inside an attempt: 5 + Exponential(25), at most 180
RESTART_GAP_S = (5.0, 60.0)  # a retry after a failure: uniform 5-60 s
TIMEOUT_GAP_MIN = (35.0, 120.0)  # a pause past the time-out: uniform 35-120 min
LAST_CHECKOUT_H = 1  # no checkout session ends in the log's last hour (so no attempt is censored)

# --- planted bad rows ----------------------------------------------------------------------
N_DUPLICATES = 7  # verbatim copies of an event
N_NULL_IDS, N_EMPTY_IDS = 3, 2  # copies of an event whose user_id is null / ""
N_OUTSIDE = 4  # copies of an event whose device clock was reset: dated 1970-01-01
