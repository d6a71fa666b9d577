"""What frames the Word brief, as the PDF sets it: the running header and footer (the
marking on every page, the running title from page 2) and page 1's title block."""

from __future__ import annotations

from docx.document import Document as DocumentType
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def _tag(doc: DocumentType, tag: str) -> None:
    """A paragraph that holds only a docxtpl paragraph tag; it vanishes when rendered."""
    doc.add_paragraph(tag)


def header_footer(doc: DocumentType) -> None:
    """As the PDF: the marking alone, centred and larger, at the top of every page, with
    the running title and date under it from page 2 (page 1 has them in its title
    block); the marking again at the foot, with the page number."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    for header, running in ((section.first_page_header, False), (section.header, True)):
        marking = header.paragraphs[0]
        marking.style = doc.styles["Header"]
        marking.add_run("\t")
        marking.add_run("{{ brief.marking }}", style="Marking")
        if running:
            line = header.add_paragraph(style="Header")
            line.add_run("{{ brief.title }}\t\t{{ brief.edition|day }}")
    for footer in (section.first_page_footer, section.footer):
        _footer(doc, footer.paragraphs[0])


def _footer(doc: DocumentType, footer: Paragraph) -> None:
    footer.style = doc.styles["Footer"]
    footer.add_run("\t")
    footer.add_run("{{ brief.marking }}", style="Marking")
    footer.add_run("\tPage ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update on layout."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# --- body ------------------------------------------------------------------------------


def title_block(doc: DocumentType) -> None:
    """Masthead, title, edition facts and the key to the marks, as the PDF's title block;
    each optional field appears only when the edition or briefgen.toml gives it."""
    _tag(doc, "{%p if brief.organisation or brief.product_line or brief.number %}")
    doc.add_paragraph(
        "{{ [brief.organisation, brief.product_line, brief.number and 'No. %d' % brief.number]"
        " | select | join('   ·   ') }}",
        style="Masthead",
    )
    _tag(doc, "{%p endif %}")
    doc.add_paragraph("{{ brief.title }}", style="Title")
    facts = doc.add_paragraph(style="Edition Facts")
    for label, value, condition in FACTS:
        facts.add_run(f"{{% if {condition} %}}" if condition else "")
        facts.add_run(label, style="Fact Label")
        facts.add_run(f" {value}    {{% endif %}}" if condition else f" {value}    ")
    key = doc.add_paragraph(style="Mark Key")
    key.add_run("Key", style="Fact Label")
    key.add_run("  {{ brief | mark_key | join(' · ') }}")


FACTS = (
    ("As of", "{{ brief.edition|day }}", ""),
    ("Period", "{{ brief.period|period }}", ""),
    ("From", "{{ brief.author }}", "brief.author"),
    ("Contact", "{{ brief.contact }}", "brief.contact"),
    ("Distribution", "{{ brief.distribution }}", "brief.distribution"),
)
"""The edition facts on one line: label (small capitals) and value, as the PDF."""
