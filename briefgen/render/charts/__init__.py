"""Estimate charts: every estimate of one quantity over time, so agreement and
disagreement show at a glance.

One compact chart per `EstimateGroup` with at least two plottable estimates and one unit
(briefgen/render/charts/draw.py lays it out; marks.py draws each estimate; labels.py
places the labels; legend.py draws the key). SVG (text kept as text, in the body face)
for the PDF and HTML, PNG for the DOCX, both byte-for-byte deterministic, and kept in the
build cache under a key of everything their pixels depend on.

matplotlib is imported only inside the functions that draw, so importing this package is
free.
"""

from __future__ import annotations

import base64
import functools
import importlib.metadata
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.cache import Blobs
from briefgen.render import fonts
from briefgen.render.charts.labels import mark_label, short_estimator
from briefgen.render.charts.marks import plottable, unit_of
from briefgen.render.charts.style import DOCX_WIDTH, FAMILIES, LABEL_WIDTH, PDF_WIDTH
from briefgen.render.timeline import position

if TYPE_CHECKING:
    from briefgen.assemble import EstimateGroup, EstimateRow

__all__ = [
    "LABEL_WIDTH",
    "Chart",
    "alt_text",
    "chart_png",
    "chart_svg",
    "charts_for",
    "mark_label",
    "short_estimator",
    "wants_chart",
]

DRAWING = 4
"""Bumped when the drawing changes in a way the versions in the cache key do not show."""


def wants_chart(group: EstimateGroup) -> bool:
    """True when the group has at least two estimates that can be plotted on one axis;
    a group whose rows carry different units keeps to its table."""
    return len(plottable(group)) >= 2 and unit_of(group) is not None


def chart_svg(group: EstimateGroup) -> str:
    """The group's chart as an SVG document, its text kept as selectable text, drawn at
    the width the PDF places it at."""
    from briefgen.render.charts.draw import render

    buffer = io.StringIO()
    render(group, buffer, PDF_WIDTH, format="svg", metadata={"Date": None})
    # WeasyPrint (70) splits an SVG font-family list at commas and strips quotes but not
    # spaces, so `'A', 'B'` would leave it only A: write the list without the spaces.
    return presentation_attributes(buffer.getvalue().replace("', '", "','"))


PRESENTATION = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "font-family", "font-size", "font-style", "font-weight",
    "text-anchor", "clip-path",
})  # fmt: skip
"""The properties matplotlib writes in `style` that SVG also takes as attributes."""
_STYLE = re.compile(r' style="([^"]*)"')
_SHEET = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'


def presentation_attributes(svg: str) -> str:
    """matplotlib's SVG with each `style="a: b; c: d"` written as attributes `a="b"
    c="d"`, and its one stylesheet rule (`*{stroke-linejoin: round; ...}`) as attributes
    of the root, which every element inherits unless it sets its own, as the rule gave.

    WeasyPrint parses each style attribute with its CSS tokenizer and matches the rule
    against each element: a tenth of drawing a chart, done for nothing; the PDF is the
    same, byte for byte (tests/test_charts.py). A style with any other property stays."""

    def attributes(match: re.Match[str]) -> str:
        pairs = [item.split(":", 1) for item in match[1].split(";") if item.strip()]
        if any(len(pair) != 2 or pair[0].strip() not in PRESENTATION for pair in pairs):
            return match[0]
        return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)

    svg = _STYLE.sub(attributes, svg)
    if _SHEET in svg:
        root = '<svg stroke-linejoin="round" stroke-linecap="butt" '
        svg = svg.replace(_SHEET, "").replace("<svg ", root, 1)
    return svg


def chart_png(group: EstimateGroup, dpi: int = 200) -> bytes:
    """The group's chart as a PNG at `dpi` (200 prints sharply), drawn at the width the
    DOCX places it at."""
    from briefgen.render.charts.draw import render

    buffer = io.BytesIO()
    render(group, buffer, DOCX_WIDTH, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def alt_text(group: EstimateGroup) -> str:
    """One sentence describing the chart, for screen readers and the DOCX alt text."""
    marks = plottable(group)
    unit = unit_of(group)
    quantity = f"{group.quantity} ({unit})" if unit else group.quantity
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
    name = Blobs.name(drawn_from(group, form), f".{form}")
    data = store.get(name)
    if data is None:
        data = draw(group)
        store.put(name, data)
    return data


def drawn_from(group: EstimateGroup, form: str) -> list[object]:
    """Everything a chart's pixels depend on: the rows it plots (with their exact
    readings), the form, the faces, and the versions of the code that draws it."""
    rows = [
        [row.text, row.reading, repr(row.parsed), row.estimator, _when(row), row.unit]
        for row in group.rows
    ]
    faces = [[family, fonts.FAMILIES[family]] for family in FAMILIES]
    versions = [__version__, DRAWING, _matplotlib_version()]
    return ["briefgen chart", versions, faces, form, group.quantity, rows]


def _when(row: EstimateRow) -> str:
    return f"{row.as_of} {row.as_of.precision} inferred={row.as_of.inferred}"


@functools.cache
def _matplotlib_version() -> str:
    return importlib.metadata.version("matplotlib")
