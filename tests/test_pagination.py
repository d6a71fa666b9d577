"""Page breaks read back from the PDF (pypdf text positions, page by page): no heading,
table head or quantity label is the last thing on a page; a quantity that continues on
a new page shows its label there; no citation marker starts a line; no line ends in a
hyphen inside a name or a date. On the samples and on generated briefs of many sizes,
with the bundled fonts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from briefgen import pipeline
from conftest import REPO

SAMPLES = sorted((REPO / "sources" / "nk-russia").glob("20*.yaml"))
PAGE_HEIGHT = 1122.5  # A4 in CSS px: WeasyPrint writes text positions in px from the top
BODY = (102.0, 1040.0)  # between the running head and foot (the page margins of brief.css)
COLUMNS = [113.4 + share * 566.9 + 4.9 for share in (0, 0.26, 0.43, 0.66, 0.85)]
"""Where a cell's text starts: the column (30 mm margins, brief.css's widths) plus padding."""
LIST_MARK = re.compile(r"^\s*(•|\d+\.)\s*$")
MARK_START = re.compile(r"^(?:\[\d|[†‡](?!\s\w))")  # not the legend's "† rests on"
BAD_END = re.compile(r"(?:\b[A-Z][\w’']*|\d)[-‐\xad]$|[‐\xad]$")


@dataclass
class Chunk:
    x: float
    y: float
    text: str
    font: str
    size: float
    """In pt (WeasyPrint gives px)."""


@dataclass
class Line:
    y: float
    chunks: list[Chunk]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chunks if not LIST_MARK.match(c.text)).strip()

    @property
    def first(self) -> Chunk:
        return next(c for c in self.chunks if not LIST_MARK.match(c.text))

    @property
    def all_sans(self) -> bool:
        """Headings, table heads and quantity labels are set in the sans face only."""
        return all("Sans" in c.font for c in self.chunks if c.text.strip())

    @property
    def columns(self) -> int:
        """How many of the estimates table's columns this line has text at the start of."""
        starts = {c.x for c in self.chunks if c.text.strip()}
        return sum(any(abs(x - column) < 2 for x in starts) for column in COLUMNS)


def page_chunks(page: PageObject) -> list[Chunk]:
    """The page's text pieces between the running head and foot, with their font."""
    chunks: list[Chunk] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() and BODY[0] < tm[5] < BODY[1]:
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            chunks.append(Chunk(tm[4], tm[5], text, name, size * 0.75))

    page.extract_text(visitor_text=visit)
    return chunks


def page_lines(pdf: Path) -> list[list[Line]]:
    """The body lines of each page, top to bottom, their chunks left to right."""
    pages = []
    for page in PdfReader(pdf).pages:
        lines: dict[int, list[Chunk]] = {}
        for chunk in page_chunks(page):
            lines.setdefault(round(chunk.y), []).append(chunk)
        pages.append([Line(y, sorted(cs, key=lambda c: c.x)) for y, cs in sorted(lines.items())])
    return pages


def problems(pdf: Path) -> list[str]:
    """Every broken promise of the page layout, as `page N: what`."""
    pages = page_lines(pdf)
    found = []
    for number, lines in enumerate(pages, start=1):
        lines = [line for line in lines if line.text]
        if not lines:
            continue
        last, first = lines[-1], lines[0]
        if number < len(pages) and last.all_sans:
            found.append(f"page {number}: ends with a heading or label: {last.text!r}")
        if number > 1 and first.columns >= 3 and not first.all_sans:
            found.append(f"page {number}: a table row with no label above it: {first.text!r}")
        left = min(line.first.x for line in lines)
        for line in lines:
            if MARK_START.match(line.first.text) and line.first.x < left + 400:
                found.append(f"page {number}: a line starts with a marker: {line.text!r}")
            if BAD_END.search(line.chunks[-1].text.rstrip(" ")):
                found.append(f"page {number}: a name or date broken at a hyphen: {line.text!r}")
    return found


def build(edition: Path, out: Path) -> Path:
    result = pipeline.build(
        [edition], pipeline.BuildOptions(output=out, formats=["pdf"], force=True, charts=False)
    )
    (pdf,) = result.written
    return pdf


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_sample_pages_strand_nothing(edition: Path, tmp_path: Path) -> None:
    pdf = build(edition, tmp_path)
    assert problems(pdf) == []
    lines = [line for page in page_lines(pdf) for line in page]
    # typography: nothing under 8 pt, at most ~80 characters a line of body text (10.5 pt)
    assert min(c.size for line in lines for c in line.chunks) >= 8
    prose = [line for line in lines if line.columns < 2 and not line.all_sans]
    body = [sum(len(c.text) for c in line.chunks if c.size >= 10) for line in prose]
    body = [n for n in body if n]
    assert sum(body) / len(body) <= 75 and max(body) <= 90  # ragged right: W04 62 and 87
    prose = [line.text for line in prose]
    # no automatic hyphenation: no line ends in a hyphen the notes did not write
    assert not [text for text in prose if text.endswith(("\u2010", "\xad"))]


SITUATION = (
    "On {n} February the ministry in Pyongyang said that its forces near Kursk were "
    "rotated, a claim Kim Jong-un's office and officials at Mar-a-Lago did not confirm."
)


def generated(path: Path, lines: int, groups: int, rows: int) -> Path:
    """An edition of the test workspace with `lines` situation lines, and `groups`
    quantities of `rows` estimates each; long and short lines alternate."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("situation:\n", 1)
    rest = rest[rest.index("questions:") :]
    body = ["situation:\n"]
    for n in range(lines):
        words = SITUATION.format(n=n + 1) if n % 2 else f"Line {n} of the situation."
        body.append(f"  - text: {words!r}\n    cite: [reaction-2025-01-13]\n")
    body.append("estimates:\n")
    for g in range(groups):
        for r in range(rows + g % 2):
            body.append(
                f"  - quantity: Troops in sector {g + 1}\n    estimate: about {1000 * (r + 1)}\n"
                f"    estimator: Estimator {r + 1}\n    as_of: 2025-01-{10 + r % 9:02d}\n"
                "    cite: [desk-memo]\n"
            )
    path.write_text(head + "".join(body) + rest, encoding="utf-8")
    return path


SIZES = [(lines, 1 + lines % 4, 1 + lines % 3) for lines in range(8, 29, 3)] + [(6, 1, 40)]
"""Situation lengths that move the Estimates heading, table head and first label down
the page a line or two at a time past the foot of page 1 and 2; and one quantity too
long for a page."""


def test_generated_briefs_of_many_sizes_strand_nothing(edition: Path, tmp_path: Path) -> None:
    heading_led_a_page = False
    for lines, groups, rows in SIZES:
        pdf = build(generated(edition, lines, groups, rows), tmp_path / f"{lines}-{rows}")
        assert problems(pdf) == [], (lines, groups, rows)
        pages = page_lines(pdf)
        heading_led_a_page |= any(p and p[0].text == "Estimates" for p in pages[1:])
        if rows == 40:  # the long quantity's label stands at the head of each of its pages
            label = "Troops in sector 1"
            labelled = [p for p in pages if any(line.text.startswith(label) for line in p)]
            assert len(labelled) >= 2
            assert any(line.text == f"{label} (cont.)" for line in labelled[1])
    assert heading_led_a_page  # a break fell where the heading would have been stranded
