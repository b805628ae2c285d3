"""Tables for people (uxcx.report.tables): real result frames as a reader sees them (issue 12, point 3)."""

import re

import numpy as np
import pandas as pd
import pytest

import uxcx
from uxcx.report import plots
from uxcx.report.cells import number as _number
from uxcx.report.cells import p_cell as _p
from uxcx.report.tables import table

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def usability(rng):
    return pd.DataFrame({"participant": np.repeat(np.arange(40), 2), "task": ["Pay", "Find"] * 40,
                         "design": np.repeat(["Current", HOSTILE], 40), "success": rng.binomial(1, 0.6, 80)})


@pytest.fixture
def survey(rng):
    return pd.DataFrame({"nps": rng.integers(0, 11, 200), "csat": rng.integers(1, 6, 200),
                         "level": rng.choice(["High", "Low"], 200)})


def _styles(html):
    style = re.search(r"<style[^>]*>(.*?)</style>", html, re.S).group(1)
    return [s.strip() for rule in re.findall(r"([^{}]+)\{", style) for s in rule.split(",")]


def test_completion_rates_read_as_percentages_with_one_interval_column(usability):
    rates = uxcx.completion_rate(usability, by="design")
    t = table(rates)
    # the result frame's own numbers, written as the report's sentences write them (52%, not 0.517)
    row = rates.set_index("design").loc["Current"]
    assert list(t.view.columns) == ["design", "completion", "95% CI"]
    current = t.view.set_index("design").loc["Current"]
    assert current["completion"] == f"{100 * row['estimate']:.0f}%"
    assert current["95% CI"] == f"{100 * row['ci_low']:.0f}% to {100 * row['ci_high']:.0f}%"
    # empty columns (statistic, p_value, ...) are gone; what every row shares is said once beneath
    assert t.notes == ["In every row: n = 40.", "Method: adjusted-Wald; partial=0.5."]
    for raw in ("term", "std_error", "ci_low", "confidence_level", "p_adjust_method", "effect_size_type"):
        assert raw not in t.view.columns and raw not in t.html


def test_nps_is_signed_points_and_its_shares_percentages(survey):
    score = uxcx.nps(survey)
    t = table(score)
    row = score.iloc[0]
    assert t.view.columns[:3].tolist() == ["n", "NPS", "95% CI"]
    nps = t.view.loc[0, "NPS"]
    assert nps.replace("\u2212", "-") == f"{row['estimate']:+.1f}"
    assert t.view.loc[0, "share promoters"] == f"{100 * row['share_promoters']:.0f}%"
    assert t.view.loc[0, "n"] == "200"


def test_compare_by_level_labels_the_test_the_adjusted_p_and_the_effect_size(survey):
    result = uxcx.compare_by_level(survey, outcome="csat", level="level")
    t = table(result)
    test = result[result["kind"] == "test"].iloc[0]
    shown = t.view[t.view["kind"] == "test"].iloc[0]
    assert "p (Holm-adjusted)" in t.view.columns and "p_adjusted" not in t.view.columns
    assert shown["test"] == f"U = {test['statistic']:,.0f}"  # a Mann-Whitney row names its statistic
    assert shown["p (Holm-adjusted)"] == f"{test['p_adjusted']:.3f}".lstrip("0")
    assert shown["effect size"].endswith("(rank-biserial r)")
    assert "Two-sided tests." in t.notes
    # the methods pair one to one with the rows' kind, so each is said once beneath, not in every row
    assert "method" not in t.view.columns
    assert "test: Mann-Whitney U test with continuity correction; Hodges-Lehmann shift." in t.notes


def test_rmst_interval_keeps_the_digits_its_width_needs(rng):
    d = pd.DataFrame({"duration": rng.exponential(10, 100).round(1), "event": rng.binomial(1, 0.7, 100),
                      "g": np.repeat(["a", "b"], 50)})
    result = uxcx.rmst(d, by="g", tau=5)
    t = table(result)
    label = result["term"].iloc[0]
    assert list(t.view.columns) == ["g", label, "95% CI"]
    low, high = t.view.loc[0, "95% CI"].split(" to ")
    assert low != high and float(low) == pytest.approx(result["ci_low"].iloc[0], abs=0.005)
    assert t.view.loc[0, label] == f"{result['estimate'].iloc[0]:.2f}"
    assert t.notes[-1].startswith("Method: Kaplan-Meier RMST")


def test_an_interval_never_collapses_and_never_reads_minus_zero():
    r = pd.DataFrame({"term": ["RMST", "difference"], "n": [40, 80], "estimate": [10.02, -0.0004],
                      "ci_low": [9.97, -0.21], "ci_high": [10.06, 0.2], "confidence_level": 0.95,
                      "method": "m"})
    t = table(r)
    assert t.view["95% CI"].tolist() == ["9.97 to 10.06", "\u22120.21 to 0.20"]
    assert t.view["estimate"].tolist() == ["10.02", "0.00"]
    assert _number(-0.0004, 2) == "0.00" and _number(-1234.5, 0) == "\u22121,234"


@pytest.mark.parametrize("p, text", [(0.0004, "< .001"), (0.0341, ".034"), (0.5, ".500"), (1.0, "> .999"),
                                     (np.nan, "")])
