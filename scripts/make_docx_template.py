"""Generate templates/brief.docx, the default Word template, with python-docx.

The template is a Word document whose text holds docxtpl's Jinja tags. Generating it
from code keeps every change to it a reviewable diff; the generated file is committed
so that users get it without running this. Regenerate with `make docx-template`.

Offices restyle the brief by editing the Word styles this script defines (Title,
Heading 1, List Number, List Bullet, Caption, Marking, Citation, Hyperlink and the
"Estimates Table" table style), in Word, in their own copy of the template.

Tags a template may use are documented in docs/templates.md; the ones that produce
links are filters returning WordprocessingML and must stand alone in their run with
docxtpl's run tag: `{{r item|cites }}`, `{{r entry|bookmark_start }}`,
`{{r entry|bookmark_end }}`, `{{r entry|url_link }}`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx_design import (
    ACCENT,
    LINK,
    MUTED,
    TEXT_WIDTH,
    WARN,
    add_numbering,
    bottom_rule,
    clean_package,
    hairline_table_style,
    number,
    panel,
)
from docx_table import estimates_table, small
from docx_title_block import header_footer, title_block

BODY_FONT = "Cambria"
HEAD_FONT = "Calibri"
OTHER_SCRIPTS = {
    BODY_FONT: {"eastAsia": "Malgun Gothic", "cs": "Times New Roman"},
    HEAD_FONT: {"eastAsia": "Malgun Gothic", "cs": "Arial"},
}
"""The DOCX names fonts every Word installation has (Windows and Mac Office), one per kind
of script as Word picks them: Cambria/Calibri for Latin, Cyrillic and Greek; Malgun Gothic
for Hangul (Word's East Asian slot); Times New Roman/Arial for Arabic and Hebrew (its
complex-script slot). LibreOffice maps Cambria and Calibri to the metric-compatible
Caladea and Carlito. Embedding briefgen's own fonts instead was weighed and set aside:
Word embeds only installable faces, and the set would add 7.6 MB to every DOCX."""
LISTS = {"key-judgments": 20, "sources": 21}
"""The numbering (numId) of the two numbered lists: key judgments and sources."""


def main(target: Path) -> None:
    doc = Document()
    _page(doc)
    add_numbering(doc, LISTS)
    _styles(doc)
    header_footer(doc)
    _body(doc)
    _core_properties(doc)
    clean_package(doc)
    doc.save(str(target))


# --- page, styles --------------------------------------------------------------------


def _page(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(24), Mm(22)
    section.header_distance = section.footer_distance = Mm(10)


def _styles(doc: DocumentType) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    normal.paragraph_format.widow_control = True

    title = styles["Title"]
    title.font.name, title.font.size, title.font.bold = HEAD_FONT, Pt(22), True
    title.font.color.rgb = ACCENT
    title.paragraph_format.space_after = Pt(4)
    _no_border(title)

    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size, subtitle.font.italic = HEAD_FONT, Pt(10), False
    subtitle.font.color.rgb = MUTED
    subtitle.paragraph_format.space_after = Pt(14)
    for spacing in subtitle.element.findall(f"{qn('w:rPr')}/{qn('w:spacing')}"):
        spacing.getparent().remove(spacing)  # Word's Subtitle is letter-spaced
    _title_block_styles(doc)

    for name, size in (("Heading 1", 13), ("Heading 2", 11)):
        heading = styles[name]
        heading.font.name, heading.font.size, heading.font.bold = HEAD_FONT, Pt(size), True
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.space_before = Pt(14)
        heading.paragraph_format.space_after = Pt(5)
        heading.paragraph_format.keep_with_next = True

    for name in ("List Number", "List Bullet"):
        styles[name].paragraph_format.space_after = Pt(4)
    _numbered_styles(doc)

    caption = styles["Caption"]
    caption.font.name, caption.font.size = BODY_FONT, Pt(8)
    caption.font.bold, caption.font.italic = False, False
    caption.font.color.rgb = MUTED

    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.name, style.font.size = HEAD_FONT, Pt(8)
        style.font.color.rgb = MUTED
        tabs = style.paragraph_format.tab_stops
        tabs.clear_all()  # Word's defaults stop short of our wider text block
        tabs.add_tab_stop(TEXT_WIDTH // 2, WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)

    marking = styles.add_style("Marking", WD_STYLE_TYPE.CHARACTER)
    marking.font.name, marking.font.bold, marking.font.size = HEAD_FONT, True, Pt(10.5)
    marking.font.color.rgb = RGBColor(0x1B, 0x1F, 0x24)

    citation = styles.add_style("Citation", WD_STYLE_TYPE.CHARACTER)
    citation.font.size = Pt(7.5)
    citation.font.color.rgb = MUTED

    hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    hyperlink.font.color.rgb = LINK

    single = styles.add_style("Single Source", WD_STYLE_TYPE.CHARACTER)
    single.font.size = Pt(7.5)
    single.font.color.rgb = WARN

    label = styles.add_style("Label", WD_STYLE_TYPE.CHARACTER)
    label.font.name, label.font.bold = HEAD_FONT, True
    label.font.color.rgb = ACCENT

    table = styles.add_style("Estimates Table", WD_STYLE_TYPE.TABLE)
    hairline_table_style(table)

    # Word lets Normal's size win over a table style's, so cells get a paragraph style.
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(8.5)
    cell.paragraph_format.space_before = Pt(1)
    cell.paragraph_format.space_after = Pt(1)
    cell.paragraph_format.line_spacing = 1.0

    note = styles.add_style("Table Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = cell
    note.font.size = Pt(7.5)
    note.font.color.rgb = MUTED
    _other_scripts(doc)


def _title_block_styles(doc: DocumentType) -> None:
    """The title block as the PDF sets it: the masthead (office, series, number) small
    above the title, the edition facts under it, and the key to the marks over a rule."""
    styles = doc.styles
    masthead = styles.add_style("Masthead", WD_STYLE_TYPE.PARAGRAPH)
    masthead.base_style = styles["Normal"]
    masthead.font.name, masthead.font.size, masthead.font.bold = HEAD_FONT, Pt(9), True
    masthead.font.color.rgb = MUTED
    masthead.paragraph_format.space_after = Pt(2)
    facts = styles.add_style("Edition Facts", WD_STYLE_TYPE.PARAGRAPH)
    facts.base_style = styles["Normal"]
    facts.font.name, facts.font.size = HEAD_FONT, Pt(9.5)
    facts.paragraph_format.space_after = Pt(4)
    key = styles.add_style("Mark Key", WD_STYLE_TYPE.PARAGRAPH)
    key.base_style = styles["Normal"]
    key.font.name, key.font.size = BODY_FONT, Pt(8)
    key.font.color.rgb = MUTED
    key.paragraph_format.space_after = Pt(16)
    bottom_rule(key.element.get_or_add_pPr())
    fact_label = styles.add_style("Fact Label", WD_STYLE_TYPE.CHARACTER)
    fact_label.font.size, fact_label.font.small_caps = Pt(8.5), True
    fact_label.font.color.rgb = MUTED


def _numbered_styles(doc: DocumentType) -> None:
    """Key judgments (numbered, in the shaded panel) and source entries (numbered, hanging),
    each list numbered by Word from its own definition (docx_design.add_numbering)."""
    styles = doc.styles
    judgment = styles.add_style("Key Judgment", WD_STYLE_TYPE.PARAGRAPH)
    judgment.base_style = styles["Normal"]
    judgment.paragraph_format.space_after = Pt(5)
    ppr = judgment.element.get_or_add_pPr()
    number(ppr, LISTS["key-judgments"])
    panel(ppr)
    summary = styles.add_style("Key Judgments Summary", WD_STYLE_TYPE.PARAGRAPH)
    summary.base_style = styles["Normal"]
    panel(summary.element.get_or_add_pPr(), hanging=False)
    entry = styles.add_style("Source Entry", WD_STYLE_TYPE.PARAGRAPH)
    entry.base_style = styles["Normal"]
    entry.font.size = Pt(9.5)
    entry.paragraph_format.space_after = Pt(3)
    number(entry.element.get_or_add_pPr(), LISTS["sources"])


def _other_scripts(doc: DocumentType) -> None:
    """Every style that names a Latin font also names the Hangul and Arabic/Hebrew one,
    and drops the theme's fonts for them (in Word a theme font wins over a named one)."""
    for style in doc.styles:
        fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is None or fonts.get(qn("w:ascii")) not in OTHER_SCRIPTS:
            continue
        for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{theme}"), None)
        for slot, name in OTHER_SCRIPTS[fonts.get(qn("w:ascii"))].items():
            fonts.set(qn(f"w:{slot}"), name)


