"""The figures draw where they are told, name their axes in the study's words and keep their text legible
(uxcx.report.plots, plots_link, plots_survival)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from uxcx.report import plots, plots_link, plots_survival
from uxcx.retention.curves import kaplan_meier

LABELS = {
    "time_s": "Task time",
    "errors": "errors",
    "sus_1": "SUS 1",
    "ux_sd": "UX score (per SD)",
    "ease_search": "Ease: search",
    "design": "Design",
    "revenue": "Monthly revenue",
}


def _usability(rng, n=80):
    return pd.DataFrame(
        {
            "participant": np.repeat([f"P{i}" for i in range(n // 4)], 4),
            "task": np.tile(["a", "b", "c", "d"], n // 4),
            "success": rng.integers(0, 2, n),
            "time_s": rng.lognormal(4, 0.5, n),
            "errors": rng.poisson(1, n),
            "design": rng.choice(["Current", "Redesign"], n),
        }
    )


def _estimates():
    return pd.DataFrame(
        {
            "task": ["a", "b", "a", "b"],
            "design": ["X", "X", "Y", "Y"],
            "estimate": [0.6, 0.7, 0.8, 0.9],
            "ci_low": [0.5, 0.6, 0.7, 0.8],
            "ci_high": [0.7, 0.8, 0.9, 0.95],
        }
    )


def _hazards():
    return pd.DataFrame(
        {
            "term": ["ux_sd", "plan[Plus]", "plan[Pro]"],
            "estimate": [0.70, 0.88, 0.60],
            "ci_low": [0.66, 0.76, 0.48],
            "ci_high": [0.75, 1.02, 0.75],
        }
    )


def _nps():
    return pd.DataFrame(
        {
            "device": ["Desktop", "Mobile"],
            "share_detractors": [0.3, 0.25],
            "share_passives": [0.4, 0.45],
            "share_promoters": [0.3, 0.3],
            "estimate": [0.2, 5.0],
            "ci_low": [-0.3, -0.4],
            "ci_high": [6.0, 11.0],
        }
    )


def _links():
    return pd.DataFrame(
        {
            "left": ["usability.participant", "survey.customer"],
            "right": ["questionnaire.participant", "customers.customer"],
            "left_keys": [60, 2997],
            "left_matched": [59, 2957],
            "left_unmatched": [1, 40],
        }
    )


def _curve(rng):
    d = pd.DataFrame(
        {
            "duration": rng.exponential(10, 400).round(1) + 0.1,
            "event": rng.integers(0, 2, 400),
            "plan": rng.choice(["Basic", "Plus"], 400),
        }
    )
    return kaplan_meier(d, by="plan").curve


def _trend():
    return pd.DataFrame(
        {
            "period": ["2024Q1", "2024Q2", "2024Q3"],
            "estimate": [0.45, 0.6, 0.7],
            "ci_low": [0.4, 0.55, 0.65],
            "ci_high": [0.5, 0.65, 0.75],
        }
    )


def _correlations():
    return pd.DataFrame(
        {
            "x": ["sus", "sus", "ease_search"],
            "y": ["nps", "csat", "nps"],
            "estimate": [0.6, 0.1, -0.4],
            "p_adjusted": [1e-5, 0.4, 0.02],
            "p_adjust_method": "holm",
        }
    )


def _mediation():
    return pd.DataFrame(
        {
            "term": ["a", "b", "direct", "total", "indirect"],
            "estimate": [0.45, 0.5, 0.15, 0.375, 0.225],
            "ci_low": [0.4, 0.45, 0.1, 0.3, 0.2],
            "ci_high": [0.5, 0.55, 0.2, 0.45, 0.25],
            "confidence_level": 0.95,
        }
    )


def _projection():
    return pd.DataFrame(
        {
            "period": [1, 2, 3, 4],
            "survival": [0.9, 0.82, 0.76, 0.71],
            "survival_low": [0.88, 0.8, 0.72, 0.66],
            "survival_high": [0.92, 0.85, 0.8, 0.76],
            "fitted": [True, True, False, False],
        }
    )


def _ledger():
    return pd.DataFrame(
        {
            "source": ["survey", "customers"],
            "read": [3001, 5000],
            "kept": [2997, 5000],
            "repaired": [0, 10],
            "dropped": [4, 0],
        }
    )


def _missing():
    return pd.DataFrame(
        {
            "source": ["customers", "survey"],
            "column": ["end", "csat"],
            "n": [5000, 2997],
            "missing": [3542, 0],
            "share_missing": [0.708, 0.0],
        }
    )


def _likert():
    return pd.DataFrame(
        {"item": ["ease_search"] * 7, "level": range(1, 8), "share": [0.05, 0.05, 0.1, 0.2, 0.25, 0.2, 0.15]}
    )


def _sus(rng):
    return pd.DataFrame({"sus": rng.uniform(30, 100, 40), "design": np.repeat(["Current", "Redesign"], 20)})


# (name, draws(ax, rng) -> figure); every figure function of the kit, called with ax=
FIGURES = {
    "ledger_bars": lambda ax, rng: plots.ledger_bars(_ledger(), ax=ax),
    "missingness_bars": lambda ax, rng: plots.missingness_bars(_missing(), labels=LABELS, ax=ax),
    "distributions": lambda ax, rng: plots.distributions(_usability(rng), labels=LABELS, ax=ax),
    "link_bars": lambda ax, rng: plots.link_bars(_links(), ax=ax),
    "dot_whisker": lambda ax, rng: plots.dot_whisker(
        _estimates(), y="task", hue="design", percent=True, ax=ax
    ),
    "sus_bands": lambda ax, rng: plots.sus_bands(_sus(rng), by="design", ax=ax),
    "nps_bars": lambda ax, rng: plots.nps_bars(_nps(), by="device", ax=ax),
    "likert_bars": lambda ax, rng: plots.likert_bars(_likert(), scale=(1, 7), labels=LABELS, ax=ax),
    "trend_chart": lambda ax, rng: plots.trend_chart(_trend(), percent=True, ax=ax),
    "scatter_fit": lambda ax, rng: plots_link.scatter_fit(
        pd.DataFrame({"x": rng.normal(size=50), "y": rng.normal(size=50)}), x="x", y="y", ax=ax
    ),
    "correlation_heatmap": lambda ax, rng: plots_link.correlation_heatmap(
        _correlations(), labels=LABELS, ax=ax
    ),
    "driver_quadrant": lambda ax, rng: plots_link.driver_quadrant(
        pd.DataFrame({"driver": ["a", "b"], "share": [0.6, 0.4], "performance": [40, 70]}), ax=ax
    ),
    "mediation_diagram": lambda ax, rng: plots_link.mediation_diagram(
        _mediation(), x="E", m="C", y="L", ax=ax
    ),
    "km_plot": lambda ax, rng: plots_survival.km_plot(_curve(rng), ax=ax),
    "projection_plot": lambda ax, rng: plots_survival.projection_plot(_projection(), ax=ax),
}


def _drawn(axes) -> bool:
    return any(a.patches or a.lines or a.collections or a.texts or a.images for a in axes)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_draws_into_the_axes_it_is_given(name, rng):
    fig, (mine, theirs) = plt.subplots(1, 2, figsize=(14, 5))
    where = theirs.get_position()
    out = FIGURES[name](theirs, rng)
    assert out is fig  # the researcher's figure, not a new one
    assert plt.get_fignums() == [fig.number]
    assert not _drawn([mine]) and mine in fig.axes  # the other panel is left alone
    drawn = [a for a in fig.axes if a is not mine]
    assert _drawn(drawn)
    # figures of several panels take the given axes' place in the grid, and only that place
    for a in drawn:
        box = a.get_position()
        assert box.x0 >= where.x0 - 0.02 and box.x1 <= where.x1 + 0.08, name  # + a colorbar's room


def test_a_several_panel_figure_also_takes_a_list_of_axes(rng):
    fig, axes = plt.subplots(1, 3)
    assert (
        plots.distributions(_usability(rng)[["success", "time_s", "errors"]], labels=LABELS, ax=axes) is fig
    )
    assert [a.get_title() for a in axes] == ["Rating scales and yes/no", "Task time", "Errors"]


def test_every_figure_still_makes_its_own_figure_without_ax(rng):
    for name, draw in FIGURES.items():
        fig = draw(None, rng)
        assert fig.axes and _drawn(fig.axes), name
        plt.close(fig)


# --- labels and units ------------------------------------------------------------------------------


def test_histograms_carry_the_study_labels_and_their_units(rng):
    frame = _usability(rng).assign(revenue=rng.gamma(3, 10, 80))
    fig = plots.distributions(frame, labels=LABELS, currency="EUR", time_unit="months", limit=3)
    panels = {a.get_title(): a for a in fig.axes}
    assert set(panels) == {"Rating scales and yes/no", "Task time", "Errors", "Monthly revenue"}
    assert panels["Task time"].get_xlabel() == "seconds, log scale"
    assert panels["Errors"].get_xlabel() == "number per attempt"
    assert panels["Monthly revenue"].get_xlabel() == "EUR per month"
    assert all(panels[t].get_ylabel() == "attempts" for t in ("Task time", "Errors"))
    fig.canvas.draw()
    ticks = [t.get_text() for t in panels["Task time"].get_xticklabels() if t.get_text()]
    assert ticks and not any("10^" in t or "$" in t for t in ticks)  # plain seconds on the log axis


def test_scale_panel_names_items_by_label_on_a_percent_axis():
    frame = pd.DataFrame({"sus_1": [1, 2, 5, 4], "ease_search": [7, 6, 5, 1]})
    ax = plots.distributions(frame, labels=LABELS).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["SUS 1", "Ease: search"]
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks and all(t.endswith("%") for t in ticks) and len(set(ticks)) == len(ticks)


def test_forest_plot_names_terms_as_readers_do():
    ax = plots.dot_whisker(
        _hazards(), y="term", log=True, reference=1, labels=LABELS, xlabel="hazard ratio (log scale)"
    ).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["UX score (per SD)", "plan: Plus", "plan: Pro"]
    assert plots.term_label("plan[T.Plus]") == "plan: Plus"
    assert plots.term_label("plan[Plus]", {"plan": "Plan"}) == "Plan: Plus"


@pytest.mark.parametrize(
    "name, axis",
    [
        ("ledger_bars", "x"),
        ("missingness_bars", "x"),
        ("dot_whisker", "x"),
        ("nps_bars", "x"),
        ("likert_bars", "x"),
        ("trend_chart", "y"),
        ("km_plot", "y"),
        ("projection_plot", "y"),
    ],
)
def test_shares_are_drawn_in_percent(name, axis, rng):
    fig = FIGURES[name](None, rng)
    fig.canvas.draw()
    ticks = [t.get_text() for t in getattr(fig.axes[0], f"get_{axis}ticklabels")() if t.get_text()]
    assert ticks and all(t.endswith("%") for t in ticks), (name, ticks)


def test_csat_by_quarter_is_plotted_in_percent_points_as_the_text_gives_it():
    ax = plots.trend_chart(
        _trend(), percent=True, ylabel="satisfied (CSAT 4 or 5 of 5)", xlabel="quarter"
    ).axes[0]
    assert ax.lines[0].get_ydata().tolist() == pytest.approx([45, 60, 70])
    assert ax.get_xlabel() == "quarter" and ax.get_ylabel() == "satisfied (CSAT 4 or 5 of 5)"
    assert plots.trend_chart(_trend()).axes[0].lines[0].get_ydata().tolist() == pytest.approx(
        [0.45, 0.6, 0.7]
    )


def test_nps_labels_never_print_a_negative_zero():
    texts = [t.get_text() for t in plots.nps_bars(_nps(), by="device").axes[0].texts]
    assert texts == ["NPS 0 (0 to +6)", "NPS +5 (0 to +11)"]


def test_heatmap_is_seaborns_with_labels_and_adjustment_in_words():
    fig = plots_link.correlation_heatmap(_correlations(), labels=LABELS)
    ax = fig.axes[0]
    assert ax.collections and type(ax.collections[0]).__name__ == "QuadMesh"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sus", "Ease: search"]
    assert ax.get_xlabel() == "UX measure" and ax.get_ylabel() == "CX outcome"
    assert "Holm-adjusted" in fig.texts[0].get_text()


# --- legible text ----------------------------------------------------------------------------------


def _boxes(fig, texts):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [t.get_window_extent(renderer) for t in texts]


def _overlaps(boxes) -> list[tuple[int, int]]:
    return [
        (i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if boxes[i].overlaps(boxes[j])
    ]


@pytest.mark.parametrize("size", [(8, 2.6), (5, 2.5), (3.5, 2.5)])
def test_sus_grade_letters_never_overlap(size, rng):
    fig, ax = plt.subplots(figsize=size)
    plots.sus_bands(_sus(rng), by="design", ax=ax)
    grades = [
        t for t in ax.texts if t.get_text() in {"F", "D", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"}
    ]
    assert len(grades) == 11
    assert _overlaps(_boxes(fig, grades)) == []
    # and they stay inside the axes, above the dots
    top = ax.get_window_extent()
    assert all(b.y1 <= top.y1 + 1 for b in _boxes(fig, grades))


def test_link_legend_covers_no_share_written_beside_a_bar():
    fig = plots.link_bars(_links())
    ax = fig.axes[0]
    shares = [t for t in ax.texts if "matched" in t.get_text()]
    assert [t.get_text().strip() for t in shares] == ["98% matched", "99% matched"]
    legend = _boxes(fig, [ax.get_legend()])[0]
    for box in _boxes(fig, shares):
        assert not legend.overlaps(box)
    for bar in ax.patches:
        assert not legend.overlaps(bar.get_window_extent())
    assert "usability → questionnaire\n(participant)" in [t.get_text() for t in ax.get_yticklabels()]


def test_link_share_never_rounds_a_gap_away():
    links = _links().assign(left_keys=[1000, 3], left_matched=[998, 3], left_unmatched=[2, 0])
    texts = [t.get_text().strip() for t in plots.link_bars(links).axes[0].texts]
    assert texts == ["99.8% matched", "100% matched"]


def test_at_risk_numbers_sit_on_a_clear_ground(rng):
    fig = plots_survival.km_plot(_curve(rng), xlabel="months as a customer", labels={"plan": "Plan"})
    curve, table = fig.axes
    assert not any(line.get_visible() for line in table.get_xgridlines() + table.get_ygridlines())
    counts = [t for t in table.texts if t.get_text().replace(",", "").isdigit()]
    assert counts and all(t.get_bbox_patch() is not None for t in counts)
    assert all(t.get_bbox_patch().get_facecolor()[:3] == (1, 1, 1) for t in counts)
    assert table.get_xlabel() == "months as a customer"
    assert curve.get_legend().get_title().get_text() == "Plan"
