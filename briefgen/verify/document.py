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
from dataclasses import dataclass, field
from typing import Any

from briefgen.ledger import Ledger
from briefgen.ledger import read as ledger_read
from briefgen.ledger.read import BadLedger, NoLedger

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
    links: list[tuple[str, str | None]] = field(default_factory=list)
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
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except (pikepdf.PdfError, ValueError) as error:
        raise BadLedger(f"it is not a readable PDF ({error})") from None
    with pdf:
        ledger, relations = ledger_read.from_pdf(pdf)
        if len(pdf.pages) > MAX_PAGES:
            raise BadLedger(f"it has more than {MAX_PAGES} pages")
        links: list[tuple[str, str | None]] = [
            (anchor, None) for page in pdf.pages for anchor in _page_links(page)
        ]
    try:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    except (PyPdfError, ValueError, KeyError, RecursionError) as error:
        raise BadLedger(f"its text cannot be read ({error})") from None
    problems = [
        f"the attachment {name} is marked {relation or 'with no relationship'}, not Source"
        for name, relation in sorted(relations.items())
        if relation != "Source"
    ]
    return Document("pdf", ledger, pages, links, problems, relations)


def _page_links(page: Any) -> list[str]:
    """The named destinations the page's link annotations jump to."""
    found = []
    for annot in page.get("/Annots", []):
        if annot.get("/Subtype") != "/Link":
            continue
        action = annot.get("/A")
        dest = annot.get("/Dest")
        if action is not None and action.get("/S") == "/GoTo":
            dest = action.get("/D")
        if dest is not None and not isinstance(dest, (list, tuple)) and str(dest):
            text = str(dest)
            found.append(text[1:] if text.startswith("/") else text)
    return found


MACROS = ("vbaProject.bin", "vbaData.xml", "macroEnabled", "activeX")
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _docx(data: bytes) -> Document:
    ledger = ledger_read.from_docx(data)
    _refuse_active_content(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors...
        raise BadLedger(f"it is not a readable Word document ({error})") from None
    lines = _docx_lines(document)
    return Document("docx", ledger, ["\n".join(lines)], _docx_links(document))


def _refuse_active_content(data: bytes) -> None:
    """Macros and external relationships (a linked template, a remote image or object)
    are refused: briefgen writes none, and opening them would run code or call out."""
    package = zipfile.ZipFile(io.BytesIO(data))
    for name in package.namelist():
        if any(mark.lower() in name.lower() for mark in MACROS):
            raise BadLedger(f"it carries macros or active content ({name}); briefgen writes none")
        if not name.endswith(".rels"):
            continue
        rels = package.read(name).decode("utf-8", "replace")
        if "macroEnabled" in package.read("[Content_Types].xml").decode("utf-8", "replace"):
            raise BadLedger("it is a macro-enabled document; briefgen writes none")
        for relation in re.findall(r"<Relationship\b[^>]*>", rels):
            if 'TargetMode="External"' in relation and HYPERLINK not in relation:
                target = re.search(r'Target="([^"]*)"', relation)
                raise BadLedger(
                    f"it has an external relationship in {name} (to "
                    f"{target.group(1) if target else 'somewhere'}), which Word would "
                    "fetch on opening; briefgen writes none"
                )


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


def _docx_links(document: Any) -> list[tuple[str, str | None]]:
    from docx.oxml.ns import qn

    links: list[tuple[str, str | None]] = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        anchor = link.get(qn("w:anchor"))
        if anchor:
            links.append((anchor, "".join(t.text or "" for t in link.iter(qn("w:t")))))
    return links


class _Visible(html.parser.HTMLParser):
    """The visible text of an HTML document, and its `<a class="cite">` links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[tuple[str, str | None]] = []
        self._skip = 0
        self._link: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        if tag == "a" and "cite" in (values.get("class") or "").split():
            self._link, self._href = [], (values.get("href") or "").lstrip("#")
        if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "div", "br", "section"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        if tag == "a" and self._link is not None:
            self.links.append((self._href, "".join(self._link)))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._link is not None:
            self._link.append(data)


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
