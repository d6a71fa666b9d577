"""Estimate charts: every estimate of one quantity over time, so disagreement shows at a glance.

One chart per `EstimateGroup`: x is the date an estimate is as of, y its value from 0. A
point is an exact or approximate figure, a capped vertical bar a range, and a capped bar
with an arrow an open bound (up for `more than`, down for `up to`). Each mark carries its
reading and its estimator, placed greedily where it covers no other mark or label.

matplotlib is imported only inside the functions that draw, so importing this module is
free, and used only through its object-oriented API: a fresh `Figure` per call, no pyplot,
nothing left open. SVG (text kept as text) and PNG output are byte-for-byte deterministic.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import importlib.metadata
import io
import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, cast

from briefgen import __version__
from briefgen.cache import Blobs
from briefgen.estimates import ParsedEstimate, format_number, parse_estimate, reading
from briefgen.render import fonts
from briefgen.render.timeline import BY_ARROW_PT, draw_when, extent, position, spaced

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from briefgen.assemble import EstimateGroup, EstimateRow

ACCENT = "#1f3a5f"
MUTED = "#5b6570"
WARNING = "#a14a00"
GRID = "#e3e7eb"
INK = "#1b1f24"
"""templates/brief.css's colours: marks in accent, open bounds in warning, labels in ink,
axes in muted, grid lines in the light rule colour."""

FIGSIZE = (16 / 2.54, 6.5 / 2.54)
"""16 cm × 6.5 cm: the width of the PDF's text column."""

TICK_PT = 7.5
LABEL_PT = 7.0
LABEL_WIDTH = 28
"""Estimator names are wrapped at this many characters, on at most two lines."""

_LAYOUT_DPI = 100
"""Layout is worked out in display pixels at this resolution, then fixed in data units."""
Box = tuple[float, float, float, float]
"""A rectangle in display pixels: (x0, y0, x1, y1)."""
_RC = {
    "font.family": fonts.SANS,  # a list, not "sans-serif": each glyph from the first that has it
    "axes.unicode_minus": False,
    "svg.fonttype": "none",  # text stays text: selectable, searchable, small
    "svg.hashsalt": "briefgen",  # stable clip-path ids: same input, same bytes
}


def wants_chart(group: EstimateGroup) -> bool:
    """True when the group has at least two estimates that can be plotted."""
    return len(_plottable(group)) >= 2


def chart_svg(group: EstimateGroup) -> str:
    """The group's chart as an SVG document, its text kept as selectable text."""
    buffer = io.StringIO()
    _render(group, buffer, format="svg", metadata={"Date": None})
    # WeasyPrint (70) splits an SVG font-family list at commas and strips quotes but not
    # spaces, so `'A', 'B'` would leave it only A: write the list without the spaces.
    return buffer.getvalue().replace("', '", "','")