def test_p_values_are_written_as_apa_writes_them(p, text):
    assert _p(p) == text


def test_every_value_from_the_data_is_escaped(usability):
    html = table(uxcx.completion_rate(usability, by="design")).html
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    frame = pd.DataFrame({HOSTILE: ["a", "b"], "segment": [HOSTILE, HOSTILE], "estimate": [1.5, 2.5]})
    html = table(frame).html  # a hostile header, and a hostile value said once beneath
    assert "<script>" not in html and html.count("&lt;script&gt;") == 2


def test_the_html_is_self_contained_deterministic_and_keeps_its_css_to_itself(usability):
    rates = uxcx.completion_rate(usability, by=["task", "design"])
    html = table(rates).html
    assert html == table(rates.copy()).html
    assert not re.search(r"https?://|@import|<link|<script|@font-face", html)
    table_id = re.search(r'id="(uxcx-[0-9a-f]+)"', html).group(1)
    assert all(s.startswith(f"#{table_id}") for s in _styles(html)), "a rule reaches other tables"
    assert plots.table(rates)._repr_html_() == html  # what notebooks call


def test_an_empty_frame_is_one_sentence_not_bare_headers(usability):
    empty = uxcx.completion_rate(usability, by="design").iloc[:0]
    t = plots.table(empty)
    assert t.html == '<p class="uxcx-table-empty">No rows.</p>' and "<th" not in t.html
    assert table(pd.DataFrame({"a": [np.nan, None]})).notes == ["No values in any of the 2 rows."]


def test_a_long_table_shows_its_first_rows_and_says_where_the_rest_are():
    long = pd.DataFrame({"task": [f"t{i}" for i in range(60)], "term": "completion", "n": 30,
                         "estimate": np.linspace(0.2, 0.9, 60), "ci_low": 0.1, "ci_high": 0.95,
                         "method": "adjusted-wald"})
    t = table(long)
    assert len(t.view) == 20 and t.view["task"].iloc[-1] == "t19"
    assert t.notes[-1] == "Showing the first 20 of 60 rows; the other 40 are in the CSV download."
    assert len(table(long.head(25)).view) == 25


def test_a_method_that_differs_by_row_is_shortened_and_given_once_beneath():
    median = "Kaplan-Meier median; Brookmeyer-Crowley interval (log-log)"
    km = pd.DataFrame({"group": ["a", "b"] * 2, "term": ["median survival"] * 2 + ["retention at 3"] * 2,
                       "n": [50, 50, 50, 50], "estimate": [np.nan, 21.5, 0.91, 0.88],
                       "ci_low": [np.nan, 18.2, 0.85, 0.8], "ci_high": [np.nan, 23.9, 0.95, 0.93],
                       "confidence_level": 0.95,
                       "method": [f"{median}; median not reached", median, "Kaplan-Meier (log-log interval)",
                                  "Kaplan-Meier (log-log interval)"]})
    t = table(km)
    assert t.view["method"].tolist() == ["Kaplan-Meier median; median not reached\u00b9",
                                         "Kaplan-Meier median; Brookmeyer-Crowley interval\u00b2",
                                         "Kaplan-Meier (log-log interval)", "Kaplan-Meier (log-log interval)"]
    assert t.notes[-2:] == [f"\u00b9 {median}; median not reached.", f"\u00b2 {median}."]
    assert t.view["estimate"].tolist() == ["", "21.5", "91%", "88%"]  # retention is a share
    assert t.view["95% CI"].tolist()[:2] == ["", "18.2 to 23.9"]


def test_counts_get_separators_and_any_frame_is_accepted():
    joins = pd.DataFrame({"left": ["customers"], "right": ["survey"], "left_keys": [5000],
                          "left_matched": [2957]})
    t = table(joins)
    assert t.view.iloc[0].tolist() == ["customers", "survey", "5,000", "2,957"]
    assert list(t.view.columns) == ["left", "right", "left keys", "left matched"]
    odd = pd.DataFrame({"n": ["all", "some"], "estimate": ["high", "low"]}, index=["x", "y"])
    assert table(odd).view.to_dict("list") == {"index": ["x", "y"], "n": ["all", "some"],
                                               "estimate": ["high", "low"]}


def test_an_unbounded_interval_reads_as_infinity_not_a_crash():
    # a Cox or logit fit with separation gives an infinite bound; the page must still render
    frame = pd.DataFrame({"term": ["x", "y"], "n": [10, 10], "estimate": [2.0, np.inf],
                          "ci_low": [0.5, 1.0], "ci_high": [np.inf, np.inf], "confidence_level": [0.95, 0.95],
                          "method": ["Cox", "Cox"]})
    html = table(frame)._repr_html_()
    assert "\u221e" in html and "2.0" in html


def test_a_note_joins_the_caption_escaped():
    frame = pd.DataFrame({"term": ["lifetime value"], "n": [10], "estimate": [347.0], "ci_low": [300.0],
                          "ci_high": [390.0], "method": ["mean revenue x RMST"]})
    shown = table(frame, note="Amounts in <EUR>.")
    assert shown.notes[-1] == "Amounts in <EUR>." and "Amounts in &lt;EUR&gt;." in shown._repr_html_()
