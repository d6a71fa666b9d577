"""briefgen's own ledger taken out of a PDF, so the hostile checks see any other attachment.

Every PDF carries the ledger (briefgen/ledger/): the notes it was built from and a
manifest, as associated files. The promise the hostile corpus asserts is that nothing else
is attached: this checks the attachments are exactly the ledger's (names and hashes as the
manifest lists them) and returns the PDF without them, for the usual checks to run on.
"""

from __future__ import annotations

import io

import pikepdf

from briefgen.ledger import MANIFEST
from briefgen.ledger.pdf import attachments
from briefgen.ledger.read import file_problems, from_pdf


def strip_ledger(data: bytes) -> tuple[bytes, list[str], bytes]:
    """(the PDF without the ledger, problems with the attachments, their bytes joined)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = attachments(pdf)
        if not found:
            return data, [], b""
        problems = [f"an attachment briefgen does not write: {n}" for n in found if not _ours(n)]
        if MANIFEST in found:
            ledger, _ = from_pdf(pdf)
            problems += file_problems(ledger)
        joined = b"\n".join(body for body, _ in found.values())
        del pdf.Root.AF
        del pdf.Root.Names.EmbeddedFiles
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue(), problems, joined


def _ours(name: str) -> bool:
    return name == MANIFEST or name == "briefgen.toml" or name.startswith("notes/")
