"""The PDF engine in a child of its own, started before the build needs it.

Importing WeasyPrint and loading its fonts is the longest single wait of a one-edition
build, longer than loading, validating and assembling the brief together. `start()`
forks a child that does it at once, on the second core, while the parent reads the
notes; the parent then hands it the HTML (`Engine.send`) and takes the PDF back
(`Engine.result`). The child renders under the same time and memory bounds as a
template, and its PDF is the one this process would have made (same function).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import bounded
from briefgen.bounded import Engine, prepare
from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    from briefgen.render.pdf import Rendered


def start() -> Engine:
    """A child importing WeasyPrint now, to render one PDF with `render`'s arguments."""
    return prepare(_warm, render, what="brief.pdf")


def _warm() -> None:
    from briefgen.render.pdf import warm_up

    warm_up()


def render(
    html: str, base_url: Path, roots: list[Path], name: str, keep: Path | None = None
) -> Rendered:
    """The PDF of notes file `name`, fetching only from `roots`, its font subsets kept in
    `keep` (in this process, or in the engine's child)."""
    from briefgen.render.pdf import html_to_pdf

    try:
        return html_to_pdf(html, base_url=base_url, roots=roots, keep=keep)
    except RecursionError:
        raise BriefgenError(
            f"{name}: the document nests elements too deeply for the PDF engine; look for "
            "a template that wraps content in itself over and over"
        ) from None


SECONDS_PER_MB = 60.0
MEGABYTES_PER_MB = 300
"""WeasyPrint's time and memory grow with the HTML: the 100× sample (5.6 MB of HTML)
takes about 60 s and 800 MB more than the engine loaded. The engine's bounds are the
template bounds plus these per megabyte of HTML, so that a big brief is rendered and a
runaway one is still stopped (its HTML was already bounded when the template made it)."""


def bounds(html: str) -> tuple[float, int]:
    """The time (s) and memory (MB) the engine may take to render `html`."""
    size = len(html.encode()) / 1_000_000
    return (
        bounded.SECONDS + SECONDS_PER_MB * size,
        bounded.MEGABYTES + int(MEGABYTES_PER_MB * size),
    )
