"""Put the ledger into each document a build renders, in the form its format allows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import cache
from briefgen.ledger import ledger_of

if TYPE_CHECKING:
    from briefgen.pipeline import BuildOptions
    from briefgen.validate import ValidEdition


def embed_all(
    valid: ValidEdition, options: BuildOptions, files: dict[Path, bytes]
) -> dict[Path, bytes]:
    """`files` (one edition's render) with the ledger inside its PDF, DOCX and HTML;
    charts and stamps as they are."""
    documents = [p for p in files if cache.STAMPS not in p.parts]
    if not documents:
        return files
    ledger = ledger_of(valid, options.charts)
    out = dict(files)
    for path in documents:
        if path.suffix == ".pdf":
            from briefgen.ledger import pdf

            out[path] = pdf.embed(files[path], ledger, valid.edition.edition)
        elif path.suffix == ".docx":
            from briefgen.ledger import docx

            out[path] = docx.embed(files[path], ledger)
        elif path.suffix == ".html":
            from briefgen.ledger import html

            out[path] = html.embed(files[path], ledger)
    return out
