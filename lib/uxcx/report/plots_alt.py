"""Alternative text for every figure a notebook shows, so a screen reader can say what it is.

Jupyter shows a matplotlib figure as a PNG with no description. :func:`describe_figures`
(called by :func:`uxcx.report.plots_axes.theme`) wraps IPython's PNG formatter so that
each figure's output carries ``alt`` metadata built from what the figure already names:
its title, each panel's title and axis labels, and the legend entries. The report template
writes it into the ``<img alt="...">`` attribute, escaped like every value from the data.
"""

from __future__ import annotations

__all__ = ["describe", "describe_figures"]

LIMIT = 400  # characters: a description, not a transcript


def describe(fig) -> str:
    """A one-paragraph description of a figure from its titles, axis labels and legend.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2], [3, 4], label="Redesign"); _ = ax.legend()
    >>> _ = ax.set(title="Completion by task", xlabel="Task", ylabel="Completion (%)")
    >>> describe(fig)
    'Figure: Completion by task (x: Task; y: Completion (%); legend: Redesign).'
    """
    parts = []
    title = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    for ax in fig.axes:
        if not ax.get_visible() or not (ax.has_data() or ax.get_title()):
            continue
        bits = [f"{name}: {text}" for name, text in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if text]
        legend = ax.get_legend()
        if legend is not None:
            entries = [t.get_text() for t in legend.get_texts() if t.get_text()]
            if entries:
                bits.append("legend: " + ", ".join(entries[:8]))
        head = ax.get_title() or ""
        parts.append(f"{head} ({'; '.join(bits)})" if bits else head)
    parts = [p for p in parts if p.strip()]
    body = "; ".join(([title] if title else []) + parts)
    text = "Figure" + (f": {body}" if body else "")
    text = " ".join(text.split())
    return (text[: LIMIT - 1] + "…") if len(text) > LIMIT else text + "."


def describe_figures() -> bool:
    """Make IPython's PNG output of every matplotlib figure carry its description (``alt``).

    Returns whether it could (False outside IPython, or without a PNG formatter for figures).
    """
    try:
        from IPython import get_ipython
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - both come with the kit
        return False
    shell = get_ipython()
    if shell is None:
        return False
    png = shell.display_formatter.formatters["image/png"]
    try:
        draw = png.lookup_by_type(Figure)
    except KeyError:  # the inline backend registers its printer when first used: do it now
        import matplotlib

        if "inline" not in matplotlib.get_backend():
            return False
        shell.enable_matplotlib("inline")
        try:
            draw = png.lookup_by_type(Figure)
        except KeyError:
            return False
    if getattr(draw, "_uxcx_alt", False):
        return True

    def with_alt(fig):
        data = draw(fig)
        return (data, {"alt": describe(fig)}) if data is not None else None

    with_alt._uxcx_alt = True
    png.for_type(Figure, with_alt)
    return True
