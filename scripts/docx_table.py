"""The estimates table of the Word template: one row per estimate under a band row per
quantity, filled by docxtpl's row tags (`{%tr for group in brief.estimates %}`), in the
template's own hairline table style (docx_design.hairline_table_style)."""

from __future__ import annotations

from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docx_design import BAND, MUTED, TEXT_WIDTH, WARN, header_cell_rule

COLUMNS = (("Estimate", 31), ("Read as", 15), ("Estimator", 27), ("As of", 14), ("Source", 13))


def estimates_table(doc: DocumentType) -> None:
    table = doc.add_table(rows=7, cols=len(COLUMNS), style="Estimates Table")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, percent) in zip(table.columns, COLUMNS, strict=True):
        column.width = TEXT_WIDTH * percent // 100
        for cell in column.cells:
            cell.width = column.width
            for paragraph in cell.paragraphs:
                paragraph.style = doc.styles["Table Text"]
    header = table.rows[0]
    _repeat_as_header(header._tr)
    for cell, (name, _) in zip(header.cells, COLUMNS, strict=True):
        run = cell.paragraphs[0].add_run(name.upper())
        run.font.size, run.font.color.rgb, run.bold = Pt(7.5), MUTED, True
        header_cell_rule(cell._tc.get_or_add_tcPr())
    _row_tag(table, 1, "{%tr for group in brief.estimates %}")
    quantity = table.rows[2].cells[0].merge(table.rows[2].cells[-1])
    _shade(quantity, BAND)
    paragraph = quantity.paragraphs[0]
    paragraph.add_run("{{ group.quantity }}", style="Label")
    _band(paragraph)
    _keep_together(table.rows[2]._tr, with_next=True)
    _row_tag(table, 3, "{%tr for row in group.rows %}")
    _keep_together(table.rows[4]._tr)
    cells = table.rows[4].cells
    _cell_text(cells[0], "{{ row.text }}")
    _cell_optional(cells[0], "row.note", "{{ row.note }}")
    _cell_optional(cells[0], "row.caveat", "Caveat: {{ row.caveat }}")
    _cell_text(cells[1], "{{ row.reading }}")
    _cell_optional(cells[1], "row.unit_after", "{{ row.unit_after }}")
    _cell_text(cells[2], "{{ row.estimator }}")
    _cell_text(cells[3], "{{ row.as_of.label() }}")
    _cell_optional(cells[3], "row.as_of.inferred", "* inferred: {{ row.as_of.inferred }}")
    _cell_text(cells[4], "{{r row|cites(false) }}")
    _row_tag(table, 5, "{%tr endfor %}")
    _row_tag(table, 6, "{%tr endfor %}")


def _band(paragraph: Paragraph) -> None:
    """After the quantity: the qualifiers that set the group apart, then the verdict with
    its spread (`1,200–4,000 · 3 estimators · estimates differ`), as the HTML band."""
    paragraph.add_run("{% if group.qualifier_text %} ")
    small(paragraph, "{{ group.qualifier_text }}", MUTED)
    paragraph.add_run("{% endif %}{% if group.verdict.facts %}")
    paragraph.add_run().add_break()
    small(paragraph, "{{ group.verdict.facts }} · ", MUTED)
    paragraph.add_run("{% if group.disagree %}")
    differ = small(paragraph, "{{ group.verdict.word }}", WARN)
    differ.font.all_caps = True
    paragraph.add_run("{% else %}")
    small(paragraph, "{{ group.verdict.word }}", MUTED).italic = True
    paragraph.add_run("{% endif %}{% endif %}")


def small(paragraph: Paragraph, text: str, color: RGBColor) -> Run:
    run = paragraph.add_run(text)
    run.font.size, run.font.color.rgb, run.bold = Pt(7.5), color, False
    return run


def _row_tag(table: Table, index: int, tag: str) -> None:
    """A row that holds only a docxtpl row tag; docxtpl replaces the whole row with it."""
    table.rows[index].cells[0].paragraphs[0].add_run(tag)


def _cell_text(cell: _Cell, text: str, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold or None


def _cell_optional(cell: _Cell, condition: str, text: str) -> None:
    """A second, smaller paragraph in a cell, present only when the condition holds."""
    cell.add_paragraph(f"{{%p if {condition} %}}")
    cell.add_paragraph(text, style="Table Note")
    cell.add_paragraph("{%p endif %}")


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _keep_together(tr: object, with_next: bool = False) -> None:
    """A row never splits across pages; a quantity's label row stays with its first row."""
    trpr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    trpr.append(OxmlElement("w:cantSplit"))
    if with_next:
        for paragraph in tr.iter(qn("w:p")):  # type: ignore[attr-defined]
            ppr = paragraph.get_or_add_pPr()
            ppr.append(OxmlElement("w:keepNext"))


def _repeat_as_header(tr: object) -> None:
    """Mark the row as a header row, which Word repeats at the top of every page."""
    trpr = tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    trpr.append(header)
