"""The PDF brief, read back with pypdf: text per section, pages, metadata, links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import pipeline
from conftest import DATA, REPO, pdf_text

SAMPLES = sorted((REPO / "sources" / "nk-russia").glob("20*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test workspace's edition built once for this module (a render costs ~1 s)."""
    out = tmp_path_factory.mktemp("out")
    edition = DATA / "ws" / "sources" / "demo" / "2025-W03.yaml"
    result = pipeline.build([edition], pipeline.BuildOptions(output=out, formats=["pdf"]))
    assert result.written == [out / "2025-01-19-demo.pdf"]
    return result.written[0]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_sections_appear_in_order_with_their_lines(built: Path) -> None:
    text = flat(pdf_text(built))
    order = ["Key judgments", "Situation", "Estimates", "Open questions", "Outlook", "Sources"]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    assert "North Korea is taking heavy losses & <b>hiding</b> them. [1, 2]" in text
    assert "Zelensky said Ukraine is ready to exchange two captured North Korean soldiers" in text
    assert "about 300 ≈ 300 South Korea NIS 13 Jan 2025 [1]" in text
    assert "Likely (55–80%), moderate confidence: North Korea will send more troops" in text
    assert "Reaction, Caitlin Allen. Zelensky offers to swap captured North Korean soldiers" in text


def test_header_and_footer_on_every_page(built: Path) -> None:
    reader = PdfReader(built)
    for number, page in enumerate(reader.pages, start=1):
        text = flat(page.extract_text())
        assert text.count("UNCLASSIFIED") >= 2  # header and footer (and the title banner)
        assert "North Korean forces in Russia’s war" in text  # page 1: in the title block
        assert "19 Jan 2025" in text
        assert f"Page {number} of {len(reader.pages)}" in text


def test_metadata(built: Path) -> None:
    reader = PdfReader(built)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "North Korean forces in Russia’s war — 2025-01-19"
    assert meta.author == "Korea Desk"
    assert meta["/CreationDate"] == "D:20250119"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def internal_links(reader: PdfReader) -> list[str]:
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                links.append(str(annot["/Dest"]))
    return links


def test_every_cited_line_has_a_link_to_its_source_entry(built: Path) -> None:
    reader = PdfReader(built)
    links = internal_links(reader)
    assert len(links) >= 8  # 8 cited lines in the test edition
    assert set(links) <= set(reader.named_destinations)
    assert set(links) == {"src-1", "src-2"}


def test_source_entry_links_to_its_url(built: Path) -> None:
    uris = [
        annot.get_object()["/A"]["/URI"]
        for page in PdfReader(built).pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]
    ]
    # the link lands on the words the brief quotes from it (WICG text fragments)
    assert (
        "https://reaction.life/example#:~:text=two%20captured%20North%20Korean%20soldiers"
        "&text=ready%20to%20exchange%20two%20captured%20North%20Korean%20soldiers"
        "&text=around%20300%20of%20Pyongyang%E2%80%99s%20soldiers"
    ) in uris


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_sample_edition_pdf(edition: Path, tmp_path: Path) -> None:
    (valid,) = pipeline.check([edition])
    brief = pipeline.brief_of(valid)
    (pdf,) = pipeline.build(
        [edition], pipeline.BuildOptions(output=tmp_path, formats=["pdf"])
    ).written
    assert pdf.name == f"{brief.edition.isoformat()}-nk-russia.pdf"
    reader = PdfReader(pdf)
    assert 2 <= len(reader.pages) <= 9  # W08: 13 sources, caveats, four charts at 9 pt
    assert len(internal_links(reader)) >= len(brief.cited_items)
    text = flat(pdf_text(pdf))
    for item in brief.key_judgments:
        assert flat(item.text)[:40] in text
    assert re.search(rf"Page 1 of {len(reader.pages)}", text)
    if brief.changes:  # every edition after the first says what changed, before Situation
        since = "What changed since the last edition Since the edition of"
        assert text.index(since) < text.index("Situation")
        assert flat(brief.changes[0].text)[:40] in text
