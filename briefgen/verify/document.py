"""A delivered brief read back: its ledger, its text and its internal links.

PDF text with pypdf, page by page; DOCX with python-docx, each paragraph's runs joined
(Word splits a line into runs wherever it likes); HTML with the standard library's parser
(visible text only). A DOCX with macros or with external relationships other than the
hyperlinks to its sources is refused: briefgen writes neither.
"""

from __future__ import annotations

import html.parser
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from briefgen.ledger import Ledger
from briefgen.ledger import read as ledger_read
from briefgen.ledger.read import BadLedger, NoLedger
from briefgen.verify import pdftext
from briefgen.verify.pdftext import Link

MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
MAX_PAGES = 2000


@dataclass
class Document:
    """What verify compares: the ledger, the text (by page for a PDF), the internal links
    (anchor, and the marker number shown when the format lets us read it), and problems
    found while reading (a missing notes file, say)."""

    kind: str
    ledger: Ledger
    pages: list[str]
    links: list[Link] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    relations: dict[str, str | None] = field(default_factory=dict)


def read(data: bytes) -> Document:
    """The document in `data`; NoLedger or BadLedger when there is nothing to verify."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise BadLedger(f"it is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
    kind = ledger_read.kind_of(data)
    reader = {"pdf": _pdf, "docx": _docx, "html": _html}[kind]
    document = reader(data)
    document.problems[:0] = ledger_read.file_problems(document.ledger)
    return document


def _pdf(data: bytes) -> Document:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, ValueError) as error:
        raise BadLedger(f"it is not a readable PDF ({error})") from None
    with pdf:
        ledger, relations = ledger_read.from_pdf(pdf)
        if len(pdf.pages) > MAX_PAGES:
            raise BadLedger(f"it has more than {MAX_PAGES} pages")
    pages, links = _pdf_pages(data)
    problems = [
        f"the attachment {name} is marked {relation or 'with no relationship'}, not Source"
        for name, relation in sorted(relations.items())
        if relation != "Source"
    ]
    return Document("pdf", ledger, pages, links, problems, relations)


def _pdf_pages(data: bytes) -> tuple[list[str], list[Link]]:
    """Each page's text (pypdf), and its citation links with the marker text under each."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pages: list[str] = []
    links: list[Link] = []
    start = 0
    try:
        for page in PdfReader(io.BytesIO(data)).pages:
            text, pieces = pdftext.page_text(page)
            links += pdftext.page_links(page, pieces, start, pdftext.MAX_LINKS - len(links))
            pages.append(text)
            start += len(text) + 1
    except pdftext.TooManyLinks as error:
        raise BadLedger(str(error)) from None
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise BadLedger(f"its text cannot be read ({error})") from None
    return pages, links


MACROS = ("vbaProject.bin", "vbaData.xml", "macroEnabled", "activeX")
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _docx(data: bytes) -> Document:
    _refuse_active_content(data)
    ledger = ledger_read.from_docx(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        raise BadLedger(f"it is not a readable Word document ({error})") from None
    lines = _docx_lines(document)
    return Document("docx", ledger, ["\n".join(lines)], _docx_links(document))


def _refuse_active_content(data: bytes) -> None:
    """Macros and external relationships (a linked template, a remote image or object)
    are refused: briefgen writes none, and opening them would run code or call out.
    Checked before the ledger is looked for: such a file is refused whatever it carries."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise BadLedger(f"the DOCX is not a readable zip package ({error})") from None
    if len(names) > ledger_read.MAX_ZIP_ENTRIES:
        raise BadLedger(f"the DOCX holds more than {ledger_read.MAX_ZIP_ENTRIES} parts")
    for name in names:
        if any(mark.lower() in name.lower() for mark in MACROS):
            raise BadLedger(f"it carries macros or active content ({name}); briefgen writes none")
    if "macroEnabled" in _part(package, "[Content_Types].xml"):
        raise BadLedger("it is a macro-enabled document; briefgen writes none")
    for name in (n for n in names if n.endswith(".rels")):
        for relation in re.findall(r"<Relationship\b[^>]*>", _part(package, name)):
            if 'TargetMode="External"' in relation and HYPERLINK not in relation:
                target = re.search(r'Target="([^"]*)"', relation)
                raise BadLedger(
                    f"it has an external relationship in {name} (to "
                    f"{target.group(1) if target else 'somewhere'}), which Word would "
                    "fetch on opening; briefgen writes none"
                )


def _part(package: zipfile.ZipFile, name: str) -> str:
    """A small part's text, read up to the size cap (a bomb is not inflated whole)."""
    try:
        with package.open(name) as stream:
            body = stream.read(ledger_read.MAX_PART_BYTES + 1)
    except KeyError:
        return ""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
        raise BadLedger(f"the DOCX part {name} cannot be read ({error})") from None
    if len(body) > ledger_read.MAX_PART_BYTES:
        raise BadLedger(f"its part {name} is larger than {ledger_read.MAX_PART_BYTES // 2**20} MiB")
    return body.decode("utf-8", "replace")


def _docx_lines(document: Any) -> list[str]:
    """Every paragraph of the headers, the body and its tables, runs joined."""
    from docx.oxml.ns import qn

    lines = []
    for section in document.sections:
        for part in (section.header, section.footer):
            lines += [p.text for p in part.paragraphs]
    for paragraph in document.element.body.iter(qn("w:p")):
        texts = [t.text or "" for t in paragraph.iter(qn("w:t"))]
        lines.append("".join(texts))
    return lines


def _docx_links(document: Any) -> list[Link]:
    from docx.oxml.ns import qn

    links: list[Link] = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        anchor = link.get(qn("w:anchor"))
        if anchor:
            links.append(Link(anchor, "".join(t.text or "" for t in link.iter(qn("w:t")))))
    return links


class _Visible(html.parser.HTMLParser):
    """The visible text of an HTML document, and its `<a class="cite">` links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[Link] = []
        self._skip = 0
        self._length = 0
        self._link: list[str] | None = None
        self._href = ""
        self._at = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        if tag == "a" and "cite" in (values.get("class") or "").split():
            self._link, self._href = [], (values.get("href") or "").lstrip("#")
            self._at = self._length
        if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "div", "br", "section"):
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        if tag == "a" and self._link is not None:
            self.links.append(Link(self._href, "".join(self._link), self._at))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._add(data)
        if self._link is not None:
            self._link.append(data)

    def _add(self, text: str) -> None:
        self.text.append(text)
        self._length += len(text)


def _html(data: bytes) -> Document:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadLedger("it is not UTF-8 text, as briefgen writes HTML") from None
    ledger = ledger_read.from_html(text)
    visible = _Visible()
    visible.feed(text)
    return Document("html", ledger, ["".join(visible.text)], visible.links)


__all__ = ["BadLedger", "Document", "NoLedger", "read"]
