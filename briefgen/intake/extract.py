"""A document's main text and metadata, by kind: web page, PDF, Word file, mail, plain text.

The stored text is what quote checks read, so it keeps what a quote may cite and drops
what no source printed as its own words: a page's menus, cookie banner and footer
(trafilatura picks the article), a PDF's page breaks (kept as `[page N]` lines, so a
quote can say "p. 3"), a mail's MIME parts (the body, with its sender, date and subject).
trafilatura and pypdf are imported here, inside `source add`, so no other command pays
for loading them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.intake.feeds import feed_text
from briefgen.intake.mail import read_mail
from briefgen.intake.metadata import Found, html_metadata, trafilatura_metadata
from briefgen.quotes.passages import page_line

KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".eml": "eml",
    ".txt": "txt",
    ".text": "txt",
}


@dataclass(frozen=True)
class Extracted:
    """The text to store and the metadata found with it."""

    text: str
    found: Found


class ExtractError(BriefgenError):
    """A document whose text cannot be read: says which and what to do."""


def kind_of(name: str, content_type: str | None = None) -> str | None:
    """ "html", "pdf", "docx", "eml" or "txt" by content type, else by file suffix."""
    by_type = {
        "text/html": "html",
        "application/xhtml+xml": "html",
        "application/pdf": "pdf",
        "text/plain": "txt",
        "message/rfc822": "eml",
    }
    if content_type in by_type:
        return by_type[content_type]
    return KINDS.get(Path(name.split("?")[0]).suffix.lower())


def extract(data: bytes, kind: str, name: str, charset: str | None = None) -> Extracted:
    """The text and metadata of `data`, a document of `kind` called `name` (for messages)."""
    readers = {"html": _html, "pdf": _pdf, "docx": _docx, "eml": _eml, "txt": _txt}
    extracted = readers[kind](data, name, charset)
    text = tidy(extracted.text)
    if not text.strip():
        raise ExtractError(
            f"{name}: no text found in it (a scanned PDF has only images, a page may build "
            "its text with scripts); save the text as .txt and give that file"
        )
    return Extracted(text, extracted.found)


def tidy(text: str) -> str:
    """One line ending style, no trailing spaces, no runs of blank lines, a final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return tidy + "\n" if tidy else ""


# --- web pages -----------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The page as text: the server's charset, else a BOM, else the page's <meta> charset,
    else UTF-8, else windows-1252 (what browsers assume for an undeclared page)."""
    declared = _META_CHARSET.search(data[:4096])
    candidates = [charset]
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    candidates += [declared.group(1).decode("ascii") if declared else None, "utf-8"]
    for encoding in (c for c in candidates if c):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("windows-1252", errors="replace")


def _html(data: bytes, name: str, charset: str | None) -> Extracted:
    import lxml.html  # type: ignore[import-untyped]
    import trafilatura

    page = decode_html(data, charset)
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)  # lxml refuses str with an encoding
    found = Found()
    try:
        tree = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError) as error:
        raise ExtractError(f"{name}: cannot be read as a web page: {error}") from None
    html_metadata(tree, found)
    if feed := feed_text(tree):
        text, latest, count = feed
        found.offer("published", latest, f"the latest of {count} dated items: a feed")
        trafilatura_metadata(trafilatura.extract_metadata(tree), found)
        return Extracted(text, found)
    trafilatura_metadata(trafilatura.extract_metadata(tree), found)
    article = trafilatura.extract(
        tree, include_comments=False, include_tables=True, favor_precision=True
    )
    return Extracted(article or "", found)


# --- PDF -----------------------------------------------------------------------------


def _pdf(data: bytes, name: str, charset: str | None) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, OSError) as error:
        raise ExtractError(f"{name}: cannot be read as a PDF: {error}") from None
    found = Found()
    _pdf_xmp(reader, found)
    info: Mapping[str, object] = reader.metadata or {}
    found.offer("title", info.get("/Title"), "PDF info /Title")
    found.offer("author", info.get("/Author"), "PDF info /Author")
    created = info.get("/CreationDate")
    if isinstance(created, str) and re.match(r"D:\d{8}", created):
        found.offer(
            "published", f"{created[2:6]}-{created[6:8]}-{created[8:10]}", "PDF info /CreationDate"
        )
    text = "\n".join(f"{page_line(n)}\n{page.strip()}\n" for n, page in enumerate(pages, 1))
    return Extracted(text if any(p.strip() for p in pages) else "", found)


def _pdf_xmp(reader: object, found: Found) -> None:
    """XMP (Dublin Core) metadata, where the PDF carries it: better than /Info when both."""
    try:
        xmp = getattr(reader, "xmp_metadata", None)
    except Exception:  # a broken XMP packet is only missing metadata
        return
    if xmp is None:
        return
    titles = xmp.dc_title or {}
    found.offer("title", next(iter(titles.values()), None), "PDF XMP dc:title")
    found.offer("author", ", ".join(xmp.dc_creator or []), "PDF XMP dc:creator")
    found.offer("publisher", ", ".join(xmp.dc_publisher or []), "PDF XMP dc:publisher")
    dates = xmp.dc_date or []
    if dates:
        found.offer("published", str(dates[0])[:10], "PDF XMP dc:date")


# --- Word ----------------------------------------------------------------------------


def _docx(data: bytes, name: str, charset: str | None) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as error:
        raise ExtractError(f"{name}: cannot be read as a Word file (.docx): {error}") from None
    found = Found()
    core = document.core_properties
    found.offer("title", core.title, "Word document properties: Title")
    found.offer("author", core.author, "Word document properties: Author")
    if core.created is not None:
        found.offer(
            "published", core.created.date().isoformat(), "Word document properties: Created"
        )
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return Extracted("\n".join(lines), found)


# --- mail ----------------------------------------------------------------------------


def _eml(data: bytes, name: str, charset: str | None) -> Extracted:
    read = read_mail(data, lambda html: _html(html.encode(), name, "utf-8").text)
    if read is None:
        raise ExtractError(f"{name}: no mail headers (From:, Date:) found; is it an .eml file?")
    return Extracted(*read)


# --- plain text ----------------------------------------------------------------------


def _txt(data: bytes, name: str, charset: str | None) -> Extracted:
    try:
        text = data.decode(charset or "utf-8-sig")
    except (LookupError, UnicodeDecodeError):
        raise ExtractError(f"{name}: is not UTF-8 text; save it as UTF-8") from None
    found = Found()
    first = next((line for line in text.splitlines() if line.strip()), "")
    found.offer("title", first[:200], "the first line of the text")
    return Extracted(text, found)
