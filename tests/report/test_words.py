"""The sentences speak the study's words: labels, currency, methods by name, no "−0", right ordinals,
one framing per effect, and a word on unadjusted intervals beside adjusted p-values
(uxcx.report.findings, findings_link, findings_retention; uxcx.hazard_sentences)."""

import re

import numpy as np
import pandas as pd
import pytest

from uxcx.report import findings, findings_link, findings_retention
from uxcx.report.findings import _ordinal, method_words, money, number
from uxcx.report.plots import dot_whisker
from uxcx.retention.churn import hazard_sentences

NEGATIVE_ZERO = re.compile(r"(?<![\d.,])[-−]0(?:\.0+)?(?![\d.])")
INTERNAL = re.compile(r"\b[a-z]+\.[a-z_]+\b|adjusted-wald|\bholm\b|\bfdr_bh\b|\ba\*b\b|_")


def _comparison(rows, *, task="task"):
    """A compare_times / compare_completion frame: term "other − reference", unadjusted CI, adjusted p."""
    return pd.DataFrame(
        [
            {
                task: t,
                "term": "Redesign − Current",
                "estimate": e,
                "ci_low": lo,
                "ci_high": hi,
                "confidence_level": 0.95,
                "p_value": p / 5,
                "p_adjusted": p,
                "p_adjust_method": "holm",
            }
            for t, e, lo, hi, p in rows
        ]
    )


# --- the sample study's own sentences --------------------------------------------------------------


def test_data_quality_names_keys_and_sources_in_words(sample_study):
    notes = findings.data_quality(sample_study)
    text = " ".join(notes)
    assert "usability.participant" not in text and "customers.customer" not in text and " keys " not in text
    # data/sample/README.md: one test participant has no questionnaire, 40 respondents no customer row
    assert (
        "1 of 60 participants in the usability data (1.7%) have no match in the questionnaire data; "
        "analyses joining the two leave them out."
    ) in notes
    assert any(n.startswith("40 of 2,997 customers in the survey data (1.3%)") for n in notes)
    assert "Every customer of the usability data is found in the customers data." in notes


def test_no_sentence_prints_a_negative_zero():
    assert NEGATIVE_ZERO.search("NPS +5 (-0 to +11)") and NEGATIVE_ZERO.search("−0.0")
    assert not NEGATIVE_ZERO.search("−0.40 and 10 and −3 and 0.05")
    nps = pd.DataFrame(
        {
            "estimate": [0.04],
            "ci_low": [-0.04],
            "ci_high": [11.2],
            "confidence_level": [0.95],
            "method": ["adjusted-wald"],
            "n": [300],
            "share_promoters": [0.3],
            "share_passives": [0.4],
            "share_detractors": [0.3],
        }
    )
    rates = pd.DataFrame({"task": ["a", "a"], "design": ["Current", "Redesign"], "estimate": [0.6, 0.62]})
    completion = _comparison([("a", 0.02, -0.004, 0.3, 0.5)])
    sentences = [
        *findings.nps_findings(nps),
        *findings.completion_findings(rates, completion),
        *findings.trend_findings(
            pd.DataFrame(
                {
                    "period": ["Q1", "Q2"],
                    "estimate": [-0.03, 4.0],
                    "ci_low": [-9, -2],
                    "ci_high": [9, 10],
                    "n": [50, 60],
                }
            )
        ),
    ]
    assert sentences and not [s for s in sentences if NEGATIVE_ZERO.search(s)]
    assert "NPS 0.0 (95% CI 0.0 to +11.2" in sentences[0]
    assert "CI 0 to 30" in sentences[1]
    assert number(-0.4) == "0" and number(-1.6) == "−2" and number(-0.004, 2, sign=True) == "0.00"


