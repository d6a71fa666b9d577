"""The parts of the Word template's design that python-docx has no API for, kept apart
from make_docx_template.py (which lays out the brief): a clean package, the numbering
definitions of the two numbered lists, the key-judgments panel and the hairline table
style. Each writes WordprocessingML directly, as Word itself would save it.
"""

from __future__ import annotations

from docx.document import Document as DocumentType
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, RGBColor

ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor(0x5B, 0x65, 0x70)
LINK = RGBColor(0x1A, 0x5F, 0xB4)
WARN = RGBColor(0xA1, 0x4A, 0x00)
BAND = "EEF2F6"
TEXT_WIDTH = Mm(170)  # A4 less 20 mm margins

ACCENT_HEX = "1F3A5F"
RULE_HEX = "9AA5B1"
HAIRLINE_HEX = "C9D1DA"
PANEL_FILL = "EEF2F6"
HANG = int(Mm(7).twips)  # the numbers' hanging indent, as the PDF's lists

APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
    '2006/docPropsVTypes"><Application>briefgen</Application><DocSecurity>0</DocSecurity>'
    "<LinksUpToDate>false</LinksUpToDate></Properties>"
)
"""The extended properties: who made the file, and nothing stale. python-docx's default
says "Microsoft Macintosh Word", 1 page, 0 words, template Normal.dotm, which Word
shows in File > Info until someone saves the brief in Word."""

LEFTOVERS = (
    RT.CUSTOM_XML,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)


def clean_package(doc: DocumentType) -> None:
    """Drop python-docx's default-template leftovers: the blank-page thumbnail, the empty
    APA bibliography in customXml/, Word 2010's stylesWithEffects copy of every style;
    and write app.xml as briefgen's."""
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype in LEFTOVERS:
            doc.part.drop_rel(rel_id)
            doc.part.rels.pop(rel_id, None)


def _level(fmt: str, text: str, indent: int) -> str:
    return (
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
        f'<w:ind w:left="{indent}" w:hanging="{HANG}"/></w:pPr></w:lvl>'
    )


def add_numbering(doc: DocumentType, ids: dict[str, int]) -> None:
    """A numbering definition (decimal, "1.") for each numbered list of the brief, by
    numId: the numbers are Word's own (w:numPr), not typed, so they stay right when a
    reader edits the list and never collide with the text under a fallback font."""
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for offset, (_, num_id) in enumerate(sorted(ids.items(), key=lambda kv: kv[1])):
        abstract_id = 90 + offset
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="singleLevel"/>{_level("decimal", "%1.", HANG)}'
            "</w:abstractNum>"
        )
        first_num.addprevious(abstract)  # every abstractNum precedes every num
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )


def number(ppr: object, num_id: int) -> None:
    """Number the paragraph (or paragraph style) with list `num_id`."""
    num_pr = parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    place(ppr, num_pr)


PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
"""The order of w:pPr's children in the schema (ECMA-376 §17.3.1.26)."""


def place(ppr: object, element: object) -> None:
    """Put `element` into the paragraph properties where the schema wants it (Word
    refuses a file whose pPr children are out of order; LibreOffice does not mind)."""
    seq = PPR_ORDER
    tag = element.tag.split("}")[1]  # type: ignore[attr-defined]
    for old in ppr.findall(qn(f"w:{tag}")):  # type: ignore[attr-defined]
        ppr.remove(old)  # type: ignore[attr-defined]
    ppr.insert_element_before(element, *seq[seq.index(f"w:{tag}") + 1 :])  # type: ignore[attr-defined]


def _border(side: str, color: str, size: int, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'


def panel(ppr: object, hanging: bool = True) -> None:
    """The key-judgments panel: shaded, with the accent bar on the left, as in the PDF.
    Every paragraph of the panel carries the same borders and left indent, so Word and
    LibreOffice draw one box around them; the top, right and bottom borders in the fill
    colour pad the box."""
    borders = (
        _border("top", PANEL_FILL, 4, 6)
        + _border("left", ACCENT_HEX, 24, 8)
        + _border("bottom", PANEL_FILL, 4, 6)
        + _border("right", PANEL_FILL, 4, 8)
    )
    place(ppr, parse_xml(f"<w:pBdr {nsdecls('w')}>{borders}</w:pBdr>"))
    shade = f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{PANEL_FILL}"/>'
    place(ppr, parse_xml(shade))
    hang = f' w:hanging="{HANG}"' if hanging else ""
    place(ppr, parse_xml(f'<w:ind {nsdecls("w")} w:left="{HANG}" w:right="113"{hang}/>'))


def hairline_table_style(style: object) -> None:
    """The estimates table's own style: a rule above and below, hairlines between rows,
    no vertical lines (Table Grid's black box around every cell is what made the Word
    brief look like a different document)."""
    borders = (
        _border("top", RULE_HEX, 6, 0)
        + '<w:left w:val="nil"/>'
        + _border("bottom", RULE_HEX, 6, 0)
        + '<w:right w:val="nil"/>'
        + _border("insideH", HAIRLINE_HEX, 2, 0)
        + '<w:insideV w:val="nil"/>'
    )
    margins = (
        '<w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
    )
    tbl_pr = parse_xml(
        f"<w:tblPr {nsdecls('w')}><w:tblBorders>{borders}</w:tblBorders>"
        f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>"
    )
    style.element.append(tbl_pr)  # type: ignore[attr-defined]


def header_cell_rule(tc_pr: object) -> None:
    """The column heads' rule in the accent colour, as under the PDF's table head."""
    rule = _border("bottom", ACCENT_HEX, 8, 0)
    tc_pr.append(parse_xml(f"<w:tcBorders {nsdecls('w')}>{rule}</w:tcBorders>"))  # type: ignore[attr-defined]


def bottom_rule(ppr: object) -> None:
    """The accent rule under the title block."""
    place(ppr, parse_xml(f"<w:pBdr {nsdecls('w')}>{_border('bottom', ACCENT_HEX, 12, 6)}</w:pBdr>"))
