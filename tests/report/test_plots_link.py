"""The linking figures draw what they are given (uxcx.report.plots_link)."""

import numpy as np
import pandas as pd
import pytest

from uxcx.report.plots_link import correlation_heatmap, driver_quadrant, mediation_diagram, scatter_fit, stars


def test_stars_follow_the_usual_thresholds():
    assert stars([0.0005, 0.005, 0.03, 0.2, np.nan]).tolist() == ["***", "**", "*", "", ""]


def test_scatter_fit_draws_the_least_squares_line(rng):
    d = pd.DataFrame({"x": rng.integers(1, 8, 200)})
    d["y"] = 2 + 0.5 * d["x"] + rng.normal(0, 1, 200)
    fig = scatter_fit(d, x="x", y="y")
    line = fig.axes[0].lines[0]
    slope = np.polyfit(d["x"], d["y"], 1)[0]
    xs, ys = line.get_data()
    assert (ys[-1] - ys[0]) / (xs[-1] - xs[0]) == pytest.approx(slope)
    assert f"{slope:+.2f}" in line.get_label()


def test_heatmap_writes_each_correlation_with_its_marks():
    r = pd.DataFrame({"x": ["sus", "sus", "time"], "y": ["nps", "csat", "nps"],
                      "estimate": [0.6, 0.1, -0.4], "p_adjusted": [1e-5, 0.4, 0.02],
                      "p_adjust_method": "holm"})
    fig = correlation_heatmap(r)
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["-0.40*", "0.10", "0.60***"]
    assert "holm" in fig.texts[0].get_text()


def test_quadrant_places_each_driver():
    q = pd.DataFrame({"driver": ["a", "b", "c"], "share": [0.5, 0.3, 0.2], "performance": [40, 80, 60]})
    fig = driver_quadrant(q)
    offsets = fig.axes[0].collections[0].get_offsets()
    assert offsets[:, 0].tolist() == [50, 30, 20] and offsets[:, 1].tolist() == [40, 80, 60]
    assert "Priority to fix" in [t.get_text() for t in fig.axes[0].texts]


def test_mediation_diagram_labels_every_path():
    r = pd.DataFrame({"term": ["a", "b", "direct", "total", "indirect"],
                      "estimate": [0.45, 0.5, 0.15, 0.375, 0.225], "ci_low": [0.4, 0.45, 0.1, 0.3, 0.2],
                      "ci_high": [0.5, 0.55, 0.2, 0.45, 0.25], "confidence_level": 0.95})
    text = " ".join(t.get_text() for t in mediation_diagram(r, x="Ease", m="CSAT", y="Loyalty").axes[0].texts)
    for part in ["a = 0.45", "b = 0.50", "c' = 0.15", "indirect a×b = 0.23", "total c = 0.38", "Ease"]:
        assert part in text