def test_methods_read_as_words():
    assert method_words("adjusted-wald") == "adjusted-Wald interval"
    assert (
        method_words("z test of NPS difference, adjusted-wald trinomial variances")
        == "z test of NPS difference, adjusted-Wald trinomial variances"
    )
    nps = pd.DataFrame(
        {
            "estimate": [3.8],
            "ci_low": [1.1],
            "ci_high": [6.5],
            "confidence_level": [0.95],
            "method": ["adjusted-wald"],
            "n": [2997],
            "share_promoters": [0.31],
            "share_passives": [0.43],
            "share_detractors": [0.27],
        }
    )
    (sentence,) = findings.nps_findings(nps)
    assert sentence.startswith("NPS +3.8 (95% CI +1.1 to +6.5; adjusted-Wald interval, n = 2,997)")
    mediation = pd.DataFrame(
        {
            "term": ["a", "b", "direct", "total", "indirect"],
            "estimate": [0.45, 0.5, 0.15, 0.37, 0.22],
            "ci_low": [0.4, 0.45, 0.12, 0.34, 0.2],
            "ci_high": [0.5, 0.55, 0.17, 0.39, 0.24],
            "confidence_level": 0.95,
            "method": ["OLS"] * 4 + ["a*b; Sobel test; BCa bootstrap CI (2000 resamples)"],
        }
    )
    first = findings_link.mediation_findings(
        mediation, x="Ease (mean)", m="Satisfaction (CSAT)", y="Loyalty index"
    )[0]
    assert "a × b; Sobel test; BCa bootstrap interval (2000 resamples)" in first and "a*b" not in first
    segments = pd.DataFrame(
        {
            "term": ["West − East"],
            "reference": ["East"],
            "estimate": [-6.1],
            "ci_low": [-15.0],
            "ci_high": [3.0],
            "confidence_level": [0.95],
            "p_adjusted": [0.43],
            "p_adjust_method": ["fdr_bh"],
        }
    )
    (line,) = findings.segment_findings(segments)
    assert "Benjamini-Hochberg-adjusted" in line and "Fdr_bh" not in line and "−6.1 points" in line


@pytest.mark.parametrize(
    "value, text",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (62.6, "63rd"),
        (101, "101st"),
        (111, "111th"),
        (0.2, "0th"),
    ],
)
def test_ordinals(value, text):
    assert _ordinal(value) == text


def test_sus_sentence_uses_the_right_ordinal():
    sus = pd.DataFrame(
        {
            "design": ["Redesign"],
            "estimate": [72.4],
            "n": [30],
            "confidence_level": [0.95],
            "ci_low": [67.0],
            "ci_high": [77.8],
            "grade": ["C+"],
            "percentile": [62.6],
        }
    )
    (sentence,) = findings.sus_findings(sus)
    assert "grade C+, 63rd percentile" in sentence and "63th" not in sentence


# --- currency --------------------------------------------------------------------------------------


def _value():
    value = pd.DataFrame(
        {
            "UX level": ["Low", "High"],
            "estimate": [347.2, 379.4],
            "ci_low": [332.0, 364.0],
            "ci_high": [362.0, 395.0],
            "confidence_level": 0.95,
        }
    )
    at_stake = pd.DataFrame(
        {
            "UX level": ["Low"],
            "estimate": [37931.0],
            "ci_low": [28217.0],
            "ci_high": [47645.0],
            "confidence_level": 0.95,
        }
    )
    return value, at_stake


@pytest.mark.parametrize(
    "currency, shown", [("EUR", "€37,931"), ("GBP", "£37,931"), ("CHF", "CHF 37,931"), ("", "37,931")]
)
def test_revenue_carries_the_study_currency(currency, shown):
    sentences = findings_retention.value_findings(*_value(), by="UX level", tau=12, currency=currency)
    assert shown in sentences[1]
    if currency:
        symbol = shown.split("3")[0]
        amounts = re.findall(r"(?:€|£|CHF )?[\d,]{3,}(?=\D)", " ".join(sentences).replace("12 months", ""))
        assert amounts and all(a.startswith(symbol) for a in amounts), amounts
    assert money(-5, "EUR") == "−€5"