def chart_png(group: EstimateGroup, dpi: int = 200) -> bytes:
    """The group's chart as a PNG at `dpi` (200 prints sharply at 16 cm)."""
    buffer = io.BytesIO()
    _render(group, buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def alt_text(group: EstimateGroup) -> str:
    """One sentence describing the chart, for screen readers and the DOCX alt text."""
    marks = _plottable(group)
    units = _units(group)
    quantity = f"{group.quantity} ({units})" if units else group.quantity
    if not marks:
        return f"Chart of estimates of {quantity}: none of them could be plotted."
    dates = sorted({row.as_of for row, _ in marks})
    # The rightmost on the chart; a day before a "by" on the same day ("to by …" reads ill).
    last = max(dates, key=lambda w: (position(w), w.precision != "by"))
    when = (
        f"as of {dates[0].label()}" if len(dates) == 1 else f"{dates[0].label()} to {last.label()}"
    )
    noun = "estimate" if len(marks) == 1 else "estimates"
    listed = ", ".join(f"{row.text} ({short_estimator(row.estimator)})" for row, _ in marks)
    return f"Chart of {len(marks)} {noun} of {quantity}, {when}: {listed}."


def short_estimator(estimator: str) -> str:
    """Drop a trailing clause: `Wi Sung-lac, member of the committee` → `Wi Sung-lac`.

    Only a clause that starts in lower case is dropped, so that a list of estimators
    (`US, South Korean and Ukrainian intelligence`) stays whole.
    """
    name = " ".join(estimator.split())
    head, sep, tail = name.partition(", ")
    return head if sep and head and tail[:1].islower() else name


def mark_label(estimator: str, width: int = LABEL_WIDTH, lines: int = 2) -> str:
    """The estimator as a chart label: shortened, wrapped at `width`, cut after `lines`."""
    wrapped = textwrap.wrap(short_estimator(estimator), width) or ["(unattributed)"]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    rest = " ".join(wrapped[lines - 1 :])
    head = rest[: width - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return "\n".join([*wrapped[: lines - 1], f"{cut.rstrip(' ,;:(')}…"])


# --- what is plotted ---------------------------------------------------------------------


def _parsed(row: EstimateRow) -> ParsedEstimate | None:
    """The row's numbers: from its reading (which honours explicit low/high and reads back
    through the grammar unchanged), else its text."""
    for text in (row.reading, row.text):
        if text.strip():
            try:
                parsed = parse_estimate(text)
            except ValueError:
                continue
            if parsed.low is not None or parsed.high is not None:
                return parsed
    return None


def _plottable(group: EstimateGroup) -> list[tuple[EstimateRow, ParsedEstimate]]:
    """The rows that can be drawn, with their numbers; unreadable rows are left out."""
    pairs = [(row, _parsed(row)) for row in group.rows]
    return [(row, parsed) for row, parsed in pairs if parsed is not None]


def _units(group: EstimateGroup) -> str:
    units = dict.fromkeys(row.unit for row in group.rows if row.unit)
    return " / ".join(units)


@dataclass
class _Mark:
    row: EstimateRow
    low: float | None
    high: float | None
    kind: str
    """point, range, lower or upper."""
    reading: str
    x: float = 0.0
    """Position in matplotlib date units, after dodging marks that share a date."""

    @property
    def top(self) -> float:
        """The highest number the estimate gives."""
        return max(v for v in (self.low, self.high) if v is not None)

    @property
    def anchor(self) -> float:
        """Where the label points: the value, a range's middle, or a bound's cap."""
        if self.kind == "range":
            assert self.low is not None and self.high is not None
            return (self.low + self.high) / 2
        return self.top


def _mark(row: EstimateRow, parsed: ParsedEstimate) -> _Mark:
    """The mark for one reading; its numbers become floats here, for matplotlib only, and
    its label is printed from the reading's Decimals (`≥ 4,100,000`, `4,000–10,000+`).

    A high-end figure (`could reach 4,000`) is drawn as a point at its figure and labelled
    "(high end)": it claims neither a floor nor a cap, so neither arrow would be true."""
    low, high = _float(parsed.low), _float(parsed.high)
    if parsed.qualifier == "high end":
        low = high
    if low is not None and high is not None:
        kind = "point" if low == high and not parsed.open_high else "range"
    else:
        kind = "lower" if low is not None else "upper"
    return _Mark(row, low, high, kind, reading(parsed))


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- drawing ---------------------------------------------------------------------------


def _render(group: EstimateGroup, buffer: IO[Any], **savefig: Any) -> None:
    """Draw the chart on a fresh Figure and save it into `buffer`.

    Drawing and saving both happen under matplotlib's own defaults plus the house style,
    whatever the user's matplotlibrc says (tick labels, for one, are made while saving).
    The style is applied with `rc_context`, which briefly sets matplotlib's global
    settings: charts are drawn one at a time, not from several threads at once.
    """
    import matplotlib.style
    from matplotlib import rc_context

    fonts.register_with_matplotlib()
    with matplotlib.style.context("default"), rc_context(cast(Any, _RC)):
        fig = _draw(group)
        try:
            fig.savefig(buffer, facecolor="white", **savefig)
        finally:
            fig.clear()


def _draw(group: EstimateGroup) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    fig = Figure(figsize=FIGSIZE, dpi=_LAYOUT_DPI)
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    px = _LAYOUT_DPI / 72  # display pixels per point
    fig_w, fig_h = fig.bbox.width, fig.bbox.height

    marks = [_mark(row, parsed) for row, parsed in _plottable(group)]
    units = _units(group)

    def measure(text: str, size: float) -> tuple[float, float]:
        artist = fig.text(0, 0, text, fontsize=size, linespacing=1.15)
        box = artist.get_window_extent(renderer)
        artist.remove()
        return box.width, box.height

    # y: from 0, with headroom for labels and for the arrows of lower bounds.
    values = [m.top for m in marks] or [1.0]
    top = max(values) or 1.0
    ymax = top * 1.14
    for m in marks:
        if m.kind == "lower":
            ymax = max(ymax, m.top / 0.8)
    ticks = [t for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, ymax)]
    ticks = [t for t in ticks if 0 <= t <= ymax]

    def number(value: float, _pos: Any = None) -> str:
        """A tick's label, through Decimal: 0.30000000000000004 prints as 0.3."""
        return format_number(float(f"{value:.12g}"))

    # x: dates, with marks that share a date dodged sideways, and room for labels.
    texts = {id(m): _label_text(m) for m in marks}
    sizes = {id(m): measure(texts[id(m)], LABEL_PT) for m in marks}
    plot_area = (fig_w - 60 * px) * (fig_h - 30 * px)
    if sum(w * h for w, h in sizes.values()) > 0.3 * plot_area:
        # Crowded: one line per estimator, so that the labels still fit.
        texts = {id(m): _label_text(m, lines=1) for m in marks}
        sizes = {id(m): measure(texts[id(m)], LABEL_PT) for m in marks}
    whens = sorted({m.row.as_of for m in marks} or {row.as_of for row in group.rows})
    # One slot per x position (a day, a "by" day, a range's middle); its tick says every
    # date drawn there, as precisely as it was given.
    dates = sorted({position(w) for w in whens})
    ticks_at = {
        d: " / ".join(dict.fromkeys(w.label() for w in whens if position(w) == d)) for d in dates
    }
    clusters = {d: [m for m in marks if position(m.row.as_of) == d] for d in dates}
    dodge = (11 if len(dates) > 1 else 16) * px
    gap = 5 * px

    def half_width(cluster: list[_Mark]) -> float:
        return (len(cluster) - 1) * dodge / 2 + 4 * px

    # Margins from what the axes carry: y tick labels (and unit), one or two rows of dates.
    tick_w = max(measure(number(t), TICK_PT)[0] for t in ticks)
    tick_w_of = {d: measure(ticks_at[d], TICK_PT)[0] + 8 * px for d in dates}
    date_h = measure("2025-01-13", TICK_PT)[1]
    left = tick_w + 7 * px + (measure(units, TICK_PT)[1] + 5 * px if units else 0) + 3 * px
    pad_top, pad_right = 5 * px, 3 * px
    axes_w = fig_w - left - pad_right

    spans = [extent(w, _day_number) for w in whens]
    first = min((lo for lo, _ in spans), default=0.0)
    last = max((hi for _, hi in spans), default=0.0)
    if last == first:
        # One date (or none): put it in the middle, with room for labels either side.
        pad_left = axes_w / 2
        scale = pad_left / 30  # display pixels per day
    else:
        # Labels at the right edge: the last slot's, and those beside a bar that ends there.
        at_edge = [*clusters[dates[-1]], *(m for m in marks if _ends_at(m, last))]
        label_w = max((sizes[id(m)][0] for m in at_edge), default=0)
        pad_left = max(half_width(clusters[dates[0]]) + 10 * px, 0.03 * axes_w)
        pad_right = min(half_width(clusters[dates[-1]]) + gap + label_w + 6 * px, 0.45 * axes_w)
        scale = max(axes_w - pad_left - pad_right, 0.2 * axes_w) / (last - first)
    row1 = _spaced(dates, scale, tick_w_of)
    row2 = _spaced([d for d in dates if d not in row1], scale, tick_w_of)
    bottom = date_h * (2 if row2 else 1) + (10 if row2 else 8) * px

    ax = fig.add_axes(
        (left / fig_w, bottom / fig_h, axes_w / fig_w, (fig_h - bottom - pad_top) / fig_h)
    )
    ax.set_ylim(0, ymax)
    ax.set_xlim(first - pad_left / scale, first + (axes_w - pad_left) / scale)
    for cluster in clusters.values():
        ordered = sorted(cluster, key=lambda m: m.anchor)
        for i, m in enumerate(ordered):
            offset = (i - (len(ordered) - 1) / 2) * dodge
            m.x = _day_number(position(m.row.as_of)) + offset / scale

    _style_axes(ax, units)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(number))
    # Every date gets a tick, labelled as precisely as it was given ("Jan 2025", "by 24 Jan
    # 2025"); labels that do not fit in the first row go in a second one.
    at = {_day_number(d): ticks_at[d] for d in dates}
    second = {_day_number(d) for d in row2}
    ax.xaxis.set_major_locator(FixedLocator([_day_number(d) for d in row1]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, pos: at.get(x, "")))
    ax.xaxis.set_minor_locator(FixedLocator([_day_number(d) for d in dates if d not in row1]))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda x, pos: at.get(x, "") if x in second else ""))
    ax.tick_params(axis="x", which="minor", pad=3.5 + date_h / px + 2)

    if not marks:
        ax.text(
            0.5,
            0.5,
            "No estimate in this group could be plotted",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_PT,
            color=MUTED,
        )
        return fig

    boxes = [_draw_mark(ax, m, ymax) for m in marks]
    _place_labels(ax, marks, boxes, texts, sizes, gap)
    return fig


