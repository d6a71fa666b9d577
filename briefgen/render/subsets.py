"""Font subsets kept between builds, beside the charts (cache.py's `Blobs`).

Every PDF embeds each face it uses cut down to the glyphs it uses, and fontTools does the
cutting (render/weasy.py says why not HarfBuzz): 0.16–0.19 s of a one-edition render, on the
PDF's critical path. From one build to the next an analyst edits a sentence, and each
face's glyph set rarely changes: the same face, glyphs and options give the same subset,
byte for byte, so the subset is named by the hash of exactly those (and fontTools'
version) and read back instead of cut again. A face whose glyphs changed is cut as before.
A hit is therefore always the subset fontTools would make: the PDF is the same bytes with
or without the store (tests/test_speed.py checks it).

New subsets are returned to the build, which writes them with the brief's own files (a
failed build writes nothing); the store is pruned with the charts.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

from briefgen.cache import Blobs


@contextlib.contextmanager
def kept(store: Blobs | None) -> Iterator[None]:
    """WeasyPrint's fontTools subsetting reading from and adding to `store` while inside
    (nothing changes with None). Patches one method for the duration: the render is
    single-threaded, and the method is put back whatever happens."""
    if store is None or store.folder is None:
        yield
        return
    from weasyprint.pdf.fonts import Font

    cut = Font._fonttools_subset

    def subset(font: Any, to_unicode: Any, hinting: Any) -> None:
        name = _name(font, to_unicode, hinting)
        found = store.get(name)
        if found is not None:
            font.file_content = found
            return
        cut(font, to_unicode, hinting)
        store.put(name, font.file_content)

    Font._fonttools_subset = subset
    try:
        yield
    finally:
        Font._fonttools_subset = cut


def _name(font: Any, to_unicode: Any, hinting: Any) -> str:
    """What the subset is made from: the whole face (by hash), which face of a collection,
    the glyph ids, the options WeasyPrint passes, fontTools' version, and the date it
    stamps into the face's `head` table (SOURCE_DATE_EPOCH, the brief's own date: see
    render/weasy.py's `source_date`), so that one brief's subset never stands in another's."""
    import os

    from fontTools import version

    fields = [
        "font-subset",
        version,
        os.environ.get("SOURCE_DATE_EPOCH"),
        hashlib.sha256(font.file_content).hexdigest(),
        int(font.index or 0),
        sorted(int(gid) for gid in to_unicode),
        bool(hinting),
        bool(font.missing),
    ]
    return Blobs.name(fields, ".font")