def _no_border(style: object) -> None:
    """Word's built-in Title carries a bottom border; the brief's does not."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


# --- header and footer -------------------------------------------------------------------


def _body(doc: DocumentType) -> None:
    title_block(doc)

    # The sections, in the order briefgen.toml gives ([brief] sections).
    _tag(doc, "{%p for section in brief.sections %}")
    _tag(doc, '{%p if section == "key-judgments" %}')
    panel(_heading(doc, "key-judgments")._p.get_or_add_pPr())
    _tag(doc, "{%p if brief.summary %}")
    doc.add_paragraph("{{ brief.summary }}", style="Key Judgments Summary")
    _tag(doc, "{%p endif %}")
    _cited_list(doc, "brief.key_judgments", "Key Judgment")

    _tag(doc, '{%p elif section == "changes" and brief.changes %}')
    _heading(doc, "changes")
    doc.add_paragraph("Since the edition of {{ brief.previous|day }}.", style="Caption")
    _cited_list(doc, "brief.changes", "List Bullet")

    _tag(doc, '{%p elif section == "situation" %}')
    _heading(doc, "situation")
    _cited_list(doc, "brief.situation", "List Bullet")

    _tag(doc, '{%p elif section == "estimates" and brief.estimates %}')
    _heading(doc, "estimates")
    estimates_table(doc)
    _charts(doc)

    _tag(doc, '{%p elif section == "questions" and brief.questions %}')
    _heading(doc, "questions")
    _cited_list(doc, "brief.questions", "List Bullet")

    _tag(doc, '{%p elif section == "outlook" and brief.outlook %}')
    _heading(doc, "outlook")
    _outlook(doc)

    _tag(doc, '{%p elif section == "sources" %}')
    _heading(doc, "sources")
    doc.add_paragraph("{{ brief.source_summary }}")
    _sources(doc)
    _tag(doc, "{%p if brief.legend %}")
    legend = doc.add_paragraph()
    small(legend, "{{ brief.legend | join('; ') }}.", MUTED)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")


def _charts(doc: DocumentType) -> None:
    """Under the table, a chart of each quantity with several estimates, captioned and cited."""
    _tag(doc, "{%p if charts %}")
    doc.add_paragraph('{{ titles["charts"] }}', style="Heading 2")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for chart in charts %}")
    picture = doc.add_paragraph()
    picture.paragraph_format.keep_with_next = True
    picture.paragraph_format.space_before = Pt(6)
    picture.add_run("{{ chart.image }}")
    caption = doc.add_paragraph(style="Caption")
    caption.add_run("Figure {{ loop.index }}. {{ chart.group.caption }} ")
    caption.add_run("{{r chart.group|cites }}")
    _tag(doc, "{%p endfor %}")


def _tag(doc: DocumentType, tag: str) -> None:
    """A paragraph that holds only a docxtpl paragraph tag; it vanishes when rendered."""
    doc.add_paragraph(tag)


def _heading(doc: DocumentType, section: str) -> Paragraph:
    return doc.add_paragraph(f'{{{{ titles["{section}"] }}}}', style="Heading 1")


def _cited_list(doc: DocumentType, items: str, style: str) -> None:
    _tag(doc, f"{{%p for item in {items} %}}")
    line = doc.add_paragraph(style=style)
    line.add_run("{{ item.text }} ")
    line.add_run("{{r item|cites }}")
    _tag(doc, "{%p endfor %}")


def _outlook(doc: DocumentType) -> None:
    _tag(doc, "{%p for item in brief.outlook %}")
    line = doc.add_paragraph(style="List Bullet")
    line.add_run("{{ item.likelihood|capitalize }}", style="Label")
    line.add_run(" ({{ item.probability }})")
    line.add_run(", {{ item.confidence }} confidence:", style="Label")
    line.add_run(" {{ item.text }} ")
    line.add_run("{{r item|cites }}")
    _tag(doc, "{%p endfor %}")
    doc.add_paragraph(
        "Likelihood on the {{ brief.scale.name }} scale: {% for band in brief.scale.bands %}"
        "{{ band.term }} {{ band.probability }}{{ ' · ' if not loop.last }}{% endfor %}"
        "{% if brief.scale.gaps %} (the gaps between bands are deliberate){% endif %}. "
        "Confidence (low, moderate, high) reflects the quality and quantity of the sourcing.",
        style="Caption",
    )


def _sources(doc: DocumentType) -> None:
    """Numbered by Word (Source Entry's numbering); the last two entries keep with what
    follows, so that the last page never holds a lone entry or the legend alone."""
    _tag(doc, "{%p for entry in brief.sources %}")
    _tag(doc, "{%p if loop.revindex > 2 %}")
    _source_entry(doc, keep=False)
    _tag(doc, "{%p else %}")
    _source_entry(doc, keep=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")


def _source_entry(doc: DocumentType, keep: bool) -> None:
    entry = doc.add_paragraph(style="Source Entry")
    entry.paragraph_format.keep_with_next = keep or None
    entry.add_run("{{r entry|bookmark_start }}")
    entry.add_run("{{ entry.source.publisher }}").bold = True
    entry.add_run("{% if entry.source.unidentified %} (outlet unidentified){% endif %}")
    entry.add_run("{% if entry.source.author %}, {{ entry.source.author }}{% endif %}. ")
    entry.add_run("{{ entry.source.title }}").italic = True
    entry.add_run(". {{ entry.source.published.label() }}")
    entry.add_run(
        "{% if entry.source.published.inferred %} (* date inferred: "
        "{{ entry.source.published.inferred }}){% endif %}. "
    )
    entry.add_run("{{r entry|url_link }}")
    entry.add_run("{% if entry.source.archive %}Archived copy: {% endif %}")
    entry.add_run("{{r entry|archive_link }}")
    entry.add_run(
        "{% if entry.source.accessed %}Accessed {{ entry.source.accessed|day }}. {% endif %}"
        "{% if entry.relays %}Relays {{ entry.relays }}. {% endif %}"
    )
    grade = entry.add_run(
        "Reliability {{ entry.source.reliability }} ({{ entry.reliability_text }})"
        "{% if entry.source.reliability_note %}: {{ entry.source.reliability_note }}"
        "{% endif %}."
    )
    grade.font.color.rgb = MUTED
    entry.add_run("{{r entry|bookmark_end }}")


def _core_properties(doc: DocumentType) -> None:
    """Left neutral: the renderer sets title, author, subject and dates per brief."""
    properties = doc.core_properties
    properties.title = properties.subject = properties.keywords = ""
    properties.author = properties.last_modified_by = "briefgen"
    properties.comments = "Default briefgen Word template; see docs/templates.md."


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("templates/brief.docx"))
