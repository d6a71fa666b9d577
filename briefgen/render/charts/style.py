"""The house style of the charts: templates/brief.css's colours, the body typeface, sizes.

Kept in one place so that the marks, the labels and the legend draw alike, and so that
the cache key (briefgen/render/charts/__init__.py) can name what the pixels depend on.
"""

from __future__ import annotations

from briefgen.render import fonts

ACCENT = "#1f3a5f"
MUTED = "#5b6570"
WARNING = "#a14a00"
GRID = "#e3e7eb"
INK = "#1b1f24"
"""templates/brief.css's colours: marks in accent, open ends and inferred dates in
warning, labels in ink, axes in muted, grid lines in the light rule colour."""

CM = 1 / 2.54
PDF_WIDTH = 15 * CM
"""Inches: the width the PDF places a chart at (brief.css: A4 less 30 mm margins)."""
DOCX_WIDTH = 16 * CM
"""Inches: the width the DOCX places a chart's PNG at (briefgen/render/docx.py)."""

PLOT_CM = {2: 3.4, 4: 4.2}
"""The height of the plotting area in cm by how many marks it carries (up to the key);
more marks get PLOT_CM_MAX. With ticks, the key and the caption a chart stays at about a
third of an A4 text column (7–8 cm), less when it has little to show."""
PLOT_CM_MAX = 4.6

TICK_PT = 9.0
LABEL_PT = 9.0
LEGEND_PT = 8.5
"""Sizes as printed: each chart is drawn at the width it is placed at (PDF_WIDTH for the
SVG, DOCX_WIDTH for the PNG), never scaled, so a 9 pt label prints at 9 pt, a step below
the 10.5 pt body and beside the 8.9 pt caption; nothing under 8 pt."""
LABEL_WIDTH = 28
"""Estimator names are wrapped at this many characters (never cut)."""

LAYOUT_DPI = 100
"""Layout is worked out in display pixels at this resolution, then fixed in data units."""

FAMILIES = fonts.SERIF
"""The brief's body face (brief.css `html { font-family: var(--serif) }`): the chart
reads as part of the text it sits in."""

RC = {
    "font.family": FAMILIES,  # a list, not "serif": each glyph from the first that has it
    "axes.unicode_minus": False,
    "svg.fonttype": "none",  # text stays text: selectable, searchable, small
    "svg.hashsalt": "briefgen",  # stable clip-path ids: same input, same bytes
    # Hinting changes a text's width with the resolution (7 pt measures 9 % narrower at
    # the 100 dpi layout than drawn at 200 dpi or in the SVG), so labels placed to fit
    # ran off the edge: unhinted widths are the same at every resolution.
    "text.hinting": "no_hinting",
}

Box = tuple[float, float, float, float]
"""A rectangle in display pixels: (x0, y0, x1, y1)."""


def plot_height_cm(marks: int) -> float:
    """The plotting area's height for a chart of `marks` marks."""
    for most, height in sorted(PLOT_CM.items()):
        if marks <= most:
            return height
    return PLOT_CM_MAX
