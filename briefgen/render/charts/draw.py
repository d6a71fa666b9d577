"""Drawing one chart: the figure, its axes, ticks and layout, then marks, labels and key.

x is the date an estimate is as of (briefgen/render/timeline.py places dates that are not
days), y its value from 0 (the figures are counts and amounts: a bar's length means
something). The figure's height follows what it shows: a plot sized by its number of
marks, one or two rows of dates, and the key.

matplotlib is used only through its object-oriented API: a fresh `Figure` per call, no
pyplot, nothing left open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, cast

from briefgen.estimates import format_number
from briefgen.render import fonts
from briefgen.render.charts import legend
from briefgen.render.charts.labels import label_text, place_labels
from briefgen.render.charts.marks import Mark, draw_mark, mark, plottable, unit_of
from briefgen.render.charts.style import (
    CM,
    GRID,
    INK,
    LABEL_PT,
    LAYOUT_DPI,
    LEGEND_PT,
    MUTED,
    RC,
    TICK_PT,
    plot_height_cm,
)
from briefgen.render.timeline import extent, position, spaced

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from briefgen.assemble import EstimateGroup


def render(group: EstimateGroup, buffer: IO[Any], width: float, **savefig: Any) -> None:
    """Draw the chart `width` inches wide (the width it is placed at, so that its text
    prints at the size style.py gives) on a fresh Figure and save it into `buffer`.

    Drawing and saving both happen under matplotlib's own defaults plus the house style,
    whatever the user's matplotlibrc says (tick labels, for one, are made while saving).
    The style is applied with `rc_context`, which briefly sets matplotlib's global
    settings: charts are drawn one at a time, not from several threads at once.
    """
    import matplotlib.style
    from matplotlib import rc_context

    fonts.register_with_matplotlib()
    with matplotlib.style.context("default"), rc_context(cast(Any, RC)):
        fig = figure(group, width)
        try:
            fig.savefig(buffer, facecolor="white", **savefig)
        finally:
            fig.clear()


@dataclass
class _Frame:
    """The figure's layout in display pixels, worked out before the axes exist."""

    left: float
    bottom: float
    width: float
    height: float
    key_height: float


def figure(group: EstimateGroup, width: float) -> Figure:
    """The chart of `group` on a new Figure `width` inches wide (not saved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, 6 * CM), dpi=LAYOUT_DPI)
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    px = LAYOUT_DPI / 72  # display pixels per point

    def measure(text: str, size: float) -> tuple[float, float]:
        artist = fig.text(0, 0, text, fontsize=size, linespacing=1.15)
        box = artist.get_window_extent(renderer)
        artist.remove()
        return box.width, box.height

    marks = [mark(row, found) for row, found in plottable(group)]
    unit = unit_of(group) or ""
    ymax, yticks = _y_axis(marks)
    tick_w = max(measure(_number(t), TICK_PT)[0] for t in yticks)
    left = tick_w + 10 * px + (measure(unit, TICK_PT)[1] + 5 * px if unit else 0)
    axes_w = fig.bbox.width - left - 3 * px
    keys = legend.layout(
        legend.keys_of(k for m in marks for k in m.keys),
        axes_w,
        px,
        lambda text: measure(text, LEGEND_PT)[0],
    )
    plot_h = plot_height_cm(len(marks)) * CM * LAYOUT_DPI
    texts, sizes = _labels(marks, axes_w * plot_h, lambda t: measure(t, LABEL_PT))
    x = _x_axis(group, marks, axes_w, sizes, lambda t: measure(t, TICK_PT))
    key_h = legend.height(keys, px) + (4 * px if keys else 0)
    bottom = key_h + x.height + 4 * px
    frame = _Frame(left, bottom, axes_w, plot_h, key_h)
    fig.set_size_inches(width, (bottom + plot_h + 5 * px) / LAYOUT_DPI)
    ax = _axes(fig, frame, ymax, yticks, unit, x)
    legend.draw(fig, keys, left, 2 * px, px)
    if not marks:
        ax.text(0.5, 0.5, "No estimate in this group could be plotted", transform=ax.transAxes,
                ha="center", va="center", fontsize=LABEL_PT, color=MUTED)  # fmt: skip
    boxes = [draw_mark(ax, m, ymax, _day_number) for m in marks]
    place_labels(ax, marks, boxes, texts, sizes, 5 * px)
    return fig


def _y_axis(marks: list[Mark]) -> tuple[float, list[float]]:
    """The top of the y axis (headroom for labels and the arrows of open ends) and its
    ticks, from 0."""
    from matplotlib.ticker import MaxNLocator

    top = max((m.top for m in marks), default=1.0) or 1.0
    ymax = top * 1.14
    for m in marks:
        if m.kind == "lower" or m.open_high:
            ymax = max(ymax, m.top / 0.8)
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(0, ymax)
    return ymax, [float(t) for t in ticks if 0 <= t <= ymax]


def _number(value: float, _pos: Any = None) -> str:
    """A tick's label, through Decimal: 0.30000000000000004 prints as 0.3."""
    return format_number(float(f"{value:.12g}"))


def _labels(
    marks: list[Mark], area: float, measure: Any
) -> tuple[dict[int, str], dict[int, tuple[float, float]]]:
    """Each mark's label text and size; wrapped wider (fewer lines) when the labels
    would fill more than 45 % of the plot (its labels are 9 pt, as printed), so that they
    still fit. Never cut."""
    texts = {id(m): label_text(m) for m in marks}
    sizes = {id(m): measure(texts[id(m)]) for m in marks}
    if sum(w * h for w, h in sizes.values()) > 0.45 * area:
        texts = {id(m): label_text(m, width=44) for m in marks}
        sizes = {id(m): measure(texts[id(m)]) for m in marks}
    return texts, sizes


