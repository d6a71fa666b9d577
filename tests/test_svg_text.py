"""Chart labels in the PDF are runs of text: right-to-left names read right, Latin is
kerned, and text that places letters one by one still does (render/svgtext.py)."""

from __future__ import annotations

from pathlib import Path

from briefgen.render import svgtext
from briefgen.render.pdf import html_to_pdf
from conftest import REPO, pdf_text

FONT = "font-family=\"'Briefgen Serif','Briefgen Arabic','Briefgen Hebrew'\" font-size=\"14px\""
LABELS = ["AVATAR Wave 1,200", "وزارة الدفاع", "שלום עולם", "≈ 300"]
"""Runs of one direction each: pypdf reads a run of both in an order of its own."""


def svg(*texts: str) -> str:
    body = "".join(texts)
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">{body}</svg>'


def pdf_of(html: str) -> bytes:
    templates = REPO / "templates"
    return html_to_pdf(html, base_url=templates, roots=[templates]).pdf


def lines(pdf: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(pdf).splitlines() if line.strip()]


def test_one_point_labels_read_as_the_same_words_in_the_body_do() -> None:
    """Each label is one run: pypdf reads it back in the order it was written, as it
    reads the same words set in a paragraph (letter by letter, the Arabic and Hebrew
    came back reversed and the Arabic letters unjoined)."""
    anchors = ["", ' text-anchor="end"'] * 2
    labels = [
        f'<text {FONT} x="10" y="{30 + 40 * i}"{anchor}>{label}</text>'
        for i, (label, anchor) in enumerate(zip(LABELS, anchors, strict=True))
    ]
    in_svg = lines(pdf_of(f"<body>{svg(*labels)}</body>"))
    in_body = lines(pdf_of("<body>" + "".join(f"<p>{label}</p>" for label in LABELS) + "</body>"))
    assert in_svg == in_body == LABELS


def test_text_that_places_letters_one_by_one_is_still_drawn_so() -> None:
    spaced = (
        f'<text {FONT} x="10 30 50" y="40">ABC</text><text {FONT} x="10" y="80" dx="0 9">DE</text>'
    )
    pdf = pdf_of(f"<body>{svg(spaced)}</body>")
    assert sorted("".join(lines(pdf)).replace(" ", "")) == ["A", "B", "C", "D", "E"]


def test_only_one_point_text_is_taken_as_a_run() -> None:
    class Node:
        def __init__(self, text: str, **attributes: str):
            self.text, self.attributes = text, attributes

        def get(self, name: str, default: object = None) -> object:
            return self.attributes.get(name, default)

    assert svgtext.one_point(Node("1,200", x="10", y="20"))
    assert svgtext.one_point(Node("Jan 2025"))
    assert not svgtext.one_point(Node("A"))  # one letter: nothing to gain
    assert not svgtext.one_point(Node("ABC", x="10 20 30"))
    assert not svgtext.one_point(Node("ABC", x="10,20"))
    for name in svgtext.PER_LETTER:
        assert not svgtext.one_point(Node("ABC", **{name: "2"}))


def test_weasyprint_is_mended_once_and_keeps_telling_text_nodes_apart() -> None:
    from weasyprint import svg as weasy_svg

    svgtext.mend()
    svgtext.mend()
    assert weasy_svg.TAGS["text"] is weasy_svg.TAGS["tspan"] is weasy_svg.text
    assert getattr(weasy_svg.text, "briefgen_runs", False)
    assert Path(weasy_svg.__file__).parent.name == "svg"