def _ends_at(mark: _Mark, x: float) -> bool:
    """True when the mark's date is a bar that reaches x (the right end of the axis)."""
    return not mark.row.as_of.is_day and extent(mark.row.as_of, _day_number)[1] >= x


def _label_text(mark: _Mark, lines: int = 2) -> str:
    return f"{mark.reading}\n{mark_label(mark.row.estimator, lines=lines)}"


def _style_axes(ax: Any, units: str) -> None:
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
    if units:
        ax.set_ylabel(units, fontsize=TICK_PT, color=MUTED, labelpad=5)


def _spaced(dates: list[dt.date], scale: float, widths: dict[dt.date, float]) -> list[dt.date]:
    """The dates whose tick labels fit side by side: always the last, then leftwards."""
    ordered = sorted(dates)
    items = [(_day_number(d), widths[d]) for d in ordered]
    return [ordered[i] for i in spaced(items, scale)]


def _draw_mark(ax: Any, m: _Mark, ymax: float) -> Box:
    """Draw one mark; return its extent in display pixels.

    A point for an exact or approximate figure, a capped bar for a range, and for a bound
    a cap at the value with an arrow away from it: up for `more than`, down for `up to`.
    An `up to` too close to 0 for an arrowhead is drawn as a bar from 0 to the value.
    """
    px = ax.figure.dpi / 72
    half = 2.25 * px  # half the width of a cap
    to_display = ax.transData.transform
    x_disp = to_display((m.x, 0))[0]
    color = WARNING if m.row.as_of.inferred else ACCENT
    draw_when(ax, m.row.as_of, m.x, m.anchor, color, _day_number)
    if m.kind == "point":
        ax.plot([m.x], [m.top], "o", ms=5.5, color=ACCENT, mec="white", mew=0.8, zorder=4)
        y0 = y1 = m.top
        margin = 3.5 * px
    elif m.kind == "range":
        assert m.low is not None and m.high is not None
        ax.plot([m.x, m.x], [m.low, m.high], color=ACCENT, lw=2.2, solid_capstyle="butt")
        for value in (m.low, m.high):
            _cap(ax, m.x, value, half, ACCENT)
        y0, y1 = m.low, m.high
        margin = 2 * px
    else:
        value = m.top
        arrow = 0.17 * ymax
        end = value + arrow if m.kind == "lower" else max(value - arrow, 0.0)
        room = abs(to_display((m.x, value))[1] - to_display((m.x, end))[1])
        if room >= 10 * px:
            head = "-|>,head_length=0.45,head_width=0.22"
            props = {"arrowstyle": head, "color": WARNING, "lw": 1.6, "shrinkA": 0, "shrinkB": 0}
            ax.annotate("", xy=(m.x, end), xytext=(m.x, value), arrowprops=props, zorder=3)
        else:
            ax.plot([m.x, m.x], [end, value], color=WARNING, lw=1.6, solid_capstyle="butt")
        _cap(ax, m.x, value, half, WARNING)
        y0, y1 = min(value, end), max(value, end)
        margin = 2 * px
    lo, hi = to_display((m.x, y0))[1], to_display((m.x, y1))[1]
    width = max(half, 3 * px) + margin
    left, right = x_disp - width, x_disp + width
    if m.row.as_of.precision == "by":  # its arrow points left from the mark
        left -= BY_ARROW_PT * px
    elif not m.row.as_of.is_day:  # labels go beside the whole bar, not over it
        x0, x1 = extent(m.row.as_of, _day_number)
        left, right = min(left, to_display((x0, 0))[0]), max(right, to_display((x1, 0))[0])
    return (left, lo - margin, right, hi + margin)


