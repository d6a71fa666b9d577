"""The key under each chart: one sample of every kind of mark the chart draws, no more.

The samples are drawn by the same code as the marks (marks.draw_glyph), in a strip of
its own below the date labels, so the key never covers a mark. Entries run left to right
from the plot's left edge and wrap onto a second row when they do not fit.

The strip is drawn straight on the figure, in layout pixels (`_Strip`), not in an axes of
its own: an axes with its spines, ticks and transforms cost ~12 ms a chart to make and
save, a third of the whole chart (scripts/time_charts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from briefgen.render.charts.marks import draw_glyph
from briefgen.render.charts.style import ACCENT, INK, LAYOUT_DPI, LEGEND_PT, MUTED
from briefgen.render.timeline import BAR_ALPHA, BY_ARROW_PT

KEYS = {
    "point": "estimate",
    "approximate": "approximate (≈)",
    "range": "range",
    "lower": "open end (or more)",
    "upper": "upper bound (up to)",
    "high end": "high-end figure",
    "span": "as-of span",
    "by": "“by” date",
    "inferred": "inferred date",
}
"""Each kind of mark, in the key's order, and what the key calls it."""

SAMPLE_PT = 14.0
"""The width of a sample, in points; the text follows it after TEXT_GAP_PT."""
TEXT_GAP_PT = 3.0
ENTRY_GAP_PT = 11.0
ROW_PT = 14.0

Entry = tuple[str, float, int]
"""(key, x offset from the plot's left edge in pixels, row from the top)."""


def keys_of(kinds: Iterable[str]) -> list[str]:
    """The key's entries for the kinds drawn, in the key's order."""
    drawn = set(kinds)
    return [key for key in KEYS if key in drawn]


def layout(
    keys: list[str], width: float, px: float, measure: Callable[[str], float]
) -> list[Entry]:
    """Where each entry goes within `width` display pixels (`px` pixels a point)."""
    entries: list[Entry] = []
    x, row = 0.0, 0
    for key in keys:
        size = (SAMPLE_PT + TEXT_GAP_PT) * px + measure(KEYS[key])
        if x and x + size > width:
            x, row = 0.0, row + 1
        entries.append((key, x, row))
        x += size + ENTRY_GAP_PT * px
    return entries


def height(entries: list[Entry], px: float) -> float:
    """The strip's height in display pixels (nothing when there is no entry)."""
    return (max(row for _, _, row in entries) + 1) * ROW_PT * px if entries else 0.0


def draw(fig: Any, entries: list[Entry], left: float, bottom: float, px: float) -> None:
    """Draw the key with its top-left corner at the plot's left edge, `bottom` + its
    height above the figure's foot (all in display pixels at the layout resolution)."""
    if not entries:
        return
    strip = _Strip(fig, bottom)
    tall = height(entries, px)
    for key, x, row in entries:
        x0 = left + x
        y = tall - (row + 0.5) * ROW_PT * px
        _sample(strip, key, x0 + SAMPLE_PT * px / 2, y, px)
        strip.text(x0 + (SAMPLE_PT + TEXT_GAP_PT) * px, y, KEYS[key], ha="left", va="center",
                   fontsize=LEGEND_PT, color=INK)  # fmt: skip


class _Strip:
    """Just enough of an Axes for marks.draw_glyph and the samples: lines, arrows and text
    added to the figure itself, placed in layout pixels from the strip's foot (`bottom`
    above the figure's), whatever resolution the figure is later saved at."""

    def __init__(self, fig: Any, bottom: float) -> None:
        from matplotlib.transforms import Affine2D

        self.figure = fig
        pixels = Affine2D().translate(0, bottom).scale(1 / LAYOUT_DPI)  # layout px -> inches
        self.transData = pixels + fig.dpi_scale_trans

    def plot(self, xs: list[float], ys: list[float], **style: Any) -> None:
        from matplotlib.lines import Line2D

        self.figure.add_artist(Line2D(xs, ys, transform=self.transData, **style))

    def annotate(self, text: str, xy: tuple[float, float], **style: Any) -> None:
        from matplotlib.text import Annotation

        where = {"xycoords": self.transData, "textcoords": self.transData}
        self.figure.add_artist(Annotation(text, xy, **where, **style))

    def text(self, x: float, y: float, text: str, **style: Any) -> None:
        self.figure.text(x, y, text, transform=self.transData, **style)


def _sample(ax: Any, key: str, x: float, y: float, px: float) -> None:
    """One mark's sample centred on (x, y), in pixel data units."""
    half = 5.5 * px
    if key in ("point", "approximate", "high end"):
        draw_glyph(ax, key, x, y, y, 1.0)
    elif key == "range":
        draw_glyph(ax, key, x, y - half, y + half, 1.0)
    elif key == "lower":
        draw_glyph(ax, key, x, y - half, None, 2 * half / 0.17)
    elif key == "upper":
        draw_glyph(ax, key, x, None, y + half, 2 * half / 0.17)
    elif key == "span":
        w = SAMPLE_PT * px / 2
        ax.plot([x - w, x + w], [y, y], color=ACCENT, lw=5, alpha=BAR_ALPHA, solid_capstyle="butt")
    elif key == "by":
        w = BY_ARROW_PT * px / 2
        head = "-|>,head_length=0.4,head_width=0.2"
        props = {"arrowstyle": head, "color": ACCENT, "lw": 1.2, "shrinkA": 0, "shrinkB": 0}
        ax.annotate("", xy=(x - w, y), xytext=(x + w, y), arrowprops=props)
    else:  # inferred: the asterisk its date carries
        ax.text(x, y, "*", ha="center", va="center", fontsize=LEGEND_PT + 2, color=MUTED)
