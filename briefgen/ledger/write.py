"""Put the ledger into each document a build renders, in the form its format allows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import cache
from briefgen.ledger import Ledger, ledger_of

if TYPE_CHECKING:
    from briefgen.pipeline import BuildOptions
    from briefgen.validate import ValidEdition


def prepare(valid: ValidEdition, options: BuildOptions) -> Ledger:
    """The edition's ledger, with pikepdf loaded for embedding it: the build calls this
    while the engine renders the PDF, so that none of it waits on the PDF's path."""
    import pikepdf  # noqa: F401

    return ledger_of(valid, options.charts)


def embed_all(
    valid: ValidEdition,
    options: BuildOptions,
    files: dict[Path, bytes],
    ledger: Ledger | None = None,
) -> dict[Path, bytes]:
    """`files` (one edition's render) with the ledger (`prepare`'s, or made now) inside
    its PDF, DOCX and HTML; charts and stamps as they are. The PDF gets its PDF/UA fixes
    in the same pass."""
    documents = [p for p in files if cache.STAMPS not in p.parts]
    if not documents:
        return files
    ledger = ledger or ledger_of(valid, options.charts)
    out = dict(files)
    for path in documents:
        if path.suffix == ".pdf":
            from briefgen.ledger import pdf
            from briefgen.render import pdfua

            out[path] = pdf.embed(files[path], ledger, valid.edition.edition, pdfua.fix)
        elif path.suffix == ".docx":
            from briefgen.ledger import docx

            out[path] = docx.embed(files[path], ledger)
        elif path.suffix == ".html":
            from briefgen.ledger import html

            out[path] = html.embed(files[path], ledger)
    return out
