"""The generating model of the sample study: every size, share and effect, and two helpers.

:mod:`uxcx.datasets.sample` simulates the study from these constants and
:mod:`uxcx.datasets.sample_text` writes them into the README (its upper-case
placeholders are these names), so both read one model and neither imports the other's
internals. Change a constant here and both the data and their description follow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["WINDOW_START", "WINDOW_DAYS", "START_DAYS", "DAYS_PER_MONTH", "N_CUSTOMERS", "PLANS",
           "PLAN_SHARE", "PLAN_REVENUE", "REVENUE_SD", "PLAN_HR", "REGIONS", "REGION_SHARE", "BASE_HAZARD",
           "HR_PER_SD_LOWER", "N_PARTICIPANTS", "TASKS", "TASK_LOGIT", "TASK_TIME", "OPTIMAL_CLICKS",
           "REDESIGN_LOGIT", "MOBILE_LOGIT", "U_LOGIT", "P_ABANDON", "P_PARTIAL", "REDESIGN_TIME",
           "MOBILE_TIME", "U_TIME", "TIME_SD", "ERROR_RATE", "U_ERRORS", "REDESIGN_ERRORS", "FAIL_ERRORS",
           "EXTRA_CLICKS", "U_CLICKS", "REDESIGN_CLICKS", "FAIL_CLICKS", "SEQ_0", "SEQ_CREDIT", "SEQ_U",
           "SEQ_REDESIGN", "SEQ_SD", "SUS_REDESIGN", "SUS_POSITIVE", "SUS_NEGATIVE", "SUS_SLOPE", "SUS_SD",
           "UMUX_0", "UMUX_SLOPE", "UMUX_SD", "N_RESPONDENTS", "N_UNMATCHED", "P_MOBILE", "EASE",
           "EASE_SLOPE", "EASE_SD", "NPS_0", "NPS_SLOPE", "NPS_SD", "CES_0", "CES_SLOPE", "CES_SD",
           "GOAL_0", "GOAL_SLOPE", "CSAT_0", "MED_A", "CSAT_SD", "LOYAL_0", "MED_B", "MED_C", "LOYAL_SD",
           "ITEM_SD", "P_COMMENT", "make_ids", "expit"]

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


def make_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Identifiers such as "C00042": ``prefix`` and each number zero-padded to ``width`` digits."""
    return (prefix + pd.Series(numbers).astype(str).str.zfill(width)).to_numpy()


def expit(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + exp(-x)), as the model's success probabilities use it."""
    return 1.0 / (1.0 + np.exp(-x))
