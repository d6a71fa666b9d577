"""HTML → PDF with WeasyPrint, through a URL fetcher that can only read allowed folders.

WeasyPrint's default fetcher reads any file:// URL and opens network connections; a
template or a note could use that to put /etc/passwd into a brief or to call home.
Ours serves `data:` URLs and regular files under the template and workspace folders,
and refuses everything else, keeping a list of what it refused: the build then fails and
names the template line that asked for it, rather than send out a brief with a hole.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_ASSET_BYTES = 20 * 1024 * 1024


def _fetcher_class() -> type:
    """Define the fetcher on first use, so that importing this module stays cheap."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc, valid-type]
        def __init__(self, roots: Sequence[Path]) -> None:
            super().__init__(allowed_protocols={"data", "file"}, timeout=1)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[tuple[str, str]] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_path(url)
            problem = self._problem(path) if path else "only data: URLs and local files are allowed"
            if problem or path is None:
                self.refused.append((url, problem))
                raise ValueError(f"refused {url}: {problem}")
            with path.open("rb") as stream:
                body = stream.read(MAX_ASSET_BYTES)
            return URLFetcherResponse(url, body=body, headers={})

        def _problem(self, path: Path) -> str | None:
            real = path.resolve()
            if not any(real.is_relative_to(root) for root in self.roots):
                return "outside the template and workspace folders"
            if not real.is_file():
                return "not a regular file"
            if real.stat().st_size > MAX_ASSET_BYTES:
                return f"larger than {MAX_ASSET_BYTES // 2**20} MiB"
            return None

    return SafeFetcher


def _local_path(url: str) -> Path | None:
    from urllib.request import url2pathname  # WeasyPrint has imported it by now

    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path))


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
        if record.msg.startswith(".notdef glyph rendered") and len(record.args or ()) == 2:
            self.missing[int(record.args[1])] = None  # type: ignore[index]
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
            f"no installed font has {len(self.missing)} character(s) of this brief, printed as "
            f"empty boxes: {shown}{more}. Install fonts that cover them (Korean, Chinese, "
            "Japanese: fonts-noto-cjk; emoji: fonts-noto-color-emoji; most other scripts: "
            "fonts-noto-core).",
        ]


_FONT_CONFIGS: dict[tuple[Path, ...], Any] = {}


def _font_config(roots: Sequence[Path]) -> Any:
    """One WeasyPrint font configuration per set of template folders, kept for the
    process: a worker rendering many editions loads their fonts once (8 % of a render).
    Per set, so that one workspace's @font-face never stands in for another's."""
    from weasyprint.text.fonts import FontConfiguration

    key = tuple(roots)
    if key not in _FONT_CONFIGS:
        _FONT_CONFIGS[key] = FontConfiguration()
    return _FONT_CONFIGS[key]


@dataclass
class Rendered:
    """A PDF, the fetches the fetcher refused (URL, reason), and the engine's warnings."""

    pdf: bytes
    refused: list[tuple[str, str]]
    warnings: list[str]


def html_to_pdf(html: str, *, base_url: Path, roots: Sequence[Path]) -> Rendered:
    """Render the PDF in memory, through the locked-down fetcher."""
    import weasyprint  # 0.4–0.6 s: only the code path that writes a PDF pays for it

    fetcher = _fetcher_class()(roots)
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    logger.propagate = False  # no raw log lines on the user's terminal
    try:
        document = weasyprint.HTML(
            string=html, base_url=f"{base_url.resolve().as_uri()}/", url_fetcher=fetcher
        )
        pdf = document.write_pdf(pdf_tags=True, font_config=_font_config(roots))
    finally:
        logger.removeHandler(collect)
    assert isinstance(pdf, bytes)
    return Rendered(pdf, fetcher.refused, collect.warnings())


WARM_UP = (
    '<html lang="en"><p style="hyphens: auto; width: 4em">'
    "Hyphenation dictionaries load on the first broken line</p>"
)


def warm_up() -> None:
    """Import WeasyPrint and render a line of hyphenated English, so that fontconfig,
    Pango and the hyphenation dictionary (0.1 s) are loaded before the brief arrives;
    WeasyPrint keeps them for every later render in the process."""
    import weasyprint

    weasyprint.HTML(string=WARM_UP).write_pdf()
