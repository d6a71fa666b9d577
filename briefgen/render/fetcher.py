"""What the PDF engine may read and attach: a URL fetcher that can only read template assets.

WeasyPrint's default fetcher reads any file:// URL and opens network connections; a
template or a note could use that to put /etc/passwd into a brief or to call home, and
`rel="attachment"` makes it embed whole files in the PDF, which then leave with every
copy. Ours serves `data:` URLs and the stylesheets, images and fonts under the template
folders (never a hidden file, never through a link out), and refuses everything else,
keeping a list of what it refused; attachments are refused before layout, and the PDF is
checked for embedded files before it is written. The build then fails and names the
template line that asked, rather than send out a brief with a hole.
"""

from __future__ import annotations

import os
import stat
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen import workspace
from briefgen.errors import BriefgenError

MAX_ASSET_BYTES = 20 * 1024 * 1024


def fetcher_class() -> type:
    """Define the fetcher on first use, so that importing this module stays cheap."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Serves `data:` URLs and the stylesheets, images and fonts of the template
        folders; refuses everything else, and remembers what it refused."""

        def __init__(self, roots: Sequence[Path]) -> None:
            super().__init__(allowed_protocols={"data", "file"}, timeout=1)
            self.roots = list(dict.fromkeys(root.resolve() for root in roots))
            self.refused: list[tuple[str, str]] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_path(url)
            found = (
                asset(path, self.roots) if path else "only data: URLs and local files are allowed"
            )
            if isinstance(found, str):
                self.refused.append((url, found))
                raise ValueError(f"refused {url}: {found}")
            return URLFetcherResponse(url, body=_read(found), headers={})

    return SafeFetcher


OUTSIDE = "outside the template folders"
NOT_AN_ASSET = (
    "not a stylesheet, image or font (" + ", ".join(sorted(workspace.ASSET_SUFFIXES)) + ")"
)
HIDDEN = "a hidden file or folder (its name or a parent's starts with '.')"


def asset(path: Path, roots: Sequence[Path]) -> Path | str:
    """The file `path` stands for, or why the PDF renderer may not read it.

    Only assets (stylesheets, images, fonts) inside a template folder, never a hidden one,
    and not through a symlink out of the folder. A relative URL is resolved against the
    first template folder; an asset missing there is looked up in the later ones, as
    templates are (so the default stylesheet's fonts are found beside a user's templates).
    """
    path = Path(os.path.normpath(path))
    inside = [root for root in roots if path.is_relative_to(root)]
    if not inside:
        return OUTSIDE
    first = max(inside, key=lambda root: len(root.parts))  # the innermost folder
    relative = path.relative_to(first)
    later = roots[roots.index(first) :]
    problem = "no such file in the template folders"
    for root in later:
        candidate = _candidate(root / relative, root)
        if isinstance(candidate, Path):
            return candidate
        if candidate != problem:
            return candidate
    return problem


def _candidate(path: Path, root: Path) -> Path | str:
    """`path` (inside `root`) if it is an asset the renderer may read, else why not."""
    if workspace.is_hidden(path.relative_to(root)):
        return HIDDEN
    if not workspace.usable_by_templates(path.relative_to(root), assets_only=True):
        return NOT_AN_ASSET
    if not os.path.lexists(path):
        return "no such file in the template folders"
    real = path.resolve()
    if not real.is_relative_to(root):
        return "a link to a file " + OUTSIDE
    if not workspace.usable_by_templates(real.relative_to(root), assets_only=True):
        return "a link to a hidden file or to a file that is not an asset"
    if not real.is_file():
        return "not a regular file"
    if real.stat().st_size > MAX_ASSET_BYTES:
        return f"larger than {MAX_ASSET_BYTES // 2**20} MiB"
    return real


def _read(path: Path) -> bytes:
    """The asset's bytes, opened without following a link (the path is already resolved)
    nor waiting on a FIFO swapped in since it was checked."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ValueError(f"refused {path}: not a regular file")
        return stream.read(MAX_ASSET_BYTES)


def _local_path(url: str) -> Path | None:
    from urllib.request import url2pathname  # WeasyPrint has imported it by now

    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(url2pathname(parts.path))


ATTACHMENT = (
    'asks to attach the file to the PDF (rel="attachment"), which would send it out with '
    "every copy of the brief; remove the rel, or link to the file by its web address"
)


def drop_attachments(document: Any) -> list[tuple[str, str]]:
    """Every element of the parsed HTML whose `rel` asks WeasyPrint to embed a file
    (`<link rel="attachment">` embeds it in the document, `<a rel="attachment">` as a
    file annotation): its URL, for the build to refuse naming the template line. The
    `rel` is removed before the layout, so the file is never even read."""
    from weasyprint.html import element_has_link_type

    found = []
    for element in document.etree_element.iter():
        if isinstance(element.tag, str) and element_has_link_type(element, "attachment"):
            href = (element.get("href") or "").strip()
            found.append((urllib.parse.urljoin(document.base_url or "", href), ATTACHMENT))
            del element.attrib["rel"]
    return found


def refuse_embedded_files(document: Any, pdf: Any) -> None:
    """The last check before the PDF is written (a WeasyPrint finisher): no embedded file,
    file specification or file annotation, whatever asked for it. briefgen itself puts
    none there, so any one is a way around `drop_attachments` and the build stops."""
    catalog = pdf.catalog
    names = catalog.get("Names") or {}
    found = ["an /EmbeddedFiles name tree"] if "EmbeddedFiles" in names else []
    found += ["associated files (/AF)"] if "AF" in catalog else []
    for obj in pdf.objects:
        entries = getattr(obj, "extra", obj)  # a stream's dictionary, or a dictionary
        if not isinstance(entries, dict):
            continue
        if entries.get("Type") in ("/EmbeddedFile", "/Filespec") or "EF" in entries:
            found.append("an embedded file")
        if entries.get("Subtype") == "/FileAttachment":
            found.append("a file attachment annotation")
    if found:
        raise BriefgenError(
            f"the PDF would carry what briefgen never puts there ({', '.join(sorted(set(found)))}"
            "); a template must have asked for it. Nothing was written."
        )
