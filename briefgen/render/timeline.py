"""Where a chart puts a date that is not a day (briefgen/dates.py's `When`), and how it
draws what the date does not say.

A day is a point in time. A month, quarter, season, year or span is drawn as a bar along
time from its first to its last day, at the height of its figure, with the figure's mark
(point, range, bound) in its middle: the reader sees the whole stretch the source allows,
never an invented day. "By" a day is drawn at that day with a short arrow pointing left:
the figure held on or before it. A bar from the axis start was the alternative, but the
axis start is an artefact of the other estimates, and a bar there would claim the figure
held over all of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefgen.dates import When

BAR_ALPHA = 0.35
BY_ARROW_PT = 9.0
"""Length of a "by" arrow, in points: visible, but short enough to claim no start."""


def position(when: When) -> dt.date:
    """The day a mark is drawn at: the day itself, the day of a "by", or a range's middle."""
    if when.precision == "by":
        return when.end
    return when.start if when.is_day else when.midpoint


def extent(when: When, day_number: Any) -> tuple[float, float]:
    """The stretch of the x axis a date covers, in matplotlib date units (a range runs to
    the end of its last day)."""
    if when.is_day or when.precision == "by":
        x = float(day_number(position(when)))
        return x, x
    return float(day_number(when.start)), float(day_number(when.end)) + 1.0


def spaced(items: list[tuple[float, float]], scale: float) -> list[int]:
    """Indexes of the tick labels that fit side by side, given (x, label width in pixels)
    sorted by x: always the last, then leftwards."""
    kept: list[int] = []
    for i in reversed(range(len(items))):
        if not kept:
            kept.append(i)
            continue
        x, width = items[i]
        x_next, width_next = items[kept[-1]]
        if (x_next - x) * scale >= (width + width_next) / 2:
            kept.append(i)
    return sorted(kept)


def draw_when(ax: Any, when: When, x: float, y: float, color: str, day_number: Any) -> None:
    """The bar of a range of days, or the arrow of a "by" leaving the mark at (x, y) (x is
    the mark's, moved aside from marks on the same day); nothing for a day."""
    if when.is_day:
        return
    if when.precision == "by":
        px = ax.figure.dpi / 72
        cx, cy = ax.transData.transform((x, y))
        x0 = ax.transData.inverted().transform((cx - BY_ARROW_PT * px, cy))[0]
        head = "-|>,head_length=0.4,head_width=0.2"
        props = {"arrowstyle": head, "color": color, "lw": 1.2, "shrinkA": 0, "shrinkB": 0}
        ax.annotate("", xy=(x0, y), xytext=(x, y), arrowprops=props, zorder=2)
        return
    x0, x1 = extent(when, day_number)
    ax.plot([x0, x1], [y, y], color=color, lw=5, alpha=BAR_ALPHA, solid_capstyle="butt", zorder=1)
    for x in (x0, x1):
        ax.plot([x, x], [y, y], "|", color=color, ms=6, mew=1.0, zorder=1)
