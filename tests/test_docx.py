"""The Word brief, read back with python-docx: content parity with the HTML, links, fields."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tinyhtml5
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefgen import pipeline
from briefgen.errors import InvalidNotes
from briefgen.render.html import render_html
from briefgen.templating import environment
from conftest import REPO, edit

SAMPLES = sorted((REPO / "sources" / "nk-russia").glob("20*.yaml"))
NS = "{http://www.w3.org/1999/xhtml}"
LISTS = ("key-judgments", "changes", "situation", "questions", "outlook")
HEADINGS = ["Key judgments", "Situation", "Estimates", "Open questions", "Outlook", "Sources"]
CHANGES = "What changed since the last edition"
LIST_STYLES = ("Key Judgment", "List Bullet", "List Number")


def build_docx(edition: Path, out: Path) -> Path:
    (docx,) = pipeline.build([edition], pipeline.BuildOptions(output=out, formats=["docx"])).written
    return docx


def flat(text: str) -> str:
    """Words and single spaces; a non-breaking hyphen (the DOCX's, in dates and figures)
    read as the hyphen it prints."""
    return " ".join(text.replace("\u2011", "-").split())


def html_root(edition: Path):
    (valid,) = pipeline.check([edition])
    return tinyhtml5.parse(render_html(pipeline.brief_of(valid), environment()))


def html_section(root, ident: str):
    return next(el for el in root.iter() if el.get("id") == ident)


def html_items(root, ident: str) -> list[str]:
    return [flat("".join(li.itertext())) for li in html_section(root, ident).iter(f"{NS}li")]


def docx_sections(document) -> dict[str, list]:
    """Body paragraphs grouped under the Heading 1 that precedes them, by heading text."""
    sections: dict[str, list] = {}
    current = None
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            current = sections.setdefault(paragraph.text, [])
        elif current is not None and paragraph.text.strip():
            current.append(paragraph)
    return sections


TITLES = dict(zip((*LISTS, "sources"), ["Key judgments", CHANGES, "Situation", "Open questions",
                                         "Outlook", "Sources"], strict=True))  # fmt: skip


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_sections_and_their_text_match_the_html(edition: Path, tmp_path: Path) -> None:
    document = Document(str(build_docx(edition, tmp_path)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    first = edition == SAMPLES[0]
    assert headings == HEADINGS if first else [HEADINGS[0], CHANGES, *HEADINGS[1:]]
    sections = docx_sections(document)
    root = html_root(edition)
    for ident in LISTS if not first else [i for i in LISTS if i != "changes"]:
        lines = [flat(p.text) for p in sections[TITLES[ident]] if p.style.name in LIST_STYLES]
        assert lines == html_items(root, ident), ident
    sources = sections["Sources"]
    assert flat(sources[0].text) == flat("".join(html_section(root, "sources").find(
        f"{NS}p").itertext()))  # fmt: skip
    legend = html_section(root, "sources").find(f"{NS}p[@class='legend']")
    if legend is not None:  # the marks explained once, after the list, in both
        assert flat(sources[-1].text) == flat("".join(legend.itertext()))
        sources = sources[:-1]
    entries = [flat(p.text) for p in sources[1:]]
    assert entries == html_items(root, "sources")  # numbered by Word, not typed
    numbering = {p._p.pPr.numPr is not None or p.style.name for p in sources[1:]}
    assert numbering == {"Source Entry"}


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_estimates_table_rows_match_the_html(edition: Path, tmp_path: Path) -> None:
    document = Document(str(build_docx(edition, tmp_path)))
    (table,) = document.tables
    docx_rows = [[flat(cell.text) for cell in row.cells] for row in table.rows]
    docx_rows[0] = [name.capitalize() for name in docx_rows[0]]  # set in capitals
    root = html_root(edition)
    html_rows = []
    for tr in html_section(root, "estimates").iter(f"{NS}tr"):
        cells = [flat("".join(c.itertext())) for c in tr if c.tag in (f"{NS}td", f"{NS}th")]
        if html_rows and tr.get("class") == "columns":
            continue  # every quantity's PDF table repeats the column heads; Word repeats its one
        html_rows.append(cells * 5 if len(cells) == 1 else cells)  # a merged row repeats
    assert docx_rows == html_rows
    assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def bookmarks(document) -> set[str]:
    return {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}


def anchors(element) -> list[str]:
    return [h.get(qn("w:anchor")) for h in element.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))]


@pytest.mark.parametrize("edition", SAMPLES, ids=lambda p: p.stem)
def test_every_line_and_row_links_to_a_bookmarked_source(edition: Path, tmp_path: Path) -> None:
    document = Document(str(build_docx(edition, tmp_path)))
    targets = bookmarks(document)
    sections = docx_sections(document)
    lines = 0
    for ident in LISTS:
        for paragraph in sections.get(TITLES[ident], []):
            if paragraph.style.name in LIST_STYLES:
                links = anchors(paragraph._p)
                assert links, paragraph.text
                assert set(links) <= targets
                lines += 1
    (table,) = document.tables
    for row in table.rows[1:]:
        if len({id(c._tc) for c in row.cells}) > 1:  # a body row, not a quantity label
            assert set(anchors(row._tr)) <= targets and anchors(row._tr), row.cells[0].text
            lines += 1
    (valid,) = pipeline.check([edition])
    assert lines == len(pipeline.brief_of(valid).cited_items)


def test_source_entries_link_to_their_url(edition: Path, tmp_path: Path) -> None:
    document = Document(str(build_docx(edition, tmp_path)))
    rels = document.part.rels
    urls = [
        rels[h.get(qn("r:id"))].target_ref
        for h in document.element.body.iter(qn("w:hyperlink"))
        if h.get(qn("r:id"))
    ]
    # the link lands on the words the brief quotes from it (WICG text fragments)
    assert urls == [
        "https://reaction.life/example#:~:text=two%20captured%20North%20Korean%20soldiers"
        "&text=ready%20to%20exchange%20two%20captured%20North%20Korean%20soldiers"
        "&text=around%20300%20of%20Pyongyang%E2%80%99s%20soldiers"
    ]


def test_header_footer_and_properties(edition: Path, tmp_path: Path) -> None:
    document = Document(str(build_docx(edition, tmp_path)))
    section = document.sections[0]
    # page 1: the marking alone (the title block carries title and date); then both
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == ["\tUNCLASSIFIED"]
    assert [p.text for p in section.header.paragraphs] == [
        "\tUNCLASSIFIED",
        "North Korean forces in Russia’s war\t\t19\u00a0Jan\u00a02025",
    ]
    for footer in (section.first_page_footer.paragraphs[0], section.footer.paragraphs[0]):
        assert footer.text.startswith("\tUNCLASSIFIED\tPage ")
        fields = [f.get(qn("w:instr")).strip() for f in footer._p.iter(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"]
    properties = document.core_properties
    assert properties.title == "North Korean forces in Russia’s war — 2025-01-19"
    assert properties.author == "Korea Desk"
    assert properties.subject == "demo"
    assert properties.language == "en"
    assert properties.created.date().isoformat() == "2025-01-19"


def test_any_text_survives_the_round_trip(edition: Path, tmp_path: Path) -> None:
    hostile = 'Fish & chips <b>bold</b> "quoted" 🚀 김정은 Зеленський ]]> {{ 7*7 }} {% if %}'
    edit(edition, "North Korea is taking heavy losses & <b>hiding</b> them.", hostile)
    document = Document(str(build_docx(edition, tmp_path)))
    first = next(p for p in document.paragraphs if p.style.name == "Key Judgment")
    assert first.text == (
        "Fish & chips <b>bold</b> “quoted” 🚀 김정은 Зеленський ]]> {{ 7*7 }} {% if %} [1, 2]"
    )


def test_control_characters_are_reported_by_check(edition: Path) -> None:
    edit(edition, "text: Ukraine holds two North Korean prisoners.",
         'text: "Ukraine holds two\\aNorth Korean prisoners."')  # fmt: skip
    with pytest.raises(InvalidNotes) as info:
        pipeline.check([edition])
    (problem,) = info.value.problems
    assert (problem.line, problem.where) == (9, "key_judgments[1].text")
    assert problem.message.startswith("contains the control character U+0007")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_docx(tmp_path: Path) -> None:
    docx = build_docx(SAMPLES[-1], tmp_path)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    reader = PdfReader(tmp_path / docx.with_suffix(".pdf").name)
    assert len(reader.pages) >= 2
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "North Korean forces in Russia’s war" in text
    assert f"Page 1 of {len(reader.pages)}" in text


def test_committed_word_template_is_what_the_script_generates(tmp_path: Path) -> None:
    """After changing scripts/make_docx_template.py, run `make docx-template` and commit."""
    import zipfile

    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_docx_template.py"), str(tmp_path / "t.docx")],
        check=True,
    )
    fresh, committed = (
        zipfile.ZipFile(p) for p in (tmp_path / "t.docx", REPO / "templates" / "brief.docx")
    )
    parts = [name for name in fresh.namelist() if name != "docProps/core.xml"]
    assert parts == [name for name in committed.namelist() if name != "docProps/core.xml"]
    for name in parts:
        assert fresh.read(name) == committed.read(name), name
