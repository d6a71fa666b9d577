"""A page of several dated items (a topic feed, a live blog): each item kept with its date.

trafilatura reads a page as one article: on a feed it keeps the items' paragraphs but
drops their dates and headings, and takes the earliest date as the page's. A feed's items
are separate reports, each cited on its own day (an entry with `lines:` per item), so
each item is written as its date line, its heading and its paragraphs, and the page is
dated by its latest item (the day the capture was current).
"""

from __future__ import annotations

from typing import Any

from briefgen.intake.metadata import day_of

_ITEMS = "//article[.//time[@datetime]] | //li[.//time[@datetime]][.//p]"
_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "blockquote", "li")


def feed_text(tree: Any) -> tuple[str, str, int] | None:
    """(text, latest item's day, item count) when the page holds two or more dated items
    (`<article>` or list items with a `<time datetime>`), else None."""
    items = [item for item in tree.xpath(_ITEMS) if not _inside_another(item)]
    dated = [(day_of(item.xpath(".//time/@datetime")[0]), item) for item in items]
    dated = [(day, item) for day, item in dated if day]
    if len(dated) < 2:
        return None
    blocks = [_item_text(day, item) for day, item in dated]
    return "\n\n".join(blocks) + "\n", max(day for day, _ in dated), len(dated)


def _inside_another(item: Any) -> bool:
    """True for an item nested in another dated item (a quoted post inside a post)."""
    return any(a.xpath(".//time[@datetime]") for a in item.iterancestors("article", "li"))


def _item_text(day: str, item: Any) -> str:
    """`[2025-01-14]`, then the item's headings and paragraphs, one per line."""
    lines = [f"[{day}]"]
    for block in item.iter(*_BLOCKS):
        if any(parent.tag in _BLOCKS for parent in block.iterancestors()):
            continue  # its text is in the enclosing block's
        text = " ".join(block.text_content().split())
        if text:
            lines.append(text)
    return "\n".join(lines)
