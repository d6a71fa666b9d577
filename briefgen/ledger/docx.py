"""The ledger in a DOCX: a custom XML part, which Word keeps when it saves the document.

The part holds the ledger's one-document JSON (manifest and notes) in a root element of
briefgen's namespace, related from the main document as customXml. It is found again by
that root element, not by its part name: Word renumbers custom XML parts (item1.xml …).
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from briefgen.ledger import NAMESPACE, Ledger

PART = "customXml/briefgenLedger.xml"
RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"
CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
REL_ID = "rIdBriefgenLedger"


def part_xml(ledger: Ledger) -> bytes:
    """The custom XML part: the bundle's JSON as the text of one element."""
    text = escape(ledger.bundle().decode("utf-8"))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ledger xmlns="{NAMESPACE}">{text}</ledger>'
    ).encode()


def embed(docx: bytes, ledger: Ledger) -> bytes:
    """`docx` with the ledger part added, each entry keeping its date (the edition's)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == RELS:
                data = _related(data)
            elif info.filename == TYPES:
                data = _typed(data)
            target.writestr(info, data)
        part = zipfile.ZipInfo(PART, date_time=source.infolist()[0].date_time)
        part.compress_type = zipfile.ZIP_DEFLATED
        part.external_attr = 0o644 << 16
        target.writestr(part, part_xml(ledger))
    return out.getvalue()


def _related(rels: bytes) -> bytes:
    relation = (f'<Relationship Id="{REL_ID}" Type="{CUSTOM_XML}" Target="../{PART}"/>').encode()
    end = rels.rfind(b"</Relationships>")
    return rels[:end] + relation + rels[end:]


def _typed(types: bytes) -> bytes:
    if b'Extension="xml"' in types:
        return types
    default = b'<Default Extension="xml" ContentType="application/xml"/>'
    end = types.rfind(b"</Types>")
    return types[:end] + default + types[end:]