def _cap(ax: Any, x: float, y: float, half: float, color: str) -> None:
    """A short horizontal tick `half` display pixels either side of (x, y)."""
    cx, cy = ax.transData.transform((x, y))
    inverse = ax.transData.inverted()
    (x0, _), (x1, _) = inverse.transform([(cx - half, cy), (cx + half, cy)])
    ax.plot([x0, x1], [y, y], color=color, lw=1.6, solid_capstyle="butt", zorder=3)


def _place_labels(
    ax: Any,
    marks: list[_Mark],
    boxes: list[Box],
    texts: dict[int, str],
    sizes: dict[int, tuple[float, float]],
    gap: float,
) -> None:
    """Put each label where it costs least: overlap, leaving the axes, leaders across marks.

    Greedy, in order of date: candidates sit beside the mark or beside the whole group of
    marks that share its date, on the right or the left, at the mark's height or nudged up
    or down. A label that is not next to its mark is joined to it by a thin leader line.
    """
    px = ax.figure.dpi / 72
    frame = ax.bbox
    obstacles = [_inflate(box, 1.5 * px) for box in boxes]
    groups: dict[dt.date, list[int]] = {}
    for i, m in enumerate(marks):
        groups.setdefault(position(m.row.as_of), []).append(i)
    cluster = {
        i: (min(boxes[j][0] for j in members), max(boxes[j][2] for j in members))
        for members in groups.values()
        for i in members
    }
    placed: list[Box] = []
    leaders: list[tuple[float, float, float, float]] = []
    inverse = ax.transData.inverted()
    order = sorted(range(len(marks)), key=lambda i: (marks[i].x, -marks[i].anchor))
    for i in order:
        m, box = marks[i], boxes[i]
        w, h = sizes[id(m)]
        ay = ax.transData.transform((m.x, m.anchor))[1]
        best: tuple[float, Box, str, tuple[float, float, float, float] | None] | None = None
        for rank, (side, at_cluster, shift) in enumerate(_candidates()):
            cy = ay + shift * h
            if side == "right":
                x0 = (cluster[i][1] if at_cluster else box[2]) + gap
                cand: Box = (x0, cy - h / 2, x0 + w, cy + h / 2)
            else:
                x1 = (cluster[i][0] if at_cluster else box[0]) - gap
                cand = (x1 - w, cy - h / 2, x1, cy + h / 2)
            leader = _leader(box, ay, cand, side, gap, px)
            cost = sum(_overlap(cand, o) for j, o in enumerate(obstacles) if j != i) * 30
            cost += sum(_overlap(cand, p) for p in placed) * 4
            cost += _outside(cand, frame) * 8
            cost += rank * 0.002 * w * h
            if leader is not None:
                crossed = sum(_crosses(leader, o) for j, o in enumerate(obstacles) if j != i)
                crossed += sum(_crosses(leader, p) for p in placed)
                crossed += sum(_segments_cross(leader, other) for other in leaders)
                cost += crossed * 0.6 * w * h + 0.05 * h * math.dist(leader[:2], leader[2:])
            if best is None or cost < best[0]:
                best = (cost, cand, side, leader)
        assert best is not None
        _, cand, side, leader = best
        placed.append(_inflate(cand, 2.5 * px))
        tx, ty = inverse.transform(
            (cand[0] if side == "right" else cand[2], (cand[1] + cand[3]) / 2)
        )
        ax.text(
            tx,
            ty,
            texts[id(m)],
            ha="left" if side == "right" else "right",
            va="center",
            fontsize=LABEL_PT,
            color=INK,
            linespacing=1.15,
            zorder=5,
        )
        if leader is not None:
            leaders.append(leader)
            (lx0, ly0), (lx1, ly1) = inverse.transform([leader[:2], leader[2:]])
            ax.plot([lx0, lx1], [ly0, ly1], color=MUTED, lw=0.5, zorder=2)


