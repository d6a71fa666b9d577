"""A PDF page's text, and which citation marker each of its link annotations sits on.

A link annotation is a rectangle on the page with a destination; nothing in the PDF ties
it to the text drawn under it. A PDF editor can swap two links' destinations and every
marker still reads right while jumping to another source's entry. So the text is read
back with pypdf and its position (a visitor sees each piece with its matrices), and each
link is matched to the pieces whose starting point lies inside its rectangle: the marker
it carries, and where that marker sits in the page's text (to name its section and row).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

MAX_LINKS = 20_000
"""More link annotations than this in one document are refused (briefgen writes a few
hundred at most): matching each to its text must stay bounded."""
SLACK = 1.0
"""Points of tolerance around a link's rectangle (engines round the two differently)."""


@dataclass(frozen=True)
class Link:
    """One internal link: its destination, the text it carries (None when the format does
    not let us read it) and where that text starts in the document's text (its pages
    joined with a newline, as verify.text.Haystack joins them), when known."""

    anchor: str
    shown: str | None = None
    at: int | None = None


@dataclass(frozen=True)
class _Piece:
    offset: int
    x: float
    y: float
    text: str


class TooManyLinks(ValueError):
    """The document has more link annotations than verify reads."""


def page_text(page: Any) -> tuple[str, list[_Piece]]:
    """The page's text as pypdf extracts it, and each non-blank piece with the point
    (in default user space) where it starts and its offset in that text."""
    pieces: list[_Piece] = []
    length = 0

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        nonlocal length
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append(_Piece(length, float(x), float(y), text))
        length += len(text)

    text = page.extract_text(visitor_text=visit)
    if length != len(text):  # the pieces do not add up to the text: offsets unknown
        pieces = [_Piece(-1, p.x, p.y, p.text) for p in pieces]
    return text, pieces


def page_links(page: Any, pieces: list[_Piece], start: int, budget: int) -> list[Link]:
    """The page's internal links (GoTo actions and named destinations), each with the text
    under it; `start` is the page's offset in the document's text, `budget` how many
    links may still be read."""
    ordered = sorted(pieces, key=lambda p: p.y)
    ys = [p.y for p in ordered]
    links: list[Link] = []
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        if not hasattr(annotation, "get") or annotation.get("/Subtype") != "/Link":
            continue
        anchor = _destination(annotation)
        if anchor is None:
            continue
        if len(links) >= budget:
            raise TooManyLinks(f"it has more than {MAX_LINKS} links")
        under = _under(annotation.get("/Rect"), ordered, ys)
        shown = "".join(p.text for p in under) if under else None
        at = start + under[0].offset if under and under[0].offset >= 0 else None
        links.append(Link(anchor, shown, at))
    return links


def _destination(annotation: Any) -> str | None:
    """The named destination a link jumps to (None for a link out, or an explicit one)."""
    dest = annotation.get("/Dest")
    action = annotation.get("/A")
    if action is not None:
        action = action.get_object()
        if hasattr(action, "get") and action.get("/S") == "/GoTo":
            dest = action.get("/D")
    if dest is None or isinstance(dest, list):
        return None
    text = str(dest)
    return (text[1:] if text.startswith("/") else text) or None


def _under(rect: Any, ordered: list[_Piece], ys: list[float]) -> list[_Piece]:
    """The pieces that start inside `rect`, in reading order."""
    try:
        x0, y0, x1, y1 = (float(v) for v in rect)
    except (TypeError, ValueError):
        return []
    left, right = min(x0, x1) - SLACK, max(x0, x1) + SLACK
    low, high = min(y0, y1) - SLACK, max(y0, y1) + SLACK
    first, last = bisect.bisect_left(ys, low), bisect.bisect_right(ys, high)
    inside = [p for p in ordered[first:last] if left <= p.x <= right]
    return sorted(inside, key=lambda p: p.offset)
