"""The small print keeps a reading measure (issue 18): the notes under the estimates
(figure captions), the likelihood-scale note, the legend, the source summary and the
Sources list ran ~100 characters a line at 8.5-9 pt across the full column; they are set
in a narrower column of their own (at most ~80 characters), never below 8 pt. Read back
from the PDF, line by line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from briefgen import pipeline
from conftest import REPO

SAMPLES = [REPO / "sources" / "nk-russia" / f"2025-W{n}.yaml" for n in ("04", "08")]
BODY = (102.0, 1040.0)  # px from the top: between the running head and foot
COLUMNS = [113.4 + share * 566.9 + 4.9 for share in (0, 0.26, 0.43, 0.66, 0.85)]
"""Where the estimates table's cells start (as tests/test_pagination.py)."""
PX = 0.75  # WeasyPrint sets HTML text in CSS px under this scale to pt


Chunk = tuple[float, str, float, bool]
"""x, text, size in pt, set in the sans face."""


def page_lines(page: PageObject) -> dict[int, list[Chunk]]:
    """The page's body text (not a chart's), by line."""
    lines: dict[int, list[Chunk]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        in_html = abs(abs(cm[0]) - PX) < 0.01  # a chart's SVG text is not
        if text.strip() and in_html and BODY[0] < tm[5] < BODY[1]:
            sans = "Sans" in str(font.get("/BaseFont", "")) if isinstance(font, dict) else False
            lines.setdefault(round(tm[5]), []).append((tm[4], text, size * PX, sans))

    page.extract_text(visitor_text=visit)
    return lines


def body_lines(pdf: Path) -> Iterator[tuple[str, float, float, bool]]:
    """(text, smallest and largest size in pt, all in the sans face: a heading or label)
    of each body line in reading order, but the estimates table's rows."""
    for page in PdfReader(pdf).pages:
        for _, chunks in sorted(page_lines(page).items()):
            chunks.sort()
            starts = {x for x, *_ in chunks}
            if sum(any(abs(x - column) < 2 for x in starts) for column in COLUMNS) >= 2:
                continue  # a table row: cells side by side
            sizes = [size for _, _, size, _ in chunks]
            text = "".join(text for _, text, _, _ in chunks).strip()
            yield text, min(sizes), max(sizes), all(sans for *_, sans in chunks)


def small_lines(pdf: Path) -> list[tuple[str, float]]:
    """(text, size) of the small print's lines: those set wholly at 9 pt or less (captions,
    notes) and everything in the Sources but headings. Not the title block (its key is
    a line of separate marks, not running text): from the first section heading on."""
    found, started, in_sources = [], False, False
    for text, smallest, largest, heading in body_lines(pdf):
        started |= heading and 11 < largest < 16  # an H2 (12 pt), not the H1 (21 pt)
        in_sources |= text.startswith("This brief rests on")  # the summary opens the Sources
        if started and not heading and (in_sources or largest <= 9):
            found.append((text, smallest))
    return found


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_small_print_runs_at_most_80_characters_a_line(edition: Path, tmp_path: Path) -> None:
    result = pipeline.build([edition], pipeline.BuildOptions(output=tmp_path, formats=["pdf"]))
    (pdf,) = result.written
    lines = list(small_lines(pdf))
    texts = [text for text, _ in lines]
    if "W08" in edition.stem:  # W04 has no outlook
        assert any(t.startswith("Likelihood on the") for t in texts)  # the ICD scale note
    assert any(t.startswith("This brief rests on") for t in texts)  # the source summary
    assert any(t.startswith("Figure 1.") for t in texts)  # a caption
    assert any("rests on a single" in t for t in texts)  # the legend
    assert any(t.startswith("1. ") for t in texts)  # the Sources list
    long = [text for text in texts if len(text) > 82]
    assert not long, long
    counts = [len(text) for text in texts if len(text) > 40]  # full lines, not last ones
    assert sum(counts) / len(counts) <= 76
    assert min(size for _, size in lines) >= 8
