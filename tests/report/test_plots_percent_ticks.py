"""Percent axes: ticks as distinct as their spacing, never '98% 98% 98%'."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from uxcx.report.plots_axes import percent_axis  # noqa: E402


@pytest.mark.parametrize("low, high, decimals", [(0, 100, 0), (75, 100, 0), (98, 100, 2), (99, 100.2, 1)])
def test_percent_ticks_carry_the_decimals_their_spacing_needs(low, high, decimals):
    fig, ax = plt.subplots()
    ax.set_xlim(low, high)
    percent_axis(ax.xaxis)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
    assert len(set(labels)) == len(labels) and all(label.endswith("%") for label in labels)
    assert all(len(label.rstrip("%").partition(".")[2]) == decimals for label in labels)