def test_the_sample_notebook_passes_its_currency(sample_study):
    from uxcx.study import plan

    assert plan.currency(sample_study) == "EUR"
    sentences = findings_retention.value_findings(
        *_value(), by="UX level", tau=12, currency=plan.currency(sample_study)
    )
    assert all("€" in s for s in sentences)


# --- one framing of each effect ---------------------------------------------------------------------


def _cox():
    return pd.DataFrame(
        {
            "term": ["ux_sd", "plan[Plus]", "plan[Pro]"],
            "estimate": [0.701, 0.884, 0.596],
            "ci_low": [0.657, 0.764, 0.477],
            "ci_high": [0.749, 1.02, 0.745],
            "confidence_level": 0.95,
            "method": "Cox proportional hazards, Efron ties",
            "covariate": ["ux_sd", "plan", "plan"],
            "level": [np.nan, "Plus", "Pro"],
            "reference": [np.nan, "Basic", "Basic"],
        }
    )


def test_hazard_ratio_is_worded_per_sd_as_the_table_and_forest_plot_give_it():
    labels = {"ux_sd": "UX score (per SD)", "plan": "plan"}
    ux, plus, pro = hazard_sentences(_cox(), labels=labels)
    # the table's 0.701 per SD of better UX, not its inverse per point of worse UX
    assert ux == "Each 1-SD higher UX score goes with 0.70 times the churn rate (95% CI 0.66 to 0.75)."
    assert "1.4" not in ux and "point" not in ux
    assert plus.startswith("Customers whose plan is Plus showed no clear difference")
    assert pro.startswith("Customers whose plan is Pro left 0.60 times as fast as those whose plan is Basic")
    # the forest plot names the row with the same words the sentence starts from
    ticks = [
        t.get_text() for t in dot_whisker(_cox(), y="term", log=True, labels=labels).axes[0].get_yticklabels()
    ]
    assert ticks == ["UX score (per SD)", "plan: Plus", "plan: Pro"]


def test_effect_sentences_name_the_covariate_of_a_dummy_by_its_label():
    from uxcx.link.model_tidy import effect_sentences

    row = pd.DataFrame(
        {
            "term": ["device: Mobile vs Desktop"],
            "estimate": [0.4],
            "ci_low": [0.1],
            "ci_high": [0.7],
            "confidence_level": [0.95],
            "method": ["OLS, HC3 errors"],
        }
    )
    (sentence,) = effect_sentences(row, outcome_label="CSAT", labels={"device": "Device"})
    assert sentence.startswith("Mobile rather than Desktop (Device) goes with")


# --- unadjusted intervals beside adjusted p-values ---------------------------------------------------


def _explanations(sentences):
    return [s for s in sentences if "only the adjusted p-value says" in s]


def test_an_interval_that_leaves_out_no_difference_beside_an_adjusted_p_is_explained_once():
    # the sample study's time ratios (01_usability): three tasks whose interval leaves out 1, Holm p > .05
    times = _comparison(
        [
            ("Checkout", 0.65, 0.56, 0.75, 0.0001),
            ("Track order", 0.78, 0.63, 0.95, 0.065),
            ("Find product", 0.76, 0.60, 0.95, 0.065),
            ("Update address", 0.81, 0.66, 0.99, 0.075),
            ("Return item", 0.86, 0.70, 1.06, 0.16),
        ]
    )
    sentences = findings.time_findings(times)
    (why,) = _explanations(sentences)
    assert why == sentences[-1]
    assert "Track order, Find product and Update address" in why and "Return item" not in why
    assert "Holm-adjusted" in why and "5 comparisons" in why and "ratio of 1" in why
    # the sentences it explains still say what they said
    assert sum("not statistically significant after adjustment" in s for s in sentences) == 4


