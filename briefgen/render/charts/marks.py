"""What a chart plots and how each estimate is drawn.

A point for an exact figure (open for an approximate one), a diamond for a high-end
figure, a capped vertical bar for a range, and a cap with an arrow for an open end: up for
`more than` (and above a range whose top is open, `4,000–10,000+`), down for `up to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from briefgen.estimates import ParsedEstimate, parse_estimate, reading
from briefgen.render.charts.style import ACCENT, WARNING, Box
from briefgen.render.timeline import BY_ARROW_PT, draw_when, extent

if TYPE_CHECKING:
    from briefgen.assemble import EstimateGroup, EstimateRow

UNIT_NAMES = {"%": "per cent"}
"""How an axis names a unit the reading carries (`33.5%`); currencies keep their code."""


def parsed(row: EstimateRow) -> ParsedEstimate | None:
    """The row's numbers: its exact reading when it has one, else read from its reading
    text (which honours explicit low/high), else from its text."""
    if row.parsed.low is not None or row.parsed.high is not None:
        return row.parsed
    for text in (row.reading, row.text):
        if text.strip():
            try:
                found = parse_estimate(text)
            except ValueError:
                continue
            if found.low is not None or found.high is not None:
                return found
    return None


def plottable(group: EstimateGroup) -> list[tuple[EstimateRow, ParsedEstimate]]:
    """The rows that can be drawn, with their numbers; unreadable rows are left out."""
    pairs = [(row, parsed(row)) for row in group.rows]
    return [(row, found) for row, found in pairs if found is not None]


def unit_of(group: EstimateGroup) -> str | None:
    """The one unit the group's axis carries ("" when none is given), or None when its
    rows carry different units: two units never share an axis, so such a group keeps to
    its table (check refuses it already; this is the guard). A bare number beside a
    currency or a per cent is another unit; `$2,000` beside a row in `USD a month` is not."""
    pairs = plottable(group)
    units = {_unit(row, found) for row, found in pairs}
    named = {unit for unit in units if unit}
    codes = {unit for unit in named if any(o != unit and o.startswith(unit) for o in named)}
    named -= codes
    if len(named) > 1 or (named and "" in units and any(f.unit for _, f in pairs)):
        return None
    return named.pop() if named else ""


def _unit(row: EstimateRow, found: ParsedEstimate) -> str:
    """The unit a row gives (`USD a month`), else the one its figure carries (`per cent`)."""
    given = " ".join((row.unit or "").split())
    return given or UNIT_NAMES.get(found.unit or "", found.unit or "")


@dataclass
class Mark:
    """One estimate as drawn: its numbers as floats (for matplotlib only) and its kind."""

    row: EstimateRow
    low: float | None
    high: float | None
    kind: str
    """point, approximate, high end, range, lower or upper."""
    reading: str
    open_high: bool = False
    """A range whose top is open: drawn with an arrow above its top."""
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

    @property
    def keys(self) -> list[str]:
        """The legend entries this mark needs (briefgen/render/charts/legend.py)."""
        keys = [self.kind] + ["lower"] * self.open_high
        when = self.row.as_of
        keys += ["by"] if when.precision == "by" else [] if when.is_day else ["span"]
        return keys + ["inferred"] * bool(when.inferred)


def mark(row: EstimateRow, found: ParsedEstimate) -> Mark:
    """The mark for one reading; its label is printed from the reading's Decimals
    (`≥ 4,100,000`, `4,000–10,000+`), never from the floats.

    A high-end figure (`could reach 4,000`) claims neither a floor nor a cap, so neither
    arrow would be true: it is a diamond at its figure, labelled "(high end)"."""
    low, high = _float(found.low), _float(found.high)
    if found.qualifier == "high end":
        return Mark(row, high, high, "high end", reading(found))
    if low is not None and high is not None:
        if low == high and not found.open_high:
            kind = "approximate" if found.approx else "point"
        else:
            kind = "range"
    else:
        kind = "lower" if low is not None else "upper"
    return Mark(row, low, high, kind, reading(found), open_high=found.open_high)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def draw_mark(ax: Any, m: Mark, ymax: float, day_number: Any) -> Box:
    """Draw one mark with its date's bar or arrow; return its extent in display pixels."""
    px = ax.figure.dpi / 72
    color = WARNING if m.row.as_of.inferred else ACCENT
    draw_when(ax, m.row.as_of, m.x, m.anchor, color, day_number)
    y0, y1, margin = draw_glyph(ax, m.kind, m.x, m.low, m.high, ymax)
    if m.open_high:
        assert m.high is not None
        y1 = max(y1, _arrow(ax, m.x, m.high, m.high + 0.17 * ymax, capped=False))
    to_display = ax.transData.transform
    x_disp = to_display((m.x, 0))[0]
    lo, hi = to_display((m.x, y0))[1], to_display((m.x, y1))[1]
    width = 4.5 * px + margin
    left, right = x_disp - width, x_disp + width
    if m.row.as_of.precision == "by":  # its arrow points left from the mark
        left -= BY_ARROW_PT * px
    elif not m.row.as_of.is_day:  # labels go beside the whole bar, not over it
        x0, x1 = extent(m.row.as_of, day_number)
        left, right = min(left, to_display((x0, 0))[0]), max(right, to_display((x1, 0))[0])
    return (left, lo - margin, right, hi + margin)


