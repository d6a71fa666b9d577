"""The ledger in a PDF: PDF/A-3 associated files, declared in the XMP.

Added by briefgen itself to the finished PDF, after render/fetcher.py has refused every
attachment a template or a note could ask for: the notes files as associated files with
`AFRelationship /Source` (what the brief is made from) and the manifest as `/Data`, each
listed in the catalog's /AF and the /EmbeddedFiles name tree (so any PDF reader shows them
as attachments), and an XMP description naming the manifest. No dates but the edition's,
and qpdf's deterministic /ID: the same notes give the same bytes.

pikepdf is imported here only, by the commands that write or read a ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zlib
from collections.abc import Callable
from typing import Any

from briefgen.ledger import MANIFEST, NAMESPACE, Ledger

MAX_FILE_BYTES = 50 * 1024 * 1024
"""An embedded file larger than this once inflated is not read (an attachment bomb)."""
MAX_ATTACHMENTS = 64
MAX_TREE_DEPTH = 8

XMP_DESCRIPTION = (
    '<rdf:Description rdf:about="" xmlns:briefgen="{ns}" '
    'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
    "<pdfuaid:part>1</pdfuaid:part>"
    "<briefgen:ledger>{manifest}</briefgen:ledger>"
    "<briefgen:ledgerSha256>{digest}</briefgen:ledgerSha256>"
    "</rdf:Description>"
)
XMP_EXTENSION = (
    '<rdf:Description rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    "<pdfaSchema:schema>briefgen ledger</pdfaSchema:schema>"
    "<pdfaSchema:namespaceURI>{ns}</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>briefgen</pdfaSchema:prefix>"
    "<pdfaSchema:property><rdf:Seq>"
    '<rdf:li rdf:parseType="Resource"><pdfaProperty:name>ledger</pdfaProperty:name>'
    "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
    "<pdfaProperty:category>external</pdfaProperty:category>"
    "<pdfaProperty:description>name of the associated file holding the ledger"
    "</pdfaProperty:description></rdf:li>"
    '<rdf:li rdf:parseType="Resource"><pdfaProperty:name>ledgerSha256</pdfaProperty:name>'
    "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
    "<pdfaProperty:category>external</pdfaProperty:category>"
    "<pdfaProperty:description>sha256 of the ledger file</pdfaProperty:description></rdf:li>"
    "</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>"
    "</rdf:Description>"
)


def embed(
    pdf_bytes: bytes, ledger: Ledger, day: dt.date, first: Callable[[Any], None] | None = None
) -> bytes:
    """`pdf_bytes` with the ledger attached, written whole (not as an update). `first`
    edits the open document before (render/pdfua.py's `fix`): one parse and one save
    for both, where two passes cost a tenth of a second more."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if first is not None:
            first(pdf)
        stamp = f"D:{day.strftime('%Y%m%d')}000000Z"
        specs = []
        manifest = ledger.manifest_bytes()
        specs.append(_filespec(pdf, MANIFEST, manifest, "application/json", "Data", stamp))
        for name, data in sorted(ledger.files.items()):
            mime = "application/toml" if name.endswith(".toml") else "application/yaml"
            specs.append(_filespec(pdf, name, data, mime, "Source", stamp))
        names = pikepdf.Array()
        for name, spec in sorted(zip([MANIFEST, *sorted(ledger.files)], specs, strict=True)):
            names.extend([pikepdf.String(name), spec])
        pdf.Root.Names = pdf.Root.get("/Names", pikepdf.Dictionary())
        pdf.Root.Names.EmbeddedFiles = pdf.make_indirect(pikepdf.Dictionary(Names=names))
        pdf.Root.AF = pikepdf.Array(specs)
        _declare(pdf, manifest)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _filespec(pdf: Any, name: str, data: bytes, mime: str, relation: str, stamp: str) -> Any:
    import pikepdf

    stream = pikepdf.Stream(pdf, zlib.compress(data, 9))
    stream.Type = pikepdf.Name.EmbeddedFile
    stream.Subtype = pikepdf.Name("/" + mime)
    stream.Filter = pikepdf.Name.FlateDecode
    stream.Params = pikepdf.Dictionary(
        Size=len(data),
        ModDate=pikepdf.String(stamp),
        CheckSum=pikepdf.String(hashlib.md5(data).digest()),  # the PDF checksum is MD5
    )
    spec = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec,
        F=pikepdf.String(name),
        UF=pikepdf.String(name),
        Desc=pikepdf.String(_description(name, relation)),
        AFRelationship=pikepdf.Name("/" + relation),
        EF=pikepdf.Dictionary(F=pdf.make_indirect(stream), UF=pdf.make_indirect(stream)),
    )
    return pdf.make_indirect(spec)