@dataclass
class _XAxis:
    """Where dates go: the first day, pixels per day, the rows of tick labels."""

    first: float
    pad_left: float
    scale: float
    ticks: dict[dt.date, str]
    row1: list[dt.date]
    row2: list[dt.date]
    date_h: float

    @property
    def height(self) -> float:
        """The height the date labels take below the axes."""
        px = LAYOUT_DPI / 72
        return self.date_h * (2 if self.row2 else 1) + (10 if self.row2 else 8) * px


def _x_axis(
    group: EstimateGroup, marks: list[Mark], axes_w: float, sizes: dict[int, Any], measure: Any
) -> _XAxis:
    """Dates along x, marks sharing a date dodged sideways, room for labels at the ends."""
    px = LAYOUT_DPI / 72
    whens = sorted({m.row.as_of for m in marks} or {row.as_of for row in group.rows})
    dates = sorted({position(w) for w in whens})
    ticks = {
        d: " / ".join(dict.fromkeys(w.label() for w in whens if position(w) == d)) for d in dates
    }
    clusters = {d: [m for m in marks if position(m.row.as_of) == d] for d in dates}
    dodge = (11 if len(dates) > 1 else 16) * px
    spans = [extent(w, _day_number) for w in whens]
    first = min((lo for lo, _ in spans), default=0.0)
    last = max((hi for _, hi in spans), default=0.0)
    if last == first:  # one date (or none): in the middle, with room either side
        pad_left, scale = axes_w / 2, axes_w / 2 / 30
    else:
        at_edge = [*clusters[dates[-1]], *(m for m in marks if _ends_at(m, last))]
        label_w = max((sizes[id(m)][0] for m in at_edge), default=0)
        half = {d: (len(c) - 1) * dodge / 2 + 4 * px for d, c in clusters.items()}
        pad_left = max(half[dates[0]] + 10 * px, 0.03 * axes_w)
        pad_right = min(half[dates[-1]] + 5 * px + label_w + 6 * px, 0.45 * axes_w)
        scale = max(axes_w - pad_left - pad_right, 0.2 * axes_w) / (last - first)
    for cluster in clusters.values():
        ordered = sorted(cluster, key=lambda m: m.anchor)
        for i, m in enumerate(ordered):
            offset = (i - (len(ordered) - 1) / 2) * dodge
            m.x = _day_number(position(m.row.as_of)) + offset / scale
    widths = {d: measure(ticks[d])[0] + 8 * px for d in dates}
    row1 = _spaced(dates, scale, widths)
    row2 = _spaced([d for d in dates if d not in row1], scale, widths)
    return _XAxis(first, pad_left, scale, ticks, row1, row2, measure("2025-01-13")[1])


def _axes(fig: Any, frame: _Frame, ymax: float, yticks: list[float], unit: str, x: _XAxis) -> Any:
    """The plot's axes, placed, styled and ticked: every date labelled as precisely as it
    was given ("Jan 2025", "by 24 Jan 2025"), those that do not fit in a second row."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    fig_w, fig_h = fig.bbox.width, fig.bbox.height
    ax = fig.add_axes(
        (frame.left / fig_w, frame.bottom / fig_h, frame.width / fig_w, frame.height / fig_h)
    )
    ax.set_ylim(0, ymax)
    ax.set_xlim(x.first - x.pad_left / x.scale, x.first + (frame.width - x.pad_left) / x.scale)
    _style_axes(ax, unit)
    ax.yaxis.set_major_locator(FixedLocator(yticks))
    ax.yaxis.set_major_formatter(FuncFormatter(_number))
    at = {_day_number(d): label for d, label in x.ticks.items()}
    second = {_day_number(d) for d in x.row2}
    ax.xaxis.set_major_locator(FixedLocator([_day_number(d) for d in x.row1]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: at.get(v, "")))
    minor = [_day_number(d) for d in x.ticks if d not in x.row1]
    ax.xaxis.set_minor_locator(FixedLocator(minor))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, pos: at.get(v, "") if v in second else ""))
    px = LAYOUT_DPI / 72
    ax.tick_params(axis="x", which="minor", pad=3.5 + x.date_h / px + 2)
    return ax


def _style_axes(ax: Any, unit: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
        ax.spines[side].set_linewidth(0.6)
    ax.tick_params(
        which="both", colors=MUTED, labelcolor=INK, labelsize=TICK_PT, width=0.6, length=3
    )
    ax.tick_params(which="minor", length=2)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    if unit:
        ax.set_ylabel(unit, fontsize=TICK_PT, color=MUTED, labelpad=5)


def _ends_at(m: Mark, x: float) -> bool:
    """True when the mark's date is a bar that reaches x (the right end of the axis)."""
    return not m.row.as_of.is_day and extent(m.row.as_of, _day_number)[1] >= x


def _spaced(dates: list[dt.date], scale: float, widths: dict[dt.date, float]) -> list[dt.date]:
    """The dates whose tick labels fit side by side: always the last, then leftwards."""
    ordered = sorted(dates)
    return [ordered[i] for i in spaced([(_day_number(d), widths[d]) for d in ordered], scale)]


def _day_number(day: dt.date) -> float:
    """matplotlib's number for a date on a date axis (its function is untyped)."""
    from matplotlib.dates import date2num

    return float(date2num(day))  # type: ignore[no-untyped-call]
