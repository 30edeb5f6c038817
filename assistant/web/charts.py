"""Server-side charts for the compliance dashboard: matplotlib figures rendered to inline SVG (no pyplot, no JS)."""

from __future__ import annotations

import io
from collections.abc import Mapping

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

_COLOR = "#0969da"


def bar_svg(counts: Mapping[str, float], title: str, xlabel: str = "", horizontal: bool = True,
            integer: bool = True) -> str | None:
    """An inline ``<svg>`` bar chart of ``counts`` (``None`` when there is nothing to draw).

    Args:
        counts: label → value, drawn in the given order.
        title: the chart title (also the SVG's accessible name, set by the template).
        xlabel: the value axis label.
        horizontal: horizontal bars (long labels read better).
        integer: whole-number ticks on the value axis (counts).
    """
    if not counts:
        return None
    labels, values = list(counts.keys()), list(counts.values())
    fig = Figure(figsize=(6.0, max(2.2, 0.45 * len(labels) + 1.2)) if horizontal else (6.0, 3.2))
    ax = fig.add_subplot()
    if horizontal:
        positions = range(len(labels))
        ax.barh(list(positions), values, color=_COLOR)
        ax.set_yticks(list(positions), labels)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
    else:
        ax.bar(labels, values, color=_COLOR)
        ax.set_ylabel(xlabel)
        ax.tick_params(axis="x", labelrotation=30)
    if integer:
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]