def draw_glyph(
    ax: Any, kind: str, x: float, low: float | None, high: float | None, ymax: float
) -> tuple[float, float, float]:
    """Draw the mark of one kind at x; return its lowest and highest y, and a margin in
    display pixels. The legend draws its samples with this too, so key and chart agree."""
    px = ax.figure.dpi / 72
    top = max(v for v in (low, high) if v is not None)
    if kind in ("point", "approximate", "high end"):
        face = "white" if kind == "approximate" else ACCENT
        style = {"marker": "D", "ms": 5.0} if kind == "high end" else {"marker": "o", "ms": 5.5}
        edge = (
            {"mec": ACCENT, "mew": 1.2} if kind == "approximate" else {"mec": "white", "mew": 0.8}
        )
        ax.plot([x], [top], ls="none", color=face, zorder=4, **style, **edge)
        return top, top, 3.5 * px
    if kind == "range":
        assert low is not None and high is not None
        ax.plot([x, x], [low, high], color=ACCENT, lw=2.2, solid_capstyle="butt")
        for value in (low, high):
            cap(ax, x, value, ACCENT)
        return low, high, 2 * px
    end = top + 0.17 * ymax if kind == "lower" else max(top - 0.17 * ymax, 0.0)
    _arrow(ax, x, top, end)
    return min(top, end), max(top, end), 2 * px


def _arrow(ax: Any, x: float, start: float, end: float, capped: bool = True) -> float:
    """An open end from `start` towards `end`, with a cap at `start`; a bar when there is
    no room for an arrowhead (an `up to` close to 0). Returns `end`."""
    px = ax.figure.dpi / 72
    to_display = ax.transData.transform
    room = abs(to_display((x, start))[1] - to_display((x, end))[1])
    if room >= 10 * px:
        head = "-|>,head_length=0.45,head_width=0.22"
        props = {"arrowstyle": head, "color": WARNING, "lw": 1.6, "shrinkA": 0, "shrinkB": 0}
        ax.annotate("", xy=(x, end), xytext=(x, start), arrowprops=props, zorder=3)
    else:
        ax.plot([x, x], [end, start], color=WARNING, lw=1.6, solid_capstyle="butt")
    if capped:
        cap(ax, x, start, WARNING)
    return end


def cap(ax: Any, x: float, y: float, color: str) -> None:
    """A short horizontal tick either side of (x, y), 2.25 points each way."""
    half = 2.25 * ax.figure.dpi / 72
    cx, cy = ax.transData.transform((x, y))
    inverse = ax.transData.inverted()
    (x0, _), (x1, _) = inverse.transform([(cx - half, cy), (cx + half, cy)])
    ax.plot([x0, x1], [y, y], color=color, lw=1.6, solid_capstyle="butt", zorder=3)
