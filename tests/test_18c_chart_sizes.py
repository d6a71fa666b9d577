"""Chart text prints at one size in every format (issue 18): each chart is drawn at the
width it is placed at, so its 9 pt labels are 9 pt on paper, a step below the body
(10.5 pt) and never under 8 pt. Read back from the PDF (the size of the chart's text
runs) and from the DOCX (the picture's placed width against the PNG's own width)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from docx import Document
from docx.image.image import Image
from docx.shared import Pt
from pypdf import PdfReader

from briefgen import pipeline
from conftest import REPO

W04 = REPO / "sources" / "nk-russia" / "2025-W04.yaml"
BODY_PT = 10.5
"""The body size of both formats (brief.css `html`, the Word template's Normal)."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("built")
    result = pipeline.build([W04], pipeline.BuildOptions(output=out, formats=["pdf", "docx"]))
    return {path.suffix: path for path in result.written}


def printed_chart_sizes(pdf: Path) -> dict[str, float]:
    """Each chart text's printed size in pt. WeasyPrint sets HTML text in CSS px (a 0.75
    scale to pt); an SVG's text it sets in the SVG's own units, pt: the runs that are not
    under the px scale are the charts'."""
    sizes: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() and abs(abs(cm[0]) - 0.75) > 0.01:
            sizes[text.strip()] = size * abs(cm[0] * tm[0])

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_pdf_chart_text_prints_between_8_pt_and_the_body(built: dict[str, Path]) -> None:
    sizes = printed_chart_sizes(built[".pdf"])
    assert "Western intelligence" in sizes and "as-of span" in sizes  # a label and a key
    assert "13 Jan 2025" in sizes  # a date tick
    words = {text: size for text, size in sizes.items() if text != "*"}  # a key's glyph
    assert all(8.45 <= size <= 9.05 for size in words.values()), sizes
    assert sizes["Western intelligence"] == pytest.approx(9, abs=0.05)


def test_docx_charts_are_placed_at_the_width_they_were_drawn(built: dict[str, Path]) -> None:
    """The placed width (the inline shape's extent) over the drawn width (the PNG's pixels
    over its resolution) is 1, so the chart's 9 pt labels print at 9 pt, as in the PDF."""
    document = Document(str(built[".docx"]))
    body = document.styles["Normal"].font.size
    assert body == Pt(BODY_PT)
    shapes = list(document.inline_shapes)
    assert len(shapes) == 3
    for shape in shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        image = Image.from_blob(document.part.related_parts[rid].blob)
        drawn_inches = image.px_width / image.horz_dpi
        placed_inches = shape.width / 914400
        assert placed_inches / drawn_inches == pytest.approx(1, abs=0.01)
    label_pt = svg_label_pt(built)
    assert 8.5 <= label_pt * placed_inches / drawn_inches < BODY_PT


def svg_label_pt(built: dict[str, Path]) -> float:
    """The size the chart code gives its estimator labels, read from a drawn SVG (the PNG
    is drawn by the same code at the DOCX's width)."""
    from briefgen.render import charts

    (valid,) = pipeline.check([W04])
    group = next(g for g in pipeline.brief_of(valid).estimates if charts.wants_chart(g))
    root = ET.parse(io.StringIO(charts.chart_svg(group))).getroot()
    sizes = []
    for node in root.iter("{http://www.w3.org/2000/svg}text"):
        sizes.append(float(node.get("font-size", "").removesuffix("px")))
    return max(sizes)
