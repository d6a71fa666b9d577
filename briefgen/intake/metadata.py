"""What a document says about itself (title, author, publisher, date, address), and where.

Each value is kept with the place it was read from ("JSON-LD datePublished", "PDF info
/Author"), so `source add` can show the analyst what it found and where, and the analyst
can judge it. For web pages the page's own declarations are read first, in the order
news sites fill them reliably (JSON-LD, then Open Graph and meta tags, then <title> and
the canonical link); trafilatura's reading (which also guesses from the page text) fills
only what those leave out, and says so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("title", "publisher", "author", "published", "url")
"""What a registry entry takes from a document, in the order it is shown."""


@dataclass
class Found:
    """The metadata read from one document: each field's value and where it came from."""

    values: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: object, where: str) -> None:
        """Keep `value` for `name` unless an earlier, better place already gave one."""
        text = _clean(value)
        if name == "published":
            text = day_of(text)
        if name not in self.values and text:
            self.values[name] = text
            self.where[name] = where

    def get(self, name: str) -> str | None:
        return self.values.get(name)


def _clean(value: object) -> str:
    """One line of text, or "" for what is not text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:500]


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def day_of(text: str) -> str:
    """The YYYY-MM-DD a date-time starts with (the publisher's own day, whatever its
    time zone), or "" when it is not one."""
    found = _ISO_DAY.match(text.strip())
    if not found:
        return ""
    try:
        return dt.date(*(int(part) for part in found.groups())).isoformat()
    except ValueError:
        return ""


def without_site(title: str, publisher: str) -> str:
    """`Headline | Site` → `Headline`: a page's <title> often ends with the site's name,
    which the registry keeps as the publisher."""
    pattern = rf"\s+[|\u2013\u2014:-]\s+{re.escape(publisher)}\s*$"
    stripped = re.sub(pattern, "", title, flags=re.IGNORECASE)
    return stripped or title


# --- web pages -----------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BlogPosting",
        "Report",
        "ScholarlyArticle",
        "WebPage",
        "LiveBlogPosting",
    }
)


def html_metadata(tree: Any, found: Found) -> None:
    """Offer what the page declares: JSON-LD, Open Graph and meta tags, <title>, canonical."""
    for item in _json_ld_items(tree):
        _offer_json_ld(item, found)
    metas = {
        (meta.get("property") or meta.get("name") or "").strip().lower(): meta.get("content")
        for meta in tree.iter("meta")
    }
    for name, key in (
        ("title", "og:title"),
        ("publisher", "og:site_name"),
        ("published", "article:published_time"),
        ("url", "og:url"),
        ("author", "author"),
        ("author", "article:author"),
        ("published", "date"),
        ("published", "dc.date"),
        ("published", "citation_publication_date"),
        ("title", "citation_title"),
    ):
        value = metas.get(key)
        if not (name == "author" and _clean(value).startswith("http")):  # a profile page
            found.offer(name, value, f'<meta {"name" if ":" not in key else "property"}="{key}">')
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical":
            found.offer("url", link.get("href"), '<link rel="canonical">')
    title = next(tree.iter("title"), None)
    if title is not None:
        found.offer("title", title.text_content(), "<title>")


def _json_ld_items(tree: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page that describes an article, in page order."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        yield from (item for item in _walk(data) if _types(item) & _ARTICLE_TYPES)


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """The objects in a JSON-LD document: itself, a list's items, an @graph's members."""
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        yield from _walk(data.get("@graph", []))


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    return {kind} if isinstance(kind, str) else {k for k in kind or [] if isinstance(k, str)}


def _names(value: Any) -> str:
    """A person or organisation, or a list of them, as names joined by commas."""
    items = value if isinstance(value, list) else [value]
    names = [i.get("name") if isinstance(i, dict) else i for i in items]
    return ", ".join(_clean(n) for n in names if _clean(n))


def _offer_json_ld(item: dict[str, Any], found: Found) -> None:
    kind = sorted(_types(item) & _ARTICLE_TYPES)[0]
    found.offer("title", item.get("headline") or item.get("name"), f"JSON-LD {kind} headline")
    found.offer("author", _names(item.get("author")), f"JSON-LD {kind} author")
    found.offer("publisher", _names(item.get("publisher")), f"JSON-LD {kind} publisher")
    found.offer("published", item.get("datePublished"), f"JSON-LD {kind} datePublished")
    found.offer("url", item.get("url"), f"JSON-LD {kind} url")


def trafilatura_metadata(document: Any, found: Found) -> None:
    """Offer trafilatura's reading for what the page's declarations left out."""
    if document is None:
        return
    where = "trafilatura's reading of the page"
    found.offer("title", document.title, where)
    found.offer("author", document.author, where)
    found.offer("publisher", document.sitename, where)
    found.offer("published", document.date, where)
    found.offer("url", document.url, where)