def _leader(
    box: Box, ay: float, label: Box, side: str, gap: float, px: float
) -> tuple[float, float, float, float] | None:
    """The line from a mark to its label, or None when the label sits right beside it."""
    start = box[2] if side == "right" else box[0]
    edge = label[0] - px if side == "right" else label[2] + px
    beside = abs(edge - start) <= gap + px and label[1] <= ay <= label[3]
    if beside:
        return None
    near = min(max(ay, label[1] + 3 * px), label[3] - 3 * px)
    return (start, ay, edge, near)


def _candidates() -> list[tuple[str, bool, float]]:
    """(side, beside the date's whole group, shift in label heights), best first."""
    shifts = [0.0, 0.35, -0.35, 0.7, -0.7, 1.05, -1.05, 1.4, -1.4, 1.8, -1.8, 2.3, -2.3, 3, -3]
    return [
        (side, at_cluster, s)
        for s in shifts
        for at_cluster in (False, True)
        for side in ("right", "left")
    ]


def _crosses(segment: tuple[float, float, float, float], box: tuple[float, ...]) -> bool:
    """Whether a segment passes through a rectangle (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return t1 - t0 > 1e-6


def _segments_cross(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two segments properly intersect."""

    def turn(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    p1, p2, p3, p4 = (a[0], a[1]), (a[2], a[3]), (b[0], b[1]), (b[2], b[3])
    d1, d2 = turn(p3, p4, p1), turn(p3, p4, p2)
    d3, d4 = turn(p1, p2, p3), turn(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def _day_number(day: dt.date) -> float:
    """matplotlib's number for a date on a date axis (its function is untyped)."""
    from matplotlib.dates import date2num

    return float(date2num(day))  # type: ignore[no-untyped-call]


def _inflate(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: tuple[float, ...], frame: Any) -> float:
    """The area of `box` that lies outside the axes."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - _overlap(box, (frame.x0, frame.y0, frame.x1, frame.y1))


@dataclass(frozen=True)
class Chart:
    """A drawn chart of one estimate group, in the forms the renderers need."""

    group: EstimateGroup
    alt: str
    svg: str | None = None
    png: bytes | None = None

    @property
    def data_uri(self) -> str:
        """The SVG as a `data:` URL: the PDF fetcher allows it and the HTML stays one file."""
        assert self.svg is not None
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def charts_for(
    groups: Iterable[EstimateGroup], svg: bool, png: bool, store: Blobs | None = None
) -> list[Chart]:
    """Charts of the groups worth drawing, taken from `store` where an earlier build drew
    the same chart and drawn (then kept in `store`) where not. matplotlib is imported
    only if something must be drawn."""
    store = store or Blobs(None)
    return [
        Chart(
            group,
            alt_text(group),
            _kept(store, group, "svg", lambda g: chart_svg(g).encode()).decode() if svg else None,
            _kept(store, group, "png", chart_png) if png else None,
        )
        for group in groups
        if wants_chart(group)
    ]


def _kept(
    store: Blobs, group: EstimateGroup, form: str, draw: Callable[[EstimateGroup], bytes]
) -> bytes:
    name = Blobs.name(_drawn_from(group, form), f".{form}")
    data = store.get(name)
    if data is None:
        data = draw(group)
        store.put(name, data)
    return data


def _drawn_from(group: EstimateGroup, form: str) -> list[object]:
    """Everything a chart's pixels depend on: the rows it plots, the form, and the
    versions of the code that draws it."""
    rows = [
        [row.text, row.reading, row.estimator, str(row.as_of), row.as_of.inferred, row.unit]
        for row in group.rows
    ]
    faces = [[family, fonts.FAMILIES[family]] for family in fonts.SANS]
    return ["briefgen chart", __version__, _matplotlib_version(), faces, form, group.quantity, rows]


@functools.cache
def _matplotlib_version() -> str:
    return importlib.metadata.version("matplotlib")
