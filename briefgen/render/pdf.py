"""HTML → PDF with WeasyPrint: reproducible bytes, briefgen's fonts, the engine's warnings.

Rendering goes through the locked-down fetcher of render/fetcher.py (template assets
only, no attachment); the fonts are briefgen's own, subset by the locked fontTools with
the brief's date stamped in, so that the same notes give the same bytes on any machine;
WeasyPrint's warnings are collected for the build to report. The PDF/UA fixes and the
ledger are added afterwards, in one pass (ledger/write.py).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.render import fonts, paginate
from briefgen.render.fetcher import drop_attachments, fetcher_class, refuse_embedded_files
from briefgen.render.weasy import (
    compressed_once,
    fewer_collections,
    fonttools_subsetting,
    load_weasyprint,
    source_date,
)

_NOT_FOR_USERS = (
    "refused ",  # the fetcher's refusals are reported on their own, with the reason
    "HarfBuzz-Subset",  # a packaging note about the engine, not about the brief
)


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings (an unknown CSS property, say) for the build to report,
    and gathers its one-per-glyph "no font has this character" into a single warning."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.missing: dict[int, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if str(record.msg).startswith(".notdef glyph") and isinstance(args, tuple) and args[1:]:
            self.missing[int(str(args[1]))] = None  # WeasyPrint logs (font, code point)
            return
        message = record.getMessage()
        if not any(noise in message for noise in _NOT_FOR_USERS):
            self.messages.append(message)

    def warnings(self) -> list[str]:
        if not self.missing:
            return self.messages
        shown = ", ".join(f"{chr(c)} (U+{c:04X})" for c in list(self.missing)[:12])
        more = f" and {len(self.missing) - 12} more" if len(self.missing) > 12 else ""
        return [
            *self.messages,
            f"no font of the brief has {len(self.missing)} character(s) of it, printed as "
            f"empty boxes: {shown}{more}. briefgen's fonts cover Latin, Cyrillic, Greek, "
            "Arabic, Hebrew and Hangul; for other scripts, name a font that has them in the "
            'workspace\'s templates/brief.css (docs/templates.md, "Fonts").',
        ]


_FONT_CONFIGS: dict[tuple[Path, ...], Any] = {}


def _font_config(roots: Sequence[Path]) -> Any:
    """One WeasyPrint font configuration per set of template folders, kept for the
    process: a worker rendering many editions loads their fonts once (8 % of a render).
    Per set, so that one workspace's @font-face never stands in for another's."""
    from weasyprint.text.fonts import FontConfiguration

    key = tuple(roots)
    if key not in _FONT_CONFIGS:
        config = _FONT_CONFIGS.pop((), None)  # warm_up's, not yet any template's
        if config is None:
            config = FontConfiguration()
            fonts.register(config)
        _FONT_CONFIGS[key] = config
    return _FONT_CONFIGS[key]


def _forget_copied_fonts(roots: Sequence[Path]) -> None:
    """A template's own @font-face makes WeasyPrint copy the font into a temporary folder
    that it removes only when the configuration is garbage-collected, which a process
    ending in os._exit (briefgen's do) never reaches. Remove it after each render, and
    the configuration with it (its fonts point into the folder); the next render of these
    templates loads them again. briefgen's own fonts are read in place and copy nothing."""
    font_config = _FONT_CONFIGS.get(tuple(roots))
    folder = getattr(font_config, "_folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        del _FONT_CONFIGS[tuple(roots)]


VARIANT = "pdf/a-3a"
"""PDF/A-3 level A: archival, tagged (the structure WeasyPrint writes for PDF/UA-1), and
the one PDF/A part that allows the associated files the ledger travels in
(briefgen/ledger/pdf.py, which also declares PDF/UA-1 in the XMP)."""


@dataclass
class Rendered:
    """A PDF, the fetches the fetcher refused (URL, reason), the engine's warnings, and
    the font subsets cut for it that the store did not have (for the build to write)."""

    pdf: bytes
    refused: list[tuple[str, str]]
    warnings: list[str]
    kept: dict[Path, bytes] = field(default_factory=dict)


def html_to_pdf(
    html: str, *, base_url: Path, roots: Sequence[Path], keep: Path | None = None
) -> Rendered:
    """Render the PDF in memory, through the locked-down fetcher, its font subsets read
    from and added to the store in `keep` (render/subsets.py) if given. Its PDF/UA fixes
    (render/pdfua.py) are made with the ledger, in one pass over the finished bytes."""
    with fewer_collections():
        return _html_to_pdf(html, base_url, roots, keep)


def _html_to_pdf(html: str, base_url: Path, roots: Sequence[Path], keep: Path | None) -> Rendered:
    weasyprint = load_weasyprint()  # only the code path that writes a PDF pays for it

    from briefgen.cache import Blobs
    from briefgen.render import subsets

    fetcher = fetcher_class()(roots)
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    logger.propagate = False  # no raw log lines on the user's terminal
    try:
        document = weasyprint.HTML(
            string=html, base_url=f"{base_url.resolve().as_uri()}/", url_fetcher=fetcher
        )
        fetcher.refused.extend(drop_attachments(document))
        font_config = _font_config(roots)
        laid_out = document.render(font_config=font_config, pdf_tags=True, pdf_variant=VARIANT)
        laid_out = paginate.settle(html, document, laid_out)  # "(cont.)" where a group splits
        store = Blobs(keep) if keep is not None else None
        with (
            source_date(laid_out.metadata.created),
            fonttools_subsetting(),
            subsets.kept(store),
            compressed_once(),
        ):
            pdf = laid_out.write_pdf(
                pdf_tags=True, pdf_variant=VARIANT, finisher=refuse_embedded_files
            )
    finally:
        logger.removeHandler(collect)
        _forget_copied_fonts(roots)
    assert isinstance(pdf, bytes)
    return Rendered(pdf, fetcher.refused, collect.warnings(), store.new if store else {})


WARM_UP = '<html lang="en" style="font-family: \'Briefgen Serif\'"><p>Warm</p>'


def warm_up() -> None:
    """Import WeasyPrint and render a word in briefgen's fonts, so that fontconfig, Pango
    and the fonts are loaded before the brief arrives; WeasyPrint keeps them for every
    later render in the process. No hyphenation dictionary: the brief sets `hyphens:
    manual` (loading one costs 0.1 s; a template that asks for `auto` pays it then).
    (With no font on the machine, as in a bare container, Pango cannot render a line in
    no font at all: the bundled ones are needed even here.)"""
    weasyprint = load_weasyprint()
    font_config = _font_config(())  # kept for the first render's template folders
    with fonttools_subsetting():
        weasyprint.HTML(string=WARM_UP).write_pdf(
            font_config=font_config, pdf_tags=True, pdf_variant=VARIANT
        )