def _description(name: str, relation: str) -> str:
    if relation == "Data":
        return "briefgen ledger: source hashes, quote checks, version (briefgen verify)"
    return f"briefgen ledger: {name} as the brief was built from it"


def _declare(pdf: Any, manifest: bytes) -> None:
    """Name the ledger in the XMP (with the PDF/A extension schema that declares its
    properties) and say PDF/UA-1: WeasyPrint tagged the document as for pdf/ua-1."""
    import pikepdf

    digest = hashlib.sha256(manifest).hexdigest()
    extra = XMP_DESCRIPTION.format(ns=NAMESPACE, manifest=MANIFEST, digest=digest)
    extra += XMP_EXTENSION.format(ns=NAMESPACE)
    metadata = pdf.Root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8") if metadata is not None else _EMPTY_XMP
    end = xmp.rfind("</rdf:RDF>")
    xmp = xmp[:end] + extra + xmp[end:]
    stream = pikepdf.Stream(pdf, xmp.encode("utf-8"))
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)


_EMPTY_XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
    '</x:xmpmeta><?xpacket end="w"?>'
)


class Unreadable(ValueError):
    """The PDF's ledger cannot be read: the message says why."""


def attachments(pdf: Any) -> dict[str, tuple[bytes, str | None]]:
    """Every embedded file of the PDF's name tree: name → (bytes, AFRelationship), each
    inflated to at most MAX_FILE_BYTES, at most MAX_ATTACHMENTS of them, the tree at most
    MAX_TREE_DEPTH deep: a bomb is refused, not read."""
    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    found: dict[str, tuple[bytes, str | None]] = {}
    if tree is not None:
        _walk(tree, found, 0)
    return found


def _walk(node: Any, found: dict[str, tuple[bytes, str | None]], depth: int) -> None:
    if depth > MAX_TREE_DEPTH:
        raise Unreadable(f"its attachment list nests deeper than {MAX_TREE_DEPTH} levels")
    for kid in node.get("/Kids", []):
        _walk(kid, found, depth + 1)
    pairs = list(node.get("/Names", []))
    for name, spec in zip(pairs[::2], pairs[1::2], strict=False):
        if len(found) >= MAX_ATTACHMENTS:
            raise Unreadable(f"it has more than {MAX_ATTACHMENTS} attachments")
        relation = spec.get("/AFRelationship")
        stream = spec.get("/EF", {}).get("/F")
        if stream is None:
            continue
        found[str(name)] = (_inflate(stream, str(name)), str(relation)[1:] if relation else None)


def _inflate(stream: Any, name: str) -> bytes:
    """The file's bytes, inflated under a cap: only /FlateDecode or no filter."""
    raw = bytes(stream.read_raw_bytes())
    filters = stream.get("/Filter")
    if filters is None:
        data = raw
    elif str(filters) == "/FlateDecode":
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, MAX_FILE_BYTES + 1)
        except zlib.error:
            raise Unreadable(f"its attachment {name!r} is not valid compressed data") from None
    else:
        import pikepdf

        shown = " ".join(map(str, filters)) if isinstance(filters, pikepdf.Array) else filters
        raise Unreadable(f"its attachment {name!r} uses a filter briefgen never writes ({shown})")
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(
            f"its attachment {name!r} inflates to more than {MAX_FILE_BYTES // 2**20} MiB"
        )
    return data