def test_no_explanation_where_interval_and_adjusted_p_agree():
    times = _comparison([("Checkout", 0.65, 0.56, 0.75, 0.0001), ("Return item", 0.86, 0.70, 1.06, 0.16)])
    assert _explanations(findings.time_findings(times)) == []
    rates = pd.DataFrame(
        {
            "task": ["a", "a", "b", "b"],
            "design": ["Current", "Redesign"] * 2,
            "estimate": [0.5, 0.9, 0.6, 0.7],
        }
    )
    completion = _comparison([("a", 0.4, 0.1, 0.6, 0.02), ("b", 0.1, -0.1, 0.3, 0.4)])
    assert _explanations(findings.completion_findings(rates, completion)) == []
    completion = _comparison([("a", 0.4, 0.1, 0.6, 0.02), ("b", 0.15, 0.01, 0.3, 0.09)])
    (why,) = _explanations(findings.completion_findings(rates, completion))
    assert "completion intervals of b leave out a difference of 0" in why


def test_correlations_explain_the_same_once():
    pairs = pd.DataFrame(
        {
            "x": ["sus", "sus", "seq_mean"],
            "y": ["nps", "csat", "nps"],
            "n": 37,
            "estimate": [0.66, 0.35, 0.2],
            "ci_low": [0.4, 0.02, -0.1],
            "ci_high": [0.82, 0.6, 0.5],
            "confidence_level": 0.95,
            "p_value": [1e-5, 0.03, 0.2],
            "p_adjusted": [3e-5, 0.06, 0.2],
            "p_adjust_method": "holm",
            "method": "Spearman rho; Fisher z interval",
        }
    )
    sentences = findings_link.correlation_findings(
        pairs, labels={"sus": "SUS", "nps": "NPS", "csat": "CSAT", "seq_mean": "SEQ (mean)"}
    )
    (why,) = _explanations(sentences)
    assert why.startswith("For 1 of them the 95% interval alone leaves out zero")


def test_sentences_of_a_whole_page_hold_no_internal_names():
    times = _comparison([("Track order", 0.78, 0.63, 0.95, 0.065)])
    sentences = [
        *findings.time_findings(times),
        *hazard_sentences(_cox(), labels={"ux_sd": "UX score (per SD)", "plan": "plan"}),
    ]
    leaks = [m.group(0) for s in sentences for m in INTERNAL.finditer(s)]
    assert leaks == []


def test_levels_keep_the_decimals_their_intervals_need():
    # the sample study's CSAT by self-reported success (03_ux_to_cx), worded with digits=1 as for NPS
    r = pd.DataFrame(
        {
            "kind": ["level", "level", "test", "effect"],
            "UX level": ["Completed", "Did not", np.nan, np.nan],
            "term": ["Completed", "Did not", "Did not − Completed", "effect"],
            "estimate": [3.866, 3.536, -0.33, np.nan],
            "ci_low": [3.83, 3.48, -0.4, -0.26],
            "ci_high": [3.90, 3.59, -0.26, -0.17],
            "n": [2280, 717, 2997, 2997],
            "confidence_level": 0.95,
            "method": [
                "mean",
                "mean",
                "Mann-Whitney U test; Hodges-Lehmann shift",
                "Brunner-Munzel interval",
            ],
            "p_value": [np.nan, np.nan, 1e-9, np.nan],
            "p_adjusted": [np.nan, np.nan, 1e-8, np.nan],
            "p_adjust_method": [None, None, "holm", None],
            "effect_size": [np.nan, np.nan, np.nan, -0.22],
            "effect_size_type": [None, None, None, "Cliff's delta"],
            "reason": ["", "", "Two independent groups.", ""],
        }
    )
    levels, test = findings_link.level_findings(r, outcome="CSAT", level="UX level", digits=1)
    assert levels == (
        "CSAT — Completed: 3.87 (95% CI 3.83 to 3.90, n = 2,280); "
        "Did not: 3.54 (95% CI 3.48 to 3.59, n = 717)."
    )
    assert "Holm-adjusted p < .001, Cliff's delta −0.22 (95% CI −0.26 to −0.17)" in test
