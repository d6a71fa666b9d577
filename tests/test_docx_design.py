"""The Word brief carries the PDF's design (issue 18), read back from the DOCX itself:
the package (no leftovers of python-docx's default template), Word's own numbering, the
key-judgments panel, the hairline table style, the title block, non-breaking hyphens,
keep-with-next; and, where LibreOffice is installed, its PDF rendering compared with
briefgen's PDF for content, order and styles (not page positions).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from briefgen import pipeline
from conftest import REPO, edit

SAMPLE = REPO / "sources" / "nk-russia" / "2025-W08.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(edition: Path, out: Path, formats: tuple[str, ...] = ("docx",)) -> list[Path]:
    options = pipeline.BuildOptions(output=out, formats=list(formats))
    return list(pipeline.build([edition], options).written)


def test_no_default_template_leftovers(edition: Path, tmp_path: Path) -> None:
    (docx,) = build(edition, tmp_path)
    with zipfile.ZipFile(docx) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
        types = package.read("[Content_Types].xml").decode()
    assert "docProps/thumbnail.jpeg" not in names and "jpeg" not in types
    assert "word/stylesWithEffects.xml" not in names
    for name in (n for n in names if n.startswith("customXml/")):
        text = zipfile.ZipFile(docx).read(name).decode()
        assert "bibliography" not in text.lower(), name  # only the ledger's part remains
    assert "<Application>briefgen</Application>" in app
    for stale in ("Microsoft", "Normal.dotm", "<Pages>", "<Words>", "<Characters>"):
        assert stale not in app


def numbering_format(document, num_id: str) -> tuple[str, str]:
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.iter(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    level = abstract.find(qn("w:lvl"))
    return level.find(qn("w:numFmt")).get(qn("w:val")), level.find(qn("w:lvlText")).get(qn("w:val"))


def style_num_id(style) -> str:
    num_pr = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    assert num_pr is not None, style.name
    return num_pr.find(qn("w:numId")).get(qn("w:val"))


def test_key_judgments_and_sources_are_numbered_by_word(tmp_path: Path) -> None:
    (docx,) = build(SAMPLE, tmp_path)
    document = Document(str(docx))
    kj, src = (document.styles[name] for name in ("Key Judgment", "Source Entry"))
    assert style_num_id(kj) != style_num_id(src)  # two lists, each counting from 1
    for style in (kj, src):
        assert numbering_format(document, style_num_id(style)) == ("decimal", "%1.")
    entries = [p for p in document.paragraphs if p.style.name == "Source Entry"]
    assert len(entries) == 13
    assert not any(re.match(r"\s*\d+\.", p.text) for p in entries)  # no typed numbers
    judgments = [p for p in document.paragraphs if p.style.name == "Key Judgment"]
    assert len(judgments) == 4


def test_key_judgments_sit_in_one_shaded_panel(tmp_path: Path) -> None:
    (docx,) = build(SAMPLE, tmp_path)
    document = Document(str(docx))
    heading = next(p for p in document.paragraphs if p.text == "Key judgments")
    panel = [heading._p.pPr, document.styles["Key Judgment"].element.pPr]
    fills = {ppr.find(qn("w:shd")).get(qn("w:fill")) for ppr in panel}
    bars = {ppr.find(f"{qn('w:pBdr')}/{qn('w:left')}").get(qn("w:color")) for ppr in panel}
    lefts = {ppr.find(qn("w:ind")).get(qn("w:left")) for ppr in panel}
    assert fills == {"EEF2F6"} and bars == {"1F3A5F"}
    assert len(lefts) == 1  # one left edge: Word and LibreOffice draw one box


def test_the_estimates_table_has_its_own_hairline_style(tmp_path: Path) -> None:
    (docx,) = build(SAMPLE, tmp_path)
    document = Document(str(docx))
    (table,) = document.tables
    style = table.style
    assert style.name == "Estimates Table" and style.base_style is None  # not Table Grid
    borders = style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    kinds = {b.tag.removeprefix(W): b.get(qn("w:val")) for b in borders}
    assert kinds["insideV"] == kinds["left"] == kinds["right"] == "nil"
    assert kinds["insideH"] == "single"
    sizes = {b.tag.removeprefix(W): int(b.get(qn("w:sz"), 0)) for b in borders}
    assert sizes["insideH"] <= 4  # a hairline (eighths of a point)
    assert "Table Grid" not in {
        s.name for s in document.styles if s.type == 3 and s.element.get(qn("w:customStyle"))
    }


def test_headings_band_rows_and_the_last_sources_keep_with_what_follows(tmp_path: Path) -> None:
    (docx,) = build(SAMPLE, tmp_path)
    document = Document(str(docx))
    assert document.styles["Heading 1"].paragraph_format.keep_with_next
    assert document.styles["Normal"].paragraph_format.widow_control
    (table,) = document.tables
    bands = [row for row in table.rows[1:] if len({id(c._tc) for c in row.cells}) == 1]
    assert bands
    for row in bands:
        assert row._tr.find(f".//{qn('w:keepNext')}") is not None, row.cells[0].text
    entries = [p for p in document.paragraphs if p.style.name == "Source Entry"]
    assert [bool(p.paragraph_format.keep_with_next) for p in entries[-3:]] == [False, True, True]


def test_no_letter_spaced_subtitle(tmp_path: Path) -> None:
    (docx,) = build(SAMPLE, tmp_path)
    document = Document(str(docx))
    assert not any(p.style.name == "Subtitle" for p in document.paragraphs)
    subtitle = document.styles["Subtitle"].element
    assert subtitle.find(f"{qn('w:rPr')}/{qn('w:spacing')}") is None


def test_dates_and_figures_do_not_break_at_their_hyphens(edition: Path, tmp_path: Path) -> None:
    old = "Ukraine holds two North Korean prisoners."
    edit(edition, old, old[:-1] + " (list of 2025-01-24, T-90 crews, 1-2 km).")
    (docx,) = build(edition, tmp_path)
    document = Document(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "list of 2025\u201101\u201124, T\u201190 crews, 1\u20112 km" in text
    assert "2025-01" not in text
    assert "North-Korean" not in text  # a hyphen between words still may break


def test_title_block_fields_from_the_edition(edition: Path, tmp_path: Path) -> None:
    edit(edition, "author: Korea Desk\n", "author: Korea Desk\norganisation: Policy Planning "
         "Staff\nproduct_line: Korea Watch\nnumber: 12\ncontact: desk@example.org\n"
         "distribution: Internal\n")  # fmt: skip
    (docx,) = build(edition, tmp_path)
    document = Document(str(docx))
    by_style = {p.style.name: p.text for p in document.paragraphs if p.text.strip()}
    masthead = by_style["Masthead"].split("·")
    assert [m.strip() for m in masthead] == ["Policy Planning Staff", "Korea Watch", "No. 12"]
    facts = " ".join(by_style["Edition Facts"].split())
    assert facts == (
        "As of 19 Jan 2025 Period 13–19 Jan 2025 (week 3) From Korea Desk "
        "Contact desk@example.org Distribution Internal"
    )
    assert by_style["Mark Key"].startswith("Key")


def test_title_block_without_the_optional_fields(edition: Path, tmp_path: Path) -> None:
    (docx,) = build(edition, tmp_path)
    document = Document(str(docx))
    styles = [p.style.name for p in document.paragraphs if p.text.strip()]
    assert styles[:4] == ["Title", "Edition Facts", "Mark Key", "Heading 1"]
    facts = document.paragraphs[styles.index("Edition Facts")].text
    assert "Contact" not in facts and "Distribution" not in facts


def test_fonts_name_every_script_slot(tmp_path: Path) -> None:
    (docx,) = build(SAMPLE, tmp_path)
    document = Document(str(docx))
    for name, latin, complex_script in (("Normal", "Cambria", "Times New Roman"),
                                        ("Heading 1", "Calibri", "Arial"),
                                        ("Edition Facts", "Calibri", "Arial")):  # fmt: skip
        fonts = document.styles[name].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == latin, name
        assert fonts.get(qn("w:eastAsia")) == "Malgun Gothic", name
        assert fonts.get(qn("w:cs")) == complex_script, name
        assert fonts.get(qn("w:asciiTheme")) is None, name


# --- LibreOffice's rendering against briefgen's PDF -------------------------------------

HEADINGS = [
    "Key judgments", "What changed since the last edition", "Situation", "Estimates",
    "Open questions", "Outlook", "Sources",
]  # fmt: skip


def page_texts(pdf: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


def fonts_of(pdf: Path, needle: str) -> set[str]:
    """The fonts the PDF sets `needle` in (a heading's text), read with pypdf's visitor."""
    found: set[str] = set()
    for page in PdfReader(pdf).pages:

        def visit(text, cm, tm, font, size, found=found):
            if font is not None and needle in " ".join(text.split()):
                found.add(str(font.get("/BaseFont", "")))

        page.extract_text(visitor_text=visit)
    return found


def normal(text: str) -> str:
    return " ".join(text.replace("\u2011", "-").replace("\u00a0", " ").split())


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_rendering_matches_the_pdf_in_content_order_and_style(tmp_path: Path) -> None:
    written = build(SAMPLE, tmp_path, ("pdf", "docx"))
    pdf = next(p for p in written if p.suffix == ".pdf")
    docx = next(p for p in written if p.suffix == ".docx")
    converted = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(converted), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    word = converted / pdf.name
    ours, theirs = normal(" ".join(page_texts(pdf))), normal(" ".join(page_texts(word)))
    # the same headings, in the same order
    positions = [(ours.find(h), theirs.find(h)) for h in HEADINGS]
    assert all(a >= 0 and b >= 0 for a, b in positions), positions
    assert [a for a, _ in positions] == sorted(a for a, _ in positions)
    assert [b for _, b in positions] == sorted(b for _, b in positions)
    # the same content: every key judgment, situation line and source title, in order
    brief = pipeline.brief_of(pipeline.check([SAMPLE])[0])
    for lines in (brief.key_judgments, brief.situation):
        at = [(ours.find(normal(i.text)[:60]), theirs.find(normal(i.text)[:60])) for i in lines]
        assert all(a >= 0 and b >= 0 for a, b in at), at
        assert [b for _, b in at] == sorted(b for _, b in at)
    for entry in brief.sources:
        assert normal(entry.source.title)[:40] in theirs, entry.source.title
    # the same marking on every page, and page N of M
    pages = page_texts(word)
    assert all("UNCLASSIFIED" in page for page in pages)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    # the same styles: headings in a bold sans face, body in a serif, in both
    for heading in ("Key judgments", "Situation"):
        for found in (fonts_of(pdf, heading), fonts_of(word, heading)):
            assert any("Bold" in f and re.search("Sans|Carlito|Calibri", f) for f in found), found
    # no stranded last page: the last page holds more than one source entry
    assert len(re.findall(r"Reliability [A-F]", pages[-1])) >= 2 or "legend" in pages[-1]
