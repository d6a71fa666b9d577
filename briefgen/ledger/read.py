"""Read a ledger back from a PDF, DOCX or HTML brief, refusing what briefgen never writes.

Every refusal says what is wrong in words (NoLedger: there is none; BadLedger: there is
one but it cannot be trusted to parse); the sizes read are bounded, so that a crafted
file costs bounded time and memory.
"""

from __future__ import annotations

import hashlib
import html.parser
import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree

from briefgen.ledger import FIRST_VERSION, FORMAT, MANIFEST, NAMESPACE, VERSION, Ledger, from_bundle

MAX_PART_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000

NOT_OURS = (
    f"it carries no briefgen ledger: it was not built by briefgen, or built before "
    f"briefgen {FIRST_VERSION} wrote ledgers, or the ledger was removed"
)


class NoLedger(ValueError):
    """The document carries no ledger."""


class BadLedger(ValueError):
    """The document carries a ledger that cannot be read or trusted."""


def kind_of(data: bytes) -> str:
    """pdf, docx or html, by the file's first bytes (never by its name)."""
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<meta", b"<head")):
        return "html"
    raise NoLedger("it is not a PDF, a DOCX or an HTML document")


def parse_bundle(text: str | bytes, where: str) -> Ledger:
    """The ledger from its one-document JSON, checked for shape."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
        ledger = from_bundle(data)
    except (ValueError, RecursionError) as error:
        raise BadLedger(f"the ledger in {where} does not parse: {error}") from None
    return checked(ledger, where)


def checked(ledger: Ledger, where: str) -> Ledger:
    """The ledger, if its manifest is one this briefgen reads."""
    manifest = ledger.manifest
    if manifest.get("format") != FORMAT:
        raise BadLedger(
            f"the ledger in {where} is not a briefgen ledger (format {manifest.get('format')!r})"
        )
    if manifest.get("version") != VERSION:
        raise BadLedger(
            f"the ledger in {where} is version {manifest.get('version')!r}; this briefgen reads "
            f"version {VERSION}: verify it with the briefgen that built it "
            f"({manifest.get('briefgen')})"
        )
    for key, kind in (("roles", dict), ("files", dict), ("sources", list), ("citations", list)):
        if not isinstance(manifest.get(key), kind):
            raise BadLedger(f"the ledger in {where} has no valid {key!r}")
    return ledger


def from_pdf(pdf: Any) -> tuple[Ledger, dict[str, str | None]]:
    """The ledger of an open pikepdf document, and each attachment's AFRelationship."""
    from briefgen.ledger.pdf import Unreadable, attachments

    try:
        found = attachments(pdf)
    except Unreadable as error:
        raise BadLedger(f"the PDF's attachments cannot be read: {error}") from None
    if MANIFEST not in found:
        raise NoLedger(NOT_OURS)
    data, _ = found.pop(MANIFEST)
    try:
        manifest = json.loads(data)
        if not isinstance(manifest, dict):
            raise ValueError("it is not a JSON object")
    except (ValueError, RecursionError) as error:
        raise BadLedger(f"the ledger in the PDF ({MANIFEST}) does not parse: {error}") from None
    ledger = checked(Ledger(manifest, {n: d for n, (d, _) in found.items()}), "the PDF")
    return ledger, {name: relation for name, (_, relation) in found.items()}


def from_docx(data: bytes) -> Ledger:
    """The ledger part of a DOCX, found by its root element's namespace."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise BadLedger(f"the DOCX is not a readable zip package ({error})") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise BadLedger(f"the DOCX holds more than {MAX_ZIP_ENTRIES} parts")
    found = []
    for info in entries:
        if not info.filename.startswith("customXml/") or "_rels" in info.filename:
            continue
        if info.file_size > MAX_PART_BYTES:
            raise BadLedger(
                f"its part {info.filename} is larger than {MAX_PART_BYTES // 2**20} MiB"
            )
        with package.open(info) as stream:
            body = stream.read(MAX_PART_BYTES + 1)
        if f"{{{NAMESPACE}}}".encode()[1:-1] in body[:400]:
            found.append((info.filename, body))
    if not found:
        raise NoLedger(NOT_OURS)
    if len(found) > 1:
        raise BadLedger(f"the DOCX has {len(found)} ledger parts; briefgen writes one")
    name, body = found[0]
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise BadLedger(f"the ledger part {name} declares a DTD, which briefgen never writes")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise BadLedger(f"the ledger part {name} is not well-formed XML ({error})") from None
    if root.tag != f"{{{NAMESPACE}}}ledger":
        raise BadLedger(f"the ledger part {name} has the wrong root element")
    return parse_bundle(root.text or "", f"the DOCX ({name})")


class _Scripts(html.parser.HTMLParser):
    """The text of every `<script type="application/json" id="briefgen-ledger">`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("id") == "briefgen-ledger":
            self._inside = values.get("type") == "application/json"
            if self._inside:
                self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False if tag == "script" else self._inside

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.found[-1] += data


def from_html(text: str) -> Ledger:
    scripts = _Scripts()
    scripts.feed(text)
    if not scripts.found:
        raise NoLedger(NOT_OURS)
    if len(scripts.found) > 1:
        raise BadLedger(f"the HTML has {len(scripts.found)} ledger scripts; briefgen writes one")
    return parse_bundle(scripts.found[0], "the HTML")


def file_problems(ledger: Ledger) -> list[str]:
    """Files the manifest lists that are missing or differ from their recorded sha256."""
    problems = []
    listed = ledger.manifest["files"]
    for name, entry in sorted(listed.items()):
        data = ledger.files.get(name)
        if data is None:
            problems.append(f"the notes file {name} is listed in the ledger but missing")
        elif not isinstance(entry, dict) or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            problems.append(f"the notes file {name} differs from the hash the ledger records")
    for name in sorted(set(ledger.files) - set(listed)):
        problems.append(f"the file {name} is attached but not listed in the ledger")
    return problems
